import { describeValue } from "@gpt/core";

/**
 * Stable reason codes of a `SizingError`.
 *
 * - `invalid-input`: an argument of a sizing call is malformed or out of range (NaN, negative
 *   equity, a confidence outside [0, 1], a stop on the wrong side of the entry, …).
 * - `missing-input`: `sizeWithConfig` was not given an observation its configured method needs
 *   (for example `atr` for the `atr` method).
 * - `invalid-config`: a `SizingConfig` failed schema validation; `issues` lists every problem.
 */
export type SizingErrorCode = "invalid-input" | "missing-input" | "invalid-config";

/** One problem found while validating a configuration. */
export interface SizingIssue {
  /** Dotted path of the field at fault, e.g. `"method.kellyMultiplier"` (`""` for the root). */
  readonly field: string;
  /** The rejected value, when the validator reports it. */
  readonly value: unknown;
  /** Human-readable reason. */
  readonly message: string;
}

/** Options of the `SizingError` constructor. */
export interface SizingErrorOptions {
  /** The underlying error (kept as the standard `Error.cause`). */
  readonly cause?: unknown;
  /** Every problem found, for configuration errors (default: one issue built from field/value/message). */
  readonly issues?: readonly SizingIssue[];
}

/**
 * The one error class of `@gpt/sizing`. It is thrown for inputs that are bugs in the caller
 * (malformed numbers, values out of range, an invalid configuration). Situations that are simply
 * "do not trade" (zero equity, no edge, zero volatility, a size below the venue minimum) are not
 * errors: they come back as a `skip` result.
 *
 * `field` names the input at fault (a dotted path such as `"caps.maxLeverage"`) and `value` holds
 * it verbatim; messages contain amounts and field names only, never secrets.
 */
export class SizingError extends Error {
  override readonly name = "SizingError";
  /** What went wrong, as a stable code. */
  readonly code: SizingErrorCode;
  /** The input at fault (dotted path); for configuration errors the first issue's field. */
  readonly field: string;
  /** The rejected value, verbatim. */
  readonly value: unknown;
  /** Every problem found (at least one). */
  readonly issues: readonly SizingIssue[];

  constructor(
    code: SizingErrorCode,
    field: string,
    value: unknown,
    message: string,
    options: SizingErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = field;
    this.value = value;
    this.issues = options.issues ?? [{ field, value, message }];
  }
}

/** Throws an `invalid-input` error in the package's message format: `field: why (got value)`. */
export function invalidInput(field: string, value: unknown, why: string, cause?: unknown): never {
  throw new SizingError(
    "invalid-input",
    field,
    value,
    `${field}: ${why} (got ${describeValue(value)})`,
    cause === undefined ? {} : { cause },
  );
}
