import { describe, expect, it } from "vitest";
import { Ema, WilderAverage } from "./ema.js";

describe("Ema", () => {
  it("seed sma: first value is the mean of the first period inputs, then alpha = 2/(n+1)", () => {
    const ema = new Ema({ period: 3 });
    expect(ema.alpha).toBe(0.5);
    const out = [2, 4, 6, 8, 4].map((x) => ema.update(x));
    // seed = (2+4+6)/3 = 4; then 4 + 0.5*(8-4) = 6; 6 + 0.5*(4-6) = 5
    expect(out).toEqual([undefined, undefined, 4, 6, 5]);
  });

  it("seed first: recursion starts at the first input but stays hidden for period - 1 updates", () => {
    const ema = new Ema({ period: 3, seed: "first" });
    const out = [2, 4, 6, 8].map((x) => ema.update(x));
    // 2 -> 3 -> 4.5 -> 6.25
    expect(out).toEqual([undefined, undefined, 4.5, 6.25]);
  });

  it("accepts an explicit alpha and rejects one outside (0, 1]", () => {
    const ema = new Ema({ period: 2, alpha: 0.25 });
    ema.update(0);
    expect(ema.update(4)).toBe(2);
    expect(ema.update(10)).toBe(4);
    expect(() => new Ema({ period: 2, alpha: 0 })).toThrowError(expect.objectContaining({ field: "alpha" }));
    expect(() => new Ema({ period: 2, alpha: 1.5 })).toThrowError(
      expect.objectContaining({ field: "alpha" }),
    );
  });

  it("is exact on a constant series", () => {
    const ema = new Ema({ period: 20 });
    let v: number | undefined;
    for (let i = 0; i < 500; i++) v = ema.update(3.25);
    expect(v).toBe(3.25);
  });
});

describe("WilderAverage", () => {
  it("seeds with the mean, then moves 1/period of the way", () => {
    const w = new WilderAverage({ period: 4 });
    const out = [1, 2, 3, 6, 9].map((x) => w.update(x));
    // seed 3; 3 + (9-3)/4 = 4.5
    expect(out).toEqual([undefined, undefined, undefined, 3, 4.5]);
  });
});
