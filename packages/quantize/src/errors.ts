/**
 * The reason codes a `QuantizeError` can carry.
 *
 * - `invalid-decimal`: not a finite, plain decimal (or out of the accepted magnitude).
 * - `negative-not-allowed` / `zero-not-allowed`: the sign or zero is not allowed for that field.
 * - `invalid-increment`: an increment that is not a positive decimal.
 * - `invalid-rules`: product rules that are missing a field or contradict themselves (min > max).
 * - `not-on-increment`: a strict formatter was given a value that is not a multiple of the increment.
 * - `invalid-decimals`: a decimal-place count that is not an integer in 0..100, or too small for the value.
 * - `invalid-order`: order amounts that cannot be checked (no size, or both a base and a quote size).
 * - `invalid-option`: a rounding mode or order side that is not one of the allowed strings
 *   (only reachable from untyped callers).
 */
export type QuantizeErrorCode =
  | "invalid-decimal"
  | "negative-not-allowed"
  | "zero-not-allowed"
  | "invalid-increment"
  | "invalid-rules"
  | "not-on-increment"
  | "invalid-decimals"
  | "invalid-order"
  | "invalid-option";

/**
 * The one error class of `@gpt/quantize`. It names the field and the offending value, so a bad
 * input can be traced to its source. Values here are amounts and increments, never secrets.
 */
export class QuantizeError extends Error {
  override readonly name = "QuantizeError";
  /** What went wrong, as a stable code. */
  readonly code: QuantizeErrorCode;
  /** The field (or argument) that held the bad value. */
  readonly field: string;
  /** The bad value, as given (strings are kept verbatim). */
  readonly value: unknown;

  constructor(
    code: QuantizeErrorCode,
    field: string,
    value: unknown,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.field = field;
    this.value = value;
  }
}
