import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { RunOptions } from "../cli/options.js";
import type { MetricChoice, MetricName, PointStats, Ranked } from "./metric.js";
import { describeAxis, type ParamPoint, type SearchSpec } from "./spec.js";
import type { PointResult, SweepOutcome } from "./sweep.js";

/** The statistics every sweep and walk-forward table shows, in column order. */
const KEY_STATS: readonly MetricName[] = Object.freeze([
  "totalReturn",
  "cagr",
  "sharpe",
  "sortino",
  "calmar",
  "maxDrawdown",
  "trades",
  "winRate",
  "profitFactor",
  "exposure",
  "feesPaid",
] as const);

/** The key statistics plus the ranking metric when it is not one of them. */
export function statColumns(metric: MetricName): readonly MetricName[] {
  return KEY_STATS.includes(metric) ? KEY_STATS : [...KEY_STATS, metric];
}

/** One CSV cell: numbers as JavaScript prints them, `null` empty, text quoted when it must be. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV document from a header and rows. */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
): string {
  return `${[header, ...rows].map((row) => row.map(csvCell).join(",")).join("\n")}\n`;
}

/** The parameter names of a search, in axis order. */
export function paramNames(spec: SearchSpec): string[] {
  return spec.axes.map((a) => a.name);
}

/**
 * The run settings every point shares (for the JSON output): the run options without the output
 * ones, maps as objects, times as ISO strings, `--param` values as `fixedParams`.
 */
export function sharedSettings(options: RunOptions): Record<string, unknown> {
  const {
    outDir: _out,
    json: _json,
    progress: _progress,
    params,
    data,
    funding,
    fromMs,
    toMs,
    fees,
    ...rest
  } = options;
  return {
    ...rest,
    fixedParams: params,
    data: data.map((d) => (d.kind === "file" ? `${d.symbol}=${d.path}` : `${d.symbol}=synthetic`)),
    funding: Object.fromEntries(funding),
    from: fromMs === undefined ? null : new Date(fromMs).toISOString(),
    to: toMs === undefined ? null : new Date(toMs).toISOString(),
    fees: fees.kind === "preset" ? fees.name : `${fees.maker},${fees.taker}`,
  };
}

/** The search as the JSON outputs describe it. */
export function describeSearch(spec: SearchSpec): Record<string, unknown> {
  return spec.mode === "grid"
    ? { mode: "grid", axes: spec.axes.map(describeAxis) }
    : { mode: "random", axes: spec.axes.map(describeAxis), samples: spec.samples, searchSeed: spec.seed };
}

/** `sweep.csv`: one row per point, ranked: rank, `param.<name>` columns, the metric, key stats. */
export function sweepCsv(outcome: SweepOutcome, spec: SearchSpec, metric: MetricChoice): string {
  const names = paramNames(spec);
  const columns = statColumns(metric.name);
  const header = ["rank", ...names.map((n) => `param.${n}`), ...columns];
  const rows = outcome.ranked.map((r: Ranked<PointResult>) => [
    r.rank,
    ...names.map((n) => r.item.params[n] ?? null),
    ...columns.map((c) => r.item.stats[c]),
  ]);
  return toCsv(header, rows);
}

/** `sweep.json`: the search, the settings, every ranked point with its full stats, the skipped points. */
export function sweepJson(
  outcome: SweepOutcome,
  spec: SearchSpec,
  metric: MetricChoice,
  options: RunOptions,
  workers: number,
): Record<string, unknown> {
  return {
    command: "sweep",
    metric: metric.name,
    order: metric.order,
    search: describeSearch(spec),
    settings: sharedSettings(options),
    workers,
    points: outcome.ranked.length,
    results: outcome.ranked.map((r) => ({
      rank: r.rank,
      params: r.item.params,
      metric: r.value,
      stats: r.item.stats,
    })),
    skipped: outcome.skipped,
  };
}

/** Writes `sweep.csv` and `sweep.json` into `outDir` (created if missing); returns their paths. */
export function writeSweepOutputs(
  outDir: string,
  outcome: SweepOutcome,
  spec: SearchSpec,
  metric: MetricChoice,
  options: RunOptions,
  workers: number,
): { csv: string; json: string } {
  mkdirSync(outDir, { recursive: true });
  const csv = resolve(join(outDir, "sweep.csv"));
  const json = resolve(join(outDir, "sweep.json"));
  writeFileSync(csv, sweepCsv(outcome, spec, metric));
  writeFileSync(json, `${JSON.stringify(sweepJson(outcome, spec, metric, options, workers), null, 2)}\n`);
  return { csv, json };
}

/** Formats a fraction as a percentage, `n/a` for null. */
export function pct(x: number | null): string {
  return x === null ? "n/a" : `${(x * 100).toFixed(2)}%`;
}

/** Formats a metric value for the console. */
export function formatMetric(metric: MetricName, value: number | null): string {
  if (value === null) return "n/a";
  const fractions: readonly MetricName[] = [
    "totalReturn",
    "cagr",
    "maxDrawdown",
    "winRate",
    "exposure",
    "volatility",
    "buyAndHoldReturn",
  ];
  return fractions.includes(metric) ? pct(value) : Number.isInteger(value) ? String(value) : value.toFixed(3);
}

/** Describes a point compactly (`fast=5 slow=50`). */
export function describePoint(point: ParamPoint): string {
  return Object.entries(point)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
}

/** The console table of the best `top` points: the metric, then return, Sharpe, drawdown and trades. */
export function sweepTable(outcome: SweepOutcome, metric: MetricChoice, top: number): string {
  const shown: readonly [MetricName, string][] = [
    [metric.name, metric.name],
    ["totalReturn", "return"],
    ["sharpe", "sharpe"],
    ["maxDrawdown", "maxDD"],
    ["trades", "trades"],
  ];
  const columns = shown.filter(([name], i) => i === 0 || name !== metric.name);
  const rows = outcome.ranked.slice(0, top).map((r) => {
    const s: PointStats = r.item.stats;
    return [
      String(r.rank),
      describePoint(r.item.params),
      ...columns.map(([name]) => formatMetric(name, s[name])),
    ];
  });
  return formatTable(["rank", "params", ...columns.map(([, label]) => label)], rows);
}

/** Left-aligned text columns separated by two spaces. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}
