/**
 * The bar shape every bar-based indicator reads. It is structural on purpose: a `Bar` from
 * `@gpt/core` (or any object with these numeric fields) fits without conversion. Indicators never
 * keep a reference to the bar they are given and never mutate it.
 */
export interface OhlcvBar {
  /** Opening price of the bar. */
  readonly open: number;
  /** Highest traded price in the bar. */
  readonly high: number;
  /** Lowest traded price in the bar. */
  readonly low: number;
  /** Closing (last) price of the bar. */
  readonly close: number;
  /** Traded volume in base units. */
  readonly volume: number;
  /** Event time of the bar in the caller's unit (only used as a label, e.g. `RegimeReading.sinceTsEvent`). */
  readonly tsEvent?: number;
}

/** The fields of a bar that high/low/close indicators (ATR, ADX, efficiency ratio by range) read. */
export type HlcBar = Pick<OhlcvBar, "high" | "low" | "close">;

/** The fields of a bar the range-based volatility estimators read. */
export type OhlcBar = Pick<OhlcvBar, "open" | "high" | "low" | "close">;

/** The fields of a bar VWAP reads. */
export type HlcvBar = Pick<OhlcvBar, "high" | "low" | "close" | "volume"> & { readonly tsEvent?: number };

/**
 * The contract shared by every streaming indicator in this package.
 *
 * - `update` costs O(1) (bounded by constants that depend on the indicator's parameters, never on
 *   how many updates came before) and returns the new `value`.
 * - Warm-up is explicit: `value` is `undefined` until `isReady`, which turns true after exactly
 *   `warmUpPeriod` valid updates and stays true.
 * - Invalid input (NaN, +/-Infinity, a non-positive price where a logarithm is taken, high < low)
 *   throws a `RegimeError` with code `invalid-input` and leaves the state untouched.
 * - Multi-output indicators return one reused value object: it is overwritten by the next update,
 *   so copy it (`{ ...indicator.value }`) if you need to keep it.
 */
export interface StreamingIndicator<TInput, TValue> {
  /** Feeds one observation and returns the value after it (undefined during warm-up). */
  update(input: TInput): TValue | undefined;
  /** The current value, or undefined before warm-up has completed. */
  readonly value: TValue | undefined;
  /** True once `warmUpPeriod` updates have been seen. */
  readonly isReady: boolean;
  /** How many updates are needed before the first value. */
  readonly warmUpPeriod: number;
  /** How many valid updates this indicator has seen since construction or the last `reset()`. */
  readonly updateCount: number;
  /** Forgets all history; the indicator behaves as if newly constructed. */
  reset(): void;
}
