/**
 * One WebSocket connection of a stream (market or user): opening, subscribing with a fresh JWT per
 * message, the sequence check, the stale watchdog and reconnecting with backoff. What the messages
 * mean (books, fills) is the stream's business; this file only delivers them in order.
 */
import { CoinbaseClientError } from "../errors.js";
import { messageProductIds } from "./buffer.js";
import { parseWsFrame } from "./parse.js";
import { backoffDelay, type ReconnectPolicy } from "./reconnect.js";
import { SequenceChecker, type SequenceVerdict } from "./sequence.js";
import type {
  ConnectionName,
  SocketCloseEvent,
  StreamEvent,
  StreamTimers,
  Subscription,
  SubscriptionState,
  WebSocketConstructor,
  WebSocketLike,
} from "./stream-types.js";
import type { SubscriptionsMessage, WsChannel, WsMessage } from "./types.js";

const OPERATION = "createCoinbaseStream";
/** The close code the stream uses when it drops a stale connection itself. */
const CLOSE_STALE = 4000;
const CLOSED = 3;

/** What a connection needs from its stream. */
export interface ConnectionSetup {
  readonly name: ConnectionName;
  readonly url: string;
  readonly jwt: (() => string) | undefined;
  readonly heartbeats: boolean;
  readonly staleAfterMs: number;
  readonly productStaleAfterMs: number;
  readonly reconnect: ReconnectPolicy;
  readonly WebSocket: WebSocketConstructor;
  /** True when `WebSocket` is the browser's own constructor (it takes no options object). */
  readonly browser: boolean;
  readonly maxPayloadBytes: number;
  readonly timers: StreamTimers;
  /** Reports an event to the stream's consumers. */
  readonly emit: (event: StreamEvent) => void;
  /** A message that passed the sequence check (error frames are reported, not delivered). */
  readonly deliver: (message: WsMessage) => void;
  /** A message the sequence check flagged; `deliver` follows for a gap (the message itself is new). */
  readonly sequenceProblem: (verdict: Exclude<SequenceVerdict, { kind: "ok" }>, message: WsMessage) => void;
  /** The connection went down: every book and the user channel on it are stale from here. */
  readonly down: () => void;
}

type State = "idle" | "connecting" | "open" | "waiting" | "failed" | "closed";

/** A subscribe or unsubscribe sent and not yet answered (the server answers each, in order, with an ack or an error). */
interface Request {
  readonly type: "subscribe" | "unsubscribe";
  readonly channel: WsChannel;
  readonly productIds: readonly string[];
}

/** One connection: see the file comment. */
export class Connection {
  readonly #setup: ConnectionSetup;
  readonly #subscriptions = new Map<WsChannel, Set<string>>();
  readonly #sequence = new SequenceChecker();
  /** When each subscribed product was last mentioned (for the product watchdog). */
  readonly #productSeen = new Map<string, number>();
  /** What the last `subscriptions` ack listed of what we hold (a productless channel: an empty set). */
  readonly #confirmed = new Map<WsChannel, Set<string>>();
  /** Requests sent on this socket and not answered yet, oldest first. */
  #requests: Request[] = [];
  /** Refused subscribes in a row, per channel (reset when an ack lists the channel). */
  readonly #refusals = new Map<WsChannel, number>();
  /** A subscribe retry waiting for its backoff, per channel. */
  readonly #resubscribeTimers = new Map<WsChannel, unknown>();
  #state: State = "idle";
  #socket: WebSocketLike | undefined;
  #attempt = 0;
  #everOpened = false;
  #lastMessageAt = 0;
  #watchdog: unknown;
  #retryTimer: unknown;
  #closing: Promise<void> | undefined;

  constructor(setup: ConnectionSetup) {
    this.#setup = setup;
  }

  /** The subscriptions held (sent again after every reconnect), heartbeats added by the stream excluded. */
  held(): Subscription[] {
    const out: Subscription[] = [];
    for (const [channel, ids] of this.#subscriptions) out.push({ channel, productIds: [...ids].sort() });
    return out;
  }

  /**
   * The subscriptions held, split into what the server's last `subscriptions` ack listed (`confirmed`)
   * and what it has not (yet) acknowledged (`pending`: sent, refused and waiting for a retry, or not sent).
   */
  subscriptions(): SubscriptionState[] {
    const out: SubscriptionState[] = [];
    for (const [channel, ids] of this.#subscriptions) {
      const confirmed = this.#confirmed.get(channel);
      if (ids.size === 0) {
        out.push({ channel, productIds: [], status: confirmed === undefined ? "pending" : "confirmed" });
        continue;
      }
      const sorted = [...ids].sort();
      const yes = sorted.filter((id) => confirmed?.has(id) === true);
      const no = sorted.filter((id) => confirmed?.has(id) !== true);
      if (yes.length > 0) out.push({ channel, productIds: yes, status: "confirmed" });
      if (no.length > 0) out.push({ channel, productIds: no, status: "pending" });
    }
    return out;
  }

  /** True while the socket is open. */
  get open(): boolean {
    return this.#state === "open";
  }

  /** Adds a subscription; sends it now when open, else opens the connection (it is sent on open). */
  subscribe(channel: WsChannel, productIds: readonly string[]): void {
    if (this.#state === "closed") return;
    let ids = this.#subscriptions.get(channel);
    if (ids === undefined) {
      ids = new Set();
      this.#subscriptions.set(channel, ids);
    }
    const added = productIds.filter((id) => !ids.has(id));
    for (const id of added) {
      ids.add(id);
      this.#productSeen.set(id, this.#setup.timers.now());
    }
    if (this.#state === "open") {
      if (added.length > 0 || productIds.length === 0) this.#send("subscribe", channel, added);
      if (added.length > 0 && this.#watchdog === undefined) this.#armWatchdog();
    } else if (this.#state === "idle" || this.#state === "failed") {
      this.#attempt = 0;
      this.#connect();
    }
  }

  /** Drops products of a channel (all of the channel when `productIds` is empty or left out). */
  unsubscribe(channel: WsChannel, productIds: readonly string[] = []): void {
    const ids = this.#subscriptions.get(channel);
    if (ids === undefined) return;
    const dropped = productIds.length === 0 ? [...ids] : productIds.filter((id) => ids.has(id));
    for (const id of dropped) ids.delete(id);
    if (productIds.length === 0 || ids.size === 0) {
      this.#subscriptions.delete(channel);
      this.#confirmed.delete(channel);
      this.#refusals.delete(channel);
      this.#cancelResubscribe(channel);
    } else {
      for (const id of dropped) this.#confirmed.get(channel)?.delete(id);
    }
    this.#forgetProducts(dropped);
    if (this.#state !== "open") return;
    this.#send("unsubscribe", channel, productIds.length === 0 ? [] : dropped);
  }

  /** Unsubscribes and subscribes again, so the server sends a fresh snapshot (books, open orders). */
  resubscribe(channel: WsChannel, productIds: readonly string[]): void {
    if (this.#state !== "open" || !this.#subscriptions.has(channel)) return;
    this.#send("unsubscribe", channel, productIds);
    this.#send("subscribe", channel, productIds);
  }

  /** Closes for good (no reconnect); resolves when the socket has closed. */
  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    this.#state = "closed";
    this.#clearTimers();
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket === undefined || socket.readyState === CLOSED) {
      this.#closing = Promise.resolve();
      return this.#closing;
    }
    this.#closing = new Promise<void>((resolve) => {
      socket.onmessage = null;
      socket.onopen = null;
      socket.onerror = () => {};
      socket.onclose = () => resolve();
      try {
        socket.close(1000, "client closed");
      } catch {
        resolve();
      }
    });
    return this.#closing;
  }

  #connect(): void {
    const { timers, url } = this.#setup;
    this.#state = "connecting";
    this.#sequence.reset();
    this.#requests = [];
    this.#confirmed.clear();
    this.#lastMessageAt = timers.now();
    let socket: WebSocketLike;
    try {
      socket = this.#setup.browser
        ? new this.#setup.WebSocket(url)
        : new this.#setup.WebSocket(url, {
            perMessageDeflate: false,
            maxPayload: this.#setup.maxPayloadBytes,
          });
    } catch (cause) {
      this.#lost(1006, "the WebSocket could not be created", cause);
      return;
    }
    this.#socket = socket;
    socket.onopen = () => this.#opened();
    socket.onmessage = (event) => this.#received(event.data);
    socket.onclose = (event: SocketCloseEvent) => {
      if (this.#socket === socket) this.#lost(event.code, event.reason);
    };
    // An error is followed by a close event; the close carries what the stream acts on.
    socket.onerror = () => {};
    this.#armWatchdog();
  }

  #opened(): void {
    const { emit, name, heartbeats } = this.#setup;
    if (!heartbeats && this.#subscriptions.size === 0) {
      // Everything was unsubscribed while connecting: with nothing to send inside the 5-second
      // window the server would drop us; close, and connect again on the next subscribe.
      const socket = this.#socket;
      this.#detach();
      this.#clearTimers();
      this.#state = "idle";
      socket?.close(1000, "nothing to subscribe");
      return;
    }
    this.#state = "open";
    const now = this.#setup.timers.now();
    this.#lastMessageAt = now;
    for (const id of this.#productSeen.keys()) this.#productSeen.set(id, now);
    // The first subscribe must reach the server within 5 s of the open: everything goes out now.
    if (heartbeats && !this.#subscriptions.has("heartbeats")) this.#send("subscribe", "heartbeats", []);
    const restored = this.held();
    for (const { channel, productIds } of restored) this.#send("subscribe", channel, productIds);
    this.#armWatchdog();
    emit({ type: "open", connection: name });
    if (this.#everOpened) emit({ type: "reconnected", connection: name, restored });
    this.#everOpened = true;
  }

  #received(data: unknown): void {
    if (this.#state !== "open") return;
    const now = this.#setup.timers.now();
    this.#lastMessageAt = now;
    const result = parseWsFrame(frameOf(data));
    const { emit, name } = this.#setup;
    if (!result.ok) {
      emit({ type: "error", connection: name, error: result.error, raw: result.raw });
      return;
    }
    const message = result.message;
    if (message.channel === "error") {
      // Coinbase's error frame does not say what it refuses: it answers the oldest request unanswered.
      // With none waiting, it answers nothing of ours and blames nothing.
      const request = this.#requests.shift();
      if (request === undefined) {
        const error = new CoinbaseClientError(
          "ws-server-error",
          `Coinbase WebSocket error with no request waiting: ${message.message}`,
          { operation: OPERATION, coinbaseMessage: message.message },
        );
        emit({ type: "error", connection: name, error });
        return;
      }
      if (request.type === "subscribe") {
        this.#refused(request, `Coinbase WebSocket error: ${message.message}`, message.message);
        return;
      }
      const error = new CoinbaseClientError(
        "ws-subscribe-failed",
        `Coinbase WebSocket error (${describe(request)}): ${message.message}`,
        { operation: OPERATION, coinbaseMessage: message.message, field: request.channel },
      );
      emit({ type: "error", connection: name, error });
      return;
    }
    if (message.channel === "subscriptions") {
      this.#acknowledged(message);
      if (this.#state !== "open") return;
    }
    // A frame that validates shows the server is really streaming: the backoff starts over.
    this.#attempt = 0;
    if (this.#setup.productStaleAfterMs > 0) {
      for (const id of messageProductIds(message))
        if (this.#productSeen.has(id)) this.#productSeen.set(id, now);
    }
    const verdict = this.#sequence.check(message.sequence_num);
    if (verdict.kind === "ok") {
      this.#setup.deliver(message);
      return;
    }
    if (verdict.kind === "gap")
      emit({ type: "gap", connection: name, expected: verdict.expected, got: verdict.got });
    else if (verdict.kind === "duplicate") emit({ type: "duplicate", connection: name, seq: verdict.seq });
    else emit({ type: "out-of-order", connection: name, expected: verdict.expected, got: verdict.got });
    this.#setup.sequenceProblem(verdict, message);
    if (verdict.kind === "gap") this.#setup.deliver(message);
  }

  /** The socket closed (or failed to open, or went stale): report and schedule a reconnect. */
  #lost(code: number, reason: string, cause?: unknown): void {
    if (this.#state === "closed") return;
    const { emit, name, reconnect } = this.#setup;
    this.#detach();
    this.#clearTimers();
    this.#state = "waiting";
    emit({ type: "disconnected", connection: name, code, reason });
    this.#setup.down();
    this.#attempt++;
    if (this.#attempt > reconnect.maxAttempts) {
      this.#state = "failed";
      const error = new CoinbaseClientError(
        "ws-closed",
        `WebSocket ${name} connection closed (code ${code}); gave up after ${reconnect.maxAttempts} reconnect attempts`,
        { operation: OPERATION, status: code, retryable: true, cause },
      );
      emit({ type: "error", connection: name, error });
      return;
    }
    const delayMs = backoffDelay(reconnect, this.#attempt);
    emit({
      type: "reconnecting",
      connection: name,
      attempt: this.#attempt,
      delayMs,
      reason: reason === "" ? `closed with code ${code}` : reason,
    });
    this.#retryTimer = this.#setup.timers.setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.#state === "waiting") this.#connect();
    }, delayMs);
  }

  /** Sends one subscribe/unsubscribe for one channel, with a fresh JWT when the stream has one. */
  #send(type: "subscribe" | "unsubscribe", channel: WsChannel, productIds: readonly string[]): void {
    const { emit, name, jwt } = this.#setup;
    const body: Record<string, unknown> = { type, channel };
    if (productIds.length > 0) body.product_ids = productIds;
    const request: Request = { type, channel, productIds: [...productIds] };
    const failed = (message: string, cause: unknown): void => {
      if (type === "subscribe") {
        this.#refused(request, message, undefined, cause);
        return;
      }
      const error = new CoinbaseClientError("ws-subscribe-failed", message, {
        operation: OPERATION,
        field: channel,
        cause,
      });
      emit({ type: "error", connection: name, error });
    };
    if (jwt !== undefined) {
      try {
        body.jwt = jwt();
      } catch (cause) {
        failed(`the jwt function threw; ${describe(request)} not sent`, cause);
        return;
      }
    }
    const socket = this.#socket;
    if (socket === undefined) return;
    try {
      socket.send(JSON.stringify(body));
    } catch (cause) {
      failed(`${describe(request)} could not be sent`, cause);
      return;
    }
    this.#requests.push(request);
  }

  /**
   * A `subscriptions` ack lists everything the server holds now: that, of what we hold, is confirmed.
   * It answers the oldest request unanswered; a subscribe it does not list was refused.
   */
  #acknowledged(message: SubscriptionsMessage): void {
    const listed = new Map<string, Set<string>>();
    for (const event of message.events) {
      for (const [key, ids] of Object.entries(event.subscriptions)) {
        // Coinbase names the level-2 channel either way.
        const channel = key === "l2_data" ? "level2" : key;
        const set = listed.get(channel) ?? new Set<string>();
        for (const id of ids) set.add(id);
        listed.set(channel, set);
      }
    }
    this.#confirmed.clear();
    for (const [channel, ids] of this.#subscriptions) {
      const server = listed.get(channel);
      if (server === undefined) continue;
      // A productless channel (user on all products) is listed under ids of the server's choosing.
      const confirmed = ids.size === 0 ? new Set<string>() : new Set([...ids].filter((id) => server.has(id)));
      if (ids.size === 0 || confirmed.size > 0) this.#confirmed.set(channel, confirmed);
      if (ids.size === 0 || confirmed.size === ids.size) this.#refusals.delete(channel);
    }
    const request = this.#requests.shift();
    if (request?.type !== "subscribe" || request.channel === "heartbeats") return;
    const held = this.#subscriptions.get(request.channel);
    if (held === undefined) return;
    const server = listed.get(request.channel);
    const missing = request.productIds.filter((id) => held.has(id) && server?.has(id) !== true);
    if (server === undefined || missing.length > 0) {
      const refused: Request = { ...request, productIds: missing };
      this.#refused(refused, `the subscriptions ack does not list ${describe(refused)}`, undefined);
    }
  }

  /**
   * A subscribe was refused (error frame, an ack without it, or it could not be sent): the consumer is
   * told with a `ws-subscribe-failed` naming the channel, and it is sent again with a fresh JWT after
   * backoff; after `reconnect.maxAttempts` refusals in a row the connection is recycled instead.
   */
  #refused(request: Request, message: string, coinbaseMessage: string | undefined, cause?: unknown): void {
    const { emit, name, reconnect, timers } = this.#setup;
    const refusals = (this.#refusals.get(request.channel) ?? 0) + 1;
    this.#refusals.set(request.channel, refusals);
    const recycle = refusals > reconnect.maxAttempts;
    const delayMs = backoffDelay(reconnect, refusals);
    const next = recycle ? "reconnecting" : `retrying in ${Math.round(delayMs)} ms`;
    const error = new CoinbaseClientError(
      "ws-subscribe-failed",
      `${message}; ${describe(request)}; ${next}`,
      {
        operation: OPERATION,
        coinbaseMessage,
        field: request.channel,
        retryable: true,
        cause,
      },
    );
    emit({ type: "error", connection: name, error });
    if (this.#state !== "open") return; // the reconnect sends every subscription again
    if (recycle) {
      this.#refusals.delete(request.channel);
      this.#drop(`${describe(request)} refused ${refusals} times`);
      return;
    }
    if (this.#resubscribeTimers.has(request.channel)) return;
    const handle = timers.setTimeout(() => {
      this.#resubscribeTimers.delete(request.channel);
      if (this.#state !== "open") return;
      const { channel } = request;
      if (channel === "heartbeats" && this.#setup.heartbeats && !this.#subscriptions.has(channel)) {
        this.#send("subscribe", channel, []);
        return;
      }
      const ids = this.#subscriptions.get(channel);
      if (ids === undefined) return;
      const confirmed = this.#confirmed.get(channel);
      const pending = [...ids].filter((id) => confirmed?.has(id) !== true);
      if (ids.size === 0 ? confirmed === undefined : pending.length > 0)
        this.#send("subscribe", channel, pending);
    }, delayMs);
    this.#resubscribeTimers.set(request.channel, handle);
  }

  #cancelResubscribe(channel: WsChannel): void {
    const handle = this.#resubscribeTimers.get(channel);
    if (handle === undefined) return;
    this.#setup.timers.clearTimeout(handle);
    this.#resubscribeTimers.delete(channel);
  }

  /**
   * The watchdog sleeps until the earliest moment something could be stale, then checks; it is never
   * re-armed per message (the hot path only stores a time).
   */
  #armWatchdog(): void {
    const { staleAfterMs, productStaleAfterMs, timers } = this.#setup;
    if (staleAfterMs <= 0 && productStaleAfterMs <= 0) return;
    if (this.#watchdog !== undefined) timers.clearTimeout(this.#watchdog);
    const now = timers.now();
    let due = Number.POSITIVE_INFINITY;
    if (staleAfterMs > 0) due = this.#lastMessageAt + staleAfterMs;
    if (productStaleAfterMs > 0 && this.#state === "open") {
      for (const seen of this.#productSeen.values()) due = Math.min(due, seen + productStaleAfterMs);
    }
    if (!Number.isFinite(due)) return;
    this.#watchdog = timers.setTimeout(() => this.#checkStale(), Math.max(0, due - now));
  }

  #checkStale(): void {
    this.#watchdog = undefined;
    if (this.#state !== "open" && this.#state !== "connecting") return;
    const { staleAfterMs, productStaleAfterMs, timers, emit, name } = this.#setup;
    const now = timers.now();
    const silentMs = now - this.#lastMessageAt;
    if (staleAfterMs > 0 && silentMs >= staleAfterMs) {
      emit({ type: "stale", connection: name, scope: "connection", silentMs });
      this.#drop(`no message for ${silentMs} ms`);
      return;
    }
    if (productStaleAfterMs > 0 && this.#state === "open") {
      for (const [productId, seen] of this.#productSeen) {
        if (now - seen >= productStaleAfterMs) {
          emit({ type: "stale", connection: name, scope: "product", productId, silentMs: now - seen });
          this.#drop(`no message for ${productId} for ${now - seen} ms`);
          return;
        }
      }
    }
    this.#armWatchdog();
  }

  /** Drops the socket ourselves (stale) and reconnects. */
  #drop(reason: string): void {
    const socket = this.#socket;
    this.#detach();
    try {
      socket?.close(CLOSE_STALE, "stale");
    } catch {
      // A socket still connecting may refuse a close code; it is detached either way.
    }
    this.#lost(CLOSE_STALE, reason);
  }

  #detach(): void {
    const socket = this.#socket;
    if (socket === undefined) return;
    this.#socket = undefined;
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = () => {};
  }

  #clearTimers(): void {
    const { timers } = this.#setup;
    if (this.#watchdog !== undefined) timers.clearTimeout(this.#watchdog);
    if (this.#retryTimer !== undefined) timers.clearTimeout(this.#retryTimer);
    this.#watchdog = undefined;
    this.#retryTimer = undefined;
    for (const handle of this.#resubscribeTimers.values()) timers.clearTimeout(handle);
    this.#resubscribeTimers.clear();
  }

  #forgetProducts(ids: readonly string[]): void {
    for (const id of ids) {
      let still = false;
      for (const set of this.#subscriptions.values()) if (set.has(id)) still = true;
      if (!still) this.#productSeen.delete(id);
    }
  }
}

/** "subscribe level2 BTC-USD,ETH-USD": what a request was about (product ids are public). */
function describe(request: Request): string {
  const ids = request.productIds.length === 0 ? "" : ` ${request.productIds.join(",")}`;
  return `${request.type} ${request.channel}${ids}`;
}

/** A frame as `parseWsFrame` takes it: text, or the bytes of a binary frame (`Buffer`, `ArrayBuffer`, a view). */
function frameOf(data: unknown): string | Uint8Array {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return String(data);
}
