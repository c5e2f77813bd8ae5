import { parseRegimeConfig, type RegimeConfig, type RegimeConfigInput } from "./config.js";
import { type RegimeBar, RegimeFeatureEngine, type RegimeFeatures } from "./features.js";

/** The market regimes the classifiers distinguish. */
export type Regime = "trend-up" | "trend-down" | "range" | "high-volatility" | "crisis";

/** Every regime, in the classifier's priority order (first match wins). */
export const REGIMES: readonly Regime[] = ["crisis", "high-volatility", "trend-up", "trend-down", "range"];

/**
 * One classification. The classifier reuses a single reading object (and its `features`); copy
 * it with `snapshotReading` if you keep it past the next update.
 */
export interface RegimeReading {
  /** The regime after hysteresis. */
  readonly regime: Regime;
  /**
   * How strongly the current features support `regime`, in [0, 1]: 0 when they sit at the exit
   * thresholds (or no longer support it while hysteresis holds it), 0.5 at the enter thresholds, 1
   * one hysteresis band beyond them. For `range`: 1 minus the strongest trend/volatility evidence.
   */
  readonly confidence: number;
  /** Index (0-based count of bars fed) of the bar at which `regime` started. */
  readonly since: number;
  /** `tsEvent` of the bar at which `regime` started, when the bars carry one. */
  readonly sinceTsEvent: number | undefined;
  /** Bars in the current regime, including this one. */
  readonly barsInRegime: number;
  /** The regime the features point to before hysteresis (differs from `regime` while a switch is pending). */
  readonly rawRegime: Regime;
  /** The features this reading was derived from. */
  readonly features: RegimeFeatures;
}

/** What every regime classifier offers (the rule-based one and the optional learned one). */
export interface RegimeClassifier {
  /** Feeds one bar; returns the reading, or undefined during warm-up. */
  update(bar: RegimeBar): RegimeReading | undefined;
  /** The latest reading, undefined during warm-up. */
  readonly value: RegimeReading | undefined;
  /** True once the classifier produces readings. */
  readonly isReady: boolean;
  /** Bars needed before the first reading. */
  readonly warmUpPeriod: number;
  /** Valid bars seen. */
  readonly updateCount: number;
  /** Forgets all history. */
  reset(): void;
}

/** A deep copy of a reading that later updates will not overwrite. */
export function snapshotReading(reading: RegimeReading): RegimeReading {
  return { ...reading, features: { ...reading.features } };
}

interface MutableReading {
  regime: Regime;
  confidence: number;
  since: number;
  sinceTsEvent: number | undefined;
  barsInRegime: number;
  rawRegime: Regime;
  features: RegimeFeatures;
}

/**
 * Evidence that `x >= enter` (held while `x >= exit`): 0 at `exit`, 0.5 at `enter`, 1 one band
 * (`enter - exit`) beyond, clipped to [0, 1].
 */
function evidence(x: number, enter: number, exit: number): number {
  const width = enter > exit ? enter - exit : Math.max(Math.abs(enter) * 0.1, 1e-9);
  const s = 0.5 + (0.5 * (x - enter)) / width;
  return s < 0 ? 0 : Math.min(s, 1);
}

/**
 * The rule-based regime classifier.
 *
 * Features per bar (all O(1)): log return; short volatility (RMS of the last `shortVolWindow` log
 * returns); long-run volatility (EWMA of squared log returns with half-life `longVolHalfLife`);
 * their ratio; drawdown from the highest close of the last `drawdownWindow` bars, in long-run
 * sigmas over that window; ADX/DMI; Kaufman efficiency ratio; fast-minus-slow EMA in ATRs.
 *
 * Raw regime, first match in priority order (the current regime is tested with its exit
 * thresholds, every other with its enter thresholds):
 *
 * 1. `crisis`: drawdownZ <= -drawdownZEnter and volRatio >= crisis.volRatioEnter;
 * 2. `high-volatility`: volRatio >= highVol.volRatioEnter (and annualised vol >= minAnnualizedVol);
 *    a crisis that ends falls back here while the ratio stays above highVol.volRatioExit;
 * 3. `trend-up` / `trend-down`: ADX >= adxEnter, efficiency >= efficiencyEnter and
 *    |separation| >= separationEnter, direction from the sign of the separation;
 * 4. `range` otherwise.
 *
 * Hysteresis: besides the enter/exit bands, a new raw regime must persist `confirmBars` bars and the
 * current one must have lasted `minDwellBars` bars before a switch; a crisis switches at once when
 * `crisisImmediate`. Deterministic: the same bars give the same readings.
 */
export class RuleBasedRegimeClassifier implements RegimeClassifier {
  /** The validated configuration in use. */
  readonly config: RegimeConfig;
  /** Bars needed before the first reading. */
  readonly warmUpPeriod: number;
  private readonly engine: RegimeFeatureEngine;
  private readonly features: RegimeFeatures;
  private readonly reading: MutableReading;
  private ready = false;
  private pending: Regime | undefined = undefined;
  private pendingCount = 0;

  /** Validates `config` (see `parseRegimeConfig`; throws `RegimeError` on a bad field). */
  constructor(config: RegimeConfigInput) {
    const c = parseRegimeConfig(config);
    this.config = c;
    this.engine = new RegimeFeatureEngine(c);
    this.features = this.engine.features;
    this.warmUpPeriod = this.engine.warmUpPeriod;
    this.reading = {
      regime: "range",
      confidence: 0,
      since: 0,
      sinceTsEvent: undefined,
      barsInRegime: 0,
      rawRegime: "range",
      features: this.features,
    };
  }

  /** Feeds one bar (high, low, close; tsEvent if present). */
  update(bar: RegimeBar): RegimeReading | undefined {
    const index = this.engine.updateCount;
    if (!this.engine.update(bar)) return undefined;
    const c = this.config;

    const reading = this.reading;
    if (!this.ready) {
      this.ready = true;
      const raw = this.rawRegime(undefined);
      reading.regime = raw;
      reading.rawRegime = raw;
      reading.since = index;
      reading.sinceTsEvent = bar.tsEvent;
      reading.barsInRegime = 1;
      reading.confidence = this.confidenceOf(raw);
      return reading;
    }

    const current = reading.regime;
    const raw = this.rawRegime(current);
    reading.rawRegime = raw;
    reading.barsInRegime++;
    if (raw === current) {
      this.pending = undefined;
      this.pendingCount = 0;
    } else {
      if (raw === this.pending) this.pendingCount++;
      else {
        this.pending = raw;
        this.pendingCount = 1;
      }
      const h = c.hysteresis;
      const immediate = raw === "crisis" && h.crisisImmediate;
      if (immediate || (this.pendingCount >= h.confirmBars && reading.barsInRegime > h.minDwellBars)) {
        reading.regime = raw;
        reading.since = index;
        reading.sinceTsEvent = bar.tsEvent;
        reading.barsInRegime = 1;
        this.pending = undefined;
        this.pendingCount = 0;
      }
    }
    reading.confidence = this.confidenceOf(reading.regime);
    return reading;
  }

  /** The raw regime given the current one (which is tested with its exit thresholds). */
  private rawRegime(current: Regime | undefined): Regime {
    const f = this.features;
    const { trend, highVol, crisis } = this.config;
    const inCrisis = current === "crisis";
    if (
      inCrisis
        ? f.volRatio >= crisis.volRatioExit && f.drawdownZ <= -crisis.drawdownZExit
        : f.volRatio >= crisis.volRatioEnter && f.drawdownZ <= -crisis.drawdownZEnter
    ) {
      return "crisis";
    }
    const volatile = inCrisis || current === "high-volatility";
    if (
      (volatile ? f.volRatio >= highVol.volRatioExit : f.volRatio >= highVol.volRatioEnter) &&
      f.annualizedVol >= highVol.minAnnualizedVol
    ) {
      return "high-volatility";
    }
    const { adxEnter, adxExit, efficiencyEnter, efficiencyExit, separationEnter, separationExit } = trend;
    const strongEnter = f.adx >= adxEnter || f.efficiencyRatio >= efficiencyEnter;
    const strongExit = f.adx >= adxExit || f.efficiencyRatio >= efficiencyExit;
    const sep = f.trendSeparation;
    if (
      current === "trend-up" ? strongExit && sep >= separationExit : strongEnter && sep >= separationEnter
    ) {
      return "trend-up";
    }
    if (
      current === "trend-down" ? strongExit && -sep >= separationExit : strongEnter && -sep >= separationEnter
    ) {
      return "trend-down";
    }
    return "range";
  }

  /** Trend strength evidence: the stronger of ADX and efficiency ratio. */
  private trendStrength(): number {
    const f = this.features;
    const t = this.config.trend;
    return Math.max(
      evidence(f.adx, t.adxEnter, t.adxExit),
      evidence(f.efficiencyRatio, t.efficiencyEnter, t.efficiencyExit),
    );
  }

  /** Evidence for `regime` from the current features, in [0, 1]. */
  private confidenceOf(regime: Regime): number {
    const f = this.features;
    const { trend, highVol, crisis } = this.config;
    switch (regime) {
      case "crisis":
        return Math.min(
          evidence(-f.drawdownZ, crisis.drawdownZEnter, crisis.drawdownZExit),
          evidence(f.volRatio, crisis.volRatioEnter, crisis.volRatioExit),
        );
      case "high-volatility":
        return evidence(f.volRatio, highVol.volRatioEnter, highVol.volRatioExit);
      case "trend-up":
      case "trend-down": {
        const sign = regime === "trend-up" ? 1 : -1;
        return Math.min(
          this.trendStrength(),
          evidence(sign * f.trendSeparation, trend.separationEnter, trend.separationExit),
        );
      }
      case "range": {
        const trendEvidence = Math.min(
          this.trendStrength(),
          evidence(Math.abs(f.trendSeparation), trend.separationEnter, trend.separationExit),
        );
        const volEvidence = evidence(f.volRatio, highVol.volRatioEnter, highVol.volRatioExit);
        return 1 - Math.max(trendEvidence, volEvidence);
      }
      default: {
        const unreachable: never = regime;
        return unreachable;
      }
    }
  }

  /** The latest reading (one reused object), undefined during warm-up. */
  get value(): RegimeReading | undefined {
    return this.ready ? this.reading : undefined;
  }

  /** True once readings are produced. */
  get isReady(): boolean {
    return this.ready;
  }

  /** Valid bars seen. */
  get updateCount(): number {
    return this.engine.updateCount;
  }

  /** Forgets all history. */
  reset(): void {
    this.engine.reset();
    this.ready = false;
    this.pending = undefined;
    this.pendingCount = 0;
    const r = this.reading;
    r.regime = "range";
    r.rawRegime = "range";
    r.confidence = 0;
    r.since = 0;
    r.sinceTsEvent = undefined;
    r.barsInRegime = 0;
  }
}

/** Creates the rule-based classifier for a configuration (validated; throws `RegimeError`). */
export function createRegimeClassifier(config: RegimeConfigInput): RegimeClassifier {
  return new RuleBasedRegimeClassifier(config);
}
