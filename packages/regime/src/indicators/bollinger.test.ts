import { describe, expect, it } from "vitest";
import { BollingerBands } from "./bollinger.js";

describe("BollingerBands", () => {
  it("uses the population standard deviation (hand-checked)", () => {
    const bb = new BollingerBands({ period: 5, multiplier: 2 });
    let v: ReturnType<BollingerBands["update"]>;
    for (const x of [1, 2, 3, 4, 5]) v = bb.update(x);
    const sd = Math.sqrt(2);
    expect(v?.middle).toBe(3);
    expect(v?.stdDev).toBeCloseTo(sd, 14);
    expect(v?.upper).toBeCloseTo(3 + 2 * sd, 14);
    expect(v?.lower).toBeCloseTo(3 - 2 * sd, 14);
    expect(v?.bandwidth).toBeCloseTo((4 * sd) / 3, 14);
    expect(v?.percentB).toBeCloseTo((5 - (3 - 2 * sd)) / (4 * sd), 14);
  });

  it("collapses to the constant on a flat series (percentB 0.5)", () => {
    const bb = new BollingerBands({ period: 4 });
    for (let i = 0; i < 50; i++) bb.update(42);
    expect(bb.value).toEqual({ middle: 42, upper: 42, lower: 42, stdDev: 0, bandwidth: 0, percentB: 0.5 });
  });

  it("rejects a negative multiplier", () => {
    expect(() => new BollingerBands({ period: 4, multiplier: -1 })).toThrowError(
      expect.objectContaining({ code: "invalid-parameter", field: "multiplier" }),
    );
  });
});
