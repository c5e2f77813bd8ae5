import { FloatRing, RollingExtremum, RollingSum } from "../internal/rolling.js";
import { checkFinite, checkHlc, checkPeriod } from "../internal/validate.js";
import type { HlcBar, StreamingIndicator } from "../types.js";

/** Options of `EfficiencyRatio` and `RangeEfficiencyRatio`. */
export interface EfficiencyRatioOptions {
  /** Lookback (integer >= 1): price changes for `EfficiencyRatio`, bars for `RangeEfficiencyRatio`. */
  readonly period: number;
}

/**
 * Kaufman's efficiency ratio: `|close_t - close_{t-period}| / sum(|close_i - close_{i-1}|)` over the
 * last `period` changes, in [0, 1]; 1 is a straight line, near 0 is noise. A window without movement
 * gives 0. Warm-up: `period + 1` closes. Neither reference library has this definition (it is the
 * ratio inside KAMA); it is checked against a direct computation.
 */
export class EfficiencyRatio implements StreamingIndicator<number, number> {
  /** Lookback in price changes. */
  readonly period: number;
  /** Closes needed before the first value (= period + 1). */
  readonly warmUpPeriod: number;
  private readonly closes: FloatRing;
  private readonly path: RollingSum;
  private count = 0;

  constructor(options: EfficiencyRatioOptions) {
    checkPeriod("period", options.period);
    this.period = options.period;
    this.warmUpPeriod = options.period + 1;
    this.closes = new FloatRing(options.period + 1);
    this.path = new RollingSum(options.period);
  }

  /** Feeds one close. */
  update(close: number): number | undefined {
    checkFinite("value", close);
    if (this.count++ > 0) this.path.push(Math.abs(close - this.closes.ago(0)));
    this.closes.push(close);
    return this.value;
  }

  /** The ratio in [0, 1], undefined during warm-up. */
  get value(): number | undefined {
    if (this.count <= this.period) return undefined;
    const path = this.path.sum;
    if (!(path > 0)) return 0;
    const ratio = Math.abs(this.closes.ago(0) - this.closes.oldest) / path;
    // The rebased path sum and the endpoints are rounded separately; keep the ratio in range.
    return Math.min(ratio, 1);
  }

  /** The signed net change over the window (close_t - close_{t-period}); NaN during warm-up. */
  get netChange(): number {
    return this.count > this.period ? this.closes.ago(0) - this.closes.oldest : Number.NaN;
  }

  /** True after `period + 1` closes. */
  get isReady(): boolean {
    return this.count > this.period;
  }

  /** Valid updates seen. */
  get updateCount(): number {
    return this.count;
  }

  /** Forgets all history. */
  reset(): void {
    this.closes.clear();
    this.path.clear();
    this.count = 0;
  }
}

/**
 * Range efficiency ratio (trading-signals' `ER`): over the last `period` bars,
 * `|close_last - close_first| / (highest high - lowest low)`, 0 when the range is 0. Rolling
 * high/low use monotonic deques (amortised O(1)). Warm-up: `period` bars. Matches trading-signals `ER`.
 */
export class RangeEfficiencyRatio implements StreamingIndicator<HlcBar, number> {
  /** Lookback in bars. */
  readonly period: number;
  /** Bars needed before the first value (= period). */
  readonly warmUpPeriod: number;
  private readonly closes: FloatRing;
  private readonly highest: RollingExtremum;
  private readonly lowest: RollingExtremum;
  private count = 0;

  constructor(options: EfficiencyRatioOptions) {
    checkPeriod("period", options.period);
    this.period = options.period;
    this.warmUpPeriod = options.period;
    this.closes = new FloatRing(options.period);
    this.highest = new RollingExtremum(options.period, "max");
    this.lowest = new RollingExtremum(options.period, "min");
  }

  /** Feeds one bar (high, low, close are read). */
  update(bar: HlcBar): number | undefined {
    const { high, low, close } = bar;
    checkHlc(high, low, close);
    this.closes.push(close);
    this.highest.push(high);
    this.lowest.push(low);
    this.count++;
    return this.value;
  }

  /** The ratio, undefined during warm-up. */
  get value(): number | undefined {
    if (this.count < this.period) return undefined;
    const range = this.highest.extremum - this.lowest.extremum;
    if (range === 0) return 0;
    return Math.abs(this.closes.ago(0) - this.closes.oldest) / range;
  }

  /** True after `period` bars. */
  get isReady(): boolean {
    return this.count >= this.period;
  }

  /** Valid updates seen. */
  get updateCount(): number {
    return this.count;
  }

  /** Forgets all history. */
  reset(): void {
    this.closes.clear();
    this.highest.clear();
    this.lowest.clear();
    this.count = 0;
  }
}
