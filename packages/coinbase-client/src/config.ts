/** The options of `createCoinbaseClient`. */

/** A CDP API key: its name (or id) and its private key, as in the downloaded `cdp_api_key.json`. */
export interface CoinbaseCredentials {
  /**
   * The key name: `organizations/{org_id}/apiKeys/{key_id}` for ECDSA keys, the key id (a UUID) for
   * Ed25519 keys. It is the JWT's `kid` and `sub`.
   */
  readonly keyName: string;
  /**
   * The private key: an EC P-256 PEM (SEC1 `BEGIN EC PRIVATE KEY` or PKCS#8 `BEGIN PRIVATE KEY`),
   * an Ed25519 PKCS#8 PEM, or Coinbase's base64 Ed25519 secret (64 bytes: seed and public key; a bare
   * 32-byte seed works too). Literal `\n` sequences (keys kept in env vars) are read as newlines.
   */
  readonly privateKey: string;
}

/**
 * Where the client reports the failures it handled (a retry after a 429, a 5xx, a timeout or a
 * 401), with `{ operation, path, code, status, attempt, delayMs }`; never a token, key or query
 * string. Any object with a `warn` method works (console, pino, winston).
 */
export interface CoinbaseClientLogger {
  /** Called once per retry. */
  warn?(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** The client-side token buckets (Coinbase documents 30 requests/s private, 10/s public). */
export interface RateLimitOptions {
  /** Private (authenticated) requests per second; default 30. */
  readonly privatePerSecond?: number;
  /** Public requests per second; default 10. */
  readonly publicPerSecond?: number;
  /** How many requests may go at once before the rate applies; default: one second's worth. */
  readonly burst?: number;
}

/** Retries of requests that may be resent (GETs by default). */
export interface RetryOptions {
  /** Attempts in all, the first included; default 4. `1` disables retries. */
  readonly maxAttempts?: number;
  /** The first backoff, in milliseconds; doubled each time, with full jitter; default 250. */
  readonly baseDelayMs?: number;
  /** The longest backoff, in milliseconds (a `Retry-After` may ask for more, up to 60 s); default 10 000. */
  readonly maxDelayMs?: number;
}

/** The part of a `fetch` response the client reads. */
export interface FetchResponseLike {
  /** The HTTP status. */
  readonly status: number;
  /** The response headers. */
  readonly headers: { get(name: string): string | null };
  /** The whole body as text. */
  text(): Promise<string>;
}

/** The request the client hands to a `fetch` function. */
export interface FetchRequestInit {
  /** The HTTP method. */
  readonly method: string;
  /** The request headers. */
  readonly headers: Record<string, string>;
  /** The JSON body, if any. */
  readonly body?: string;
  /** Aborted on timeout or when the caller aborts. */
  readonly signal: AbortSignal;
}

/** A `fetch`-compatible function (`globalThis.fetch`, undici's `fetch`, or a test double). */
export type FetchLike = (url: string, init: FetchRequestInit) => Promise<FetchResponseLike>;

/** Timers the client waits with; injectable so tests control time. */
export interface ClientTimers {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Schedules `callback` after `ms` milliseconds; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a scheduled callback. */
  clearTimeout(handle: unknown): void;
}

/** The options of `createCoinbaseClient`. Every field is optional. */
export interface CoinbaseClientConfig {
  /** The CDP API key; without it only public endpoints can be called. */
  readonly credentials?: CoinbaseCredentials;
  /** The API origin; default `https://api.coinbase.com`. Paths go under `/api/v3/brokerage`. */
  readonly baseUrl?: string;
  /** Per-attempt timeout in milliseconds; default 10 000. */
  readonly timeoutMs?: number;
  /**
   * The largest response body read, in bytes; default 33,554,432 (32 MiB, well above any Coinbase
   * page). A longer body is abandoned as it streams in and the request fails with `invalid-response`.
   */
  readonly maxResponseBytes?: number;
  /** Send requests with this `fetch` instead of the built-in keep-alive connection pool. */
  readonly fetch?: FetchLike;
  /** Receives a warning per retry; the client is silent without one. */
  readonly logger?: CoinbaseClientLogger;
  /** Token-bucket limits, or `false` to send without waiting. */
  readonly rateLimit?: false | RateLimitOptions;
  /** Retry settings, or `false` to never retry. */
  readonly retry?: false | RetryOptions;
  /** A random number in [0, 1) for backoff jitter; default `Math.random`. */
  readonly random?: () => number;
  /** The clock and timers the client waits with; default the real ones. */
  readonly timers?: ClientTimers;
  /** The id source for `client_order_id`; default `crypto.randomUUID`. */
  readonly newId?: () => string;
}
