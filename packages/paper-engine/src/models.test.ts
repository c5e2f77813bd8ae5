import { D } from "@gpt/quantize";
import { describe, expect, it } from "vitest";
import { PaperEngineError } from "./errors.js";
import {
  COINBASE_PERPS_FEE_TIERS,
  COINBASE_SPOT_FEE_TIERS,
  coinbasePerpsFeeModel,
  coinbaseSpotFeeModel,
  createFeeTiers,
  type FeeContext,
  fixedRateFeeModel,
  instrumentFeeModel,
  tieredFeeModel,
} from "./fees.js";
import { fixedLatency, noLatency, randomLatency } from "./latency.js";
import { fixedBpsSlippage, noSlippage, randomBpsSlippage, volatilitySlippage } from "./slippage.js";
import { PERP, SPOT } from "./testing/fixtures.js";

const DAY = 86_400_000;

function ctx(
  notional: string,
  liquiditySide: "maker" | "taker",
  tsEvent = 0,
  instrument = SPOT as FeeContext["instrument"],
) {
  const qty = D(1);
  return {
    instrument,
    side: "buy",
    quantity: qty,
    price: D(notional),
    notional: D(notional),
    liquiditySide,
    tsEvent,
  } as const;
}

describe("fee models", () => {
  it("instrument model uses the instrument's maker and taker fractions", () => {
    const m = instrumentFeeModel();
    expect(m.commission(ctx("1000", "maker")).toString()).toBe("4");
    expect(m.commission(ctx("1000", "taker")).toString()).toBe("6");
  });

  it("fixed rates allow maker rebates and a per-contract fee on derivatives only", () => {
    const m = fixedRateFeeModel({ makerRate: "-0.0001", takerRate: "0.0005", perContractFee: "0.2" });
    expect(m.commission(ctx("1000", "maker")).toString()).toBe("-0.1");
    expect(m.commission({ ...ctx("1000", "taker", 0, PERP), quantity: D(3) }).toString()).toBe("1.1");
    expect(() => fixedRateFeeModel({ makerRate: "0", takerRate: "-0.1" })).toThrow(PaperEngineError);
    expect(() => fixedRateFeeModel({ makerRate: "2", takerRate: "0" })).toThrow(PaperEngineError);
  });

  it("Coinbase spot preset: the tier follows the 30-day volume", () => {
    expect(COINBASE_SPOT_FEE_TIERS).toHaveLength(9);
    const low = coinbaseSpotFeeModel();
    expect(low.commission(ctx("1000", "taker")).toString()).toBe("6");
    expect(low.currentTier().name).toBe("$0-10K");
    const mid = coinbaseSpotFeeModel({ thirtyDayVolume: "150000" });
    expect(mid.currentTier().name).toBe("$100K-1M");
    expect(mid.commission(ctx("1000", "maker")).toString()).toBe("1");
    const top = coinbaseSpotFeeModel({ thirtyDayVolume: "500000000" });
    expect(top.commission(ctx("1000", "maker")).toString()).toBe("0");
  });

  it("tracks rolling 30-day volume in daily buckets when asked", () => {
    const m = tieredFeeModel({ tiers: COINBASE_SPOT_FEE_TIERS, trackVolume: true });
    m.recordFill?.(ctx("9000", "taker", 0));
    expect(m.currentTier().name).toBe("$0-10K");
    m.recordFill?.(ctx("2000", "taker", 5 * DAY));
    // 11,000 traded: the next fill is charged at the $10K-50K tier.
    expect(m.commission(ctx("1000", "taker", 6 * DAY)).toString()).toBe("4");
    // 30 days after the first fill, it leaves the window.
    expect(m.commission(ctx("1000", "taker", 30 * DAY)).toString()).toBe("6");
    expect(m.thirtyDayVolume().toString()).toBe("2000");
  });

  it("perps preset has the documented default tier and accepts a custom table", () => {
    expect(COINBASE_PERPS_FEE_TIERS[0]?.takerRate.toString()).toBe("0.0006");
    const custom = coinbasePerpsFeeModel({
      tiers: [
        { name: "a", minVolume: "0", makerRate: "0.0002", takerRate: "0.0004" },
        { name: "b", minVolume: "1000000", makerRate: "0", takerRate: "0.0003" },
      ],
      thirtyDayVolume: "2000000",
      perContractFee: "0.15",
    });
    expect(custom.commission({ ...ctx("10000", "taker", 0, PERP), quantity: D(2) }).toString()).toBe("3.3");
  });

  it("validates fee tables", () => {
    expect(() => createFeeTiers([])).toThrow(/at least one/);
    expect(() => createFeeTiers([{ name: "x", minVolume: "5", makerRate: "0", takerRate: "0" }])).toThrow(
      /start at volume 0/,
    );
    expect(() =>
      createFeeTiers([
        { name: "x", minVolume: "0", makerRate: "0", takerRate: "0" },
        { name: "y", minVolume: "0", makerRate: "0", takerRate: "0" },
      ]),
    ).toThrow(/must increase/);
  });
});

describe("slippage models", () => {
  const base = { instrument: SPOT, price: 100, quantity: 1, volatility: 0.02 } as const;
  it("moves the price against the order", () => {
    expect(noSlippage().slippedPrice({ ...base, side: "buy" })).toBe(100);
    expect(fixedBpsSlippage(50).slippedPrice({ ...base, side: "buy" })).toBeCloseTo(100.5, 10);
    expect(fixedBpsSlippage(50).slippedPrice({ ...base, side: "sell" })).toBeCloseTo(99.5, 10);
  });

  it("scales with volatility within bounds", () => {
    const m = volatilitySlippage({ multiplier: 0.1, minBps: 1, maxBps: 10 });
    expect(m.slippedPrice({ ...base, side: "buy" })).toBeCloseTo(100.1, 10); // 0.1 × 2 % = 20 bps → cap 10
    expect(m.slippedPrice({ ...base, side: "buy", volatility: 0.0005 })).toBeCloseTo(100.01, 10); // 0.5 bp → floor 1
    expect(() => volatilitySlippage({ multiplier: 1, minBps: 5, maxBps: 1 })).toThrow(PaperEngineError);
  });

  it("random slippage is reproducible for a seed and never favourable", () => {
    const a = randomBpsSlippage({ maxBps: 20, seed: 7 });
    const b = randomBpsSlippage({ maxBps: 20, seed: 7 });
    for (let i = 0; i < 100; i++) {
      const pa = a.slippedPrice({ ...base, side: "sell" });
      expect(pa).toBe(b.slippedPrice({ ...base, side: "sell" }));
      expect(pa).toBeLessThanOrEqual(100);
      expect(pa).toBeGreaterThanOrEqual(99.8);
    }
    expect(() => fixedBpsSlippage(-1)).toThrow(PaperEngineError);
  });
});

describe("latency models", () => {
  it("fixed, none and seeded random delays", () => {
    expect(noLatency().submitDelayMs()).toBe(0);
    const f = fixedLatency({ submitMs: 50, cancelMs: 20 });
    expect([f.submitDelayMs(), f.cancelDelayMs(), f.modifyDelayMs()]).toEqual([50, 20, 20]);
    const r1 = randomLatency({ minMs: 10, maxMs: 30, seed: 1 });
    const r2 = randomLatency({ minMs: 10, maxMs: 30, seed: 1 });
    for (let i = 0; i < 50; i++) {
      const v = r1.submitDelayMs();
      expect(v).toBe(r2.submitDelayMs());
      expect(Number.isInteger(v) && v >= 10 && v <= 30).toBe(true);
    }
    expect(() => fixedLatency({ submitMs: -1 })).toThrow(PaperEngineError);
    expect(() => randomLatency({ minMs: 5, maxMs: 1, seed: 0 })).toThrow(PaperEngineError);
  });
});
