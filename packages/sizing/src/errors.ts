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
  /**
   * The rejected value, when the validator reports it. On the issues of a `SizingError` it is the
   * input verbatim but non-enumerable: not shown by `inspect` or `JSON.stringify`.
   */
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
 * The key of the brand every `SizingError` carries (a non-enumerable own property, `true`). It is a
 * `Symbol.for` key, so every copy of `@gpt/sizing` loaded in one process (its ESM and CommonJS builds
 * side by side, or two installed versions) uses the same one. See `isSizingError`.
 */
const ERROR_BRAND = Symbol.for("@gpt/sizing/error");

/**
 * The one error class of `@gpt/sizing`. It is thrown for inputs that are bugs in the caller
 * (malformed numbers, values out of range, an invalid configuration). Situations that are simply
 * "do not trade" (zero equity, no edge, zero volatility, a size below the venue minimum) are not
 * errors: they come back as a `skip` result.
 *
 * `field` names the input at fault (a dotted path such as `"caps.maxLeverage"`) and `value` holds
 * it verbatim (non-enumerable, so never printed); messages contain amounts and field names only,
 * and quote a value only when it is short and number-shaped.
 */
export class SizingError extends Error {
  override readonly name = "SizingError";

  /**
   * The tag of this class in the cross-copy `instanceof` check. Each subclass sets its own, so
   * `error instanceof X` matches an `X` (or a subclass of it) from any copy of the package, and
   * no other error.
   */
  static readonly errorClass: string = "SizingError";

  /**
   * `instanceof` that also recognises errors from another copy of `@gpt/sizing`: an error that
   * carries this package's brand and whose class, or an ancestor of it, has the same
   * `errorClass`. Classes you derive yourself keep the plain prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of instanceof (or a subclass).
    return isInstanceAcrossCopies(this, value);
  }

  /** What went wrong, as a stable code. */
  readonly code: SizingErrorCode;
  /** The input at fault (dotted path); for configuration errors the first issue's field. */
  readonly field: string;
  /**
   * The rejected value verbatim; not shown by `inspect` or `JSON.stringify` (a non-enumerable
   * property, so `console.error(error)` never prints it).
   */
  declare readonly value: unknown;
  /** Every problem found (at least one); each issue's `value` is hidden the same way. */
  readonly issues: readonly SizingIssue[];

  constructor(
    code: SizingErrorCode,
    field: string,
    value: unknown,
    message: string,
    options: SizingErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Object.defineProperty(this, ERROR_BRAND, { value: true });
    this.code = code;
    this.field = field;
    hideValue(this, value);
    this.issues = (options.issues ?? [{ field, value, message }]).map(hiddenIssue);
  }
}

/** Defines `value` on `target` as read-only and non-enumerable (left out of `inspect` and JSON). */
function hideValue(target: object, value: unknown): void {
  Object.defineProperty(target, "value", { value, enumerable: false, writable: false, configurable: true });
}

/** A copy of `issue` whose `value` is non-enumerable; the caller's issue is not changed. */
function hiddenIssue(issue: SizingIssue): SizingIssue {
  const copy = { field: issue.field, message: issue.message } as SizingIssue;
  hideValue(copy, issue.value);
  return copy;
}

/**
 * True when `value` is a `SizingError` (or a subclass) thrown by any copy of `@gpt/sizing`.
 * It checks the package's brand rather than the prototype, so it holds where `instanceof` against
 * one copy's class would not: loading the ESM and the CommonJS build in one process gives two
 * copies.
 *
 * @example
 * try { run(); } catch (error) { if (isSizingError(error)) report(error.code); else throw error; }
 */
export function isSizingError(value: unknown): value is SizingError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { [ERROR_BRAND]?: unknown })[ERROR_BRAND] === true
  );
}

/** `instanceof` across copies for the classes of this file (see `SizingError[Symbol.hasInstance]`). */
function isInstanceAcrossCopies(cls: typeof SizingError, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(cls, value)) return true;
  if (!isSizingError(value) || !Object.hasOwn(cls, "errorClass")) return false;
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const ctor: unknown = Object.hasOwn(proto, "constructor") ? proto.constructor : undefined;
    if (typeof ctor === "function" && Object.hasOwn(ctor, "errorClass")) {
      if ((ctor as typeof SizingError).errorClass === cls.errorClass) return true;
    }
  }
  return false;
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
