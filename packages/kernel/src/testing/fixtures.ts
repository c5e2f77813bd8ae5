/** Test fixtures of the kernel (not exported from the package): instruments, bars, strategies. */
import {
  type Bar,
  createBar,
  createPerpetualInstrument,
  createSpotInstrument,
  createStaticInstrumentProvider,
  type Instrument,
  type InstrumentId,
  ManualClock,
  MINUTE_MS,
  type Order,
  type Position,
  type StrategyId,
  strategyId,
} from "@gpt/core";
import type { Direction, Strategy, StrategyContext, StrategyIntent } from "@gpt/strategies";
import { createMemoryEventLog, type MemoryEventLog } from "../event-log.js";
import type { TraderEvent } from "../events.js";
import { createTrader, type Trader, type TraderOptions } from "../trader.js";
import { BarVenue, type BarVenueOptions } from "./bar-venue.js";

/** BTC-USD spot on a test venue: 0.01 tick, 0.001 size step, 0.6 % taker fee. */
export const BTC = createSpotInstrument({
  symbol: "BTC-USD",
  venue: "TEST",
  baseCurrency: "BTC",
  quoteCurrency: "USD",
  priceIncrement: "0.01",
  sizeIncrement: "0.001",
  minSize: "0.001",
  maxSize: "1000",
  minNotional: "1",
  makerFee: "0.004",
  takerFee: "0.006",
});

/** ETH-USD spot: 0.01 tick, 0.01 size step, 0.6 % taker fee. */
export const ETH = createSpotInstrument({
  symbol: "ETH-USD",
  venue: "TEST",
  baseCurrency: "ETH",
  quoteCurrency: "USD",
  priceIncrement: "0.01",
  sizeIncrement: "0.01",
  minSize: "0.01",
  maxSize: "10000",
  minNotional: "1",
  makerFee: "0.004",
  takerFee: "0.006",
});

/** A perpetual settled in USD (contract size 0.01 BTC). */
export const PERP = createPerpetualInstrument({
  symbol: "BTC-PERP",
  venue: "TEST",
  baseCurrency: "BTC",
  quoteCurrency: "USD",
  priceIncrement: "0.5",
  sizeIncrement: "1",
  minSize: "1",
  maxSize: "100000",
  makerFee: "0.0002",
  takerFee: "0.0005",
  contractSize: "0.01",
  initialMarginFraction: "0.1",
  maintenanceMarginFraction: "0.05",
  maxLeverage: "10",
  fundingIntervalMs: 3_600_000,
});

/** 2026-01-01T00:00Z. */
export const T0 = 1_767_225_600_000;

/** One-minute bars from `[open, close]` pairs (high/low bracket them by 0.5). */
export function barsFrom(
  instrumentId: InstrumentId,
  prices: readonly (readonly [number, number])[],
  start = T0,
): Bar[] {
  return prices.map(([open, close], i) =>
    createBar({
      instrumentId,
      intervalMs: MINUTE_MS,
      tsOpen: start + i * MINUTE_MS,
      open,
      close,
      high: Math.max(open, close) + 0.5,
      low: Math.min(open, close) - 0.5,
      volume: 10,
    }),
  );
}

/** One-minute bars from closes; each bar opens at the previous close (the first at its close). */
export function barsFromCloses(instrumentId: InstrumentId, closes: readonly number[], start = T0): Bar[] {
  return barsFrom(
    instrumentId,
    closes.map((c, i) => [i === 0 ? c : (closes[i - 1] as number), c] as const),
    start,
  );
}

const NONE: readonly StrategyIntent[] = Object.freeze([]);

/** What a scripted strategy saw at one bar. */
export interface Observation {
  readonly bar: Bar;
  readonly position: Position | undefined;
  readonly openOrders: readonly Order[];
  readonly now: number;
}

/**
 * A strategy that emits `script(bar, index)` targets (a direction, or undefined for nothing) and
 * records what the context showed it at every bar.
 */
export class ScriptedStrategy implements Strategy<undefined> {
  readonly id: StrategyId;
  readonly name = "scripted";
  readonly params = undefined;
  readonly instruments: readonly InstrumentId[];
  readonly warmUpBars = 0;
  readonly seen: Observation[] = [];
  #count = new Map<InstrumentId, number>();

  constructor(
    instruments: readonly InstrumentId[],
    readonly script: (bar: Bar, index: number) => Direction | undefined,
    readonly extra: {
      readonly sizeFraction?: number;
      readonly confidence?: number;
      readonly stopPrice?: number;
      readonly takeProfitPrice?: number;
      readonly id?: string;
    } = {},
  ) {
    this.instruments = instruments;
    this.id = strategyId(extra.id ?? "scripted");
  }

  onBar(ctx: StrategyContext, bar: Bar): readonly StrategyIntent[] {
    const index = this.#count.get(bar.instrumentId) ?? 0;
    this.#count.set(bar.instrumentId, index + 1);
    this.seen.push({
      bar,
      position: ctx.position(bar.instrumentId),
      openOrders: ctx.openOrders(bar.instrumentId),
      now: ctx.clock.now(),
    });
    const direction = this.script(bar, index);
    if (direction === undefined) return NONE;
    return [
      {
        type: "TargetPosition",
        strategyId: this.id,
        instrumentId: bar.instrumentId,
        direction,
        confidence: this.extra.confidence ?? 1,
        ...(direction !== "flat" && this.extra.sizeFraction !== undefined
          ? { sizeFraction: this.extra.sizeFraction }
          : {}),
        ...(direction !== "flat" && this.extra.stopPrice !== undefined
          ? { stopPrice: this.extra.stopPrice }
          : {}),
        ...(direction !== "flat" && this.extra.takeProfitPrice !== undefined
          ? { takeProfitPrice: this.extra.takeProfitPrice }
          : {}),
        reason: `scripted ${direction}`,
        tsEvent: bar.tsEvent,
      },
    ];
  }
}

/** A kernel wired to a `BarVenue` over a manual clock, fed bar by bar. */
export interface Harness {
  readonly clock: ManualClock;
  readonly venue: BarVenue;
  readonly trader: Trader;
  readonly log: MemoryEventLog;
  /** Sets the clock to each bar's close and feeds it (venue first, through `venueFeed`). */
  feed(bars: readonly Bar[]): void;
  /** The logged events of one type. */
  ofType<T extends TraderEvent["type"]>(type: T): Extract<TraderEvent, { type: T }>[];
}

/** Builds a `Harness`: `BarVenue` (cash `cash`), unbounded memory log, `venueFeed` wired. */
export function harness(
  options: Omit<
    TraderOptions,
    "clock" | "execution" | "instruments" | "account" | "venueFeed" | "eventLog"
  > & {
    readonly instruments?: readonly Instrument[];
    readonly cash?: string;
    readonly venue?: Omit<BarVenueOptions, "instruments" | "cash">;
  },
): Harness {
  const instruments = options.instruments ?? [BTC];
  const cash = options.cash ?? "10000";
  const clock = new ManualClock(T0);
  const venue = new BarVenue({ instruments, cash, ...options.venue });
  const log = createMemoryEventLog({ capacity: "unbounded" });
  const { instruments: _i, cash: _c, venue: _v, ...rest } = options;
  const trader = createTrader({
    ...rest,
    clock,
    execution: venue,
    instruments: createStaticInstrumentProvider(instruments),
    account: cash,
    venueFeed: (event) => {
      if (event.type === "Bar") venue.onBar(event);
    },
    eventLog: log,
  }).start();
  return {
    clock,
    venue,
    trader,
    log,
    feed(bars) {
      for (const bar of bars) {
        if (bar.tsEvent > clock.now()) clock.set(bar.tsEvent);
        trader.onBar(bar);
      }
    },
    ofType<T extends TraderEvent["type"]>(type: T) {
      return log.events().filter((e): e is Extract<TraderEvent, { type: T }> => e.type === type);
    },
  };
}
