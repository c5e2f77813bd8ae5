import type { Bar } from "@gpt/core";
import * as z from "@gpt/core/validation";
import {
  Atr,
  parseRegimeConfig,
  type Regime,
  type RegimeConfig,
  type RegimeConfigInput,
  RegimeError,
  type RegimeReading,
  RollingZScore,
  Rsi,
  RuleBasedRegimeClassifier,
  regimePreset,
} from "@gpt/regime";
import { issuesOf, StrategyError } from "@gpt/strategies";

/** Identifier of the feature set (a model trained on another set is refused). */
export const FEATURE_SCHEMA_ID = "gpt-selector-features";

/** Version of the feature definitions below; bump it whenever a feature's meaning changes. */
export const FEATURE_SCHEMA_VERSION = 1;

/** The regimes in the order of their one-hot features. */
export const FEATURE_REGIMES: readonly Regime[] = [
  "crisis",
  "high-volatility",
  "trend-up",
  "trend-down",
  "range",
];

/** Schema of the feature parameters (what `createFeatureSchema` accepts), built on first use. */
const featureParamsZod = /* @__PURE__ */ z.memo(() => {
  const window = (fallback: number, min = 1) =>
    z._default(z.int().check(z.minimum(min), z.maximum(100_000)), fallback);
  return z
    .strictObject({
      /** Regime classifier configuration (default: `regimePreset("1h")`). */
      regime: z.optional(z.record(z.string(), z.unknown())),
      /** Lookbacks (bars) of the log-return features, ascending, distinct. */
      returnLookbacks: z._default(
        z.array(z.int().check(z.minimum(1), z.maximum(100_000))).check(z.minLength(1), z.maxLength(16)),
        [1, 6, 24],
      ),
      /** Window of the close z-score. */
      zScorePeriod: window(20, 2),
      /** RSI period. */
      rsiPeriod: window(14),
      /** ATR period (ATR as a fraction of the close). */
      atrPeriod: window(14),
    })
    .check(
      z.superRefine((p, ctx) => {
        for (let i = 1; i < p.returnLookbacks.length; i++) {
          if ((p.returnLookbacks[i] as number) <= (p.returnLookbacks[i - 1] as number)) {
            ctx.addIssue({
              code: "custom",
              path: ["returnLookbacks", i],
              input: p.returnLookbacks[i],
              message: "returnLookbacks must be strictly increasing",
            });
          }
        }
      }),
    );
});

/** Input of `createFeatureSchema`: every field optional. */
export interface FeatureParamsInput {
  /** Regime classifier configuration (default `regimePreset("1h")`). */
  readonly regime?: RegimeConfigInput;
  /** Log-return lookbacks in bars, strictly increasing (default `[1, 6, 24]`). */
  readonly returnLookbacks?: readonly number[];
  /** Close z-score window (default 20). */
  readonly zScorePeriod?: number;
  /** RSI period (default 14). */
  readonly rsiPeriod?: number;
  /** ATR period (default 14). */
  readonly atrPeriod?: number;
}

/** The resolved feature parameters (the regime configuration fully defaulted). */
export interface FeatureParams {
  /** Full regime classifier configuration. */
  readonly regime: RegimeConfig;
  /** Log-return lookbacks in bars. */
  readonly returnLookbacks: readonly number[];
  /** Close z-score window. */
  readonly zScorePeriod: number;
  /** RSI period. */
  readonly rsiPeriod: number;
  /** ATR period. */
  readonly atrPeriod: number;
}

/**
 * The declared feature schema a model is trained with and saved with: an id, a version, the
 * feature names in column order and the parameters that produce them.
 */
export interface FeatureSchema {
  /** `FEATURE_SCHEMA_ID`. */
  readonly id: string;
  /** `FEATURE_SCHEMA_VERSION` at training time. */
  readonly version: number;
  /** Column names, in order. */
  readonly names: readonly string[];
  /** Parameters of the feature extractor. */
  readonly params: FeatureParams;
}

/** The feature names produced for the given parameters, in column order. */
export function featureNames(params: FeatureParams): string[] {
  return [
    ...FEATURE_REGIMES.map((r) => `regime.${r}`),
    "regime.confidence",
    "regime.age",
    ...params.returnLookbacks.map((k) => `return.${k}`),
    "vol.annualized",
    "vol.ratio",
    "adx",
    "di.spread",
    "efficiency",
    "trend.separation",
    "drawdown.z",
    `zscore.${params.zScorePeriod}`,
    `rsi.${params.rsiPeriod}`,
    `atr-pct.${params.atrPeriod}`,
  ];
}

/**
 * Validates feature parameters and returns the schema (id, version, names, resolved parameters).
 * @throws StrategyError (`invalid-params`, strategy `"ml-selector"`) naming the bad field.
 */
export function createFeatureSchema(input: FeatureParamsInput = {}): FeatureSchema {
  const parsed = z.safeParse(featureParamsZod(), input);
  if (!parsed.success) {
    const issues = issuesOf(parsed.error, "features.");
    const first = issues[0];
    throw new StrategyError(
      "invalid-params",
      `invalid feature parameters: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
      { strategy: "ml-selector", issues, ...(first ? { param: first.path, value: first.value } : {}) },
    );
  }
  let regime: RegimeConfig;
  try {
    regime = parseRegimeConfig(parsed.data.regime ?? regimePreset("1h"));
  } catch (cause) {
    if (!(cause instanceof RegimeError)) throw cause;
    throw new StrategyError(
      "invalid-params",
      `invalid feature parameters: regime.${cause.field}: ${cause.message}`,
      {
        strategy: "ml-selector",
        param: `features.regime.${cause.field}`,
        value: cause.value,
        cause,
      },
    );
  }
  const params: FeatureParams = {
    regime,
    returnLookbacks: [...parsed.data.returnLookbacks],
    zScorePeriod: parsed.data.zScorePeriod,
    rsiPeriod: parsed.data.rsiPeriod,
    atrPeriod: parsed.data.atrPeriod,
  };
  return { id: FEATURE_SCHEMA_ID, version: FEATURE_SCHEMA_VERSION, names: featureNames(params), params };
}

/**
 * Streaming feature extractor of the ML selector, O(1) per bar. It owns its regime classifier
 * (configured by the schema), so training and live trading see the same regimes whatever the
 * kernel's own classifier is. Features, in order (version 1):
 *
 * - `regime.<r>`: one-hot of the classifier's regime; `regime.confidence`; `regime.age` = ln(1 + bars in regime);
 * - `return.<k>`: log return over the last k bars;
 * - `vol.annualized`, `vol.ratio`, `adx` (/100), `di.spread` ((+DI − −DI)/100), `efficiency`,
 *   `trend.separation`, `drawdown.z`: the classifier's features;
 * - `zscore.<p>`: z-score of the close over p bars; `rsi.<p>` (/100); `atr-pct.<p>`: ATR / close.
 */
export class SelectorFeatures {
  /** The schema these features follow. */
  readonly schema: FeatureSchema;
  /** Bars before the first feature vector. */
  readonly warmUpBars: number;
  private readonly classifier: RuleBasedRegimeClassifier;
  private readonly zScore: RollingZScore;
  private readonly rsi: Rsi;
  private readonly atr: Atr;
  private readonly closes: Float64Array;
  private readonly lookbacks: readonly number[];
  private readonly out: Float64Array;
  private count = 0;

  constructor(schema: FeatureSchema) {
    this.schema = schema;
    const p = schema.params;
    this.classifier = new RuleBasedRegimeClassifier(p.regime);
    this.zScore = new RollingZScore({ period: p.zScorePeriod });
    this.rsi = new Rsi({ period: p.rsiPeriod });
    this.atr = new Atr({ period: p.atrPeriod });
    this.lookbacks = p.returnLookbacks;
    const maxLookback = p.returnLookbacks[p.returnLookbacks.length - 1] as number;
    this.closes = new Float64Array(maxLookback + 1);
    this.out = new Float64Array(schema.names.length);
    this.warmUpBars = Math.max(
      this.classifier.warmUpPeriod,
      maxLookback + 1,
      p.zScorePeriod,
      p.rsiPeriod + 1,
      p.atrPeriod + 1,
    );
  }

  /** The classifier's latest reading (a reused object), undefined during its warm-up. */
  get regime(): RegimeReading | undefined {
    return this.classifier.value;
  }

  /** Bars seen. */
  get barCount(): number {
    return this.count;
  }

  /**
   * Feeds one bar; returns the feature vector (one reused array, overwritten by the next call) or
   * undefined during warm-up.
   */
  update(bar: Bar): Float64Array | undefined {
    const reading = this.classifier.update(bar);
    const z = this.zScore.update(bar.close);
    const rsi = this.rsi.update(bar.close);
    const atr = this.atr.update(bar);
    const ring = this.closes;
    const size = ring.length;
    ring[this.count % size] = bar.close;
    this.count++;
    if (
      reading === undefined ||
      z === undefined ||
      rsi === undefined ||
      atr === undefined ||
      this.count < size
    ) {
      return undefined;
    }
    const out = this.out;
    let i = 0;
    for (const r of FEATURE_REGIMES) out[i++] = reading.regime === r ? 1 : 0;
    out[i++] = reading.confidence;
    out[i++] = Math.log1p(reading.barsInRegime);
    const last = this.count - 1;
    for (const k of this.lookbacks) {
      out[i++] = Math.log(bar.close / (ring[(last - k) % size] as number));
    }
    const f = reading.features;
    out[i++] = f.annualizedVol;
    out[i++] = f.volRatio;
    out[i++] = f.adx / 100;
    out[i++] = (f.plusDi - f.minusDi) / 100;
    out[i++] = f.efficiencyRatio;
    out[i++] = f.trendSeparation;
    out[i++] = f.drawdownZ;
    out[i++] = z;
    out[i++] = rsi / 100;
    out[i++] = atr / bar.close;
    return out;
  }

  /** Forgets all history. */
  reset(): void {
    this.classifier.reset();
    this.zScore.reset();
    this.rsi.reset();
    this.atr.reset();
    this.closes.fill(0);
    this.count = 0;
  }
}
