import { RollingMoments } from "../internal/rolling.js";
import { checkFinite, checkPeriod } from "../internal/validate.js";
import type { StreamingIndicator } from "../types.js";

/** Options of `RollingZScore`. */
export interface ZScoreOptions {
  /** Window length, including the current value (integer >= 2). */
  readonly period: number;
}

/**
 * Rolling z-score of the latest value against the window that ends with it:
 * `(x - mean) / stdDev` with the population standard deviation (divides by `period`). A window
 * without variance gives 0. Warm-up: `period` updates. Matches trading-signals' `getZScore` applied
 * to the same window (which throws on a window without variance instead of returning 0).
 */
export class RollingZScore implements StreamingIndicator<number, number> {
  /** Window length. */
  readonly period: number;
  /** Updates needed before the first value (= period). */
  readonly warmUpPeriod: number;
  private readonly moments: RollingMoments;
  private last = 0;
  private count = 0;

  constructor(options: ZScoreOptions) {
    checkPeriod("period", options.period, 2);
    this.period = options.period;
    this.warmUpPeriod = options.period;
    this.moments = new RollingMoments(options.period);
  }

  /** Feeds one value. */
  update(x: number): number | undefined {
    checkFinite("value", x);
    this.moments.push(x);
    this.last = x;
    this.count++;
    return this.value;
  }

  /** The z-score, undefined during warm-up. */
  get value(): number | undefined {
    if (this.count < this.period) return undefined;
    const sd = Math.sqrt(this.moments.m2 / this.period);
    return sd > 0 ? (this.last - this.moments.mean) / sd : 0;
  }

  /** Window mean (NaN-free; meaningful once ready). */
  get mean(): number {
    return this.moments.mean;
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
    this.moments.clear();
    this.last = 0;
    this.count = 0;
  }
}
