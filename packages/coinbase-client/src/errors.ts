/**
 * The reason codes a `CoinbaseClientError` can carry.
 *
 * - `invalid-request`: the caller's params failed validation; nothing was sent.
 * - `invalid-response`: a 2xx body that is not JSON or does not have the documented shape.
 * - `http`: Coinbase answered with a non-2xx status other than 429 (see `status`, `coinbaseCode`).
 * - `rate-limited`: HTTP 429, still there after the retries allowed.
 * - `timeout`: no complete answer within the request's timeout.
 * - `aborted`: the caller's `AbortSignal` fired.
 * - `network`: the connection failed (refused, reset, DNS, TLS, a body cut short).
 * - `invalid-key`: the credentials could not be parsed into a signing key.
 * - `invalid-config`: `createCoinbaseClient` was given options it cannot use.
 * - `ws-message-invalid`: a WebSocket frame that is not JSON or does not have the documented shape
 *   (`field` names the JSON path).
 * - `ws-closed`: a WebSocket connection kept closing and the stream gave up on it after
 *   `reconnect.maxAttempts` attempts (`status` holds the last close code).
 * - `ws-subscribe-failed`: a subscribe or unsubscribe was refused: Coinbase answered it with an
 *   error message (`coinbaseMessage` holds its text) or an ack that does not list it, the `jwt`
 *   function threw, or it could not be sent. `field` names the channel; a refused subscribe is
 *   retried by the stream (`retryable`).
 * - `ws-server-error`: Coinbase sent an error message while no subscribe or unsubscribe of that
 *   connection was waiting for an answer (`coinbaseMessage` holds its text): nothing of ours is blamed.
 * - `ws-book-invalid`: a level-2 update could not be applied or left the book crossed.
 * - `ws-handler-failed`: an event handler passed to `stream.on` threw (`cause` holds what it threw).
 */
export type CoinbaseClientErrorCode =
  | "invalid-request"
  | "invalid-response"
  | "http"
  | "rate-limited"
  | "timeout"
  | "aborted"
  | "network"
  | "invalid-key"
  | "invalid-config"
  | "ws-message-invalid"
  | "ws-closed"
  | "ws-subscribe-failed"
  | "ws-server-error"
  | "ws-book-invalid"
  | "ws-handler-failed";

/** The details a `CoinbaseClientError` is constructed with (all optional except where a code needs them). */
export interface CoinbaseClientErrorDetails {
  /** The client method that failed, e.g. `"getOrder"`; `"createCoinbaseClient"` for config and key errors. */
  readonly operation?: string | undefined;
  /** The request path after `/api/v3/brokerage` (never the query string or a token). */
  readonly path?: string | undefined;
  /** The HTTP status, when a response arrived. */
  readonly status?: number | undefined;
  /** Coinbase's error code from the body (`"INVALID_ARGUMENT"`, `"NOT_FOUND"`, …), when it sent one. */
  readonly coinbaseCode?: string | undefined;
  /** Coinbase's error message from the body, when it sent one. */
  readonly coinbaseMessage?: string | undefined;
  /** Whether sending the same request again could succeed (429, 5xx, timeouts, network failures). */
  readonly retryable?: boolean | undefined;
  /** The field (dotted JSON path) that failed validation, for `invalid-request` and `invalid-response`. */
  readonly field?: string | undefined;
  /** Seconds Coinbase asked us to wait (`Retry-After` / `x-ratelimit-reset`), when a 429 carried it. */
  readonly retryAfterSeconds?: number | undefined;
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

/**
 * The key of the brand every `CoinbaseClientError` carries (a non-enumerable own property, `true`).
 * It is a `Symbol.for` key, so every copy of `@gpt/coinbase-client` loaded in one process (its ESM and
 * CommonJS builds side by side, or two installed versions) uses the same one.
 */
const ERROR_BRAND = Symbol.for("@gpt/coinbase-client/error");

/**
 * The one error class of `@gpt/coinbase-client`. Branch on `code`; `status`, `coinbaseCode` and
 * `coinbaseMessage` describe an HTTP failure. Messages and fields name operations, paths, statuses
 * and field paths, never a key, a JWT, a query string or a rejected value.
 *
 * Order rejections that Coinbase returns as HTTP 200 with `success: false` are results, not errors.
 *
 * @example
 * try { await client.getOrder({ orderId }); }
 * catch (error) { if (isCoinbaseClientError(error) && error.status === 404) return undefined; throw error; }
 */
export class CoinbaseClientError extends Error {
  override readonly name = "CoinbaseClientError";

  /**
   * The tag of this class in the cross-copy `instanceof` check: `error instanceof CoinbaseClientError`
   * matches an error from any copy of the package.
   */
  static readonly errorClass: string = "CoinbaseClientError";

  /**
   * `instanceof` that also recognises errors from another copy of `@gpt/coinbase-client` (they carry
   * the package's brand and the same `errorClass`). Classes you derive yourself keep the plain check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of instanceof (or a subclass).
    return isInstanceAcrossCopies(this, value);
  }

  /** What went wrong, as a stable code. */
  readonly code: CoinbaseClientErrorCode;
  /** The client method that failed (`"getOrder"`), or `"createCoinbaseClient"`. */
  readonly operation: string;
  /** The request path after `/api/v3/brokerage`, without the query string; `""` when nothing was sent. */
  readonly path: string;
  /** The HTTP status, when a response arrived. */
  readonly status: number | undefined;
  /** Coinbase's error code (`"INVALID_ARGUMENT"`, `"PERMISSION_DENIED"`, …), when the body had one. */
  readonly coinbaseCode: string | undefined;
  /** Coinbase's error message, when the body had one. */
  readonly coinbaseMessage: string | undefined;
  /** Whether the same request could succeed if sent again. */
  readonly retryable: boolean;
  /** The dotted path of the field that failed validation (`"order_configuration.limit_limit_gtc.base_size"`). */
  readonly field: string | undefined;
  /** Seconds Coinbase asked us to wait before retrying, when it said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: CoinbaseClientErrorCode, message: string, details: CoinbaseClientErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    Object.defineProperty(this, ERROR_BRAND, { value: true });
    this.code = code;
    this.operation = details.operation ?? "";
    this.path = stripQuery(details.path ?? "");
    this.status = details.status;
    this.coinbaseCode = details.coinbaseCode;
    this.coinbaseMessage = details.coinbaseMessage;
    this.retryable = details.retryable ?? false;
    this.field = details.field;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/**
 * True when `value` is a `CoinbaseClientError` thrown by any copy of `@gpt/coinbase-client` (it checks
 * the package's brand, so it holds across the ESM and CommonJS builds).
 *
 * @example
 * if (isCoinbaseClientError(error) && error.code === "rate-limited") scheduleLater();
 */
export function isCoinbaseClientError(value: unknown): value is CoinbaseClientError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { [ERROR_BRAND]?: unknown })[ERROR_BRAND] === true
  );
}

/** A path never carries its query string into an error (it may hold a cursor or a token). */
function stripQuery(path: string): string {
  const at = path.indexOf("?");
  return at === -1 ? path : path.slice(0, at);
}

/** `instanceof` across copies (see `CoinbaseClientError[Symbol.hasInstance]`). */
function isInstanceAcrossCopies(cls: typeof CoinbaseClientError, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(cls, value)) return true;
  if (!isCoinbaseClientError(value) || !Object.hasOwn(cls, "errorClass")) return false;
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const ctor: unknown = Object.hasOwn(proto, "constructor") ? proto.constructor : undefined;
    if (typeof ctor === "function" && Object.hasOwn(ctor, "errorClass")) {
      if ((ctor as typeof CoinbaseClientError).errorClass === cls.errorClass) return true;
    }
  }
  return false;
}
