import { D } from "@gpt/quantize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SizingError } from "./errors.js";
import {
  DEFAULT_KELLY_MULTIPLIER,
  fractionalKelly,
  isWinRateEstimate,
  kellyFromMoments,
  kellyFromWinRate,
} from "./kelly.js";

function errorOf(fn: () => unknown): SizingError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SizingError) return err;
    throw err;
  }
  throw new Error("expected a SizingError");
}

describe("kellyFromWinRate", () => {
  it("is p − (1 − p) / b", () => {
    expect(kellyFromWinRate({ winRate: 0.55, payoffRatio: 1.5 }).toString()).toBe("0.25");
    expect(kellyFromWinRate({ winRate: 0.6, payoffRatio: 1 }).toString()).toBe("0.2");
    expect(kellyFromWinRate({ winRate: 0.25, payoffRatio: 4 }).toString()).toBe("0.0625");
  });

  it("is zero at a fair bet and negative for a losing one", () => {
    expect(kellyFromWinRate({ winRate: 0.5, payoffRatio: 1 }).isZero()).toBe(true);
    expect(kellyFromWinRate({ winRate: 0.4, payoffRatio: 1 }).toString()).toBe("-0.2");
    expect(kellyFromWinRate({ winRate: 0, payoffRatio: 2 }).toString()).toBe("-0.5");
  });

  it("is 1 for a certain win", () => {
    expect(kellyFromWinRate({ winRate: 1, payoffRatio: 0.1 }).toString()).toBe("1");
  });

  it("names the field and value of a bad input", () => {
    const nan = errorOf(() => kellyFromWinRate({ winRate: Number.NaN, payoffRatio: 1 }));
    expect(nan).toMatchObject({ name: "SizingError", code: "invalid-input", field: "winRate" });
    expect(nan.value).toBeNaN();
    expect(nan.message).toBe("winRate: must be a finite number (got NaN)");
    expect(errorOf(() => kellyFromWinRate({ winRate: 1.01, payoffRatio: 1 })).message).toBe(
      "winRate: must be a number in [0, 1] (got 1.01)",
    );
    expect(errorOf(() => kellyFromWinRate({ winRate: -0.1, payoffRatio: 1 })).field).toBe("winRate");
    expect(errorOf(() => kellyFromWinRate({ winRate: 0.5, payoffRatio: 0 })).message).toBe(
      "payoffRatio: must be a number in (0, ∞) (got 0)",
    );
    expect(
      errorOf(() => kellyFromWinRate({ winRate: 0.5, payoffRatio: Number.POSITIVE_INFINITY })).field,
    ).toBe("payoffRatio");
  });
});

describe("kellyFromMoments", () => {
  it("is μ / σ²", () => {
    expect(kellyFromMoments({ expectedReturn: 0.002, variance: 0.0004 }).toString()).toBe("5");
    expect(kellyFromMoments({ expectedReturn: 0.0005, variance: 0.0004 }).toString()).toBe("1.25");
    expect(kellyFromMoments({ expectedReturn: -0.001, variance: 0.0004 }).toString()).toBe("-2.5");
  });

  it("rejects a zero or negative variance and non-finite inputs", () => {
    expect(errorOf(() => kellyFromMoments({ expectedReturn: 0.001, variance: 0 }))).toMatchObject({
      code: "invalid-input",
      field: "variance",
      value: 0,
    });
    expect(errorOf(() => kellyFromMoments({ expectedReturn: 0.001, variance: -1 })).field).toBe("variance");
    expect(errorOf(() => kellyFromMoments({ expectedReturn: Number.NaN, variance: 1 })).field).toBe(
      "expectedReturn",
    );
  });
});

describe("fractionalKelly", () => {
  it("multiplies full Kelly by the multiplier (default quarter Kelly)", () => {
    const half = fractionalKelly(D("0.25"), { kellyMultiplier: 0.5 });
    expect(half).toMatchObject({ kind: "edge", clamped: false });
    if (half.kind !== "edge") throw new Error("expected an edge");
    expect(half.fraction.toString()).toBe("0.125");
    expect(half.kellyMultiplier.toString()).toBe("0.5");
    const quarter = fractionalKelly(0.4);
    if (quarter.kind !== "edge") throw new Error("expected an edge");
    expect(DEFAULT_KELLY_MULTIPLIER).toBe(0.25);
    expect(quarter.fraction.toString()).toBe("0.1");
  });

  it("clamps at maxKellyFraction and says so", () => {
    const big = fractionalKelly(5, { kellyMultiplier: 0.5 });
    if (big.kind !== "edge") throw new Error("expected an edge");
    expect(big.fraction.toString()).toBe("1");
    expect(big.clamped).toBe(true);
    const capped = fractionalKelly(5, { kellyMultiplier: 0.5, maxKellyFraction: 2 });
    if (capped.kind !== "edge") throw new Error("expected an edge");
    expect(capped.fraction.toString()).toBe("2");
  });

  it("never sizes a zero or negative edge", () => {
    expect(fractionalKelly(0)).toMatchObject({ kind: "no-edge" });
    expect(fractionalKelly(D("-0.3"), { kellyMultiplier: 1 })).toMatchObject({ kind: "no-edge" });
  });

  it("rejects bad options and a non-finite Kelly", () => {
    expect(errorOf(() => fractionalKelly(0.2, { kellyMultiplier: 0 })).field).toBe("kellyMultiplier");
    expect(errorOf(() => fractionalKelly(0.2, { kellyMultiplier: 1.5 })).field).toBe("kellyMultiplier");
    expect(errorOf(() => fractionalKelly(0.2, { maxKellyFraction: 0 })).field).toBe("maxKellyFraction");
    expect(errorOf(() => fractionalKelly(Number.NaN)).field).toBe("fullKelly");
    expect(errorOf(() => fractionalKelly(D(Number.POSITIVE_INFINITY))).field).toBe("fullKelly");
  });

  it("property: the fraction is positive iff the edge is, and never above either bound", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 20, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 3, noNaN: true }),
        (winRate, payoffRatio, kellyMultiplier, maxKellyFraction) => {
          const full = kellyFromWinRate({ winRate, payoffRatio });
          const result = fractionalKelly(full, { kellyMultiplier, maxKellyFraction });
          if (full.lte(0)) {
            expect(result.kind).toBe("no-edge");
            return;
          }
          if (result.kind !== "edge") throw new Error("expected an edge");
          expect(result.fraction.gt(0)).toBe(true);
          expect(result.fraction.lte(maxKellyFraction)).toBe(true);
          expect(result.fraction.lte(full.times(kellyMultiplier))).toBe(true);
        },
      ),
    );
  });
});

describe("isWinRateEstimate", () => {
  it("tells the two estimates apart", () => {
    expect(isWinRateEstimate({ winRate: 0.5, payoffRatio: 1 })).toBe(true);
    expect(isWinRateEstimate({ expectedReturn: 0.1, variance: 1 })).toBe(false);
  });
});
