import type { Instrument, OrderSide } from "@gpt/core";
import type { ConfidenceCurve } from "./confidence.js";
import type { KellyEstimate } from "./kelly.js";
import type { MoneyInput, NumericInput } from "./numbers.js";

/**
 * Limits on the size. Each is optional; the instrument's own limits (its max leverage, max size and
 * max notional) always apply as well.
 */
export interface SizingCaps {
  /** Largest notional as a multiple of equity (`notional ≤ equity × maxLeverage`), > 0. */
  readonly maxLeverage?: NumericInput;
  /** Largest notional in the quote currency, > 0. */
  readonly maxNotional?: MoneyInput;
  /**
   * Free collateral for this order in the quote currency. The margin the position ties up must fit
   * in it; zero or negative skips with `no-margin`. Spot has no margin: pass the free quote balance
   * for a buy, or the quote value of the free base balance for a sell.
   */
  readonly availableMargin?: MoneyInput;
}

/** What every sizing call needs besides the method: the account, the market and the modifiers. */
export interface SizingContext {
  /** Account equity in the quote currency, ≥ 0 (zero skips with `zero-equity`). */
  readonly equity: MoneyInput;
  /** The price the order is expected to fill at (limit price, or the mark for a market order), > 0. */
  readonly price: MoneyInput;
  /** The instrument: size step, minimums, maximums, fees, and for derivatives contract size and margin. */
  readonly instrument: Instrument;
  /** Limits (see `SizingCaps`). */
  readonly caps?: SizingCaps;
  /** Signal confidence in [0, 1]; absent means no confidence scaling. */
  readonly confidence?: number;
  /** How confidence maps to a multiplier (default linear, `m = c`). */
  readonly confidenceCurve?: ConfidenceCurve;
  /** Multiplier from the market regime, ≥ 0 (0 skips with `regime-blocked`); absent means 1. */
  readonly regimeMultiplier?: number;
}

/** Kelly parameters: an estimate of the edge and how much of full Kelly to bet. */
export interface KellyParams {
  /** Win rate and payoff ratio, or expected return and variance. */
  readonly estimate: KellyEstimate;
  /** Fraction of full Kelly to bet, in (0, 1]. Default 0.25 (quarter Kelly). */
  readonly kellyMultiplier?: number;
  /** Ceiling on the fractional Kelly fraction of equity, > 0. Default 1. */
  readonly maxKellyFraction?: number;
}

/** Fixed-fraction parameters: a fixed share of equity as notional. */
export interface FixedFractionParams {
  /** Notional as a fraction of equity, > 0 (may exceed 1; the leverage caps still apply). */
  readonly fraction: number;
}

/** Fixed-notional parameters: a fixed amount of quote currency. */
export interface FixedNotionalParams {
  /** Notional in the quote currency, > 0. */
  readonly notional: MoneyInput;
}

/** ATR parameters: risk a fraction of equity per `atrMultiple` ATRs of adverse move. */
export interface AtrParams {
  /** Average true range in price units, ≥ 0 (zero skips with `zero-volatility`). */
  readonly atr: number;
  /** The risk distance in ATRs, > 0. Default 1. */
  readonly atrMultiple?: number;
  /** Fraction of equity lost if the price moves `atr × atrMultiple` against the position, in (0, 1]. */
  readonly riskFraction: number;
}

/** Realized-volatility parameters: scale the position so its volatility is the target. */
export interface RealizedVolatilityParams {
  /** Observed volatility of returns, ≥ 0 (zero skips with `zero-volatility`). */
  readonly realizedVol: number;
  /** Target volatility of the position, > 0, for the same period as `realizedVol` (both annualized or both per bar). */
  readonly targetVol: number;
}

/** Fixed-risk parameters: lose at most a fraction of equity, fees included, if the stop is hit. */
export interface FixedRiskParams {
  /** Stop price, > 0 (at the entry skips with `stop-at-entry`). */
  readonly stop: NumericInput;
  /** Fraction of equity lost at the stop, fees included, in (0, 1]. */
  readonly riskFraction: number;
  /** Entry price, > 0. Default: the context `price`. */
  readonly entry?: NumericInput;
  /** If given, the stop must be below the entry for a buy and above it for a sell. */
  readonly side?: OrderSide;
  /** Fee rate paid on entry and on exit at the stop, in [0, 1). Default: the instrument's taker fee. */
  readonly feeRate?: NumericInput;
}

/** A Kelly method. */
export interface KellyMethod extends KellyParams {
  /** Discriminant. */
  readonly kind: "kelly";
}
/** A fixed-fraction method. */
export interface FixedFractionMethod extends FixedFractionParams {
  /** Discriminant. */
  readonly kind: "fixed-fraction";
}
/** A fixed-notional method. */
export interface FixedNotionalMethod extends FixedNotionalParams {
  /** Discriminant. */
  readonly kind: "fixed-notional";
}
/** An ATR (volatility-target) method. */
export interface AtrMethod extends AtrParams {
  /** Discriminant. */
  readonly kind: "atr";
}
/** A realized-volatility (volatility-target) method. */
export interface RealizedVolatilityMethod extends RealizedVolatilityParams {
  /** Discriminant. */
  readonly kind: "realized-volatility";
}
/** A fixed-risk (stop distance) method. */
export interface FixedRiskMethod extends FixedRiskParams {
  /** Discriminant. */
  readonly kind: "fixed-risk";
}

/** Any sizing method with its parameters and observations; switch on `kind`. */
export type SizingMethod =
  | KellyMethod
  | FixedFractionMethod
  | FixedNotionalMethod
  | AtrMethod
  | RealizedVolatilityMethod
  | FixedRiskMethod;

/** Input of `sizePosition`: the context plus the method. */
export interface SizePositionInput extends SizingContext {
  /** The method that proposes the base notional. */
  readonly method: SizingMethod;
}

/** Input of `sizeByKelly`. */
export interface KellySizingInput extends SizingContext, KellyParams {}
/** Input of `sizeByFixedFraction`. */
export interface FixedFractionSizingInput extends SizingContext, FixedFractionParams {}
/** Input of `sizeByFixedNotional`. */
export interface FixedNotionalSizingInput extends SizingContext, FixedNotionalParams {}
/** Input of `sizeByAtr`. */
export interface AtrSizingInput extends SizingContext, AtrParams {}
/** Input of `sizeByRealizedVolatility`. */
export interface RealizedVolatilitySizingInput extends SizingContext, RealizedVolatilityParams {}
/** Input of `sizeByFixedRisk`. */
export interface FixedRiskSizingInput extends SizingContext, FixedRiskParams {}
