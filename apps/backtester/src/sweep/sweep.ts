import type { InstrumentId } from "@gpt/core";
import { parseParamArgs, StrategyError } from "@gpt/strategies";
import type { RunOptions } from "../cli/options.js";
import type { BarSeries } from "../data/series.js";
import { sliceSeries } from "../data/series.js";
import { BacktestError } from "../errors.js";
import { type LoadedData, runBacktest } from "../run.js";
import { strategyRegistry } from "../strategies.js";
import { type MetricChoice, type PointStats, type Ranked, rankByMetric } from "./metric.js";
import type { SweepPool } from "./pool.js";
import { enumerateGrid, type ParamPoint, type SearchSpec, sampleRandom } from "./spec.js";
import { pointOptions } from "./task.js";

/** A point the strategy refused (an invalid combination such as `fast >= slow`), with its reason. */
export interface SkippedPoint {
  readonly params: ParamPoint;
  readonly reason: string;
}

/** The points of a search that the strategy accepts, and those it refused. */
export interface PreparedPoints {
  readonly points: readonly ParamPoint[];
  /** Bars of history each accepted point's strategy needs before its first decision. */
  readonly warmUpBars: readonly number[];
  readonly skipped: readonly SkippedPoint[];
}

type PointCheck =
  | { readonly kind: "ok"; readonly warmUpBars: number }
  | { readonly kind: "invalid"; readonly reason: string };

/**
 * Checks one point the way `run` would (`parseParamArgs` then `createStrategy`): a parameter the
 * strategy does not have, or an unknown strategy, is an error for the whole search (exit 2); any
 * other refusal makes this point invalid.
 */
function checkPoint(options: RunOptions, point: ParamPoint, instrumentId: InstrumentId): PointCheck {
  const merged = pointOptions(options, point).params;
  let params: Record<string, unknown>;
  try {
    params = parseParamArgs(Object.entries(merged).map(([k, v]) => `${k}=${v}`));
  } catch (cause) {
    throw new BacktestError("bad-parameter", (cause as Error).message, { cause });
  }
  try {
    return {
      kind: "ok",
      warmUpBars: strategyRegistry.create(options.strategy, params, { instrumentId }).warmUpBars,
    };
  } catch (cause) {
    if (!(cause instanceof StrategyError)) throw cause;
    if (cause.code === "unknown-strategy")
      throw new BacktestError("unknown-strategy", cause.message, { cause });
    const unknown = cause.issues.find((i) => i.message === "unknown parameter");
    if (unknown !== undefined) {
      throw new BacktestError(
        "bad-parameter",
        `strategy ${options.strategy} has no parameter "${unknown.path}" (see \`gpt-backtest strategies\`)`,
        { cause },
      );
    }
    if (cause.code !== "invalid-params") throw new BacktestError("bad-parameter", cause.message, { cause });
    return { kind: "invalid", reason: cause.message };
  }
}

/**
 * The points to run: every grid combination, or the random draws (invalid draws are drawn again).
 * Grid points the strategy refuses are skipped and listed. A parameter the strategy does not know,
 * or a search with no valid point at all, is a `BacktestError` (`bad-parameter`).
 */
export function preparePoints(
  options: RunOptions,
  spec: SearchSpec,
  instrumentId: InstrumentId,
): PreparedPoints {
  const points: ParamPoint[] = [];
  const warmUpBars: number[] = [];
  const skipped: SkippedPoint[] = [];
  const consider = (point: ParamPoint): boolean => {
    const check = checkPoint(options, point, instrumentId);
    if (check.kind === "invalid") {
      skipped.push({ params: point, reason: check.reason });
      return false;
    }
    points.push(point);
    warmUpBars.push(check.warmUpBars);
    return true;
  };
  switch (spec.mode) {
    case "grid":
      for (const point of enumerateGrid(spec.axes)) consider(point);
      break;
    case "random":
      sampleRandom(spec.axes, spec.samples, spec.seed, consider);
      break;
    default: {
      const unknown: never = spec;
      throw new Error(`unknown search mode ${JSON.stringify(unknown)}`);
    }
  }
  if (points.length === 0) {
    const first = skipped[0];
    throw new BacktestError(
      "bad-parameter",
      `no valid parameter point to run (${skipped.length} refused)${first === undefined ? "" : `: ${first.reason}`}`,
    );
  }
  return { points, warmUpBars, skipped: spec.mode === "random" ? [] : skipped };
}

/**
 * Runs one point on the first two bars of each series in the calling thread, so problems of the
 * options themselves (an unknown fee preset, leverage on spot, mixed spot and perps) surface as
 * `BacktestError`s with their codes before any thread starts.
 */
export function preflight(options: RunOptions, data: LoadedData, point: ParamPoint): void {
  const head: LoadedData = {
    series: data.series.map((s: BarSeries) =>
      s.length <= 2 ? s : sliceSeries(s, undefined, (s.tsOpen[2] as number) - 0.5),
    ),
    funding: data.funding,
  };
  runBacktest(pointOptions(options, point), head);
}

/** One point's result. */
export interface PointResult {
  readonly params: ParamPoint;
  readonly stats: PointStats;
}

/** What `runSweep` returns: the results ranked, and the points skipped. */
export interface SweepOutcome {
  /** Results best first (`rank` 1), points with an undefined metric last. */
  readonly ranked: readonly Ranked<PointResult>[];
  readonly skipped: readonly SkippedPoint[];
}

/**
 * Runs every point of the search on the pool over the whole loaded data and ranks the results by
 * the metric. Each point's stats are those `run` reports for the same options and parameters.
 */
export async function runSweep(input: {
  readonly options: RunOptions;
  readonly data: LoadedData;
  readonly spec: SearchSpec;
  readonly metric: MetricChoice;
  readonly pool: SweepPool;
  readonly onDone?: (done: number, total: number) => void;
}): Promise<SweepOutcome> {
  const first = input.data.series[0];
  if (first === undefined) throw new BacktestError("empty-data", "no data to sweep");
  const prepared = preparePoints(input.options, input.spec, first.instrumentId);
  preflight(input.options, input.data, prepared.points[0] as ParamPoint);
  const outcomes = await input.pool.run(
    prepared.points.map((params) => ({ params })),
    input.onDone,
  );
  const results: PointResult[] = prepared.points.map((params, i) => ({
    params,
    stats: (outcomes[i] as { stats: PointStats }).stats,
  }));
  return { ranked: rankByMetric(results, (r) => r.stats, input.metric), skipped: prepared.skipped };
}
