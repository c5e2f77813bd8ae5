import { D } from "@gpt/quantize";
import { describe, expect, it } from "vitest";
import { parseSizingConfig, type SizingConfig, sizeWithConfig } from "./config.js";
import { SizingError } from "./errors.js";
import { BIP_PERP, BTC_USD_NO_FEES } from "./testing/instruments.js";

function errorOf(fn: () => unknown): SizingError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SizingError) return err;
    throw err;
  }
  throw new Error("expected a SizingError");
}

const market = { equity: "10000", price: "50000", instrument: BTC_USD_NO_FEES } as const;

describe("parseSizingConfig", () => {
  it("applies the documented defaults", () => {
    const config = parseSizingConfig({ method: { kind: "kelly", estimate: "win-rate" } });
    expect(config).toEqual({
      method: { kind: "kelly", estimate: "win-rate", kellyMultiplier: 0.25, maxKellyFraction: 1 },
      confidenceCurve: { kind: "linear" },
      caps: {},
    });
    expect(parseSizingConfig({ method: { kind: "atr", riskFraction: 0.01 } }).method).toEqual({
      kind: "atr",
      riskFraction: 0.01,
      atrMultiple: 1,
    });
  });

  it("parses money to Decimals from strings, numbers or Decimals", () => {
    const config = parseSizingConfig({
      method: { kind: "fixed-notional", notional: "2500.50" },
      caps: { maxNotional: 10000, maxLeverage: 3 },
    });
    if (config.method.kind !== "fixed-notional") throw new Error("wrong kind");
    expect(config.method.notional.toString()).toBe("2500.5");
    expect(config.caps.maxNotional?.toString()).toBe("10000");
    const fromDecimal = parseSizingConfig({ method: { kind: "fixed-notional", notional: D("7") } });
    if (fromDecimal.method.kind !== "fixed-notional") throw new Error("wrong kind");
    expect(fromDecimal.method.notional.toString()).toBe("7");
  });

  it("names the field and the value of an out-of-range number", () => {
    const err = errorOf(() =>
      parseSizingConfig({ method: { kind: "kelly", estimate: "win-rate", kellyMultiplier: 2 } }),
    );
    expect(err).toMatchObject({
      name: "SizingError",
      code: "invalid-config",
      field: "method.kellyMultiplier",
      value: 2,
    });
    expect(err.message).toMatch(/^invalid sizing config: method\.kellyMultiplier: .* \(got 2\)$/);
  });

  it("rejects NaN, unknown keys, unknown methods and bad money, listing every issue", () => {
    const err = errorOf(() =>
      parseSizingConfig({
        method: { kind: "fixed-risk", riskFraction: Number.NaN },
        caps: { maxLeverage: -1, maxNotional: "lots" },
        extra: true,
      }),
    );
    const fields = err.issues.map((i) => i.field).sort();
    expect(fields).toEqual(["", "caps.maxLeverage", "caps.maxNotional", "method.riskFraction"]);
    const money = err.issues.find((i) => i.field === "caps.maxNotional");
    expect(money).toMatchObject({ value: "lots", message: "must be a decimal greater than zero" });
    expect(err.message).toContain(
      "caps.maxNotional: must be a decimal greater than zero (got a 4-character string)",
    );

    const unknown = errorOf(() => parseSizingConfig({ method: { kind: "martingale" } }));
    expect(unknown.field).toBe("method.kind");
    expect(
      errorOf(() => parseSizingConfig({ method: { kind: "atr", riskFraction: 0.01, atr: 5 } })).field,
    ).toBe("method");
    expect(errorOf(() => parseSizingConfig(null)).code).toBe("invalid-config");
    expect(
      errorOf(() => parseSizingConfig({ method: { kind: "fixed-notional", notional: "0" } })).field,
    ).toBe("method.notional");
  });

  it("validates the confidence curve", () => {
    expect(
      errorOf(() =>
        parseSizingConfig({
          method: { kind: "fixed-fraction", fraction: 0.1 },
          confidenceCurve: { kind: "power", exponent: 0 },
        }),
      ).field,
    ).toBe("confidenceCurve.exponent");
    expect(
      errorOf(() =>
        parseSizingConfig({
          method: { kind: "fixed-fraction", fraction: 0.1 },
          confidenceCurve: { kind: "smoothstep", minConfidence: 1 },
        }),
      ).field,
    ).toBe("confidenceCurve.minConfidence");
  });
});

describe("sizeWithConfig", () => {
  it("sizes with the configured method, curve and caps", () => {
    const config = parseSizingConfig({
      method: { kind: "kelly", estimate: "win-rate", kellyMultiplier: 0.5 },
      confidenceCurve: { kind: "smoothstep", minConfidence: 0.5 },
      caps: { maxNotional: "2000" },
    });
    const result = sizeWithConfig(config, { ...market, winRate: 0.55, payoffRatio: 1.5, confidence: 0.75 });
    // 10000 × 0.125 = 1250; smoothstep(0.5) = 0.5 → 625.
    expect(result).toMatchObject({ kind: "sized" });
    if (result.kind === "sized") expect(result.notional.toString()).toBe("625");
  });

  it("takes the available margin from the observations", () => {
    const config = parseSizingConfig({
      method: { kind: "fixed-fraction", fraction: 2 },
      caps: { maxLeverage: 5 },
    });
    const result = sizeWithConfig(config, {
      equity: "10000",
      price: "50000",
      instrument: BIP_PERP,
      availableMargin: "1000",
    });
    if (result.kind !== "sized") throw new Error("expected sized");
    expect(result.quantity.toString()).toBe("10");
  });

  it("covers every method", () => {
    const cases: [unknown, Record<string, unknown>, string][] = [
      [{ kind: "kelly", estimate: "moments" }, { expectedReturn: 0.001, variance: 0.001 }, "0.05"],
      [{ kind: "fixed-fraction", fraction: 0.5 }, {}, "0.1"],
      [{ kind: "fixed-notional", notional: "500" }, {}, "0.01"],
      [{ kind: "atr", riskFraction: 0.01, atrMultiple: 2 }, { atr: 1000 }, "0.05"],
      [{ kind: "realized-volatility", targetVol: 0.1 }, { realizedVol: 0.5 }, "0.04"],
      [{ kind: "fixed-risk", riskFraction: 0.01, feeRate: 0 }, { stop: "49000", side: "buy" }, "0.1"],
    ];
    for (const [method, observations, quantity] of cases) {
      const config: SizingConfig = parseSizingConfig({ method });
      const result = sizeWithConfig(config, { ...market, ...observations });
      if (result.kind !== "sized") throw new Error(`expected sized for ${JSON.stringify(method)}`);
      expect(result.quantity.toString()).toBe(quantity);
    }
  });

  it("names a missing observation", () => {
    const atr = parseSizingConfig({ method: { kind: "atr", riskFraction: 0.01 } });
    expect(errorOf(() => sizeWithConfig(atr, market))).toMatchObject({ code: "missing-input", field: "atr" });
    const kelly = parseSizingConfig({ method: { kind: "kelly", estimate: "win-rate" } });
    expect(errorOf(() => sizeWithConfig(kelly, { ...market, winRate: 0.6 })).field).toBe("payoffRatio");
    const risk = parseSizingConfig({ method: { kind: "fixed-risk", riskFraction: 0.01 } });
    expect(errorOf(() => sizeWithConfig(risk, market)).message).toBe(
      'stop: required by the configured method "fixed-risk" (got undefined)',
    );
  });

  it("rejects malformed observations with invalid-input", () => {
    const config = parseSizingConfig({ method: { kind: "realized-volatility", targetVol: 0.1 } });
    expect(errorOf(() => sizeWithConfig(config, { ...market, realizedVol: Number.NaN }))).toMatchObject({
      code: "invalid-input",
      field: "realizedVol",
    });
  });
});
