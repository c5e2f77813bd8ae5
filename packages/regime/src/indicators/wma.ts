import { FloatRing } from "../internal/rolling.js";
import { checkFinite, checkPeriod } from "../internal/validate.js";
import type { StreamingIndicator } from "../types.js";

/** Options of `Wma`. */
export interface WmaOptions {
  /** Window length in updates (integer >= 1). */
  readonly period: number;
}

/**
 * Linearly weighted moving average: the newest value has weight `period`, the oldest weight 1,
 * divided by `period * (period + 1) / 2`.
 *
 * O(1) update: with `S` the window sum and `W` the weighted sum, adding `x` and dropping `old`
 * gives `W' = W - S + period * x` and `S' = S - old + x`. Both are rebased every `period` updates
 * onto sums accumulated afresh over the current window (the k-th value since the rebase gets
 * weight k), so rounding error never builds up. Warm-up: `period` updates. Matches `WMA` of
 * trading-signals and technicalindicators.
 */
export class Wma implements StreamingIndicator<number, number> {
  /** Window length. */
  readonly period: number;
  /** Updates needed before the first value (= period). */
  readonly warmUpPeriod: number;
  private readonly ring: FloatRing;
  private readonly denominator: number;
  private sum = 0;
  private weighted = 0;
  private freshSum = 0;
  private freshWeighted = 0;
  private freshCount = 0;
  private count = 0;

  constructor(options: WmaOptions) {
    checkPeriod("period", options.period);
    this.period = options.period;
    this.warmUpPeriod = options.period;
    this.ring = new FloatRing(options.period);
    this.denominator = (options.period * (options.period + 1)) / 2;
  }

  /** Feeds one value. */
  update(x: number): number | undefined {
    checkFinite("value", x);
    const n = this.period;
    const evicted = this.ring.push(x);
    const c = ++this.count;
    if (!Number.isNaN(evicted)) {
      this.weighted += n * x - this.sum;
      this.sum += x - evicted;
    } else {
      this.weighted += c * x;
      this.sum += x;
    }
    const k = ++this.freshCount;
    this.freshSum += x;
    this.freshWeighted += k * x;
    if (k === n) {
      this.sum = this.freshSum;
      this.weighted = this.freshWeighted;
      this.freshSum = 0;
      this.freshWeighted = 0;
      this.freshCount = 0;
    }
    return this.value;
  }

  /** The weighted mean, undefined during warm-up. */
  get value(): number | undefined {
    return this.count >= this.period ? this.weighted / this.denominator : undefined;
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
    this.ring.clear();
    this.sum = 0;
    this.weighted = 0;
    this.freshSum = 0;
    this.freshWeighted = 0;
    this.freshCount = 0;
    this.count = 0;
  }
}
