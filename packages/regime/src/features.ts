import type { RegimeConfig } from "./config.js";
import { Adx } from "./indicators/adx.js";
import { EfficiencyRatio } from "./indicators/efficiency-ratio.js";
import { Ema } from "./indicators/ema.js";
import { RollingExtremum, RollingSum } from "./internal/rolling.js";
import { checkHighLow, checkPositive } from "./internal/validate.js";
import type { OhlcvBar } from "./types.js";

/** The bar fields a regime classifier reads. */
export type RegimeBar = Pick<OhlcvBar, "high" | "low" | "close"> & { readonly tsEvent?: number };

/** The features behind a reading, all computed from the bars seen so far. */
export interface RegimeFeatures {
  /** Log return of the last close. */
  readonly logReturn: number;
  /** Short realised volatility (zero-mean RMS of `shortVolWindow` log returns), annualised. */
  readonly annualizedVol: number;
  /** Long-run volatility (EWMA of squared log returns, half-life `longVolHalfLife`), annualised. */
  readonly longRunAnnualizedVol: number;
  /** `annualizedVol / longRunAnnualizedVol` (1 when the long-run volatility is 0). */
  readonly volRatio: number;
  /** `ln(close / highest close of the last drawdownWindow bars)`, <= 0. */
  readonly drawdown: number;
  /** `drawdown / (long-run per-bar vol * sqrt(drawdownWindow))`: how many sigmas the drop is. */
  readonly drawdownZ: number;
  /** ADX in [0, 100]. */
  readonly adx: number;
  /** +DI in [0, 100]. */
  readonly plusDi: number;
  /** -DI in [0, 100]. */
  readonly minusDi: number;
  /** Kaufman efficiency ratio in [0, 1]. */
  readonly efficiencyRatio: number;
  /** `(fast EMA - slow EMA) / ATR`: signed trend separation in average true ranges. */
  readonly trendSeparation: number;
}

/** Writable view of `RegimeFeatures` (internal). */
export type MutableFeatures = { -readonly [K in keyof RegimeFeatures]: RegimeFeatures[K] };

/** The feature windows of a configuration (what `RegimeFeatureEngine` reads). */
export type RegimeFeatureConfig = Pick<
  RegimeConfig,
  | "barsPerYear"
  | "adxPeriod"
  | "efficiencyPeriod"
  | "emaFastPeriod"
  | "emaSlowPeriod"
  | "shortVolWindow"
  | "longVolHalfLife"
  | "drawdownWindow"
>;

/**
 * Computes `RegimeFeatures` bar by bar in O(1): ADX/DMI (whose smoothed true range is the ATR),
 * fast and slow EMA, Kaufman efficiency ratio, short volatility (RMS of log returns over
 * `shortVolWindow`), long-run volatility (EWMA of squared log returns, half-life
 * `longVolHalfLife`, seeded with the mean of its first `longVolHalfLife` values) and the
 * drawdown from the highest close of the last `drawdownWindow` bars. Shared by every classifier
 * so that they see identical features. `features` is one live object, overwritten on each update.
 */
export class RegimeFeatureEngine {
  /** Bars needed before the features are defined. */
  readonly warmUpPeriod: number;
  /** The live feature object (valid once `isReady`). */
  readonly features: RegimeFeatures;
  private readonly live: MutableFeatures = {
    logReturn: 0,
    annualizedVol: 0,
    longRunAnnualizedVol: 0,
    volRatio: 1,
    drawdown: 0,
    drawdownZ: 0,
    adx: 0,
    plusDi: 0,
    minusDi: 0,
    efficiencyRatio: 0,
    trendSeparation: 0,
  };
  private readonly shortVolWindow: number;
  private readonly adx: Adx;
  private readonly emaFast: Ema;
  private readonly emaSlow: Ema;
  private readonly efficiency: EfficiencyRatio;
  private readonly shortSquares: RollingSum;
  private readonly longVariance: Ema;
  private readonly highs: RollingExtremum;
  private readonly sqrtBarsPerYear: number;
  private readonly drawdownScale: number;
  private previousClose = 0;
  private count = 0;

  /** `config` must already be validated (e.g. the output of `parseRegimeConfig`). */
  constructor(config: RegimeFeatureConfig) {
    const c = config;
    this.features = this.live;
    this.shortVolWindow = c.shortVolWindow;
    this.adx = new Adx({ period: c.adxPeriod });
    this.emaFast = new Ema({ period: c.emaFastPeriod });
    this.emaSlow = new Ema({ period: c.emaSlowPeriod });
    this.efficiency = new EfficiencyRatio({ period: c.efficiencyPeriod });
    this.shortSquares = new RollingSum(c.shortVolWindow);
    this.longVariance = new Ema({ period: c.longVolHalfLife, alpha: 1 - 2 ** (-1 / c.longVolHalfLife) });
    this.highs = new RollingExtremum(c.drawdownWindow, "max");
    this.sqrtBarsPerYear = Math.sqrt(c.barsPerYear);
    this.drawdownScale = Math.sqrt(c.drawdownWindow);
    this.warmUpPeriod = Math.max(
      2 * c.adxPeriod,
      c.emaSlowPeriod,
      c.efficiencyPeriod + 1,
      c.shortVolWindow + 1,
      c.longVolHalfLife + 1,
      c.drawdownWindow,
    );
  }

  /**
   * Feeds one bar (prices finite and > 0, high >= low; otherwise `RegimeError` and no state
   * change). Returns true when `features` is defined after it.
   */
  update(bar: RegimeBar): boolean {
    const { high, low, close } = bar;
    checkPositive("high", high);
    checkPositive("low", low);
    checkPositive("close", close);
    checkHighLow(high, low);
    const index = this.count++;
    const f = this.live;
    const adx = this.adx.update(bar);
    const fast = this.emaFast.update(close);
    const slow = this.emaSlow.update(close);
    const efficiency = this.efficiency.update(close);
    const maxClose = this.highs.push(close);
    if (index > 0) {
      const r = Math.log(close / this.previousClose);
      f.logReturn = r;
      this.shortSquares.push(r * r);
      this.longVariance.update(r * r);
    }
    this.previousClose = close;
    const longVar = this.longVariance.value;
    if (
      this.count < this.warmUpPeriod ||
      adx === undefined ||
      fast === undefined ||
      slow === undefined ||
      efficiency === undefined ||
      longVar === undefined
    ) {
      return false;
    }
    const shortVol = Math.sqrt(this.shortSquares.sum / this.shortVolWindow);
    const longVol = Math.sqrt(longVar);
    f.annualizedVol = shortVol * this.sqrtBarsPerYear;
    f.longRunAnnualizedVol = longVol * this.sqrtBarsPerYear;
    f.volRatio = longVol > 0 ? shortVol / longVol : 1;
    const drawdown = Math.log(close / maxClose);
    f.drawdown = drawdown;
    f.drawdownZ = longVol > 0 ? drawdown / (longVol * this.drawdownScale) : 0;
    f.adx = adx.adx;
    f.plusDi = adx.plusDi;
    f.minusDi = adx.minusDi;
    f.efficiencyRatio = efficiency;
    f.trendSeparation = adx.atr > 0 ? (fast - slow) / adx.atr : 0;
    return true;
  }

  /** True once the features are defined. */
  get isReady(): boolean {
    return this.count >= this.warmUpPeriod;
  }

  /** Valid bars seen. */
  get updateCount(): number {
    return this.count;
  }

  /** Forgets all history. */
  reset(): void {
    this.adx.reset();
    this.emaFast.reset();
    this.emaSlow.reset();
    this.efficiency.reset();
    this.shortSquares.clear();
    this.longVariance.reset();
    this.highs.clear();
    this.previousClose = 0;
    this.count = 0;
  }
}
