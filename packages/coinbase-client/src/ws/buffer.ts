/**
 * The bounded buffer behind `stream.events()`: one per iterator. The policy when the consumer is
 * slower than the feed:
 * - tickers (`ticker`, `ticker_batch`), heartbeats and `book` events are conflated: a newer one
 *   replaces the queued one of the same channel and product in place;
 * - `user` messages, `fill` events and the stream's own reports (`resync`, `gap`, `stale`,
 *   `reconnected`, `error`, …) are held beyond the capacity, up to twice it;
 * - anything else that does not fit is dropped, never silently: an `overflow` event takes its place
 *   in the queue (one per run of drops), and the stream is told so it can resync what was dropped
 *   (level-2 books get a fresh snapshot; the `user` channel is subscribed again).
 */
import type { StreamEvent } from "./stream-types.js";

/** What an iterator dropped, handed to the stream so it can resync. */
export type DropListener = (event: StreamEvent) => void;

interface Slot {
  event: StreamEvent;
  readonly key: string | undefined;
}

type OverflowEvent = Extract<StreamEvent, { readonly type: "overflow" }>;

/** A bounded FIFO of stream events with conflation and an overflow marker (see the file comment). */
export class EventBuffer {
  readonly #capacity: number;
  readonly #onDrop: DropListener;
  #slots: Slot[] = [];
  #head = 0;
  readonly #byKey = new Map<string, Slot>();

  /**
   * @param capacity Events held before the overflow policy applies (at least 1).
   * @param onDrop Called with every event dropped.
   */
  constructor(capacity: number, onDrop: DropListener) {
    this.#capacity = Math.max(1, Math.floor(capacity));
    this.#onDrop = onDrop;
  }

  /** Events queued (an overflow marker counts as one). */
  get size(): number {
    return this.#slots.length - this.#head;
  }

  /** Queues `event`, conflating or dropping it when the buffer is full. */
  push(event: StreamEvent): void {
    const key = conflationKey(event);
    if (this.size < this.#capacity) {
      this.#append(event, key);
      return;
    }
    if (key !== undefined) {
      const queued = this.#byKey.get(key);
      if (queued !== undefined) {
        queued.event = event;
        return;
      }
    }
    if (isHeldBeyondCapacity(event) && this.size < this.#capacity * 2) {
      this.#append(event, undefined);
      return;
    }
    this.#drop(event);
  }

  /** Takes the oldest event, or `undefined` when the buffer is empty. */
  shift(): StreamEvent | undefined {
    if (this.#head >= this.#slots.length) return undefined;
    const slot = this.#slots[this.#head] as Slot;
    this.#slots[this.#head] = undefined as unknown as Slot;
    this.#head++;
    if (this.#head >= 1024 && this.#head * 2 >= this.#slots.length) {
      this.#slots = this.#slots.slice(this.#head);
      this.#head = 0;
    }
    if (slot.key !== undefined && this.#byKey.get(slot.key) === slot) this.#byKey.delete(slot.key);
    return slot.event;
  }

  #append(event: StreamEvent, key: string | undefined): void {
    const slot: Slot = { event, key };
    this.#slots.push(slot);
    if (key !== undefined) this.#byKey.set(key, slot);
  }

  #drop(event: StreamEvent): void {
    const channel = channelOf(event);
    const productIds = productIdsOf(event);
    const last = this.size > 0 ? (this.#slots[this.#slots.length - 1] as Slot) : undefined;
    if (last !== undefined && last.event.type === "overflow") {
      const marker = last.event;
      last.event = {
        type: "overflow",
        dropped: marker.dropped + 1,
        channels: union(marker.channels, [channel]),
        productIds: union(marker.productIds, productIds),
      };
    } else {
      const marker: OverflowEvent = { type: "overflow", dropped: 1, channels: [channel], productIds };
      this.#append(marker, undefined);
    }
    this.#onDrop(event);
  }
}

/** The key under which a newer event replaces a queued one, or `undefined` for events never conflated. */
function conflationKey(event: StreamEvent): string | undefined {
  if (event.type === "book") return `book\u0000${event.productId}`;
  if (event.type !== "message") return undefined;
  const message = event.message;
  if (message.channel === "heartbeats") return `heartbeats\u0000${event.connection}`;
  if (message.channel !== "ticker" && message.channel !== "ticker_batch") return undefined;
  const products = productIdsOf(event);
  return `${message.channel}\u0000${products.join(",")}`;
}

/** User messages, fills and the stream's own low-rate reports (resync, gap, stale, …) are held beyond capacity. */
function isHeldBeyondCapacity(event: StreamEvent): boolean {
  if (event.type === "message") return event.message.channel === "user";
  return event.type !== "book";
}

/** The channel an event belongs to, for the overflow marker (`level2` for books, the event type otherwise). */
function channelOf(event: StreamEvent): string {
  if (event.type === "message") return event.message.channel === "l2_data" ? "level2" : event.message.channel;
  if (event.type === "book") return "level2";
  if (event.type === "fill") return "user";
  return event.type;
}

/** The products an event is about (sorted, without repeats). */
function productIdsOf(event: StreamEvent): string[] {
  if (event.type === "book") return [event.productId];
  if (event.type === "fill") return event.fill.productId === undefined ? [] : [event.fill.productId];
  if (event.type !== "message") return [];
  return messageProductIds(event.message);
}

/** The products a message is about (sorted, without repeats); `[]` for channels not tied to products. */
export function messageProductIds(message: Extract<StreamEvent, { type: "message" }>["message"]): string[] {
  const ids = new Set<string>();
  switch (message.channel) {
    case "l2_data":
      for (const e of message.events) ids.add(e.product_id);
      break;
    case "ticker":
    case "ticker_batch":
      for (const e of message.events) for (const t of e.tickers) ids.add(t.product_id);
      break;
    case "market_trades":
      for (const e of message.events) for (const t of e.trades) ids.add(t.product_id);
      break;
    case "candles":
      for (const e of message.events) for (const c of e.candles) ids.add(c.product_id);
      break;
    case "user":
      for (const e of message.events)
        for (const o of e.orders) if (o.product_id !== undefined) ids.add(o.product_id);
      break;
    default:
      break;
  }
  return [...ids].sort();
}

function union(a: readonly string[], b: readonly string[]): readonly string[] {
  if (b.every((x) => a.includes(x))) return a;
  return [...new Set([...a, ...b])].sort();
}
