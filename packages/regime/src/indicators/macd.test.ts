import { describe, expect, it } from "vitest";
import { seededNormal } from "../testing/series.js";
import { Ema } from "./ema.js";
import { Macd } from "./macd.js";

describe("Macd", () => {
  it("is EMA(fast) - EMA(slow) with an EMA signal started at the slow EMA's first value", () => {
    const normal = seededNormal(2);
    const macd = new Macd({ fastPeriod: 3, slowPeriod: 5, signalPeriod: 4 });
    const fast = new Ema({ period: 3 });
    const slow = new Ema({ period: 5 });
    const signal = new Ema({ period: 4 });
    expect(macd.warmUpPeriod).toBe(8);
    let price = 100;
    for (let i = 0; i < 100; i++) {
      price += normal();
      const v = macd.update(price);
      const f = fast.update(price);
      const s = slow.update(price);
      const sig = f !== undefined && s !== undefined ? signal.update(f - s) : undefined;
      if (i < 7) expect(v).toBeUndefined();
      else {
        expect(v?.macd).toBe((f as number) - (s as number));
        expect(v?.signal).toBe(sig);
        expect(v?.histogram).toBe((v?.macd as number) - (v?.signal as number));
      }
    }
  });

  it("is zero on a constant series and rejects fast >= slow", () => {
    const macd = new Macd();
    for (let i = 0; i < 100; i++) macd.update(7);
    expect(macd.value).toEqual({ macd: 0, signal: 0, histogram: 0 });
    expect(() => new Macd({ fastPeriod: 26, slowPeriod: 12 })).toThrowError(
      expect.objectContaining({ code: "invalid-parameter", field: "fastPeriod" }),
    );
  });
});
