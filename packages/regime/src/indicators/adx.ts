import { checkHlc, checkPeriod } from "../internal/validate.js";
import type { HlcBar, StreamingIndicator } from "../types.js";
import { trueRange } from "./atr.js";

/** The directional-movement readings of one bar. */
export interface AdxValue {
  /** Average directional index in [0, 100]: Wilder average of `dx`. */
  readonly adx: number;
  /** +DI in [0, 100]: 100 * smoothed +DM / smoothed true range. */
  readonly plusDi: number;
  /** -DI in [0, 100]: 100 * smoothed -DM / smoothed true range. */
  readonly minusDi: number;
  /** Directional index in [0, 100]: 100 * |+DI - -DI| / (+DI + -DI), 0 when both are 0. */
  readonly dx: number;
  /** The Wilder-smoothed true range (the ATR of the same period, TA-Lib convention). */
  readonly atr: number;
}

/** Options of `Adx`. */
export interface AdxOptions {
  /** Wilder smoothing period for DM, TR and DX (integer >= 1; 14 is customary). */
  readonly period: number;
}

/**
 * ADX / DMI (Wilder), TA-Lib convention:
 *
 * - from the second bar, `up = high - prevHigh`, `down = prevLow - low`; `+DM = up` if
 *   `up > down && up > 0` else 0, `-DM = down` if `down > up && down > 0` else 0 (a tie gives 0 to both);
 * - +DM, -DM and true range are Wilder-smoothed (seeded with the mean of the first `period` values;
 *   averages instead of Wilder's running sums, which leaves the DI ratios unchanged);
 * - ADX is the Wilder average of DX, seeded with the mean of the first `period` DX values.
 *
 * Warm-up: `2 * period` bars (DI exist after `period + 1`, ADX needs `period` of them). Matches
 * technicalindicators `ADX`. trading-signals differs in three ways: its first bar feeds a zero DM and
 * a `high - low` true range into the seeds, a tie `up == down > 0` gives both +DM and -DM, and its DI
 * are fractions of 1; see the package README.
 */
export class Adx implements StreamingIndicator<HlcBar, AdxValue> {
  /** Smoothing period. */
  readonly period: number;
  /** Bars needed before the first value (= 2 * period). */
  readonly warmUpPeriod: number;
  private readonly out = { adx: 0, plusDi: 0, minusDi: 0, dx: 0, atr: 0 };
  private prevHigh = 0;
  private prevLow = 0;
  private prevClose = 0;
  private avgTr = 0;
  private avgPlusDm = 0;
  private avgMinusDm = 0;
  private adxAcc = 0;
  private count = 0;

  constructor(options: AdxOptions) {
    checkPeriod("period", options.period);
    this.period = options.period;
    this.warmUpPeriod = 2 * options.period;
  }

  /** Feeds one bar (high, low, close are read). */
  update(bar: HlcBar): AdxValue | undefined {
    const { high, low, close } = bar;
    checkHlc(high, low, close);
    const c = ++this.count;
    if (c > 1) {
      const n = this.period;
      const up = high - this.prevHigh;
      const down = this.prevLow - low;
      const plusDm = up > down && up > 0 ? up : 0;
      const minusDm = down > up && down > 0 ? down : 0;
      const tr = trueRange(high, low, this.prevClose);
      // k = index of this DM/TR value (1-based).
      const k = c - 1;
      if (k < n) {
        this.avgTr += tr;
        this.avgPlusDm += plusDm;
        this.avgMinusDm += minusDm;
      } else if (k === n) {
        this.avgTr = (this.avgTr + tr) / n;
        this.avgPlusDm = (this.avgPlusDm + plusDm) / n;
        this.avgMinusDm = (this.avgMinusDm + minusDm) / n;
      } else {
        this.avgTr += (tr - this.avgTr) / n;
        this.avgPlusDm += (plusDm - this.avgPlusDm) / n;
        this.avgMinusDm += (minusDm - this.avgMinusDm) / n;
      }
      if (k >= n) {
        const out = this.out;
        const plusDi = this.avgTr > 0 ? (100 * this.avgPlusDm) / this.avgTr : 0;
        const minusDi = this.avgTr > 0 ? (100 * this.avgMinusDm) / this.avgTr : 0;
        const diSum = plusDi + minusDi;
        const dx = diSum > 0 ? (100 * Math.abs(plusDi - minusDi)) / diSum : 0;
        out.plusDi = plusDi;
        out.minusDi = minusDi;
        out.dx = dx;
        out.atr = this.avgTr;
        // j = index of this DX value (1-based).
        const j = k - n + 1;
        if (j < n) this.adxAcc += dx;
        else if (j === n) this.adxAcc = (this.adxAcc + dx) / n;
        else this.adxAcc += (dx - this.adxAcc) / n;
        out.adx = this.adxAcc;
      }
    }
    this.prevHigh = high;
    this.prevLow = low;
    this.prevClose = close;
    return this.value;
  }

  /** The readings (one reused object), undefined during warm-up. */
  get value(): AdxValue | undefined {
    return this.count >= this.warmUpPeriod ? this.out : undefined;
  }

  /** True after `2 * period` bars. */
  get isReady(): boolean {
    return this.count >= this.warmUpPeriod;
  }

  /** Valid updates seen. */
  get updateCount(): number {
    return this.count;
  }

  /** Forgets all history. */
  reset(): void {
    this.prevHigh = 0;
    this.prevLow = 0;
    this.prevClose = 0;
    this.avgTr = 0;
    this.avgPlusDm = 0;
    this.avgMinusDm = 0;
    this.adxAcc = 0;
    this.count = 0;
    const out = this.out;
    out.adx = 0;
    out.plusDi = 0;
    out.minusDi = 0;
    out.dx = 0;
    out.atr = 0;
  }
}
