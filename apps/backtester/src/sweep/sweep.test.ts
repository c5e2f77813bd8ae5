import { describe, expect, it } from "vitest";
import { parseRunOptions } from "../cli/options.js";
import { BacktestError } from "../errors.js";
import { instrumentForSymbol } from "../instruments.js";
import { loadRunData, runBacktest } from "../run.js";
import { type PointStats, parseMetric } from "./metric.js";
import { createSweepPool } from "./pool.js";
import { parseSearchSpec } from "./spec.js";
import { preflight, preparePoints, runSweep } from "./sweep.js";

const id = instrumentForSymbol("BTC-USD").id;

function numbers(stats: PointStats): Omit<PointStats, "elapsedMs"> {
  const { elapsedMs: _elapsed, ...rest } = stats;
  return rest;
}

async function rejection(promise: Promise<unknown>): Promise<BacktestError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(BacktestError);
    return e as BacktestError;
  }
  throw new Error("expected a BacktestError");
}

function thrown(fn: () => unknown): BacktestError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BacktestError);
    return e as BacktestError;
  }
  throw new Error("expected a BacktestError");
}

describe("preparePoints", () => {
  const options = parseRunOptions({ progress: false });

  it("keeps the points the strategy accepts with their warm-up and lists the refused ones", () => {
    const spec = parseSearchSpec({ grid: ["fast=5,20", "slow=10,30"] }, {}, 1);
    const prepared = preparePoints(options, spec, id);
    expect(prepared.points).toEqual([
      { fast: "5", slow: "10" },
      { fast: "5", slow: "30" },
      { fast: "20", slow: "30" },
    ]);
    expect(prepared.warmUpBars).toEqual([10, 30, 30]);
    expect(prepared.skipped).toHaveLength(1);
    expect(prepared.skipped[0]?.params).toEqual({ fast: "20", slow: "10" });
    expect(prepared.skipped[0]?.reason).toContain("must be below slow");
  });

  it("merges the fixed --param values into each point", () => {
    const fixed = parseRunOptions({ param: ["slow=40"], progress: false });
    const prepared = preparePoints(fixed, parseSearchSpec({ grid: ["fast=5,50"] }, fixed.params, 1), id);
    expect(prepared.points).toEqual([{ fast: "5" }]);
    expect(prepared.warmUpBars).toEqual([40]);
  });

  it("draws random points again until they are valid", () => {
    const spec = parseSearchSpec(
      { random: "12", space: ["fast=2..60", "slow=3..61"], searchSeed: "4" },
      {},
      1,
    );
    const prepared = preparePoints(options, spec, id);
    expect(prepared.points).toHaveLength(12);
    expect(prepared.points.every((p) => Number(p.fast) < Number(p.slow))).toBe(true);
    expect(preparePoints(options, spec, id).points).toEqual(prepared.points);
  });

  it("rejects parameters the strategy does not have, unknown strategies, and searches with no valid point", () => {
    const unknownParam = thrown(() =>
      preparePoints(options, parseSearchSpec({ grid: ["speed=1,2"] }, {}, 1), id),
    );
    expect(unknownParam.code).toBe("bad-parameter");
    expect(unknownParam.message).toContain('no parameter "speed"');
    const unknownStrategy = thrown(() =>
      preparePoints({ ...options, strategy: "nope" }, parseSearchSpec({ grid: ["fast=1"] }, {}, 1), id),
    );
    expect(unknownStrategy.code).toBe("unknown-strategy");
    const none = thrown(() =>
      preparePoints(options, parseSearchSpec({ grid: ["fast=40,50", "slow=30"] }, {}, 1), id),
    );
    expect(none.code).toBe("bad-parameter");
    expect(none.message).toContain("no valid parameter point");
    const badValue = thrown(() => preparePoints(options, parseSearchSpec({ grid: ["fast=abc"] }, {}, 1), id));
    expect(badValue.code).toBe("bad-parameter");
  });
});

describe("preflight", () => {
  it("surfaces option errors with their codes before any thread starts", () => {
    const options = parseRunOptions({ fees: "bogus", from: "2024-01-01", to: "2024-01-03", progress: false });
    const data = loadRunData(options);
    expect(thrown(() => preflight(options, data, { fast: "2", slow: "3" })).code).toBe("bad-argument");
  });
});

describe("runSweep", () => {
  it("gives each point the stats `run` gives for the same options and parameters", async () => {
    const raw = {
      from: "2024-01-01",
      to: "2024-03-01",
      param: ["fraction=0.5"],
      fees: "none",
      progress: false,
    };
    const options = parseRunOptions(raw);
    const data = loadRunData(options);
    const spec = parseSearchSpec({ grid: ["fast=5,10", "slow=20,40"] }, options.params, options.seed);
    const metric = parseMetric("totalReturn");
    const pool = createSweepPool(options, data, { workers: 2 });
    try {
      const outcome = await runSweep({ options, data, spec, metric, pool });
      expect(outcome.ranked).toHaveLength(4);
      expect(outcome.ranked.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
      for (const r of outcome.ranked) {
        // What `gpt-backtest run --param fraction=0.5 --param fast=.. --param slow=..` computes.
        const runOptions = parseRunOptions({
          ...raw,
          param: ["fraction=0.5", `fast=${r.item.params.fast}`, `slow=${r.item.params.slow}`],
        });
        const single = runBacktest(runOptions, loadRunData(runOptions)).stats;
        expect(numbers(r.item.stats)).toEqual(numbers(single));
        expect(r.value).toBe(single.totalReturn);
      }
      const values = outcome.ranked.map((r) => r.value as number);
      expect(values).toEqual([...values].sort((a, b) => b - a));
    } finally {
      await pool.close();
    }
  }, 120_000);

  it("fails with exit-2 errors before running anything", async () => {
    const options = parseRunOptions({ from: "2024-01-01", to: "2024-01-10", progress: false });
    const data = loadRunData(options);
    const pool = createSweepPool(options, data, { workers: 1 });
    const spec = parseSearchSpec({ grid: ["nope=1"] }, {}, 1);
    const error = await rejection(runSweep({ options, data, spec, metric: parseMetric("sharpe"), pool }));
    expect(error.code).toBe("bad-parameter");
    await pool.close();
  });
});
