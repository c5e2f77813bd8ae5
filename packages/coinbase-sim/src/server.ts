import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Clock, systemClock } from "@gpt/core";
import { AuditLog } from "./audit.js";
import { KeyRing, type SimKey } from "./auth.js";
import { parseBarCsv, type SimSeries, syntheticSeries } from "./bars.js";
import { CoinbaseSimError } from "./errors.js";
import { Exchange } from "./exchange.js";
import { FaultState, parseSimFaults, type SimFaults } from "./faults.js";
import {
  type AuditFault,
  faultAnswer,
  OrderFaultInjector,
  type RestFaultDecision,
  RestFaultInjector,
  type SimTimers,
} from "./faults-rest.js";
import type { Route, RouteResult } from "./http-types.js";
import { ProductMarket } from "./market.js";
import { SIM_PRODUCTS, type SimProductSpec } from "./products.js";
import { RateLimiter, type RateVerdict, type SimRateLimits } from "./rate-limit.js";
import { ACCOUNT_ROUTES } from "./routes-accounts.js";
import { CFM_ROUTES } from "./routes-cfm.js";
import { CONVERT_ROUTES } from "./routes-convert.js";
import { INTX_ROUTES } from "./routes-intx.js";
import { MARKET_ROUTES } from "./routes-market.js";
import { ORDER_ROUTES } from "./routes-orders.js";
import { PORTFOLIO_ROUTES } from "./routes-portfolios.js";
import { PREVIEW_ROUTES } from "./routes-preview.js";
import { V2_ROUTES } from "./routes-v2.js";
import { snakeKeys, snakeQuery } from "./wire-names.js";
import { checkWsOptions, type SimWsOptions, WS_PATHS, WsFeeds } from "./ws/server.js";

/** The products listed when `products` is not given. */
export const DEFAULT_PRODUCTS: readonly string[] = [
  "BTC-USD",
  "ETH-USD",
  "BIP-20DEC30-CDE",
  "ETP-20DEC30-CDE",
];

/** The options of `startSimulator`. Every field is optional. */
export interface SimulatorOptions {
  /** The port on 127.0.0.1; default 0 (a free port). */
  readonly port?: number;
  /** Product ids to list and trade; default `DEFAULT_PRODUCTS`. INTX ids need `intx: true`. */
  readonly products?: readonly string[];
  /** Lists the legacy INTX perpetuals (`BTC-PERP-INTX`, `ETH-PERP-INTX`) too. */
  readonly intx?: boolean;
  /**
   * Bar series per product id: a `SimSeries` or CSV text (`time,open,high,low,close,volume`). A
   * product without one follows its underlying's series (futures follow spot); spot products
   * without one get a seeded synthetic hourly series.
   */
  readonly data?: Readonly<Record<string, SimSeries | string>>;
  /** Market seconds per wall-clock second when no `clock` is given; default 1. */
  readonly speed?: number;
  /** Seed of the synthetic series, the book sizes and the ids; default 1. */
  readonly seed?: number;
  /** Keys accepted from the start (more with `addKey`). */
  readonly keys?: readonly SimKey[];
  /**
   * The market clock (Unix ms). Tests pass a `ManualClock` and step it. Default: starts 50 bars
   * into the data and runs at `speed` times the wall clock.
   */
  readonly clock?: Clock;
  /** The clock JWT `nbf`/`exp` are checked against; default the system clock. */
  readonly authClock?: Clock;
  /** Opening balances: spot currencies (default USD 100,000, BTC 1, ETH 10) and the CFM USD collateral (default 50,000). */
  readonly balances?: { readonly spot?: Readonly<Record<string, string>>; readonly futures?: string };
  /** Hourly funding rate of perp-style products, a decimal string; default "0.00001". */
  readonly fundingRate?: string;
  /**
   * REST rate limits (token buckets on `authClock`): 30/s per key and 10/s per address by
   * default, answered with 429 and `x-ratelimit-*` headers; `false` turns them off.
   */
  readonly rateLimit?: false | SimRateLimits;
  /** The fault script in force from the start (see `SimFaults`); validated. */
  readonly faults?: SimFaults;
  /**
   * Wall-clock timers the simulator waits with (fault latency, the WebSocket 5-second subscribe
   * rule); default the global ones.
   */
  readonly timers?: SimTimers;
  /** The WebSocket feeds: how often the clock is read, the subscribe deadline. */
  readonly ws?: SimWsOptions;
}

/** A running simulator. */
export interface Simulator {
  /** The REST origin, e.g. `http://127.0.0.1:53211`: give it to a client as its base URL. */
  readonly restUrl: string;
  /** The market-data WebSocket, `ws://127.0.0.1:<port>/ws` (Coinbase's `wss://advanced-trade-ws.coinbase.com`). */
  readonly wsUrl: string;
  /** The user-data WebSocket, `ws://127.0.0.1:<port>/ws/user` (Coinbase's `wss://advanced-trade-ws-user.coinbase.com`). */
  readonly wsUserUrl: string;
  /** Registers another key. @throws CoinbaseSimError `invalid-key`. */
  addKey(key: SimKey): void;
  /** The market clock. */
  readonly clock: Clock;
  /** Every request and response, and the create requests per `client_order_id`. */
  readonly audit: AuditLog;
  /**
   * Replaces the whole fault script (validated; every rule's count starts afresh).
   * @throws CoinbaseSimError `invalid-config` naming the field.
   */
  setFaults(faults: SimFaults): void;
  /** Stops the server (open connections are closed). Idempotent. */
  close(): Promise<void>;
}

const PREFIX = "/api/v3/brokerage";
const ROUTES: readonly Route[] = [
  ...MARKET_ROUTES,
  ...ORDER_ROUTES,
  ...PREVIEW_ROUTES,
  ...ACCOUNT_ROUTES,
  ...PORTFOLIO_ROUTES,
  ...CFM_ROUTES,
  ...INTX_ROUTES,
  ...CONVERT_ROUTES,
];
const MAX_BODY = 1 << 20;
const SYNTHETIC_START = Date.UTC(2026, 0, 1) / 1000;
const SYNTHETIC_BARS = 24 * 120;
const START_PRICES: Readonly<Record<string, number>> = { BTC: 60_000, ETH: 3_000 };

function resolveProducts(options: SimulatorOptions): SimProductSpec[] {
  const ids = options.products ?? [
    ...DEFAULT_PRODUCTS,
    ...(options.intx === true ? ["BTC-PERP-INTX", "ETH-PERP-INTX"] : []),
  ];
  if (ids.length === 0)
    throw new CoinbaseSimError("invalid-config", "products: give at least one", { field: "products" });
  return ids.map((id) => {
    const spec = SIM_PRODUCTS[id];
    if (spec === undefined || (spec.kind === "intx" && options.intx !== true)) {
      throw new CoinbaseSimError(
        "invalid-config",
        `products: unknown product ${id} (INTX products need intx: true)`,
        {
          field: "products",
          product: id,
        },
      );
    }
    return spec;
  });
}

function resolveSeries(
  specs: readonly SimProductSpec[],
  options: SimulatorOptions,
  seed: number,
): Map<string, ProductMarket> {
  const series = new Map<string, SimSeries>();
  const given = options.data ?? {};
  for (const [id, value] of Object.entries(given)) {
    const parsed = typeof value === "string" ? parseBarCsv(value) : value;
    if (parsed.bars.length === 0)
      throw new CoinbaseSimError("invalid-config", `data: ${id} has no bars`, { field: "data", product: id });
    series.set(id, parsed);
  }
  const markets = new Map<string, ProductMarket>();
  specs.forEach((spec, index) => {
    let own = series.get(spec.productId) ?? series.get(spec.underlying);
    if (own === undefined) {
      own = syntheticSeries({
        seed: seed + index * 7919,
        start: SYNTHETIC_START,
        count: SYNTHETIC_BARS,
        startPrice: START_PRICES[spec.baseCurrency] ?? 100,
      });
      series.set(spec.underlying, own);
    }
    markets.set(spec.productId, new ProductMarket(spec, own, seed));
  });
  return markets;
}

function replayClock(markets: ReadonlyMap<string, ProductMarket>, speed: number, wall: Clock): Clock {
  const first = [...markets.values()][0];
  const bars = first?.series.bars ?? [];
  const startBar = bars[Math.min(50, bars.length - 1)];
  const start = ((startBar?.time ?? 0) + (first?.series.intervalSeconds ?? 0)) * 1000;
  const wall0 = wall.now();
  return { now: () => Math.floor(start + (wall.now() - wall0) * speed) };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error("body too large"));
        request.destroy();
      } else {
        chunks.push(chunk);
      }
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/**
 * Starts a Coinbase Advanced Trade REST exchange on `127.0.0.1`: the `/api/v3/brokerage` paths,
 * Coinbase's response shapes and HTTP-200 order failures, JWT auth against the registered keys
 * (401 `Unauthorized` otherwise), matching, balances, holds, margin and funding through
 * `@gpt/paper-engine`, and an audit log. Deterministic for a seed, data and clock.
 *
 * @throws CoinbaseSimError `invalid-config` (bad options), `invalid-data` (a CSV that does not
 * parse), `invalid-key` (a key that cannot be read), `start-failed` (the port is taken).
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const seed = options.seed ?? 1;
  const speed = options.speed ?? 1;
  if (!Number.isFinite(seed))
    throw new CoinbaseSimError("invalid-config", "seed: must be a finite number", { field: "seed" });
  if (!(speed > 0) || !Number.isFinite(speed))
    throw new CoinbaseSimError("invalid-config", "speed: must be a positive number", { field: "speed" });
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new CoinbaseSimError("invalid-config", "port: must be an integer 0-65535", { field: "port" });
  const specs = resolveProducts(options);
  const markets = resolveSeries(specs, options, seed);
  const authClock = options.authClock ?? systemClock;
  const clock = options.clock ?? replayClock(markets, speed, systemClock);
  const keys = new KeyRing();
  for (const key of options.keys ?? []) keys.add(key);
  const fundingRate = options.fundingRate ?? "0.00001";
  const productIds = specs.map((spec) => spec.productId);
  const faultState = new FaultState(parseSimFaults(options.faults ?? {}, { products: productIds }));
  const restFaults = new RestFaultInjector(
    faultState,
    options.timers ?? {
      setTimeout: (run, ms) => setTimeout(run, ms),
      clearTimeout: (h) => clearTimeout(h as never),
    },
  );
  const exchange = new Exchange({
    products: specs,
    markets,
    seed,
    spotBalances: options.balances?.spot ?? { USD: "100000", BTC: "1", ETH: "10" },
    futuresBalance: options.balances?.futures ?? "50000",
    fundingRate,
    orderFaults: new OrderFaultInjector(faultState),
  });
  const audit = new AuditLog();
  const limiter = options.rateLimit === false ? undefined : new RateLimiter(options.rateLimit);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = (request.method ?? "GET").toUpperCase();
    const url = new URL(request.url ?? "/", "http://localhost");
    const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : undefined;
    let nowMs = Math.max(clock.now(), exchange.now);
    let rate: RateVerdict | undefined;
    const query = url.search.startsWith("?") ? url.search.slice(1) : url.search;
    const send = (
      status: number,
      body: unknown,
      extra: { requestBody?: unknown; keyName?: string; authFailure?: string; faults?: AuditFault[] } = {},
      more: Readonly<Record<string, string>> = {},
    ) => {
      const text = typeof body === "string" ? body : JSON.stringify(body);
      const headers: Record<string, string> = {
        "content-type": typeof body === "string" ? "text/plain" : "application/json",
      };
      if (rate !== undefined) {
        headers["x-ratelimit-limit"] = String(rate.limit);
        headers["x-ratelimit-remaining"] = String(rate.remaining);
        headers["x-ratelimit-reset"] = String(rate.resetSeconds);
      }
      response.writeHead(status, { ...headers, ...more });
      response.end(text);
      audit.record({
        time: nowMs,
        method,
        path: path ?? url.pathname,
        query,
        status,
        responseBody: body,
        ...extra,
      });
    };
    let raw: string;
    try {
      raw = await readBody(request);
    } catch {
      send(400, { error: "INVALID_ARGUMENT", error_details: "body too large", message: "body too large" });
      return;
    }
    let requestBody: Record<string, unknown> = {};
    if (raw.trim() !== "") {
      try {
        const parsed: unknown = JSON.parse(raw);
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
          throw new Error("not an object");
        requestBody = parsed as Record<string, unknown>;
      } catch {
        send(400, {
          error: "INVALID_ARGUMENT",
          error_details: "invalid JSON body",
          message: "invalid JSON body",
        });
        return;
      }
    }
    const extra = raw.trim() === "" ? {} : { requestBody };
    // Routes read snake_case names; lowerCamelCase ones (`productId`) are accepted as Coinbase does.
    const body = snakeKeys(requestBody);
    let match: { route: Route; params: string[] } | undefined;
    // Advanced Trade routes match the path under the prefix; the /v2 routes the whole path.
    const candidates: readonly [readonly Route[], string | undefined][] = [
      [ROUTES, path],
      [V2_ROUTES, url.pathname],
    ];
    for (const [routes, target] of candidates) {
      if (target === undefined || match !== undefined) continue;
      for (const route of routes) {
        const found = route.method === method ? route.pattern.exec(target) : null;
        if (found !== null) {
          match = { route, params: found.slice(1) };
          break;
        }
      }
    }
    if (match === undefined) {
      send(404, { error: "NOT_FOUND", error_details: "Not Found", message: "Not Found" }, extra);
      return;
    }
    let keyName: string | undefined;
    if (match.route.private) {
      const expected = `${method} ${request.headers.host ?? ""}${PREFIX}${path ?? ""}`;
      const verdict = await keys.verify(request.headers.authorization, expected, authClock.now());
      if (!verdict.ok) {
        send(401, "Unauthorized", { ...extra, authFailure: verdict.reason });
        return;
      }
      keyName = verdict.keyName;
    }
    rate = limiter?.take(
      keyName === undefined ? "public" : "private",
      keyName ?? request.socket.remoteAddress ?? "",
      authClock.now(),
    );
    if (rate !== undefined && !rate.allowed) {
      send(429, { error: "RATE_LIMIT_EXCEEDED", code: 8, message: "Too many requests" }, extra);
      return;
    }
    // The fault script: latency first, then a scripted answer (before or instead of the handler's).
    const fault = restFaults.take(method, path ?? url.pathname);
    const sendFault = (answer: NonNullable<RestFaultDecision["answer"]>, faults: AuditFault[]) => {
      const tagged = { ...extra, ...(keyName === undefined ? {} : { keyName }), faults };
      if (answer.kind === "hang") {
        audit.record({
          time: nowMs,
          method,
          path: path ?? url.pathname,
          query,
          status: 0,
          responseBody: null,
          ...tagged,
        });
        return;
      }
      const reply = faultAnswer(answer, rate?.limit ?? (keyName === undefined ? 10 : 30));
      send(reply.status, reply.body, tagged, reply.headers);
    };
    if (fault.latencyMs > 0) await restFaults.delay(fault.latencyMs);
    if (fault.answer !== undefined && !fault.processed) {
      sendFault(fault.answer, [...fault.applied]);
      return;
    }
    nowMs = Math.max(clock.now(), exchange.now);
    let result: RouteResult;
    try {
      exchange.advanceTo(nowMs);
      result = match.route.handler({
        exchange,
        method,
        params: match.params,
        query: snakeQuery(url.searchParams),
        body,
        nowMs,
        fundingRate,
      });
    } catch {
      result = {
        status: 500,
        body: { error: "INTERNAL", error_details: "internal error", message: "internal error" },
      };
    }
    if (method === "POST" && path === "/orders" && typeof body.client_order_id === "string") {
      const success = (result.body as { success_response?: { order_id?: string } }).success_response;
      audit.recordClientOrder(body.client_order_id, success?.order_id);
    }
    const applied = [...fault.applied, ...(exchange.orderFaults?.drainApplied() ?? [])];
    if (fault.answer !== undefined) {
      sendFault(fault.answer, applied);
      return;
    }
    const tagged = applied.length === 0 ? extra : { ...extra, faults: applied };
    send(result.status, result.body, keyName === undefined ? tagged : { ...tagged, keyName });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
      response.end("Internal Server Error");
    });
  });
  const feeds = new WsFeeds({
    httpServer: server,
    exchange,
    clock,
    authClock,
    keys,
    audit,
    faults: faultState,
    ...(limiter === undefined ? {} : { limiter }),
    ...checkWsOptions(options.ws),
    ...(options.timers === undefined ? {} : { timers: options.timers }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (cause) =>
      reject(
        new CoinbaseSimError(
          "start-failed",
          `could not listen on port ${port}`,
          { field: "port", port },
          { cause },
        ),
      ),
    );
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    restUrl: `http://127.0.0.1:${address.port}`,
    wsUrl: `ws://127.0.0.1:${address.port}${WS_PATHS.market}`,
    wsUserUrl: `ws://127.0.0.1:${address.port}${WS_PATHS.user}`,
    addKey: (key) => keys.add(key),
    setFaults: (faults) => faultState.set(parseSimFaults(faults, { products: productIds })),
    clock,
    audit,
    close() {
      restFaults.dispose();
      closed ??= feeds.close().then(
        () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      );
      return closed;
    },
  };
}
