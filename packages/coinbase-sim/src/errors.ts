/**
 * The reason codes a `CoinbaseSimError` can carry.
 *
 * - `invalid-config`: a `startSimulator` option that cannot be used (unknown product, empty data,
 *   bad speed or seed, a port that is not an integer) or a fault script that does not validate;
 *   the option or the script's field path (`faults.rest[0].count`) is in `context.field`.
 * - `invalid-data`: a bar series that cannot be replayed (a CSV row that does not parse, bars out
 *   of order).
 * - `invalid-key`: a public key given to `addKey` that cannot be imported (not an EC P-256 or
 *   Ed25519 public key).
 * - `start-failed`: the HTTP server could not listen (the port is taken).
 */
export type CoinbaseSimErrorCode = "invalid-config" | "invalid-data" | "invalid-key" | "start-failed";

/**
 * The key of the brand every `CoinbaseSimError` carries (a non-enumerable own property, `true`). A
 * `Symbol.for` key, so every copy of `@gpt/coinbase-sim` loaded in one process (its ESM and CommonJS
 * builds side by side, or two installed versions) uses the same one.
 */
const ERROR_BRAND = Symbol.for("@gpt/coinbase-sim/error");

/**
 * The one error class of `@gpt/coinbase-sim`. It carries a stable `code`, `context` (field names,
 * product ids, line numbers; never key material) and the underlying `cause`. `instanceof` and
 * `isCoinbaseSimError` recognise errors from any copy of the package.
 */
export class CoinbaseSimError extends Error {
  override readonly name = "CoinbaseSimError";

  /**
   * The tag of this class in the cross-copy `instanceof` check: `error instanceof CoinbaseSimError`
   * matches an error from any copy of the package.
   */
  static readonly errorClass: string = "CoinbaseSimError";

  /**
   * `instanceof` that also recognises errors from another copy of `@gpt/coinbase-sim` (they carry the
   * package's brand and the same `errorClass`). Classes you derive yourself keep the plain check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of instanceof (or a subclass).
    return isInstanceAcrossCopies(this, value);
  }
  /** What went wrong, as a stable code. */
  readonly code: CoinbaseSimErrorCode;
  /** Where it went wrong: field names, product ids, line numbers. Never a key or a token. */
  readonly context: Readonly<Record<string, string | number | boolean>>;

  constructor(
    code: CoinbaseSimErrorCode,
    message: string,
    context: Readonly<Record<string, string | number | boolean>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    Object.defineProperty(this, ERROR_BRAND, { value: true });
    this.code = code;
    this.context = context;
  }
}

/**
 * True when `value` is a `CoinbaseSimError` thrown by any copy of `@gpt/coinbase-sim` (it checks the
 * package's brand, so it holds across the ESM and CommonJS builds).
 *
 * @example
 * try { await startSimulator({ port: 8080 }); }
 * catch (error) { if (isCoinbaseSimError(error) && error.code === "start-failed") console.log("port taken"); }
 */
export function isCoinbaseSimError(value: unknown): value is CoinbaseSimError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { [ERROR_BRAND]?: unknown })[ERROR_BRAND] === true
  );
}

/** `instanceof` across copies (see `CoinbaseSimError[Symbol.hasInstance]`). */
function isInstanceAcrossCopies(cls: typeof CoinbaseSimError, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(cls, value)) return true;
  if (!isCoinbaseSimError(value) || !Object.hasOwn(cls, "errorClass")) return false;
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const ctor: unknown = Object.hasOwn(proto, "constructor") ? proto.constructor : undefined;
    if (typeof ctor === "function" && Object.hasOwn(ctor, "errorClass")) {
      if ((ctor as typeof CoinbaseSimError).errorClass === cls.errorClass) return true;
    }
  }
  return false;
}
