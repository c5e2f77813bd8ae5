/**
 * `@gpt/regime`: streaming O(1) indicators and a market-regime classifier with hysteresis.
 *
 * Every indicator implements `StreamingIndicator`: `update(input)` returns the new value,
 * `value` is `undefined` until `isReady` (after `warmUpPeriod` updates), bad input throws a
 * `RegimeError`. The classifier (`RuleBasedRegimeClassifier`) combines ADX/DMI, efficiency
 * ratio, EMA separation, realised volatility and drawdown speed into `trend-up`, `trend-down`,
 * `range`, `high-volatility` or `crisis` with a confidence in [0, 1].
 */

export type { Regime, RegimeClassifier, RegimeReading } from "./classifier.js";
export {
  createRegimeClassifier,
  REGIMES,
  RuleBasedRegimeClassifier,
  snapshotReading,
} from "./classifier.js";
export type {
  RegimeConfig,
  RegimeConfigInput,
  RegimeConfigResult,
  RegimePresetInterval,
} from "./config.js";
export {
  barsPerYear24x7,
  parseRegimeConfig,
  regimeConfigSchema,
  regimePreset,
  safeParseRegimeConfig,
} from "./config.js";
export type { RegimeErrorCode } from "./errors.js";
export { isRegimeError, RegimeError } from "./errors.js";
export type { RegimeBar, RegimeFeatureConfig, RegimeFeatures } from "./features.js";
export { RegimeFeatureEngine } from "./features.js";
export type { HmmClassifierOptions, HmmFitOptions, HmmRegimeModel } from "./hmm.js";
export { fitHmmRegimeModel, HMM_FEATURES, HmmRegimeClassifier, hmmRegimeModelSchema } from "./hmm.js";
export type { AdxOptions, AdxValue } from "./indicators/adx.js";
export { Adx } from "./indicators/adx.js";
export type { AtrFirstBar, AtrOptions } from "./indicators/atr.js";
export { Atr, trueRange } from "./indicators/atr.js";
export type { BollingerOptions, BollingerValue } from "./indicators/bollinger.js";
export { BollingerBands } from "./indicators/bollinger.js";
export type { EfficiencyRatioOptions } from "./indicators/efficiency-ratio.js";
export { EfficiencyRatio, RangeEfficiencyRatio } from "./indicators/efficiency-ratio.js";
export type { EmaOptions, EmaSeed } from "./indicators/ema.js";
export { Ema, WilderAverage } from "./indicators/ema.js";
export type { HurstOptions } from "./indicators/hurst.js";
export { DEFAULT_HURST_LAGS, RollingHurst } from "./indicators/hurst.js";
export type { MacdOptions, MacdValue } from "./indicators/macd.js";
export { Macd } from "./indicators/macd.js";
export type { RsiOptions } from "./indicators/rsi.js";
export { Rsi } from "./indicators/rsi.js";
export type { SmaOptions } from "./indicators/sma.js";
export { Sma } from "./indicators/sma.js";
export type { CloseToCloseOptions, VolatilityOptions } from "./indicators/volatility.js";
export {
  CloseToCloseVolatility,
  GarmanKlassVolatility,
  ParkinsonVolatility,
} from "./indicators/volatility.js";
export type { VwapOptions } from "./indicators/vwap.js";
export { Vwap } from "./indicators/vwap.js";
export type { WmaOptions } from "./indicators/wma.js";
export { Wma } from "./indicators/wma.js";
export type { ZScoreOptions } from "./indicators/zscore.js";
export { RollingZScore } from "./indicators/zscore.js";
export type { HlcBar, HlcvBar, OhlcBar, OhlcvBar, StreamingIndicator } from "./types.js";
