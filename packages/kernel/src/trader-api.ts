/**
 * The trader's public contract: the `Trader` interface, its lifecycle states and the options and
 * results of `stop` and `restoreTrader`. The implementation is in `trader.ts`.
 */
import type { Bar, ClientOrderId, ExecutionMassStatus, FundingRate, MarketDataEvent } from "@gpt/core";
import type { RiskEngine, TradingState } from "@gpt/risk";
import type { Strategy } from "@gpt/strategies";
import type { TraderCache } from "./cache.js";
import type { EventBus, EventLog } from "./event-log.js";
import type { ReconciliationResult } from "./events.js";
import type { TraderSnapshot } from "./snapshot.js";
import type { StoredOrder } from "./store.js";

/** Options of `trader.reconcile`. */
export interface ReconcileOptions {
  /**
   * Set the ledger cash to the venue's `Balance.total` in the settlement currency (default true):
   * the cash held, realized PnL, fees and funding settled, unrealized PnL excluded (`locked` is
   * held for orders and margin, `free = total − locked`; neither enters the ledger).
   */
  readonly adoptCash?: boolean;
  /**
   * The write-ahead order records of earlier runs (e.g. the store's `orders()` after a crash): a
   * venue order whose client order id is in a record comes back under the record's strategy.
   */
  readonly orderRecords?: readonly StoredOrder[];
  /**
   * More run prefixes whose client order ids are this trader's own (earlier runs restarted
   * without a snapshot). The trader's `runId` and its snapshot's always count: a venue order
   * with an id `<prefix>-<n>` comes back under the strategy trading its instrument.
   */
  readonly runIds?: readonly string[];
}

/**
 * Where a trader is in its life: `built` (created, not listening: restore and reconcile here),
 * `running` (after `start()`: subscribed, trading), `stopped` (after `stop()`: no new orders).
 */
export type TraderState = "built" | "running" | "stopped";

/** Options of `Trader.stop`. */
export interface StopOptions {
  /** Send a cancel for every working order of the trader's strategies first (default false). */
  readonly cancelOpenOrders?: boolean;
}

/** What `Trader.stop` did. */
export interface StopResult {
  /** Orders a cancel was sent for (empty unless `cancelOpenOrders`). */
  readonly cancelSent: readonly ClientOrderId[];
  /**
   * Orders still open in the cache when the trader stopped listening (a live venue confirms
   * cancels later): the next run's `reconcile` settles them from the venue's reports.
   */
  readonly stillOpen: readonly ClientOrderId[];
}

/** Counters of a trader, for progress displays and benchmarks. */
export interface TraderStats {
  /** Bars processed. */
  readonly bars: number;
  /** Intents received from strategies. */
  readonly intents: number;
  /** Decision events written. */
  readonly decisions: number;
  /** Orders sent to the execution port. */
  readonly ordersSubmitted: number;
  /** Orders denied by risk. */
  readonly ordersDenied: number;
  /** Execution events received from the port. */
  readonly executionEvents: number;
  /** Events written to the log. */
  readonly eventsLogged: number;
}

/**
 * The trading loop. Feed it market data (or give it a `marketData` port), and it runs
 * regime → strategy → sizing → quantize → risk → execution, keeping the cache in line with the
 * execution events and writing every decision to the event log.
 */
export interface Trader {
  /**
   * Subscribes to the execution port's events and, with a `marketData` port, to market data;
   * from now on the trader trades. Before it, only queries, `reconcile` and `snapshot` work, so
   * a bot restores and reconciles before the first market data event. Returns the trader.
   * Idempotent while running.
   * @throws KernelError (`stopped`) after `stop()`.
   */
  start(): Trader;
  /**
   * The trader's state as versioned, JSON-safe data (see `TraderSnapshot`); `restoreTrader`
   * rebuilds a trader from it. Works in every state; take it between two market data events.
   */
  snapshot(): TraderSnapshot;
  /**
   * Replays bars (oldest first) through the strategies and regime classifiers without trading:
   * intents are dropped, nothing is booked; a bar newer than an instrument's price sets it. Then
   * the `currentTarget` of every strategy that has one is read, and an instrument without a
   * standing target, or whose standing target differs, takes it as a pending one, evaluated on
   * the instrument's next bar (at `start()` after a `reconcile`) — so a restarted bot acts on the current
   * signal instead of waiting for its next change. `restoreTrader`'s `history` calls this.
   * @throws KernelError (`invalid-state`) once the trader has started.
   */
  warmUp(history: Iterable<Bar>): void;
  /** `built`, `running` or `stopped` (see `TraderState`). */
  readonly state: TraderState;
  /** The run prefix of the default client order ids (see `TraderIds.runId`); undefined with `ids.clientOrderIds`. */
  readonly runId: string | undefined;
  /**
   * Processes one closed bar (see the README for the exact pipeline).
   * @throws KernelError (`invalid-state`) before `start()`; ignored after `stop()`.
   */
  onBar(bar: Bar): void;
  /** Processes a funding-rate observation (strategies with `onFunding` see it). */
  onFunding(rate: FundingRate): void;
  /** Dispatches any market data event by type (bars, funding, marks, trades, quotes, books). */
  onMarketData(event: MarketDataEvent): void;
  /** Read-only queries: orders, positions, ledger, prices. */
  readonly cache: TraderCache;
  /** Subscribe to every event after the cache reflects it. */
  readonly events: EventBus;
  /** The event log (the in-memory one unless another was given). */
  readonly eventLog: EventLog;
  /** The risk engine, if risk is configured. */
  readonly risk: RiskEngine | undefined;
  /** The risk engine's trading state (`active` without risk). */
  readonly tradingState: TradingState;
  /** The strategies, in the order given. */
  readonly strategies: readonly Strategy[];
  /** Counters. */
  stats(): TraderStats;
  /**
   * Applies a venue's reports to the cache: unknown open orders are added, missed fills booked,
   * statuses settled (outcome-unknown orders included), local open orders the venue does not
   * have marked canceled, positions set to the venue's (quantity, average entry, realized PnL),
   * the ledger cash set to the venue's settlement balance (unless `adoptCash: false`). The plan
   * is computed before anything changes; unknown instruments are `issues`, not throws. Emits the
   * events that do it and a `Reconciled` summary, then evaluates waiting targets at once (at
   * `start()` when not started).
   */
  reconcile(massStatus: ExecutionMassStatus, options?: ReconcileOptions): ReconciliationResult;
  /**
   * Re-sends the submit of an order whose submit outcome is unknown, with the same client order
   * id (the venue's idempotency prevents a duplicate).
   * @throws KernelError (`unknown-order`, `invalid-state` also before `start()`, `stopped`).
   */
  retryOrder(clientOrderId: ClientOrderId): void;
  /**
   * True after a `ReconciliationRequested` event (a fill the order state machine refused was not
   * booked) until the next `reconcile`: the books may differ from the venue's.
   */
  readonly reconciliationRequested: boolean;
  /**
   * Stops trading: no new orders from here on. With `cancelOpenOrders`, a cancel is first sent
   * for every working order of the trader's strategies (orders adopted as external are left
   * alone) and the events the venue answers with at once are applied. Then the trader
   * unsubscribes from market data and execution events; later market data is ignored.
   * Idempotent (a second call does nothing and returns empty lists).
   */
  stop(options?: StopOptions): StopResult;
  /** True after `stop()`. */
  readonly stopped: boolean;
}

/** Options of `restoreTrader` besides the trader's own. */
export interface RestoreOptions {
  /**
   * Bars to replay through the strategies and regime classifiers before the trader is returned
   * (oldest first; their intents are dropped, nothing is booked, prices stay the snapshot's unless
   * a history bar is newer), so indicator state that a snapshot does not hold is warmed up again.
   * Give at least each strategy's `warmUpBars` bars up to the snapshot's time.
   */
  readonly history?: Iterable<Bar>;
}
