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

/** The one error class of `@gpt/paper-engine`. Orders the venue refuses are events, not errors. */
export class PaperEngineError extends Error {
  override readonly name = "PaperEngineError" as const;
  /** What went wrong, as a stable code. */
  readonly code: PaperEngineErrorCode;
  /** Structured details (fields, values, ids). Never secrets. */
  readonly context: Readonly<Record<string, unknown>>;

  constructor(
    code: PaperEngineErrorCode,
    message: string,
    options: { readonly context?: Readonly<Record<string, unknown>>; readonly cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.context = options.context ?? {};
  }
}
