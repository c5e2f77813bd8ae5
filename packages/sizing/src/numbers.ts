/**
 * Internal input validation and arithmetic helpers (not exported from the package index).
 *
 * Validation turns every bad input into a `SizingError` naming the field and the value. The
 * arithmetic helpers pin the rounding direction where it matters for the caps: limits are
 * computed exactly or rounded down, so a size that respects a computed limit respects the true one.
 */
import { D, type Decimal, parseDecimal, QuantizeError } from "@gpt/quantize";
import { Decimal as DecimalJs } from "decimal.js";
import { invalidInput } from "./errors.js";

/** Money as an exact amount: a Decimal or a plain decimal string (`"10000"`, `"68923.67"`). */
export type MoneyInput = Decimal | string;

/** A ratio or level that may also come from float math (leverage, fee rate, stop price). */
export type NumericInput = Decimal | string | number;

/** Same settings as `D`, but every operation truncates toward zero (used for limits and quotients). */
const DOWN = D.clone({ rounding: DecimalJs.ROUND_DOWN });
/** Same settings as `D`, with enough precision that products of our operands are exact. */
const EXACT = D.clone({ precision: 1_000_000 });

/** Zero and one as `D` values (immutable, shared). */
export const ZERO: Decimal = new D(0);
/** One as a `D` value. */
export const ONE: Decimal = new D(1);

/** `a / b` rounded toward zero to 40 significant digits (never above the true quotient for a, b > 0). */
export function divDown(a: Decimal, b: Decimal): Decimal {
  return new D(new DOWN(a).div(b));
}

/** `a × b` exactly (no rounding), as a `D` value. */
export function mulExact(a: Decimal, b: Decimal): Decimal {
  return new D(new EXACT(a).times(b));
}

/** `a − b` exactly (no rounding), as a `D` value. */
export function subExact(a: Decimal, b: Decimal): Decimal {
  return new D(new EXACT(a).minus(b));
}

/** Rounds to `D`'s 40 significant digits (half-even); `mulExact` results can be longer. */
export function roundTo40(x: Decimal): Decimal {
  return x.toSignificantDigits(40);
}

/** The smaller of two Decimals (the first on a tie). */
export function minDecimal(a: Decimal, b: Decimal): Decimal {
  return b.lt(a) ? b : a;
}

/** A plain object (not `null`, not an array), else `SizingError` naming `field`. */
export function objectInput(field: string, value: unknown, what: string): Readonly<Record<string, unknown>> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return invalidInput(field, value, `must be ${what}`);
  }
  return value as Readonly<Record<string, unknown>>;
}

/** A finite number, else `SizingError`. */
export function finiteNumber(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    return invalidInput(field, value, "must be a finite number");
  }
  return value;
}

/** Bounds for `numberInRange`; a missing bound is unbounded. */
export interface Range {
  readonly min?: number;
  readonly max?: number;
  /** Exclude `min` itself (default: included). */
  readonly minExclusive?: boolean;
  /** Exclude `max` itself (default: included). */
  readonly maxExclusive?: boolean;
}

function describeRange(range: Range): string {
  const lo = range.min === undefined ? "(-∞" : `${range.minExclusive === true ? "(" : "["}${range.min}`;
  const hi = range.max === undefined ? "∞)" : `${range.max}${range.maxExclusive === true ? ")" : "]"}`;
  return `${lo}, ${hi}`;
}

/** A finite number within `range`, else `SizingError` naming the range. */
export function numberInRange(field: string, value: unknown, range: Range): number {
  const n = finiteNumber(field, value);
  const { min, max } = range;
  const belowMin = min !== undefined && (range.minExclusive === true ? n <= min : n < min);
  const aboveMax = max !== undefined && (range.maxExclusive === true ? n >= max : n > max);
  if (belowMin || aboveMax) invalidInput(field, value, `must be a number in ${describeRange(range)}`);
  return n;
}

/** What a decimal input may be, for `decimalInput`. */
export type Sign = "positive" | "non-negative" | "any";

/**
 * Strictly parses an amount (Decimal, decimal string, or finite number) into a `D` value with the
 * given sign rule; every failure is a `SizingError` (the `QuantizeError` is kept as `cause`).
 */
export function decimalInput(field: string, value: unknown, sign: Sign): Decimal {
  let parsed: Decimal;
  try {
    parsed = parseDecimal(value as NumericInput, { field });
  } catch (cause) {
    if (cause instanceof QuantizeError) return invalidInput(field, value, "must be a finite decimal", cause);
    throw cause;
  }
  if (sign !== "any" && parsed.isNegative() && !parsed.isZero()) {
    invalidInput(field, value, sign === "positive" ? "must be greater than zero" : "must not be negative");
  }
  if (sign === "positive" && parsed.isZero()) invalidInput(field, value, "must be greater than zero");
  return parsed.isZero() ? ZERO : parsed;
}

/** A number observation as a `D` value (shortest round-trip form, so `0.1` is exactly 0.1). */
export function fromNumber(value: number): Decimal {
  return value === 0 ? ZERO : new D(value);
}
