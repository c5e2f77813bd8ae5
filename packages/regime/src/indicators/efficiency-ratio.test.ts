import { describe, expect, it } from "vitest";
import { syntheticBars } from "../testing/series.js";
import { EfficiencyRatio, RangeEfficiencyRatio } from "./efficiency-ratio.js";

describe("EfficiencyRatio (Kaufman)", () => {
  it("is |net change| / path length over period changes (hand-checked)", () => {
    const er = new EfficiencyRatio({ period: 3 });
    const out = [10, 12, 11, 14, 13].map((x) => er.update(x));
    expect(out.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(out[3]).toBeCloseTo(4 / 6, 14); // 10 -> 14 via 2 + 1 + 3
    expect(out[4]).toBeCloseTo(1 / 5, 14); // 12 -> 13 via 1 + 3 + 1
    expect(er.netChange).toBe(1);
  });

  it("is 1 on a straight line, 0 on a flat series, small on a zigzag", () => {
    const line = new EfficiencyRatio({ period: 10 });
    const flat = new EfficiencyRatio({ period: 10 });
    const zigzag = new EfficiencyRatio({ period: 10 });
    for (let i = 0; i < 50; i++) {
      line.update(100 + 0.5 * i);
      flat.update(100);
      zigzag.update(100 + (i % 2));
    }
    expect(line.value).toBe(1);
    expect(flat.value).toBe(0);
    expect(zigzag.value).toBe(0);
  });

  it("matches the direct formula on a random walk", () => {
    const closes = syntheticBars({ count: 300, seed: 4, sigma: 0.01 }).map((b) => b.close);
    const er = new EfficiencyRatio({ period: 14 });
    closes.forEach((c, i) => {
      const v = er.update(c);
      if (i < 14) return;
      let path = 0;
      for (let k = i - 13; k <= i; k++) path += Math.abs((closes[k] as number) - (closes[k - 1] as number));
      const expected = Math.abs(c - (closes[i - 14] as number)) / path;
      expect(v).toBeCloseTo(expected, 12);
    });
  });
});

describe("RangeEfficiencyRatio", () => {
  it("is |close_last - close_first| / (highest high - lowest low) over period bars", () => {
    const er = new RangeEfficiencyRatio({ period: 3 });
    const out = [
      { high: 11, low: 9, close: 10 },
      { high: 13, low: 10, close: 12 },
      { high: 14, low: 8, close: 13 },
      { high: 13, low: 12, close: 12.5 },
    ].map((b) => er.update(b));
    expect(out.slice(0, 2)).toEqual([undefined, undefined]);
    expect(out[2]).toBeCloseTo(3 / 6, 14);
    expect(out[3]).toBeCloseTo(0.5 / 6, 14);
  });

  it("is 0 when the window has no range", () => {
    const er = new RangeEfficiencyRatio({ period: 2 });
    er.update({ high: 1, low: 1, close: 1 });
    expect(er.update({ high: 1, low: 1, close: 1 })).toBe(0);
  });
});
