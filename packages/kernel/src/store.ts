/**
 * The persistence port: what a trader writes to durable storage, and when. A bot implements
 * `TraderStore` with SQLite (synchronous, e.g. better-sqlite3); `createMemoryTraderStore` is the
 * in-memory one for tests and backtests.
 */
import type { ClientOrderId, Position, SubmitBracket, SubmitOrder } from "@gpt/core";
import type { TraderEvent } from "./events.js";

/** The write-ahead record of an order: written, durably, before its command leaves the process. */
export interface StoredOrder {
  /** The client order ids the command creates (one, or a bracket's three: entry, take-profit, stop-loss). */
  readonly clientOrderIds: readonly ClientOrderId[];
  /** The command about to be sent (a retry re-sends this same command). */
  readonly command: SubmitOrder | SubmitBracket;
}

/** One appended entry: an event after the cache reflects it, and the position it left. */
export interface StoreEntry {
  /** The event (a fill, a venue report, a decision, a warning…), as the event log gets it. */
  readonly event: TraderEvent;
  /**
   * The instrument's position after the event, for the events that change it (`OrderFilled`,
   * `ForcedFill`, `FundingApplied`, `PositionAdjusted`).
   */
  readonly position?: Position;
}

/**
 * Durable storage of a trader. The guarantee is **synchronous**: the kernel calls `writeOrder`
 * and `append` on its own call stack and treats a normal return as "durable" — so both must
 * finish the write (a committed transaction) before they return, and throw if they cannot.
 *
 * - `writeOrder(record)` runs after `OrderInitialized` and **before** the command is handed to
 *   the execution port. If it throws, the command is not sent: the order becomes `OrderDenied`
 *   (reason `store-write-failed: …`) and a `KernelWarning(store-write-failed)` is logged. So no
 *   order is ever sent whose record was not written.
 * - `append(entry)` runs for every event after the cache reflects it (and before subscribers see
 *   it), with the position after the fills and adjustments. If it throws, the event still stands
 *   (the venue already did it) and a `KernelWarning(store-write-failed)` naming the event type is
 *   logged and dispatched (not appended again): the loss is visible, never silent.
 *
 * The store never sees a secret the trader did not put in an event; the kernel reports a store's
 * error by its `name` only, never by its message.
 */
export interface TraderStore {
  /** Makes an order's record durable before its command is sent; throws if it cannot. */
  writeOrder(record: StoredOrder): void;
  /** Appends an event (and the position it left); throws if it cannot. */
  append(entry: StoreEntry): void;
}

/** The in-memory `TraderStore`, with its contents for inspection. */
export interface MemoryTraderStore extends TraderStore {
  /** Order records, in the order written. */
  orders(): readonly StoredOrder[];
  /** Appended entries, in order. */
  entries(): readonly StoreEntry[];
  /** True if an order record with this client order id was written. */
  hasOrder(clientOrderId: ClientOrderId): boolean;
}

/** Creates an in-memory `TraderStore` (nothing survives the process; for tests and backtests). */
export function createMemoryTraderStore(): MemoryTraderStore {
  const orders: StoredOrder[] = [];
  const entries: StoreEntry[] = [];
  const ids = new Set<ClientOrderId>();
  return {
    writeOrder(record) {
      orders.push(record);
      for (const id of record.clientOrderIds) ids.add(id);
    },
    append(entry) {
      entries.push(entry);
    },
    orders: () => orders,
    entries: () => entries,
    hasOrder: (id) => ids.has(id),
  };
}
