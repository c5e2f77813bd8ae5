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
 * The key of the brand every `QuantizeError` carries (a non-enumerable own property, `true`). It is a
 * `Symbol.for` key, so every copy of `@gpt/quantize` loaded in one process (its ESM and CommonJS builds
 * side by side, or two installed versions) uses the same one. See `isQuantizeError`.
 */
const ERROR_BRAND = Symbol.for("@gpt/quantize/error");

/**
 * The one error class of `@gpt/quantize`. It names the field and describes the offending value, so
 * a bad input can be traced to its source. The message quotes a value only when it is short and
 * number-shaped; the raw input stays reachable as `value` but is never printed.
 */
export class QuantizeError extends Error {
  override readonly name = "QuantizeError";

  /**
   * The tag of this class in the cross-copy `instanceof` check. Each subclass sets its own, so
   * `error instanceof X` matches an `X` (or a subclass of it) from any copy of the package, and
   * no other error.
   */
  static readonly errorClass: string = "QuantizeError";

  /**
   * `instanceof` that also recognises errors from another copy of `@gpt/quantize`: an error that
   * carries this package's brand and whose class, or an ancestor of it, has the same
   * `errorClass`. Classes you derive yourself keep the plain prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of instanceof (or a subclass).
    return isInstanceAcrossCopies(this, value);
  }

  /** What went wrong, as a stable code. */
  readonly code: QuantizeErrorCode;
  /** The field (or argument) that held the bad value. */
  readonly field: string;
  /**
   * The bad value, as given: the rejected input verbatim; not shown by `inspect` or
   * `JSON.stringify` (a non-enumerable property, so `console.error(error)` never prints it).
   */
  declare readonly value: unknown;

  constructor(
    code: QuantizeErrorCode,
    field: string,
    value: unknown,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    Object.defineProperty(this, ERROR_BRAND, { value: true });
    this.code = code;
    this.field = field;
    Object.defineProperty(this, "value", { value, enumerable: false, writable: false, configurable: true });
  }
}

/**
 * True when `value` is a `QuantizeError` (or a subclass) thrown by any copy of `@gpt/quantize`.
 * It checks the package's brand rather than the prototype, so it holds where `instanceof` against
 * one copy's class would not: loading the ESM and the CommonJS build in one process gives two
 * copies.
 *
 * @example
 * try { run(); } catch (error) { if (isQuantizeError(error)) report(error.code); else throw error; }
 */
export function isQuantizeError(value: unknown): value is QuantizeError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { [ERROR_BRAND]?: unknown })[ERROR_BRAND] === true
  );
}

/** `instanceof` across copies for the classes of this file (see `QuantizeError[Symbol.hasInstance]`). */
function isInstanceAcrossCopies(cls: typeof QuantizeError, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(cls, value)) return true;
  if (!isQuantizeError(value) || !Object.hasOwn(cls, "errorClass")) return false;
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const ctor: unknown = Object.hasOwn(proto, "constructor") ? proto.constructor : undefined;
    if (typeof ctor === "function" && Object.hasOwn(ctor, "errorClass")) {
      if ((ctor as typeof QuantizeError).errorClass === cls.errorClass) return true;
    }
  }
  return false;
}
