/**
 * The contract between the client's transport and its actions: an action builds a `RequestSpec`
 * and hands it to `ClientContext.request`, which signs, rate-limits, times out, retries and parses
 * the JSON body.
 */

/** An HTTP method the Advanced Trade API uses. */
export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** A query parameter value: arrays become repeated keys, `undefined` is left out. */
export type QueryValue = string | number | boolean | readonly string[] | undefined;

/** One request, as an action describes it. */
export interface RequestSpec {
  /** The client method name, e.g. `"getOrder"` (used in errors and for the rate-limit bucket). */
  readonly operation: string;
  /** The HTTP method. */
  readonly method: HttpMethod;
  /** The path after `/api/v3/brokerage`, starting with `/`; path params already `encodeURIComponent`-ed. */
  readonly path: string;
  /** Query parameters; arrays as repeated keys, `undefined` dropped. */
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** The JSON body (serialised with `JSON.stringify`). */
  readonly body?: unknown;
  /** `"public"`: no JWT (the `/market/*` and `/time` endpoints). */
  readonly auth: "private" | "public";
  /** Whether the transport may resend the request; default `"safe"` for GET, `"never"` otherwise. */
  readonly retry?: "safe" | "never";
}

/** Per-call options every client method accepts as its last argument. */
export interface CallOptions {
  /** Aborts the request (and any wait for the rate limiter or a retry); the call rejects with code `aborted`. */
  readonly signal?: AbortSignal;
  /** This call's timeout in milliseconds (each attempt), instead of the client's `timeoutMs`. */
  readonly timeoutMs?: number;
  /** Public endpoints: send `cache-control: no-cache` to bypass Coinbase's 1-second cache. */
  readonly noCache?: boolean;
}

/** What an action is given: the client's transport and its id source. */
export interface ClientContext {
  /** Sends one request (rate limit, JWT, timeout, retries per spec) and returns the parsed JSON body of a 2xx; throws CoinbaseClientError otherwise. */
  request(spec: RequestSpec, options?: CallOptions): Promise<unknown>;
  /** A fresh random UUID v4 (client_order_id); injectable for tests. */
  newId(): string;
}
