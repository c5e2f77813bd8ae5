/** The reason codes a `QuantizeError` can carry. */
export type QuantizeErrorCode =
  | "invalid-decimal"
  | "negative-not-allowed"
  | "zero-not-allowed"
  | "invalid-increment"
  | "invalid-rules";

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

  constructor(code: QuantizeErrorCode, field: string, value: unknown, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.field = field;
    this.value = value;
  }
}
