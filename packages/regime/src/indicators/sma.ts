import { RollingSum } from "../internal/rolling.js";
import { checkFinite, checkPeriod } from "../internal/validate.js";
import type { StreamingIndicator } from "../types.js";

/** Options of `Sma`. */
export interface SmaOptions {
  /** Window length in updates (integer >= 1). */
  readonly period: number;
}

/**
 * Simple moving average: the arithmetic mean of the last `period` values.
 *
 * Warm-up: `period` updates. Cost: O(1) per update (running sum with rebase, see the package
 * README). Matches `SMA` of trading-signals and technicalindicators.
 */
export class Sma implements StreamingIndicator<number, number> {
  /** Window length. */
  readonly period: number;
  /** Updates needed before the first value (= period). */
  readonly warmUpPeriod: number;
  private readonly sum: RollingSum;
  private count = 0;

  constructor(options: SmaOptions) {
    checkPeriod("period", options.period);
    this.period = options.period;
    this.warmUpPeriod = options.period;
    this.sum = new RollingSum(options.period);
  }

  /** Feeds one value. */
  update(x: number): number | undefined {
    checkFinite("value", x);
    this.sum.push(x);
    this.count++;
    return this.value;
  }

  /** The mean of the last `period` values, undefined during warm-up. */
  get value(): number | undefined {
    return this.count >= this.period ? this.sum.sum / this.period : undefined;
  }

  /** True after `period` updates. */
  get isReady(): boolean {
    return this.count >= this.period;
  }

  /** Valid updates seen. */
  get updateCount(): number {
    return this.count;
  }

  /** Forgets all history. */
  reset(): void {
    this.sum.clear();
    this.count = 0;
  }
}
