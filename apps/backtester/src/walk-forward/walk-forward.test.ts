import { describe, expect, it } from "vitest";
import { parseRunOptions } from "../cli/options.js";
import { type BarSeries, findGaps, sliceSeries } from "../data/series.js";
import { generateSyntheticBars } from "../data/synthetic.js";
import { BacktestError } from "../errors.js";
import { instrumentForSymbol } from "../instruments.js";
import { type LoadedData, runBacktest } from "../run.js";
import { type MetricChoice, type PointStats, parseMetric, rankByMetric } from "../sweep/metric.js";
import { createSweepPool } from "../sweep/pool.js";
import { enumerateGrid, parseSearchSpec, pointKey, type SearchSpec } from "../sweep/spec.js";
import { pointOptions, windowData } from "../sweep/task.js";
import { barsIn, runWalkForward, summarize, type WalkForwardReport } from "./walk-forward.js";

const DAY = 86_400_000;
const id = instrumentForSymbol("BTC-USD").id;
const full = generateSyntheticBars({ instrumentId: id, seed: 11, bars: 24 * 60 });
const data: LoadedData = { series: [full], funding: new Map() };
const options = parseRunOptions({ fees: "none", progress: false });
const spec: SearchSpec = parseSearchSpec({ grid: ["fast=3,6", "slow=12,24"] }, {}, 1);
const metric: MetricChoice = parseMetric("totalReturn");
const start = full.tsOpen[0] as number;

function numbers(stats: PointStats): Omit<PointStats, "elapsedMs"> {
  const { elapsedMs: _elapsed, ...rest } = stats;
  return rest;
}

async function walk(
  on: LoadedData,
  lengths: { trainMs: number; testMs: number; stepMs: number },
  workers = 1,
  searched: SearchSpec = spec,
): Promise<WalkForwardReport> {
  const pool = createSweepPool(options, on, { workers });
  try {
    return await runWalkForward({ options, data: on, spec: searched, metric, pool, ...lengths });
  } finally {
    await pool.close();
  }
}

const tenFive = { trainMs: 10 * DAY, testMs: 5 * DAY, stepMs: 5 * DAY };

describe("runWalkForward", () => {
  it("chooses the best point on each train window and reports its run on the test window only", async () => {
    const report = await walk(data, tenFive, 2);
    expect(report.windows).toHaveLength(10); // (60 − 15) / 5 + 1
    expect(report.skippedWindows).toEqual([]);
    const points = enumerateGrid(spec.axes);
    for (const r of report.windows) {
      const w = r.window;
      expect(w.testFromMs).toBe(w.trainToMs);
      // The choice: every point run on the train window alone, ranked by the metric.
      const train = points.map(
        (p) => runBacktest(pointOptions(options, p), windowData(data, w.trainFromMs, w.trainToMs)).stats,
      );
      const best = rankByMetric(train, (s) => s, metric)[0];
      expect(r.params).toEqual(points[best?.index ?? -1]);
      expect(r.inSampleMetric).toBe(best?.value);
      // The report: that point run on the test window alone, exactly as `run --from --to` would.
      const test = runBacktest(
        pointOptions(options, r.params),
        windowData(data, w.testFromMs, w.testToMs),
      ).stats;
      expect(numbers(r.outOfSample)).toEqual(numbers(test));
      expect(r.outOfSample.bars).toBe(5 * 24);
      expect(r.testBars).toBe(5 * 24);
      expect(r.trainBars).toBe(10 * 24);
      expect(Date.parse(r.outOfSample.startTime ?? "")).toBeGreaterThan(w.testFromMs);
      expect(Date.parse(r.outOfSample.endTime ?? "")).toBeLessThanOrEqual(w.testToMs);
    }
    // Not a degenerate case: the choice changes between windows and the test runs trade.
    expect(new Set(report.windows.map((r) => pointKey(r.params))).size).toBeGreaterThan(1);
    expect(report.summary.totalTrades).toBeGreaterThan(0);
    const tests = report.windows.map((r) => [r.window.testFromMs, r.window.testToMs] as const);
    tests.forEach(([from], i) => {
      if (i > 0) expect(from).toBeGreaterThanOrEqual((tests[i - 1] as readonly [number, number])[1]);
    });
    const compounded = report.windows.reduce((a, r) => a * (1 + r.outOfSample.totalReturn), 1) - 1;
    expect(report.summary.compoundedReturn).toBeCloseTo(compounded, 12);
    expect(report.summary.totalTrades).toBe(report.windows.reduce((a, r) => a + r.outOfSample.trades, 0));
    expect(report.summary.outOfSampleDays).toBe(50);
  }, 120_000);

  it("uses no bar after a test window: cutting the future off leaves earlier windows unchanged", async () => {
    const report = await walk(data, tenFive);
    const cut = report.windows[4]?.window.testToMs as number;
    const truncated: LoadedData = { series: [sliceSeries(full, undefined, cut)], funding: new Map() };
    const early = await walk(truncated, tenFive);
    expect(early.windows).toHaveLength(5);
    expect(early.windows.map((r) => [r.window, r.params, r.inSampleMetric, numbers(r.outOfSample)])).toEqual(
      report.windows.slice(0, 5).map((r) => [r.window, r.params, r.inSampleMetric, numbers(r.outOfSample)]),
    );
  }, 120_000);

  it("notes a test window shorter than the strategy's warm-up", async () => {
    const slow = parseSearchSpec({ grid: ["fast=5", "slow=200"] }, {}, 1);
    const report = await walk(data, { trainMs: 20 * DAY, testMs: 5 * DAY, stepMs: 20 * DAY }, 1, slow);
    expect(report.windows.length).toBeGreaterThan(0);
    for (const r of report.windows) {
      expect(r.warmUpBars).toBe(200);
      expect(r.notes.join(" ")).toContain("200 bars of warm-up and the test window has 120");
      expect(r.outOfSample.trades).toBe(0);
    }
  });

  it("skips windows without bars and reports the rest", async () => {
    // Remove days 20–25: window 2's test window (train days 10–20) has no bars.
    const keep = (t: number): boolean => t < start + 20 * DAY || t >= start + 25 * DAY;
    const idx = Array.from(full.tsOpen.keys()).filter((i) => keep(full.tsOpen[i] as number));
    const pick = (col: Float64Array): Float64Array => Float64Array.from(idx, (i) => col[i] as number);
    const tsOpen = pick(full.tsOpen);
    const gappy: BarSeries = {
      ...full,
      length: idx.length,
      tsOpen,
      open: pick(full.open),
      high: pick(full.high),
      low: pick(full.low),
      close: pick(full.close),
      volume: pick(full.volume),
      gaps: findGaps(tsOpen, full.intervalMs),
    };
    expect(barsIn(gappy, start + 20 * DAY, start + 25 * DAY)).toBe(0);
    const report = await walk({ series: [gappy], funding: new Map() }, tenFive);
    expect(report.skippedWindows.map((s) => s.window.index)).toEqual([2]);
    expect(report.windows.map((r) => r.window.index)).toEqual([0, 1, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("rejects windows longer than the data with a bad-argument error", async () => {
    let caught: unknown;
    try {
      await walk(data, { trainMs: 50 * DAY, testMs: 11 * DAY, stepMs: 11 * DAY });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(BacktestError);
    expect((caught as BacktestError).code).toBe("bad-argument");
  });
});

describe("summarize", () => {
  it("compounds test returns and averages only defined Sharpe ratios", () => {
    const result = (totalReturn: number, sharpe: number | null, trades: number, maxDrawdown: number) => ({
      window: { index: 0, trainFromMs: 0, trainToMs: DAY, testFromMs: DAY, testToMs: 2 * DAY },
      params: {},
      inSampleMetric: 1,
      trainBars: 24,
      testBars: 24,
      warmUpBars: 0,
      notes: [],
      outOfSample: {
        totalReturn,
        sharpe,
        trades,
        maxDrawdown,
        feesPaid: 1,
        buyAndHoldReturn: 0.1,
      } as unknown as PointStats,
    });
    const s = summarize(
      [result(0.1, 1, 2, 0.05), result(-0.5, null, 3, 0.4), result(0.2, 3, 0, 0.1)],
      metric,
    );
    expect(s.compoundedReturn).toBeCloseTo(1.1 * 0.5 * 1.2 - 1, 12);
    expect(s.buyAndHoldCompounded).toBeCloseTo(1.1 ** 3 - 1, 12);
    expect(s.meanSharpe).toBe(2);
    expect(s.sharpeWindows).toBe(2);
    expect(s.positiveWindows).toBe(2);
    expect(s.totalTrades).toBe(5);
    expect(s.worstWindowDrawdown).toBe(0.4);
    expect(s.feesPaid).toBe(3);
    expect(s.meanInSampleMetric).toBe(1);
    expect(s.meanOutOfSampleMetric).toBeCloseTo((0.1 - 0.5 + 0.2) / 3, 12);
    expect(s.outOfSampleDays).toBe(3);
  });
});
