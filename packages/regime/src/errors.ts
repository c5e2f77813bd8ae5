/**
 * The reason codes a `RegimeError` can carry.
 *
 * - `invalid-input`: an update received a value that is not a finite number, a non-positive price
 *   where a logarithm is taken, a negative volume, or a bar whose high is below its low.
 * - `invalid-parameter`: an indicator was constructed with a bad parameter (a period that is not a
 *   positive integer, a negative band width, ...).
 * - `invalid-config`: a regime-classifier configuration failed validation.
 */
export type RegimeErrorCode = "invalid-input" | "invalid-parameter" | "invalid-config";

/**
 * The one error class of `@gpt/regime`. It names the field (or config path) and the offending
 * value, so a bad number can be traced back to its source. Values are market observations and
 * parameters, never secrets.
 */
export class RegimeError extends Error {
  override readonly name = "RegimeError";
  /** What went wrong, as a stable code. */
  readonly code: RegimeErrorCode;
  /** The field, argument or config path (dotted, e.g. `trend.adxEnter`) that held the bad value. */
  readonly field: string;
  /** The bad value, as given. */
  readonly value: unknown;

  constructor(
    code: RegimeErrorCode,
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
