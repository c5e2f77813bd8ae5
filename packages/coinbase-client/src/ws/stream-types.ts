/**
 * The public types of `createCoinbaseStream`: options, subscriptions, the WebSocket it drives and
 * the events it emits.
 */
import type { CoinbaseClientError } from "../errors.js";
import type { OrderBook } from "./order-book.js";
import type { ReconnectOptions } from "./reconnect.js";
import type { WsChannel, WsMessage } from "./types.js";
import type { UserFill } from "./user-dedupe.js";

/** The market-data endpoint (public channels; a JWT is optional there). */
export const DEFAULT_MARKET_URL = "wss://advanced-trade-ws.coinbase.com";
/** The user endpoint (`user` and `futures_balance_summary`; a JWT is required). */
export const DEFAULT_USER_URL = "wss://advanced-trade-ws-user.coinbase.com";

/** Which of the stream's two connections an event is about. */
export type ConnectionName = "market" | "user";

/** One subscription: a channel and its products (empty for `heartbeats`, or `user` on all products). */
export interface Subscription {
  readonly channel: WsChannel;
  readonly productIds: readonly string[];
}

/**
 * One line of `stream.subscriptions()`: a subscription and whether the server's last `subscriptions`
 * ack listed it (`confirmed`) or not yet (`pending`: sent, or refused and waiting for its retry).
 */
export interface SubscriptionState extends Subscription {
  readonly status: "confirmed" | "pending";
}

/** Clock and timers of a stream (inject fakes in tests; default `Date.now` and the global timers). */
export interface StreamTimers {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Schedules `callback` after `ms`; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a scheduled callback. */
  clearTimeout(handle: unknown): void;
}

/** The event a socket passes to `onclose`. */
export interface SocketCloseEvent {
  readonly code: number;
  readonly reason: string;
}

/**
 * The part of a WebSocket the stream uses: the browser's `WebSocket`, `ws`'s, or a test double.
 * Messages arrive as text (`string`); binary frames are decoded as UTF-8.
 */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  onclose: ((event: SocketCloseEvent) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/**
 * Builds a socket. In Node the second argument carries `ws` options (`perMessageDeflate: false`,
 * `maxPayload`); it is left out when the constructor is the browser's own `WebSocket`.
 */
export type WebSocketConstructor = new (url: string, options?: WebSocketNodeOptions) => WebSocketLike;

/** The options a stream gives `ws` in Node. */
export interface WebSocketNodeOptions {
  readonly perMessageDeflate: boolean;
  readonly maxPayload: number;
}

/** Options of `createCoinbaseStream`; every field is optional. */
export interface CoinbaseStreamOptions {
  /** The market-data endpoint; default `wss://advanced-trade-ws.coinbase.com`. */
  readonly url?: string;
  /** The user-data endpoint; default `wss://advanced-trade-ws-user.coinbase.com`. */
  readonly userUrl?: string;
  /**
   * Returns a fresh WebSocket JWT; called once for every subscribe and unsubscribe message (a JWT
   * lives 2 minutes). Required for `user` and `futures_balance_summary`. In Node build it with
   * `createWsJwt(credentials)` from `@gpt/coinbase-client`; never ship keys to a browser.
   */
  readonly jwt?: () => string;
  /** Subscribe `heartbeats` on every connection (keeps quiet channels open); default `true`. */
  readonly heartbeats?: boolean;
  /** Reconnect when a connection has received nothing for this long, in ms; default 10,000; 0 turns it off. */
  readonly staleAfterMs?: number;
  /**
   * Reconnect when a subscribed product has had no message for this long, in ms; default 0 (off:
   * a quiet product is normal, set it for products that trade all the time).
   */
  readonly productStaleAfterMs?: number;
  /** Backoff between reconnect attempts. */
  readonly reconnect?: ReconnectOptions;
  /** The buffer of each `events()` iterator. */
  readonly buffer?: {
    /** Events held for a slow iterator before the overflow policy applies; default 10,000. */
    readonly capacity?: number;
  };
  /** Largest frame accepted, in bytes (Node only); default 256 MiB (first level-2 snapshots run to several MB). */
  readonly maxPayloadBytes?: number;
  /** The WebSocket constructor; default `isomorphic-ws` (`ws` in Node, the global one in a browser). */
  readonly WebSocket?: WebSocketConstructor;
  /** Clock and timers; default the real ones. */
  readonly timers?: StreamTimers;
}

/** Why a book or the user channel is being resynced. */
export type ResyncReason =
  | "gap"
  | "out-of-order"
  | "duplicate"
  | "crossed"
  | "invalid-update"
  | "overflow"
  | "reconnect";

/**
 * Everything a stream reports, discriminated by `type`:
 * - `open`: a connection opened and its subscriptions were sent;
 * - `message`: one validated message (the `subscriptions` ack included; `error` frames become `error` events);
 * - `book`: a level-2 book changed and is valid (the object is live: read it when the event arrives);
 * - `fill`: a fill derived from a change of an order's `cumulative_quantity` on the `user` channel;
 * - `error`: a frame that did not validate (`raw` attached), a Coinbase error message, a book that
 *   went invalid, a failed handler, a connection given up on; the stream goes on unless it says so;
 * - `gap`, `duplicate`, `out-of-order`: a sequence problem on a connection;
 * - `resync`: a book (or the `user` channel) is invalid until a fresh snapshot arrives;
 * - `stale`: a connection or product was silent too long (a reconnect follows);
 * - `disconnected`, `reconnecting`, `reconnected`: the connection's life; `reconnected.restored`
 *   lists the subscriptions sent again;
 * - `overflow`: (iterators only) events were dropped because the consumer fell behind;
 * - `closed`: `close()` was called; nothing follows.
 */
export type StreamEvent =
  | { readonly type: "open"; readonly connection: ConnectionName }
  | { readonly type: "message"; readonly connection: ConnectionName; readonly message: WsMessage }
  | { readonly type: "book"; readonly productId: string; readonly book: OrderBook }
  | { readonly type: "fill"; readonly fill: UserFill }
  | {
      readonly type: "error";
      readonly connection?: ConnectionName;
      readonly error: CoinbaseClientError;
      readonly raw?: string;
    }
  | {
      readonly type: "gap";
      readonly connection: ConnectionName;
      readonly expected: number;
      readonly got: number;
    }
  | { readonly type: "duplicate"; readonly connection: ConnectionName; readonly seq: number }
  | {
      readonly type: "out-of-order";
      readonly connection: ConnectionName;
      readonly expected: number;
      readonly got: number;
    }
  | {
      readonly type: "resync";
      readonly connection: ConnectionName;
      readonly channel: "level2" | "user";
      readonly productId?: string;
      readonly reason: ResyncReason;
    }
  | {
      readonly type: "stale";
      readonly connection: ConnectionName;
      readonly scope: "connection" | "product";
      readonly productId?: string;
      readonly silentMs: number;
    }
  | {
      readonly type: "disconnected";
      readonly connection: ConnectionName;
      readonly code: number;
      readonly reason: string;
    }
  | {
      readonly type: "reconnecting";
      readonly connection: ConnectionName;
      readonly attempt: number;
      readonly delayMs: number;
      readonly reason: string;
    }
  | {
      readonly type: "reconnected";
      readonly connection: ConnectionName;
      readonly restored: readonly Subscription[];
    }
  | {
      readonly type: "overflow";
      readonly dropped: number;
      readonly channels: readonly string[];
      readonly productIds: readonly string[];
    }
  | { readonly type: "closed" };

/** The `type` of a `StreamEvent`. */
export type StreamEventType = StreamEvent["type"];

/** The event of one `type`. */
export type StreamEventOf<T extends StreamEventType> = Extract<StreamEvent, { readonly type: T }>;
