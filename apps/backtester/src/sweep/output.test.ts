import { describe, expect, it } from "vitest";
import { parseRunOptions } from "../cli/options.js";
import { type PointStats, parseMetric, rankByMetric } from "./metric.js";
import { csvCell, sharedSettings, statColumns, sweepCsv, sweepJson, sweepTable, toCsv } from "./output.js";
import { parseSearchSpec } from "./spec.js";
import type { PointResult, SweepOutcome } from "./sweep.js";

function stats(sharpe: number | null, totalReturn: number, trades: number): PointStats {
  return {
    sharpe,
    totalReturn,
    trades,
    maxDrawdown: 0.2,
    cagr: null,
    sortino: null,
    calmar: null,
    winRate: 0.5,
    profitFactor: null,
    exposure: 0.4,
    feesPaid: 12.5,
    elapsedMs: 3,
  } as unknown as PointStats;
}

const spec = parseSearchSpec({ grid: ["fast=5,10", "slow=50"] }, {}, 1);
const metric = parseMetric("sharpe");
const results: PointResult[] = [
  { params: { fast: "5", slow: "50" }, stats: stats(null, 0.1, 0) },
  { params: { fast: "10", slow: "50" }, stats: stats(1.25, -0.05, 7) },
];
const outcome: SweepOutcome = {
  ranked: rankByMetric(results, (r) => r.stats, metric),
  skipped: [{ params: { fast: "60", slow: "50" }, reason: "fast must be below slow" }],
};

describe("CSV helpers", () => {
  it("quotes only what needs quoting and leaves nulls empty", () => {
    expect(csvCell(1.5)).toBe("1.5");
    expect(csvCell(null)).toBe("");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(toCsv(["a", "b"], [[1, null]])).toBe("a,b\n1,\n");
  });

  it("adds the ranking metric to the key columns when it is not one of them", () => {
    expect(statColumns("sharpe")).not.toContain("psr");
    expect(statColumns("psr")).toContain("psr");
    expect(statColumns("psr").filter((c) => c === "psr")).toHaveLength(1);
  });
});

describe("sweep outputs", () => {
  it("writes one CSV row per point in rank order, params first, null metrics last", () => {
    const lines = sweepCsv(outcome, spec, metric).trimEnd().split("\n");
    expect(lines[0]).toBe(
      "rank,param.fast,param.slow,totalReturn,cagr,sharpe,sortino,calmar,maxDrawdown,trades,winRate,profitFactor,exposure,feesPaid",
    );
    expect(lines[1]).toBe("1,10,50,-0.05,,1.25,,,0.2,7,0.5,,0.4,12.5");
    expect(lines[2]).toBe("2,5,50,0.1,,,,,0.2,0,0.5,,0.4,12.5");
    expect(lines).toHaveLength(3);
  });

  it("keeps every ranked point with its stats and the skipped points in the JSON", () => {
    const options = parseRunOptions({ progress: false });
    const json = sweepJson(outcome, spec, metric, options, 2) as {
      results: { rank: number; params: unknown; metric: number | null; stats: PointStats }[];
      skipped: unknown[];
      search: unknown;
      metric: string;
      order: string;
    };
    expect(json.metric).toBe("sharpe");
    expect(json.order).toBe("desc");
    expect(json.search).toEqual({ mode: "grid", axes: ["fast=5,10", "slow=50"] });
    expect(json.results.map((r) => [r.rank, r.params, r.metric])).toEqual([
      [1, { fast: "10", slow: "50" }, 1.25],
      [2, { fast: "5", slow: "50" }, null],
    ]);
    expect(json.results[0]?.stats.trades).toBe(7);
    expect(json.skipped).toHaveLength(1);
  });

  it("prints the best K rows with the metric first", () => {
    const table = sweepTable(outcome, metric, 1).trimEnd().split("\n");
    expect(table).toHaveLength(2);
    expect(table[0]?.split(/\s+/)).toEqual(["rank", "params", "sharpe", "return", "maxDD", "trades"]);
    expect(table[1]).toContain("fast=10 slow=50");
    expect(table[1]).toContain("1.250");
  });
});

describe("sharedSettings", () => {
  it("keeps every run setting but the output ones, in JSON-friendly form", () => {
    const options = parseRunOptions({
      from: "2024-01-01",
      param: ["fraction=0.5"],
      fees: "0.001,0.002",
      out: "x",
    });
    const settings = sharedSettings(options);
    expect(settings).toMatchObject({
      strategy: "sma-cross",
      fixedParams: { fraction: "0.5" },
      data: ["BTC-USD=synthetic"],
      funding: {},
      from: "2024-01-01T00:00:00.000Z",
      to: null,
      fees: "0.001,0.002",
      equity: "10000",
      seed: 1,
    });
    expect(Object.keys(settings)).not.toContain("outDir");
    expect(Object.keys(settings)).not.toContain("progress");
    expect(JSON.parse(JSON.stringify(settings))).toEqual(settings);
  });
});
