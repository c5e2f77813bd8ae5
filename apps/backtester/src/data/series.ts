import type { InstrumentId } from "@gpt/core";

/** A gap in a bar series: bars missing between two present ones. Gaps are reported, never filled. */
export interface BarGap {
  /** Open time (ms) of the last bar before the gap. */
  readonly afterTsOpen: number;
  /** Open time (ms) of the first bar after the gap. */
  readonly beforeTsOpen: number;
  /** How many bars of `intervalMs` are missing. */
  readonly missingBars: number;
}

/** Bar columns: one typed array per field, row `i` of each belonging to the same bar. */
export interface BarColumns {
  /** Open time of each bar, unix ms. */
  readonly tsOpen: Float64Array;
  /** Open prices. */
  readonly open: Float64Array;
  /** High prices. */
  readonly high: Float64Array;
  /** Low prices. */
  readonly low: Float64Array;
  /** Close prices. */
  readonly close: Float64Array;
  /** Volumes (base units). */
  readonly volume: Float64Array;
}

/**
 * Bars of one instrument in columns (typed arrays), sorted by open time with no duplicates.
 * Columnar storage keeps a year of one-minute bars at about 24 MB and lets sweeps share it.
 */
export interface BarSeries extends BarColumns {
  /** The instrument these bars belong to. */
  readonly instrumentId: InstrumentId;
  /** Where the bars came from (a path, or `synthetic(seed=…)`). */
  readonly source: string;
  /** Bar length in ms. */
  readonly intervalMs: number;
  /** Number of bars. */
  readonly length: number;
  /** Gaps found between consecutive bars. */
  readonly gaps: readonly BarGap[];
}

/** A funding-rate series of one perpetual: rate per interval at each funding time. */
export interface FundingSeries {
  /** The perpetual. */
  readonly instrumentId: InstrumentId;
  /** Where the rates came from. */
  readonly source: string;
  /** Funding interval in ms (inferred from the smallest step). */
  readonly intervalMs: number;
  /** Number of funding times. */
  readonly length: number;
  /** Funding times, unix ms. */
  readonly time: Float64Array;
  /** Rates as fractions per interval (positive: longs pay shorts). */
  readonly rate: Float64Array;
}

/** Finds gaps (steps longer than `intervalMs`) in sorted open times. */
export function findGaps(tsOpen: Float64Array, intervalMs: number): BarGap[] {
  const gaps: BarGap[] = [];
  for (let i = 1; i < tsOpen.length; i++) {
    const step = (tsOpen[i] as number) - (tsOpen[i - 1] as number);
    if (step > intervalMs) {
      gaps.push({
        afterTsOpen: tsOpen[i - 1] as number,
        beforeTsOpen: tsOpen[i] as number,
        missingBars: Math.round(step / intervalMs) - 1,
      });
    }
  }
  return gaps;
}

/** The smallest positive step between consecutive times (the bar or funding interval). */
export function smallestStep(times: Float64Array): number {
  let step = Number.POSITIVE_INFINITY;
  for (let i = 1; i < times.length; i++) {
    const d = (times[i] as number) - (times[i - 1] as number);
    if (d < step) step = d;
  }
  return step;
}

/**
 * The bars with `from <= tsOpen < to` (either bound optional), as a new series sharing no
 * arrays with the input. Gaps are recomputed for the slice.
 */
export function sliceSeries(series: BarSeries, from?: number, to?: number): BarSeries {
  let start = 0;
  let end = series.length;
  if (from !== undefined) while (start < end && (series.tsOpen[start] as number) < from) start++;
  if (to !== undefined) while (end > start && (series.tsOpen[end - 1] as number) >= to) end--;
  const tsOpen = series.tsOpen.slice(start, end);
  return {
    instrumentId: series.instrumentId,
    source: series.source,
    intervalMs: series.intervalMs,
    length: end - start,
    tsOpen,
    open: series.open.slice(start, end),
    high: series.high.slice(start, end),
    low: series.low.slice(start, end),
    close: series.close.slice(start, end),
    volume: series.volume.slice(start, end),
    gaps: findGaps(tsOpen, series.intervalMs),
  };
}
