import { describe, expect, it } from "vitest";
import { RollingZScore } from "./zscore.js";

describe("RollingZScore", () => {
  it("scores the latest value against its window with the population deviation", () => {
    const z = new RollingZScore({ period: 3 });
    const out = [1, 2, 3, 3].map((x) => z.update(x));
    expect(out.slice(0, 2)).toEqual([undefined, undefined]);
    // [1,2,3]: mean 2, sd sqrt(2/3) -> (3-2)/sd
    expect(out[2]).toBeCloseTo(1 / Math.sqrt(2 / 3), 12);
    // [2,3,3]: mean 8/3, sd sqrt(2/9) -> (1/3)/sqrt(2/9) = 1/sqrt(2)
    expect(out[3]).toBeCloseTo(1 / Math.sqrt(2), 12);
    expect(z.mean).toBeCloseTo(8 / 3, 12);
  });

  it("reads 0 on a window without variance", () => {
    const z = new RollingZScore({ period: 4 });
    for (let i = 0; i < 10; i++) z.update(5);
    expect(z.value).toBe(0);
  });

  it("needs period >= 2", () => {
    expect(() => new RollingZScore({ period: 1 })).toThrowError(expect.objectContaining({ field: "period" }));
  });
});
