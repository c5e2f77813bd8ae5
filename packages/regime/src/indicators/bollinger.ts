import { RollingMoments } from "../internal/rolling.js";
import { checkFinite, checkParameter, checkPeriod } from "../internal/validate.js";
import type { StreamingIndicator } from "../types.js";

/** Bollinger band readings of one update. */
export interface BollingerValue {
  /** Simple mean of the window. */
  readonly middle: number;
  /** `middle + multiplier * stdDev`. */
  readonly upper: number;
  /** `middle - multiplier * stdDev`. */
  readonly lower: number;
  /** Population standard deviation of the window (divides by `period`). */
  readonly stdDev: number;
  /** `(upper - lower) / middle` (0 when middle is 0). */
  readonly bandwidth: number;
  /** `(value - lower) / (upper - lower)`, 0.5 when the bands have zero width. */
  readonly percentB: number;
}

/** Options of `BollingerBands`. */
export interface BollingerOptions {
  /** Window length (integer >= 1; 20 is customary). */
  readonly period: number;
  /** Band half-width in standard deviations (>= 0, default 2). */
  readonly multiplier?: number;
}

/**
 * Bollinger bands over a rolling window: mean +/- `multiplier` population standard deviations.
 * Mean and variance come from a windowed Welford update with a periodic rebase (O(1), no
 * cancellation, no drift). Warm-up: `period` updates. Matches `BollingerBands` of trading-signals
 * and technicalindicators (both use the population deviation).
 */
export class BollingerBands implements StreamingIndicator<number, BollingerValue> {
  /** Window length. */
  readonly period: number;
  /** Band half-width in standard deviations. */
  readonly multiplier: number;
  /** Updates needed before the first value (= period). */
  readonly warmUpPeriod: number;
  private readonly moments: RollingMoments;
  private readonly out = { middle: 0, upper: 0, lower: 0, stdDev: 0, bandwidth: 0, percentB: 0 };
  private count = 0;

  constructor(options: BollingerOptions) {
    checkPeriod("period", options.period);
    const multiplier = options.multiplier ?? 2;
    checkParameter("multiplier", multiplier, 0);
    this.period = options.period;
    this.multiplier = multiplier;
    this.warmUpPeriod = options.period;
    this.moments = new RollingMoments(options.period);
  }

  /** Feeds one value. */
  update(x: number): BollingerValue | undefined {
    checkFinite("value", x);
    this.moments.push(x);
    if (++this.count < this.period) return undefined;
    const out = this.out;
    const middle = this.moments.mean;
    const stdDev = Math.sqrt(this.moments.m2 / this.period);
    const half = this.multiplier * stdDev;
    out.middle = middle;
    out.stdDev = stdDev;
    out.upper = middle + half;
    out.lower = middle - half;
    out.bandwidth = middle !== 0 ? (2 * half) / middle : 0;
    out.percentB = half > 0 ? (x - out.lower) / (2 * half) : 0.5;
    return out;
  }

  /** The readings (one reused object), undefined during warm-up. */
  get value(): BollingerValue | undefined {
    return this.count >= this.period ? this.out : undefined;
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
    this.count = 0;
  }
}
