import { describe, expect, it } from "vitest";
import { parseRunOptions } from "../cli/options.js";
import { generateSyntheticBars } from "../data/synthetic.js";
import { BacktestError } from "../errors.js";
import { instrumentForSymbol } from "../instruments.js";
import { type LoadedData, runBacktest } from "../run.js";
import type { PointStats } from "./metric.js";
import { autoWorkers, createSweepPool, defaultWorkers, THREADS_PAY_OFF_BARS } from "./pool.js";
import { pointOptions, type SweepTask, shareData, windowData } from "./task.js";

const id = instrumentForSymbol("BTC-USD").id;
const data: LoadedData = {
  series: [generateSyntheticBars({ instrumentId: id, seed: 5, bars: 1500 })],
  funding: new Map(),
};
const options = parseRunOptions({ progress: false });
const HOUR = 3_600_000;
const start = data.series[0]?.tsOpen[0] as number;

const tasks: SweepTask[] = [
  ...[
    ["3", "10"],
    ["5", "20"],
    ["8", "30"],
    ["10", "40"],
    ["4", "12"],
    ["6", "25"],
  ].map(([fast, slow]) => ({ params: { fast: fast as string, slow: slow as string } })),
  // Windowed tasks, as walk-forward sends them.
  { params: { fast: "3", slow: "10" }, fromMs: start + 200 * HOUR, toMs: start + 700 * HOUR },
  { params: { fast: "5", slow: "20" }, fromMs: start + 700 * HOUR, toMs: start + 900 * HOUR },
];

/** The stats without the wall time, which differs run to run. */
function numbers(stats: PointStats): Omit<PointStats, "elapsedMs"> {
  const { elapsedMs: _elapsed, ...rest } = stats;
  return rest;
}

function inProcess(task: SweepTask): Omit<PointStats, "elapsedMs"> {
  return numbers(
    runBacktest(pointOptions(options, task.params), windowData(data, task.fromMs, task.toMs)).stats,
  );
}

describe("createSweepPool", () => {
  it("worker threads give exactly the numbers runBacktest gives in-process", async () => {
    const pool = createSweepPool(options, data, { workers: 2, useMainThread: false });
    try {
      const outcomes = await pool.run(tasks);
      expect(outcomes.every((o) => o.runner >= 1 && o.runner <= 2)).toBe(true);
      outcomes.forEach((o, i) => {
        expect(numbers(o.stats)).toEqual(inProcess(tasks[i] as SweepTask));
      });
      // A windowed task really ran on its window only.
      expect(outcomes[6]?.stats.bars).toBe(500);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it("2 workers give the results of 1 worker, in task order whoever ran them", async () => {
    const one = createSweepPool(options, data, { workers: 1 });
    const two = createSweepPool(options, data, { workers: 2 });
    try {
      const a = await one.run(tasks);
      const seen: number[] = [];
      const b = await two.run(tasks, (done, total) => {
        expect(total).toBe(tasks.length);
        seen.push(done);
      });
      expect(a.every((o) => o.runner === 0)).toBe(true);
      expect(seen).toEqual(tasks.map((_, i) => i + 1));
      expect(b.map((o) => numbers(o.stats))).toEqual(a.map((o) => numbers(o.stats)));
      // The pool keeps its threads for the next batch and gives the same numbers again.
      const again = await two.run([...tasks].reverse());
      expect(again.map((o) => numbers(o.stats))).toEqual([...a].reverse().map((o) => numbers(o.stats)));
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  }, 120_000);

  it("rejects with the task's BacktestError code from a thread, and stays usable", async () => {
    const pool = createSweepPool(options, data, { workers: 1, useMainThread: false });
    try {
      const failing = pool.run([{ params: { fast: "5", slow: "20" } }, { params: { nope: "1" } }]);
      await expect(failing).rejects.toBeInstanceOf(BacktestError);
      await expect(pool.run([{ params: { nope: "1" } }])).rejects.toMatchObject({ code: "bad-parameter" });
      const ok = await pool.run([tasks[0] as SweepTask]);
      expect(numbers((ok[0] as { stats: PointStats }).stats)).toEqual(inProcess(tasks[0] as SweepTask));
    } finally {
      await pool.close();
    }
  }, 120_000);

  it("rejects a task error in-process the same way", async () => {
    const pool = createSweepPool(options, data, { workers: 1 });
    await expect(pool.run([{ params: { fast: "30", slow: "10" } }])).rejects.toMatchObject({
      name: "BacktestError",
      code: "bad-parameter",
    });
    expect(await pool.run([])).toEqual([]);
    await pool.close();
    await expect(pool.run(tasks)).rejects.toThrow("closed");
  });

  it("rejects a bad worker count", () => {
    for (const workers of [0, -1, 1.5, 65]) {
      expect(() => createSweepPool(options, data, { workers })).toThrow(BacktestError);
    }
  });
});

describe("autoWorkers", () => {
  it("stays in-process for small searches and uses every core for large ones", () => {
    expect(autoWorkers(THREADS_PAY_OFF_BARS - 1)).toBe(1);
    expect(autoWorkers(THREADS_PAY_OFF_BARS)).toBe(defaultWorkers());
    expect(defaultWorkers()).toBeGreaterThanOrEqual(1);
  });
});

describe("shareData", () => {
  it("copies the bars into shared memory without changing them", () => {
    const shared = shareData(data);
    const s = shared.series[0];
    const o = data.series[0];
    expect(s?.close.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(s?.close ?? [])).toEqual(Array.from(o?.close ?? []));
    expect(Array.from(s?.tsOpen ?? [])).toEqual(Array.from(o?.tsOpen ?? []));
    expect(o?.close.buffer).not.toBeInstanceOf(SharedArrayBuffer);
  });
});
