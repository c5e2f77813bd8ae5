import { describeValue } from "@gpt/core";

/**
 * Stable reason codes of `PaperEngineError`.
 *
 * - `invalid-config`: a bad engine or model configuration (named in `context.field`).
 * - `unknown-instrument`: market data or a query for an instrument the engine was not given.
 * - `invalid-data`: market data that cannot be used (e.g. a non-finite price).
 * - `invalid-request`: a request that cannot be expressed as a venue event (e.g. modifying an
 *   inactive bracket leg, which has no venue state yet).
 * - `handler-failed`: an event handler threw; the engine finished the operation first, so its
 *   state is consistent, then rethrew the first handler error (kept as `cause`).
 */
export type PaperEngineErrorCode =
  | "invalid-config"
  | "unknown-instrument"
  | "invalid-data"
  | "invalid-request"
  | "handler-failed";

/**
 * The key of the brand every `PaperEngineError` carries (a non-enumerable own property, `true`). It is a
 * `Symbol.for` key, so every copy of `@gpt/paper-engine` loaded in one process (its ESM and CommonJS builds
 * side by side, or two installed versions) uses the same one. See `isPaperEngineError`.
 */
const ERROR_BRAND = Symbol.for("@gpt/paper-engine/error");

/** The one error class of `@gpt/paper-engine`. Orders the venue refuses are events, not errors. */
export class PaperEngineError extends Error {
  override readonly name = "PaperEngineError" as const;

  /**
   * The tag of this class in the cross-copy `instanceof` check. Each subclass sets its own, so
   * `error instanceof X` matches an `X` (or a subclass of it) from any copy of the package, and
   * no other error.
   */
  static readonly errorClass: string = "PaperEngineError";

  /**
   * `instanceof` that also recognises errors from another copy of `@gpt/paper-engine`: an error that
   * carries this package's brand and whose class, or an ancestor of it, has the same
   * `errorClass`. Classes you derive yourself keep the plain prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of instanceof (or a subclass).
    return isInstanceAcrossCopies(this, value);
  }

  /** What went wrong, as a stable code. */
  readonly code: PaperEngineErrorCode;
  /**
   * Structured details (fields, values, ids), safe to print: ids and field names as given; any
   * other entry (`value`, …) as given only when it is a number, a boolean or short number-shaped
   * text, else as its description (`"a 24-character string"`), so `inspect(error)` never repeats a
   * secret.
   */
  readonly context: Readonly<Record<string, unknown>>;

  constructor(
    code: PaperEngineErrorCode,
    message: string,
    options: { readonly context?: Readonly<Record<string, unknown>>; readonly cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Object.defineProperty(this, ERROR_BRAND, { value: true });
    this.code = code;
    this.context = safeContext(options.context ?? {});
  }
}

/**
 * True when `value` is a `PaperEngineError` (or a subclass) thrown by any copy of `@gpt/paper-engine`.
 * It checks the package's brand rather than the prototype, so it holds where `instanceof` against
 * one copy's class would not: loading the ESM and the CommonJS build in one process gives two
 * copies.
 *
 * @example
 * try { run(); } catch (error) { if (isPaperEngineError(error)) report(error.code); else throw error; }
 */
export function isPaperEngineError(value: unknown): value is PaperEngineError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { [ERROR_BRAND]?: unknown })[ERROR_BRAND] === true
  );
}

/** `instanceof` across copies for the classes of this file (see `PaperEngineError[Symbol.hasInstance]`). */
function isInstanceAcrossCopies(cls: typeof PaperEngineError, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(cls, value)) return true;
  if (!isPaperEngineError(value) || !Object.hasOwn(cls, "errorClass")) return false;
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const ctor: unknown = Object.hasOwn(proto, "constructor") ? proto.constructor : undefined;
    if (typeof ctor === "function" && Object.hasOwn(ctor, "errorClass")) {
      if ((ctor as typeof PaperEngineError).errorClass === cls.errorClass) return true;
    }
  }
  return false;
}

/** Number-shaped text short enough to show: it cannot carry a credential. */
const QUOTABLE = /^[0-9eE.+-]{1,24}$/;
/** Context entries that hold names, ids and statuses this package chose or already validated. */
const LABEL_KEYS: ReadonlySet<string> = new Set(["field", "instrumentId", "clientOrderId", "currency"]);

/**
 * A copy of `context` that is safe to print: label entries (`LABEL_KEYS`) as given; every other
 * entry (`value`, …) as given only when it is a number, a boolean, `null`, `undefined` or short
 * number-shaped text, else as `describeValue` renders it. The caller's object is not changed.
 */
function safeContext(context: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(context)) {
    const shown =
      LABEL_KEYS.has(key) ||
      typeof entry === "number" ||
      typeof entry === "boolean" ||
      entry === undefined ||
      entry === null ||
      (typeof entry === "string" && QUOTABLE.test(entry));
    out[key] = shown ? entry : describeValue(entry);
  }
  return out;
}
