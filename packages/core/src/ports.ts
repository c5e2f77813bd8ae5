import { InstrumentError } from "./errors.js";
import type { ExecutionEvent } from "./events.js";
import { type InstrumentId, instrumentIdProblem } from "./ids.js";
import type { Instrument } from "./instruments.js";
import type { MarketDataEvent } from "./market-data.js";
import type { CancelAllOrders, CancelOrder, ModifyOrder, SubmitBracket, SubmitOrder } from "./orders.js";
import type { ExecutionMassStatus } from "./reports.js";
import type { UnixMillis } from "./time.js";

/** Stops a subscription or an event handler. Idempotent. */
export type Unsubscribe = () => void;

/**
 * What to subscribe to. Each kind delivers one `MarketDataEvent` type:
 * `bars` → `Bar` (of `intervalMs`), `trades` → `Trade`, `quotes` → `Quote`,
 * `book` → `BookSnapshot` then `BookDelta`s, `mark` → `MarkPrice`, `funding` → `FundingRate`.
 */
export type MarketDataSubscription =
  | { readonly kind: "bars"; readonly instrumentId: InstrumentId; readonly intervalMs: number }
  | { readonly kind: "trades"; readonly instrumentId: InstrumentId }
  | { readonly kind: "quotes"; readonly instrumentId: InstrumentId }
  | { readonly kind: "book"; readonly instrumentId: InstrumentId; readonly depth?: number }
  | { readonly kind: "mark"; readonly instrumentId: InstrumentId }
  | { readonly kind: "funding"; readonly instrumentId: InstrumentId };

/** Receives market data; must not throw (a port may drop or report errors from handlers). */
export type MarketDataHandler = (event: MarketDataEvent) => void;

/**
 * The market data port, push-based. A backtest replay calls handlers synchronously as it steps
 * through stored data; a live feed calls them as messages arrive. Events for one subscription
 * arrive in `tsEvent` order.
 */
export interface MarketDataPort {
  /** Starts delivering events for `subscription` to `handler`; returns the function that stops it. */
  subscribe(subscription: MarketDataSubscription, handler: MarketDataHandler): Unsubscribe;
}

/** Receives execution events. */
export type ExecutionEventHandler = (event: ExecutionEvent) => void;

/**
 * The execution port: commands in, events out. Commands return nothing; every outcome arrives
 * as an event through `onEvent` handlers, in the order the venue produced them.
 *
 * - A simulated venue (`@gpt/paper-engine`) emits the resulting events *synchronously*, before
 *   the command method returns (e.g. `submitOrder` → `OrderSubmitted`, `OrderAccepted`, maybe
 *   `OrderFilled`, `PositionChanged`, `AccountUpdated`). Handlers must therefore tolerate
 *   re-entrancy: they may be called while the caller is still inside `submitOrder`.
 * - A live venue emits `OrderSubmitted` when the request leaves and the rest later, when the
 *   venue answers. A request without an answer yields `OrderOutcomeUnknown`, never
 *   `OrderRejected` (outcome policy); `generateMassStatus` then settles it.
 * - Invalid commands (per `validateCommand`) may throw `CommandValidationError` synchronously,
 *   as programming errors; orders the venue refuses produce `OrderRejected`.
 * - `OrderDenied` is emitted by our own risk layer, not by the port.
 * - Commands for an unknown client order id produce `OrderCancelRejected` / `OrderModifyRejected`.
 */
export interface ExecutionPort {
  /**
   * Sends one order. The caller (the kernel) has already emitted `OrderInitialized` and run its
   * risk checks; the port emits everything from `OrderSubmitted` on and never emits
   * `OrderInitialized` or `OrderDenied`.
   */
  submitOrder(command: SubmitOrder): void;
  /**
   * Sends an entry with take-profit and stop-loss legs (see `SubmitBracket` for the semantics).
   * The caller has emitted `OrderInitialized` for all three orders (with `bracket` links; see
   * `bracketLegs`); the port emits the legs' `OrderSubmitted` when they become active.
   */
  submitBracket(command: SubmitBracket): void;
  /** Requests a cancel (`OrderPendingCancel`, then `OrderCanceled` or `OrderCancelRejected`). */
  cancelOrder(command: CancelOrder): void;
  /** Requests a modify (`OrderPendingUpdate`, then `OrderUpdated` or `OrderModifyRejected`). */
  modifyOrder(command: ModifyOrder): void;
  /** Cancels every matching open order (one `CancelOrder` flow per order). */
  cancelAllOrders(command: CancelAllOrders): void;
  /** Registers a handler for every execution event; returns the function that removes it. */
  onEvent(handler: ExecutionEventHandler): Unsubscribe;
  /**
   * The venue's current orders, fills since `sinceMs`, positions and account, for reconciliation
   * (async: the only part of the port that may wait on I/O).
   */
  generateMassStatus?(sinceMs?: UnixMillis): Promise<ExecutionMassStatus>;
}

/** Where instruments come from: a static list (backtests) or the venue's product list (live). */
export interface InstrumentProvider {
  /** The instrument, or `undefined` if unknown. */
  get(id: InstrumentId): Instrument | undefined;
  /** All instruments loaded so far. */
  list(): readonly Instrument[];
  /** Loads (or reloads) instruments from the source; static providers resolve at once. */
  load?(): Promise<void>;
}

/**
 * The instrument, or a thrown error when the provider does not know it.
 * @throws InstrumentError (`unknown-instrument`).
 */
export function requireInstrument(provider: InstrumentProvider, id: InstrumentId): Instrument {
  const instrument = provider.get(id);
  if (instrument === undefined) {
    // A well-formed instrument id is named (ids are not secrets); anything else only described.
    const named = instrumentIdProblem(id) === undefined ? ` ${id}` : "";
    throw new InstrumentError("id", id, `unknown instrument${named}`, { code: "unknown-instrument" });
  }
  return instrument;
}

/**
 * An `InstrumentProvider` over a fixed list (for backtests and tests).
 * @throws InstrumentError (`invalid-instrument`) if two instruments share an id, or the list is not
 *   an array of instruments.
 */
export function createStaticInstrumentProvider(instruments: readonly Instrument[]): InstrumentProvider {
  if (!Array.isArray(instruments)) {
    throw new InstrumentError("instruments", instruments, "must be an array of instruments");
  }
  const byId = new Map<InstrumentId, Instrument>();
  for (const instrument of instruments as readonly unknown[] as readonly Instrument[]) {
    if (
      typeof instrument !== "object" ||
      instrument === null ||
      instrumentIdProblem(instrument.id) !== undefined
    ) {
      throw new InstrumentError("instruments", instrument, "must hold instruments with a SYMBOL.VENUE id");
    }
    if (byId.has(instrument.id)) {
      throw new InstrumentError("id", instrument.id, `duplicate instrument id ${instrument.id}`);
    }
    byId.set(instrument.id, instrument);
  }
  const all = [...byId.values()];
  return {
    get: (id) => byId.get(id),
    list: () => all,
    load: () => Promise.resolve(),
  };
}

/** Structured fields attached to a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/** The logger port: libraries log only through an injected one (never the console). */
export interface Logger {
  /** Verbose diagnostics. */
  debug(message: string, fields?: LogFields): void;
  /** Normal operation. */
  info(message: string, fields?: LogFields): void;
  /** Something unexpected that was handled. */
  warn(message: string, fields?: LogFields): void;
  /** Something failed. */
  error(message: string, fields?: LogFields): void;
}

/** A logger that drops everything (the default when none is injected). */
export const noopLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
