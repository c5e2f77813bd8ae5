import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BacktestError } from "../errors.js";
import { buildWindows, parseDuration } from "./windows.js";

const DAY = 86_400_000;
const HOUR = 3_600_000;

function badArgument(fn: () => unknown, text: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(BacktestError);
  expect((caught as BacktestError).code).toBe("bad-argument");
  expect((caught as Error).message).toContain(text);
}

describe("parseDuration", () => {
  it("reads days, hours and minutes", () => {
    expect(parseDuration("--train", "30d")).toBe(30 * DAY);
    expect(parseDuration("--test", "12h")).toBe(12 * HOUR);
    expect(parseDuration("--step", "90m")).toBe(90 * 60_000);
    expect(parseDuration("--test", "1.5d")).toBe(36 * HOUR);
  });

  it("rejects anything else", () => {
    for (const value of ["30", "d", "30x", "-1d", "0d", "1 d", "1e3d", ""]) {
      badArgument(() => parseDuration("--train", value), "--train");
    }
  });
});

describe("buildWindows", () => {
  it("rolls train and test windows from the first bar, test after train, whole test windows only", () => {
    const windows = buildWindows({
      dataFromMs: 0,
      dataToMs: 50 * DAY,
      trainMs: 30 * DAY,
      testMs: 7 * DAY,
      stepMs: 7 * DAY,
    });
    expect(windows).toEqual([
      { index: 0, trainFromMs: 0, trainToMs: 30 * DAY, testFromMs: 30 * DAY, testToMs: 37 * DAY },
      { index: 1, trainFromMs: 7 * DAY, trainToMs: 37 * DAY, testFromMs: 37 * DAY, testToMs: 44 * DAY },
    ]);
  });

  it("leaves gaps between test windows when the step is longer than the test", () => {
    const windows = buildWindows({
      dataFromMs: 0,
      dataToMs: 40 * DAY,
      trainMs: 10 * DAY,
      testMs: 5 * DAY,
      stepMs: 10 * DAY,
    });
    expect(windows.map((w) => [w.testFromMs / DAY, w.testToMs / DAY])).toEqual([
      [10, 15],
      [20, 25],
      [30, 35],
    ]);
  });

  it("never overlaps a test window with its train window or with another test window (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 400 }),
        (train, test, extraStep, extraData) => {
          const plan = {
            dataFromMs: 1_700_000_000_000,
            dataToMs: 1_700_000_000_000 + (train + test + extraData) * HOUR,
            trainMs: train * HOUR,
            testMs: test * HOUR,
            stepMs: (test + extraStep) * HOUR,
          };
          const windows = buildWindows(plan);
          expect(windows.length).toBeGreaterThanOrEqual(1);
          windows.forEach((w, i) => {
            expect(w.index).toBe(i);
            expect(w.trainFromMs).toBeGreaterThanOrEqual(plan.dataFromMs);
            expect(w.trainToMs - w.trainFromMs).toBe(plan.trainMs);
            expect(w.testFromMs).toBe(w.trainToMs); // test starts where train ends: no overlap, no gap
            expect(w.testToMs - w.testFromMs).toBe(plan.testMs);
            expect(w.testToMs).toBeLessThanOrEqual(plan.dataToMs);
            const previous = windows[i - 1];
            if (previous !== undefined) expect(w.testFromMs).toBeGreaterThanOrEqual(previous.testToMs);
          });
          // No further whole window would fit.
          const last = windows[windows.length - 1];
          if (last !== undefined) expect(last.testToMs + plan.stepMs).toBeGreaterThan(plan.dataToMs);
        },
      ),
    );
  });

  it("rejects train + test longer than the data and a step shorter than the test", () => {
    badArgument(
      () => buildWindows({ dataFromMs: 0, dataToMs: 30 * DAY, trainMs: 30 * DAY, testMs: DAY, stepMs: DAY }),
      "longer than the data",
    );
    badArgument(
      () =>
        buildWindows({
          dataFromMs: 0,
          dataToMs: 90 * DAY,
          trainMs: 30 * DAY,
          testMs: 7 * DAY,
          stepMs: 6 * DAY,
        }),
      "must be at least --test",
    );
  });
});
