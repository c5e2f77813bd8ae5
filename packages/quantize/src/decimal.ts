import { Decimal as DecimalJs } from "decimal.js";
import { QuantizeError } from "./errors.js";

/**
 * The isolated decimal.js constructor every `@gpt/*` package uses for booked amounts.
 *
 * It is a `Decimal.clone()` with every setting pinned (40 significant digits, half-even rounding
 * for arithmetic, exponent notation switched off, truncating `mod`), so a user's global
 * `Decimal.set()` cannot change our results, and `toString()` never prints `1e-8`.
 */
export const D: DecimalJs.Constructor = DecimalJs.clone({
  precision: 40,
  rounding: DecimalJs.ROUND_HALF_EVEN,
  toExpNeg: -9e15,
  toExpPos: 9e15,
  minE: -9e15,
  maxE: 9e15,
  // Pinned too: `clone()` copies any setting left out from the global constructor at import time.
  modulo: DecimalJs.ROUND_DOWN,
  crypto: false,
});

/** A decimal.js value (instances of `D` and of any other decimal.js constructor share this type). */
export type Decimal = DecimalJs;

/** Anything `parseDecimal` accepts. */
export type DecimalInput = string | number | DecimalJs;

/** Options for `parseDecimal`. */
export interface ParseDecimalOptions {
  /** Field name for the error message (default `"value"`). */
  readonly field?: string;
  /** Allow values below zero (default `true`). */
  readonly allowNegative?: boolean;
  /** Allow exactly zero (default `true`). */
  readonly allowZero?: boolean;
}

/**
 * Plain decimal: optional sign, digits with an optional fraction, optional exponent of at most six
 * digits (a longer exponent would overflow to Infinity or underflow to 0 inside decimal.js).
 */
const DECIMAL_STRING = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,6})?$/;
/** Strings longer than this are rejected before any digit work (no exchange amount is this long). */
const MAX_STRING_LENGTH = 400;
/** Exponents beyond this are rejected as nonsense for exchange amounts (`1e999`). */
const MAX_ABS_EXPONENT = 100;

function fail(code: "invalid-decimal", field: string, value: unknown, why: string): never {
  throw new QuantizeError(code, field, value, `${field}: ${why} (got ${describeValue(value)})`);
}

/** Number-shaped text short enough to quote: it cannot carry a credential. */
const QUOTABLE = /^[0-9eE.+-]{1,24}$/;

/**
 * Renders a rejected value for a message without ever repeating text that could be a secret:
 * a string is quoted only when it is short and number-shaped (digits, sign, point, exponent);
 * any other string is described by its length. Never throws, whatever it is given.
 * Internal (not exported from the package index).
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case "string":
      if (value === "") return "an empty string";
      return QUOTABLE.test(value) ? JSON.stringify(value) : `a ${value.length}-character string`;
    case "number":
      return String(value);
    case "bigint":
      return `the BigInt ${value}n`;
    case "boolean":
      return String(value);
    case "undefined":
      return "undefined";
    case "symbol":
      return "a symbol";
    case "function":
      return "a function";
    default:
      if (value === null) return "null";
      try {
        if (value instanceof DecimalJs) return `Decimal(${value.toString()})`;
        return Array.isArray(value) ? "an array" : "an object";
      } catch {
        // A Proxy whose traps throw (or a revoked one) is described by its kind.
        return "an object";
      }
  }
}

/** Field names are labels chosen in code: a short identifier-like path. */
const FIELD_NAME = /^[A-Za-z_$][\w$.[\]-]{0,63}$/;

/** Checks a caller-supplied field name (a bad one is a `QuantizeError` `invalid-option`). */
export function checkFieldName(field: unknown, option = "field"): string {
  if (typeof field === "string" && KNOWN_FIELDS.has(field)) return field;
  if (typeof field !== "string" || !FIELD_NAME.test(field)) {
    throw new QuantizeError(
      "invalid-option",
      option,
      field,
      `${option}: must be a field name of 1-64 letters, digits, _, ., [, ] or - (got ${describeValue(field)})`,
    );
  }
  if (KNOWN_FIELDS.size < 256) KNOWN_FIELDS.add(field);
  return field;
}

/** Field names already checked (code uses a handful, so hot paths skip the pattern). Bounded. */
const KNOWN_FIELDS = new Set<string>(["value", "price", "size", "quoteSize", "increment"]);

const NO_OPTIONS: ParseDecimalOptions = Object.freeze({});

function checkFlag(name: "allowNegative" | "allowZero", value: unknown): void {
  if (value !== undefined && typeof value !== "boolean") {
    throw new QuantizeError(
      "invalid-option",
      name,
      value,
      `${name}: must be true or false (got ${describeValue(value)})`,
    );
  }
}

function checkOptions(options: unknown): ParseDecimalOptions {
  if (options === undefined) return NO_OPTIONS;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new QuantizeError(
      "invalid-option",
      "options",
      options,
      `options: must be an object (got ${describeValue(options)})`,
    );
  }
  const o = options as ParseDecimalOptions;
  checkFlag("allowNegative", o.allowNegative);
  checkFlag("allowZero", o.allowZero);
  return o;
}

/**
 * A Decimal from another copy of decimal.js (or something posing as one) is read through its
 * string form, so it meets exactly the checks a string does; whatever its `toString` throws
 * becomes a `QuantizeError`.
 */
function foreignDecimalText(field: string, value: unknown): string {
  let text: unknown;
  try {
    text = (value as { toString(): unknown }).toString();
  } catch (cause) {
    throw new QuantizeError(
      "invalid-decimal",
      field,
      value,
      `${field}: not a readable Decimal (got ${describeValue(value)})`,
      { cause },
    );
  }
  if (typeof text !== "string") fail("invalid-decimal", field, value, "not a readable Decimal");
  return text;
}

/**
 * Strictly parses an exchange amount into a `Decimal` (of constructor `D`).
 *
 * Accepts decimal strings (`"0.00000001"`, `"-12.5"`, `"1e-8"`), finite numbers and finite
 * Decimals. Rejects `NaN`, `Infinity`, the empty string, whitespace around or inside the value,
 * hex/binary/octal literals, digit separators, non-ASCII digits, magnitudes with a decimal exponent
 * beyond ±100 (`"1e999"`, `"1e-200"`), strings over 400 characters, and (per options) negatives
 * and zero. A negative zero (`"-0"`, `-0`) counts as zero, not as negative.
 * Every rejection is a `QuantizeError` naming the field and the value.
 *
 * @example
 * parseDecimal("68923.67", { field: "price" }).toString() // "68923.67"
 */
export function parseDecimal(value: DecimalInput, options?: ParseDecimalOptions): DecimalJs {
  const opts = checkOptions(options);
  const field = opts.field === undefined ? "value" : checkFieldName(opts.field);
  let result: DecimalJs;
  if (typeof value === "string") {
    if (value === "") fail("invalid-decimal", field, value, "empty string is not a decimal");
    if (value.length > MAX_STRING_LENGTH) {
      fail("invalid-decimal", field, value, `longer than ${MAX_STRING_LENGTH} characters`);
    }
    if (!DECIMAL_STRING.test(value)) fail("invalid-decimal", field, value, "not a plain decimal string");
    result = new D(value);
  } else if (typeof value === "number") {
    if (!Number.isFinite(value)) fail("invalid-decimal", field, value, "number is not finite");
    // String(n) is the shortest round-trip representation, so 0.1 parses as exactly 0.1.
    result = new D(String(value));
  } else if (value instanceof DecimalJs) {
    if (!value.isFinite()) fail("invalid-decimal", field, value, "decimal is not finite");
    result = new D(value);
  } else if (DecimalJs.isDecimal(value)) {
    const text = foreignDecimalText(field, value);
    if (text.length > MAX_STRING_LENGTH || !DECIMAL_STRING.test(text)) {
      fail("invalid-decimal", field, value, "decimal is not finite");
    }
    result = new D(text);
  } else {
    fail("invalid-decimal", field, value, "expected a string, number or Decimal");
  }
  if (!result.isFinite()) fail("invalid-decimal", field, value, "decimal is not finite");
  if (!result.isZero() && Math.abs(result.e) > MAX_ABS_EXPONENT) {
    fail("invalid-decimal", field, value, `exponent beyond ±${MAX_ABS_EXPONENT}`);
  }
  if (result.isNegative() && !result.isZero() && opts.allowNegative === false) {
    throw new QuantizeError(
      "negative-not-allowed",
      field,
      value,
      `${field}: must not be negative (got ${describeValue(value)})`,
    );
  }
  if (result.isZero() && opts.allowZero === false) {
    throw new QuantizeError(
      "zero-not-allowed",
      field,
      value,
      `${field}: must not be zero (got ${describeValue(value)})`,
    );
  }
  return result;
}

/**
 * Internal fast path: a finite `D` instance within the accepted magnitude passes through as is
 * (Decimals are immutable, so no copy is needed); anything else goes through `parseDecimal`.
 * Not exported from the package index.
 */
export function toDecimal(value: DecimalInput, field: string, allowNegative = true): DecimalJs {
  if (typeof value === "object" && value !== null && value.constructor === D && value.d !== null) {
    if ((value.e > MAX_ABS_EXPONENT || value.e < -MAX_ABS_EXPONENT) && !value.isZero()) {
      fail("invalid-decimal", field, value, `exponent beyond ±${MAX_ABS_EXPONENT}`);
    }
    if (!allowNegative && value.s < 0 && !value.isZero()) {
      throw new QuantizeError(
        "negative-not-allowed",
        field,
        value,
        `${field}: must not be negative (got ${describeValue(value)})`,
      );
    }
    return value;
  }
  return parseDecimal(value, allowNegative ? { field } : { field, allowNegative: false });
}
