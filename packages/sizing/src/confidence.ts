import type { Decimal } from "@gpt/quantize";
import { invalidInput } from "./errors.js";
import {
  fromNumber,
  minDecimal,
  mulExact,
  numberInRange,
  ONE,
  type Range,
  roundTo40,
  subExact,
  ZERO,
} from "./numbers.js";
import type { ConfidenceCurveKind } from "./result.js";

/**
 * How a signal confidence `c` in [0, 1] becomes a size multiplier in [0, 1].
 *
 * Every curve first applies the dead zone: `t = (c − minConfidence) / (1 − minConfidence)`,
 * clamped to [0, 1] (so any confidence at or below `minConfidence` gives 0, and 1 gives 1). Then:
 *
 * - `linear`: `m = t`. With the default `minConfidence` 0 this is `m = c`.
 * - `power`: `m = t^exponent`. `exponent > 1` shrinks low-confidence sizes more (convex);
 *   `exponent < 1` lifts them (concave).
 * - `smoothstep`: `m = 3t² − 2t³`. Flat at both ends: small confidence changes near the dead zone
 *   or near full confidence barely move the size; steepest (1.5 × linear) at `t = 0.5`.
 *
 * All curves are non-decreasing in `c`, also as computed (decimal arithmetic where every rounding
 * is monotone), with `m(c ≤ min) = 0` and `m(1) = 1`.
 */
export type ConfidenceCurve =
  | {
      /** Discriminant. */
      readonly kind: "linear";
      /** Dead zone: confidences at or below it give 0. In [0, 1), default 0. */
      readonly minConfidence?: number;
    }
  | {
      /** Discriminant. */
      readonly kind: "power";
      /** The exponent, in (0, 16]. */
      readonly exponent: number;
      /** Dead zone: confidences at or below it give 0. In [0, 1), default 0. */
      readonly minConfidence?: number;
    }
  | {
      /** Discriminant. */
      readonly kind: "smoothstep";
      /** Dead zone: confidences at or below it give 0. In [0, 1), default 0. */
      readonly minConfidence?: number;
    };

/** The default curve: linear, no dead zone (`m = c`). */
export const LINEAR_CONFIDENCE: ConfidenceCurve = Object.freeze({ kind: "linear" });

/** The range of a confidence: [0, 1]. */
export const CONFIDENCE_RANGE: Range = { min: 0, max: 1 };
/** The range of a dead zone: [0, 1). */
const MIN_CONFIDENCE_RANGE: Range = { min: 0, max: 1, maxExclusive: true };
/** The range of a power-curve exponent: (0, 16]. */
const EXPONENT_RANGE: Range = { min: 0, minExclusive: true, max: 16 };

const THREE = fromNumber(3);
const TWO = fromNumber(2);

/** A validated curve (internal): kind, dead zone and exponent as plain numbers. */
export interface ParsedCurve {
  readonly kind: ConfidenceCurveKind;
  readonly minConfidence: number;
  readonly exponent: number;
}

/** Validates a curve; `field` prefixes the error field names (e.g. `"confidenceCurve"`). */
export function parseCurve(curve: ConfidenceCurve, field: string): ParsedCurve {
  if (typeof curve !== "object" || curve === null)
    invalidInput(field, curve, "must be a confidence curve object");
  const minConfidence = numberInRange(
    `${field}.minConfidence`,
    curve.minConfidence ?? 0,
    MIN_CONFIDENCE_RANGE,
  );
  switch (curve.kind) {
    case "linear":
    case "smoothstep":
      return { kind: curve.kind, minConfidence, exponent: 1 };
    case "power":
      return {
        kind: "power",
        minConfidence,
        exponent: numberInRange(`${field}.exponent`, curve.exponent, EXPONENT_RANGE),
      };
    default: {
      const never: never = curve;
      return invalidInput(
        `${field}.kind`,
        (never as { kind?: unknown }).kind,
        'must be "linear", "power" or "smoothstep"',
      );
    }
  }
}

/** The curve's multiplier for an already validated confidence and curve. */
export function curveMultiplier(confidence: number, curve: ParsedCurve): Decimal {
  if (confidence <= curve.minConfidence) return ZERO;
  if (confidence >= 1) return ONE;
  // t = (c − min) / (1 − min) in decimal: each operation rounds once and is monotone in c, so t is
  // non-decreasing in c, 0 at the dead zone's edge and 1 at c = 1 (0.6 with min 0.2 gives exactly 0.5).
  const t = minDecimal(
    fromNumber(confidence).minus(curve.minConfidence).div(ONE.minus(curve.minConfidence)),
    ONE,
  );
  switch (curve.kind) {
    case "linear":
      return t;
    case "power":
      // decimal.js rounds pow correctly (to 40 digits), so it stays monotone in t.
      return curve.exponent === 1 ? t : t.pow(curve.exponent);
    case "smoothstep":
      // t²(3 − 2t) mixes a rising and a falling factor, so it is computed exactly and rounded once
      // (rounding a non-decreasing exact value keeps it non-decreasing).
      return roundTo40(mulExact(mulExact(t, t), subExact(THREE, mulExact(TWO, t))));
    default: {
      const never: never = curve.kind;
      return invalidInput("confidenceCurve.kind", never, 'must be "linear", "power" or "smoothstep"');
    }
  }
}

/**
 * The size multiplier in [0, 1] for a signal confidence in [0, 1] under `curve` (default linear,
 * `m = c`). See `ConfidenceCurve` for the formulas.
 *
 * @throws SizingError `invalid-input` naming `confidence` for NaN or a value outside [0, 1], or the
 *   curve field at fault (`confidenceCurve.exponent`, `confidenceCurve.minConfidence`).
 * @example
 * confidenceMultiplier(0.5).toString() // "0.5"
 * confidenceMultiplier(0.75, { kind: "smoothstep", minConfidence: 0.5 }).toString() // "0.5"
 */
export function confidenceMultiplier(
  confidence: number,
  curve: ConfidenceCurve = LINEAR_CONFIDENCE,
): Decimal {
  const c = numberInRange("confidence", confidence, CONFIDENCE_RANGE);
  return curveMultiplier(c, parseCurve(curve, "confidenceCurve"));
}
