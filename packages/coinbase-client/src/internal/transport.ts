import { randomUUID } from "node:crypto";
import { createJwtSigner, type JwtSigner } from "../auth/jwt.js";
import type { ClientTimers, CoinbaseClientConfig, CoinbaseClientLogger } from "../config.js";
import { CoinbaseClientError } from "../errors.js";
import { type CheckedBase, checkConfig } from "./config-check.js";
import type { CallOptions, ClientContext, RequestSpec } from "./context.js";
import { createFetchSender, createPoolSender, type HttpSender, type RawResponse } from "./http.js";
import { looksLikeHtml, parseErrorBody, retryAfterSeconds } from "./http-errors.js";
import { createRateLimiter, type RateLimiter } from "./rate-limit.js";
import { backoffMs, type RetryPolicy, retryPolicy } from "./retry.js";
import { realTimers, WaitAborted, wait } from "./timers.js";

/** The API prefix every endpoint path sits under. */
const API_PREFIX = "/api/v3/brokerage";
/** Default per-attempt timeout. */
const DEFAULT_TIMEOUT_MS = 10_000;

/** A transport: the context actions call, and `close` for its connections. */
export interface Transport {
  readonly context: ClientContext;
  close(): Promise<void>;
}

/** Everything one request needs, fixed at construction. */
interface Setup {
  readonly base: CheckedBase;
  readonly sender: HttpSender;
  readonly signer: JwtSigner | undefined;
  readonly limiter: RateLimiter;
  readonly policy: RetryPolicy;
  readonly timers: ClientTimers;
  readonly random: () => number;
  readonly timeoutMs: number;
  readonly logger: CoinbaseClientLogger | undefined;
  readonly isClosed: () => boolean;
}

/**
 * Builds a client's transport: checks the config, parses the key once, and returns the context
 * whose `request` rate-limits, signs a fresh JWT per attempt, times out, retries what may be
 * retried, and maps every failure to a `CoinbaseClientError`.
 */
export function createTransport(config: CoinbaseClientConfig): Transport {
  const base = checkConfig(config);
  const timers = config.timers ?? realTimers;
  const signer =
    config.credentials === undefined
      ? undefined
      : createJwtSigner(config.credentials, { now: () => timers.now() });
  const sender =
    config.fetch === undefined ? createPoolSender(base.origin) : createFetchSender(base.origin, config.fetch);
  let closed = false;
  const setup: Setup = {
    base,
    sender,
    signer,
    limiter: createRateLimiter(config.rateLimit, timers),
    policy: retryPolicy(config.retry),
    timers,
    random: config.random ?? Math.random,
    timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    logger: config.logger,
    isClosed: () => closed,
  };
  const context: ClientContext = {
    request: (spec, options) => sendRequest(setup, spec, options),
    newId: config.newId ?? randomUUID,
  };
  return {
    context,
    close() {
      closed = true;
      return sender.close();
    },
  };
}

async function sendRequest(setup: Setup, spec: RequestSpec, options: CallOptions = {}): Promise<unknown> {
  const { operation, method } = spec;
  const fail = (code: CoinbaseClientError["code"], message: string, extra: object = {}) =>
    new CoinbaseClientError(code, `${operation}: ${message}`, { operation, path: spec.path, ...extra });
  if (setup.isClosed()) throw fail("aborted", "the client is closed");
  if (spec.auth === "private" && setup.signer === undefined) {
    throw fail("invalid-config", "this endpoint needs credentials; create the client with { credentials }");
  }
  const timeoutMs = options.timeoutMs ?? setup.timeoutMs;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw fail("invalid-request", "options.timeoutMs must be a positive number", { field: "timeoutMs" });
  }
  const mayRetry = (spec.retry ?? (method === "GET" ? "safe" : "never")) === "safe";
  const fullPath = `${setup.base.basePath}${API_PREFIX}${spec.path}`;
  const pathAndQuery = `${fullPath}${queryString(spec.query)}`;
  const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
  const signal = options.signal;
  let retried401 = false;

  for (let attempt = 1; ; attempt++) {
    try {
      await setup.limiter.take(spec.auth, signal);
    } catch (error) {
      throw abortedError(fail, error);
    }
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (options.noCache === true) headers["cache-control"] = "no-cache";
    if (spec.auth === "private" && setup.signer !== undefined) {
      headers.authorization = `Bearer ${setup.signer.signRest(method, `${setup.base.host}${fullPath}`)}`;
    }

    let error: CoinbaseClientError;
    const outcome = await sendOnce(setup, { method, pathAndQuery, headers, body, signal, timeoutMs });
    if ("response" in outcome) {
      const response = outcome.response;
      if (response.status >= 200 && response.status <= 299) return parseJsonBody(response, fail);
      error = httpError(setup, response, fail);
      if (
        response.status === 401 &&
        method === "GET" &&
        spec.auth === "private" &&
        !retried401 &&
        setup.policy.maxAttempts > 1
      ) {
        // Coinbase sometimes rejects a valid token; one immediate retry with a freshly signed one.
        retried401 = true;
        attempt--;
        log(setup.logger, "warn", "retrying once with a fresh JWT after 401", { operation, path: spec.path });
        continue;
      }
    } else if (outcome.kind === "aborted") {
      throw fail("aborted", "aborted by the caller", { cause: outcome.cause });
    } else if (outcome.kind === "timeout") {
      error = fail("timeout", `no complete response within ${timeoutMs} ms (${method} ${spec.path})`, {
        retryable: true,
      });
    } else {
      error = fail("network", `the request failed before a complete response (${method} ${spec.path})`, {
        retryable: true,
        cause: outcome.cause,
      });
    }

    if (!mayRetry || !error.retryable || attempt >= setup.policy.maxAttempts) throw error;
    const delayMs = backoffMs(setup.policy, attempt, setup.random, error.retryAfterSeconds);
    log(setup.logger, "warn", "retrying after a failure", {
      operation,
      path: spec.path,
      code: error.code,
      status: error.status,
      attempt,
      delayMs,
    });
    try {
      await wait(setup.timers, delayMs, signal);
    } catch (cause) {
      throw abortedError(fail, cause);
    }
  }
}

type Outcome =
  | { readonly response: RawResponse }
  | { readonly kind: "timeout" | "aborted" | "network"; readonly cause: unknown };

/** One HTTP exchange under a timer and the caller's signal. */
async function sendOnce(
  setup: Setup,
  request: {
    method: string;
    pathAndQuery: string;
    headers: Record<string, string>;
    body: string | undefined;
    signal: AbortSignal | undefined;
    timeoutMs: number;
  },
): Promise<Outcome> {
  const { signal } = request;
  if (signal?.aborted) return { kind: "aborted", cause: signal.reason };
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  const timer = setup.timers.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);
  try {
    const response = await setup.sender.send({
      method: request.method,
      pathAndQuery: request.pathAndQuery,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: controller.signal,
    });
    return { response };
  } catch (cause) {
    if (timedOut) return { kind: "timeout", cause };
    if (signal?.aborted) return { kind: "aborted", cause: signal.reason };
    return { kind: "network", cause: safeCause(cause) };
  } finally {
    setup.timers.clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

type Fail = (code: CoinbaseClientError["code"], message: string, extra?: object) => CoinbaseClientError;

function parseJsonBody(response: RawResponse, fail: Fail): unknown {
  const text = response.body;
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    const what = looksLikeHtml(text, response.header("content-type"))
      ? "an HTML page"
      : `${text.length} characters that are not JSON`;
    return throwing(
      fail("invalid-response", `HTTP ${response.status} with ${what}`, { status: response.status }),
    );
  }
}

function httpError(setup: Setup, response: RawResponse, fail: Fail): CoinbaseClientError {
  const { status } = response;
  const parsed = parseErrorBody(response.body, response.header("content-type"));
  const retryAfter =
    status === 429 || status === 503
      ? retryAfterSeconds((n) => response.header(n), setup.timers.now())
      : undefined;
  const detail =
    `${parsed.coinbaseCode === undefined ? "" : ` ${parsed.coinbaseCode}`}` +
    `${parsed.coinbaseMessage === undefined ? "" : `: ${parsed.coinbaseMessage}`}` +
    `${parsed.kind === "html" ? " (an HTML page)" : ""}`;
  return fail(status === 429 ? "rate-limited" : "http", `HTTP ${status}${detail}`, {
    status,
    retryable: status === 429 || status === 408 || status >= 500,
    ...(parsed.coinbaseCode === undefined ? {} : { coinbaseCode: parsed.coinbaseCode }),
    ...(parsed.coinbaseMessage === undefined ? {} : { coinbaseMessage: parsed.coinbaseMessage }),
    ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
  });
}

function abortedError(fail: Fail, error: unknown): CoinbaseClientError {
  const cause = error instanceof WaitAborted ? error.cause : error;
  return fail("aborted", "aborted by the caller", { cause });
}

/**
 * A network error as a cause: its class, code and message only (undici's errors can hold the
 * request, headers included, and so the JWT).
 */
function safeCause(cause: unknown): unknown {
  if (!(cause instanceof Error)) return undefined;
  const copy = new Error(cause.message);
  copy.name = cause.name;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === "string") Object.defineProperty(copy, "code", { value: code, enumerable: true });
  return copy;
}

function throwing(error: CoinbaseClientError): never {
  throw error;
}

function log(
  logger: CoinbaseClientLogger | undefined,
  level: "debug" | "warn",
  message: string,
  fields: Record<string, unknown>,
): void {
  try {
    logger?.[level]?.(message, fields);
  } catch {
    // A failing logger never fails a request.
  }
}

/** `?a=1&b=x&b=y` from a query record: arrays as repeated keys, undefined dropped. */
function queryString(query: RequestSpec["query"]): string {
  if (query === undefined) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, item);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}
