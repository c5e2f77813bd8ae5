import { RegimeError } from "../errors.js";
import { checkFinite, checkPeriod } from "../internal/validate.js";
import type { StreamingIndicator } from "../types.js";

/**
 * How an exponential average gets its first value.
 *
 * - `sma`: the first value is the simple mean of the first `period` inputs (TA-Lib, technicalindicators).
 * - `first`: the recursion starts from the first input itself; the value is still hidden until
 *   `period` inputs were seen (trading-signals `EMA`, `isStable`).
 */
export type EmaSeed = "sma" | "first";

/** Options of `Ema`. */
export interface EmaOptions {
  /** Span in updates (integer >= 1); the smoothing factor is `2 / (period + 1)` unless `alpha` is given. */
  readonly period: number;
  /** Seeding convention (default `sma`). */
  readonly seed?: EmaSeed;
  /**
   * Smoothing factor in (0, 1]; overrides `2 / (period + 1)`. `1 / period` gives Wilder's
   * smoothing (RMA/SMMA), which is what `WilderAverage` uses.
   */
  readonly alpha?: number;
}

/**
 * Exponential moving average: `ema += alpha * (x - ema)` with `alpha = 2 / (period + 1)`.
 *
 * Warm-up: `period` updates under either seed. Cost: O(1), no buffer. Matches technicalindicators
 * `EMA` with `seed: "sma"` and trading-signals `EMA` with `seed: "first"`.
 */
export class Ema implements StreamingIndicator<number, number> {
  /** Span in updates. */
  readonly period: number;
  /** Smoothing factor applied to each new value. */
  readonly alpha: number;
  /** Seeding convention. */
  readonly seed: EmaSeed;
  /** Updates needed before the first value (= period). */
  readonly warmUpPeriod: number;
  private current = 0;
  private seedSum = 0;
  private count = 0;

  constructor(options: EmaOptions) {
    checkPeriod("period", options.period);
    const alpha = options.alpha ?? 2 / (options.period + 1);
    if (!(alpha > 0 && alpha <= 1)) {
      throw new RegimeError("invalid-parameter", "alpha", alpha, `alpha must be in (0, 1], got ${alpha}`);
    }
    this.period = options.period;
    this.alpha = alpha;
    this.seed = options.seed ?? "sma";
    this.warmUpPeriod = options.period;
  }

  /** Feeds one value. */
  update(x: number): number | undefined {
    checkFinite("value", x);
    const c = ++this.count;
    if (this.seed === "sma" && c <= this.period) {
      this.seedSum += x;
      if (c === this.period) this.current = this.seedSum / this.period;
    } else if (c === 1) {
      this.current = x;
    } else {
      this.current += this.alpha * (x - this.current);
    }
    return c >= this.period ? this.current : undefined;
  }

  /** The average, undefined during warm-up. */
  get value(): number | undefined {
    return this.count >= this.period ? this.current : undefined;
  }

  /** True after `period` updates. */
  get isReady(): boolean {
    return this.count >= this.period;
  }

  /** Valid updates seen. */
  get updateCount(): number {
    return this.count;
  }

  /** Forgets all history. */
  reset(): void {
    this.current = 0;
    this.seedSum = 0;
    this.count = 0;
  }
}

/**
 * Wilder's smoothing (RMA / SMMA): `avg += (x - avg) / period`, seeded with the simple mean of the
 * first `period` values. Used by RSI, ATR and ADX. Warm-up: `period` updates.
 */
export class WilderAverage implements StreamingIndicator<number, number> {
  /** Smoothing period. */
  readonly period: number;
  /** Updates needed before the first value (= period). */
  readonly warmUpPeriod: number;
  private current = 0;
  private count = 0;

  constructor(options: { readonly period: number }) {
    checkPeriod("period", options.period);
    this.period = options.period;
    this.warmUpPeriod = options.period;
  }

  /** Feeds one value. */
  update(x: number): number | undefined {
    checkFinite("value", x);
    this.push(x);
    return this.value;
  }

  /** Unchecked update for callers that validated `x` already. */
  push(x: number): void {
    const c = ++this.count;
    if (c < this.period) {
      this.current += x;
    } else if (c === this.period) {
      this.current = (this.current + x) / this.period;
    } else {
      this.current += (x - this.current) / this.period;
    }
  }

  /** The smoothed value, undefined during warm-up. */
  get value(): number | undefined {
    return this.count >= this.period ? this.current : undefined;
  }

  /** The smoothed value without the readiness check (NaN-free garbage during warm-up). */
  get raw(): number {
    return this.current;
  }

  /** True after `period` updates. */
  get isReady(): boolean {
    return this.count >= this.period;
  }

  /** Valid updates seen. */
  get updateCount(): number {
    return this.count;
  }

  /** Forgets all history. */
  reset(): void {
    this.current = 0;
    this.count = 0;
  }
}
