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
 * The one error class of `@gpt/kernel`. Branch on `code`; `context` holds the details the message
 * spells out. Trading outcomes (denials, skips, rejections) are events, never errors: a
 * `KernelError` always means a programming or configuration mistake.
 */
export class KernelError extends Error {
  override readonly name = "KernelError" as const;
  /** What went wrong, as a stable code. */
  readonly code: KernelErrorCode;
  /** Structured details. */
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: KernelErrorCode, message: string, options: KernelErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.context = options.context ?? {};
  }
}
