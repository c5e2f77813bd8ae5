import { describe, expect, it } from "vitest";
import { Rsi } from "./rsi.js";

describe("Rsi", () => {
  it("matches a hand computation with Wilder smoothing", () => {
    const rsi = new Rsi({ period: 3 });
    // changes: +2, -1, +3 -> avgGain 5/3, avgLoss 1/3 -> RS 5 -> RSI 100 - 100/6
    const out = [10, 12, 11, 14].map((x) => rsi.update(x));
    expect(out.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(out[3]).toBeCloseTo(100 - 100 / 6, 12);
    // next change -2: avgGain = 5/3 + (0 - 5/3)/3 = 10/9; avgLoss = 1/3 + (2 - 1/3)/3 = 8/9 -> RS 1.25
    expect(rsi.update(12)).toBeCloseTo(100 - 100 / 2.25, 12);
    expect(rsi.warmUpPeriod).toBe(4);
  });

  it("reads 100 on a rising series, 0 on a falling one, 50 on a flat one", () => {
    const up = new Rsi({ period: 5 });
    const down = new Rsi({ period: 5 });
    const flat = new Rsi({ period: 5 });
    let u: number | undefined;
    let d: number | undefined;
    let f: number | undefined;
    for (let i = 0; i < 30; i++) {
      u = up.update(100 + i);
      d = down.update(100 - i);
      f = flat.update(100);
    }
    expect(u).toBe(100);
    expect(d).toBe(0);
    expect(f).toBe(50);
  });
});
