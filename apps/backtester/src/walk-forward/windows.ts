import { BacktestError } from "../errors.js";
import { excerpt } from "../excerpt.js";

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;

/**
 * Parses a duration: a positive number with a unit, `d` (days), `h` (hours) or `m` (minutes):
 * `30d`, `12h`, `90m`, `1.5d`. Returns whole milliseconds.
 */
export function parseDuration(option: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)([dhm])$/.exec(value);
  if (match === null) {
    throw new BacktestError(
      "bad-argument",
      `${option} ${excerpt(value)}: expected a duration like 30d, 12h or 90m`,
    );
  }
  const ms = Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
  if (ms <= 0) throw new BacktestError("bad-argument", `${option} ${excerpt(value)}: must be positive`);
  return ms;
}

/**
 * One walk-forward step: optimise on `[trainFromMs, trainToMs)`, then trade the chosen parameters
 * on `[testFromMs, testToMs)`. Times are bar open times, unix ms; `testFromMs === trainToMs`.
 */
export interface WalkWindow {
  /** 0-based position. */
  readonly index: number;
  readonly trainFromMs: number;
  readonly trainToMs: number;
  readonly testFromMs: number;
  readonly testToMs: number;
}

/** The span of the data and the window lengths, all in ms. */
export interface WindowPlan {
  /** Open time of the first bar. */
  readonly dataFromMs: number;
  /** End of the data: the last bar's open time plus one bar. */
  readonly dataToMs: number;
  readonly trainMs: number;
  readonly testMs: number;
  /** How far each window moves on; at least `testMs` so test windows never overlap. */
  readonly stepMs: number;
}

/**
 * Rolling windows from the start of the data: window `i` trains on
 * `[start + i·step, start + i·step + train)` and tests on the `test` that follows. Only whole test
 * windows are made (a shorter tail is left out). Test windows never overlap their own train window
 * or each other, and each begins where its train window ends.
 *
 * @throws BacktestError (`bad-argument`) when train + test is longer than the data, or step < test.
 */
export function buildWindows(plan: WindowPlan): WalkWindow[] {
  const span = plan.dataToMs - plan.dataFromMs;
  const days = (ms: number): string => `${(ms / 86_400_000).toFixed(2)} days`;
  if (plan.trainMs + plan.testMs > span) {
    throw new BacktestError(
      "bad-argument",
      `--train + --test is ${days(plan.trainMs + plan.testMs)}, longer than the data (${days(span)})`,
    );
  }
  if (plan.stepMs < plan.testMs) {
    throw new BacktestError(
      "bad-argument",
      `--step (${days(plan.stepMs)}) must be at least --test (${days(plan.testMs)}) so test windows do not overlap`,
    );
  }
  const windows: WalkWindow[] = [];
  for (let index = 0; ; index++) {
    const trainFromMs = plan.dataFromMs + index * plan.stepMs;
    const trainToMs = trainFromMs + plan.trainMs;
    const testToMs = trainToMs + plan.testMs;
    if (testToMs > plan.dataToMs) break;
    windows.push({ index, trainFromMs, trainToMs, testFromMs: trainToMs, testToMs });
  }
  return windows;
}
