import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { replayStrategy } from "../context.js";
import { createStrategy } from "../registry.js";
import {
  BTC,
  barsFromCloses,
  barsFromOhlc,
  directionPath,
  randomWalkCloses,
  targets,
} from "../test-support.js";

type Row = readonly [number, number, number, number];

const range: Row[] = [
  [100, 101, 99, 100.5],
  [100.5, 101, 99, 99.5],
  [99.5, 101, 99, 100],
  [100, 101, 99, 100.2],
  [100.2, 101, 99, 99.8],
  [99.8, 101, 99, 100],
];
const breakout: Row[] = [
  [100, 102, 99.5, 101.5], // 6: close 101.5 above the previous five highs (101); its own high is 102
  [101.5, 103, 101, 102.5],
  [102.5, 103, 100.5, 101],
  [101, 101.2, 99.8, 100],
  [100, 100.2, 99, 99.2], // 10: close below the lowest low of bars 7..9 (99.8)
];

describe("breakout", () => {
  const params = { entryPeriod: 5, exitPeriod: 3, atrPeriod: 3, atrMultiplier: 0 };

  it("enters on a close above the channel of the previous bars and exits through the exit channel", () => {
    const run = replayStrategy(
      createStrategy("breakout", params, { instrumentId: BTC }),
      barsFromOhlc([...range, ...breakout]),
    );
    expect(directionPath(run.intents)).toEqual([
      [5, "flat"],
      [6, "long"],
      [10, "flat"],
    ]);
    const ts = targets(run.intents);
    expect(ts[1]?.target.reason).toBe("breakout: close above the entry-channel high");
    expect(ts[1]?.target.stopPrice).toBeUndefined();
    expect(ts[2]?.target.reason).toBe("breakout: close through the exit channel");
  });

  it("excludes the current bar from the channel", () => {
    // Bar 6 alone: if its own high (102) were in the channel, a close of 101.5 could not break out.
    const run = replayStrategy(
      createStrategy("breakout", params, { instrumentId: BTC }),
      barsFromOhlc([...range, breakout[0] as Row]),
    );
    expect(directionPath(run.intents).at(-1)).toEqual([6, "long"]);
  });

  it("exits at the ATR stop (entry close - k x ATR) before the channel does", () => {
    const run = replayStrategy(
      createStrategy("breakout", { ...params, atrMultiplier: 0.5 }, { instrumentId: BTC }),
      barsFromOhlc([...range, ...breakout]),
    );
    // Wilder ATR(3): true ranges 2, 2, 2, 2, 2 then 2.5 at bar 6 -> 2 + 0.5 / 3.
    const atr = 2 + 0.5 / 3;
    const ts = targets(run.intents);
    expect(ts[1]?.target.stopPrice).toBeCloseTo(101.5 - 0.5 * atr, 12);
    expect(directionPath(run.intents)).toEqual([
      [5, "flat"],
      [6, "long"],
      [9, "flat"],
    ]);
    expect(ts[2]?.target.reason).toBe("breakout: ATR stop hit");
  });

  it("trades downside breakouts with allowShort, mirrored", () => {
    const mirror = (rows: readonly Row[]): Row[] =>
      rows.map(([o, h, l, c]) => [200 - o, 200 - l, 200 - h, 200 - c]);
    const bars = barsFromOhlc(mirror([...range, ...breakout]));
    const run = replayStrategy(
      createStrategy("breakout", { ...params, allowShort: true }, { instrumentId: BTC }),
      bars,
    );
    expect(directionPath(run.intents)).toEqual([
      [5, "flat"],
      [6, "short"],
      [10, "flat"],
    ]);
    const longOnly = replayStrategy(createStrategy("breakout", params, { instrumentId: BTC }), bars);
    expect(directionPath(longOnly.intents)).toEqual([[5, "flat"]]);
  });

  it("matches a naive Donchian reference on random walks", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 100_000 }),
        (entry, exit, allowShort, seed) => {
          const bars = barsFromCloses(randomWalkCloses(150, seed, { sigma: () => 0.02 }), { spread: 0.004 });
          const run = replayStrategy(
            createStrategy(
              "breakout",
              { entryPeriod: entry, exitPeriod: exit, atrPeriod: 2, atrMultiplier: 0, allowShort },
              { instrumentId: BTC },
            ),
            bars,
          );
          const hi = (end: number, n: number) => Math.max(...bars.slice(end - n, end).map((b) => b.high));
          const lo = (end: number, n: number) => Math.min(...bars.slice(end - n, end).map((b) => b.low));
          const expected: [number, string][] = [];
          let dir = "flat";
          let emitted = false;
          for (let t = Math.max(entry, exit, 2); t < bars.length; t++) {
            const c = (bars[t] as (typeof bars)[number]).close;
            let next = dir;
            if (dir === "long" && c < lo(t, exit)) next = "flat";
            if (dir === "short" && c > hi(t, exit)) next = "flat";
            if (next === "flat") {
              if (c > hi(t, entry) && dir !== "long") next = "long";
              else if (allowShort && c < lo(t, entry) && dir !== "short") next = "short";
            }
            if (next !== dir || !emitted) expected.push([t, next]);
            emitted = true;
            dir = next;
          }
          expect(directionPath(run.intents)).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("reports its warm-up and validates params", () => {
    expect(createStrategy("breakout", {}, { instrumentId: BTC }).warmUpBars).toBe(21);
    expect(() => createStrategy("breakout", { entryPeriod: 0 }, { instrumentId: BTC })).toThrow(
      /entryPeriod/,
    );
  });
});
