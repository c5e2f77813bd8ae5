/**
 * `@gpt/sizing`: how much to trade. Fractional Kelly, confidence-scaled, volatility-target (ATR or
 * realized volatility), fixed-risk, fixed-fraction and fixed-notional sizing, combined with a
 * regime multiplier, capped (leverage, notional, margin, instrument limits) and quantized down to
 * the instrument's size step. Pure functions; results are `sized` or `skip` with the steps.
 */

export type { ConfidenceCurve } from "./confidence.js";
export { confidenceMultiplier, LINEAR_CONFIDENCE } from "./confidence.js";
export type {
  SizingAmountInput,
  SizingConfig,
  SizingConfigInput,
  SizingMethodConfig,
  SizingObservations,
} from "./config.js";
export { parseSizingConfig, SizingConfigSchema, sizeWithConfig } from "./config.js";
export type { SizingErrorCode, SizingErrorOptions, SizingIssue } from "./errors.js";
export { isSizingError, SizingError } from "./errors.js";
export type {
  AtrMethod,
  AtrParams,
  AtrSizingInput,
  FixedFractionMethod,
  FixedFractionParams,
  FixedFractionSizingInput,
  FixedNotionalMethod,
  FixedNotionalParams,
  FixedNotionalSizingInput,
  FixedRiskMethod,
  FixedRiskParams,
  FixedRiskSizingInput,
  KellyMethod,
  KellyParams,
  KellySizingInput,
  RealizedVolatilityMethod,
  RealizedVolatilityParams,
  RealizedVolatilitySizingInput,
  SizePositionInput,
  SizingCaps,
  SizingContext,
  SizingMethod,
} from "./inputs.js";
export type {
  FractionalKellyOptions,
  KellyEstimate,
  KellyFraction,
  MomentsEstimate,
  WinRateEstimate,
} from "./kelly.js";
export {
  DEFAULT_KELLY_MULTIPLIER,
  DEFAULT_MAX_KELLY_FRACTION,
  fractionalKelly,
  kellyFromMoments,
  kellyFromWinRate,
} from "./kelly.js";
export type { MoneyInput, NumericInput } from "./numbers.js";
export type {
  CapName,
  CapStep,
  ConfidenceCurveKind,
  ConfidenceStep,
  KellyStep,
  QuantizeStep,
  RegimeStep,
  RiskStep,
  Sized,
  SizingMethodKind,
  SizingResult,
  SizingStep,
  Skip,
  SkipReason,
  TargetStep,
  VolatilityStep,
} from "./result.js";
export { SKIP_REASONS } from "./result.js";
export {
  sizeByAtr,
  sizeByFixedFraction,
  sizeByFixedNotional,
  sizeByFixedRisk,
  sizeByKelly,
  sizeByRealizedVolatility,
  sizePosition,
} from "./size.js";
