import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { replayStrategy } from "../context.js";
import { createStrategy } from "../registry.js";
import { BTC, barsFromCloses, directionPath, randomWalkCloses, targets } from "../test-support.js";

function naiveZ(xs: readonly number[], end: number, n: number): { z: number; mean: number; sd: number } {
  const w = xs.slice(end - n + 1, end + 1);
  const mean = w.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return { z: sd > 0 ? ((xs[end] as number) - mean) / sd : 0, mean, sd };
}

describe("mean-reversion", () => {
  it("buys a drop below -entryZ and sells when z comes back inside exitZ", () => {
    const closes = [100, 101, 100, 101, 100, 96, 97, 99.5, 100];
    const run = replayStrategy(
      createStrategy("mean-reversion", { period: 5, entryZ: 1.5, exitZ: 0.3 }, { instrumentId: BTC }),
      barsFromCloses(closes),
    );
    // bar 5: mean 99.6, sd 1.8547, z -1.94 -> long; bar 6: z -0.93 (hold); bar 7: z 0.42 -> exit.
    expect(directionPath(run.intents)).toEqual([
      [4, "flat"],
      [5, "long"],
      [7, "flat"],
    ]);
    const entry = targets(run.intents)[1]?.target;
    const { z, mean } = naiveZ(closes, 5, 5);
    expect(entry?.takeProfitPrice).toBeCloseTo(mean, 12);
    expect(entry?.stopPrice).toBeUndefined();
    expect(entry?.confidence).toBeCloseTo(Math.min(1, (0.5 * Math.abs(z)) / 1.5), 12);
    expect(targets(run.intents)[2]?.target.reason).toBe("mean-reversion: z-score reverted inside exitZ");
  });

  it("sets a stop at mean - stopZ x sd and exits there", () => {
    const closes = [100, 101, 100, 101, 100, 101, 100, 101, 100, 101, 98.5, 80];
    const run = replayStrategy(
      createStrategy(
        "mean-reversion",
        { period: 10, entryZ: 1.5, exitZ: 0.3, stopZ: 2.5 },
        { instrumentId: BTC },
      ),
      barsFromCloses(closes),
    );
    // bar 10: z -2.38 (inside the stop) -> long; bar 11: z -2.98 -> beyond stopZ.
    const { mean, sd } = naiveZ(closes, 10, 10);
    const ts = targets(run.intents);
    expect(ts[1]?.target.stopPrice).toBeCloseTo(mean - 2.5 * sd, 12);
    expect(naiveZ(closes, 11, 10).z).toBeLessThan(-2.5);
    expect(directionPath(run.intents)).toEqual([
      [9, "flat"],
      [10, "long"],
      [11, "flat"],
    ]);
    expect(ts[2]?.target.reason).toBe("mean-reversion: z-score beyond stopZ");
  });

  it("does not enter beyond the stop level", () => {
    const closes = [100, 101, 100, 101, 100, 101, 100, 101, 100, 101, 98.5];
    const run = replayStrategy(
      createStrategy(
        "mean-reversion",
        { period: 10, entryZ: 1.5, exitZ: 0.3, stopZ: 2 },
        { instrumentId: BTC },
      ),
      barsFromCloses(closes),
    );
    expect(directionPath(run.intents)).toEqual([[9, "flat"]]);
  });

  it("fades spikes up with allowShort", () => {
    const closes = [100, 99, 100, 99, 100, 104, 103, 100.5];
    const bars = barsFromCloses(closes);
    const run = replayStrategy(
      createStrategy(
        "mean-reversion",
        { period: 5, entryZ: 1.5, exitZ: 0.3, allowShort: true },
        { instrumentId: BTC },
      ),
      bars,
    );
    expect(directionPath(run.intents)).toEqual([
      [4, "flat"],
      [5, "short"],
      [7, "flat"],
    ]);
    const longOnly = replayStrategy(
      createStrategy("mean-reversion", { period: 5, entryZ: 1.5, exitZ: 0.3 }, { instrumentId: BTC }),
      bars,
    );
    expect(directionPath(longOnly.intents)).toEqual([[4, "flat"]]);
  });

  it("matches a naive z-score reference on oscillating random series", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 15 }),
        fc.double({ min: 0.5, max: 2.5, noNaN: true }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        fc.boolean(),
        fc.integer({ min: 0, max: 100_000 }),
        (period, entryZ, exitFrac, allowShort, seed) => {
          const exitZ = entryZ * exitFrac;
          const base = randomWalkCloses(200, seed, { sigma: () => 0.01 });
          const closes = base.map((c, i) => c * (1 + 0.03 * Math.sin(i / 3)));
          const run = replayStrategy(
            createStrategy("mean-reversion", { period, entryZ, exitZ, allowShort }, { instrumentId: BTC }),
            barsFromCloses(closes),
          );
          const expected: [number, string][] = [];
          let dir = "flat";
          for (let t = period - 1; t < closes.length; t++) {
            const { z } = naiveZ(closes, t, period);
            // Skip series where a decision sits on a float boundary.
            for (const edge of [entryZ, -entryZ, exitZ, -exitZ]) if (Math.abs(z - edge) < 1e-9) return;
            let next = dir;
            if (dir === "long" && z >= -exitZ) next = "flat";
            if (dir === "short" && z <= exitZ) next = "flat";
            if (next === "flat") {
              if (z < -entryZ && dir !== "long") next = "long";
              else if (allowShort && z > entryZ && dir !== "short") next = "short";
            }
            if (next !== dir || t === period - 1) expected.push([t, next]);
            dir = next;
          }
          expect(directionPath(run.intents)).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("validates thresholds", () => {
    expect(() => createStrategy("mean-reversion", { entryZ: 1, exitZ: 1 }, { instrumentId: BTC })).toThrow(
      /exitZ/,
    );
    expect(() => createStrategy("mean-reversion", { entryZ: 2, stopZ: 1.5 }, { instrumentId: BTC })).toThrow(
      /stopZ/,
    );
    expect(() => createStrategy("mean-reversion", { period: 1 }, { instrumentId: BTC })).toThrow(/period/);
  });
});
