import type {
  ClientOrderId,
  Clock,
  DecimalLike,
  EventId,
  ExecutionPort,
  IdSequence,
  Instrument,
  InstrumentId,
  InstrumentProvider,
  Logger,
  MarketDataEvent,
  MarketDataPort,
} from "@gpt/core";
import { describeValue } from "@gpt/core";
import { type Decimal, parseDecimal } from "@gpt/quantize";
import {
  createRegimeClassifier,
  type Regime,
  type RegimeClassifier,
  type RegimeConfigInput,
  type RegimePresetInterval,
  regimePreset,
} from "@gpt/regime";
import type { RiskConfigInput, RiskEngine } from "@gpt/risk";
import type { Strategy } from "@gpt/strategies";
import { KernelError } from "./errors.js";
import type { EventLog, MemoryEventLogOptions } from "./event-log.js";
import { type OrderSizingOptions, resolveOrderSizing, type SizingHeadroom } from "./order-sizing.js";
import { DECISION_PRICE_RULES, type DecisionPriceRule } from "./prices.js";
import type { SizingOption } from "./sizing.js";
import type { TraderStore } from "./store.js";

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
  /**
   * The run prefix of client order ids: ids are `<runId>-1`, `<runId>-2`, … Default: `"o"` when
   * `venueFeed` is set (a simulated venue lives for one run, so backtests keep `o-1`-style ids);
   * otherwise `"o"` followed by the clock's time at build in base 36 (e.g. `omjuv1c00`), so a bot
   * restarted without a snapshot never repeats an id the venue remembers. Ignored when
   * `clientOrderIds` is given.
   */
  readonly runId?: string;
  /** Client order ids (default: `createClientOrderIdGenerator(runId)`, see `runId`). */
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
   * The persistence port (default: none). Order records are written to it synchronously before
   * their command is sent, and every event is appended after the cache reflects it (see `TraderStore`).
   */
  readonly store?: TraderStore;
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
   * The venue's reservation rule, so opening orders are sized to fit what the venue holds for
   * them: `{ priceBuffer, takerFeeRate, leverage }` (see `OrderSizingOptions`). Default: none,
   * the reference semantics (a fraction-1 spot buy is rejected by a venue that holds the fee).
   */
  readonly orderSizing?: OrderSizingOptions;
  /**
   * Spot buys are sized on `equity / (1 + spotBuyHeadroom)` (default 0: exactly the reference
   * semantics). A venue that holds `qty × price × (1 + buffer) × (1 + fee)` at submit accepts a
   * fraction-1 buy only with `spotBuyHeadroom ≥ (1 + buffer) × (1 + fee) − 1`; with 0 such an
   * order is rejected by the venue, visibly (`OrderRejected` in the log). `orderSizing` does
   * this from the venue's numbers (and sizes derivatives too); give one or the other.
   */
  readonly spotBuyHeadroom?: number;
  /**
   * Which market data sets an instrument's price, the price decisions are sized and valued at
   * (`Decision.price`, the ledger equity, risk's marks): `"last"` (default) the latest of bar
   * close, trade, quote mid and mark by `tsEvent`; `"bar-close"` bar closes only; `"mark"` the
   * venue's mark price, and the latest of the others while an instrument has no mark yet.
   */
  readonly decisionPrice?: DecisionPriceRule;
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

/** A positive safe integer option, or `fallback` when absent. @throws KernelError invalid-options */
export function positiveInteger(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new KernelError("invalid-options", `${field}: must be a positive integer (got ${String(value)})`, {
      context: { field, value },
    });
  }
  return value;
}

/** True when the `eventLog` option is a log rather than options of the in-memory one. */
export function isEventLog(value: EventLog | MemoryEventLogOptions | undefined): value is EventLog {
  return value !== undefined && typeof (value as EventLog).write === "function";
}

/** @internal The decision policies of `TraderOptions`, validated. */
export interface DecisionPolicy {
  /** The order-sizing policy per traded instrument (`orderSizing`, `spotBuyHeadroom`), or undefined for none. */
  readonly headroom: SizingHeadroom | undefined;
  /** `rebalanceThreshold`, or undefined (never rebalance). */
  readonly rebalance: number | undefined;
  /** Opening orders as brackets when the target carries both prices. */
  readonly bracketEntries: boolean;
}

/** @internal Everything `createTrader` validates before building anything. */
export interface ResolvedOptions {
  readonly policy: DecisionPolicy;
  readonly decisionPrice: DecisionPriceRule;
  readonly equityIntervalMs: number;
  readonly equityStep: number;
  readonly rememberFinishedOrders: number;
  readonly atrPeriod: number;
  readonly strategies: readonly Strategy[];
  readonly balance: Decimal;
  readonly currency: string;
  readonly makeClassifier: ((id: InstrumentId) => RegimeClassifier) | undefined;
}

/**
 * Validates the options of `createTrader` that need no other object to exist.
 * @throws KernelError (`invalid-options`).
 */
export function resolveOptions(options: TraderOptions): ResolvedOptions {
  const headroom = nonNegative("spotBuyHeadroom", options.spotBuyHeadroom, 0);
  const rebalance =
    options.rebalanceThreshold === undefined
      ? undefined
      : nonNegative("rebalanceThreshold", options.rebalanceThreshold, 0);
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
  const equityIntervalMs = nonNegative(
    "equityObservationIntervalMs",
    options.equityObservationIntervalMs,
    3_600_000,
  );
  const equityStep = nonNegative("equityObservationStep", options.equityObservationStep, 0.005);
  const rememberFinishedOrders = positiveInteger(
    "rememberFinishedOrders",
    options.rememberFinishedOrders,
    10_000,
  );
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

  const traded: Instrument[] = [];
  for (const s of strategies) {
    for (const id of s.instruments) traded.push(options.instruments.get(id) as Instrument);
  }
  const policy: DecisionPolicy = {
    headroom: resolveOrderSizing(options.orderSizing, headroom, traded),
    rebalance,
    bracketEntries: (options.entryOrders ?? "market") === "bracket",
  };
  const decisionPrice = options.decisionPrice ?? "last";
  if (!DECISION_PRICE_RULES.includes(decisionPrice)) {
    throw new KernelError(
      "invalid-options",
      `decisionPrice: must be "last", "mark" or "bar-close" (got ${describeValue(decisionPrice)})`,
      { context: { field: "decisionPrice", value: decisionPrice } },
    );
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

  return {
    policy,
    decisionPrice,
    equityIntervalMs,
    equityStep,
    rememberFinishedOrders,
    atrPeriod,
    strategies: Object.freeze(strategies),
    balance,
    currency,
    makeClassifier,
  };
}
