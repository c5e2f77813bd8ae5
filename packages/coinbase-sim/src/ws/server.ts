/**
 * The simulator's WebSocket feeds, on the REST server's port: `/ws` (market data, like
 * `wss://advanced-trade-ws.coinbase.com`) and `/ws/user` (like
 * `wss://advanced-trade-ws-user.coinbase.com`). The feeds follow the market clock: a wall-clock tick
 * reads the clock and, when it moved, steps the exchange and the market and sends what changed to
 * each subscriber. The first subscribe must arrive within 5 s (the timer is injectable).
 */
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import type { Clock } from "@gpt/core";
import { type WebSocket, WebSocketServer } from "ws";
import type { AuditLog } from "../audit.js";
import type { KeyRing } from "../auth.js";
import { CoinbaseSimError } from "../errors.js";
import type { Exchange } from "../exchange.js";
import type { FaultState } from "../faults.js";
import type { RateLimiter } from "../rate-limit.js";
import { FeedConnection } from "./connection.js";
import { type WsEndpoint, WsFaultRun } from "./faults.js";
import { MarketFeed } from "./feed.js";
import { goTime, l2Diff, l2Snapshot, ownTrade, type WsTradeFrame, wsTimestamp } from "./market-frames.js";
import { handleRequest, type RequestContext, redacted } from "./requests.js";
import { UserFeed, type UserOrderFrame } from "./user-feed.js";

/** The paths of the two endpoints. */
export const WS_PATHS: Readonly<Record<WsEndpoint, string>> = { market: "/ws", user: "/ws/user" };
/** Coinbase closes a connection that has not subscribed within 5 s. */
const SUBSCRIBE_TIMEOUT_MS = 5_000;
/** The close code of that rule (a policy violation). */
const CLOSE_NO_SUBSCRIBE = 1008;
/** The error frame's text for a message over the unauthenticated limit (Coinbase's wording is not documented). */
const RATE_LIMITED = "rate limit exceeded: too many unauthenticated messages";
/** The largest message a client may send. */
const MAX_CLIENT_MESSAGE = 64 * 1024;

/** Wall-clock timers of the 5-second rule (inject fakes in tests). */
export interface WsTimers {
  /** Schedules `callback` after `ms` milliseconds; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a scheduled callback. */
  clearTimeout(handle: unknown): void;
}

/** What the feeds are built from. */
export interface WsFeedsOptions {
  readonly httpServer: Server;
  readonly exchange: Exchange;
  readonly clock: Clock;
  readonly authClock: Clock;
  readonly keys: KeyRing;
  readonly audit: AuditLog;
  readonly faults: FaultState;
  /** How often (wall-clock ms) the clock is read; default 50. */
  readonly tickMs?: number;
  /** The subscribe deadline, ms; default 5000; 0 turns it off. */
  readonly subscribeTimeoutMs?: number;
  /** Timers of the subscribe deadline; default the global ones. */
  readonly timers?: WsTimers;
  /** Limits messages without a JWT per client address (its `ws` bucket, on `authClock`); none when absent. */
  readonly limiter?: RateLimiter;
}

/** Options of the WebSocket feeds (`startSimulator({ ws })`). */
export interface SimWsOptions {
  /**
   * How often, in wall-clock ms, the feeds read the market clock and send what changed; default 50.
   * With a `ManualClock` nothing is sent until the clock is stepped.
   */
  readonly tickMs?: number;
  /** Closes a connection that sends no subscribe within this many ms (Coinbase: 5000, the default); 0 never does. */
  readonly subscribeTimeoutMs?: number;
}

/**
 * Validates `startSimulator`'s `ws` option.
 *
 * @throws CoinbaseSimError `invalid-config` naming the field.
 */
export function checkWsOptions(options: SimWsOptions | undefined): SimWsOptions {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null)
    throw new CoinbaseSimError("invalid-config", "ws: must be an object", { field: "ws" });
  for (const key of Object.keys(options)) {
    if (key !== "tickMs" && key !== "subscribeTimeoutMs") {
      const shown = /^[A-Za-z0-9_]{1,40}$/.test(key) ? key : "(a key)";
      throw new CoinbaseSimError("invalid-config", `ws.${shown}: unknown key`, { field: `ws.${shown}` });
    }
  }
  const check = (field: "tickMs" | "subscribeTimeoutMs", min: number): void => {
    const value = options[field];
    if (value === undefined) return;
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > 2_147_483_647) {
      throw new CoinbaseSimError("invalid-config", `ws.${field}: must be an integer >= ${min}`, {
        field: `ws.${field}`,
        ...(typeof value === "number" ? { value } : {}),
      });
    }
  };
  check("tickMs", 1);
  check("subscribeTimeoutMs", 0);
  return {
    ...(options.tickMs === undefined ? {} : { tickMs: options.tickMs }),
    ...(options.subscribeTimeoutMs === undefined ? {} : { subscribeTimeoutMs: options.subscribeTimeoutMs }),
  };
}

const realTimers: WsTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The WebSocket side of a running simulator (see the file comment). */
export class WsFeeds {
  readonly #options: WsFeedsOptions;
  readonly #wss: WebSocketServer;
  readonly #connections = new Set<FeedConnection>();
  readonly #feed: MarketFeed;
  readonly #user: UserFeed;
  readonly #timers: WsTimers;
  readonly #interval: ReturnType<typeof setInterval>;
  readonly #unsubscribeFaults: () => void;
  readonly #startMs: number;
  readonly #context: RequestContext;
  #run: WsFaultRun;
  /** How many of the exchange's fills have gone out on `market_trades`. */
  #fillsSent: number;
  #nextId = 1;
  #closed: Promise<void> | undefined;

  constructor(options: WsFeedsOptions) {
    this.#options = options;
    this.#timers = options.timers ?? realTimers;
    this.#feed = new MarketFeed(options.exchange.markets);
    this.#user = new UserFeed(options.exchange, (orders) => this.#publishUser(orders));
    this.#run = new WsFaultRun(options.faults.current.ws ?? {});
    this.#fillsSent = options.exchange.fills.length;
    this.#startMs = this.#now();
    this.#wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      maxPayload: MAX_CLIENT_MESSAGE,
    });
    options.httpServer.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.#upgrade(request, socket, head),
    );
    this.#unsubscribeFaults = options.faults.onChange((faults) =>
      this.#faultsChanged(new WsFaultRun(faults.ws ?? {})),
    );
    this.#context = {
      products: options.exchange.products,
      keys: options.keys,
      feed: this.#feed,
      user: this.#user,
      fills: () => options.exchange.fills,
      authNow: () => options.authClock.now(),
      now: () => this.#now(),
      pump: () => this.pump(),
      userReplay: () => this.#run.faults.userReplay ?? 0,
      subscribed: (connection) => {
        connection.subscribed = true;
        if (connection.deadline !== undefined) this.#timers.clearTimeout(connection.deadline);
        connection.deadline = undefined;
      },
    };
    this.#interval = setInterval(() => this.pump(), options.tickMs ?? 50);
    this.#interval.unref?.();
  }

  /** Market time now (never behind what the exchange has replayed). */
  #now(): number {
    return Math.max(this.#options.clock.now(), this.#options.exchange.now);
  }

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(request.url ?? "/", "http://localhost").pathname.replace(/\/+$/, "");
    const endpoint: WsEndpoint | undefined =
      path === WS_PATHS.market || path === "" ? "market" : path === WS_PATHS.user ? "user" : undefined;
    if (endpoint === undefined || this.#closed !== undefined) {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    const address = request.socket.remoteAddress ?? "";
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#connected(ws, endpoint, address));
  }

  /**
   * Whether a received message goes over the limit of unauthenticated messages (one without a
   * `jwt`) of its client address.
   */
  #overLimit(message: unknown, address: string): boolean {
    const limiter = this.#options.limiter;
    if (limiter === undefined) return false;
    const authenticated = typeof message === "object" && message !== null && "jwt" in message;
    if (authenticated) return false;
    return !limiter.take("ws", address, this.#options.authClock.now()).allowed;
  }

  #connected(ws: WebSocket, endpoint: WsEndpoint, address: string): void {
    const connection = new FeedConnection(this.#nextId++, endpoint, ws, {
      now: () => this.#now(),
      faults: () => this.#run,
      audit: this.#options.audit,
    });
    this.#connections.add(connection);
    connection.markOpened();
    const timeout = this.#options.subscribeTimeoutMs ?? SUBSCRIBE_TIMEOUT_MS;
    if (timeout > 0) {
      connection.deadline = this.#timers.setTimeout(() => {
        connection.deadline = undefined;
        if (!connection.subscribed)
          connection.drop(CLOSE_NO_SUBSCRIBE, "deadline", "no subscribe within 5 s");
      }, timeout);
    }
    ws.on("message", (data, isBinary) => {
      const text = isBinary ? "" : String(data);
      const seen = redacted(text);
      this.#options.audit.recordWs({
        time: this.#now(),
        connection: connection.id,
        endpoint,
        direction: "received",
        channel: seen.channel,
        message: seen.value,
      });
      // Over the limit, the message is answered with an error and not acted on.
      const limited = this.#overLimit(seen.value, address);
      connection.queue = connection.queue
        .then(() =>
          limited ? connection.sendError(RATE_LIMITED) : handleRequest(this.#context, connection, text),
        )
        .catch(() => connection.sendError("internal error"));
    });
    ws.on("close", (code) => this.#gone(connection, code, "client"));
    ws.on("error", () => {
      // A close event follows; nothing else to do.
    });
  }

  #gone(connection: FeedConnection, code: number, by: "client" | "server"): void {
    connection.markClosed(code, by);
    if (connection.deadline !== undefined) this.#timers.clearTimeout(connection.deadline);
    connection.deadline = undefined;
    this.#connections.delete(connection);
  }

  #faultsChanged(run: WsFaultRun): void {
    const wasStale = this.#run.faults.stale !== undefined;
    this.#run = run;
    for (const connection of this.#connections) {
      connection.restartFaultCount();
      // A drop due after 0 messages hits the open connections at once.
      if (run.faults.drop !== undefined && (run.faults.drop.afterMessages ?? 0) === 0) {
        if (run.take("drop", connection.endpoint, 0)) connection.drop(run.faults.drop.code ?? 1006);
      }
    }
    if (wasStale && run.faults.stale === undefined) this.pump();
  }

  /**
   * Reads the clock and, if it moved, steps the exchange and the market and sends each subscriber
   * what changed: heartbeats, level-2 diffs, tickers, trades, candles, the futures balance. Does
   * nothing while no connection is open.
   */
  pump(): void {
    // Without a connection the market moves only on REST requests, as it does with no feeds at all.
    if (this.#closed !== undefined || this.#connections.size === 0) return;
    const now = this.#now();
    const last = this.#feed.now;
    if (last !== undefined && now <= last) return;
    try {
      this.#options.exchange.advanceTo(now);
    } catch {
      // The REST side reports a broken replay as a 500; the feeds go on with the market data.
    }
    const steps = this.#feed.step(now);
    const time = wsTimestamp(now);
    for (const connection of this.#connections) {
      if (!connection.open) continue;
      if (connection.subscriptions.has("heartbeats") && now - connection.lastHeartbeatMs >= 1_000) {
        connection.lastHeartbeatMs = now;
        const counter = connection.heartbeatCounter++;
        connection.send("heartbeats", [
          { current_time: goTime(now, now - this.#startMs), heartbeat_counter: counter },
        ]);
      }
      for (const step of steps) {
        const id = step.productId;
        if (connection.wants("level2", id)) {
          const before = connection.books.get(id);
          const after = this.#feed.book(id);
          // The book a connection was last sent moves only with what really went out: after a
          // stale spell the next diff covers the whole change, and a snapshot that never went out
          // is sent now.
          const event =
            before === undefined
              ? { type: "snapshot", product_id: id, updates: l2Snapshot(after, time) }
              : { type: "update", product_id: id, updates: l2Diff(before, after, time) };
          if (event.updates.length === 0 || connection.send("l2_data", [event]))
            connection.books.set(id, after);
        }
        if (step.ticker !== undefined && connection.wants("ticker", id))
          connection.send("ticker", [{ type: "update", tickers: [step.ticker] }]);
        if (step.tickerBatch !== undefined && connection.wants("ticker_batch", id))
          connection.send("ticker_batch", [{ type: "update", tickers: [step.tickerBatch] }]);
        if (step.trades.length > 0 && connection.wants("market_trades", id))
          connection.send("market_trades", [{ type: "update", trades: step.trades }]);
        if (step.candles.length > 0 && connection.wants("candles", id))
          connection.send("candles", [{ type: "update", candles: step.candles }]);
      }
    }
    this.#user.flush();
    this.#publishOwnTrades();
    this.#publishBalance();
  }

  /**
   * Sends the fills of the simulator's own orders made since the last call as `market_trades`
   * updates (newest first), to the connections holding the channel for the product.
   */
  #publishOwnTrades(): void {
    const fills = this.#options.exchange.fills;
    if (this.#fillsSent >= fills.length) return;
    const byProduct = new Map<string, WsTradeFrame[]>();
    for (const fill of fills.slice(this.#fillsSent)) {
      const spec = this.#options.exchange.products.get(fill.productId);
      if (spec === undefined) continue;
      const trades = byProduct.get(fill.productId) ?? [];
      trades.unshift(ownTrade(spec, fill));
      byProduct.set(fill.productId, trades);
    }
    this.#fillsSent = fills.length;
    for (const connection of this.#connections) {
      if (!connection.open) continue;
      for (const [productId, trades] of byProduct) {
        if (connection.wants("market_trades", productId))
          connection.send("market_trades", [{ type: "update", trades }]);
      }
    }
  }

  #publishUser(orders: readonly UserOrderFrame[]): void {
    if (this.#closed !== undefined) return;
    this.#publishOwnTrades();
    for (const connection of this.#connections) {
      if (!connection.open || !connection.subscriptions.has("user")) continue;
      const mine = orders.filter((order) => connection.wants("user", order.product_id ?? ""));
      if (mine.length > 0) connection.send("user", [{ type: "update", orders: mine }]);
    }
    this.#publishBalance();
  }

  #publishBalance(): void {
    const subscribers = [...this.#connections].filter(
      (c) => c.open && c.subscriptions.has("futures_balance_summary"),
    );
    if (subscribers.length === 0) return;
    const summary = this.#user.balanceChange();
    if (summary === undefined) return;
    for (const connection of subscribers)
      connection.send("futures_balance_summary", [{ type: "update", fcm_balance_summary: summary }]);
  }

  /** Closes every connection (1001, going away) and stops the tick. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      clearInterval(this.#interval);
      this.#unsubscribeFaults();
      this.#user.dispose();
      for (const connection of this.#connections) {
        connection.markClosed(1001, "server");
        connection.socket.terminate();
        if (connection.deadline !== undefined) this.#timers.clearTimeout(connection.deadline);
      }
      this.#connections.clear();
      this.#wss.close(() => resolve());
    });
    return this.#closed;
  }
}
