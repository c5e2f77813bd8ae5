import type {
  Bar,
  Clock,
  FundingRate,
  InstrumentId,
  Order,
  Position,
  StrategyId,
  UnixMillis,
} from "@gpt/core";
import type { RegimeReading } from "@gpt/regime";

/** Which way a strategy wants to be: long, short or out of the market. */
export type Direction = "long" | "short" | "flat";

/** Every direction, in a fixed order. */
export const DIRECTIONS: readonly Direction[] = ["long", "short", "flat"];

/**
 * "Be this way on this instrument": the standing target of a strategy.
 *
 * A target carries **no size in units**. How much to buy is the job of `@gpt/sizing` (it reads
 * `confidence`, `sizeFraction` and `stopPrice`), rounding to the instrument's increments is the job of
 * `@gpt/quantize`, and whether it may be done at all is the job of `@gpt/risk`. Keeping units out of
 * strategies is what lets the same strategy run unchanged on any account size, in a backtest, on
 * paper and live.
 *
 * Built-in strategies emit a target only **when it changes** (direction, stop, take-profit, size
 * hint or confidence); the kernel treats the latest target per strategy and instrument as standing
 * until the next one.
 */
export interface TargetPositionIntent {
  /** Discriminant. */
  readonly type: "TargetPosition";
  /** The strategy that wants it. */
  readonly strategyId: StrategyId;
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** The wanted direction; `flat` means close any position. */
  readonly direction: Direction;
  /** How sure the strategy is, in [0, 1] (sizing may scale by it). Exits carry 1. */
  readonly confidence: number;
  /** Optional size hint: fraction of equity to commit (> 0). Sizing may cap or ignore it. */
  readonly sizeFraction?: number;
  /** Optional protective stop price (> 0): the level at which the strategy would exit. */
  readonly stopPrice?: number;
  /** Optional take-profit price (> 0). */
  readonly takeProfitPrice?: number;
  /** Why, in a few words (`"sma-cross: fast above slow"`). For logs and reports, not for parsing. */
  readonly reason: string;
  /** Time of the event that produced the decision (a bar's close time, a funding observation's time). */
  readonly tsEvent: UnixMillis;
}

/**
 * "Cancel my working orders on this instrument". Built-in strategies never emit it (a new target
 * supersedes the orders of the previous one, which the kernel cancels); it exists for custom
 * strategies that manage resting orders themselves.
 */
export interface CancelOrdersIntent {
  /** Discriminant. */
  readonly type: "CancelOrders";
  /** The strategy whose orders to cancel. */
  readonly strategyId: StrategyId;
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** Why. */
  readonly reason: string;
  /** Time of the event that produced the decision. */
  readonly tsEvent: UnixMillis;
}

/** What a strategy returns: a discriminated union on `type`; handle it with an exhaustive `switch`. */
export type StrategyIntent = TargetPositionIntent | CancelOrdersIntent;

/**
 * The read-only view of the world a strategy gets on every call. The kernel implements it in the
 * backtest, on paper and live; `createStaticContext` and `replayStrategy` implement it for tests
 * and examples. Objects returned by the context may be reused by the provider: read them during
 * the call, do not keep them.
 */
export interface StrategyContext {
  /** The clock of the environment (simulated in a backtest, the wall clock live). */
  readonly clock: Clock;
  /**
   * The current regime reading of an instrument from `@gpt/regime`'s classifier, or `undefined`
   * before its warm-up (or when the environment runs no classifier for that instrument).
   */
  regime(instrumentId: InstrumentId): RegimeReading | undefined;
  /** The strategy's position on an instrument, or `undefined` when it has none (flat). */
  position(instrumentId: InstrumentId): Position | undefined;
  /** The strategy's open orders on an instrument (empty when none). */
  openOrders(instrumentId: InstrumentId): readonly Order[];
}

/**
 * The strategy contract: the kernel calls it for every bar (and every funding observation) of the
 * instruments it trades, in time order.
 *
 * Rules every implementation follows (the parity rule depends on them):
 * - **no I/O**, no `Date.now()`, no `Math.random()`: it sees only the context and the event;
 * - **causal**: a decision at an event depends only on that event and the ones before it;
 * - **cheap**: `onBar` is O(1) per bar and allocates only when it emits;
 * - it may keep streaming state (indicators from `@gpt/regime`); `reset()` forgets it.
 *
 * Returned arrays must not be mutated by the caller (built-ins return a shared frozen empty array
 * when they have nothing to say).
 */
export interface Strategy<P = unknown> {
  /** Unique id of this instance (intents carry it). */
  readonly id: StrategyId;
  /** Registry name of the strategy kind (`"sma-cross"`). */
  readonly name: string;
  /** The validated parameters (defaults filled in). */
  readonly params: P;
  /** The instruments it trades; the kernel sends it bars of these only. */
  readonly instruments: readonly InstrumentId[];
  /** Bars of history needed before the first bar-driven decision (a hint for loading history). */
  readonly warmUpBars: number;
  /** Handles one closed bar; returns the intents it emits (usually none). */
  onBar(ctx: StrategyContext, bar: Bar): readonly StrategyIntent[];
  /** Handles a funding-rate observation of a perpetual (strategies that ignore funding omit it). */
  onFunding?(ctx: StrategyContext, funding: FundingRate): readonly StrategyIntent[];
  /** Forgets all streaming state: the instance behaves as if newly created. */
  reset?(): void;
  /**
   * The target the strategy holds now (its last target, kept through warm-up), or `undefined`
   * when it holds none. A host reads it after warming a restarted strategy up from history, so
   * the current signal is acted on at once instead of at its next change. Optional; the built-in
   * strategies have it.
   */
  readonly currentTarget?: TargetPositionIntent | undefined;
}

/** Options every strategy constructor and `createStrategy` take besides the parameters. */
export interface StrategyOptions {
  /** The instrument to trade. */
  readonly instrumentId: InstrumentId;
  /** The instance id (default `"<name>:<instrumentId>"`). */
  readonly strategyId?: StrategyId;
}
