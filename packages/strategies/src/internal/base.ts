import { type Bar, type InstrumentId, type StrategyId, strategyId } from "@gpt/core";
import { NO_INTENTS } from "../intents.js";
import type {
  Strategy,
  StrategyContext,
  StrategyIntent,
  StrategyOptions,
  TargetPositionIntent,
} from "../types.js";
import { TargetTracker } from "./target.js";

/** The default instance id: `"<name>:<instrumentId>"`. */
function defaultStrategyId(name: string, instrumentId: InstrumentId): StrategyId {
  return strategyId(`${name}:${instrumentId}`);
}

/**
 * Shared plumbing of the single-instrument built-ins: ids, the instrument filter and the standing
 * target. Subclasses implement `handleBar` (and `resetState`).
 */
export abstract class SingleInstrumentStrategy<P> implements Strategy<P> {
  /** Instance id. */
  readonly id: StrategyId;
  /** Registry name. */
  readonly name: string;
  /** Validated parameters. */
  readonly params: P;
  /** The one instrument traded. */
  readonly instrumentId: InstrumentId;
  /** `[instrumentId]`. */
  readonly instruments: readonly InstrumentId[];
  /** Bars needed before the first decision. */
  abstract readonly warmUpBars: number;
  /** The standing target. */
  protected readonly target: TargetTracker;

  constructor(name: string, params: P, options: StrategyOptions) {
    this.name = name;
    this.params = Object.freeze(params);
    this.instrumentId = options.instrumentId;
    this.instruments = Object.freeze([options.instrumentId]);
    this.id = options.strategyId ?? defaultStrategyId(name, options.instrumentId);
    this.target = new TargetTracker(this.id, this.instrumentId);
  }

  /** The standing target (the last intent emitted), if any. */
  get currentTarget(): TargetPositionIntent | undefined {
    return this.target.current;
  }

  /** Ignores bars of other instruments; otherwise `handleBar`. */
  onBar(ctx: StrategyContext, bar: Bar): readonly StrategyIntent[] {
    if (bar.instrumentId !== this.instrumentId) return NO_INTENTS;
    return this.handleBar(ctx, bar);
  }

  /** Forgets indicators and the standing target. */
  reset(): void {
    this.target.reset();
    this.resetState();
  }

  /** The decision logic for one bar of the instrument. */
  protected abstract handleBar(ctx: StrategyContext, bar: Bar): readonly StrategyIntent[];

  /** Resets the subclass's streaming state. */
  protected abstract resetState(): void;
}
