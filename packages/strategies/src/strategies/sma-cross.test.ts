import { instrumentId } from "@gpt/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { replayStrategy } from "../context.js";
import { createStrategy } from "../registry.js";
import { BTC, barsFromCloses, directionPath, randomWalkCloses, targets } from "../test-support.js";
import { SmaCrossStrategy } from "./sma-cross.js";

function naiveSma(xs: readonly number[], end: number, n: number): number {
  let s = 0;
  for (let i = end - n + 1; i <= end; i++) s += xs[i] as number;
  return s / n;
}

describe("sma-cross", () => {
  it("goes long on the cross up and flat on the cross down (rising then falling series)", () => {
    const closes = [10, 10, 10, 10, 11, 12, 13, 12, 11, 10, 9, 9];
    const strategy = createStrategy("sma-cross", { fast: 2, slow: 4 }, { instrumentId: BTC });
    const run = replayStrategy(strategy, barsFromCloses(closes));
    // bar 3: SMA2 = SMA4 = 10 -> flat (first ready bar); bar 4: 10.5 > 10.25 -> long;
    // bar 8: 11.5 < 12 -> flat.
    expect(directionPath(run.intents)).toEqual([
      [3, "flat"],
      [4, "long"],
      [8, "flat"],
    ]);
    const [first, long] = targets(run.intents);
    expect(first?.target).toMatchObject({ confidence: 1, strategyId: "sma-cross:BTC-USD.COINBASE" });
    expect(long?.target).toMatchObject({ direction: "long", confidence: 1, sizeFraction: 1 });
    expect(long?.target.stopPrice).toBeUndefined();
  });

  it("emits nothing before both averages are ready", () => {
    const strategy = createStrategy("sma-cross", { fast: 3, slow: 5 }, { instrumentId: BTC });
    const run = replayStrategy(strategy, barsFromCloses([1, 2, 3, 4]));
    expect(run.intents).toEqual([]);
    expect(strategy.warmUpBars).toBe(5);
  });

  it("carries the fraction as sizeFraction of long targets", () => {
    const strategy = createStrategy(
      "sma-cross",
      { fast: "1", slow: "2", fraction: "0.25" },
      { instrumentId: BTC },
    );
    const run = replayStrategy(strategy, barsFromCloses([1, 2, 3]));
    expect(targets(run.intents).map((t) => t.target.sizeFraction)).toEqual([0.25]);
  });

  it("equals the reference semantics on random series (long iff SMA(fast) > SMA(slow), emitted on change)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 10_000 }),
        (fast, extra, seed) => {
          const slow = fast + extra;
          const closes = randomWalkCloses(120, seed, { sigma: () => 0.02 });
          const run = replayStrategy(
            new SmaCrossStrategy({ fast, slow, fraction: 1 }, { instrumentId: BTC }),
            barsFromCloses(closes),
          );
          const expected: [number, string][] = [];
          let last: string | undefined;
          for (let t = slow - 1; t < closes.length; t++) {
            const diff = naiveSma(closes, t, fast) - naiveSma(closes, t, slow);
            // A float tie is ambiguous between the naive and the streaming sums: skip such a series.
            if (Math.abs(diff) <= 1e-9 * (closes[t] as number)) return;
            const d = diff > 0 ? "long" : "flat";
            if (d !== last) expected.push([t, d]);
            last = d;
          }
          expect(directionPath(run.intents)).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("ignores bars of other instruments and resets", () => {
    const strategy = createStrategy("sma-cross", { fast: 1, slow: 2 }, { instrumentId: BTC });
    const other = barsFromCloses([1, 2, 3], { instrumentId: instrumentId("ETH-USD", "COINBASE") });
    expect(replayStrategy(strategy, other).intents).toEqual([]);
    const bars = barsFromCloses([1, 2, 3, 2, 1]);
    const a = replayStrategy(strategy, bars).intents;
    strategy.reset?.();
    expect(replayStrategy(strategy, bars).intents).toEqual(a);
  });
});
