import {
  type Bar,
  type Clock,
  CoreError,
  type FundingRate,
  type InstrumentId,
  ManualClock,
  type Order,
  type Position,
  type UnixMillis,
} from "@gpt/core";
import { type RegimeConfigInput, type RegimeReading, RuleBasedRegimeClassifier } from "@gpt/regime";
import { StrategyError } from "./errors.js";
import { assertValidIntent, NO_INTENTS } from "./intents.js";
import type { Strategy, StrategyContext, StrategyIntent } from "./types.js";

const NO_ORDERS: readonly Order[] = Object.freeze([]);

/** Input of `createStaticContext`; everything is optional. */
export interface StaticContextInput {
  /** The clock (default: a fixed clock at `now`). */
  readonly clock?: Clock;
  /** The time of the fixed clock when no `clock` is given (default 0). */
  readonly now?: UnixMillis;
  /** Regime readings by instrument id. */
  readonly regimes?: Readonly<Record<string, RegimeReading>>;
  /** Positions by instrument id. */
  readonly positions?: Readonly<Record<string, Position>>;
  /** Open orders by instrument id. */
  readonly openOrders?: Readonly<Record<string, readonly Order[]>>;
}

/**
 * A fixed `StrategyContext` for tests and examples: the readings, positions and orders given (by
 * instrument id), and a clock. Unknown instruments have no regime, no position and no orders.
 */
export function createStaticContext(input: StaticContextInput = {}): StrategyContext {
  const now = input.now ?? 0;
  const clock: Clock = input.clock ?? { now: () => now };
  const regimes = input.regimes ?? {};
  const positions = input.positions ?? {};
  const orders = input.openOrders ?? {};
  return {
    clock,
    regime: (id) => (Object.hasOwn(regimes, id) ? regimes[id] : undefined),
    position: (id) => (Object.hasOwn(positions, id) ? positions[id] : undefined),
    openOrders: (id) => (Object.hasOwn(orders, id) ? (orders[id] ?? NO_ORDERS) : NO_ORDERS),
  };
}

/** What `replayStrategy` feeds: bars and funding observations, in time order. */
export type StrategyEvent = Bar | FundingRate;

/** Options of `replayStrategy`. */
export interface ReplayOptions {
  /**
   * Run `@gpt/regime`'s rule-based classifier with this configuration on each instrument's bars
   * (before the strategy sees the bar, as the kernel does) and expose its readings as `ctx.regime`.
   * Without it, `ctx.regime` is always undefined.
   */
  readonly regime?: RegimeConfigInput;
  /** Positions to report (default: none; the replay does not simulate fills). */
  readonly position?: (instrumentId: InstrumentId) => Position | undefined;
}

/** One intent of a replay, with the index of the event that produced it. */
export interface ReplayRecord {
  /** Index into the replayed events. */
  readonly index: number;
  /** The intent (validated with `assertValidIntent`). */
  readonly intent: StrategyIntent;
}

/** Outcome of `replayStrategy`. */
export interface ReplayResult {
  /** Every intent, in emission order. */
  readonly intents: readonly ReplayRecord[];
  /** Events fed. */
  readonly events: number;
}

/**
 * Feeds events to a strategy the way the kernel does (market data, then regime, then strategy) and
 * collects its intents. It is a harness for tests, examples and model training, not a backtester:
 * it does not simulate orders or fills, so `ctx.position` comes from `options.position` (default
 * none). The clock follows each event's `tsEvent`; every intent is checked with `assertValidIntent`.
 *
 * @throws StrategyError (`invalid-input`) when events go back in time.
 */
export function replayStrategy(
  strategy: Strategy,
  events: readonly StrategyEvent[],
  options: ReplayOptions = {},
): ReplayResult {
  const clock = new ManualClock(0);
  const classifiers = new Map<InstrumentId, RuleBasedRegimeClassifier>();
  const regimeConfig = options.regime;
  const position = options.position ?? (() => undefined);
  const ctx: StrategyContext = {
    clock,
    regime: (id) => classifiers.get(id)?.value,
    position,
    openOrders: () => NO_ORDERS,
  };
  const out: ReplayRecord[] = [];
  for (let index = 0; index < events.length; index++) {
    const event = events[index] as StrategyEvent;
    try {
      clock.set(event.tsEvent);
    } catch (cause) {
      if (!(cause instanceof CoreError)) throw cause;
      throw new StrategyError("invalid-input", `event ${index} goes back in time (${event.tsEvent})`, {
        param: "tsEvent",
        value: event.tsEvent,
        context: { index },
        cause,
      });
    }
    let intents: readonly StrategyIntent[];
    switch (event.type) {
      case "Bar": {
        if (regimeConfig !== undefined) {
          let classifier = classifiers.get(event.instrumentId);
          if (classifier === undefined) {
            classifier = new RuleBasedRegimeClassifier(regimeConfig);
            classifiers.set(event.instrumentId, classifier);
          }
          classifier.update(event);
        }
        intents = strategy.onBar(ctx, event);
        break;
      }
      case "FundingRate":
        intents = strategy.onFunding === undefined ? NO_INTENTS : strategy.onFunding(ctx, event);
        break;
      default: {
        const unreachable: never = event;
        throw new StrategyError("invalid-input", `unsupported event at ${index}`, { value: unreachable });
      }
    }
    for (const intent of intents) {
      assertValidIntent(intent);
      out.push({ index, intent });
    }
  }
  return { intents: out, events: events.length };
}
