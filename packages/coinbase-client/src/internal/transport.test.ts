import { jwtVerify } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CoinbaseClientConfig } from "../config.js";
import { CoinbaseClientError, isCoinbaseClientError } from "../errors.js";
import type { RequestSpec } from "./context.js";
import {
  ecTestKey,
  type Handler,
  hang,
  json,
  type ScriptServer,
  slowBody,
  startScriptServer,
  type TestTimers,
  testTimers,
  text,
  truncated,
} from "./test-support.js";
import { createTransport, type Transport } from "./transport.js";

const KEY_NAME = "organizations/org-1/apiKeys/key-1";
const key = ecTestKey();
let server: ScriptServer;
let timers: TestTimers;
const transports: Transport[] = [];

beforeAll(async () => {
  server = await startScriptServer();
});
afterAll(async () => {
  await Promise.all(transports.map((t) => t.close()));
  await server.close();
});
beforeEach(() => {
  server.seen.length = 0;
  timers = testTimers(Date.now());
});

/** A transport to the script server; `credentials: null` makes a keyless one. */
function transport(
  config: Omit<CoinbaseClientConfig, "credentials"> & {
    credentials?: CoinbaseClientConfig["credentials"] | null;
  } = {},
): Transport {
  const { credentials = { keyName: KEY_NAME, privateKey: key.pem }, ...rest } = config;
  const t = createTransport({
    baseUrl: server.url,
    ...(credentials === null ? {} : { credentials }),
    timeoutMs: 60_000,
    timers,
    random: () => 0.5,
    rateLimit: false,
    ...rest,
  });
  transports.push(t);
  return t;
}

const getAccounts: RequestSpec = {
  operation: "listAccounts",
  method: "GET",
  path: "/accounts",
  auth: "private",
};
const createOrder: RequestSpec = {
  operation: "createOrder",
  method: "POST",
  path: "/orders",
  auth: "private",
  body: { client_order_id: "c1", product_id: "BTC-USD" },
};

async function rejection(promise: Promise<unknown>): Promise<CoinbaseClientError> {
  try {
    await promise;
  } catch (error) {
    if (isCoinbaseClientError(error)) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("requests", () => {
  it("signs each private request with a JWT bound to method, host and path (no query)", async () => {
    server.script(json(200, { accounts: [], has_next: false }));
    const t = transport();
    const body = await t.context.request({
      ...getAccounts,
      query: { limit: 5, cursor: undefined, product_ids: ["BTC-USD", "ETH-USD"], flag: true },
    });
    expect(body).toEqual({ accounts: [], has_next: false });
    const seen = server.seen[0];
    expect(seen?.url).toBe(
      "/api/v3/brokerage/accounts?limit=5&product_ids=BTC-USD&product_ids=ETH-USD&flag=true",
    );
    const token = String(seen?.headers.authorization).replace(/^Bearer /, "");
    const { payload } = await jwtVerify(token, key.publicKey, {
      algorithms: ["ES256"],
      issuer: "cdp",
      subject: KEY_NAME,
      currentDate: new Date(timers.now()),
    });
    expect(payload.uri).toBe(`GET ${new URL(server.url).host}/api/v3/brokerage/accounts`);
  });

  it("sends public requests without a token, and cache-control when asked", async () => {
    server.script(json(200, { iso: "2026-01-01T00:00:00Z" }));
    const t = transport({ credentials: null });
    await t.context.request(
      { operation: "getServerTime", method: "GET", path: "/time", auth: "public" },
      { noCache: true },
    );
    expect(server.seen[0]?.headers.authorization).toBeUndefined();
    expect(server.seen[0]?.headers["cache-control"]).toBe("no-cache");
  });

  it("sends JSON bodies with a content type", async () => {
    server.script(json(200, { success: true }));
    await transport().context.request(createOrder);
    expect(server.seen[0]?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(server.seen[0]?.body ?? "")).toEqual(createOrder.body);
  });

  it("refuses a private endpoint without credentials, sending nothing", async () => {
    const error = await rejection(transport({ credentials: null }).context.request(getAccounts));
    expect(error.code).toBe("invalid-config");
    expect(server.seen).toHaveLength(0);
  });

  it("uses a caller's fetch when given one", async () => {
    const calls: string[] = [];
    const t = transport({
      fetch: async (url, init) => {
        calls.push(`${init.method} ${url}`);
        return { status: 200, headers: { get: () => null }, text: async () => '{"ok":true}' };
      },
    });
    expect(await t.context.request(getAccounts)).toEqual({ ok: true });
    expect(calls).toEqual([`GET ${server.url}/api/v3/brokerage/accounts`]);
  });

  it("works over Node's own fetch too: bodies, error pages, cut-off bodies", async () => {
    const t = transport({ fetch: globalThis.fetch, retry: false });
    server.script(
      json(200, { ok: 1 }),
      json(404, { error: "NOT_FOUND", message: "no such order" }),
      truncated,
    );
    expect(await t.context.request(getAccounts)).toEqual({ ok: 1 });
    expect(await rejection(t.context.request(getAccounts))).toMatchObject({
      code: "http",
      status: 404,
      coinbaseCode: "NOT_FOUND",
    });
    expect(await rejection(t.context.request(getAccounts))).toMatchObject({
      code: "network",
      retryable: true,
    });
    expect(server.seen[0]?.headers.authorization).toMatch(/^Bearer /);
  });

  it("rejects every call after close()", async () => {
    const t = transport();
    await t.close();
    await t.close();
    expect((await rejection(t.context.request(getAccounts))).code).toBe("aborted");
  });
});

describe("retries", () => {
  it("rides out a 429 burst with growing backoff", async () => {
    const limited = json(429, { error: "RATE_LIMIT_EXCEEDED", code: 8, message: "Too many requests" });
    server.script(limited, limited, limited, json(200, { ok: 1 }));
    const warnings: unknown[] = [];
    const body = await transport({
      logger: { warn: (message, fields) => warnings.push({ message, ...fields }) },
    }).context.request(getAccounts);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toEqual({
      message: "retrying after a failure",
      operation: "listAccounts",
      path: "/accounts",
      code: "rate-limited",
      status: 429,
      attempt: 1,
      delayMs: 188,
    });
    expect(body).toEqual({ ok: 1 });
    expect(server.seen).toHaveLength(4);
    // Equal jitter with random 0.5: 3/4 of 250, 500, 1000 ms.
    expect(timers.waits).toEqual([188, 375, 750]);
  });

  it("honours Retry-After", async () => {
    server.script(json(429, {}, { "retry-after": "3" }), json(200, { ok: 1 }));
    await transport().context.request(getAccounts);
    expect(timers.waits).toEqual([3000]);
  });

  it("gives up with rate-limited after maxAttempts, parsing the legacy body", async () => {
    server.script(json(429, { errors: [{ id: "rate_limit_exceeded", message: "Too many requests" }] }));
    const error = await rejection(transport({ retry: { maxAttempts: 3 } }).context.request(getAccounts));
    expect(error.code).toBe("rate-limited");
    expect(error.status).toBe(429);
    expect(error.retryable).toBe(true);
    expect(error.coinbaseCode).toBe("rate_limit_exceeded");
    expect(server.seen).toHaveLength(3);
  });

  it("retries 5xx on GET but never a POST", async () => {
    server.script(text(503, "upstream down"), json(500, { error: "INTERNAL" }), json(200, { ok: 1 }));
    expect(await transport().context.request(getAccounts)).toEqual({ ok: 1 });
    expect(server.seen).toHaveLength(3);
    server.seen.length = 0;
    server.script(json(503, { error: "UNAVAILABLE", message: "try later" }));
    const error = await rejection(transport().context.request(createOrder));
    expect(error).toMatchObject({ code: "http", status: 503, coinbaseCode: "UNAVAILABLE", retryable: true });
    expect(server.seen).toHaveLength(1);
  });

  it("does not retry other 4xx and parses Coinbase's error body", async () => {
    server.script(
      json(400, {
        error: "INVALID_ARGUMENT",
        error_details: "account is not available",
        message: "account is not available",
      }),
    );
    const error = await rejection(transport().context.request(getAccounts));
    expect(error).toMatchObject({
      code: "http",
      status: 400,
      coinbaseCode: "INVALID_ARGUMENT",
      coinbaseMessage: "account is not available",
      retryable: false,
      operation: "listAccounts",
      path: "/accounts",
    });
    expect(error.message).toBe("listAccounts: HTTP 400 INVALID_ARGUMENT: account is not available");
    expect(server.seen).toHaveLength(1);
  });

  it("retries a GET once with a fresh JWT after a 401", async () => {
    server.script(text(401, "Unauthorized"), json(200, { ok: 1 }));
    expect(await transport().context.request(getAccounts)).toEqual({ ok: 1 });
    expect(server.seen).toHaveLength(2);
    expect(server.seen[0]?.headers.authorization).not.toBe(server.seen[1]?.headers.authorization);
    expect(timers.waits).toEqual([]);
  });

  it("reports a second 401 and never retries a 401 on POST", async () => {
    server.script(text(401, "Unauthorized"));
    const error = await rejection(transport().context.request(getAccounts));
    expect(error).toMatchObject({
      code: "http",
      status: 401,
      coinbaseMessage: "Unauthorized",
      retryable: false,
    });
    expect(server.seen).toHaveLength(2);
    server.seen.length = 0;
    await rejection(transport().context.request(createOrder));
    expect(server.seen).toHaveLength(1);
  });

  it("sends once with retry: false", async () => {
    server.script(json(503, {}));
    await rejection(transport({ retry: false }).context.request(getAccounts));
    expect(server.seen).toHaveLength(1);
  });
});

describe("broken responses", () => {
  const page =
    "<!DOCTYPE html><html><head><title>Coinbase</title></head><body>Too many requests</body></html>";

  it("maps an HTML error page to http with its status, quoting none of it", async () => {
    server.script(text(502, page, "text/html"));
    const error = await rejection(transport({ retry: false }).context.request(getAccounts));
    expect(error).toMatchObject({ code: "http", status: 502, retryable: true, coinbaseMessage: undefined });
    expect(error.message).toBe("listAccounts: HTTP 502 (an HTML page)");
  });

  it("maps an HTML 200 and non-JSON 200 to invalid-response", async () => {
    server.script(text(200, page, "text/html"), text(200, "ok then"));
    const t = transport();
    const html = await rejection(t.context.request(getAccounts));
    expect(html).toMatchObject({ code: "invalid-response", status: 200 });
    expect(html.message).toContain("an HTML page");
    const plain = await rejection(t.context.request(getAccounts));
    expect(plain.message).toContain("7 characters that are not JSON");
    expect(server.seen).toHaveLength(2);
  });

  it("abandons a body past maxResponseBytes with invalid-response, declared or streamed, never retried", async () => {
    const big = "x".repeat(40_000);
    const streamed: Handler = (_req, res) => {
      // No content-length: chunked, so only the byte count can stop it.
      res.writeHead(200, { "content-type": "application/json" });
      res.write(`{"pad":"${big}`);
      res.end(`${big}"}`);
    };
    for (const fetch of [undefined, globalThis.fetch]) {
      server.seen.length = 0;
      server.script(json(200, { pad: big }), streamed, json(200, { pad: "small" }));
      const t = transport({ maxResponseBytes: 10_000, ...(fetch === undefined ? {} : { fetch }) });
      for (let i = 0; i < 2; i++) {
        const error = await rejection(t.context.request(getAccounts));
        expect(error).toMatchObject({ code: "invalid-response", retryable: false });
        expect(error.message).toBe(
          "listAccounts: the response body is larger than 10000 bytes (GET /accounts)",
        );
      }
      expect(await t.context.request(getAccounts)).toEqual({ pad: "small" });
      expect(server.seen).toHaveLength(3);
    }
  });

  it("measures the text of a fetch without a body stream against maxResponseBytes too", async () => {
    const t = transport({
      maxResponseBytes: 8,
      fetch: async () => ({ status: 200, headers: { get: () => null }, text: async () => '{"a":"ééé"}' }),
    });
    expect(await rejection(t.context.request(getAccounts))).toMatchObject({ code: "invalid-response" });
  });

  it("maps a truncated body to a retryable network error and retries it", async () => {
    server.script(truncated, truncated, json(200, { ok: 1 }));
    expect(await transport().context.request(getAccounts)).toEqual({ ok: 1 });
    expect(server.seen).toHaveLength(3);
    server.script(truncated);
    const error = await rejection(transport({ retry: false }).context.request(getAccounts));
    expect(error).toMatchObject({ code: "network", retryable: true });
  });

  it("times out a request that gets no answer, then retries it", async () => {
    server.script(hang, json(200, { ok: 1 }));
    const pending = transport().context.request(getAccounts);
    await server.received(1);
    expect(timers.fireHeld()).toBe(1);
    expect(await pending).toEqual({ ok: 1 });
  });

  it("times out a slow body with timeout, not retried for a POST", async () => {
    server.script(slowBody);
    const pending = rejection(transport().context.request(createOrder));
    await server.received(1);
    timers.fireHeld();
    const error = await pending;
    expect(error).toMatchObject({ code: "timeout", retryable: true });
    expect(error.message).toContain("within 60000 ms");
    expect(server.seen).toHaveLength(1);
  });

  it("stops at once when the caller aborts, during a request or a backoff", async () => {
    server.script(hang);
    const controller = new AbortController();
    const pending = rejection(transport().context.request(getAccounts, { signal: controller.signal }));
    await server.received(1);
    controller.abort(new Error("user cancelled"));
    expect((await pending).code).toBe("aborted");

    server.script(json(503, {}));
    const during = new AbortController();
    const slowTimers = testTimers(Date.now(), 100); // the backoff wait is held, so the abort lands in it
    const t = transport({ timers: slowTimers });
    const backoff = rejection(t.context.request(getAccounts, { signal: during.signal }));
    await server.received(2);
    during.abort();
    const error = await backoff;
    expect(error.code).toBe("aborted");
    expect(server.seen).toHaveLength(2);
  });

  it("rejects a bad per-call timeout", async () => {
    const error = await rejection(transport().context.request(getAccounts, { timeoutMs: -1 }));
    expect(error.code).toBe("invalid-request");
  });
});

describe("rate limit", () => {
  it("makes callers wait for their turn instead of sending a burst", async () => {
    server.script(json(200, { ok: 1 }));
    const t = transport({ rateLimit: { publicPerSecond: 4, burst: 2 } });
    const spec: RequestSpec = { operation: "getServerTime", method: "GET", path: "/time", auth: "public" };
    await Promise.all([1, 2, 3, 4, 5].map(() => t.context.request(spec)));
    expect(server.seen).toHaveLength(5);
    // Two from the burst, then one every 250 ms: the queued callers wait 250, 500, 750.
    expect(timers.waits).toEqual([250, 500, 750]);
  });

  it("keeps private and public buckets apart", async () => {
    server.script(json(200, { ok: 1 }));
    const t = transport({ rateLimit: { privatePerSecond: 1, publicPerSecond: 1, burst: 1 } });
    await t.context.request(getAccounts);
    await t.context.request({ operation: "getServerTime", method: "GET", path: "/time", auth: "public" });
    expect(timers.waits).toEqual([]);
  });
});

describe("config", () => {
  const bad: Array<[string, unknown]> = [
    ["not an object", 5],
    ["an unknown option", { apiKey: "x" }],
    ["a relative baseUrl", { baseUrl: "/api" }],
    ["a baseUrl with a query", { baseUrl: "https://api.coinbase.com/?token=abc" }],
    ["an ftp baseUrl", { baseUrl: "ftp://example.com" }],
    ["a zero timeout", { timeoutMs: 0 }],
    ["a zero response cap", { maxResponseBytes: 0 }],
    ["a fractional response cap", { maxResponseBytes: 1.5 }],
    ["a non-function fetch", { fetch: "yes" }],
    ["a bad rate", { rateLimit: { privatePerSecond: -1 } }],
    ["an unknown rate option", { rateLimit: { perMinute: 5 } }],
    ["a bad attempt count", { retry: { maxAttempts: 0 } }],
    ["max below base", { retry: { baseDelayMs: 100, maxDelayMs: 10 } }],
    ["credentials that are a string", { credentials: "key" }],
    ["timers without clearTimeout", { timers: { now: () => 0, setTimeout: () => 0 } }],
    ["a retry that is a number", { retry: 3 }],
    ["a non-function logger method", { logger: { warn: "loud" } }],
  ];
  for (const [label, config] of bad) {
    it(`rejects ${label} with invalid-config`, () => {
      let caught: unknown;
      try {
        createTransport(config as CoinbaseClientConfig);
      } catch (error) {
        caught = error;
      }
      expect(isCoinbaseClientError(caught) && caught.code).toBe("invalid-config");
      expect(String((caught as Error).message)).not.toContain("token=abc");
    });
  }

  it("accepts a logger or timers object with more methods than it calls", async () => {
    const logger = { debug() {}, warn() {}, info() {}, child() {} }; // pino-like
    await createTransport({ logger, timers: { ...timers }, rateLimit: false, retry: false }).close();
  });

  it("rejects a bad key with invalid-key at construction", () => {
    expect(() => createTransport({ credentials: { keyName: KEY_NAME, privateKey: "nope" } })).toThrow(
      CoinbaseClientError,
    );
  });
});
