import type { Decimal } from "@gpt/quantize";
import {
  decimalInput,
  finiteNumber,
  fromNumber,
  numberInRange,
  ONE,
  objectInput,
  type Range,
} from "./numbers.js";

/** Default fractional Kelly multiplier: quarter Kelly (estimates of edge are noisy; full Kelly over-bets on error). */
export const DEFAULT_KELLY_MULTIPLIER = 0.25;

/** Default ceiling on the fractional Kelly fraction: a notional of at most 1 × equity. */
export const DEFAULT_MAX_KELLY_FRACTION = 1;

/** A Kelly estimate from a trade record: how often trades win and how much a win pays per unit lost. */
export interface WinRateEstimate {
  /** Probability that a trade wins, in [0, 1]. */
  readonly winRate: number;
  /** Average win divided by average loss (`b`), greater than 0. */
  readonly payoffRatio: number;
}

/** A Kelly estimate from return moments of the trade (per period, in the trade's own direction). */
export interface MomentsEstimate {
  /** Expected return per period (0.001 = 0.1 %), finite. */
  readonly expectedReturn: number;
  /** Variance of the return per period, ≥ 0 (the same period as `expectedReturn`). */
  readonly variance: number;
}

/** Either Kelly estimate. */
export type KellyEstimate = WinRateEstimate | MomentsEstimate;

/** Options of `fractionalKelly`. */
export interface FractionalKellyOptions {
  /** Multiplier applied to the full Kelly fraction, in (0, 1]. Default `DEFAULT_KELLY_MULTIPLIER` (0.25). */
  readonly kellyMultiplier?: number;
  /** Ceiling on the resulting fraction of equity, > 0. Default `DEFAULT_MAX_KELLY_FRACTION` (1). */
  readonly maxKellyFraction?: number;
}

/** The outcome of `fractionalKelly`: a positive fraction to bet, or no edge. */
export type KellyFraction =
  | {
      /** Discriminant: there is an edge. */
      readonly kind: "edge";
      /** The full Kelly fraction (> 0). */
      readonly fullKelly: Decimal;
      /** The multiplier applied. */
      readonly kellyMultiplier: Decimal;
      /** `min(fullKelly × kellyMultiplier, maxKellyFraction)`, > 0. */
      readonly fraction: Decimal;
      /** Whether `maxKellyFraction` cut it. */
      readonly clamped: boolean;
    }
  | {
      /** Discriminant: the full Kelly fraction is zero or negative; never size it. */
      readonly kind: "no-edge";
      /** The full Kelly fraction (≤ 0). */
      readonly fullKelly: Decimal;
    };

/**
 * The full Kelly fraction of a bet that wins with probability `p` and then pays `b` per unit
 * staked, and otherwise loses the stake: `f* = p − (1 − p) / b`. Negative or zero means no edge.
 * Computed in decimal arithmetic from the numbers' shortest decimal forms.
 *
 * @throws SizingError `invalid-input` for a win rate outside [0, 1] or a payoff ratio that is not
 *   a finite number > 0 (NaN included), naming `winRate` or `payoffRatio`.
 * @example
 * kellyFromWinRate({ winRate: 0.55, payoffRatio: 1.5 }).toString() // "0.25"
 */
export function kellyFromWinRate(estimate: WinRateEstimate): Decimal {
  objectInput("estimate", estimate, "an object { winRate, payoffRatio }");
  const p = numberInRange("winRate", estimate.winRate, WIN_RATE_RANGE);
  const b = numberInRange("payoffRatio", estimate.payoffRatio, POSITIVE);
  return winRateKelly(p, b);
}

/** The range of a win rate: [0, 1]. */
export const WIN_RATE_RANGE: Range = { min: 0, max: 1 };
/** The range of a quantity that must be strictly positive. */
export const POSITIVE: Range = { min: 0, minExclusive: true };
/** The range of a fractional Kelly multiplier: (0, 1]. */
export const KELLY_MULTIPLIER_RANGE: Range = { min: 0, minExclusive: true, max: 1 };

/** `p − (1 − p) / b` for validated inputs. */
export function winRateKelly(p: number, b: number): Decimal {
  const pd = fromNumber(p);
  return pd.minus(ONE.minus(pd).div(fromNumber(b)));
}

/** `μ / σ²` for validated inputs (σ² > 0). */
export function momentsKelly(mu: number, variance: number): Decimal {
  return fromNumber(mu).div(fromNumber(variance));
}

/**
 * The Kelly leverage of a continuous bet with expected return `μ` and variance `σ²` per period:
 * `f* = μ / σ²` (notional as a multiple of equity; the small-return approximation of log-utility
 * growth). Zero or negative means no edge.
 *
 * @throws SizingError `invalid-input` for a non-finite expected return or a variance that is not
 *   a finite number > 0: a zero variance has no Kelly fraction (the sizers report it as a
 *   `zero-volatility` skip instead).
 * @example
 * kellyFromMoments({ expectedReturn: 0.002, variance: 0.0004 }).toString() // "5"
 */
export function kellyFromMoments(estimate: MomentsEstimate): Decimal {
  objectInput("estimate", estimate, "an object { expectedReturn, variance }");
  const mu = finiteNumber("expectedReturn", estimate.expectedReturn);
  const variance = numberInRange("variance", estimate.variance, POSITIVE);
  return momentsKelly(mu, variance);
}

/**
 * Turns a full Kelly fraction into the fraction to bet: `fullKelly × kellyMultiplier`, capped at
 * `maxKellyFraction`. A full Kelly of zero or less is `no-edge`: never sized, whatever the
 * multiplier.
 *
 * @throws SizingError `invalid-input` for a non-finite `fullKelly`, a multiplier outside (0, 1] or a
 *   ceiling that is not > 0.
 * @example
 * fractionalKelly(0.25, { kellyMultiplier: 0.5 }) // { kind: "edge", fraction: 0.125, clamped: false, … }
 */
export function fractionalKelly(
  fullKelly: Decimal | number,
  options: FractionalKellyOptions = {},
): KellyFraction {
  objectInput("options", options, "an object { kellyMultiplier?, maxKellyFraction? }");
  const full =
    typeof fullKelly === "number"
      ? fromNumber(finiteNumber("fullKelly", fullKelly))
      : decimalInput("fullKelly", fullKelly, "any");
  const multiplier = numberInRange(
    "kellyMultiplier",
    options.kellyMultiplier ?? DEFAULT_KELLY_MULTIPLIER,
    KELLY_MULTIPLIER_RANGE,
  );
  const ceiling = numberInRange(
    "maxKellyFraction",
    options.maxKellyFraction ?? DEFAULT_MAX_KELLY_FRACTION,
    POSITIVE,
  );
  return applyKellyFraction(full, fromNumber(multiplier), fromNumber(ceiling));
}

/** `fractionalKelly` for validated inputs. */
export function applyKellyFraction(full: Decimal, multiplier: Decimal, ceiling: Decimal): KellyFraction {
  if (full.lte(0)) return { kind: "no-edge", fullKelly: full };
  const scaled = full.times(multiplier);
  const clamped = scaled.gt(ceiling);
  return {
    kind: "edge",
    fullKelly: full,
    kellyMultiplier: multiplier,
    fraction: clamped ? ceiling : scaled,
    clamped,
  };
}

/** True for a `WinRateEstimate` (it has `winRate`), false for a `MomentsEstimate`. */
export function isWinRateEstimate(estimate: KellyEstimate): estimate is WinRateEstimate {
  return "winRate" in estimate;
}
