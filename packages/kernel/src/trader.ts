/**
 * The trader: wiring and the loop. Market data comes in, prices and indicators are updated, the
 * strategy is asked, and its intents go to `targets.ts`, which plans through the pure planning
 * step (`planning.ts`) and places orders (`orders.ts`), checked by risk (`risk-link.ts`);
 * execution events are queued here and applied to the cache (`apply-events.ts`) before the
 * strategy sees the next market data; everything said goes through `output.ts`. Options are
 * validated in `options.ts`.
 */
import {
  assertNever,
  type Bar,
  type ClientOrderId,
  type Clock,
  type ExecutionMassStatus,
  type ExecutionPort,
  type FundingRate,
  isTerminalStatus,
  type Logger,
  type MarketDataEvent,
  strategyId as makeStrategyId,
  noopLogger,
  type StrategyId,
  type SubmitBracket,
  type SubmitOrder,
  type Unsubscribe,
} from "@gpt/core";
import { parseRiskConfig, RiskEngine, type RiskState, type TradingState } from "@gpt/risk";
import type { Strategy, StrategyContext } from "@gpt/strategies";
import { EventApplier } from "./apply-events.js";
import { Cache } from "./cache.js";
import { KernelError } from "./errors.js";
import { createMemoryEventLog, type EventLog, TraderEventBus } from "./event-log.js";
import type { ReconciliationResult } from "./events.js";
import { ExecutionQueue } from "./execution-queue.js";
import { isEventLog, positiveInteger, resolveOptions, type TraderOptions } from "./options.js";
import { OrderRouter } from "./orders.js";
import { TraderOutput } from "./output.js";
import { PriceRule } from "./prices.js";
import { reconcileMassStatus } from "./reconcile.js";
import { RiskLink } from "./risk-link.js";
import { resolveSizer } from "./sizing.js";
import { applySnapshot, checkSnapshot, type TraderSnapshot, takeSnapshot } from "./snapshot.js";
import { assignStrategies, strategyContext } from "./strategy-slots.js";
import { subscribeMarketData } from "./subscriptions.js";
import { TargetDesk } from "./targets.js";
import type {
  ReconcileOptions,
  RestoreOptions,
  StopOptions,
  StopResult,
  Trader,
  TraderState,
  TraderStats,
} from "./trader-api.js";
import { TraderIdGenerators } from "./trader-ids.js";

export type { AccountOptions, RegimeOption, RiskOption, TraderIds, TraderOptions } from "./options.js";
export type {
  ReconcileOptions,
  RestoreOptions,
  StopOptions,
  StopResult,
  Trader,
  TraderState,
  TraderStats,
} from "./trader-api.js";

/** The strategy id the cache gives orders it learns about from the venue only (reconciliation). */
export const EXTERNAL_STRATEGY_ID: StrategyId = makeStrategyId("external");

/**
 * Creates a trader, built but not started (see `TraderOptions`, and the README for the pipeline and the policies).
 * @throws KernelError (`invalid-options`) for options that cannot work; `RiskConfigError`,
 *   `SizingError`, `RegimeError` for invalid configurations of those packages.
 */
export function createTrader(options: TraderOptions): Trader {
  return new TraderImpl(options, undefined);
}

/**
 * Rebuilds a trader, built and not started, from a `snapshot()` (after any JSON round trip) and
 * the same options the snapshotted trader had (a new clock, port and log are expected). The
 * cache, standing targets, pending commands, id counters, risk state (when `risk` is a
 * configuration; a `RiskEngine` you pass is yours to restore) and the equity-observation schedule
 * come from the snapshot; `history` warms up the strategies. Reconcile against the venue, then
 * `start()`.
 * @throws KernelError (`invalid-options`) for data that is not a snapshot of a version it reads, or a
 *   snapshot in another currency; what `createTrader` throws.
 */
export function restoreTrader(
  snapshot: TraderSnapshot,
  options: TraderOptions,
  restore: RestoreOptions = {},
): Trader {
  const trader = new TraderImpl(options, checkSnapshot(snapshot));
  if (restore.history !== undefined) trader.warmUp(restore.history);
  return trader;
}

class TraderImpl implements Trader {
  readonly cache: Cache;
  readonly events: TraderEventBus;
  readonly eventLog: EventLog;
  readonly risk: RiskEngine | undefined;
  readonly strategies: readonly Strategy[];

  readonly #clock: Clock;
  readonly #execution: ExecutionPort;
  readonly #instruments: TraderOptions["instruments"];
  readonly #logger: Logger;
  readonly #venueFeed: ((event: MarketDataEvent) => void) | undefined;
  readonly #ctx: StrategyContext;
  readonly #unsubscribers: Unsubscribe[] = [];
  /** Commands of orders not yet terminal, for `retryOrder`. */
  readonly #commands = new Map<ClientOrderId, SubmitOrder | SubmitBracket>();
  readonly #out: TraderOutput;
  readonly #riskLink: RiskLink;
  readonly #applier: EventApplier;
  readonly #orders: OrderRouter;
  readonly #targets: TargetDesk;
  readonly #queue: ExecutionQueue;
  readonly #prices: PriceRule;

  #inMarketData = false;
  #state: TraderState = "built";
  readonly #marketData: TraderOptions["marketData"];
  readonly #barIntervalMs: number;
  readonly #ids: TraderIdGenerators;

  #bars = 0;
  /** A reconcile ran before start(): waiting targets are evaluated when it starts. */
  #evaluateOnStart = false;

  constructor(
    options: TraderOptions,
    restored: { readonly snapshot: TraderSnapshot; readonly risk: RiskState | undefined } | undefined,
  ) {
    const resolved = resolveOptions(options);
    this.#clock = options.clock;
    this.#execution = options.execution;
    this.#instruments = options.instruments;
    this.#logger = options.logger ?? noopLogger;
    const ids = new TraderIdGenerators(options, restored?.snapshot.ids);
    this.#ids = ids;
    this.#venueFeed = options.venueFeed;
    const { strategies, currency, balance } = resolved;
    this.strategies = strategies;
    this.cache = new Cache(options.instruments, currency, balance, resolved.rememberFinishedOrders);

    // Risk.
    if (options.risk === undefined) this.risk = undefined;
    else if (options.risk instanceof RiskEngine) this.risk = options.risk;
    else
      this.risk = new RiskEngine({
        config: parseRiskConfig(options.risk),
        clock: this.#clock,
        initialEquity: balance,
        ...(restored?.risk === undefined ? {} : { state: restored.risk }),
      });

    // Sizing.
    const sizing = resolveSizer(options.sizing);

    // Slots and the strategy context.
    assignStrategies(this.cache, resolved, sizing.method);
    this.#ctx = strategyContext(this.cache, this.#clock);

    // Event log and bus, and the parts of the loop.
    this.eventLog = isEventLog(options.eventLog)
      ? options.eventLog
      : createMemoryEventLog(options.eventLog ?? {});
    this.events = new TraderEventBus((error, event) => {
      this.#logger.error("trader event handler threw", { eventType: event.type, error: String(error) });
    });
    const out = new TraderOutput(this.eventLog, this.events, this.#clock, ids.eventIds, this.#logger);
    if (options.store !== undefined) out.attachStore(options.store, (id) => this.cache.position(id));
    this.#out = out;
    this.#riskLink = new RiskLink(
      this.risk,
      this.#clock,
      this.cache,
      resolved.equityIntervalMs,
      resolved.equityStep,
      (events) => out.riskEvents(events),
    );
    this.#applier = new EventApplier(this.cache, out, this.#riskLink, this.#commands);
    const applier = this.#applier;
    const riskLink = this.#riskLink;
    // Out of the idle callback, which runs on every drain (it stays small and inlined).
    const decideAnswered = (): void => {
      if (this.#state === "running") this.#targets.decideAnswered(applier.takeAnswered(), queue);
    };
    const queue = new ExecutionQueue(
      (event) => applier.process(event),
      () => {
        // A target that waited for an order's answer is decided as soon as it is applied.
        if (applier.hasAnswers) decideAnswered();
        riskLink.flush();
      },
    );
    this.#queue = queue;
    this.#prices = new PriceRule(resolved.decisionPrice, riskLink);
    this.#orders = new OrderRouter({
      clock: this.#clock,
      execution: this.#execution,
      orderIds: ids.orderIds,
      cache: this.cache,
      out,
      risk: this.#riskLink,
      logger: this.#logger,
      commands: this.#commands,
      host: {
        process: (event) => applier.process(event),
        hold: () => queue.hold(),
        release: () => queue.unhold(),
        drain: () => queue.drain(),
      },
    });

    this.#targets = new TargetDesk({
      cache: this.cache,
      out,
      orders: this.#orders,
      riskLink: this.#riskLink,
      policy: resolved.policy,
      sizer: sizing.sizer,
      regimeMultipliers: options.regimeMultipliers,
    });

    // Subscriptions wait for start().
    this.#marketData = options.marketData;
    this.#barIntervalMs = positiveInteger("barIntervalMs", options.barIntervalMs, 60_000);

    if (restored !== undefined) {
      applySnapshot(restored.snapshot, this.#snapshotParts());
      this.#applier.reconciliationRequested = restored.snapshot.reconciliationRequested;
    }
  }

  #snapshotParts() {
    return {
      cache: this.cache,
      commands: this.#commands,
      riskLink: this.#riskLink,
      risk: this.risk,
      runId: this.#ids.runId,
      clientOrderIds: this.#ids.clientOrderIdCount,
      eventIds: this.#ids.eventIdCount,
      reconciliationRequested: this.#applier.reconciliationRequested,
      now: this.#clock.now(),
      orders: this.#orders,
      targets: this.#targets,
    };
  }

  // ------------------------------------------------------------------------------------------
  // Public surface
  // ------------------------------------------------------------------------------------------

  get stopped(): boolean {
    return this.#state === "stopped";
  }

  get state(): TraderState {
    return this.#state;
  }

  get runId(): string | undefined {
    return this.#ids.runId;
  }

  start(): Trader {
    if (this.#state === "running") return this;
    this.#assertRunning();
    this.#state = "running";
    // Execution events first: a market data handler may already decide and send.
    this.#unsubscribers.push(this.#execution.onEvent((event) => this.#queue.push(event)));
    if (this.#marketData !== undefined) {
      this.#unsubscribers.push(
        ...subscribeMarketData(this.#marketData, this.cache.slotList, this.#barIntervalMs, (event) =>
          this.onMarketData(event),
        ),
      );
    }
    if (this.#evaluateOnStart) {
      this.#evaluateOnStart = false;
      this.#queue.hold();
      try {
        this.#evaluatePending();
      } finally {
        this.#queue.release();
      }
    }
    return this;
  }

  /**
   * Judges every standing target of a strategy's instrument that has a price again, on the books
   * a reconcile just set (a target already reached does nothing).
   */
  #evaluatePending(): void {
    for (const slot of this.cache.slotList) {
      if (slot.standing === undefined || slot.strategy === undefined) continue;
      if (slot.priceAsDecimal() === undefined) continue;
      this.#targets.evaluate(slot, slot.standing, true);
    }
  }

  get reconciliationRequested(): boolean {
    return this.#applier.reconciliationRequested;
  }

  get tradingState(): TradingState {
    return this.risk?.tradingState ?? "active";
  }

  snapshot(): TraderSnapshot {
    return takeSnapshot(this.#snapshotParts());
  }

  warmUp(history: Iterable<Bar>): void {
    if (this.#state !== "built") {
      throw new KernelError("invalid-state", "warmUp: only a trader that is not started yet warms up");
    }
    for (const bar of history) {
      const slot = this.cache.slot(bar.instrumentId);
      if (slot.classifier !== undefined) slot.classifier.update(bar);
      if (slot.atr !== undefined) slot.atr.update(bar);
      slot.strategy?.onBar(this.#ctx, bar);
      // A bar newer than the price the trader has (history past a snapshot) sets it, so a target
      // evaluated at start() is priced like the bar it came from.
      this.#prices.warmUpBar(slot, bar);
    }
    for (const strategy of this.strategies) {
      const target = strategy.currentTarget;
      if (target !== undefined) this.#targets.adopt(strategy, target);
    }
  }

  stats(): TraderStats {
    return {
      bars: this.#bars,
      intents: this.#targets.intents,
      decisions: this.#out.decisions,
      ordersSubmitted: this.#orders.ordersSubmitted,
      ordersDenied: this.#orders.ordersDenied,
      executionEvents: this.#queue.applied,
      eventsLogged: this.#out.eventsLogged,
    };
  }

  stop(options: StopOptions = {}): StopResult {
    if (this.#state === "stopped") return { cancelSent: [], stillOpen: [] };
    const cancelSent: ClientOrderId[] = [];
    if (options.cancelOpenOrders === true && this.#state === "running") {
      for (const slot of this.cache.slotList) {
        const strategy = slot.strategy;
        if (strategy === undefined || slot.own.length === 0) continue;
        cancelSent.push(...this.#orders.cancelOwn(slot, strategy));
      }
    }
    this.#state = "stopped";
    for (const unsubscribe of this.#unsubscribers) unsubscribe();
    this.#unsubscribers.length = 0;
    const stillOpen: ClientOrderId[] = [];
    for (const slot of this.cache.slotList) for (const order of slot.own) stillOpen.push(order.clientOrderId);
    return { cancelSent, stillOpen };
  }

  onMarketData(event: MarketDataEvent): void {
    switch (event.type) {
      case "Bar":
        this.onBar(event);
        return;
      case "FundingRate":
        this.onFunding(event);
        return;
      case "MarkPrice":
        this.#onPriceEvent(event, event.price, true);
        return;
      case "Trade":
        this.#onPriceEvent(event, event.price, false);
        return;
      case "Quote":
        this.#onPriceEvent(event, (event.bidPrice + event.askPrice) / 2, false);
        return;
      case "BookSnapshot":
      case "BookDelta":
        this.#onPriceEvent(event, Number.NaN, false);
        return;
      default:
        assertNever(event, "market data event");
    }
  }

  onBar(bar: Bar): void {
    if (!this.#accepting()) return;
    this.#enter();
    try {
      const slot = this.cache.slot(bar.instrumentId);
      if (this.#venueFeed !== undefined) {
        this.#venueFeed(bar);
        this.#queue.drain();
      }
      // 1. prices (by the decision-price rule)
      this.#prices.bar(slot, bar);
      // 2. regime (and ATR for the atr sizing method)
      if (slot.classifier !== undefined) slot.classifier.update(bar);
      if (slot.atr !== undefined) slot.atr.update(bar);
      this.#bars += 1;
      this.#riskLink.checkBar(bar.tsEvent);
      // 3. strategy
      const strategy = slot.strategy;
      if (strategy !== undefined) {
        if (slot.pending && slot.standing !== undefined) this.#targets.evaluate(slot, slot.standing);
        const intents = strategy.onBar(this.#ctx, bar);
        if (intents.length > 0) this.#targets.handleIntents(strategy, intents);
      }
    } finally {
      this.#leave();
    }
  }

  onFunding(rate: FundingRate): void {
    if (!this.#accepting()) return;
    this.#enter();
    try {
      const slot = this.cache.slot(rate.instrumentId);
      if (this.#venueFeed !== undefined) {
        this.#venueFeed(rate);
        this.#queue.drain();
      }
      const strategy = slot.strategy;
      if (strategy?.onFunding !== undefined) {
        const intents = strategy.onFunding(this.#ctx, rate);
        if (intents.length > 0) this.#targets.handleIntents(strategy, intents);
      }
    } finally {
      this.#leave();
    }
  }

  reconcile(massStatus: ExecutionMassStatus, options: ReconcileOptions = {}): ReconciliationResult {
    this.#assertRunning();
    this.#queue.hold();
    this.#applier.reconciliationRequested = false;
    try {
      // Ids of this run the venue or the store has (sent after the snapshot) are never reused.
      this.#ids.runOrderIds?.reserve([
        ...massStatus.orderReports.map((r) => r.clientOrderId),
        ...massStatus.fillReports.map((f) => f.clientOrderId),
        ...(options.orderRecords ?? []).flatMap((r) => r.clientOrderIds),
      ]);
      const result = reconcileMassStatus(massStatus, {
        cache: this.cache,
        clock: this.#clock,
        nextEventId: () => this.#out.nextEventId(),
        process: (event) => this.#applier.process(event),
        emit: (event) => this.#out.emit(event),
        adoptCash: options.adoptCash ?? true,
        knowsInstrument: (id) => this.#instruments.get(id) !== undefined,
        externalStrategyId: EXTERNAL_STRATEGY_ID,
        orderRecords: options.orderRecords ?? [],
        runIds: [...this.#ids.ownRunIds, ...(options.runIds ?? [])],
      });
      // Standing targets (blocked ones, warm-up's, and those the venue's books no longer meet)
      // are judged on the reconciled books at once, not at the next bar; before start(), when
      // it runs.
      if (this.#state === "running") this.#evaluatePending();
      else this.#evaluateOnStart = true;
      return result;
    } finally {
      this.#queue.release();
    }
  }

  retryOrder(clientOrderId: ClientOrderId): void {
    this.#assertRunning();
    if (this.#state === "built") {
      throw new KernelError(
        "invalid-state",
        "the trader is not started: call start() before retrying orders",
        {
          context: { clientOrderId },
        },
      );
    }
    const order = this.cache.order(clientOrderId);
    const command = this.#commands.get(clientOrderId);
    if (order === undefined || command === undefined) {
      throw new KernelError("unknown-order", `no open order ${clientOrderId} sent by this trader`, {
        context: { clientOrderId },
      });
    }
    if (isTerminalStatus(order.status) || order.outcomeUnknown !== "submit") {
      throw new KernelError(
        "invalid-state",
        `order ${clientOrderId} is ${order.status}${order.outcomeUnknown === undefined ? "" : ` (unknown ${order.outcomeUnknown})`}; only an order whose submit outcome is unknown is re-sent`,
        { context: { clientOrderId, status: order.status } },
      );
    }
    this.#queue.hold();
    try {
      if (command.type === "SubmitOrder") this.#execution.submitOrder(command);
      else this.#execution.submitBracket(command);
    } finally {
      this.#queue.release();
    }
  }

  // ------------------------------------------------------------------------------------------
  // Plumbing: re-entrancy, the execution event queue
  // ------------------------------------------------------------------------------------------

  #assertRunning(): void {
    if (this.#state === "stopped") throw new KernelError("stopped", "the trader is stopped");
  }

  /** True when market data should be processed; throws before `start()`. */
  #accepting(): boolean {
    if (this.#state === "running") return true;
    if (this.#state === "stopped") return false;
    throw new KernelError(
      "invalid-state",
      "the trader is not started: call start() before feeding market data",
    );
  }

  #enter(): void {
    if (this.#inMarketData) {
      throw new KernelError(
        "re-entrant-call",
        "market data was fed to the trader from inside its own event handling; feed it from the driver",
      );
    }
    this.#inMarketData = true;
    this.#queue.hold();
  }

  #leave(): void {
    this.#inMarketData = false;
    this.#queue.release();
  }

  // ------------------------------------------------------------------------------------------
  // Market data other than bars
  // ------------------------------------------------------------------------------------------

  #onPriceEvent(event: MarketDataEvent, price: number, isMark: boolean): void {
    if (!this.#accepting()) return;
    this.#enter();
    try {
      const slot = this.cache.slot(event.instrumentId);
      if (this.#venueFeed !== undefined) {
        this.#venueFeed(event);
        this.#queue.drain();
      }
      if (this.#prices.price(slot, price, event.tsEvent, isMark)) this.#riskLink.checkDrift();
    } finally {
      this.#leave();
    }
  }
}
