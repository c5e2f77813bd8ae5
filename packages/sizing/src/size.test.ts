import { createSpotInstrument, type Instrument } from "@gpt/core";
import { D, type Decimal } from "@gpt/quantize";
import { Decimal as GlobalDecimal } from "decimal.js";
import { describe, expect, it } from "vitest";
import { SizingError } from "./errors.js";
import type { SizePositionInput, SizingMethod } from "./inputs.js";
import type { SizingResult, SizingStep } from "./result.js";
import {
  sizeByAtr,
  sizeByFixedFraction,
  sizeByFixedNotional,
  sizeByFixedRisk,
  sizeByKelly,
  sizeByRealizedVolatility,
  sizePosition,
} from "./size.js";
import { BIP_PERP, BTC_USD, BTC_USD_NO_FEES } from "./testing/instruments.js";

function errorOf(fn: () => unknown): SizingError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SizingError) return err;
    throw err;
  }
  throw new Error("expected a SizingError");
}

function sized(result: SizingResult): { quantity: string; notional: string; margin: string } {
  if (result.kind !== "sized")
    throw new Error(`expected sized, got skip ${result.reason}: ${result.message}`);
  return {
    quantity: result.quantity.toString(),
    notional: result.notional.toString(),
    margin: result.margin.toString(),
  };
}

function stages(result: SizingResult): string[] {
  return result.steps.map((s) => (s.stage === "cap" ? `cap:${s.cap}` : s.stage));
}

function stepOf<S extends SizingStep["stage"]>(
  result: SizingResult,
  stage: S,
): Extract<SizingStep, { stage: S }> {
  const step = result.steps.find((s): s is Extract<SizingStep, { stage: S }> => s.stage === stage);
  if (step === undefined) throw new Error(`no ${stage} step`);
  return step;
}

const spot = { equity: "10000", price: "50000", instrument: BTC_USD_NO_FEES } as const;
const perp = { equity: "10000", price: "50000", instrument: BIP_PERP } as const;

describe("Kelly sizing", () => {
  it("sizes equity × fractional Kelly from win rate and payoff ratio", () => {
    const result = sizeByKelly({
      ...spot,
      estimate: { winRate: 0.55, payoffRatio: 1.5 },
      kellyMultiplier: 0.5,
    });
    expect(sized(result)).toEqual({ quantity: "0.025", notional: "1250", margin: "1250" });
    expect(stages(result)).toEqual(["kelly", "target", "quantize"]);
    const kelly = stepOf(result, "kelly");
    expect(kelly.estimate).toBe("win-rate");
    expect(kelly.fullKelly.toString()).toBe("0.25");
    expect(kelly.fraction.toString()).toBe("0.125");
    expect(kelly.clamped).toBe(false);
  });

  it("sizes from expected return and variance, clamped at maxKellyFraction", () => {
    const result = sizeByKelly({ ...spot, estimate: { expectedReturn: 0.002, variance: 0.0004 } });
    expect(sized(result).notional).toBe("10000");
    const kelly = stepOf(result, "kelly");
    expect(kelly).toMatchObject({ estimate: "moments", clamped: true });
    expect(kelly.fullKelly.toString()).toBe("5");
    expect(kelly.fraction.toString()).toBe("1");
  });

  it("skips a negative or zero edge with no-edge", () => {
    const negative = sizeByKelly({ ...spot, estimate: { winRate: 0.4, payoffRatio: 1 } });
    expect(negative).toMatchObject({ kind: "skip", reason: "no-edge", steps: [] });
    if (negative.kind === "skip") expect(negative.message).toContain("-0.2");
    expect(sizeByKelly({ ...spot, estimate: { winRate: 0.5, payoffRatio: 1 } })).toMatchObject({
      reason: "no-edge",
    });
    expect(sizeByKelly({ ...spot, estimate: { expectedReturn: -0.001, variance: 0.0004 } })).toMatchObject({
      reason: "no-edge",
    });
    expect(sizeByKelly({ ...spot, estimate: { expectedReturn: 0, variance: 0 } })).toMatchObject({
      reason: "no-edge",
    });
  });

  it("skips a zero variance with zero-volatility (not Infinity)", () => {
    expect(sizeByKelly({ ...spot, estimate: { expectedReturn: 0.001, variance: 0 } })).toMatchObject({
      kind: "skip",
      reason: "zero-volatility",
    });
  });

  it("rejects NaN estimates, naming the field", () => {
    expect(
      errorOf(() => sizeByKelly({ ...spot, estimate: { winRate: Number.NaN, payoffRatio: 1 } })).field,
    ).toBe("estimate.winRate");
    expect(
      errorOf(() => sizeByKelly({ ...spot, estimate: { expectedReturn: 0.1, variance: Number.NaN } })).field,
    ).toBe("estimate.variance");
    expect(
      errorOf(() =>
        sizePosition({
          ...spot,
          method: { kind: "kelly", estimate: { winRate: 0.5, payoffRatio: 1 }, kellyMultiplier: 2 },
        }),
      ),
    ).toMatchObject({ field: "method.kellyMultiplier", value: 2 });
  });
});

describe("fixed-fraction and fixed-notional sizing", () => {
  it("sizes equity × fraction", () => {
    expect(sized(sizeByFixedFraction({ ...spot, fraction: 0.1 }))).toMatchObject({
      quantity: "0.02",
      notional: "1000",
    });
  });

  it("sizes a fixed notional and rounds the quantity down onto the step", () => {
    const result = sizeByFixedNotional({ ...spot, price: "68923.67", notional: "1000" });
    expect(sized(result)).toMatchObject({ quantity: "0.0145088", notional: "999.999743296" });
    const q = stepOf(result, "quantize");
    expect(q.increment.toString()).toBe("0.00000001");
    expect(q.before.toString()).toBe("0.01450880372446795128582096687538548077895");
    expect(q.after.toString()).toBe("0.0145088");
  });

  it("rejects a zero or negative fraction or notional", () => {
    expect(errorOf(() => sizeByFixedFraction({ ...spot, fraction: 0 })).field).toBe("fraction");
    expect(errorOf(() => sizeByFixedNotional({ ...spot, notional: "-5" })).field).toBe("notional");
    expect(errorOf(() => sizeByFixedNotional({ ...spot, notional: "abc" })).field).toBe("notional");
  });
});

describe("volatility-target sizing", () => {
  it("ATR: quantity = equity × riskFraction / (atr × atrMultiple)", () => {
    const result = sizeByAtr({ ...spot, atr: 1000, atrMultiple: 2, riskFraction: 0.01 });
    expect(sized(result)).toMatchObject({ quantity: "0.05", notional: "2500" });
    const risk = stepOf(result, "risk");
    expect(risk.basis).toBe("atr");
    expect(risk.riskAmount.toString()).toBe("100");
    expect(risk.riskPerUnit.toString()).toBe("2000");
    expect(risk.baseQuantity.toString()).toBe("0.05");
  });

  it("ATR: the multiple defaults to 1", () => {
    expect(sized(sizeByAtr({ ...spot, atr: 1000, riskFraction: 0.01 })).quantity).toBe("0.1");
  });

  it("realized volatility: notional = equity × targetVol / realizedVol", () => {
    const result = sizeByRealizedVolatility({ ...spot, realizedVol: 0.8, targetVol: 0.2 });
    expect(sized(result)).toMatchObject({ quantity: "0.05", notional: "2500" });
    expect(stepOf(result, "volatility").leverage.toString()).toBe("0.25");
  });

  it("zero volatility skips with zero-volatility (not Infinity)", () => {
    expect(sizeByAtr({ ...spot, atr: 0, riskFraction: 0.01 })).toMatchObject({
      kind: "skip",
      reason: "zero-volatility",
    });
    expect(sizeByRealizedVolatility({ ...spot, realizedVol: 0, targetVol: 0.2 })).toMatchObject({
      kind: "skip",
      reason: "zero-volatility",
    });
  });

  it("rejects NaN and negative volatility", () => {
    expect(errorOf(() => sizeByAtr({ ...spot, atr: Number.NaN, riskFraction: 0.01 })).field).toBe("atr");
    expect(errorOf(() => sizeByAtr({ ...spot, atr: -1, riskFraction: 0.01 })).field).toBe("atr");
    expect(errorOf(() => sizeByAtr({ ...spot, atr: 10, riskFraction: 1.5 })).field).toBe("riskFraction");
    expect(errorOf(() => sizeByRealizedVolatility({ ...spot, realizedVol: 0.5, targetVol: 0 })).field).toBe(
      "targetVol",
    );
    expect(
      errorOf(() =>
        sizeByRealizedVolatility({ ...spot, realizedVol: Number.POSITIVE_INFINITY, targetVol: 0.1 }),
      ).field,
    ).toBe("realizedVol");
  });
});

describe("fixed-risk sizing", () => {
  it("quantity = equity × riskFraction / |entry − stop| without fees", () => {
    const result = sizeByFixedRisk({ ...spot, stop: "49000", riskFraction: 0.01 });
    expect(sized(result)).toMatchObject({ quantity: "0.1", notional: "5000" });
  });

  it("includes the entry and exit taker fees in the risk per unit", () => {
    const result = sizeByFixedRisk({ ...spot, instrument: BTC_USD, stop: "49000", riskFraction: 0.01 });
    // fee per unit = 0.006 × (50000 + 49000) = 594; risk per unit = 1000 + 594 = 1594.
    expect(sized(result).quantity).toBe("0.06273525");
    const risk = stepOf(result, "risk");
    expect(risk.feePerUnit.toString()).toBe("594");
    expect(risk.riskPerUnit.toString()).toBe("1594");
    // The loss at the stop, fees included, stays within the risk budget.
    const loss = D("0.06273525").times(1594);
    expect(loss.lte(100)).toBe(true);
  });

  it("takes an explicit fee rate and entry", () => {
    const result = sizeByFixedRisk({
      ...spot,
      entry: "50500",
      stop: "49500",
      riskFraction: 0.02,
      feeRate: 0,
    });
    expect(sized(result).quantity).toBe("0.2");
  });

  it("a stop at the entry skips with stop-at-entry", () => {
    expect(sizeByFixedRisk({ ...spot, stop: "50000", riskFraction: 0.01 })).toMatchObject({
      kind: "skip",
      reason: "stop-at-entry",
    });
    expect(
      sizeByFixedRisk({ ...spot, instrument: BTC_USD, entry: "48000", stop: 48000, riskFraction: 0.01 }),
    ).toMatchObject({ reason: "stop-at-entry" });
  });

  it("works for shorts (stop above the entry)", () => {
    const result = sizeByFixedRisk({ ...spot, side: "sell", stop: "51000", riskFraction: 0.01 });
    expect(sized(result).quantity).toBe("0.1");
  });

  it("rejects a stop on the wrong side of the entry for the side", () => {
    expect(
      errorOf(() => sizeByFixedRisk({ ...spot, side: "buy", stop: "51000", riskFraction: 0.01 })),
    ).toMatchObject({ code: "invalid-input", field: "stop", value: "51000" });
    expect(
      errorOf(() => sizeByFixedRisk({ ...spot, side: "sell", stop: "49000", riskFraction: 0.01 })).field,
    ).toBe("stop");
  });

  it("rejects NaN, zero and out-of-range inputs", () => {
    expect(errorOf(() => sizeByFixedRisk({ ...spot, stop: Number.NaN, riskFraction: 0.01 })).field).toBe(
      "stop",
    );
    expect(errorOf(() => sizeByFixedRisk({ ...spot, stop: "0", riskFraction: 0.01 })).field).toBe("stop");
    expect(errorOf(() => sizeByFixedRisk({ ...spot, stop: "49000", riskFraction: 0 })).field).toBe(
      "riskFraction",
    );
    expect(
      errorOf(() => sizeByFixedRisk({ ...spot, stop: "49000", riskFraction: 0.01, feeRate: 1 })).field,
    ).toBe("feeRate");
  });
});

describe("context edges", () => {
  const methods: readonly SizingMethod[] = [
    { kind: "kelly", estimate: { winRate: 0.6, payoffRatio: 1 } },
    { kind: "fixed-fraction", fraction: 0.5 },
    { kind: "fixed-notional", notional: "1000" },
    { kind: "atr", atr: 500, riskFraction: 0.01 },
    { kind: "realized-volatility", realizedVol: 0.5, targetVol: 0.2 },
    { kind: "fixed-risk", stop: "49000", riskFraction: 0.01 },
  ];

  it("zero equity skips every method with zero-equity", () => {
    for (const method of methods) {
      expect(sizePosition({ ...spot, equity: "0", method })).toMatchObject({
        kind: "skip",
        reason: "zero-equity",
        steps: [],
      });
    }
  });

  it("negative, NaN or malformed equity and price are typed errors", () => {
    const method = methods[1] as SizingMethod;
    expect(errorOf(() => sizePosition({ ...spot, equity: "-1", method }))).toMatchObject({
      name: "SizingError",
      code: "invalid-input",
      field: "equity",
      value: "-1",
    });
    const nan = errorOf(() => sizePosition({ ...spot, equity: D(Number.NaN), method }));
    expect(nan.field).toBe("equity");
    expect(nan.cause).toBeInstanceOf(Error);
    expect(errorOf(() => sizePosition({ ...spot, equity: "1e", method })).field).toBe("equity");
    expect(errorOf(() => sizePosition({ ...spot, price: "0", method })).field).toBe("price");
    expect(errorOf(() => sizePosition({ ...spot, price: "NaN", method })).field).toBe("price");
  });

  it("validates every input before skipping (a bad input with zero equity still throws)", () => {
    expect(
      errorOf(() =>
        sizePosition({
          ...spot,
          equity: "0",
          confidence: Number.NaN,
          method: { kind: "fixed-fraction", fraction: 1 },
        }),
      ).field,
    ).toBe("confidence");
  });

  it("rejects an unknown method kind and a non-object input", () => {
    const bogus = JSON.parse('{"kind":"martingale"}') as SizingMethod;
    expect(errorOf(() => sizePosition({ ...spot, method: bogus }))).toMatchObject({
      field: "method.kind",
      value: "martingale",
    });
    expect(errorOf(() => sizePosition(null as unknown as SizePositionInput)).field).toBe("input");
  });

  it("rejects a hand-built instrument with a bad size step", () => {
    const broken = { ...BTC_USD, sizeIncrement: D(0) } as Instrument;
    expect(errorOf(() => sizeByFixedFraction({ ...spot, instrument: broken, fraction: 0.1 })).field).toBe(
      "instrument.sizeIncrement",
    );
  });

  it("does not mutate its inputs", () => {
    const input: SizePositionInput = Object.freeze({
      ...spot,
      caps: Object.freeze({ maxNotional: "3000", maxLeverage: 2 }),
      confidenceCurve: Object.freeze({ kind: "smoothstep" as const }),
      confidence: 0.9,
      method: Object.freeze({
        kind: "kelly" as const,
        estimate: Object.freeze({ winRate: 0.6, payoffRatio: 2 }),
      }),
    });
    const snapshot = JSON.stringify(input);
    const first = sized(sizePosition(input));
    expect(JSON.stringify(input)).toBe(snapshot);
    expect(sized(sizePosition(input))).toEqual(first);
  });

  it("is not affected by global decimal.js settings", () => {
    const input: SizePositionInput = {
      ...spot,
      price: "68923.67",
      method: { kind: "fixed-risk", stop: "67011.13", riskFraction: 0.0137 },
      confidence: 0.77,
      confidenceCurve: { kind: "power", exponent: 1.5 },
    };
    const before = sized(sizePosition(input));
    const saved = { precision: GlobalDecimal.precision, rounding: GlobalDecimal.rounding };
    GlobalDecimal.set({ precision: 5, rounding: GlobalDecimal.ROUND_UP });
    try {
      expect(sized(sizePosition(input))).toEqual(before);
    } finally {
      GlobalDecimal.set(saved);
    }
  });
});

describe("confidence and regime", () => {
  const base = { ...spot, method: { kind: "fixed-notional", notional: "2000" } } as const;

  it("confidence scales the notional", () => {
    const result = sizePosition({ ...base, confidence: 0.5 });
    expect(sized(result).notional).toBe("1000");
    const step = stepOf(result, "confidence");
    expect(step).toMatchObject({ confidence: 0.5, curve: "linear" });
    expect(step.after.toString()).toBe("1000");
  });

  it("confidence 1 keeps the size; confidence 0 skips with zero-confidence", () => {
    expect(sized(sizePosition({ ...base, confidence: 1 })).notional).toBe("2000");
    expect(sizePosition({ ...base, confidence: 0 })).toMatchObject({
      kind: "skip",
      reason: "zero-confidence",
    });
  });

  it("a confidence in the dead zone skips and says so", () => {
    const result = sizePosition({
      ...base,
      confidence: 0.3,
      confidenceCurve: { kind: "smoothstep", minConfidence: 0.4 },
    });
    expect(result).toMatchObject({ kind: "skip", reason: "zero-confidence" });
    if (result.kind === "skip") expect(result.message).toContain("dead zone");
  });

  it("the smoothstep curve shapes the size", () => {
    const result = sizePosition({ ...base, confidence: 0.75, confidenceCurve: { kind: "smoothstep" } });
    expect(sized(result).notional).toBe("1687.5");
  });

  it("Kelly × confidence × regime multiply", () => {
    const result = sizePosition({
      ...spot,
      method: { kind: "kelly", estimate: { winRate: 0.55, payoffRatio: 1.5 }, kellyMultiplier: 0.5 },
      confidence: 0.8,
      regimeMultiplier: 0.5,
    });
    expect(sized(result)).toMatchObject({ quantity: "0.01", notional: "500" });
    expect(stages(result)).toEqual(["kelly", "target", "confidence", "regime", "quantize"]);
  });

  it("a zero regime multiplier skips with regime-blocked; above 1 scales up", () => {
    expect(sizePosition({ ...base, regimeMultiplier: 0 })).toMatchObject({
      kind: "skip",
      reason: "regime-blocked",
    });
    expect(sized(sizePosition({ ...base, regimeMultiplier: 1.5 })).notional).toBe("3000");
  });

  it("rejects NaN and negative multipliers", () => {
    expect(errorOf(() => sizePosition({ ...base, regimeMultiplier: Number.NaN })).field).toBe(
      "regimeMultiplier",
    );
    expect(errorOf(() => sizePosition({ ...base, regimeMultiplier: -0.5 })).field).toBe("regimeMultiplier");
    expect(errorOf(() => sizePosition({ ...base, confidence: 2 })).field).toBe("confidence");
  });
});

describe("caps, one at a time", () => {
  // A perp at 50000 with 0.01 BTC contracts: 500 USD per contract; fraction 2 asks for 20000 (40 contracts).
  const ask = { ...perp, method: { kind: "fixed-fraction", fraction: 2 } } as const;

  function capStep(result: SizingResult): { cap: string; limit: string } {
    const step = stepOf(result, "cap");
    return { cap: step.cap, limit: step.limit.toString() };
  }

  it("no cap binds: 40 contracts", () => {
    const result = sizePosition(ask);
    expect(sized(result)).toEqual({ quantity: "40", notional: "20000", margin: "2000" });
    expect(result.steps.some((s) => s.stage === "cap")).toBe(false);
  });

  it("maxNotional", () => {
    const result = sizePosition({ ...ask, caps: { maxNotional: "15000" } });
    expect(sized(result).quantity).toBe("30");
    expect(capStep(result)).toEqual({ cap: "maxNotional", limit: "15000" });
  });

  it("maxLeverage (equity × maxLeverage)", () => {
    const result = sizePosition({ ...ask, caps: { maxLeverage: 1.5 } });
    expect(sized(result)).toMatchObject({ quantity: "30", margin: "10000" });
    expect(capStep(result)).toEqual({ cap: "maxLeverage", limit: "15000" });
  });

  it("the instrument's max leverage", () => {
    const result = sizePosition({ ...ask, method: { kind: "fixed-fraction", fraction: 12 } });
    expect(sized(result).quantity).toBe("200");
    expect(capStep(result)).toEqual({ cap: "instrumentMaxLeverage", limit: "100000" });
  });

  it("spot cannot be levered: notional ≤ equity", () => {
    const result = sizePosition({ ...spot, method: { kind: "fixed-fraction", fraction: 1.5 } });
    expect(sized(result).notional).toBe("10000");
    expect(capStep(result)).toEqual({ cap: "instrumentMaxLeverage", limit: "10000" });
  });

  it("available margin at the initial margin fraction", () => {
    const result = sizePosition({ ...ask, caps: { availableMargin: "1000" } });
    expect(sized(result)).toEqual({ quantity: "20", notional: "10000", margin: "1000" });
    expect(capStep(result)).toEqual({ cap: "availableMargin", limit: "10000" });
  });

  it("available margin at the configured leverage when that is stricter", () => {
    const result = sizePosition({ ...ask, caps: { availableMargin: "1000", maxLeverage: 5 } });
    expect(sized(result)).toEqual({ quantity: "10", notional: "5000", margin: "1000" });
    expect(capStep(result)).toEqual({ cap: "availableMargin", limit: "5000" });
  });

  it("available margin on spot is cash", () => {
    const result = sizePosition({
      ...spot,
      method: { kind: "fixed-notional", notional: "5000" },
      caps: { availableMargin: "1234.5" },
    });
    expect(sized(result)).toMatchObject({ quantity: "0.02469", notional: "1234.5" });
  });

  it("no available margin skips with no-margin", () => {
    expect(sizePosition({ ...ask, caps: { availableMargin: "0" } })).toMatchObject({
      kind: "skip",
      reason: "no-margin",
    });
    expect(sizePosition({ ...ask, caps: { availableMargin: "-25" } })).toMatchObject({ reason: "no-margin" });
  });

  it("the instrument's max size", () => {
    const result = sizePosition({
      ...ask,
      equity: "1000000",
      method: { kind: "fixed-fraction", fraction: 5 },
    });
    expect(sized(result).quantity).toBe("5000");
    expect(capStep(result)).toEqual({ cap: "instrumentMaxSize", limit: "2500000" });
  });

  it("the instrument's max notional", () => {
    const result = sizePosition({
      ...spot,
      instrument: BTC_USD,
      equity: "200000000",
      method: { kind: "fixed-fraction", fraction: 1 },
    });
    expect(sized(result)).toMatchObject({ quantity: "3000", notional: "150000000" });
    expect(capStep(result)).toEqual({ cap: "instrumentMaxNotional", limit: "150000000" });
  });

  it("several caps: each binding one is recorded in order", () => {
    const result = sizePosition({
      ...ask,
      caps: { maxNotional: "18000", maxLeverage: 1.6, availableMargin: "9600" },
    });
    expect(stages(result)).toEqual([
      "target",
      "cap:maxNotional",
      "cap:maxLeverage",
      "cap:availableMargin",
      "quantize",
    ]);
    expect(sized(result).quantity).toBe("30");
  });

  it("rejects non-positive caps", () => {
    expect(errorOf(() => sizePosition({ ...ask, caps: { maxLeverage: 0 } })).field).toBe("caps.maxLeverage");
    expect(errorOf(() => sizePosition({ ...ask, caps: { maxNotional: "0" } })).field).toBe(
      "caps.maxNotional",
    );
    expect(errorOf(() => sizePosition({ ...ask, caps: { availableMargin: "x" } })).field).toBe(
      "caps.availableMargin",
    );
  });
});

describe("minimums", () => {
  it("a quantity that rounds to zero skips with below-minimum", () => {
    const result = sizePosition({
      ...perp,
      equity: "1000",
      method: { kind: "fixed-fraction", fraction: 0.1 },
    });
    expect(result).toMatchObject({ kind: "skip", reason: "below-minimum" });
    if (result.kind === "skip") expect(result.message).toContain("below the minimum size 1");
    expect(stepOf(result, "quantize").before.toString()).toBe("0.2");
  });

  it("a notional below minNotional skips with below-minimum", () => {
    const result = sizeByFixedNotional({ ...spot, notional: "0.5" });
    expect(result).toMatchObject({ kind: "skip", reason: "below-minimum" });
    if (result.kind === "skip") expect(result.message).toContain("minimum notional 1");
  });

  it("a quantity below minSize skips with below-minimum", () => {
    const coarse = createSpotInstrument({
      symbol: "ETH-USD",
      venue: "COINBASE",
      baseCurrency: "ETH",
      quoteCurrency: "USD",
      priceIncrement: "0.01",
      sizeIncrement: "0.0001",
      minSize: "0.001",
      maxSize: "10000",
      makerFee: "0",
      takerFee: "0",
    });
    const below = sizeByFixedNotional({
      equity: "10000",
      price: "50000",
      instrument: coarse,
      notional: "40",
    });
    expect(below).toMatchObject({ kind: "skip", reason: "below-minimum" });
    expect(
      sized(sizeByFixedNotional({ equity: "10000", price: "50000", instrument: coarse, notional: "50" }))
        .quantity,
    ).toBe("0.001");
  });

  it("exactly the minimum is sized", () => {
    expect(sized(sizeByFixedNotional({ ...spot, price: "1", notional: "1" }))).toMatchObject({
      quantity: "1",
      notional: "1",
    });
  });
});

describe("results", () => {
  it("quantities and notionals are Decimals of the package constructor", () => {
    const result = sizeByFixedFraction({ ...perp, fraction: 1 });
    if (result.kind !== "sized") throw new Error("expected sized");
    const values: Decimal[] = [result.quantity, result.notional, result.margin];
    for (const v of values) expect(v).toBeInstanceOf(D);
  });
});
