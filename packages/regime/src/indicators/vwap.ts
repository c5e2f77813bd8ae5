import { RegimeError } from "../errors.js";
import { CompensatedSum, RollingSum } from "../internal/rolling.js";
import {
  checkFinite,
  checkHighLow,
  checkNonNegative,
  checkParameter,
  checkPeriod,
} from "../internal/validate.js";
import type { HlcvBar, StreamingIndicator } from "../types.js";

/** Options of `Vwap`. */
export interface VwapOptions {
  /**
   * Rolling window in bars. When omitted the VWAP is cumulative (since construction, the last
   * `reset()` or the current session).
   */
  readonly window?: number;
  /**
   * Session length in the unit of `tsEvent`: the cumulative VWAP restarts whenever
   * `floor((tsEvent - sessionOffset) / sessionLength)` changes (86_400 for daily sessions on
   * second timestamps). Every bar must then carry `tsEvent`. Not combinable with `window`.
   */
  readonly sessionLength?: number;
  /** Offset of the session grid, same unit as `tsEvent` (default 0 = UTC midnight for daily). */
  readonly sessionOffset?: number;
}

/**
 * Volume-weighted average of the typical price `(high + low + close) / 3`.
 *
 * Cumulative sums use Neumaier compensation, rolling sums the rebased running sum, so long streams
 * stay accurate. Bars with zero volume change nothing. Warm-up: the first bar with volume > 0 (in
 * session mode, readiness restarts with each session: `isReady` is false from a session's first bar
 * until a bar of that session has volume). Matches the cumulative `VWAP` of trading-signals and
 * technicalindicators.
 */
export class Vwap implements StreamingIndicator<HlcvBar, number> {
  /** Rolling window in bars, or undefined for cumulative. */
  readonly window: number | undefined;
  /** Session length in `tsEvent` units, or undefined. */
  readonly sessionLength: number | undefined;
  /** Session grid offset. */
  readonly sessionOffset: number;
  /** Updates needed before the first value in the best case (1: a bar with volume). */
  readonly warmUpPeriod = 1;
  private readonly cumPv = new CompensatedSum();
  private readonly cumVolume = new CompensatedSum();
  private readonly rollPv: RollingSum | undefined;
  private readonly rollVolume: RollingSum | undefined;
  private session = Number.NaN;
  private current = 0;
  private ready = false;
  private count = 0;

  constructor(options: VwapOptions = {}) {
    if (options.window !== undefined) checkPeriod("window", options.window);
    if (options.sessionLength !== undefined) {
      checkParameter("sessionLength", options.sessionLength, 0, true);
      if (options.window !== undefined) {
        throw new RegimeError(
          "invalid-parameter",
          "sessionLength",
          options.sessionLength,
          "sessionLength and window cannot be combined",
        );
      }
    }
    const offset = options.sessionOffset ?? 0;
    checkFinite("sessionOffset", offset);
    this.window = options.window;
    this.sessionLength = options.sessionLength;
    this.sessionOffset = offset;
    this.rollPv = options.window === undefined ? undefined : new RollingSum(options.window);
    this.rollVolume = options.window === undefined ? undefined : new RollingSum(options.window);
  }

  /** Feeds one bar (high, low, close, volume, and tsEvent in session mode). */
  update(bar: HlcvBar): number | undefined {
    const { high, low, close, volume } = bar;
    checkFinite("high", high);
    checkFinite("low", low);
    checkFinite("close", close);
    checkHighLow(high, low);
    checkNonNegative("volume", volume);
    let session = this.session;
    if (this.sessionLength !== undefined) {
      const ts = bar.tsEvent;
      if (ts === undefined || ts - ts !== 0) {
        throw new RegimeError("invalid-input", "tsEvent", ts, "tsEvent is required in session mode");
      }
      session = Math.floor((ts - this.sessionOffset) / this.sessionLength);
    }
    if (session !== this.session && !Number.isNaN(this.session)) {
      this.cumPv.clear();
      this.cumVolume.clear();
      this.ready = false;
    }
    this.session = session;
    const pv = ((high + low + close) / 3) * volume;
    this.count++;
    if (this.rollPv !== undefined && this.rollVolume !== undefined) {
      this.rollPv.push(pv);
      this.rollVolume.push(volume);
      const v = this.rollVolume.sum;
      if (v > 0) {
        this.current = this.rollPv.sum / v;
        this.ready = true;
      }
    } else if (volume > 0) {
      this.cumPv.add(pv);
      this.cumVolume.add(volume);
      this.current = this.cumPv.value / this.cumVolume.value;
      this.ready = true;
    }
    return this.ready ? this.current : undefined;
  }

  /** The VWAP, undefined before the first bar with volume (of the current session). */
  get value(): number | undefined {
    return this.ready ? this.current : undefined;
  }

  /** True once a bar with volume was seen (in the current session). */
  get isReady(): boolean {
    return this.ready;
  }

  /** Valid updates seen. */
  get updateCount(): number {
    return this.count;
  }

  /** Forgets all history (also the way to anchor a VWAP at an arbitrary bar). */
  reset(): void {
    this.cumPv.clear();
    this.cumVolume.clear();
    this.rollPv?.clear();
    this.rollVolume?.clear();
    this.session = Number.NaN;
    this.current = 0;
    this.ready = false;
    this.count = 0;
  }
}
