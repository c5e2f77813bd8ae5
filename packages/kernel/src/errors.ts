import { describeValue } from "@gpt/core";

/**
 * Stable reason codes of `KernelError`.
 *
 * - `invalid-options`: `createTrader` options that cannot work (unknown instrument, two
 *   strategies on one instrument, a settlement currency the account does not hold, a sizing
 *   method whose observations the kernel cannot supply, …).
 * - `unknown-instrument`: market data or a command for an instrument the provider does not know.
 * - `unknown-order`: a command (`retryOrder`) for a client order id the cache does not hold.
 * - `invalid-state`: a command that the order's state does not allow (e.g. retrying an order
 *   whose submit outcome is known).
 * - `re-entrant-call`: `onBar`/`onMarketData` called from inside an event handler of the same
 *   trader (feed market data from the driver, not from a subscriber).
 * - `stopped`: a command on a stopped trader.
 */
export type KernelErrorCode =
  | "invalid-options"
  | "unknown-instrument"
  | "unknown-order"
  | "invalid-state"
  | "re-entrant-call"
  | "stopped";

/** Options of `KernelError`. */
export interface KernelErrorOptions {
  /** Structured details (ids, fields, values). Never secrets. */
  readonly context?: Readonly<Record<string, unknown>>;
  /** The underlying error. */
  readonly cause?: unknown;
}

/**
 * The key of the brand every `KernelError` carries (a non-enumerable own property, `true`). It is a
 * `Symbol.for` key, so every copy of `@gpt/kernel` loaded in one process (its ESM and CommonJS builds
 * side by side, or two installed versions) uses the same one. See `isKernelError`.
 */
const ERROR_BRAND = Symbol.for("@gpt/kernel/error");

/**
 * The one error class of `@gpt/kernel`. Branch on `code`; `context` holds the details the message
 * spells out. Trading outcomes (denials, skips, rejections) are events, never errors: a
 * `KernelError` always means a programming or configuration mistake.
 */
export class KernelError extends Error {
  override readonly name = "KernelError" as const;

  /**
   * The tag of this class in the cross-copy `instanceof` check. Each subclass sets its own, so
   * `error instanceof X` matches an `X` (or a subclass of it) from any copy of the package, and
   * no other error.
   */
  static readonly errorClass: string = "KernelError";

  /**
   * `instanceof` that also recognises errors from another copy of `@gpt/kernel`: an error that
   * carries this package's brand and whose class, or an ancestor of it, has the same
   * `errorClass`. Classes you derive yourself keep the plain prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of instanceof (or a subclass).
    return isInstanceAcrossCopies(this, value);
  }

  /** What went wrong, as a stable code. */
  readonly code: KernelErrorCode;
  /**
   * Structured details, safe to print: ids, field names and statuses as given; any other entry
   * (`value`, …) as given only when it is a number, a boolean or short number-shaped text, else as
   * its description (`"a 24-character string"`), so `inspect(error)` never repeats a secret.
   */
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: KernelErrorCode, message: string, options: KernelErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Object.defineProperty(this, ERROR_BRAND, { value: true });
    this.code = code;
    this.context = safeContext(options.context ?? {});
  }
}

/**
 * True when `value` is a `KernelError` (or a subclass) thrown by any copy of `@gpt/kernel`.
 * It checks the package's brand rather than the prototype, so it holds where `instanceof` against
 * one copy's class would not: loading the ESM and the CommonJS build in one process gives two
 * copies.
 *
 * @example
 * try { run(); } catch (error) { if (isKernelError(error)) report(error.code); else throw error; }
 */
export function isKernelError(value: unknown): value is KernelError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { [ERROR_BRAND]?: unknown })[ERROR_BRAND] === true
  );
}

/** `instanceof` across copies for the classes of this file (see `KernelError[Symbol.hasInstance]`). */
function isInstanceAcrossCopies(cls: typeof KernelError, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(cls, value)) return true;
  if (!isKernelError(value) || !Object.hasOwn(cls, "errorClass")) return false;
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const ctor: unknown = Object.hasOwn(proto, "constructor") ? proto.constructor : undefined;
    if (typeof ctor === "function" && Object.hasOwn(ctor, "errorClass")) {
      if ((ctor as typeof KernelError).errorClass === cls.errorClass) return true;
    }
  }
  return false;
}

/** Number-shaped text short enough to show: it cannot carry a credential. */
const QUOTABLE = /^[0-9eE.+-]{1,24}$/;
/** Context entries that hold names, ids and statuses this package chose or already validated. */
const LABEL_KEYS: ReadonlySet<string> = new Set([
  "field",
  "strategyId",
  "instrumentId",
  "strategies",
  "currency",
  "clientOrderId",
  "status",
  "type",
  "snapshot",
  "trader",
]);

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
