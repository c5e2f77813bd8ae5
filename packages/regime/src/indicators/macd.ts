import { RegimeError } from "../errors.js";
import { checkFinite, checkPeriod } from "../internal/validate.js";
import type { StreamingIndicator } from "../types.js";
import { Ema, type EmaSeed } from "./ema.js";

/** MACD readings of one update. */
export interface MacdValue {
  /** Fast EMA minus slow EMA. */
  readonly macd: number;
  /** EMA of `macd` over the signal period. */
  readonly signal: number;
  /** `macd - signal`. */
  readonly histogram: number;
}

/** Options of `Macd`. */
export interface MacdOptions {
  /** Fast EMA period (default 12). */
  readonly fastPeriod?: number;
  /** Slow EMA period (default 26, must exceed `fastPeriod`). */
  readonly slowPeriod?: number;
  /** Signal EMA period (default 9). */
  readonly signalPeriod?: number;
  /** Seeding of all three EMAs (default `sma`, see `EmaSeed`). */
  readonly seed?: EmaSeed;
}

/**
 * Moving average convergence/divergence: `macd = EMA(fast) - EMA(slow)`, `signal = EMA(signal)` of
 * `macd`, `histogram = macd - signal`. The signal EMA receives its first input when the slow EMA
 * has its `slowPeriod`-th input.
 *
 * Warm-up: `slowPeriod + signalPeriod - 1` updates (signal defined). Matches technicalindicators
 * `MACD` with EMA oscillator and EMA signal under `seed: "sma"`, and trading-signals `MACD` built
 * from its `EMA`s under `seed: "first"` (which reports values earlier, before its signal EMA is stable).
 */
export class Macd implements StreamingIndicator<number, MacdValue> {
  /** Fast EMA period. */
  readonly fastPeriod: number;
  /** Slow EMA period. */
  readonly slowPeriod: number;
  /** Signal EMA period. */
  readonly signalPeriod: number;
  /** Updates needed before the first value (= slowPeriod + signalPeriod - 1). */
  readonly warmUpPeriod: number;
  private readonly fast: Ema;
  private readonly slow: Ema;
  private readonly signal: Ema;
  private readonly out = { macd: 0, signal: 0, histogram: 0 };
  private count = 0;

  constructor(options: MacdOptions = {}) {
    const fastPeriod = options.fastPeriod ?? 12;
    const slowPeriod = options.slowPeriod ?? 26;
    const signalPeriod = options.signalPeriod ?? 9;
    checkPeriod("fastPeriod", fastPeriod);
    checkPeriod("slowPeriod", slowPeriod);
    checkPeriod("signalPeriod", signalPeriod);
    if (fastPeriod >= slowPeriod) {
      throw new RegimeError(
        "invalid-parameter",
        "fastPeriod",
        fastPeriod,
        `fastPeriod (${fastPeriod}) must be below slowPeriod (${slowPeriod})`,
      );
    }
    const seed = options.seed ?? "sma";
    this.fastPeriod = fastPeriod;
    this.slowPeriod = slowPeriod;
    this.signalPeriod = signalPeriod;
    this.warmUpPeriod = slowPeriod + signalPeriod - 1;
    this.fast = new Ema({ period: fastPeriod, seed });
    this.slow = new Ema({ period: slowPeriod, seed });
    this.signal = new Ema({ period: signalPeriod, seed });
  }

  /** Feeds one value. */
  update(x: number): MacdValue | undefined {
    checkFinite("value", x);
    const fast = this.fast.update(x);
    const slow = this.slow.update(x);
    this.count++;
    if (fast === undefined || slow === undefined) return undefined;
    const macd = fast - slow;
    const signal = this.signal.update(macd);
    if (signal === undefined) return undefined;
    const out = this.out;
    out.macd = macd;
    out.signal = signal;
    out.histogram = macd - signal;
    return out;
  }

  /** The readings (one reused object), undefined during warm-up. */
  get value(): MacdValue | undefined {
    return this.count >= this.warmUpPeriod ? this.out : undefined;
  }

  /** True after `slowPeriod + signalPeriod - 1` updates. */
  get isReady(): boolean {
    return this.count >= this.warmUpPeriod;
  }

  /** Valid updates seen. */
  get updateCount(): number {
    return this.count;
  }

  /** Forgets all history. */
  reset(): void {
    this.fast.reset();
    this.slow.reset();
    this.signal.reset();
    this.count = 0;
  }
}
