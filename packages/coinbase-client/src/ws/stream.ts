/**
 * `createCoinbaseStream`: the market and user connections behind one object, the level-2 books and
 * the user channel's dedupe, and the two ways to consume events (handlers and async iterators).
 */
import WebSocket from "isomorphic-ws";
import { CoinbaseClientError } from "../errors.js";
import { EventBuffer, messageProductIds } from "./buffer.js";
import { Connection } from "./connection.js";
import { OrderBook } from "./order-book.js";
import { reconnectPolicy } from "./reconnect.js";
import type { SequenceVerdict } from "./sequence.js";
import {
  type CoinbaseStreamOptions,
  type ConnectionName,
  DEFAULT_MARKET_URL,
  DEFAULT_USER_URL,
  type ResyncReason,
  type StreamEvent,
  type StreamEventOf,
  type StreamEventType,
  type StreamTimers,
  type SubscriptionState,
  type WebSocketConstructor,
} from "./stream-types.js";
import type { L2DataMessage, UserMessage, WsChannel, WsMessage, WsUserOrder } from "./types.js";
import { type UserFill, UserOrderTracker } from "./user-dedupe.js";

const OPERATION = "createCoinbaseStream";
const CHANNELS: ReadonlySet<string> = new Set<WsChannel>([
  "heartbeats",
  "candles",
  "status",
  "ticker",
  "ticker_batch",
  "level2",
  "market_trades",
  "user",
  "futures_balance_summary",
]);
/** Channels served by the user endpoint; both need a JWT. */
const USER_CHANNELS: ReadonlySet<string> = new Set<WsChannel>(["user", "futures_balance_summary"]);
const DEFAULT_CAPACITY = 10_000;
/** Frames up to 256 MiB: a first level-2 snapshot of a busy product runs to several MB. */
const DEFAULT_MAX_PAYLOAD = 256 * 1024 * 1024;

const realTimers: StreamTimers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A live Coinbase Advanced Trade WebSocket stream (see `createCoinbaseStream`). */
export interface CoinbaseStream {
  /**
   * Subscribes a channel for some products (none for `heartbeats`; none for `user` means all). Opens
   * the connection on first use; the subscribe goes out as soon as it is open (inside the server's
   * 5-second window) and again after every reconnect, each time with a fresh JWT.
   *
   * @throws CoinbaseClientError `invalid-request` for an unknown channel, product ids that are not
   *   non-empty strings, `user`/`futures_balance_summary` without a `jwt` option, or a closed stream.
   */
  subscribe(channel: WsChannel, productIds?: readonly string[]): void;
  /** Drops products of a channel (the whole channel when `productIds` is empty or left out). */
  unsubscribe(channel: WsChannel, productIds?: readonly string[]): void;
  /**
   * The subscriptions held, market and user connections together (automatic heartbeats left out),
   * each `confirmed` (the server's last ack lists it) or `pending` (not acknowledged yet, or refused
   * and waiting for its retry: a refusal is an `error` event with code `ws-subscribe-failed`).
   */
  subscriptions(): SubscriptionState[];
  /** The level-2 book of a subscribed product (check `book.valid`: it is invalid while resyncing). */
  book(productId: string): OrderBook | undefined;
  /** Calls `handler` for every event of one type; returns a function that removes it. */
  on<T extends StreamEventType>(type: T, handler: (event: StreamEventOf<T>) => void): () => void;
  /** Calls `handler` for every event; returns a function that removes it. */
  onAny(handler: (event: StreamEvent) => void): () => void;
  /**
   * An async iterator over the events from now on, with its own bounded buffer (see the README's
   * slow-consumer policy). It ends after the `closed` event; `break` detaches it.
   */
  events(options?: { readonly capacity?: number }): AsyncIterableIterator<StreamEvent>;
  /** Closes both connections for good; resolves when the sockets have closed. */
  close(): Promise<void>;
}

interface BookState {
  readonly book: OrderBook;
  /** A resubscribe went out: updates are ignored until the next snapshot. */
  awaiting: boolean;
}

interface IteratorState {
  readonly buffer: EventBuffer;
  waiter: ((result: IteratorResult<StreamEvent>) => void) | undefined;
  done: boolean;
}

/**
 * Opens a stream on Coinbase Advanced Trade's WebSocket feed. Nothing connects until the first
 * `subscribe`. Runs in Node and in browsers; give it `jwt` only in Node (keys never go to a browser).
 *
 * @throws CoinbaseClientError `invalid-config` for options it cannot use (a URL that is not ws:// or
 *   wss://, a negative time, a jitter outside 0..1, a capacity below 1).
 *
 * @example
 * const stream = createCoinbaseStream();
 * stream.on("message", ({ message }) => {
 *   if (message.channel === "ticker") console.log(message.events[0]?.tickers[0]?.price);
 * });
 * stream.subscribe("ticker", ["BTC-USD"]);
 */
export function createCoinbaseStream(options: CoinbaseStreamOptions = {}): CoinbaseStream {
  const config = checkOptions(options);
  const handlers = new Map<StreamEventType, Set<(event: StreamEvent) => void>>();
  const anyHandlers = new Set<(event: StreamEvent) => void>();
  const iterators = new Set<IteratorState>();
  const books = new Map<string, BookState>();
  const tracker = new UserOrderTracker();
  let closed = false;

  const Ctor = options.WebSocket ?? (WebSocket as unknown as WebSocketConstructor);
  const browser = Ctor === (globalThis as { WebSocket?: unknown }).WebSocket;
  const connections: Record<ConnectionName, Connection> = {
    market: makeConnection("market", config.url),
    user: makeConnection("user", config.userUrl),
  };

  function makeConnection(name: ConnectionName, url: string): Connection {
    return new Connection({
      name,
      url,
      jwt: options.jwt,
      heartbeats: options.heartbeats ?? true,
      staleAfterMs: config.staleAfterMs,
      // Products go quiet on the user channel for hours (no orders): the product watchdog is market-only.
      productStaleAfterMs: name === "market" ? config.productStaleAfterMs : 0,
      reconnect: config.reconnect,
      WebSocket: Ctor,
      browser,
      maxPayloadBytes: config.maxPayloadBytes,
      timers: config.timers,
      emit,
      deliver: (message) => deliver(name, message),
      sequenceProblem: (verdict, message) => sequenceProblem(name, verdict, message),
      down: () => down(name),
    });
  }

  function emit(event: StreamEvent): void {
    const typed = handlers.get(event.type);
    if (typed !== undefined) for (const handler of typed) call(handler, event);
    for (const handler of anyHandlers) call(handler, event);
    for (const it of iterators) {
      if (it.waiter !== undefined) {
        const resolve = it.waiter;
        it.waiter = undefined;
        resolve({ value: event, done: false });
      } else {
        it.buffer.push(event);
      }
    }
  }

  function call(handler: (event: StreamEvent) => void, event: StreamEvent): void {
    try {
      handler(event);
    } catch (cause) {
      if (event.type === "error") {
        // A failing error handler cannot be reported to itself: surface it like an uncaught error.
        queueMicrotask(() => {
          throw cause;
        });
        return;
      }
      const error = new CoinbaseClientError(
        "ws-handler-failed",
        `a handler of "${event.type}" events threw`,
        {
          operation: OPERATION,
          cause,
        },
      );
      emit({ type: "error", error });
    }
  }

  function deliver(connection: ConnectionName, message: WsMessage): void {
    if (message.channel === "l2_data") {
      emit({ type: "message", connection, message });
      applyLevel2(message);
      return;
    }
    if (message.channel === "user") {
      const fresh = dedupeUser(message);
      if (fresh !== undefined) emit({ type: "message", connection, message: fresh.message });
      for (const fill of fresh?.fills ?? []) emit({ type: "fill", fill });
      return;
    }
    emit({ type: "message", connection, message });
  }

  function applyLevel2(message: L2DataMessage): void {
    for (const event of message.events) {
      const state = books.get(event.product_id);
      if (state === undefined) continue;
      const { book } = state;
      if (event.type === "snapshot") {
        book.applySnapshot(event.updates);
        state.awaiting = false;
      } else if (state.awaiting || !book.valid) {
        continue;
      } else {
        book.applyUpdates(event.updates);
      }
      if (!book.valid) {
        bookError(
          event.product_id,
          `level-2 book of ${event.product_id} is invalid: ${book.invalidReason ?? "?"}`,
        );
        resyncBooks([event.product_id], "invalid-update");
      } else if (book.isCrossed()) {
        book.invalidate("crossed");
        bookError(event.product_id, `level-2 book of ${event.product_id} is crossed (best bid >= best ask)`);
        resyncBooks([event.product_id], "crossed");
      } else {
        emit({ type: "book", productId: event.product_id, book });
      }
    }
  }

  function bookError(productId: string, message: string): void {
    const error = new CoinbaseClientError("ws-book-invalid", message, {
      operation: OPERATION,
      field: productId,
    });
    emit({ type: "error", connection: "market", error });
  }

  /** The user message without replayed orders (same id, cumulative quantity and status, or older), and its fills. */
  function dedupeUser(message: UserMessage): { message: UserMessage; fills: UserFill[] } | undefined {
    const fills: UserFill[] = [];
    const events: UserMessage["events"][number][] = [];
    for (const event of message.events) {
      const orders: WsUserOrder[] = [];
      for (const order of event.orders) {
        const verdict = tracker.apply(order);
        if (verdict.kind === "duplicate" || verdict.kind === "stale") continue;
        orders.push(order);
        if (verdict.fill !== undefined) fills.push(verdict.fill);
      }
      const positions = event.positions;
      const hasPositions =
        (positions?.perpetual_futures_positions?.length ?? 0) > 0 ||
        (positions?.expiring_futures_positions?.length ?? 0) > 0;
      if (orders.length > 0 || hasPositions || event.orders.length === 0) events.push({ ...event, orders });
    }
    if (events.length === 0 && fills.length === 0) return undefined;
    return { message: { ...message, events }, fills };
  }

  function sequenceProblem(
    connection: ConnectionName,
    verdict: Exclude<SequenceVerdict, { kind: "ok" }>,
    message: WsMessage,
  ): void {
    const reason: ResyncReason = verdict.kind;
    if (verdict.kind === "gap") {
      // Anything may have been in the missing messages: every book and the user channel resync.
      if (connection === "market") resyncBooks([...books.keys()], reason);
      resyncUser(connection, reason);
      return;
    }
    // The message is dropped; a level-2 or user message dropped leaves its product or orders stale.
    if (message.channel === "l2_data") resyncBooks(messageProductIds(message), reason);
    else if (message.channel === "user" && verdict.kind === "out-of-order") resyncUser(connection, reason);
  }

  function resyncBooks(productIds: readonly string[], reason: ResyncReason): void {
    const due: string[] = [];
    for (const productId of productIds) {
      const state = books.get(productId);
      if (state === undefined || state.awaiting) continue;
      state.awaiting = true;
      if (state.book.valid) state.book.invalidate(reason);
      due.push(productId);
      emit({ type: "resync", connection: "market", channel: "level2", productId, reason });
    }
    if (due.length > 0) connections.market.resubscribe("level2", due);
  }

  function resyncUser(connection: ConnectionName, reason: ResyncReason): void {
    const user = connections[connection].held().find((s) => s.channel === "user");
    if (user === undefined) return;
    emit({ type: "resync", connection, channel: "user", reason });
    connections[connection].resubscribe("user", user.productIds);
  }

  function down(connection: ConnectionName): void {
    if (connection !== "market") return;
    for (const [productId, state] of books) {
      if (state.awaiting) continue;
      state.awaiting = true;
      state.book.invalidate("reconnect");
      emit({ type: "resync", connection, channel: "level2", productId, reason: "reconnect" });
    }
  }

  /** An iterator dropped an event: resync what the consumer can no longer rebuild. */
  function dropped(event: StreamEvent): void {
    if (event.type === "message" && event.message.channel === "l2_data") {
      resyncBooks(messageProductIds(event.message), "overflow");
    } else if (event.type === "fill" || (event.type === "message" && event.message.channel === "user")) {
      resyncUser("user", "overflow");
    }
  }

  function checkSubscribeArgs(channel: unknown, productIds: unknown): readonly string[] {
    const bad = (message: string, field: string): never => {
      throw new CoinbaseClientError("invalid-request", message, { operation: "subscribe", field });
    };
    if (closed) bad("the stream is closed", "");
    if (typeof channel !== "string" || !CHANNELS.has(channel))
      bad("channel is not a known channel", "channel");
    if (productIds === undefined) return [];
    if (!Array.isArray(productIds)) return bad("productIds must be an array of strings", "productIds");
    for (const [i, id] of productIds.entries()) {
      if (typeof id !== "string" || id.trim() === "")
        bad("product ids must be non-empty strings", `productIds.${i}`);
    }
    return [...new Set(productIds as string[])];
  }

  function connectionOf(channel: WsChannel): Connection {
    return USER_CHANNELS.has(channel) ? connections.user : connections.market;
  }

  const stream: CoinbaseStream = {
    subscribe(channel, productIds) {
      const ids = checkSubscribeArgs(channel, productIds);
      if (USER_CHANNELS.has(channel) && options.jwt === undefined) {
        throw new CoinbaseClientError("invalid-request", `the ${channel} channel needs the jwt option`, {
          operation: "subscribe",
          field: "jwt",
        });
      }
      if (channel === "level2") {
        for (const id of ids) if (!books.has(id)) books.set(id, { book: new OrderBook(id), awaiting: true });
      }
      connectionOf(channel).subscribe(channel, ids);
    },
    unsubscribe(channel, productIds) {
      const ids = checkSubscribeArgs(channel, productIds);
      const connection = connectionOf(channel);
      if (channel === "level2") {
        const gone =
          ids.length > 0 ? ids : (connection.held().find((s) => s.channel === "level2")?.productIds ?? []);
        for (const id of gone) books.delete(id);
      }
      connection.unsubscribe(channel, ids);
    },
    subscriptions: () => [...connections.market.subscriptions(), ...connections.user.subscriptions()],
    book: (productId) => books.get(productId)?.book,
    on(type, handler) {
      let set = handlers.get(type);
      if (set === undefined) {
        set = new Set();
        handlers.set(type, set);
      }
      const wrapped = handler as (event: StreamEvent) => void;
      set.add(wrapped);
      return () => {
        set.delete(wrapped);
      };
    },
    onAny(handler) {
      anyHandlers.add(handler);
      return () => {
        anyHandlers.delete(handler);
      };
    },
    events(iteratorOptions) {
      const capacity = iteratorOptions?.capacity ?? config.capacity;
      if (!Number.isInteger(capacity) || capacity < 1) {
        throw new CoinbaseClientError("invalid-request", "capacity must be an integer >= 1", {
          operation: "events",
          field: "capacity",
        });
      }
      const state: IteratorState = {
        buffer: new EventBuffer(capacity, dropped),
        waiter: undefined,
        done: closed,
      };
      if (!closed) iterators.add(state);
      const finish = (): IteratorResult<StreamEvent> => {
        state.done = true;
        iterators.delete(state);
        return { value: undefined, done: true };
      };
      const iterator: AsyncIterableIterator<StreamEvent> = {
        next() {
          const event = state.buffer.shift();
          if (event !== undefined) return Promise.resolve({ value: event, done: false });
          if (state.done) return Promise.resolve(finish());
          return new Promise((resolve) => {
            state.waiter = resolve;
          });
        },
        return() {
          const waiter = state.waiter;
          state.waiter = undefined;
          const result = finish();
          waiter?.(result);
          return Promise.resolve(result);
        },
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      return iterator;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([connections.market.close(), connections.user.close()]);
      emit({ type: "closed" });
      for (const it of iterators) {
        it.done = true;
        if (it.waiter !== undefined) {
          const resolve = it.waiter;
          it.waiter = undefined;
          iterators.delete(it);
          resolve({ value: undefined, done: true });
        }
      }
      iterators.clear();
    },
  };
  return stream;
}

interface CheckedOptions {
  readonly url: string;
  readonly userUrl: string;
  readonly staleAfterMs: number;
  readonly productStaleAfterMs: number;
  readonly capacity: number;
  readonly maxPayloadBytes: number;
  readonly timers: StreamTimers;
  readonly reconnect: ReturnType<typeof reconnectPolicy>;
}

function checkOptions(options: CoinbaseStreamOptions): CheckedOptions {
  const bad = (field: string, rule: string): never => {
    throw new CoinbaseClientError("invalid-config", `${field} must be ${rule}`, {
      operation: OPERATION,
      field,
    });
  };
  if (typeof options !== "object" || options === null) bad("options", "an object");
  const url = options.url ?? DEFAULT_MARKET_URL;
  const userUrl = options.userUrl ?? DEFAULT_USER_URL;
  if (typeof url !== "string" || !/^wss?:\/\/[^\s]+$/i.test(url)) bad("url", "a ws:// or wss:// URL");
  if (typeof userUrl !== "string" || !/^wss?:\/\/[^\s]+$/i.test(userUrl))
    bad("userUrl", "a ws:// or wss:// URL");
  const nonNegative = (field: string, value: unknown, fallback: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) bad(field, "a finite number >= 0");
    return value as number;
  };
  const staleAfterMs = nonNegative("staleAfterMs", options.staleAfterMs, 10_000);
  const productStaleAfterMs = nonNegative("productStaleAfterMs", options.productStaleAfterMs, 0);
  const maxPayloadBytes = nonNegative("maxPayloadBytes", options.maxPayloadBytes, DEFAULT_MAX_PAYLOAD);
  const capacity = options.buffer?.capacity ?? DEFAULT_CAPACITY;
  if (!Number.isInteger(capacity) || capacity < 1) bad("buffer.capacity", "an integer >= 1");
  if (options.jwt !== undefined && typeof options.jwt !== "function")
    bad("jwt", "a function returning a JWT");
  if (options.WebSocket !== undefined && typeof options.WebSocket !== "function")
    bad("WebSocket", "a constructor");
  const timers = options.timers ?? realTimers;
  if (typeof timers.now !== "function" || typeof timers.setTimeout !== "function")
    bad("timers", "a clock with timers");
  return {
    url,
    userUrl,
    staleAfterMs,
    productStaleAfterMs,
    capacity,
    maxPayloadBytes,
    timers,
    reconnect: reconnectPolicy(options.reconnect),
  };
}
