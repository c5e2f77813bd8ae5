import type { Decimal } from "@gpt/quantize";

/** The sizing methods, as the `kind` of a `SizingMethod` and of a configured method. */
export type SizingMethodKind =
  | "kelly"
  | "fixed-fraction"
  | "fixed-notional"
  | "atr"
  | "realized-volatility"
  | "fixed-risk";

/** The confidence curves (see `ConfidenceCurve`). */
export type ConfidenceCurveKind = "linear" | "power" | "smoothstep";

/**
 * The limits a size can be capped by, in the order they are applied:
 *
 * - `maxNotional`: `caps.maxNotional`.
 * - `maxLeverage`: `equity × caps.maxLeverage`.
 * - `instrumentMaxLeverage`: `equity × instrument.maxLeverage` (derivatives) or `equity × 1` (spot
 *   cannot be levered).
 * - `availableMargin`: the margin the position ties up must fit in `caps.availableMargin`
 *   (`notional × initialMarginFraction`, and `notional / caps.maxLeverage` when that is given; for
 *   spot the whole notional).
 * - `instrumentMaxNotional`: `instrument.maxNotional`, the venue's largest order notional.
 * - `instrumentMaxSize`: `instrument.maxSize × price × contractSize`, the venue's largest order.
 */
export type CapName =
  | "maxNotional"
  | "maxLeverage"
  | "instrumentMaxLeverage"
  | "availableMargin"
  | "instrumentMaxNotional"
  | "instrumentMaxSize";

/**
 * Why a sizing call produced no order. None of these are errors: each is a legitimate
 * "do not trade now" answer.
 *
 * - `zero-equity`: the equity is zero.
 * - `no-edge`: the Kelly fraction is zero or negative (the estimate says the trade loses money).
 * - `zero-volatility`: the volatility (ATR, realized volatility, or the variance of a Kelly
 *   moments estimate) is zero, so the formula has no finite answer.
 * - `stop-at-entry`: the stop is at the entry price, so the risk per unit is zero (fees aside).
 * - `zero-confidence`: the confidence curve maps the signal's confidence to zero (confidence 0, or
 *   below the curve's `minConfidence` dead zone).
 * - `regime-blocked`: the regime multiplier is zero.
 * - `no-margin`: the available margin is zero or negative.
 * - `below-minimum`: after capping and rounding down to the size step, the quantity is below the
 *   instrument's `minSize` (or zero) or the notional is below its `minNotional`.
 */
export type SkipReason =
  | "zero-equity"
  | "no-edge"
  | "zero-volatility"
  | "stop-at-entry"
  | "zero-confidence"
  | "regime-blocked"
  | "no-margin"
  | "below-minimum";

/** Every `SkipReason`, for iteration and validation. */
export const SKIP_REASONS: readonly SkipReason[] = Object.freeze([
  "zero-equity",
  "no-edge",
  "zero-volatility",
  "stop-at-entry",
  "zero-confidence",
  "regime-blocked",
  "no-margin",
  "below-minimum",
] as const);

/** Kelly stage: the full Kelly fraction, the fractional multiplier and the resulting equity fraction. */
export interface KellyStep {
  /** Discriminant. */
  readonly stage: "kelly";
  /** Which estimator produced `fullKelly`. */
  readonly estimate: "win-rate" | "moments";
  /** The full Kelly fraction (`p − (1 − p) / b` or `μ / σ²`). Positive (no-edge skips earlier). */
  readonly fullKelly: Decimal;
  /** The fractional Kelly multiplier applied. */
  readonly kellyMultiplier: Decimal;
  /** `min(fullKelly × kellyMultiplier, maxKellyFraction)`: the share of equity taken as notional. */
  readonly fraction: Decimal;
  /** Whether `maxKellyFraction` cut the fraction. */
  readonly clamped: boolean;
}

/** Risk stage (ATR and fixed-risk): the money at risk and the loss per unit of base asset. */
export interface RiskStep {
  /** Discriminant. */
  readonly stage: "risk";
  /** `"atr"`: the risk distance is `atr × atrMultiple`; `"stop"`: it is `|entry − stop|` plus fees. */
  readonly basis: "atr" | "stop";
  /** `equity × riskFraction`: what a loss of one risk distance costs. */
  readonly riskAmount: Decimal;
  /** The price distance that is risked (`atr × atrMultiple`, or `|entry − stop|`). */
  readonly distance: Decimal;
  /** Fees per base unit for a round trip at the stop (`feeRate × (entry + stop)`; zero for ATR). */
  readonly feePerUnit: Decimal;
  /** `distance + feePerUnit`: the loss per base unit if the risk distance is hit. */
  readonly riskPerUnit: Decimal;
  /** `riskAmount / riskPerUnit`: the base quantity before any later stage. */
  readonly baseQuantity: Decimal;
}

/** Realized-volatility stage: the leverage that makes the position's volatility the target. */
export interface VolatilityStep {
  /** Discriminant. */
  readonly stage: "volatility";
  /** The observed volatility (same period as `targetVol`). */
  readonly realizedVol: number;
  /** The target volatility. */
  readonly targetVol: number;
  /** `targetVol / realizedVol`: notional as a multiple of equity. */
  readonly leverage: Decimal;
}

/** Target stage: the notional the method asks for, before confidence, regime and caps. */
export interface TargetStep {
  /** Discriminant. */
  readonly stage: "target";
  /** The method that produced it. */
  readonly method: SizingMethodKind;
  /** The method's notional in the quote currency. */
  readonly notional: Decimal;
}

/** Confidence stage: the curve's multiplier applied to the notional. */
export interface ConfidenceStep {
  /** Discriminant. */
  readonly stage: "confidence";
  /** The signal confidence given, in [0, 1]. */
  readonly confidence: number;
  /** The curve used. */
  readonly curve: ConfidenceCurveKind;
  /** The curve's output in [0, 1]. */
  readonly multiplier: Decimal;
  /** Notional before. */
  readonly before: Decimal;
  /** Notional after (`before × multiplier`). */
  readonly after: Decimal;
}

/** Regime stage: the regime multiplier applied to the notional. */
export interface RegimeStep {
  /** Discriminant. */
  readonly stage: "regime";
  /** The multiplier given (≥ 0; above 1 scales up, the caps still apply). */
  readonly multiplier: Decimal;
  /** Notional before. */
  readonly before: Decimal;
  /** Notional after. */
  readonly after: Decimal;
}

/** Cap stage: recorded only when the cap binds (`after < before`). */
export interface CapStep {
  /** Discriminant. */
  readonly stage: "cap";
  /** Which limit bound. */
  readonly cap: CapName;
  /** The notional limit the cap stands for. */
  readonly limit: Decimal;
  /** Notional before. */
  readonly before: Decimal;
  /** Notional after (`= limit`). */
  readonly after: Decimal;
}

/** Quantize stage: the quantity from the capped notional, rounded down to the size step. */
export interface QuantizeStep {
  /** Discriminant. */
  readonly stage: "quantize";
  /** The instrument's size step. */
  readonly increment: Decimal;
  /** `notional / (price × contractSize)`, before rounding (truncated to 40 significant digits). */
  readonly before: Decimal;
  /** Rounded down to a multiple of `increment`. */
  readonly after: Decimal;
}

/** One stage that shaped a size; switch on `stage`. */
export type SizingStep =
  | KellyStep
  | RiskStep
  | VolatilityStep
  | TargetStep
  | ConfidenceStep
  | RegimeStep
  | CapStep
  | QuantizeStep;

/** A size to order. */
export interface Sized {
  /** Discriminant. */
  readonly kind: "sized";
  /** Order quantity in the instrument's size unit (base units for spot, contracts for derivatives), on the size step. */
  readonly quantity: Decimal;
  /** `quantity × price × contractSize` in the quote currency, exact. */
  readonly notional: Decimal;
  /**
   * The margin (spot: cash) the position ties up at the rate the caps used: the larger of
   * `notional × initialMarginFraction` and `notional / caps.maxLeverage` for derivatives, the
   * notional for spot.
   */
  readonly margin: Decimal;
  /** The stages that shaped the size, in order. */
  readonly steps: readonly SizingStep[];
}

/** No order: the reason, a readable message with the numbers, and the stages so far. */
export interface Skip {
  /** Discriminant. */
  readonly kind: "skip";
  /** Stable reason code. */
  readonly reason: SkipReason;
  /** Human-readable explanation with the numbers involved. */
  readonly message: string;
  /** The stages computed before the skip. */
  readonly steps: readonly SizingStep[];
}

/** The result of every sizing function: `sized` or `skip`; switch on `kind`. */
export type SizingResult = Sized | Skip;
