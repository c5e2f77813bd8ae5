import { D, type Decimal, type DecimalInput, parseDecimal } from "@gpt/quantize";
import { Decimal as DecimalJs } from "decimal.js";
import { RiskError } from "./errors.js";

/** Zero and one as shared immutable values. */
export const ZERO: Decimal = new D(0);
/** One. */
export const ONE: Decimal = new D(1);

/** Sign rules for `toDecimal`. */
export type SignRule = "any" | "non-negative" | "positive";

/**
 * Internal: a finite Decimal from an input, or a `RiskError("invalid-input")` naming `field`.
 * Finite `D` values pass through uncopied (decimal.js values are immutable).
 */
export function toDecimal(value: DecimalInput, field: string, rule: SignRule = "any"): Decimal {
  let result: Decimal;
  // Only our own constructor's values pass through: a Decimal from another decimal.js constructor
  // (e.g. the global one with its 20-digit precision) is copied into `D`.
  if (DecimalJs.isDecimal(value) && value.constructor === D && value.isFinite()) {
    result = value;
  } else {
    try {
      result = parseDecimal(value, { field });
    } catch (cause) {
      throw new RiskError("invalid-input", cause instanceof Error ? cause.message : `${field}: invalid`, {
        field,
        value,
        cause,
      });
    }
  }
  if (rule !== "any" && result.isNegative() && !result.isZero()) {
    throw new RiskError("invalid-input", `${field}: must not be negative (got ${result.toFixed()})`, {
      field,
      value,
    });
  }
  if (rule === "positive" && result.isZero()) {
    throw new RiskError("invalid-input", `${field}: must be positive (got 0)`, { field, value });
  }
  return result;
}

/** Internal: a decimal as a plain string without exponent notation (`"0.00000001"`). */
export function fmt(value: Decimal): string {
  return value.isZero() ? "0" : value.toFixed();
}

/** Internal: a ratio as a plain string with at most 12 decimals (display only; comparisons stay exact). */
export function fmtRatio(value: Decimal): string {
  return fmt(value.toDecimalPlaces(12, DecimalJs.ROUND_HALF_EVEN));
}

/** Internal: a fraction as a percentage for messages (`0.05` → `"5%"`). */
export function pct(value: Decimal): string {
  return `${fmt(value.times(100).toDecimalPlaces(6, DecimalJs.ROUND_HALF_EVEN))}%`;
}

/** Internal: validates a timestamp (non-negative safe integer of milliseconds). */
export function toMillis(value: number, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new RiskError(
      "invalid-input",
      `${field}: must be a non-negative integer of milliseconds (got ${String(value)})`,
      { field, value },
    );
  }
  return value;
}
