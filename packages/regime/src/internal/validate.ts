import { RegimeError } from "../errors.js";

/** Kept out of line so the hot checks stay small enough to inline. */
function invalidInput(field: string, value: number, expected: string): never {
  throw new RegimeError("invalid-input", field, value, `${field} must be ${expected}, got ${String(value)}`);
}

/** Throws `invalid-input` unless `x` is a finite number (`x - x` is NaN for NaN and +/-Infinity). */
export function checkFinite(field: string, x: number): void {
  if (x - x !== 0) invalidInput(field, x, "a finite number");
}

/** Throws `invalid-input` unless `x` is finite and strictly positive (needed before a logarithm). */
export function checkPositive(field: string, x: number): void {
  if (!(x > 0) || x === Number.POSITIVE_INFINITY) invalidInput(field, x, "a finite number > 0");
}

/** Throws `invalid-input` unless `x` is finite and >= 0. */
export function checkNonNegative(field: string, x: number): void {
  if (!(x >= 0) || x === Number.POSITIVE_INFINITY) invalidInput(field, x, "a finite number >= 0");
}

/** Throws `invalid-input` when a bar's high is below its low (after both were checked finite). */
export function checkHighLow(high: number, low: number): void {
  if (high < low) {
    throw new RegimeError("invalid-input", "high", high, `high (${high}) must be >= low (${low})`);
  }
}

/** Validates a finite high/low/close triple with high >= low. */
export function checkHlc(high: number, low: number, close: number): void {
  checkFinite("high", high);
  checkFinite("low", low);
  checkFinite("close", close);
  checkHighLow(high, low);
}

/** Largest window any indicator accepts (keeps ring buffers to a sane size). */
const MAX_PERIOD = 10_000_000;

/** Throws `invalid-parameter` unless `n` is an integer in [min, MAX_PERIOD]. */
export function checkPeriod(field: string, n: number, min = 1): void {
  if (!Number.isInteger(n) || n < min || n > MAX_PERIOD) {
    throw new RegimeError(
      "invalid-parameter",
      field,
      n,
      `${field} must be an integer in [${min}, ${MAX_PERIOD}], got ${String(n)}`,
    );
  }
}

/** Throws `invalid-parameter` unless `x` is a finite number >= min (or > min when `strict`). */
export function checkParameter(field: string, x: number, min: number, strict = false): void {
  const ok = x - x === 0 && (strict ? x > min : x >= min);
  if (!ok) {
    throw new RegimeError(
      "invalid-parameter",
      field,
      x,
      `${field} must be a finite number ${strict ? ">" : ">="} ${min}, got ${String(x)}`,
    );
  }
}
