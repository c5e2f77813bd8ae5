import { BacktestError } from "../errors.js";
import { excerpt } from "../excerpt.js";
import type { RunResult } from "../run.js";

/** The statistics of one backtest, as `run` writes them to `stats.json`. */
export type PointStats = RunResult["stats"];

/** The `stats.json` keys whose values are numbers (or `null` when undefined). */
type NumericStatKey = {
  [K in keyof PointStats]-?: PointStats[K] extends number | null ? K : never;
}[keyof PointStats];

/** A statistic a sweep can rank by: any numeric `stats.json` key except the wall time. */
export type MetricName = Exclude<NumericStatKey, "elapsedMs">;

/** Which way is better: `desc` ranks the largest value first, `asc` the smallest. */
type RankOrder = "asc" | "desc";

/**
 * Every rankable statistic with its natural order. A `Record` over all numeric keys, so a new
 * statistic in `stats.json` does not type-check until its order is chosen here.
 */
const METRIC_ORDER: Readonly<Record<MetricName, RankOrder>> = {
  startEquity: "desc",
  endEquity: "desc",
  totalReturn: "desc",
  cagr: "desc",
  volatility: "asc",
  sharpe: "desc",
  sortino: "desc",
  calmar: "desc",
  maxDrawdown: "asc",
  maxDrawdownDuration: "asc",
  trades: "desc",
  winRate: "desc",
  profitFactor: "desc",
  expectancy: "desc",
  sqn: "desc",
  exposure: "desc",
  feesPaid: "asc",
  fundingPaid: "asc",
  buyAndHoldReturn: "desc",
  psr: "desc",
  bars: "desc",
  days: "desc",
  riskFree: "desc",
  bestTrade: "desc",
  worstTrade: "desc",
  avgTradeDurationSec: "desc",
  rejectedOrders: "asc",
  deniedOrders: "asc",
  liquidations: "asc",
  dataGaps: "asc",
  missingBars: "asc",
};

/** The metric names, in a stable order (for help and error messages). */
export const METRIC_NAMES: readonly MetricName[] = Object.freeze(Object.keys(METRIC_ORDER) as MetricName[]);

/** A metric and the order it ranks in. */
export interface MetricChoice {
  readonly name: MetricName;
  readonly order: RankOrder;
}

/**
 * Checks `--metric` (a numeric `stats.json` key) and `--order` (default: the metric's natural
 * order, e.g. `desc` for sharpe, `asc` for maxDrawdown). Unknown names are `bad-argument`.
 */
export function parseMetric(name: string, order?: string): MetricChoice {
  if (!Object.hasOwn(METRIC_ORDER, name)) {
    throw new BacktestError(
      "bad-argument",
      `--metric ${excerpt(name)}: not a numeric stats.json key; one of ${METRIC_NAMES.join(", ")}`,
    );
  }
  const metric = name as MetricName;
  if (order !== undefined && order !== "asc" && order !== "desc") {
    throw new BacktestError("bad-argument", `--order ${excerpt(order)}: expected asc or desc`);
  }
  return { name: metric, order: order ?? METRIC_ORDER[metric] };
}

/** The value of the metric in a point's stats; `null` when undefined (NaN and infinities count as undefined). */
export function metricValue(stats: PointStats, metric: MetricName): number | null {
  const value = stats[metric];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** One result in ranked order. */
export interface Ranked<T> {
  /** 1 = best. */
  readonly rank: number;
  /** The metric's value (`null` when undefined for this point). */
  readonly value: number | null;
  /** Position of the item in the input. */
  readonly index: number;
  /** The input item. */
  readonly item: T;
}

/**
 * Ranks items by the metric of their stats: best first in the chosen order, points whose metric is
 * undefined (`null`) last, ties (and nulls among themselves) by input position, so the ranking is
 * the same whatever order the results arrived in. Does not modify `items`.
 */
export function rankByMetric<T>(
  items: readonly T[],
  statsOf: (item: T) => PointStats,
  metric: MetricChoice,
): Ranked<T>[] {
  const sign = metric.order === "desc" ? -1 : 1;
  const keyed = items.map((item, index) => ({ item, index, value: metricValue(statsOf(item), metric.name) }));
  keyed.sort((a, b) => {
    if (a.value === null || b.value === null) {
      if (a.value !== b.value) return a.value === null ? 1 : -1;
      return a.index - b.index;
    }
    return a.value === b.value ? a.index - b.index : sign * (a.value - b.value);
  });
  return keyed.map((k, i) => ({ rank: i + 1, value: k.value, index: k.index, item: k.item }));
}
