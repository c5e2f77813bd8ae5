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
 * The one error class of `@gpt/coinbase-sim`. It carries a stable `code`, `context` (field names,
 * product ids, line numbers; never key material) and the underlying `cause`.
 */
export class CoinbaseSimError extends Error {
  override readonly name = "CoinbaseSimError";
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
    this.code = code;
    this.context = context;
  }
}
