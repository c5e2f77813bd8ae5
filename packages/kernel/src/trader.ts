import {
  applyOrderEvent,
  assertNever,
  type Bar,
  bracketLegs,
  type CancelOrder,
  type ClientOrderId,
  type Clock,
  createClientOrderIdGenerator,
  createEventIdGenerator,
  DAY_MS,
  type DecimalLike,
  type EventId,
  type ExecutionEvent,
  type ExecutionMassStatus,
  type ExecutionPort,
  type FundingRate,
  hasFill,
  type IdSequence,
  type InstrumentId,
  type InstrumentProvider,
  initOrder,
  isTerminalStatus,
  type Logger,
  type MarketDataEvent,
  type MarketDataPort,
  type MarketOrderSpec,
  strategyId as makeStrategyId,
  noopLogger,
  type Order,
  type OrderFilled,
  type OrderInitialized,
  type OrderSide,
  type OrderSpec,
  type StrategyId,
  type SubmitBracket,
  type SubmitOrder,
  type UnixMillis,
  type Unsubscribe,
  validateCommand,
} from "@gpt/core";
import { D, type Decimal, parseDecimal, roundPrice, roundSize } from "@gpt/quantize";
import {
  Atr,
  createRegimeClassifier,
  type Regime,
  type RegimeClassifier,
  type RegimeConfigInput,
  type RegimePresetInterval,
  regimePreset,
} from "@gpt/regime";
import {
  BREAKER_NAMES,
  type PortfolioSnapshot,
  type PositionSnapshot,
  parseRiskConfig,
  type RiskConfigInput,
  RiskEngine,
  type RiskEvent,
  runPreTradeChecks,
  type TradingState,
} from "@gpt/risk";
import { SizingError, type SizingResult } from "@gpt/sizing";
import type {
  CancelOrdersIntent,
  Strategy,
  StrategyContext,
  StrategyIntent,
  TargetPositionIntent,
} from "@gpt/strategies";
import { Cache, type InstrumentSlot, type TraderCache } from "./cache.js";
import { KernelError } from "./errors.js";
import {
  createMemoryEventLog,
  type EventBus,
  type EventLog,
  type MemoryEventLogOptions,
  TraderEventBus,
} from "./event-log.js";
import type {
  Decision,
  DecisionKind,
  IntentSummary,
  KernelWarning,
  OrderAction,
  ReconciliationResult,
  TraderEvent,
} from "./events.js";
import { reconcileMassStatus } from "./reconcile.js";
import { type KernelSizer, resolveSizer, type SizingOption } from "./sizing.js";

const ZERO = D(0);

/** The strategy id the cache gives orders it learns about from the venue only (reconciliation). */
export const EXTERNAL_STRATEGY_ID: StrategyId = makeStrategyId("external");

/** Starting account of the ledger. */
export interface AccountOptions {
  /** Starting cash balance in the settlement currency (a decimal string preferred). */
  readonly balance: DecimalLike;
  /** Settlement currency (default: the first strategy instrument's settlement currency). */
  readonly currency?: string;
}

/**
 * The `regime` option: a `@gpt/regime` configuration, a preset name (`"1m"`, `"1h"`, `"1d"`), or
 * a factory returning a classifier per instrument.
 */
export type RegimeOption =
  | RegimeConfigInput
  | RegimePresetInterval
  | ((instrumentId: InstrumentId) => RegimeClassifier);

/** The `risk` option: a `RiskEngine` (shared with the app), or a `@gpt/risk` configuration. */
export type RiskOption = RiskEngine | RiskConfigInput;

/** Deterministic id generators (see `@gpt/core`'s `createClientOrderIdGenerator`). */
export interface TraderIds {
  /** Client order ids (default `createClientOrderIdGenerator("o")`). Live: a prefix unique per run. */
  readonly clientOrderIds?: IdSequence<ClientOrderId>;
  /** Ids of the events the kernel creates (default `createEventIdGenerator("k")`). */
  readonly eventIds?: IdSequence<EventId>;
}

/** Options of `createTrader`. Only `clock`, `execution`, `instruments`, a strategy and `account` are required. */
export interface TraderOptions {
  /** The time source (a `ManualClock` driven by the data in a backtest, the wall clock live). */
  readonly clock: Clock;
  /** Where orders go: the paper engine, or the live venue adapter. */
  readonly execution: ExecutionPort;
  /** Instruments by id. */
  readonly instruments: InstrumentProvider;
  /** One strategy (or use `strategies`). */
  readonly strategy?: Strategy;
  /** Several strategies; each instrument may be traded by one strategy only. */
  readonly strategies?: readonly Strategy[];
  /** The ledger's starting cash: `{ balance, currency? }` or just the balance. */
  readonly account: AccountOptions | DecimalLike;
  /** Sizing: a `@gpt/sizing` config or a function (default: fixed fraction 1, the intent's `sizeFraction` overriding). */
  readonly sizing?: SizingOption;
  /** Pre-trade risk and the trading state (default: none, every order approved). */
  readonly risk?: RiskOption;
  /** A regime classifier per instrument (default: none; `ctx.regime()` is then undefined). */
  readonly regime?: RegimeOption;
  /** Sizing multiplier per regime (e.g. `{ crisis: 0, "high-volatility": 0.5 }`); regimes not listed: 1. */
  readonly regimeMultipliers?: Readonly<Partial<Record<Regime, number>>>;
  /** Id generators. */
  readonly ids?: TraderIds;
  /** Logger (default: none). */
  readonly logger?: Logger;
  /**
   * A market data port to subscribe to (bars of every strategy instrument, marks of derivatives,
   * funding of perpetuals when the strategy handles funding). Without it, call `onBar` /
   * `onMarketData` yourself (a backtest replay does).
   */
  readonly marketData?: MarketDataPort;
  /** Bar interval to subscribe to with `marketData` (default 60,000 ms). */
  readonly barIntervalMs?: number;
  /**
   * Called with every market data event *before* the kernel processes it: give the simulated
   * venue its market data here (`(e) => paperEngine.onMarketData(e)`), so the fills of orders
   * decided on earlier bars are booked before the strategy sees this bar.
   */
  readonly venueFeed?: (event: MarketDataEvent) => void;
  /** Where events are written: an `EventLog`, or options of the in-memory log (default: bounded, 10,000 events). */
  readonly eventLog?: EventLog | MemoryEventLogOptions;
  /**
   * Spot buys are sized on `equity / (1 + spotBuyHeadroom)` (default 0: exactly the reference
   * semantics). A venue that holds `qty × price × (1 + buffer) × (1 + fee)` at submit accepts a
   * fraction-1 buy only with `spotBuyHeadroom ≥ (1 + buffer) × (1 + fee) − 1`; with 0 such an
   * order is rejected by the venue, visibly (`OrderRejected` in the log).
   */
  readonly spotBuyHeadroom?: number;
  /**
   * Resize a position that already points the target's way when sizing differs from it by more
   * than this fraction of the target (default: never; only direction changes trade).
   */
  readonly rebalanceThreshold?: number;
  /**
   * Opening orders as brackets (`"bracket"`) when the target carries both `stopPrice` and
   * `takeProfitPrice`; otherwise (default `"market"`) every order is an IOC market order.
   */
  readonly entryOrders?: "market" | "bracket";
  /**
   * While a position is open, the ledger equity is fed to the risk engine (daily loss, drawdown)
   * when this many ms of bar time passed since the last observation (default 3,600,000 = 1 h)…
   */
  readonly equityObservationIntervalMs?: number;
  /**
   * …or as soon as a float estimate of the equity moved by this fraction of the last observed
   * equity (default 0.005 = 0.5 %), checked on every price. Equity is also fed after every fill
   * and funding payment and at every decision with an open position. The value fed is always the
   * exact ledger equity; the float only decides when.
   */
  readonly equityObservationStep?: number;
  /** Finished orders kept for `cache.order()` (default 10,000; open orders are always kept). */
  readonly rememberFinishedOrders?: number;
  /** ATR period for the `atr` sizing method (default 14). */
  readonly atrPeriod?: number;
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
  /** Processes one closed bar (see the README for the exact pipeline). */
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
   * have marked canceled, positions set to the venue's, the ledger cash set to the venue's
   * settlement balance (unless `adoptCash: false`). Emits the events that do it and a `Reconciled` summary.
   */
  reconcile(
    massStatus: ExecutionMassStatus,
    options?: { readonly adoptCash?: boolean },
  ): ReconciliationResult;
  /**
   * Re-sends the submit of an order whose submit outcome is unknown, with the same client order
   * id (the venue's idempotency prevents a duplicate).
   * @throws KernelError (`unknown-order`, `invalid-state`).
   */
  retryOrder(clientOrderId: ClientOrderId): void;
  /** Unsubscribes from market data and execution events; later market data is ignored. Idempotent. */
  stop(): void;
  /** True after `stop()`. */
  readonly stopped: boolean;
}

/** Validated numeric options. */
function nonNegative(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new KernelError(
      "invalid-options",
      `${field}: must be a finite number >= 0 (got ${String(value)})`,
      {
        context: { field, value },
      },
    );
  }
  return value;
}

function positiveInteger(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new KernelError("invalid-options", `${field}: must be a positive integer (got ${String(value)})`, {
      context: { field, value },
    });
  }
  return value;
}

function isEventLog(value: EventLog | MemoryEventLogOptions | undefined): value is EventLog {
  return value !== undefined && typeof (value as EventLog).write === "function";
}

function summarize(intent: StrategyIntent): IntentSummary {
  switch (intent.type) {
    case "TargetPosition":
      return {
        type: "TargetPosition",
        direction: intent.direction,
        confidence: intent.confidence,
        ...(intent.sizeFraction === undefined ? {} : { sizeFraction: intent.sizeFraction }),
        ...(intent.stopPrice === undefined ? {} : { stopPrice: intent.stopPrice }),
        ...(intent.takeProfitPrice === undefined ? {} : { takeProfitPrice: intent.takeProfitPrice }),
        reason: intent.reason,
        tsEvent: intent.tsEvent,
      };
    case "CancelOrders":
      return { type: "CancelOrders", reason: intent.reason, tsEvent: intent.tsEvent };
    default:
      return assertNever(intent, "intent");
  }
}

const isPositiveFinite = (x: unknown): boolean => typeof x === "number" && Number.isFinite(x) && x > 0;

/** Contract problems of an intent (the kernel's own check; it never trusts a strategy). */
function intentProblem(intent: StrategyIntent): string | undefined {
  const raw = intent as unknown as Record<string, unknown>;
  if (raw.type !== "TargetPosition" && raw.type !== "CancelOrders")
    return `unknown intent type ${String(raw.type)}`;
  if (typeof raw.instrumentId !== "string") return "instrumentId must be a string";
  if (typeof raw.tsEvent !== "number" || !Number.isSafeInteger(raw.tsEvent) || raw.tsEvent < 0) {
    return `tsEvent must be a non-negative integer (got ${String(raw.tsEvent)})`;
  }
  if (typeof raw.reason !== "string") return "reason must be a string";
  if (intent.type === "TargetPosition") {
    if (intent.direction !== "long" && intent.direction !== "short" && intent.direction !== "flat") {
      return `direction must be long, short or flat (got ${String(intent.direction)})`;
    }
    if (typeof intent.confidence !== "number" || !(intent.confidence >= 0 && intent.confidence <= 1)) {
      return `confidence must be in [0, 1] (got ${String(intent.confidence)})`;
    }
    for (const field of ["sizeFraction", "stopPrice", "takeProfitPrice"] as const) {
      const v = intent[field];
      if (v !== undefined && !isPositiveFinite(v))
        return `${field} must be a finite number > 0 (got ${String(v)})`;
    }
  }
  return undefined;
}

function isLeg(order: Order): boolean {
  return order.bracket !== undefined && order.bracket.role !== "entry";
}

/** What an order decision starts from: the intent, its instrument and the account at that moment. */
interface OrderBase {
  readonly slot: InstrumentSlot;
  readonly intent: TargetPositionIntent;
  readonly price: Decimal;
  readonly equity: Decimal;
  readonly positionQuantity: Decimal;
}

/** Details of one order decision. */
interface OrderPlan extends OrderBase {
  readonly side: OrderSide;
  readonly quantity: Decimal;
  readonly action: OrderAction;
  readonly reduce: boolean;
  readonly targetQuantity?: Decimal;
  readonly bracket: boolean;
}

/**
 * Creates a trader (see `TraderOptions`, and the README for the pipeline and the policies).
 * @throws KernelError (`invalid-options`) for options that cannot work; `RiskConfigError`,
 *   `SizingError`, `RegimeError` for invalid configurations of those packages.
 */
export function createTrader(options: TraderOptions): Trader {
  return new TraderImpl(options);
}

class TraderImpl implements Trader {
  readonly cache: Cache;
  readonly events: TraderEventBus;
  readonly eventLog: EventLog;
  readonly risk: RiskEngine | undefined;
  readonly strategies: readonly Strategy[];

  readonly #clock: Clock;
  readonly #execution: ExecutionPort;
  readonly #logger: Logger;
  readonly #orderIds: IdSequence<ClientOrderId>;
  readonly #eventIds: IdSequence<EventId>;
  readonly #sizer: KernelSizer;
  readonly #regimeMultipliers: Readonly<Partial<Record<Regime, number>>> | undefined;
  readonly #venueFeed: ((event: MarketDataEvent) => void) | undefined;
  readonly #headroom: Decimal | undefined;
  readonly #rebalance: number | undefined;
  readonly #bracketEntries: boolean;
  readonly #equityIntervalMs: number;
  readonly #equityStep: number;
  readonly #ctx: StrategyContext;
  readonly #unsubscribers: Unsubscribe[] = [];
  /** Commands of orders not yet terminal, for `retryOrder`. */
  readonly #commands = new Map<ClientOrderId, SubmitOrder | SubmitBracket>();

  #queue: ExecutionEvent[] = [];
  #queueHead = 0;
  #draining = false;
  #busy = 0;
  #inMarketData = false;
  #equityDirty = false;
  #nextEquityTs = Number.NEGATIVE_INFINITY;
  /** Float estimate of the equity change since the last observation (trigger only, never booked). */
  #drift = 0;
  #driftLimit = Number.POSITIVE_INFINITY;
  #stopped = false;

  #bars = 0;
  #intents = 0;
  #decisions = 0;
  #ordersSubmitted = 0;
  #ordersDenied = 0;
  #executionEvents = 0;
  #eventsLogged = 0;

  constructor(options: TraderOptions) {
    this.#clock = options.clock;
    this.#execution = options.execution;
    this.#logger = options.logger ?? noopLogger;
    this.#orderIds = options.ids?.clientOrderIds ?? createClientOrderIdGenerator("o");
    this.#eventIds = options.ids?.eventIds ?? createEventIdGenerator("k");
    this.#venueFeed = options.venueFeed;
    this.#regimeMultipliers = options.regimeMultipliers;
    const headroom = nonNegative("spotBuyHeadroom", options.spotBuyHeadroom, 0);
    this.#headroom = headroom > 0 ? D(1).plus(D(headroom)) : undefined;
    this.#rebalance =
      options.rebalanceThreshold === undefined
        ? undefined
        : nonNegative("rebalanceThreshold", options.rebalanceThreshold, 0);
    this.#bracketEntries = (options.entryOrders ?? "market") === "bracket";
    if (
      options.entryOrders !== undefined &&
      options.entryOrders !== "market" &&
      options.entryOrders !== "bracket"
    ) {
      throw new KernelError(
        "invalid-options",
        `entryOrders: must be "market" or "bracket" (got ${String(options.entryOrders)})`,
      );
    }
    this.#equityIntervalMs = nonNegative(
      "equityObservationIntervalMs",
      options.equityObservationIntervalMs,
      3_600_000,
    );
    this.#equityStep = nonNegative("equityObservationStep", options.equityObservationStep, 0.005);
    const remember = positiveInteger("rememberFinishedOrders", options.rememberFinishedOrders, 10_000);
    const atrPeriod = positiveInteger("atrPeriod", options.atrPeriod, 14);

    // Strategies and their instruments.
    const strategies = [
      ...(options.strategies ?? []),
      ...(options.strategy === undefined ? [] : [options.strategy]),
    ];
    if (strategies.length === 0) {
      throw new KernelError("invalid-options", "give a strategy (`strategy`) or several (`strategies`)");
    }
    const ids = new Set<string>();
    for (const s of strategies) {
      if (ids.has(s.id)) {
        throw new KernelError("invalid-options", `two strategies share the id ${s.id}`, {
          context: { strategyId: s.id },
        });
      }
      ids.add(s.id);
    }
    this.strategies = Object.freeze(strategies);
    for (const s of strategies) {
      for (const id of s.instruments) {
        if (options.instruments.get(id) === undefined) {
          throw new KernelError(
            "invalid-options",
            `strategy ${s.id} trades ${id}, which the instrument provider does not know`,
            { context: { strategyId: s.id, instrumentId: id } },
          );
        }
      }
    }

    // Account and currency.
    const account: AccountOptions =
      typeof options.account === "object" && options.account !== null && "balance" in options.account
        ? options.account
        : { balance: options.account as DecimalLike };
    let balance: Decimal;
    try {
      balance = parseDecimal(account.balance, { field: "account.balance", allowNegative: false });
    } catch (cause) {
      throw new KernelError(
        "invalid-options",
        `account.balance: must be a decimal >= 0 (got ${String(account.balance)})`,
        {
          cause,
          context: { field: "account.balance", value: String(account.balance) },
        },
      );
    }
    const first = strategies[0]?.instruments[0];
    const firstInstrument = first === undefined ? undefined : options.instruments.get(first);
    const currency = account.currency ?? firstInstrument?.settlementCurrency;
    if (currency === undefined) {
      throw new KernelError(
        "invalid-options",
        "account.currency: give it, or trade at least one known instrument",
      );
    }
    this.cache = new Cache(options.instruments, currency, balance, remember);

    // Risk.
    if (options.risk === undefined) this.risk = undefined;
    else if (options.risk instanceof RiskEngine) this.risk = options.risk;
    else
      this.risk = new RiskEngine({
        config: parseRiskConfig(options.risk),
        clock: this.#clock,
        initialEquity: balance,
      });

    // Sizing.
    const sizing = resolveSizer(options.sizing);
    this.#sizer = sizing.sizer;

    // Regime factory.
    const regime = options.regime;
    const makeClassifier: ((id: InstrumentId) => RegimeClassifier) | undefined =
      regime === undefined
        ? undefined
        : typeof regime === "function"
          ? regime
          : typeof regime === "string"
            ? () => createRegimeClassifier(regimePreset(regime))
            : () => createRegimeClassifier(regime);

    // Slots.
    for (const strategy of strategies) {
      for (const id of strategy.instruments) {
        const slot = this.cache.slot(id);
        if (slot.strategy !== undefined) {
          throw new KernelError(
            "invalid-options",
            `instrument ${id} is traded by two strategies (${slot.strategy.id}, ${strategy.id}); one strategy per instrument`,
            { context: { instrumentId: id, strategies: [slot.strategy.id, strategy.id] } },
          );
        }
        if (slot.instrument.settlementCurrency !== currency) {
          throw new KernelError(
            "invalid-options",
            `instrument ${id} settles in ${slot.instrument.settlementCurrency}, the account in ${currency}`,
            { context: { instrumentId: id, currency } },
          );
        }
        slot.strategy = strategy;
        if (makeClassifier !== undefined) slot.classifier = makeClassifier(id);
        if (sizing.method === "atr") slot.atr = new Atr({ period: atrPeriod });
      }
    }

    // The strategy context: one object, created once.
    const cache = this.cache;
    this.#ctx = {
      clock: this.#clock,
      regime: (id) => cache.peekSlot(id)?.classifier?.value,
      position: (id) => {
        const slot = cache.peekSlot(id);
        return slot?.positionOpen ? slot.position : undefined;
      },
      openOrders: (id) => {
        const slot = cache.peekSlot(id);
        return slot === undefined ? [] : slot.own;
      },
    };

    // Event log and bus.
    this.eventLog = isEventLog(options.eventLog)
      ? options.eventLog
      : createMemoryEventLog(options.eventLog ?? {});
    this.events = new TraderEventBus((error, event) => {
      this.#logger.error("trader event handler threw", { eventType: event.type, error: String(error) });
    });

    // Execution events.
    this.#unsubscribers.push(this.#execution.onEvent((event) => this.#onExecutionEvent(event)));

    // Market data.
    if (options.marketData !== undefined) {
      const port = options.marketData;
      const intervalMs = positiveInteger("barIntervalMs", options.barIntervalMs, 60_000);
      const handler = (event: MarketDataEvent) => this.onMarketData(event);
      for (const slot of this.cache.slotList) {
        const strategy = slot.strategy;
        if (strategy === undefined) continue;
        this.#unsubscribers.push(
          port.subscribe({ kind: "bars", instrumentId: slot.id, intervalMs }, handler),
        );
        if (slot.derivative)
          this.#unsubscribers.push(port.subscribe({ kind: "mark", instrumentId: slot.id }, handler));
        if (slot.instrument.kind === "perpetual" && strategy.onFunding !== undefined) {
          this.#unsubscribers.push(port.subscribe({ kind: "funding", instrumentId: slot.id }, handler));
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Public surface
  // ------------------------------------------------------------------------------------------

  get stopped(): boolean {
    return this.#stopped;
  }

  get tradingState(): TradingState {
    return this.risk?.tradingState ?? "active";
  }

  stats(): TraderStats {
    return {
      bars: this.#bars,
      intents: this.#intents,
      decisions: this.#decisions,
      ordersSubmitted: this.#ordersSubmitted,
      ordersDenied: this.#ordersDenied,
      executionEvents: this.#executionEvents,
      eventsLogged: this.#eventsLogged,
    };
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const unsubscribe of this.#unsubscribers) unsubscribe();
    this.#unsubscribers.length = 0;
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
    if (this.#stopped) return;
    this.#enter();
    try {
      const slot = this.cache.slot(bar.instrumentId);
      if (this.#venueFeed !== undefined) {
        this.#venueFeed(bar);
        this.#drain();
      }
      // 1. prices
      slot.close = bar.close;
      slot.tsClose = bar.tsEvent;
      if (bar.tsEvent >= slot.tsPrice) {
        const previous = slot.price;
        slot.price = bar.close;
        slot.tsPrice = bar.tsEvent;
        slot.priceDecimal = undefined;
        if (slot.exposure !== 0 && !Number.isNaN(previous))
          this.#drift += slot.exposure * (bar.close - previous);
      }
      // 2. regime (and ATR for the atr sizing method)
      if (slot.classifier !== undefined) slot.classifier.update(bar);
      if (slot.atr !== undefined) slot.atr.update(bar);
      this.#bars += 1;
      if (
        this.risk !== undefined &&
        this.cache.openPositionCount > 0 &&
        (bar.tsEvent >= this.#nextEquityTs || Math.abs(this.#drift) >= this.#driftLimit)
      ) {
        this.#equityDirty = true;
      }
      // 3. strategy
      const strategy = slot.strategy;
      if (strategy !== undefined) {
        if (slot.pending && slot.standing !== undefined) this.#evaluate(slot, slot.standing);
        const intents = strategy.onBar(this.#ctx, bar);
        if (intents.length > 0) this.#handleIntents(strategy, intents);
      }
    } finally {
      this.#leave();
    }
  }

  onFunding(rate: FundingRate): void {
    if (this.#stopped) return;
    this.#enter();
    try {
      const slot = this.cache.slot(rate.instrumentId);
      if (this.#venueFeed !== undefined) {
        this.#venueFeed(rate);
        this.#drain();
      }
      const strategy = slot.strategy;
      if (strategy?.onFunding !== undefined) {
        const intents = strategy.onFunding(this.#ctx, rate);
        if (intents.length > 0) this.#handleIntents(strategy, intents);
      }
    } finally {
      this.#leave();
    }
  }

  reconcile(
    massStatus: ExecutionMassStatus,
    options: { readonly adoptCash?: boolean } = {},
  ): ReconciliationResult {
    this.#assertRunning();
    this.#busy += 1;
    try {
      return reconcileMassStatus(massStatus, {
        cache: this.cache,
        clock: this.#clock,
        nextEventId: () => this.#eventIds.next(),
        process: (event) => this.#process(event),
        emit: (event) => this.#emit(event),
        adoptCash: options.adoptCash ?? true,
        externalStrategyId: EXTERNAL_STRATEGY_ID,
      });
    } finally {
      this.#busy -= 1;
      this.#drain();
    }
  }

  retryOrder(clientOrderId: ClientOrderId): void {
    this.#assertRunning();
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
    this.#busy += 1;
    try {
      if (command.type === "SubmitOrder") this.#execution.submitOrder(command);
      else this.#execution.submitBracket(command);
    } finally {
      this.#busy -= 1;
      this.#drain();
    }
  }

  // ------------------------------------------------------------------------------------------
  // Plumbing: re-entrancy, the execution event queue, emission
  // ------------------------------------------------------------------------------------------

  #assertRunning(): void {
    if (this.#stopped) throw new KernelError("stopped", "the trader is stopped");
  }

  #enter(): void {
    if (this.#inMarketData) {
      throw new KernelError(
        "re-entrant-call",
        "market data was fed to the trader from inside its own event handling; feed it from the driver",
      );
    }
    this.#inMarketData = true;
    this.#busy += 1;
  }

  #leave(): void {
    this.#busy -= 1;
    this.#inMarketData = false;
    this.#drain();
  }

  #onExecutionEvent(event: ExecutionEvent): void {
    this.#queue.push(event);
    if (this.#busy === 0) this.#drain();
  }

  /** Applies queued execution events in order; re-entrant calls return at once (the outer loop continues). */
  #drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    try {
      while (this.#queueHead < this.#queue.length) {
        const event = this.#queue[this.#queueHead] as ExecutionEvent;
        this.#queueHead += 1;
        this.#executionEvents += 1;
        this.#process(event);
      }
      if (this.#queueHead > 0) {
        this.#queue.length = 0;
        this.#queueHead = 0;
      }
    } finally {
      this.#draining = false;
    }
    if (this.#busy === 0 && this.#equityDirty && this.risk !== undefined) {
      this.#equityDirty = false;
      this.#observeEquity(this.cache.equity());
    }
  }

  #emit(event: TraderEvent): void {
    this.#eventsLogged += 1;
    if (event.type === "Decision") this.#decisions += 1;
    this.eventLog.write(event);
    this.events.dispatch(event);
  }

  #meta(tsEvent: UnixMillis): { eventId: EventId; tsEvent: UnixMillis; tsInit: UnixMillis } {
    return { eventId: this.#eventIds.next(), tsEvent, tsInit: this.#clock.now() };
  }

  #warn(
    code: KernelWarning["code"],
    message: string,
    tsEvent: UnixMillis,
    extra: { eventType?: string; clientOrderId?: ClientOrderId; instrumentId?: InstrumentId } = {},
  ): void {
    this.#logger.warn(message, { code, ...extra });
    this.#emit({ type: "KernelWarning", ...this.#meta(tsEvent), code, message, ...extra });
  }

  #riskEvents(events: readonly RiskEvent[]): void {
    for (const event of events) {
      this.#emit({ type: "RiskNotice", ...this.#meta(event.tsEvent), event });
    }
  }

  /**
   * Ticks the risk engine when something time-driven is due (a day boundary, a breaker's cooldown
   * end): what a tick would change. Between those times a tick changes nothing the checks read.
   */
  #tickRisk(): void {
    const risk = this.risk;
    if (risk === undefined) return;
    const state = risk.state;
    let due = state.day.start + DAY_MS;
    for (const name of BREAKER_NAMES) {
      const trip = state.breakers[name];
      if (trip !== null && trip.cooldownUntil < due) due = trip.cooldownUntil;
    }
    if (this.#clock.now() < due) return;
    this.#riskEvents(risk.tick());
  }

  #observeEquity(equity: Decimal): void {
    const risk = this.risk;
    if (risk === undefined) return;
    this.#drift = 0;
    this.#driftLimit = this.#equityStep * Math.abs(equity.toNumber());
    this.#nextEquityTs = this.#clock.now() + this.#equityIntervalMs;
    this.#riskEvents(risk.observeEquity(equity));
  }

  // ------------------------------------------------------------------------------------------
  // Execution events → cache
  // ------------------------------------------------------------------------------------------

  /** Applies one execution event to the cache (and risk), then emits it. */
  #process(event: ExecutionEvent): void {
    switch (event.type) {
      case "OrderInitialized": {
        if (this.cache.order(event.clientOrderId) !== undefined) {
          this.#warn("event-not-applied", `order ${event.clientOrderId} is already known`, event.tsEvent, {
            eventType: event.type,
            clientOrderId: event.clientOrderId,
          });
          return;
        }
        try {
          this.cache.putOrder(initOrder(event));
        } catch (error) {
          this.#warn("event-not-applied", `cannot initialize order: ${String(error)}`, event.tsEvent, {
            eventType: event.type,
            clientOrderId: event.clientOrderId,
          });
          return;
        }
        break;
      }
      case "OrderFilled":
        if (!this.#applyFill(event)) return;
        break;
      case "OrderDenied":
      case "OrderSubmitted":
      case "OrderOutcomeUnknown":
      case "OrderAccepted":
      case "OrderRejected":
      case "OrderTriggered":
      case "OrderPendingUpdate":
      case "OrderUpdated":
      case "OrderModifyRejected":
      case "OrderPendingCancel":
      case "OrderCancelRejected":
      case "OrderCanceled":
      case "OrderExpired": {
        const order = this.cache.order(event.clientOrderId);
        if (order === undefined) {
          this.#warn(
            "unknown-order",
            `${event.type} for unknown order ${event.clientOrderId}`,
            event.tsEvent,
            {
              eventType: event.type,
              clientOrderId: event.clientOrderId,
              instrumentId: event.instrumentId,
            },
          );
          break;
        }
        let next: Order;
        try {
          next = applyOrderEvent(order, event);
        } catch (error) {
          this.#warn(
            "event-not-applied",
            `${event.type} not applied to ${event.clientOrderId}: ${error instanceof Error ? error.message : String(error)}`,
            event.tsEvent,
            { eventType: event.type, clientOrderId: event.clientOrderId, instrumentId: event.instrumentId },
          );
          break;
        }
        this.cache.putOrder(next);
        if (isTerminalStatus(next.status)) this.#commands.delete(next.clientOrderId);
        this.#riskAfterOrderEvent(event.type, event.type === "OrderRejected" ? event.reason : undefined);
        break;
      }
      case "PositionOpened":
      case "PositionChanged":
      case "PositionClosed":
        this.cache.slot(event.instrumentId).venuePosition = event.position;
        break;
      case "AccountUpdated":
        this.cache.setVenueAccount(event.state);
        break;
      case "FundingApplied":
        this.cache.bookFunding(event);
        this.#equityDirty = true;
        break;
      default:
        assertNever(event, "execution event");
    }
    this.#emit(event);
  }

  #riskAfterOrderEvent(type: ExecutionEvent["type"], reason: string | undefined): void {
    const risk = this.risk;
    if (risk === undefined) return;
    switch (type) {
      case "OrderAccepted":
        this.#riskEvents(risk.recordVenueRequest(true));
        break;
      case "OrderRejected":
        this.#riskEvents(risk.recordVenueRequest(true));
        this.#riskEvents(risk.recordOrderReject(reason));
        break;
      case "OrderOutcomeUnknown":
        this.#riskEvents(risk.recordVenueRequest(false));
        break;
      default:
        break;
    }
  }

  /** Updates the order (when known) and books the fill on position and ledger. False: dropped. */
  #applyFill(fill: OrderFilled): boolean {
    const order = this.cache.order(fill.clientOrderId);
    if (order !== undefined) {
      if (hasFill(order, fill.tradeId)) {
        this.#warn(
          "duplicate-fill",
          `fill ${fill.tradeId} of ${fill.clientOrderId} was already booked`,
          fill.tsEvent,
          {
            eventType: fill.type,
            clientOrderId: fill.clientOrderId,
            instrumentId: fill.instrumentId,
          },
        );
        return false;
      }
      try {
        const next = applyOrderEvent(order, fill);
        this.cache.putOrder(next);
        if (isTerminalStatus(next.status)) this.#commands.delete(next.clientOrderId);
      } catch (error) {
        this.#warn(
          "event-not-applied",
          `fill ${fill.tradeId} not applied to order ${fill.clientOrderId} (booked on the position anyway): ${error instanceof Error ? error.message : String(error)}`,
          fill.tsEvent,
          { eventType: fill.type, clientOrderId: fill.clientOrderId, instrumentId: fill.instrumentId },
        );
      }
    } else {
      if (this.cache.seenTrade(fill.instrumentId, fill.tradeId)) {
        this.#warn("duplicate-fill", `fill ${fill.tradeId} was already booked`, fill.tsEvent, {
          eventType: fill.type,
          clientOrderId: fill.clientOrderId,
          instrumentId: fill.instrumentId,
        });
        return false;
      }
      this.#warn(
        "unknown-order",
        `fill ${fill.tradeId} of unknown order ${fill.clientOrderId} (booked on the position)`,
        fill.tsEvent,
        {
          eventType: fill.type,
          clientOrderId: fill.clientOrderId,
          instrumentId: fill.instrumentId,
        },
      );
    }
    let booked: ReturnType<Cache["bookFill"]>;
    try {
      booked = this.cache.bookFill(fill);
    } catch (error) {
      this.#warn(
        "fill-not-booked",
        `fill ${fill.tradeId} could not be booked: ${error instanceof Error ? error.message : String(error)}`,
        fill.tsEvent,
        {
          eventType: fill.type,
          clientOrderId: fill.clientOrderId,
          instrumentId: fill.instrumentId,
        },
      );
      return true;
    }
    this.#equityDirty = true;
    this.#trackTrade(booked.slot, booked.before, booked.after);
    return true;
  }

  /** Feeds closed trades (position back to flat, or flipped) to the consecutive-losses breaker. */
  #trackTrade(
    slot: InstrumentSlot,
    before: ReturnType<Cache["bookFill"]>["before"],
    after: ReturnType<Cache["bookFill"]>["after"],
  ): void {
    const wasOpen = before !== undefined && !before.quantity.isZero();
    const isOpen = !after.quantity.isZero();
    const flipped = wasOpen && isOpen && before.quantity.isNegative() !== after.quantity.isNegative();
    if (!wasOpen && isOpen) {
      slot.tradeBase = {
        realized: before?.realizedPnl ?? ZERO,
        commissions: before?.commissions ?? ZERO,
        funding: before?.funding ?? ZERO,
      };
      return;
    }
    if (wasOpen && (!isOpen || flipped)) {
      const base = slot.tradeBase;
      if (base !== undefined && this.risk !== undefined) {
        const pnl = after.realizedPnl
          .minus(base.realized)
          .minus(after.commissions.minus(base.commissions))
          .plus(after.funding.minus(base.funding));
        this.#riskEvents(this.risk.recordTradeClosed(pnl));
      }
      slot.tradeBase = flipped
        ? { realized: after.realizedPnl, commissions: after.commissions, funding: after.funding }
        : undefined;
    }
  }

  // ------------------------------------------------------------------------------------------
  // Market data other than bars
  // ------------------------------------------------------------------------------------------

  #onPriceEvent(event: MarketDataEvent, price: number, isMark: boolean): void {
    if (this.#stopped) return;
    this.#enter();
    try {
      const slot = this.cache.slot(event.instrumentId);
      if (this.#venueFeed !== undefined) {
        this.#venueFeed(event);
        this.#drain();
      }
      if (isMark) {
        slot.mark = price;
        slot.tsMark = event.tsEvent;
      }
      if (Number.isFinite(price) && price > 0 && event.tsEvent >= slot.tsPrice) {
        const previous = slot.price;
        slot.price = price;
        slot.tsPrice = event.tsEvent;
        slot.priceDecimal = undefined;
        if (slot.exposure !== 0 && !Number.isNaN(previous)) this.#drift += slot.exposure * (price - previous);
        if (this.risk !== undefined && Math.abs(this.#drift) >= this.#driftLimit) this.#equityDirty = true;
      }
    } finally {
      this.#leave();
    }
  }

  // ------------------------------------------------------------------------------------------
  // Intents → decisions → orders
  // ------------------------------------------------------------------------------------------

  #decision(
    kind: DecisionKind,
    reason: string,
    message: string,
    slot: InstrumentSlot,
    strategy: Strategy,
    intent: StrategyIntent,
    extra: Partial<
      Omit<
        Decision,
        | "type"
        | "kind"
        | "reason"
        | "message"
        | "strategyId"
        | "instrumentId"
        | "intent"
        | "eventId"
        | "tsEvent"
        | "tsInit"
      >
    > = {},
  ): void {
    const regime = slot.classifier?.value?.regime;
    const event: Decision = {
      type: "Decision",
      ...this.#meta(intent.tsEvent),
      kind,
      reason,
      message,
      strategyId: strategy.id,
      instrumentId: slot.id,
      intent: summarize(intent),
      ...(regime === undefined ? {} : { regime }),
      ...extra,
    };
    this.#emit(event);
  }

  #handleIntents(strategy: Strategy, intents: readonly StrategyIntent[]): void {
    for (let i = 0; i < intents.length; i++) {
      const intent = intents[i] as StrategyIntent;
      this.#intents += 1;
      const problem = intentProblem(intent);
      const slot =
        typeof intent.instrumentId === "string" ? this.cache.peekSlot(intent.instrumentId) : undefined;
      if (
        problem !== undefined ||
        slot === undefined ||
        slot.strategy !== strategy ||
        intent.strategyId !== strategy.id
      ) {
        const anySlot = slot ?? this.cache.slot(strategy.instruments[0] as InstrumentId);
        const reason =
          problem !== undefined
            ? "invalid-intent"
            : intent.strategyId !== strategy.id
              ? "foreign-strategy"
              : "foreign-instrument";
        const message =
          problem ??
          (reason === "foreign-strategy"
            ? `intent carries strategy id ${String(intent.strategyId)}, not ${strategy.id}`
            : `strategy ${strategy.id} does not trade ${String(intent.instrumentId)}`);
        this.#decision("invalid-intent", reason, message, anySlot, strategy, intent);
        continue;
      }
      switch (intent.type) {
        case "TargetPosition":
          slot.standing = intent;
          slot.pending = false;
          slot.blockedReason = undefined;
          this.#evaluate(slot, intent);
          break;
        case "CancelOrders":
          this.#cancelIntent(slot, strategy, intent);
          break;
        default:
          assertNever(intent, "intent");
      }
    }
  }

  #cancelIntent(slot: InstrumentSlot, strategy: Strategy, intent: CancelOrdersIntent): void {
    if (slot.own.length === 0) return;
    const canceled = this.#cancelOwn(slot, strategy);
    this.#decision(
      "cancel",
      "intent",
      `canceled ${canceled.length} working order(s): ${intent.reason}`,
      slot,
      strategy,
      intent,
      {
        canceled,
      },
    );
  }

  /** Sends a cancel for every working order of the slot's strategy; returns their ids. */
  #cancelOwn(slot: InstrumentSlot, strategy: Strategy): ClientOrderId[] {
    const ids: ClientOrderId[] = [];
    const orders = slot.own;
    this.#busy += 1;
    try {
      for (const order of orders) {
        if (order.status === "pending-cancel") {
          ids.push(order.clientOrderId);
          continue;
        }
        // An inactive bracket leg goes with its entry, unless the entry is already done.
        if (order.status === "initialized" && isLeg(order)) {
          const entry =
            order.bracket === undefined ? undefined : this.cache.order(order.bracket.entryClientOrderId);
          if (entry !== undefined && !isTerminalStatus(entry.status)) continue;
        }
        const command: CancelOrder = {
          type: "CancelOrder",
          strategyId: strategy.id,
          instrumentId: slot.id,
          clientOrderId: order.clientOrderId,
          ...(order.venueOrderId === undefined ? {} : { venueOrderId: order.venueOrderId }),
          tsInit: this.#clock.now(),
        };
        ids.push(order.clientOrderId);
        this.#execution.cancelOrder(command);
      }
    } finally {
      this.#busy -= 1;
    }
    this.#drain();
    return ids;
  }

  #block(
    slot: InstrumentSlot,
    strategy: Strategy,
    intent: TargetPositionIntent,
    reason: string,
    message: string,
  ): void {
    slot.pending = true;
    if (slot.blockedReason === reason) return;
    slot.blockedReason = reason;
    this.#decision("blocked", reason, message, slot, strategy, intent);
  }

  /** Acts on a target: the heart of the pipeline (README: "Per target"). */
  #evaluate(slot: InstrumentSlot, intent: TargetPositionIntent): void {
    const strategy = slot.strategy as Strategy;
    slot.pending = false;
    // 1. An order whose outcome is unknown blocks everything on this instrument.
    for (const order of slot.own) {
      if (order.outcomeUnknown !== undefined) {
        this.#block(
          slot,
          strategy,
          intent,
          "outcome-unknown",
          `order ${order.clientOrderId} has an unknown ${order.outcomeUnknown} outcome; waiting for the venue's answer or reconciliation`,
        );
        return;
      }
    }
    // 2. Already there (position plus working entries)?
    const position = slot.position?.quantity ?? ZERO;
    let expected = position;
    let againstTarget = false;
    for (const order of slot.own) {
      if (isLeg(order)) continue;
      expected = order.side === "buy" ? expected.plus(order.leavesQty) : expected.minus(order.leavesQty);
      if (intent.direction === "flat" || (intent.direction === "long") !== (order.side === "buy"))
        againstTarget = true;
    }
    switch (intent.direction) {
      case "flat":
        if (expected.isZero() && position.isZero() && slot.own.length === 0) return;
        break;
      case "long":
        if (expected.gt(0) && !againstTarget && this.#rebalance === undefined) return;
        break;
      case "short":
        if (expected.lt(0) && !againstTarget && this.#rebalance === undefined) return;
        break;
      default:
        assertNever(intent.direction, "direction");
    }
    // 3. Cancel the strategy's working orders here; wait until the venue confirms.
    if (slot.own.length > 0) {
      const canceled = this.#cancelOwn(slot, strategy);
      if (canceled.length > 0) {
        this.#decision(
          "cancel",
          "superseded",
          `canceled ${canceled.length} working order(s) for the new target`,
          slot,
          strategy,
          intent,
          {
            canceled,
          },
        );
      }
      if (slot.own.some((o) => !isLeg(o) || o.status !== "initialized")) {
        this.#block(
          slot,
          strategy,
          intent,
          "awaiting-cancel",
          "waiting for the venue to confirm the cancels",
        );
        return;
      }
    }
    slot.blockedReason = undefined;
    // 4. Orders.
    const price = slot.priceAsDecimal();
    if (price === undefined) {
      this.#decision("skip", "no-price", `no market price for ${slot.id} yet`, slot, strategy, intent);
      return;
    }
    const current = slot.position?.quantity ?? ZERO;
    const equity = this.cache.equity();
    if (this.risk !== undefined) {
      // Roll the day / end cooldowns at this time; equity only moves with prices while a
      // position is open (fills and funding are observed when they are booked).
      this.#tickRisk();
      if (this.cache.openPositionCount > 0) this.#observeEquity(equity);
    }
    const base = { slot, intent, price, equity, positionQuantity: current };
    switch (intent.direction) {
      case "flat":
        if (!current.isZero()) this.#closeAll(base, "close");
        return;
      case "long":
      case "short": {
        const long = intent.direction === "long";
        const opposite = long ? current.lt(0) : current.gt(0);
        if (opposite) {
          this.#closeAll(base, "flip-close");
          this.#open(base, long, ZERO, "flip-open");
          return;
        }
        if (current.isZero()) {
          this.#open(base, long, ZERO, "open");
          return;
        }
        // Already on the target's side (e.g. a working exit was just canceled): only a rebalance trades.
        if (this.#rebalance !== undefined) this.#open(base, long, current.abs(), "increase");
        return;
      }
      default:
        assertNever(intent.direction, "direction");
    }
  }

  #closeAll(base: OrderBase, action: OrderAction): void {
    const current = base.positionQuantity;
    this.#place({
      ...base,
      side: current.gt(0) ? "sell" : "buy",
      quantity: current.abs(),
      action,
      reduce: true,
      bracket: false,
    });
  }

  /** Sizes and places the opening (or increasing) order toward a long/short target. */
  #open(base: OrderBase, long: boolean, held: Decimal, action: OrderAction): void {
    const { slot, intent, equity, price } = base;
    const strategy = slot.strategy as Strategy;
    // The numbers every decision below reports.
    const context = { price, equity, positionQuantity: base.positionQuantity };
    const side: OrderSide = long ? "buy" : "sell";
    if (!long && !slot.derivative) {
      this.#decision(
        "skip",
        "spot-short",
        `${slot.id} is spot: a short target only closes the long`,
        slot,
        strategy,
        intent,
        context,
      );
      return;
    }
    // The risk state gate, before sizing: in `reducing` and `halted` no order that opens or grows
    // a position can pass `@gpt/risk` (checks 1-2), so it is denied without sizing it.
    const state = this.risk?.tradingState ?? "active";
    if (state !== "active") {
      const halted = state === "halted";
      this.#ordersDenied += 1;
      this.#decision(
        "denied",
        halted ? "trading-halted" : "reduce-only",
        `trading state is ${state}: an order that opens or grows a position is denied before sizing`,
        slot,
        strategy,
        intent,
        { ...context, side, check: halted ? "trading-halted" : "reduce-only" },
      );
      return;
    }
    if (!equity.gt(0)) {
      this.#decision(
        "skip",
        "non-positive-equity",
        `equity ${equity.toFixed()} leaves nothing to size`,
        slot,
        strategy,
        intent,
        context,
      );
      return;
    }
    const result = this.#size(slot, intent, side, equity, price, held);
    if (result.kind === "skip") {
      this.#decision("skip", result.reason, result.message, slot, strategy, intent, {
        ...context,
        ...(result.details === undefined ? {} : { details: result.details }),
      });
      return;
    }
    const target = result.quantity;
    let quantity = target;
    let orderAction = action;
    if (action === "increase") {
      // Same direction already held: only reached with rebalanceThreshold set.
      const threshold = this.#rebalance ?? 0;
      const diff = target.minus(held);
      if (diff.abs().lte(target.mul(D(threshold))) || diff.isZero()) return;
      if (diff.lt(0)) {
        orderAction = "reduce";
        this.#place({
          ...base,
          side: long ? "sell" : "buy",
          quantity: diff.abs(),
          action: orderAction,
          reduce: true,
          targetQuantity: long ? target : target.neg(),
          bracket: false,
        });
        return;
      }
      quantity = diff;
    }
    this.#place({
      ...base,
      side,
      quantity,
      action: orderAction,
      reduce: false,
      targetQuantity: long ? target : target.neg(),
      bracket: this.#bracketEntries && intent.stopPrice !== undefined && intent.takeProfitPrice !== undefined,
    });
  }

  #size(
    slot: InstrumentSlot,
    intent: TargetPositionIntent,
    side: OrderSide,
    equity: Decimal,
    price: Decimal,
    held: Decimal,
  ):
    | { kind: "sized"; quantity: Decimal }
    | { kind: "skip"; reason: string; message: string; details?: Record<string, string> } {
    let sizingEquity = equity;
    let availableMargin: Decimal | undefined;
    if (!slot.derivative && side === "buy") {
      let spendable = this.cache.cash().plus(held.mul(price));
      for (const other of this.cache.slotList) {
        if (other === slot) continue;
        for (const order of other.open) {
          if (order.side !== "buy" || other.derivative) continue;
          const p = order.price ?? other.priceAsDecimal();
          if (p !== undefined) spendable = spendable.minus(order.leavesQty.mul(p));
        }
      }
      if (this.#headroom !== undefined) {
        sizingEquity = equity.div(this.#headroom);
        spendable = spendable.div(this.#headroom);
      }
      availableMargin = spendable;
    }
    const reading = slot.classifier?.value;
    const multiplier = reading === undefined ? undefined : this.#regimeMultipliers?.[reading.regime];
    const atr = slot.atr?.value;
    let result: SizingResult;
    try {
      result = this.#sizer({
        instrument: slot.instrument,
        intent,
        side,
        equity: sizingEquity,
        price,
        ...(availableMargin === undefined ? {} : { availableMargin }),
        ...(reading === undefined ? {} : { regime: reading }),
        ...(multiplier === undefined ? {} : { regimeMultiplier: multiplier }),
        ...(atr === undefined ? {} : { atr }),
      });
    } catch (error) {
      if (error instanceof SizingError) {
        return {
          kind: "skip",
          reason: error.code === "missing-input" ? "missing-observation" : "sizing-error",
          message: error.message,
          details: { field: error.field },
        };
      }
      throw error;
    }
    if (result.kind === "skip") return { kind: "skip", reason: result.reason, message: result.message };
    return { kind: "sized", quantity: result.quantity };
  }

  /** Quantize → risk → OrderInitialized → submit (or OrderDenied). */
  #place(plan: OrderPlan): void {
    const { slot, intent } = plan;
    const strategy = slot.strategy as Strategy;
    const instrument = slot.instrument;
    const quantity = plan.quantity.gt(0) ? roundSize(plan.quantity, instrument.sizeIncrement) : ZERO;
    const common = {
      price: plan.price,
      equity: plan.equity,
      positionQuantity: plan.positionQuantity,
      ...(plan.targetQuantity === undefined ? {} : { targetQuantity: plan.targetQuantity }),
    };
    if (quantity.isZero()) {
      this.#decision(
        "skip",
        "zero-quantity",
        `${plan.action}: ${plan.quantity.toFixed()} rounds down to zero on the size step ${instrument.sizeIncrement.toFixed()}`,
        slot,
        strategy,
        intent,
        common,
      );
      return;
    }
    // Bracket legs, when asked for and possible.
    let bracket: { takeProfit: Decimal; stopLoss: Decimal } | undefined;
    if (plan.bracket && intent.takeProfitPrice !== undefined && intent.stopPrice !== undefined) {
      const legSide: OrderSide = plan.side === "buy" ? "sell" : "buy";
      bracket = {
        takeProfit: roundPrice(D(intent.takeProfitPrice), instrument.priceIncrement, legSide),
        stopLoss: roundPrice(D(intent.stopPrice), instrument.priceIncrement, legSide),
      };
    }
    // Risk.
    const clientOrderId = this.#orderIds.next();
    const risk = this.risk;
    if (risk !== undefined) {
      // What `RiskEngine.checkOrder` does, minus its tick (the decision ticked the engine already).
      const decision = runPreTradeChecks(
        {
          order: {
            instrumentId: slot.id,
            side: plan.side,
            quantity,
            ...(plan.reduce ? { reduceOnly: true } : {}),
          },
          instrument,
          market: { markPrice: plan.price, tsMark: slot.tsPrice },
          now: this.#clock.now(),
          tradingState: risk.tradingState,
          orderRate: risk.orderRate,
        },
        this.#portfolio(),
        risk.config,
      );
      if (decision.kind === "denied") {
        this.#ordersDenied += 1;
        this.#decision("denied", decision.reason, decision.message, slot, strategy, intent, {
          ...common,
          clientOrderId,
          side: plan.side,
          quantity,
          check: decision.check,
          details: decision.details,
        });
        const spec = this.#marketSpec(clientOrderId, slot, plan.side, quantity, plan.reduce);
        this.#process({
          type: "OrderInitialized",
          ...this.#orderMeta(clientOrderId, slot.id),
          order: spec,
          strategyId: strategy.id,
        });
        this.#process({
          type: "OrderDenied",
          ...this.#orderMeta(clientOrderId, slot.id),
          reason: `${decision.reason}: ${decision.message}`,
        });
        return;
      }
    }
    this.#decision("order", plan.action, this.#orderMessage(plan, quantity), slot, strategy, intent, {
      ...common,
      clientOrderId,
      side: plan.side,
      quantity,
    });
    const tsInit = this.#clock.now();
    if (bracket !== undefined) {
      const entry = this.#marketSpec(clientOrderId, slot, plan.side, quantity, false);
      const command: SubmitBracket = {
        type: "SubmitBracket",
        strategyId: strategy.id,
        entry,
        takeProfit: { clientOrderId: this.#orderIds.next(), price: bracket.takeProfit },
        stopLoss: { clientOrderId: this.#orderIds.next(), triggerPrice: bracket.stopLoss },
        tsInit,
      };
      const issues = validateCommand(command);
      if (issues.length === 0) {
        const legs = bracketLegs(command);
        const link = {
          entryClientOrderId: clientOrderId,
          takeProfitClientOrderId: command.takeProfit.clientOrderId,
          stopLossClientOrderId: command.stopLoss.clientOrderId,
        };
        this.#initialize(entry, strategy.id, { role: "entry", ...link });
        this.#initialize(legs.takeProfit, strategy.id, { role: "take-profit", ...link });
        this.#initialize(legs.stopLoss, strategy.id, { role: "stop-loss", ...link });
        this.#commands.set(clientOrderId, command);
        this.#send(
          () => this.#execution.submitBracket(command),
          [clientOrderId, command.takeProfit.clientOrderId, command.stopLoss.clientOrderId],
        );
        return;
      }
      this.#logger.warn("bracket not possible, sending a plain market order", {
        clientOrderId,
        issues: issues.map((i) => i.message).join("; "),
      });
    }
    const spec = this.#marketSpec(clientOrderId, slot, plan.side, quantity, plan.reduce);
    this.#initialize(spec, strategy.id, undefined);
    const command: SubmitOrder = { type: "SubmitOrder", strategyId: strategy.id, order: spec, tsInit };
    this.#commands.set(clientOrderId, command);
    this.#send(() => this.#execution.submitOrder(command), [clientOrderId]);
  }

  /**
   * Sends a command. If the port throws (an invalid command is a programming error), the orders
   * it would have created are canceled locally (`OrderCanceled` from `initialized`, so they do not
   * stay working forever) and the error is rethrown after the events queued so far are applied.
   */
  #send(submit: () => void, ids: readonly ClientOrderId[]): void {
    this.#ordersSubmitted += 1;
    this.risk?.recordOrderSubmitted();
    this.#busy += 1;
    let failure: { error: unknown } | undefined;
    try {
      submit();
    } catch (error) {
      failure = { error };
    } finally {
      this.#busy -= 1;
    }
    this.#drain();
    if (failure === undefined) return;
    for (const id of ids) {
      const order = this.cache.order(id);
      if (order === undefined || order.status !== "initialized") continue;
      this.#warn(
        "event-not-applied",
        `the execution port refused to send ${id}: ${String(failure.error)}`,
        this.#clock.now(),
        {
          clientOrderId: id,
          instrumentId: order.instrumentId,
        },
      );
      this.#process({ type: "OrderCanceled", ...this.#orderMeta(id, order.instrumentId) });
    }
    throw failure.error;
  }

  #initialize(spec: OrderSpec, strategy: StrategyId, bracket: OrderInitialized["bracket"]): void {
    this.#process({
      type: "OrderInitialized",
      ...this.#orderMeta(spec.clientOrderId, spec.instrumentId),
      order: spec,
      strategyId: strategy,
      ...(bracket === undefined ? {} : { bracket }),
    });
  }

  #orderMeta(clientOrderId: ClientOrderId, instrumentId: InstrumentId) {
    const now = this.#clock.now();
    return { eventId: this.#eventIds.next(), tsEvent: now, tsInit: now, clientOrderId, instrumentId };
  }

  #marketSpec(
    clientOrderId: ClientOrderId,
    slot: InstrumentSlot,
    side: OrderSide,
    quantity: Decimal,
    reduce: boolean,
  ): MarketOrderSpec {
    return {
      type: "market",
      clientOrderId,
      instrumentId: slot.id,
      side,
      quantity,
      timeInForce: "IOC",
      reduceOnly: reduce && slot.derivative,
    };
  }

  #orderMessage(plan: OrderPlan, quantity: Decimal): string {
    const target = plan.targetQuantity === undefined ? "" : `, target ${plan.targetQuantity.toFixed()}`;
    return `${plan.action}: ${plan.side} ${quantity.toFixed()} ${plan.slot.id} at ~${plan.price.toFixed()} (position ${plan.positionQuantity.toFixed()}${target}, equity ${plan.equity.toFixed()})`;
  }

  /** The portfolio as the risk checks see it: expected positions (position + working entries) at the latest prices. */
  #portfolio(): PortfolioSnapshot {
    const positions: PositionSnapshot[] = [];
    for (const slot of this.cache.slotList) {
      let quantity = slot.position?.quantity ?? ZERO;
      for (const order of slot.open) {
        if (isLeg(order)) continue;
        quantity = order.side === "buy" ? quantity.plus(order.leavesQty) : quantity.minus(order.leavesQty);
      }
      if (quantity.isZero()) continue;
      const mark = slot.priceAsDecimal() ?? slot.position?.avgEntryPrice;
      if (mark === undefined || !mark.gt(0)) continue;
      positions.push({
        instrumentId: slot.id,
        quantity,
        markPrice: mark,
        ...(slot.derivative
          ? { contractSize: (slot.instrument as { contractSize: Decimal }).contractSize }
          : {}),
      });
    }
    return { equity: this.cache.equity(), positions, openOrderCount: this.cache.openOrderCount };
  }
}
