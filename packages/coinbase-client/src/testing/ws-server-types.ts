/**
 * The types of the loopback WebSocket fault server (`startWsServer` in `ws-server.ts`): its options,
 * the connections it tracks, the server handle and the fault script. For tests only.
 */
import type { WebSocket } from "ws";

/** One level-2 change as Coinbase sends it (`new_quantity` is absolute; `"0"` removes the level). */
export interface WsL2Change {
  /** `bid` or `offer`. */
  readonly side: "bid" | "offer";
  /** The price as a decimal string. */
  readonly price_level: string;
  /** The new absolute size as a decimal string. */
  readonly new_quantity: string;
  /** The event time (defaults to the send time). */
  readonly event_time?: string;
}

/** What the server does with one JWT: accept it or answer with this error text. */
export type WsJwtCheck = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** Options of `startWsServer`. */
export interface WsServerOptions {
  /** Heartbeat period for connections subscribed to `heartbeats`; default 1000 ms. */
  readonly heartbeatIntervalMs?: number;
  /** Closes a connection that sends no subscribe in this time (Coinbase: 5 s); default 5000 ms, 0 = never. */
  readonly subscribeDeadlineMs?: number;
  /** The server's clock (ms since the epoch) for JWT expiry and timestamps; default `Date.now`. */
  readonly now?: () => number;
  /**
   * Checks a JWT (default: decodes the payload without verifying the signature and requires
   * `exp > now` and `nbf <= now + 5 s`).
   */
  readonly verifyJwt?: (jwt: string, now: number) => WsJwtCheck;
  /** Answers a subscribe/unsubscribe with this error text instead of accepting it (a scripted subscribe error). */
  readonly rejectSubscribe?: (request: WsClientMessage) => string | undefined;
  /** Closes the connection right after sending an error frame (Coinbase may do so); default false. */
  readonly closeAfterError?: boolean;
  /** How many recent user-channel updates are sent again after a (re)subscribe to `user`; default 0. */
  readonly userReplay?: number;
}

/** A message a client sent, parsed. */
export interface WsClientMessage {
  /** `subscribe` or `unsubscribe` (or anything else the client sent). */
  readonly type: string;
  /** The channel named. */
  readonly channel?: string;
  /** The product ids named. */
  readonly product_ids?: readonly string[];
  /** The JWT, when sent. */
  readonly jwt?: string;
}

/** One client connection as the server sees it. */
export interface WsServerConnection {
  /** Its index in connection order (0 for the first). */
  readonly id: number;
  /** Every message it sent, parsed (unparsable text is kept as `{ type: "<raw>" }`). */
  readonly received: WsClientMessage[];
  /** Its subscriptions: channel → product ids (productless channels hold their own name). */
  readonly subscriptions: Map<string, Set<string>>;
  /** The `sequence_num` its next frame gets. */
  nextSequence: number;
  /** Whether it is still open. */
  open: boolean;
  /** Characters sent to it so far, and the longest single frame (for the oversized-frame tests). */
  sent: { chars: number; largestFrame: number };
  /** The close code it ended with (as the server saw it), when closed. */
  closeCode?: number;
  /** The socket (for scripted raw sends). */
  readonly socket: WebSocket;
}

/** A running loopback server. */
export interface WsServer {
  /** The `ws://127.0.0.1:<port>` URL to connect to. */
  readonly url: string;
  /** Every connection so far, in order (closed ones included). */
  readonly connections: readonly WsServerConnection[];
  /** The open connections subscribed to `channel` (and `productId`, when given). */
  subscribers(channel: string, productId?: string): WsServerConnection[];
  /** Resolves when `condition()` holds (checked on every server event and every 5 ms); rejects after `timeoutMs`. */
  waitFor(condition: () => boolean, timeoutMs?: number): Promise<void>;
  /** Sets the truth book of a product (levels replace the book) without sending anything. */
  setBook(productId: string, changes: readonly WsL2Change[]): void;
  /** The truth book of a product: price → size per side, sorted (bids high→low, offers low→high). */
  book(productId: string): { bids: [string, string][]; offers: [string, string][] };
  /** Applies changes to the truth book and sends them as an `l2_data` update to level2 subscribers. */
  l2Update(productId: string, changes: readonly WsL2Change[]): void;
  /** Sends a level2 snapshot of the truth book to level2 subscribers of the product (or one connection). */
  l2Snapshot(productId: string, connection?: WsServerConnection): void;
  /** Sends one ticker update (fields merged over defaults) to ticker subscribers of the product. */
  ticker(productId: string, fields?: Readonly<Record<string, string>>): void;
  /** Sends events on a channel to its subscribers (`productId` filters; omitted = every subscriber). */
  publish(channel: string, events: readonly unknown[], productId?: string): void;
  /** Records a user order (as the `user` channel carries it) and sends it as an update to user subscribers. */
  userOrder(order: Readonly<Record<string, unknown>>): void;
  /** Sends one heartbeat now to every heartbeat subscriber. */
  heartbeat(): void;
  /** Replays recorded envelopes (`channel`, `events`): sequence numbers are restamped per connection, level2 events update the truth book, `subscriptions` acks are skipped. */
  replay(messages: readonly Readonly<Record<string, unknown>>[]): void;
  /** The fault script (applies to every open connection unless one is given). */
  readonly faults: WsFaults;
  /** Stops the server and drops every connection. */
  close(): Promise<void>;
}

/** Scripted faults. */
export interface WsFaults {
  /** Closes with a close frame (1000, 1001, 4000…) or drops the TCP connection without one (1006). */
  disconnect(code: number, connection?: WsServerConnection): void;
  /** The next frame of each connection skips `by` sequence numbers (a gap). */
  gap(by?: number, connection?: WsServerConnection): void;
  /** Sends the last frame again with the same sequence number. */
  duplicateLast(connection?: WsServerConnection): void;
  /** Holds the next frame and sends it after the one that follows (out of order). */
  swapNext(connection?: WsServerConnection): void;
  /** Sends raw text as a frame (a malformed frame, or one that breaks the schema). */
  raw(text: string, connection?: WsServerConnection): void;
  /** Sends an `l2_data` snapshot with `levels` price levels per side (several MB at ~50,000) and makes it the truth book. */
  oversizedSnapshot(productId: string, levels: number): void;
  /** Stops every frame and heartbeat until `resume()` (a silent, stale stream). */
  silence(): void;
  /** Ends `silence()`. */
  resume(): void;
}
