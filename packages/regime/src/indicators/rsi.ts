import { checkFinite, checkPeriod } from "../internal/validate.js";
import type { StreamingIndicator } from "../types.js";
import { WilderAverage } from "./ema.js";

/** Options of `Rsi`. */
export interface RsiOptions {
  /** Smoothing period (integer >= 1; 14 is customary). */
  readonly period: number;
}

/**
 * Relative strength index with Wilder's smoothing: average gain and average loss of the
 * close-to-close changes are seeded with the simple mean of the first `period` changes, then
 * `avg += (x - avg) / period`; `RSI = 100 - 100 / (1 + avgGain / avgLoss)`.
 *
 * Flat windows: average loss 0 gives 100, unless the average gain is 0 too, which gives 50 (no
 * movement at all is neither overbought nor oversold).
 *
 * Warm-up: `period + 1` updates (the first update only sets the previous close). Matches
 * trading-signals `RSI` (default Wilder smoothing); technicalindicators rounds its RSI to two
 * decimals, so it agrees only to 0.005.
 */
export class Rsi implements StreamingIndicator<number, number> {
  /** Smoothing period. */
  readonly period: number;
  /** Updates needed before the first value (= period + 1). */
  readonly warmUpPeriod: number;
  private readonly gain: WilderAverage;
  private readonly loss: WilderAverage;
  private previous = 0;
  private count = 0;

  constructor(options: RsiOptions) {
    checkPeriod("period", options.period);
    this.period = options.period;
    this.warmUpPeriod = options.period + 1;
    this.gain = new WilderAverage({ period: options.period });
    this.loss = new WilderAverage({ period: options.period });
  }

  /** Feeds one close. */
  update(close: number): number | undefined {
    checkFinite("value", close);
    if (this.count++ > 0) {
      const change = close - this.previous;
      this.gain.push(Math.max(change, 0));
      this.loss.push(change < 0 ? -change : 0);
    }
    this.previous = close;
    return this.value;
  }

  /** RSI in [0, 100], undefined during warm-up. */
  get value(): number | undefined {
    if (this.count <= this.period) return undefined;
    const avgGain = this.gain.raw;
    const avgLoss = this.loss.raw;
    if (avgLoss === 0) return avgGain === 0 ? 50 : 100;
    return 100 - 100 / (1 + avgGain / avgLoss);
  }

  /** True after `period + 1` updates. */
  get isReady(): boolean {
    return this.count > this.period;
  }

  /** Valid updates seen. */
  get updateCount(): number {
    return this.count;
  }

  /** Forgets all history. */
  reset(): void {
    this.gain.reset();
    this.loss.reset();
    this.previous = 0;
    this.count = 0;
  }
}
