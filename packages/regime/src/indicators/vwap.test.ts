import { describe, expect, it } from "vitest";
import { RegimeError } from "../errors.js";
import { Vwap } from "./vwap.js";

const bar = (tp: number, volume: number, tsEvent?: number) => ({
  high: tp + 1,
  low: tp - 1,
  close: tp,
  volume,
  ...(tsEvent === undefined ? {} : { tsEvent }),
});

describe("Vwap", () => {
  it("weights the typical price by volume, cumulatively", () => {
    const vwap = new Vwap();
    expect(vwap.update(bar(10, 1))).toBe(10);
    expect(vwap.update(bar(20, 3))).toBe(17.5);
    expect(vwap.update(bar(99, 0))).toBe(17.5); // zero volume changes nothing
  });

  it("stays undefined until a bar with volume", () => {
    const vwap = new Vwap();
    expect(vwap.update(bar(10, 0))).toBeUndefined();
    expect(vwap.isReady).toBe(false);
    expect(vwap.update(bar(12, 2))).toBe(12);
  });

  it("rolls over a window of bars", () => {
    const vwap = new Vwap({ window: 2 });
    vwap.update(bar(10, 1));
    vwap.update(bar(20, 1));
    expect(vwap.update(bar(40, 3))).toBe((20 + 120) / 4);
    expect(vwap.update(bar(0, 0))).toBe(40);
    expect(vwap.update(bar(0, 0))).toBe(40); // an all-zero window keeps the last value
  });

  it("restarts at session boundaries", () => {
    const vwap = new Vwap({ sessionLength: 100 });
    vwap.update(bar(10, 1, 0));
    expect(vwap.update(bar(20, 1, 99))).toBe(15);
    expect(vwap.update(bar(30, 0, 100))).toBeUndefined();
    expect(vwap.isReady).toBe(false);
    expect(vwap.update(bar(40, 2, 150))).toBe(40);
    expect(() => vwap.update(bar(1, 1))).toThrowError(RegimeError);
  });

  it("rejects window together with sessionLength", () => {
    expect(() => new Vwap({ window: 5, sessionLength: 10 })).toThrowError(
      expect.objectContaining({ code: "invalid-parameter", field: "sessionLength" }),
    );
  });

  it("keeps full precision over a long cumulative stream (compensated sums)", () => {
    const vwap = new Vwap();
    vwap.update(bar(1, 1e16));
    for (let i = 0; i < 100_000; i++) vwap.update(bar(3, 1));
    // Exact: (1e16 + 3e5) / (1e16 + 1e5). A plain running sum loses every +1 of volume (ulp 2 at 1e16)
    // and is off by about 2e-11 relative.
    const exact = 1 + 2e5 / (1e16 + 1e5);
    expect(Math.abs((vwap.value as number) - exact) / exact).toBeLessThan(1e-15);
  });
});
