import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ConfidenceCurve, confidenceMultiplier } from "./confidence.js";
import { SizingError } from "./errors.js";

function errorOf(fn: () => unknown): SizingError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SizingError) return err;
    throw err;
  }
  throw new Error("expected a SizingError");
}

const CURVES: readonly ConfidenceCurve[] = [
  { kind: "linear" },
  { kind: "linear", minConfidence: 0.3 },
  { kind: "power", exponent: 2 },
  { kind: "power", exponent: 0.5, minConfidence: 0.2 },
  { kind: "power", exponent: 3.7, minConfidence: 0.5 },
  { kind: "smoothstep" },
  { kind: "smoothstep", minConfidence: 0.5 },
];

describe("confidenceMultiplier", () => {
  it("linear is the confidence itself by default", () => {
    expect(confidenceMultiplier(0.5).toString()).toBe("0.5");
    expect(confidenceMultiplier(0.37).toString()).toBe("0.37");
    expect(confidenceMultiplier(0).toString()).toBe("0");
    expect(confidenceMultiplier(1).toString()).toBe("1");
  });

  it("applies the dead zone and rescales above it", () => {
    const curve: ConfidenceCurve = { kind: "linear", minConfidence: 0.5 };
    expect(confidenceMultiplier(0.4, curve).toString()).toBe("0");
    expect(confidenceMultiplier(0.5, curve).toString()).toBe("0");
    expect(confidenceMultiplier(0.75, curve).toString()).toBe("0.5");
    expect(confidenceMultiplier(1, curve).toString()).toBe("1");
  });

  it("power raises the rescaled confidence to the exponent", () => {
    expect(confidenceMultiplier(0.5, { kind: "power", exponent: 2 }).toString()).toBe("0.25");
    expect(confidenceMultiplier(0.25, { kind: "power", exponent: 0.5 }).toString()).toBe("0.5");
    expect(confidenceMultiplier(0.6, { kind: "power", exponent: 3, minConfidence: 0.2 }).toString()).toBe(
      "0.125",
    );
  });

  it("smoothstep is 3t² − 2t³", () => {
    expect(confidenceMultiplier(0.5, { kind: "smoothstep" }).toString()).toBe("0.5");
    expect(confidenceMultiplier(0.25, { kind: "smoothstep" }).toString()).toBe("0.15625");
    expect(confidenceMultiplier(0.75, { kind: "smoothstep" }).toString()).toBe("0.84375");
    expect(confidenceMultiplier(0.75, { kind: "smoothstep", minConfidence: 0.5 }).toString()).toBe("0.5");
  });

  it("maps confidence 0 to 0 and 1 to 1 on every curve", () => {
    for (const curve of CURVES) {
      expect(confidenceMultiplier(0, curve).toString()).toBe("0");
      expect(confidenceMultiplier(1, curve).toString()).toBe("1");
    }
  });

  it("rejects NaN and out-of-range confidences, naming the field and value", () => {
    const nan = errorOf(() => confidenceMultiplier(Number.NaN));
    expect(nan).toMatchObject({ code: "invalid-input", field: "confidence" });
    expect(nan.message).toBe("confidence: must be a finite number (got NaN)");
    expect(errorOf(() => confidenceMultiplier(1.5)).message).toBe(
      "confidence: must be a number in [0, 1] (got 1.5)",
    );
    expect(errorOf(() => confidenceMultiplier(-0.01)).value).toBe(-0.01);
  });

  it("rejects bad curves", () => {
    expect(errorOf(() => confidenceMultiplier(0.5, { kind: "power", exponent: 0 })).field).toBe(
      "confidenceCurve.exponent",
    );
    expect(errorOf(() => confidenceMultiplier(0.5, { kind: "linear", minConfidence: 1 })).field).toBe(
      "confidenceCurve.minConfidence",
    );
    const unknownKind = JSON.parse('{"kind":"cubic"}') as ConfidenceCurve;
    expect(errorOf(() => confidenceMultiplier(0.5, unknownKind))).toMatchObject({
      field: "confidenceCurve.kind",
      value: "cubic",
    });
  });

  it("property: every curve stays in [0, 1] and never decreases as confidence rises", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CURVES),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (curve, a, b) => {
          const lo = Math.min(a, b);
          const hi = Math.max(a, b);
          const mLo = confidenceMultiplier(lo, curve);
          const mHi = confidenceMultiplier(hi, curve);
          expect(mLo.gte(0) && mHi.lte(1)).toBe(true);
          expect(mLo.lte(mHi)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("property: adjacent doubles near full confidence never decrease the smoothstep multiplier", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.9, max: 1, noNaN: true }), (c) => {
        const next = Math.min(1, c + Number.EPSILON / 2);
        const curve: ConfidenceCurve = { kind: "smoothstep" };
        expect(confidenceMultiplier(c, curve).lte(confidenceMultiplier(next, curve))).toBe(true);
      }),
    );
  });
});
