import type { RunOptions } from "../cli/options.js";
import type { BarSeries } from "../data/series.js";
import { BacktestError } from "../errors.js";
import type { LoadedData } from "../run.js";
import { type MetricChoice, metricValue, type PointStats, rankByMetric } from "../sweep/metric.js";
import type { SweepPool } from "../sweep/pool.js";
import type { ParamPoint, SearchSpec } from "../sweep/spec.js";
import { preflight, preparePoints, type SkippedPoint } from "../sweep/sweep.js";
import type { SweepTask } from "../sweep/task.js";
import { buildWindows, type WalkWindow } from "./windows.js";

/**
 * How warm-up is handled, as the outputs state it. Every train and test run is a fresh backtest of
 * its window alone, exactly `run --from <window start> --to <window end>`: flat, with the starting
 * equity and new indicator state at the window's first bar. A strategy that needs N bars of
 * history makes no decision in the first N bars of a window; the test run never reads a bar
 * before its window, so nothing of the train window (or earlier) leaks into it.
 */
export const WARM_UP_POLICY =
  "fresh start: each train and test run is a backtest of its window alone (flat, starting equity, empty indicators at the window's first bar); the strategy warms up inside the window and reads no bar before it";

/** The result of one window: the parameters chosen on train and how they did on test. */
export interface WindowResult {
  readonly window: WalkWindow;
  /** The best point on the train window. */
  readonly params: ParamPoint;
  /** Its metric on the train window (`null` if undefined there). */
  readonly inSampleMetric: number | null;
  /** Bars in the train and test windows (summed over instruments). */
  readonly trainBars: number;
  readonly testBars: number;
  /** Bars of history the chosen strategy needs before its first decision. */
  readonly warmUpBars: number;
  /** The out-of-sample stats: the chosen point run on the test window. */
  readonly outOfSample: PointStats;
  /** Remarks: no defined metric in training, a test window shorter than the warm-up. */
  readonly notes: readonly string[];
}

/** A window left out, with the reason (a data gap leaving it without bars). */
interface SkippedWindow {
  readonly window: WalkWindow;
  readonly reason: string;
}

/** The out-of-sample windows taken together. */
export interface WalkForwardSummary {
  /** Windows with results. */
  readonly windows: number;
  /** Π(1 + test return) − 1: the return of trading every test window in turn, restarting each with its equity. */
  readonly compoundedReturn: number;
  /** The same for buying and holding over the test windows (`null` if any is undefined). */
  readonly buyAndHoldCompounded: number | null;
  /** Mean of the test windows' returns. */
  readonly meanReturn: number;
  /** Test windows with a positive return. */
  readonly positiveWindows: number;
  /** Mean of the defined test-window Sharpe ratios (`null` if none is defined). */
  readonly meanSharpe: number | null;
  /** Test windows with a defined Sharpe ratio. */
  readonly sharpeWindows: number;
  /** Mean of the metric over the defined train results of the chosen points, and over the test results. */
  readonly meanInSampleMetric: number | null;
  readonly meanOutOfSampleMetric: number | null;
  /** Closed trades over all test windows. */
  readonly totalTrades: number;
  /** The largest drawdown within any one test window (drawdowns are not carried across windows). */
  readonly worstWindowDrawdown: number;
  /** Fees over all test windows. */
  readonly feesPaid: number;
  /** Out-of-sample time covered, in days. */
  readonly outOfSampleDays: number;
}

/** The whole walk-forward result. */
export interface WalkForwardReport {
  readonly windows: readonly WindowResult[];
  readonly skippedWindows: readonly SkippedWindow[];
  /** Grid points the strategy refused (invalid combinations); never run. */
  readonly skippedPoints: readonly SkippedPoint[];
  readonly summary: WalkForwardSummary;
}

/** Bars of a series with `from <= open time < to` (binary search on the sorted open times). */
export function barsIn(series: BarSeries, fromMs: number, toMs: number): number {
  const lowerBound = (t: number): number => {
    let lo = 0;
    let hi = series.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((series.tsOpen[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return lowerBound(toMs) - lowerBound(fromMs);
}

/** The time the data covers: the first bar's open to the end of the last bar (over all instruments). */
export function dataSpan(data: LoadedData): { dataFromMs: number; dataToMs: number } {
  return {
    dataFromMs: Math.min(...data.series.map((s) => s.tsOpen[0] as number)),
    dataToMs: Math.max(...data.series.map((s) => (s.tsOpen[s.length - 1] as number) + s.intervalMs)),
  };
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Takes the out-of-sample results together (see `WalkForwardSummary`). */
export function summarize(results: readonly WindowResult[], metric: MetricChoice): WalkForwardSummary {
  const oos = results.map((r) => r.outOfSample);
  const sharpes = oos.flatMap((s) => (s.sharpe === null ? [] : [s.sharpe]));
  const defined = (values: readonly (number | null)[]): number[] =>
    values.flatMap((v) => (v === null ? [] : [v]));
  return {
    windows: results.length,
    compoundedReturn: oos.reduce((acc, s) => acc * (1 + s.totalReturn), 1) - 1,
    buyAndHoldCompounded: oos.every((s) => s.buyAndHoldReturn !== null)
      ? oos.reduce((acc, s) => acc * (1 + (s.buyAndHoldReturn as number)), 1) - 1
      : null,
    meanReturn: mean(oos.map((s) => s.totalReturn)) ?? 0,
    positiveWindows: oos.filter((s) => s.totalReturn > 0).length,
    meanSharpe: mean(sharpes),
    sharpeWindows: sharpes.length,
    meanInSampleMetric: mean(defined(results.map((r) => r.inSampleMetric))),
    meanOutOfSampleMetric: mean(defined(oos.map((s) => metricValue(s, metric.name)))),
    totalTrades: oos.reduce((a, s) => a + s.trades, 0),
    worstWindowDrawdown: oos.reduce((a, s) => Math.max(a, s.maxDrawdown), 0),
    feesPaid: oos.reduce((a, s) => a + s.feesPaid, 0),
    outOfSampleDays: results.reduce((a, r) => a + (r.window.testToMs - r.window.testFromMs) / 86_400_000, 0),
  };
}

/**
 * Walk-forward optimisation: for each rolling window, runs every point of the search on the train
 * window (on the pool), picks the best by the metric (undefined values rank last, ties go to the
 * earlier point), runs that point on the following test window, and reports the test results only.
 * See `WARM_UP_POLICY` for how warm-up is handled.
 */
export async function runWalkForward(input: {
  readonly options: RunOptions;
  readonly data: LoadedData;
  readonly spec: SearchSpec;
  readonly metric: MetricChoice;
  readonly trainMs: number;
  readonly testMs: number;
  readonly stepMs: number;
  readonly pool: SweepPool;
  readonly onDone?: (done: number, total: number) => void;
}): Promise<WalkForwardReport> {
  const { options, data, metric, pool } = input;
  const first = data.series[0];
  if (first === undefined) throw new BacktestError("empty-data", "no data for the walk-forward");
  const windows = buildWindows({
    ...dataSpan(data),
    trainMs: input.trainMs,
    testMs: input.testMs,
    stepMs: input.stepMs,
  });
  const prepared = preparePoints(options, input.spec, first.instrumentId);
  preflight(options, data, prepared.points[0] as ParamPoint);

  const count = (fromMs: number, toMs: number): number[] => data.series.map((s) => barsIn(s, fromMs, toMs));
  const usable: { window: WalkWindow; trainBars: number[]; testBars: number[] }[] = [];
  const skippedWindows: SkippedWindow[] = [];
  for (const window of windows) {
    const trainBars = count(window.trainFromMs, window.trainToMs);
    const testBars = count(window.testFromMs, window.testToMs);
    if (trainBars.includes(0) || testBars.includes(0)) {
      skippedWindows.push({ window, reason: "an instrument has no bars in the train or test window" });
    } else {
      usable.push({ window, trainBars, testBars });
    }
  }
  if (usable.length === 0) {
    throw new BacktestError("empty-data", "no walk-forward window has bars in both its train and test part");
  }

  const points = prepared.points;
  const total = usable.length * (points.length + 1);
  const trainTasks: SweepTask[] = usable.flatMap(({ window }) =>
    points.map((params) => ({ params, fromMs: window.trainFromMs, toMs: window.trainToMs })),
  );
  const trainOutcomes = await pool.run(trainTasks, (done) => input.onDone?.(done, total));
  const chosen = usable.map((_, w) => {
    const stats = points.map(
      (_p, i) => (trainOutcomes[w * points.length + i] as { stats: PointStats }).stats,
    );
    const best = rankByMetric(stats, (s) => s, metric)[0] as { index: number; value: number | null };
    return best;
  });
  const testTasks: SweepTask[] = usable.map(({ window }, w) => ({
    params: points[(chosen[w] as { index: number }).index] as ParamPoint,
    fromMs: window.testFromMs,
    toMs: window.testToMs,
  }));
  const testOutcomes = await pool.run(testTasks, (done) => input.onDone?.(trainTasks.length + done, total));

  const results: WindowResult[] = usable.map(({ window, trainBars, testBars }, w) => {
    const best = chosen[w] as { index: number; value: number | null };
    const warmUpBars = prepared.warmUpBars[best.index] as number;
    const notes: string[] = [];
    if (best.value === null) {
      notes.push(`no point had a defined ${metric.name} on the train window; the first point was taken`);
    }
    const shortest = Math.min(...testBars);
    if (warmUpBars >= shortest) {
      notes.push(
        `the strategy needs ${warmUpBars} bars of warm-up and the test window has ${shortest}: it cannot trade there`,
      );
    }
    return {
      window,
      params: points[best.index] as ParamPoint,
      inSampleMetric: best.value,
      trainBars: trainBars.reduce((a, b) => a + b, 0),
      testBars: testBars.reduce((a, b) => a + b, 0),
      warmUpBars,
      outOfSample: (testOutcomes[w] as { stats: PointStats }).stats,
      notes,
    };
  });
  return {
    windows: results,
    skippedWindows,
    skippedPoints: prepared.skipped,
    summary: summarize(results, metric),
  };
}
