import type { Unsubscribe } from "@gpt/core";
import { KernelError } from "./errors.js";
import type { TraderEvent, TraderEventHandler } from "./events.js";
import { toJsonLines } from "./serialize.js";

/** Where the trader writes every event, in order. Pluggable: memory, a file writer, a database. */
export interface EventLog {
  /** Records one event (called synchronously, in event order; must not throw). */
  write(event: TraderEvent): void;
}

/** An in-memory event log: a ring buffer that keeps the latest `capacity` events. */
export interface MemoryEventLog extends EventLog {
  /** Events kept at most (`Infinity` when unbounded). */
  readonly capacity: number;
  /** Events held now. */
  readonly size: number;
  /** Events written in total. */
  readonly written: number;
  /** Events dropped because the buffer was full (the oldest go first). */
  readonly dropped: number;
  /** The held events, oldest first (a new array). */
  events(): TraderEvent[];
  /** The held events as JSONL text (see `toJsonLine`). */
  toJsonLines(): string;
  /** Forgets every held event (the counters keep counting). */
  clear(): void;
}

/** Capacity of the default in-memory log: long runs never grow without bound. */
export const DEFAULT_EVENT_LOG_CAPACITY = 10_000;

/** Options of `createMemoryEventLog`. */
export interface MemoryEventLogOptions {
  /**
   * Events kept (a positive integer; the oldest are dropped first), or `"unbounded"` to keep
   * everything (only for runs whose length you know). Default `DEFAULT_EVENT_LOG_CAPACITY`.
   */
  readonly capacity?: number | "unbounded";
}

/**
 * An in-memory event log. Bounded by default (`DEFAULT_EVENT_LOG_CAPACITY` events, oldest
 * dropped first, `dropped` counts them); `{ capacity: "unbounded" }` keeps everything.
 * @throws KernelError (`invalid-options`) for a capacity that is not a positive integer.
 */
export function createMemoryEventLog(options: MemoryEventLogOptions = {}): MemoryEventLog {
  const requested = options.capacity ?? DEFAULT_EVENT_LOG_CAPACITY;
  if (requested !== "unbounded" && (!Number.isSafeInteger(requested) || requested < 1)) {
    throw new KernelError(
      "invalid-options",
      `eventLog.capacity: must be a positive integer or "unbounded" (got ${String(requested)})`,
      {
        context: { field: "eventLog.capacity", value: requested },
      },
    );
  }
  const capacity = requested === "unbounded" ? Number.POSITIVE_INFINITY : requested;
  let buffer: TraderEvent[] = [];
  let head = 0; // index of the oldest event once the ring is full
  let written = 0;
  let dropped = 0;
  const ordered = (): TraderEvent[] =>
    head === 0 ? buffer.slice() : [...buffer.slice(head), ...buffer.slice(0, head)];
  return {
    capacity,
    get size() {
      return buffer.length;
    },
    get written() {
      return written;
    },
    get dropped() {
      return dropped;
    },
    write(event: TraderEvent): void {
      written += 1;
      if (buffer.length < capacity) {
        buffer.push(event);
        return;
      }
      buffer[head] = event;
      head = (head + 1) % buffer.length;
      dropped += 1;
    },
    events: ordered,
    toJsonLines: () => toJsonLines(ordered()),
    clear(): void {
      buffer = [];
      head = 0;
    },
  };
}

/** An event log that hands every event to `write` (e.g. append `toJsonLine(event)` to a file). */
export function createCallbackEventLog(write: (event: TraderEvent) => void): EventLog {
  return { write };
}

/** The trader's event bus: subscribe to every event, in order, after the cache reflects it. */
export interface EventBus {
  /** Registers a handler; returns the function that removes it (idempotent). */
  subscribe(handler: TraderEventHandler): Unsubscribe;
  /** Handlers registered now. */
  readonly subscriberCount: number;
}

/**
 * Internal bus: copy-on-write handler list (subscribing or unsubscribing during a dispatch takes
 * effect from the next event); a handler that throws is reported through `onError` and does not
 * stop the others.
 */
export class TraderEventBus implements EventBus {
  #handlers: readonly TraderEventHandler[] = [];
  readonly #onError: (error: unknown, event: TraderEvent) => void;

  constructor(onError: (error: unknown, event: TraderEvent) => void) {
    this.#onError = onError;
  }

  get subscriberCount(): number {
    return this.#handlers.length;
  }

  subscribe(handler: TraderEventHandler): Unsubscribe {
    this.#handlers = [...this.#handlers, handler];
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      const i = this.#handlers.indexOf(handler);
      if (i >= 0) this.#handlers = [...this.#handlers.slice(0, i), ...this.#handlers.slice(i + 1)];
    };
  }

  /** Delivers one event to every handler. */
  dispatch(event: TraderEvent): void {
    const handlers = this.#handlers;
    for (let i = 0; i < handlers.length; i++) {
      try {
        (handlers[i] as TraderEventHandler)(event);
      } catch (error) {
        this.#onError(error, event);
      }
    }
  }
}
