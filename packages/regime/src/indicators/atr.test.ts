import { describe, expect, it } from "vitest";
import { Atr, trueRange } from "./atr.js";

describe("trueRange", () => {
  it("takes the largest of the three ranges", () => {
    expect(trueRange(10, 8, Number.NaN)).toBe(2);
    expect(trueRange(10, 8, 9)).toBe(2);
    expect(trueRange(10, 8, 5)).toBe(5); // gap up
    expect(trueRange(10, 8, 14)).toBe(6); // gap down
  });
});

describe("Atr", () => {
  const bars = [
    { high: 10, low: 8, close: 9 },
    { high: 11, low: 9, close: 10 }, // TR 2
    { high: 14, low: 10, close: 13 }, // TR 4
    { high: 13, low: 12, close: 12.5 }, // TR 1
    { high: 16, low: 12, close: 15 }, // TR 4 (16 - 12.5 = 3.5, hl 4)
  ];

  it("firstBar skip: seeds with the mean of period true ranges from the second bar", () => {
    const atr = new Atr({ period: 3 });
    const out = bars.map((b) => atr.update(b));
    // seed (2+4+1)/3 = 7/3; then 7/3 + (4 - 7/3)/3 = 26/9
    expect(out.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(out[3]).toBeCloseTo(7 / 3, 14);
    expect(out[4]).toBeCloseTo(26 / 9, 14);
    expect(atr.warmUpPeriod).toBe(4);
  });

  it("firstBar high-low: the first bar's range is the first seed value", () => {
    const atr = new Atr({ period: 3, firstBar: "high-low" });
    const out = bars.map((b) => atr.update(b));
    // seed (2+2+4)/3 = 8/3; then 8/3 + (1 - 8/3)/3 = 19/9
    expect(out.slice(0, 2)).toEqual([undefined, undefined]);
    expect(out[2]).toBeCloseTo(8 / 3, 14);
    expect(out[3]).toBeCloseTo(19 / 9, 14);
    expect(atr.warmUpPeriod).toBe(3);
  });

  it("is zero on bars without range", () => {
    const atr = new Atr({ period: 2 });
    for (let i = 0; i < 10; i++) atr.update({ high: 5, low: 5, close: 5 });
    expect(atr.value).toBe(0);
  });
});
