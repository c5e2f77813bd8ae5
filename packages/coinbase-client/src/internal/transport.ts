import { randomUUID } from "node:crypto";
import { createJwtSigner, type JwtSigner } from "../auth/jwt.js";
import type { ClientTimers, CoinbaseClientConfig, CoinbaseClientLogger } from "../config.js";
import { CoinbaseClientError, type CoinbaseClientErrorDetails } from "../errors.js";
import { type CheckedBase, checkConfig } from "./config-check.js";
import type { CallOptions, ClientContext, RequestSpec } from "./context.js";
import {
  createFetchSender,
  createPoolSender,
  type HttpSender,
  type RawRequest,
  type RawResponse,
  RESPONSE_TOO_LARGE,
} from "./http.js";
import { looksLikeHtml, parseErrorBody, retryAfterSeconds } from "./http-errors.js";
import { createRateLimiter, type RateLimiter } from "./rate-limit.js";
import { backoffMs, type RetryPolicy, retryPolicy } from "./retry.js";
import { realTimers, WaitAborted, wait } from "./timers.js";

/** The API prefix every endpoint path sits under. */
const API_PREFIX = "/api/v3/brokerage";
/** Default per-attempt timeout. */
const DEFAULT_TIMEOUT_MS = 10_000;
/** The default cap on a response body: 32 MiB. */
const DEFAULT_MAX_RESPONSE_BYTES = 33_554_432;

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
  readonly maxResponseBytes: number;
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
  const maxResponseBytes = config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const sender =
    config.fetch === undefined
      ? createPoolSender(base.origin, maxResponseBytes)
      : createFetchSender(base.origin, config.fetch, maxResponseBytes);
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
    maxResponseBytes,
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

/** Builds the errors of one request: `operation: message`, with its operation and path. */
type Fail = (
  code: CoinbaseClientError["code"],
  message: string,
  details?: CoinbaseClientErrorDetails,
) => CoinbaseClientError;

async function sendRequest(setup: Setup, spec: RequestSpec, options: CallOptions = {}): Promise<unknown> {
  const { operation, method, path, auth } = spec;
  const fail: Fail = (code, message, details) =>
    new CoinbaseClientError(code, `${operation}: ${message}`, { operation, path, ...details });
  if (setup.isClosed()) throw fail("aborted", "the client is closed");
  if (auth === "private" && setup.signer === undefined) {
    throw fail("invalid-config", "this endpoint needs credentials; create the client with { credentials }");
  }
  const timeoutMs = options.timeoutMs ?? setup.timeoutMs;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw fail("invalid-request", "options.timeoutMs must be a positive number", { field: "timeoutMs" });
  }
  const mayRetry = (spec.retry ?? (method === "GET" ? "safe" : "never")) === "safe";
  const fullPath = `${setup.base.basePath}${API_PREFIX}${path}`;
  const pathAndQuery = fullPath + queryString(spec.query);
  const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
  const { signal } = options;
  let retried401 = false;

  for (let attempt = 1; ; attempt++) {
    await setup.limiter.take(auth, signal).catch((cause: unknown) => {
      throw aborted(fail, cause);
    });
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (options.noCache) headers["cache-control"] = "no-cache";
    if (auth === "private")
      headers.authorization = `Bearer ${setup.signer?.signRest(method, setup.base.host + fullPath)}`;

    const outcome = await sendOnce(
      setup,
      { method, pathAndQuery, headers, body, signal },
      timeoutMs,
      fail,
      path,
    );
    if (outcome instanceof CoinbaseClientError) {
      if (outcome.code === "aborted") throw outcome;
    } else if (outcome.status >= 200 && outcome.status <= 299) {
      return parseJsonBody(outcome, fail);
    }
    const error = outcome instanceof CoinbaseClientError ? outcome : httpError(setup, outcome, fail);
    if (
      error.status === 401 &&
      method === "GET" &&
      auth === "private" &&
      !retried401 &&
      setup.policy.maxAttempts > 1
    ) {
      // Coinbase sometimes rejects a valid token; one immediate retry with a freshly signed one.
      retried401 = true;
      attempt--;
      log(setup.logger, "retrying once with a fresh JWT after 401", { operation, path });
      continue;
    }
    if (!mayRetry || !error.retryable || attempt >= setup.policy.maxAttempts) throw error;
    const delayMs = backoffMs(setup.policy, attempt, setup.random, error.retryAfterSeconds);
    log(setup.logger, "retrying after a failure", {
      operation,
      path,
      code: error.code,
      status: error.status,
      attempt,
      delayMs,
    });
    await wait(setup.timers, delayMs, signal).catch((cause: unknown) => {
      throw aborted(fail, cause);
    });
  }
}

/**
 * One HTTP exchange under a timer and the caller's signal: the complete response, or the error
 * (`timeout`, `aborted`, `network`) that ended it.
 */
async function sendOnce(
  setup: Setup,
  request: Omit<RawRequest, "signal" | "body"> & {
    body: string | undefined;
    signal: AbortSignal | undefined;
  },
  timeoutMs: number,
  fail: Fail,
  path: string,
): Promise<RawResponse | CoinbaseClientError> {
  const { signal } = request;
  if (signal?.aborted) return aborted(fail, signal.reason);
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  const timer = setup.timers.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    return await setup.sender.send({
      method: request.method,
      pathAndQuery: request.pathAndQuery,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: controller.signal,
    });
  } catch (cause) {
    const where = `(${request.method} ${path})`;
    if (cause === RESPONSE_TOO_LARGE)
      return fail(
        "invalid-response",
        `the response body is larger than ${setup.maxResponseBytes} bytes ${where}`,
      );
    if (timedOut)
      return fail("timeout", `no complete response within ${timeoutMs} ms ${where}`, { retryable: true });
    if (signal?.aborted) return aborted(fail, signal.reason);
    return fail("network", `the request failed before a complete response ${where}`, {
      retryable: true,
      cause: safeCause(cause),
    });
  } finally {
    setup.timers.clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

function parseJsonBody(response: RawResponse, fail: Fail): unknown {
  const text = response.body;
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    const what = looksLikeHtml(text, response.header("content-type"))
      ? "an HTML page"
      : `${text.length} characters that are not JSON`;
    throw fail("invalid-response", `HTTP ${response.status} with ${what}`, { status: response.status });
  }
}

function httpError(setup: Setup, response: RawResponse, fail: Fail): CoinbaseClientError {
  const { status } = response;
  const { kind, coinbaseCode, coinbaseMessage } = parseErrorBody(
    response.body,
    response.header("content-type"),
  );
  const detail = `${coinbaseCode ? ` ${coinbaseCode}` : ""}${coinbaseMessage ? `: ${coinbaseMessage}` : ""}${kind === "html" ? " (an HTML page)" : ""}`;
  return fail(status === 429 ? "rate-limited" : "http", `HTTP ${status}${detail}`, {
    status,
    retryable: status === 429 || status === 408 || status >= 500,
    coinbaseCode,
    coinbaseMessage,
    retryAfterSeconds:
      status === 429 || status === 503
        ? retryAfterSeconds((n) => response.header(n), setup.timers.now())
        : undefined,
  });
}

function aborted(fail: Fail, error: unknown): CoinbaseClientError {
  return fail("aborted", "aborted by the caller", {
    cause: error instanceof WaitAborted ? error.cause : error,
  });
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

/** Reports a retry to the logger, if any; a failing logger never fails a request. */
function log(
  logger: CoinbaseClientLogger | undefined,
  message: string,
  fields: Record<string, unknown>,
): void {
  try {
    logger?.warn?.(message, fields);
  } catch {
    // ignored on purpose
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
