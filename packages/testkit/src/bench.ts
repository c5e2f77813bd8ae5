import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** One benchmark measurement: how many units were processed in how long. */
export interface Measurement {
  /** Units processed (bars, fills, updates, operations). */
  readonly units: number;
  /** Wall time in milliseconds. */
  readonly elapsedMs: number;
  /** Units per second. */
  readonly perSecond: number;
}

/** What `writeBenchResult` stores. */
export interface BenchResult {
  /** Package-unique benchmark name, used as the file name. */
  readonly name: string;
  /** What one unit is ("bars", "fills", "updates"). */
  readonly unit: string;
  /** Median throughput over the rounds. */
  readonly perSecond: number;
  /** Each round's measurement. */
  readonly rounds: readonly Measurement[];
  /** Optional target in units per second, and whether the median met it. */
  readonly target?: number;
  readonly metTarget?: boolean;
  /** Extra numbers worth keeping (memory, sizes). */
  readonly extra?: Readonly<Record<string, number | string | boolean>>;
}

/** Runs `fn` (which returns the units it processed) `rounds` times after one warm-up round. */
export function measure(fn: () => number, rounds = 5): Measurement[] {
  fn();
  const out: Measurement[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    const units = fn();
    const elapsedMs = Number(process.hrtime.bigint() - t0) / 1e6;
    out.push({ units, elapsedMs, perSecond: units / (elapsedMs / 1000) });
  }
  return out;
}

/** Writes `bench-results/<name>.json` under `packageDir` and returns the result object. */
export function writeBenchResult(
  packageDir: string,
  name: string,
  unit: string,
  rounds: readonly Measurement[],
  options: { target?: number; extra?: Record<string, number | string | boolean> } = {},
): BenchResult {
  const sorted = [...rounds].map((r) => r.perSecond).sort((a, b) => a - b);
  const perSecond = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const result: BenchResult = {
    name,
    unit,
    perSecond,
    rounds,
    ...(options.target === undefined
      ? {}
      : { target: options.target, metTarget: perSecond >= options.target }),
    ...(options.extra === undefined ? {} : { extra: options.extra }),
  };
  const dir = join(packageDir, "bench-results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
