// bench-loader: tsx
// Sweep scaling: 16 sma-cross points on the embedded synthetic series (20,000 hourly bars), run
// with 1 worker (in-process) and with 2 (this thread plus one worker thread).
//
// - warm: each pool is started once and warmed up; rounds time a batch of the 16 points. This is
//   the sweep's throughput scaling (`speedup`, target 1.7).
// - cold: each round starts a new pool, as one CLI invocation does, so the 2-worker time includes
//   booting the worker thread (loading the TypeScript sources through tsx, about a second):
//   `speedupCold` for the same 16 points, `speedupCold64` for 64 points, where the start-up is
//   spread over more work.
// Rounds alternate between 1 and 2 workers so a change in machine load hits both alike, and the
// speedups are the medians of the per-round ratios (1-worker time / 2-worker time of each pair).
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { type Measurement, writeBenchResult } from "@gpt/testkit";
import { parseRunOptions } from "./cli/options.js";
import { loadRunData } from "./run.js";
import { createSweepPool, type SweepPool } from "./sweep/pool.js";
import type { SweepTask } from "./sweep/task.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const ROUNDS = 7;
const TARGET_SPEEDUP = 1.7;

const options = parseRunOptions({ progress: false });
const data = loadRunData(options);
const tasks: SweepTask[] = [5, 10, 15, 20].flatMap((fast) =>
  [30, 50, 80, 120].map((slow) => ({ params: { fast: String(fast), slow: String(slow) } })),
);

async function timed(pool: SweepPool): Promise<Measurement> {
  const t0 = process.hrtime.bigint();
  await pool.run(tasks);
  const elapsedMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return { units: tasks.length, elapsedMs, perSecond: tasks.length / (elapsedMs / 1000) };
}

const tasks64: SweepTask[] = Array.from({ length: 16 }, (_, i) => i + 4).flatMap((fast) =>
  [30, 50, 80, 120].map((slow) => ({ params: { fast: String(fast), slow: String(slow) } })),
);

async function cold(workers: number, batch: readonly SweepTask[]): Promise<Measurement> {
  const t0 = process.hrtime.bigint();
  const pool = createSweepPool(options, data, { workers });
  try {
    await pool.run(batch);
  } finally {
    await pool.close();
  }
  const elapsedMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return { units: batch.length, elapsedMs, perSecond: batch.length / (elapsedMs / 1000) };
}

const middle = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const median = (rounds: readonly Measurement[]): number => middle(rounds.map((r) => r.elapsedMs));
/** The median over round pairs of (1-worker time / 2-worker time). */
const pairedSpeedup = (ones: readonly Measurement[], twos: readonly Measurement[]): number =>
  middle(ones.map((m, i) => m.elapsedMs / (twos[i]?.elapsedMs ?? Number.NaN)));

const loadBefore = loadavg()[0] ?? 0;
const one = createSweepPool(options, data, { workers: 1 });
const two = createSweepPool(options, data, { workers: 2 });
const warm1: Measurement[] = [];
const warm2: Measurement[] = [];
try {
  await one.run(tasks); // JIT warm-up of this thread
  await two.run(tasks); // boots and warms the worker thread
  for (let r = 0; r < ROUNDS; r++) {
    warm1.push(await timed(one));
    warm2.push(await timed(two));
  }
} finally {
  await Promise.all([one.close(), two.close()]);
}
const cold1: Measurement[] = [];
const cold2: Measurement[] = [];
const cold64x1: Measurement[] = [];
const cold64x2: Measurement[] = [];
for (let r = 0; r < 3; r++) {
  cold1.push(await cold(1, tasks));
  cold2.push(await cold(2, tasks));
  cold64x1.push(await cold(1, tasks64));
  cold64x2.push(await cold(2, tasks64));
}
const loadAfter = loadavg()[0] ?? 0;

const speedup = pairedSpeedup(warm1, warm2);
const bestSpeedup = Math.min(...warm1.map((m) => m.elapsedMs)) / Math.min(...warm2.map((m) => m.elapsedMs));
const speedupCold = pairedSpeedup(cold1, cold2);
const speedupCold64 = pairedSpeedup(cold64x1, cold64x2);
const result = writeBenchResult(packageDir, "sweep-2-workers", "points", warm2, {
  extra: {
    speedup: Number(speedup.toFixed(3)),
    targetSpeedup: TARGET_SPEEDUP,
    metTargetSpeedup: speedup >= TARGET_SPEEDUP,
    bestOfRoundsSpeedup: Number(bestSpeedup.toFixed(3)),
    roundSpeedups: warm1
      .map((m, i) => (m.elapsedMs / (warm2[i]?.elapsedMs ?? Number.NaN)).toFixed(2))
      .join(" "),
    speedupCold: Number(speedupCold.toFixed(3)),
    speedupCold64: Number(speedupCold64.toFixed(3)),
    points: tasks.length,
    bars: data.series[0]?.length ?? 0,
    medianMs1Worker: Number(median(warm1).toFixed(1)),
    medianMs2Workers: Number(median(warm2).toFixed(1)),
    medianMsCold1Worker: Number(median(cold1).toFixed(1)),
    medianMsCold2Workers: Number(median(cold2).toFixed(1)),
    medianMsCold64Points1Worker: Number(median(cold64x1).toFixed(1)),
    medianMsCold64Points2Workers: Number(median(cold64x2).toFixed(1)),
    cores: availableParallelism(),
    loadAverageBefore: Number(loadBefore.toFixed(2)),
    loadAverageAfter: Number(loadAfter.toFixed(2)),
  },
});
console.log(
  `sweep ${tasks.length} points × ${result.extra?.bars} bars: 1 worker ${median(warm1).toFixed(0)} ms, 2 workers ${median(warm2).toFixed(0)} ms → speedup ${speedup.toFixed(2)}× (target ${TARGET_SPEEDUP}×); cold (with thread start) ${speedupCold.toFixed(2)}×, 64 points ${speedupCold64.toFixed(2)}×; load ${loadBefore.toFixed(2)}→${loadAfter.toFixed(2)} on ${availableParallelism()} cores`,
);
