import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { RunOptions } from "../cli/options.js";
import type { MetricChoice } from "../sweep/metric.js";
import {
  describePoint,
  describeSearch,
  formatMetric,
  formatTable,
  paramNames,
  pct,
  sharedSettings,
  statColumns,
  toCsv,
} from "../sweep/output.js";
import type { SearchSpec } from "../sweep/spec.js";
import { WARM_UP_POLICY, type WalkForwardReport } from "./walk-forward.js";

/** The window lengths as given and in ms. */
export interface WalkForwardLengths {
  readonly train: string;
  readonly test: string;
  readonly step: string;
  readonly trainMs: number;
  readonly testMs: number;
  readonly stepMs: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * `walk-forward.csv`: one row per window: its bounds, the chosen parameters, the in-sample metric,
 * then the out-of-sample statistics (`oos.` columns) and notes.
 */
function walkForwardCsv(report: WalkForwardReport, spec: SearchSpec, metric: MetricChoice): string {
  const names = paramNames(spec);
  const columns = statColumns(metric.name);
  const header = [
    "window",
    "trainFrom",
    "trainTo",
    "testFrom",
    "testTo",
    ...names.map((n) => `param.${n}`),
    `inSample.${metric.name}`,
    "trainBars",
    "testBars",
    "warmUpBars",
    ...columns.map((c) => `oos.${c}`),
    "notes",
  ];
  const rows = report.windows.map((r) => [
    r.window.index,
    iso(r.window.trainFromMs),
    iso(r.window.trainToMs),
    iso(r.window.testFromMs),
    iso(r.window.testToMs),
    ...names.map((n) => r.params[n] ?? null),
    r.inSampleMetric,
    r.trainBars,
    r.testBars,
    r.warmUpBars,
    ...columns.map((c) => r.outOfSample[c]),
    r.notes.join("; "),
  ]);
  return toCsv(header, rows);
}

/** `walk-forward.json`: settings, windows with full out-of-sample stats, the summary. */
export function walkForwardJson(
  report: WalkForwardReport,
  spec: SearchSpec,
  metric: MetricChoice,
  options: RunOptions,
  lengths: WalkForwardLengths,
  workers: number,
): Record<string, unknown> {
  return {
    command: "walk-forward",
    metric: metric.name,
    order: metric.order,
    search: describeSearch(spec),
    settings: sharedSettings(options),
    train: lengths.train,
    test: lengths.test,
    step: lengths.step,
    warmUp: WARM_UP_POLICY,
    workers,
    summary: report.summary,
    windows: report.windows.map((r) => ({
      window: r.window.index,
      trainFrom: iso(r.window.trainFromMs),
      trainTo: iso(r.window.trainToMs),
      testFrom: iso(r.window.testFromMs),
      testTo: iso(r.window.testToMs),
      params: r.params,
      inSampleMetric: r.inSampleMetric,
      trainBars: r.trainBars,
      testBars: r.testBars,
      warmUpBars: r.warmUpBars,
      notes: r.notes,
      outOfSample: r.outOfSample,
    })),
    skippedWindows: report.skippedWindows.map((s) => ({
      window: s.window.index,
      testFrom: iso(s.window.testFromMs),
      reason: s.reason,
    })),
    skippedPoints: report.skippedPoints,
  };
}

/** Writes `walk-forward.csv` and `walk-forward.json` into `outDir`; returns their paths. */
export function writeWalkForwardOutputs(
  outDir: string,
  report: WalkForwardReport,
  spec: SearchSpec,
  metric: MetricChoice,
  options: RunOptions,
  lengths: WalkForwardLengths,
  workers: number,
): { csv: string; json: string } {
  mkdirSync(outDir, { recursive: true });
  const csv = resolve(join(outDir, "walk-forward.csv"));
  const json = resolve(join(outDir, "walk-forward.json"));
  writeFileSync(csv, walkForwardCsv(report, spec, metric));
  const body = walkForwardJson(report, spec, metric, options, lengths, workers);
  writeFileSync(json, `${JSON.stringify(body, null, 2)}\n`);
  return { csv, json };
}

/** The console table of windows and the summary lines. */
export function walkForwardText(report: WalkForwardReport, metric: MetricChoice): string {
  const day = (ms: number): string => iso(ms).slice(0, 16).replace("T", " ");
  const rows = report.windows.map((r) => [
    String(r.window.index),
    `${day(r.window.testFromMs)} → ${day(r.window.testToMs)}`,
    describePoint(r.params),
    formatMetric(metric.name, r.inSampleMetric),
    formatMetric(metric.name, r.outOfSample[metric.name]),
    pct(r.outOfSample.totalReturn),
    String(r.outOfSample.trades),
  ]);
  const s = report.summary;
  const table = formatTable(
    [
      "window",
      "test (out of sample)",
      "chosen on train",
      `IS ${metric.name}`,
      `OOS ${metric.name}`,
      "OOS return",
      "trades",
    ],
    rows,
  );
  return [
    table.trimEnd(),
    `out of sample over ${s.windows} windows (${s.outOfSampleDays.toFixed(1)} days): compounded return ${pct(s.compoundedReturn)} (buy and hold ${pct(s.buyAndHoldCompounded)}),`,
    `mean return ${pct(s.meanReturn)}, ${s.positiveWindows}/${s.windows} windows positive, mean sharpe ${s.meanSharpe === null ? "n/a" : s.meanSharpe.toFixed(2)}, ${s.totalTrades} trades, worst window drawdown ${pct(s.worstWindowDrawdown)}`,
    `mean ${metric.name}: in sample ${formatMetric(metric.name, s.meanInSampleMetric)}, out of sample ${formatMetric(metric.name, s.meanOutOfSampleMetric)}`,
    "",
  ].join("\n");
}
