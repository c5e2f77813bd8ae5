/**
 * The clients the bench compares, each reduced to the two calls it measures. Every contender signs
 * a fresh ES256 JWT per request with the same SEC1 key and talks to the same loopback server.
 *
 * - `ours`: `createCoinbaseClient` with a key, as users create it.
 * - `floor`: undici's `request` on a keep-alive agent, a JWT signed with a cached node:crypto
 *   KeyObject, `JSON.parse` of the body and nothing else (no validation, no retries, no rate limit).
 * - `ccxt`: ccxt's coinbase class through its implicit API methods (sign, send, JSON), which skips
 *   ccxt's unified parsing: the cheapest way to use ccxt, so its figure is a lower bound.
 * - `coinbase-api`: `CBAdvancedTradeClient` (`getOrder`, `getFills`).
 *
 * ccxt and coinbase-api are loaded with a computed `import()` so the bench bundle does not inline
 * them: they run from node_modules, as their users run them.
 */
import { sign as cryptoSign, type KeyObject, randomBytes } from "node:crypto";
import type { coinbase as CcxtCoinbase } from "ccxt";
import type { CBAdvancedTradeClient } from "coinbase-api";
import { Agent, request } from "undici";
import { createCoinbaseClient } from "../index.js";
import { BENCH_KEY_NAME } from "./payloads.js";

/** One client under test. */
export interface Contender {
  readonly name: string;
  /** `GET /orders/historical/{orderId}`; resolves to the parsed body. */
  getOrder(orderId: string): Promise<unknown>;
  /** `GET /orders/historical/fills?limit=100`; resolves to the parsed body. */
  listFills(): Promise<unknown>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** The credentials every contender gets. */
export interface BenchKey {
  /** SEC1 PEM (`-----BEGIN EC PRIVATE KEY-----`), as Coinbase hands out ECDSA keys. */
  readonly privateKeyPem: string;
  /** The same key, parsed once (for the floor). */
  readonly privateKey: KeyObject;
}

const PREFIX = "/api/v3/brokerage";

/** The floor: the least work a correct signed request can take in Node. */
export function floorContender(baseUrl: string, key: BenchKey): Contender {
  const agent = new Agent({ keepAliveTimeout: 600_000, keepAliveMaxTimeout: 600_000 });
  const host = new URL(baseUrl).host;
  const header = (nonce: string): string =>
    Buffer.from(JSON.stringify({ alg: "ES256", kid: BENCH_KEY_NAME, nonce, typ: "JWT" })).toString(
      "base64url",
    );
  const jwt = (method: string, path: string): string => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: "cdp",
      sub: BENCH_KEY_NAME,
      nbf: now,
      exp: now + 120,
      uri: `${method} ${host}${path}`,
    };
    const input = `${header(randomBytes(16).toString("hex"))}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
    const signature = cryptoSign("sha256", Buffer.from(input), {
      key: key.privateKey,
      dsaEncoding: "ieee-p1363",
    });
    return `${input}.${signature.toString("base64url")}`;
  };
  const get = async (path: string, query: string): Promise<unknown> => {
    const res = await request(`${baseUrl}${path}${query}`, {
      method: "GET",
      dispatcher: agent,
      headers: { authorization: `Bearer ${jwt("GET", path)}`, accept: "application/json" },
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`floor: HTTP ${res.statusCode}`);
    return JSON.parse(text);
  };
  return {
    name: "floor",
    getOrder: (orderId) => get(`${PREFIX}/orders/historical/${encodeURIComponent(orderId)}`, ""),
    listFills: () => get(`${PREFIX}/orders/historical/fills`, "?limit=100"),
    close: () => agent.close(),
  };
}

/**
 * This client as users create it, from its TypeScript source as compiled by the bench bundle:
 * keep-alive pool, JWT per request, params and response validated. The token bucket stays on with
 * limits no run reaches (its bookkeeping is part of the cost; waiting would only stretch the run).
 */
export function oursContender(baseUrl: string, key: BenchKey): Contender {
  const client = createCoinbaseClient({
    credentials: { keyName: BENCH_KEY_NAME, privateKey: key.privateKeyPem },
    baseUrl,
    rateLimit: { privatePerSecond: 1_000_000, publicPerSecond: 1_000_000 },
  });
  return {
    name: "ours",
    getOrder: (orderId) => client.getOrder({ order_id: orderId }),
    listFills: () => client.listFills({ limit: 100 }),
    close: () => client.close(),
  };
}

/** ccxt's coinbase exchange class, rate limiter off, pointed at the loopback server. */
export async function ccxtContender(baseUrl: string, key: BenchKey): Promise<Contender> {
  const name = "ccxt";
  const mod = (await import(name)) as {
    coinbase?: typeof CcxtCoinbase;
    default?: { coinbase: typeof CcxtCoinbase };
  };
  const Coinbase = mod.coinbase ?? mod.default?.coinbase;
  if (Coinbase === undefined) throw new Error("ccxt has no coinbase class");
  const exchange = new Coinbase({
    apiKey: BENCH_KEY_NAME,
    secret: key.privateKeyPem,
    enableRateLimit: false,
  });
  exchange.urls.api = { ...exchange.urls.api, rest: baseUrl };
  return {
    name,
    getOrder: (orderId) => exchange.v3PrivateGetBrokerageOrdersHistoricalOrderId({ order_id: orderId }),
    listFills: () => exchange.v3PrivateGetBrokerageOrdersHistoricalFills({ limit: 100 }),
    close: async () => {
      await exchange.close();
    },
  };
}

/** coinbase-api's `CBAdvancedTradeClient`, pointed at the loopback server. */
export async function coinbaseApiContender(baseUrl: string, key: BenchKey): Promise<Contender> {
  const name = "coinbase-api";
  const mod = (await import(name)) as { CBAdvancedTradeClient: typeof CBAdvancedTradeClient };
  const client = new mod.CBAdvancedTradeClient({
    apiKey: BENCH_KEY_NAME,
    apiSecret: key.privateKeyPem,
    baseUrl,
    keepAlive: true,
  });
  return {
    name,
    getOrder: (orderId) => client.getOrder({ order_id: orderId }),
    listFills: () => client.getFills({ limit: 100 }),
    close: async () => {},
  };
}
