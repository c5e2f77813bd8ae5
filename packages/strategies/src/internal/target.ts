import type { InstrumentId, StrategyId, UnixMillis } from "@gpt/core";
import { NO_INTENTS, targetPosition } from "../intents.js";
import type { Direction, StrategyIntent, TargetPositionIntent } from "../types.js";

/**
 * Holds a strategy's standing target and emits a new intent only when the target changes
 * (direction, confidence, size hint, stop or take-profit). Allocates only when it emits.
 */
export class TargetTracker {
  private last: TargetPositionIntent | undefined = undefined;

  constructor(
    private readonly strategyId: StrategyId,
    private readonly instrumentId: InstrumentId,
  ) {}

  /** The standing target (the last one emitted), if any. */
  get current(): TargetPositionIntent | undefined {
    return this.last;
  }

  /** The standing direction (`flat` before the first target). */
  get direction(): Direction {
    return this.last === undefined ? "flat" : this.last.direction;
  }

  /**
   * Proposes a target; returns `[intent]` when it differs from the standing one (or is the first),
   * otherwise the shared empty result. Flat targets drop the size hint, stop and take-profit. The
   * intent's reason is `reason`, or `"<reason>: <detail>"` when a detail is given (concatenated only
   * when an intent is emitted).
   */
  propose(
    direction: Direction,
    confidence: number,
    reason: string,
    tsEvent: UnixMillis,
    sizeFraction?: number,
    stopPrice?: number,
    takeProfitPrice?: number,
    detail?: string,
  ): readonly StrategyIntent[] {
    const flat = direction === "flat";
    const size = flat ? undefined : sizeFraction;
    const stop = flat ? undefined : stopPrice;
    const take = flat ? undefined : takeProfitPrice;
    const last = this.last;
    if (
      last !== undefined &&
      last.direction === direction &&
      last.confidence === confidence &&
      last.sizeFraction === size &&
      last.stopPrice === stop &&
      last.takeProfitPrice === take
    ) {
      return NO_INTENTS;
    }
    const intent = targetPosition({
      strategyId: this.strategyId,
      instrumentId: this.instrumentId,
      direction,
      confidence,
      sizeFraction: size,
      stopPrice: stop,
      takeProfitPrice: take,
      reason: detail === undefined ? reason : `${reason}: ${detail}`,
      tsEvent,
    });
    this.last = intent;
    return [intent];
  }

  /**
   * Re-emits a child's target under this tracker's ids with another confidence (meta-strategies);
   * same change rule. The reason becomes `"<reason>: <child's reason>"`.
   */
  adopt(
    target: TargetPositionIntent,
    confidence: number,
    reason: string,
    tsEvent: UnixMillis,
  ): readonly StrategyIntent[] {
    return this.propose(
      target.direction,
      confidence,
      reason,
      tsEvent,
      target.sizeFraction,
      target.stopPrice,
      target.takeProfitPrice,
      target.reason,
    );
  }

  /** Forgets the standing target. */
  reset(): void {
    this.last = undefined;
  }
}

/** The last `TargetPosition` among `intents`, or `previous` when there is none. */
export function latestTarget(
  intents: readonly StrategyIntent[],
  previous: TargetPositionIntent | undefined,
): TargetPositionIntent | undefined {
  let latest = previous;
  for (const intent of intents) {
    if (intent.type === "TargetPosition") latest = intent;
  }
  return latest;
}
