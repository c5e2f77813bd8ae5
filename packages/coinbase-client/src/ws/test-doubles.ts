/**
 * Test doubles for the stream's unit tests: a fake clock with timers that run only when advanced,
 * and a fake WebSocket driven by the test (open, deliver, close), recording what the client sends.
 */
import type { SocketCloseEvent, StreamTimers, WebSocketLike, WebSocketNodeOptions } from "./stream-types.js";

/** Timers that run only inside `advance`, in time order. */
export class FakeTimers implements StreamTimers {
  #now = 1_000_000;
  #seq = 0;
  readonly #tasks = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.#seq;
    this.#tasks.set(id, { at: this.#now + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#tasks.delete(handle as number);
  }

  /** Timers pending. */
  get pending(): number {
    return this.#tasks.size;
  }

  /** Moves the clock forward, running every timer that falls due on the way. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.#tasks)
        if (entry[1].at <= end && (next === undefined || entry[1].at < next[1].at)) next = entry;
      if (next === undefined) break;
      this.#tasks.delete(next[0]);
      this.#now = Math.max(this.#now, next[1].at);
      next[1].callback();
    }
    this.#now = end;
  }
}

/** A WebSocket the test drives; every instance is kept in `FakeSocket.all`. */
export class FakeSocket implements WebSocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  readonly sent: Record<string, unknown>[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { readonly data: unknown }) => void) | null = null;
  onclose: ((event: SocketCloseEvent) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  closedWith: { code: number | undefined; reason: string | undefined } | undefined;

  constructor(
    readonly url: string,
    readonly options?: WebSocketNodeOptions,
  ) {
    FakeSocket.all.push(this);
  }

  /** The newest socket. */
  static get last(): FakeSocket {
    const socket = FakeSocket.all[FakeSocket.all.length - 1];
    if (socket === undefined) throw new Error("no socket was created");
    return socket;
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error("not open");
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code: code ?? 1005, reason: reason ?? "" });
  }

  /** The server accepts the connection. */
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  /** The server sends a frame (objects are sent as JSON text). */
  receive(frame: unknown): void {
    this.onmessage?.({
      data: typeof frame === "string" || frame instanceof Uint8Array ? frame : JSON.stringify(frame),
    });
  }

  /** The server (or the network) closes the connection. */
  drop(code: number, reason = ""): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

const TS = "2026-08-09T12:00:00.123456789Z";

/** A heartbeats message. */
export function heartbeat(seq: number, counter = seq): unknown {
  return {
    channel: "heartbeats",
    client_id: "",
    timestamp: TS,
    sequence_num: seq,
    events: [{ current_time: "2026-08-09 12:00:00.1 +0000 UTC m=+1.0", heartbeat_counter: counter }],
  };
}

/** A ticker message for one product. */
export function ticker(seq: number, productId: string, price: string): unknown {
  return {
    channel: "ticker",
    client_id: "",
    timestamp: TS,
    sequence_num: seq,
    events: [{ type: "update", tickers: [{ type: "ticker", product_id: productId, price }] }],
  };
}

/** A level-2 message: `levels` are `[side, price, size]`. */
export function l2(
  seq: number,
  type: "snapshot" | "update",
  productId: string,
  levels: [string, string, string][],
): unknown {
  return {
    channel: "l2_data",
    client_id: "",
    timestamp: TS,
    sequence_num: seq,
    events: [
      {
        type,
        product_id: productId,
        updates: levels.map(([side, price_level, new_quantity]) => ({
          side,
          event_time: TS,
          price_level,
          new_quantity,
        })),
      },
    ],
  };
}

/** A user message with one order. */
export function userOrder(
  seq: number,
  type: "snapshot" | "update",
  orderId: string,
  status: string,
  cumulative: string,
  avg: string,
): unknown {
  return {
    channel: "user",
    client_id: "",
    timestamp: TS,
    sequence_num: seq,
    events: [
      {
        type,
        orders: [
          {
            order_id: orderId,
            client_order_id: `c-${orderId}`,
            status,
            cumulative_quantity: cumulative,
            avg_price: avg,
            product_id: "BTC-USD",
            order_side: "BUY",
            total_fees: "0",
          },
        ],
      },
    ],
  };
}
