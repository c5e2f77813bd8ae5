import { RollingMoments, RollingSum } from "../internal/rolling.js";
import { checkHighLow, checkParameter, checkPeriod, checkPositive } from "../internal/validate.js";
import type { OhlcBar, StreamingIndicator } from "../types.js";

/** `1 / (4 ln 2)`, Parkinson's scaling of the squared log range. */
const PARKINSON_FACTOR = 1 / (4 * Math.LN2);
/** `2 ln 2 - 1`, the close-open weight of Garman-Klass. */
const GARMAN_KLASS_CO = 2 * Math.LN2 - 1;

/** Options shared by the realized-volatility estimators. */
export interface VolatilityOptions {
  /** Window length in bars (returns for close-to-close). */
  readonly period: number;
  /**
   * Bars per year used to annualise (`vol * sqrt(barsPerYear)`): 525600 for 1m bars, 8760 for 1h
   * crypto bars (24/7). Default 1: the value is per bar.
   */
  readonly barsPerYear?: number;
}

/** Options of `CloseToCloseVolatility`. */
export interface CloseToCloseOptions extends VolatilityOptions {
  /**
   * `true` (default): sample standard deviation of the log returns (divides by `period - 1`,
   * needs period >= 2). `false`: root mean square of the log returns (zero-mean convention of
   * high-frequency realised variance, divides by `period`).
   */
  readonly demean?: boolean;
}

function annualisation(options: VolatilityOptions): number {
  const barsPerYear = options.barsPerYear ?? 1;
  checkParameter("barsPerYear", barsPerYear, 0, true);
  return barsPerYear;
}

/**
 * Close-to-close realised volatility: the standard deviation (or RMS) of the last `period` log
 * returns `ln(close_t / close_{t-1})`, times `sqrt(barsPerYear)`.
 *
 * Warm-up: `period + 1` closes. Neither reference library has it; it is checked against a direct
 * two-pass computation.
 */
export class CloseToCloseVolatility implements StreamingIndicator<number, number> {
  /** Window length in returns. */
  readonly period: number;
  /** Bars per year used for annualisation. */
  readonly barsPerYear: number;
  /** Whether the window mean is removed. */
  readonly demean: boolean;
  /** Closes needed before the first value (= period + 1). */
  readonly warmUpPeriod: number;
  private readonly moments: RollingMoments | undefined;
  private readonly squares: RollingSum | undefined;
  private readonly scale: number;
  private previous = 0;
  private last = Number.NaN;
  private count = 0;

  constructor(options: CloseToCloseOptions) {
    const demean = options.demean ?? true;
    checkPeriod("period", options.period, demean ? 2 : 1);
    this.period = options.period;
    this.barsPerYear = annualisation(options);
    this.demean = demean;
    this.warmUpPeriod = options.period + 1;
    this.moments = demean ? new RollingMoments(options.period) : undefined;
    this.squares = demean ? undefined : new RollingSum(options.period);
    this.scale = this.barsPerYear / (demean ? options.period - 1 : options.period);
  }

  /** Feeds one close (must be > 0). */
  update(close: number): number | undefined {
    checkPositive("value", close);
    if (this.count++ > 0) {
      const r = Math.log(close / this.previous);
      this.last = r;
      if (this.moments !== undefined) this.moments.push(r);
      else this.squares?.push(r * r);
    }
    this.previous = close;
    return this.value;
  }

  /** The last log return (NaN before the second close). */
  get lastReturn(): number {
    return this.last;
  }

  /** Volatility (annualised when `barsPerYear` was given), undefined during warm-up. */
  get value(): number | undefined {
    if (this.count <= this.period) return undefined;
    const sumSq = this.moments !== undefined ? this.moments.m2 : (this.squares?.sum ?? 0);
    return Math.sqrt(Math.max(sumSq, 0) * this.scale);
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
    this.moments?.clear();
    this.squares?.clear();
    this.previous = 0;
    this.last = Number.NaN;
    this.count = 0;
  }
}

function checkOhlc(bar: OhlcBar): void {
  checkPositive("open", bar.open);
  checkPositive("high", bar.high);
  checkPositive("low", bar.low);
  checkPositive("close", bar.close);
  checkHighLow(bar.high, bar.low);
}

/**
 * Parkinson range volatility: `sqrt(mean(ln(high/low)^2) / (4 ln 2) * barsPerYear)` over the last
 * `period` bars. Uses the intrabar range, about five times as efficient as close-to-close for a
 * driftless diffusion. Warm-up: `period` bars. Checked against a direct computation.
 */
export class ParkinsonVolatility implements StreamingIndicator<OhlcBar, number> {
  /** Window length in bars. */
  readonly period: number;
  /** Bars per year used for annualisation. */
  readonly barsPerYear: number;
  /** Bars needed before the first value (= period). */
  readonly warmUpPeriod: number;
  private readonly squares: RollingSum;
  private readonly scale: number;
  private count = 0;

  constructor(options: VolatilityOptions) {
    checkPeriod("period", options.period);
    this.period = options.period;
    this.barsPerYear = annualisation(options);
    this.warmUpPeriod = options.period;
    this.squares = new RollingSum(options.period);
    this.scale = (PARKINSON_FACTOR * this.barsPerYear) / options.period;
  }

  /** Feeds one bar (prices must be > 0, high >= low). */
  update(bar: OhlcBar): number | undefined {
    checkOhlc(bar);
    const u = Math.log(bar.high / bar.low);
    this.squares.push(u * u);
    this.count++;
    return this.value;
  }

  /** Volatility (annualised when `barsPerYear` was given), undefined during warm-up. */
  get value(): number | undefined {
    if (this.count < this.period) return undefined;
    const s = this.squares.sum;
    return Math.sqrt(Math.max(s, 0) * this.scale);
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
    this.squares.clear();
    this.count = 0;
  }
}

/**
 * Garman-Klass volatility: per bar `0.5 ln(high/low)^2 - (2 ln 2 - 1) ln(close/open)^2`, averaged
 * over the last `period` bars, square-rooted (a negative mean, possible only when closes or opens lie outside the high-low range, reads 0)
 * and annualised. Assumes no drift and no opening gap. Warm-up: `period` bars. Checked against a
 * direct computation.
 */
export class GarmanKlassVolatility implements StreamingIndicator<OhlcBar, number> {
  /** Window length in bars. */
  readonly period: number;
  /** Bars per year used for annualisation. */
  readonly barsPerYear: number;
  /** Bars needed before the first value (= period). */
  readonly warmUpPeriod: number;
  private readonly terms: RollingSum;
  private readonly scale: number;
  private count = 0;

  constructor(options: VolatilityOptions) {
    checkPeriod("period", options.period);
    this.period = options.period;
    this.barsPerYear = annualisation(options);
    this.warmUpPeriod = options.period;
    this.terms = new RollingSum(options.period);
    this.scale = this.barsPerYear / options.period;
  }

  /** Feeds one bar (prices must be > 0, high >= low). */
  update(bar: OhlcBar): number | undefined {
    checkOhlc(bar);
    const u = Math.log(bar.high / bar.low);
    const c = Math.log(bar.close / bar.open);
    this.terms.push(0.5 * u * u - GARMAN_KLASS_CO * c * c);
    this.count++;
    return this.value;
  }

  /** Volatility (annualised when `barsPerYear` was given), undefined during warm-up. */
  get value(): number | undefined {
    if (this.count < this.period) return undefined;
    const s = this.terms.sum;
    return Math.sqrt(Math.max(s, 0) * this.scale);
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
    this.terms.clear();
    this.count = 0;
  }
}
