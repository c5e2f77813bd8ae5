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
 * The key of the brand every `RegimeError` carries (a non-enumerable own property, `true`). It is a
 * `Symbol.for` key, so every copy of `@gpt/regime` loaded in one process (its ESM and CommonJS builds
 * side by side, or two installed versions) uses the same one. See `isRegimeError`.
 */
const ERROR_BRAND = Symbol.for("@gpt/regime/error");

/**
 * The one error class of `@gpt/regime`. It names the field (or config path) and the offending
 * value, so a bad number can be traced back to its source. Values are market observations and
 * parameters, never secrets.
 */
export class RegimeError extends Error {
  override readonly name = "RegimeError";

  /**
   * The tag of this class in the cross-copy `instanceof` check. Each subclass sets its own, so
   * `error instanceof X` matches an `X` (or a subclass of it) from any copy of the package, and
   * no other error.
   */
  static readonly errorClass: string = "RegimeError";

  /**
   * `instanceof` that also recognises errors from another copy of `@gpt/regime`: an error that
   * carries this package's brand and whose class, or an ancestor of it, has the same
   * `errorClass`. Classes you derive yourself keep the plain prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of instanceof (or a subclass).
    return isInstanceAcrossCopies(this, value);
  }

  /** What went wrong, as a stable code. */
  readonly code: RegimeErrorCode;
  /** The field, argument or config path (dotted, e.g. `trend.adxEnter`) that held the bad value. */
  readonly field: string;
  /**
   * The bad value, as given: the rejected input verbatim; not shown by `inspect` or
   * `JSON.stringify` (a non-enumerable property, so `console.error(error)` never prints it).
   */
  declare readonly value: unknown;

  constructor(
    code: RegimeErrorCode,
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
 * True when `value` is a `RegimeError` (or a subclass) thrown by any copy of `@gpt/regime`.
 * It checks the package's brand rather than the prototype, so it holds where `instanceof` against
 * one copy's class would not: loading the ESM and the CommonJS build in one process gives two
 * copies.
 *
 * @example
 * try { run(); } catch (error) { if (isRegimeError(error)) report(error.code); else throw error; }
 */
export function isRegimeError(value: unknown): value is RegimeError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { [ERROR_BRAND]?: unknown })[ERROR_BRAND] === true
  );
}

/** `instanceof` across copies for the classes of this file (see `RegimeError[Symbol.hasInstance]`). */
function isInstanceAcrossCopies(cls: typeof RegimeError, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(cls, value)) return true;
  if (!isRegimeError(value) || !Object.hasOwn(cls, "errorClass")) return false;
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const ctor: unknown = Object.hasOwn(proto, "constructor") ? proto.constructor : undefined;
    if (typeof ctor === "function" && Object.hasOwn(ctor, "errorClass")) {
      if ((ctor as typeof RegimeError).errorClass === cls.errorClass) return true;
    }
  }
  return false;
}
