import { createSeededRng, type Instrument, type OrderSide } from "@gpt/core";
import { PaperEngineError } from "./errors.js";

/** What a slippage model sees for one taker execution (market observations are numbers). */
export interface SlippageContext {
  /** The instrument. */
  readonly instrument: Instrument;
  /** Side of our order. */
  readonly side: OrderSide;
  /** The price before slippage (bar open, crossed stop trigger, trade price). */
  readonly price: number;
  /** Quantity about to execute, as a number (for size-aware models). */
  readonly quantity: number;
  /**
   * A volatility estimate as a fraction of price: the current bar's `(high − low) / open` when
   * filling from bars, an EWMA of absolute trade-to-trade returns when filling from trades.
   */
  readonly volatility: number;
}

/**
 * Moves a taker execution price against us (buy: up, sell: down). Applied to market orders,
 * triggered stop-market orders in bar and trade mode; never to limit prices, liquidations or
 * book-walk fills (depth already is the slippage there). Must be deterministic.
 */
export interface SlippageModel {
  /** A short name for reports. */
  readonly name: string;
  /** The price after slippage (must be finite and > 0). */
  slippedPrice(ctx: SlippageContext): number;
}

function bpsField(field: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new PaperEngineError("invalid-config", `${field}: must be a finite number >= 0 (got ${value})`, {
      context: { field, value },
    });
  }
  return value;
}

function adverse(side: OrderSide, price: number, bps: number): number {
  const f = bps / 10_000;
  return side === "buy" ? price * (1 + f) : price * (1 - f);
}

/** No slippage: takers execute at the raw price. */
export function noSlippage(): SlippageModel {
  return { name: "none", slippedPrice: (ctx) => ctx.price };
}

/**
 * A fixed adverse move of `bps` basis points (1 bp = 0.01 %).
 * @throws PaperEngineError (`invalid-config`) if `bps` is negative or not finite.
 */
export function fixedBpsSlippage(bps: number): SlippageModel {
  const b = bpsField("bps", bps);
  return { name: `fixed-${b}bps`, slippedPrice: (ctx) => adverse(ctx.side, ctx.price, b) };
}

/** Options of `volatilitySlippage`. */
export interface VolatilitySlippageOptions {
  /** Slippage as a multiple of the volatility fraction (0.1 → 10 % of the bar's range). */
  readonly multiplier: number;
  /** Floor in bps (default 0). */
  readonly minBps?: number;
  /** Cap in bps (default 100). */
  readonly maxBps?: number;
}

/**
 * Slippage proportional to volatility: `bps = clamp(multiplier × volatility × 10_000, minBps, maxBps)`.
 * @throws PaperEngineError (`invalid-config`).
 */
export function volatilitySlippage(options: VolatilitySlippageOptions): SlippageModel {
  const m = bpsField("multiplier", options.multiplier);
  const lo = bpsField("minBps", options.minBps ?? 0);
  const hi = bpsField("maxBps", options.maxBps ?? 100);
  if (hi < lo) throw new PaperEngineError("invalid-config", "maxBps: must be >= minBps");
  return {
    name: "volatility",
    slippedPrice: (ctx) => {
      const v = Number.isFinite(ctx.volatility) && ctx.volatility > 0 ? ctx.volatility : 0;
      const bps = Math.min(hi, Math.max(lo, m * v * 10_000));
      return adverse(ctx.side, ctx.price, bps);
    },
  };
}

/**
 * A uniformly random adverse move in `[0, maxBps]`, from a seeded generator (`createSeededRng`),
 * so a run is reproducible for a given seed and order flow.
 * @throws PaperEngineError (`invalid-config`).
 */
export function randomBpsSlippage(options: {
  readonly maxBps: number;
  readonly seed: number;
}): SlippageModel {
  const max = bpsField("maxBps", options.maxBps);
  const rng = createSeededRng(options.seed);
  return { name: "random", slippedPrice: (ctx) => adverse(ctx.side, ctx.price, rng.next() * max) };
}
