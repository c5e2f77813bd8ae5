import type { RunOptions } from "../cli/options.js";
import type { BarSeries } from "../data/series.js";
import { sliceSeries } from "../data/series.js";
import { type LoadedData, runBacktest } from "../run.js";
import type { PointStats } from "./metric.js";
import type { ParamPoint } from "./spec.js";

/**
 * One backtest of a sweep: the run options' parameters overlaid with `params`, on the loaded data
 * or on its bars with `fromMs <= open time < toMs` (a walk-forward window), exactly as
 * `run --param ... --from ... --to ...` would run it.
 */
export interface SweepTask {
  readonly params: ParamPoint;
  /** Inclusive start of the window (unix ms); absent: from the first bar. */
  readonly fromMs?: number;
  /** Exclusive end of the window (unix ms); absent: to the last bar. */
  readonly toMs?: number;
}

/** Window slices a runner keeps (walk-forward tasks come window by window). */
const SLICE_CACHE = 4;

/** The options of a sweep point: the fixed `--param`s with the point's values on top. */
export function pointOptions(options: RunOptions, params: ParamPoint): RunOptions {
  return { ...options, params: { ...options.params, ...params }, progress: false };
}

/** The data cut to a window, as `loadRunData` cuts it for `--from/--to` (funding is not cut, as in `run`). */
export function windowData(
  data: LoadedData,
  fromMs: number | undefined,
  toMs: number | undefined,
): LoadedData {
  if (fromMs === undefined && toMs === undefined) return data;
  return { series: data.series.map((s) => sliceSeries(s, fromMs, toMs)), funding: data.funding };
}

/**
 * A function that runs tasks on one copy of the data and returns each run's `stats`. Window slices
 * are cached (a few), so tasks of the same window share one slice.
 */
export function createTaskRunner(options: RunOptions, data: LoadedData): (task: SweepTask) => PointStats {
  const slices = new Map<string, LoadedData>();
  const dataFor = (task: SweepTask): LoadedData => {
    if (task.fromMs === undefined && task.toMs === undefined) return data;
    const key = `${task.fromMs ?? ""}:${task.toMs ?? ""}`;
    let slice = slices.get(key);
    if (slice === undefined) {
      slice = windowData(data, task.fromMs, task.toMs);
      if (slices.size >= SLICE_CACHE) {
        const oldest = slices.keys().next().value;
        if (oldest !== undefined) slices.delete(oldest);
      }
      slices.set(key, slice);
    }
    return slice;
  };
  return (task) => runBacktest(pointOptions(options, task.params), dataFor(task)).stats;
}

function shareColumn(column: Float64Array): Float64Array {
  const shared = new Float64Array(new SharedArrayBuffer(column.byteLength));
  shared.set(column);
  return shared;
}

/**
 * A copy of the data whose bar columns live in `SharedArrayBuffer`s, so worker threads read the
 * same memory instead of each holding a copy (structured cloning a view of shared memory shares it).
 */
export function shareData(data: LoadedData): LoadedData {
  const series = data.series.map(
    (s): BarSeries => ({
      instrumentId: s.instrumentId,
      source: s.source,
      intervalMs: s.intervalMs,
      length: s.length,
      tsOpen: shareColumn(s.tsOpen),
      open: shareColumn(s.open),
      high: shareColumn(s.high),
      low: shareColumn(s.low),
      close: shareColumn(s.close),
      volume: shareColumn(s.volume),
      gaps: s.gaps,
    }),
  );
  return { series, funding: data.funding };
}
