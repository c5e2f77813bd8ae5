import { checkHlc, checkPeriod } from "../internal/validate.js";
import type { HlcBar, StreamingIndicator } from "../types.js";
import { WilderAverage } from "./ema.js";

/**
 * True range of a bar: `max(high - low, |high - previousClose|, |low - previousClose|)`, or
 * `high - low` when there is no previous close (pass NaN).
 */
export function trueRange(high: number, low: number, previousClose: number): number {
  const hl = high - low;
  if (Number.isNaN(previousClose)) return hl;
  const hc = Math.abs(high - previousClose);
  const lc = Math.abs(low - previousClose);
  return hl >= hc ? Math.max(hl, lc) : Math.max(hc, lc);
}

/**
 * What the first bar contributes to ATR.
 *
 * - `skip` (TA-Lib, technicalindicators): the first bar only provides the previous close; true
 *   ranges start at the second bar, so the first value needs `period + 1` bars.
 * - `high-low` (trading-signals): the first bar's true range is its `high - low` and counts as one
 *   of the `period` seed values, so the first value needs `period` bars.
 */
export type AtrFirstBar = "skip" | "high-low";

/** Options of `Atr`. */
export interface AtrOptions {
  /** Wilder smoothing period (integer >= 1; 14 is customary). */
  readonly period: number;
  /** First-bar convention (default `skip`). */
  readonly firstBar?: AtrFirstBar;
}

/**
 * Average true range with Wilder's smoothing (seeded with the simple mean of the first `period`
 * true ranges). Warm-up: `period + 1` bars (`firstBar: "skip"`) or `period` bars
 * (`firstBar: "high-low"`). Matches technicalindicators `ATR` (skip) and trading-signals `ATR`
 * (high-low).
 */
export class Atr implements StreamingIndicator<HlcBar, number> {
  /** Smoothing period. */
  readonly period: number;
  /** First-bar convention. */
  readonly firstBar: AtrFirstBar;
  /** Bars needed before the first value. */
  readonly warmUpPeriod: number;
  private readonly average: WilderAverage;
  private previousClose = Number.NaN;
  private count = 0;

  constructor(options: AtrOptions) {
    checkPeriod("period", options.period);
    this.period = options.period;
    this.firstBar = options.firstBar ?? "skip";
    this.warmUpPeriod = this.firstBar === "skip" ? options.period + 1 : options.period;
    this.average = new WilderAverage({ period: options.period });
  }

  /** Feeds one bar (high, low, close are read). */
  update(bar: HlcBar): number | undefined {
    const { high, low, close } = bar;
    checkHlc(high, low, close);
    if (this.count++ > 0 || this.firstBar === "high-low") {
      this.average.push(trueRange(high, low, this.previousClose));
    }
    this.previousClose = close;
    return this.value;
  }

  /** The average true range, undefined during warm-up. */
  get value(): number | undefined {
    return this.count >= this.warmUpPeriod ? this.average.raw : undefined;
  }

  /** True after `warmUpPeriod` bars. */
  get isReady(): boolean {
    return this.count >= this.warmUpPeriod;
  }

  /** Valid updates seen. */
  get updateCount(): number {
    return this.count;
  }

  /** Forgets all history. */
  reset(): void {
    this.average.reset();
    this.previousClose = Number.NaN;
    this.count = 0;
  }
}
