import type { Bar } from "@gpt/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { replayStrategy } from "../context.js";
import { createStrategy } from "../registry.js";
import { BTC, barsFromCloses, directionPath, randomWalkCloses, targets } from "../test-support.js";

/** Wilder ATR, first bar skipped, computed naively. */
function naiveAtr(bars: readonly Bar[], period: number): (number | undefined)[] {
  const out: (number | undefined)[] = [undefined];
  let atr = 0;
  let sum = 0;
  for (let i = 1; i < bars.length; i++) {
    const b = bars[i] as Bar;
    const pc = (bars[i - 1] as Bar).close;
    const tr = Math.max(b.high - b.low, Math.abs(b.high - pc), Math.abs(b.low - pc));
    if (i < period) {
      sum += tr;
      out.push(undefined);
    } else if (i === period) {
      atr = (sum + tr) / period;
      out.push(atr);
    } else {
      atr += (tr - atr) / period;
      out.push(atr);
    }
  }
  return out;
}

function naiveSma(xs: readonly number[], end: number, n: number): number {
  let s = 0;
  for (let i = end - n + 1; i <= end; i++) s += xs[i] as number;
  return s / n;
}

const ramp = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("trend-following", () => {
  const params = { fast: 5, slow: 10, maType: "sma", atrPeriod: 3, atrMultiplier: 2 };

  it("enters on the first ready bar in an up-trend, trails the stop, exits at the stop and waits for a new cross", () => {
    const closes = [...ramp(100, 120), 110, 111, 112, 113, 114, 115, ...ramp(116, 140)];
    const bars = barsFromCloses(closes);
    const strategy = createStrategy("trend-following", params, { instrumentId: BTC });
    const run = replayStrategy(strategy, bars);
    const atr = naiveAtr(bars, 3);
    const ts = targets(run.intents);

    // Entry at bar 9 (slow SMA ready), stop = close - 2 ATR.
    expect(ts[0]?.index).toBe(9);
    expect(ts[0]?.target).toMatchObject({ direction: "long", reason: expect.stringContaining("initial") });
    expect(ts[0]?.target.stopPrice).toBeCloseTo(109 - 2 * (atr[9] as number), 9);
    // The stop trails every rising bar up to 120 and only rises.
    const trail = ts.filter((t) => t.index >= 9 && t.index <= 20);
    expect(trail.map((t) => t.index)).toEqual(ramp(9, 20));
    for (const t of trail)
      expect(t.target.stopPrice).toBeCloseTo((closes[t.index] as number) - 2 * (atr[t.index] as number), 9);
    const stops = trail.map((t) => t.target.stopPrice as number);
    expect([...stops].sort((a, b) => a - b)).toEqual(stops);
    // Bar 21 closes at 110, through the stop (~117.6) while the fast SMA is still above the slow one.
    expect(naiveSma(closes, 21, 5)).toBeGreaterThan(naiveSma(closes, 21, 10));
    const exit = ts.find((t) => t.index === 21);
    expect(exit?.target).toMatchObject({
      direction: "flat",
      confidence: 1,
      reason: "trend-following: ATR stop hit",
    });
    // No re-entry until the averages cross down and then up again.
    let firstDown = -1;
    let reCross = -1;
    for (let t = 22; t < closes.length; t++) {
      const up = naiveSma(closes, t, 5) > naiveSma(closes, t, 10);
      if (!up && firstDown < 0) firstDown = t;
      if (up && firstDown >= 0) {
        reCross = t;
        break;
      }
    }
    expect(firstDown).toBeGreaterThan(21);
    expect(reCross).toBeGreaterThan(firstDown);
    const next = ts.find((t) => t.index > 21);
    expect(next?.index).toBe(reCross);
    expect(next?.target).toMatchObject({
      direction: "long",
      reason: "trend-following: fast MA crossed above slow MA",
    });
  });

  it("without trailing the stop stays at its entry level (no intents while holding)", () => {
    const closes = [...ramp(100, 130), ...ramp(100, 129).reverse()];
    const run = replayStrategy(
      createStrategy(
        "trend-following",
        { ...params, trailing: false, atrMultiplier: 50 },
        { instrumentId: BTC },
      ),
      barsFromCloses(closes),
    );
    const path = directionPath(run.intents);
    expect(path[0]).toEqual([9, "long"]);
    expect(path).toHaveLength(2);
    expect(path[1]?.[1]).toBe("flat");
    expect(targets(run.intents)[1]?.target.reason).toBe("trend-following: fast MA crossed below slow MA");
  });

  it("goes short in a down-trend with allowShort, stop above the close", () => {
    const closes = ramp(60, 100).reverse();
    const run = replayStrategy(
      createStrategy(
        "trend-following",
        { ...params, allowShort: true, trailing: "false" },
        { instrumentId: BTC },
      ),
      barsFromCloses(closes),
    );
    const [first] = targets(run.intents);
    expect(first?.target.direction).toBe("short");
    expect(first?.target.stopPrice).toBeGreaterThan(closes[9] as number);
    expect(first?.target.confidence).toBeGreaterThanOrEqual(0.5);
    expect(first?.target.confidence).toBeLessThanOrEqual(1);
    const flat = replayStrategy(
      createStrategy("trend-following", params, { instrumentId: BTC }),
      barsFromCloses(closes),
    );
    expect(directionPath(flat.intents)).toEqual([[9, "flat"]]);
  });

  it("with SMAs and no stop it follows the same crossovers as sma-cross", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), (seed) => {
        const bars = barsFromCloses(randomWalkCloses(200, seed, { sigma: () => 0.015 }));
        const tf = replayStrategy(
          createStrategy(
            "trend-following",
            { fast: 4, slow: 9, maType: "sma", atrPeriod: 5, atrMultiplier: 0 },
            { instrumentId: BTC },
          ),
          bars,
        );
        const sma = replayStrategy(
          createStrategy("sma-cross", { fast: 4, slow: 9 }, { instrumentId: BTC }),
          bars,
        );
        expect(directionPath(tf.intents)).toEqual(directionPath(sma.intents));
      }),
      { numRuns: 30 },
    );
  });

  it("uses EMAs by default and reports its warm-up", () => {
    const s = createStrategy("trend-following", {}, { instrumentId: BTC });
    expect(s.params).toMatchObject({
      fast: 20,
      slow: 50,
      maType: "ema",
      atrPeriod: 14,
      atrMultiplier: 3,
      trailing: true,
      allowShort: false,
    });
    expect(s.warmUpBars).toBe(50);
    expect(
      createStrategy("trend-following", { slow: 10, fast: 3, atrPeriod: 20 }, { instrumentId: BTC })
        .warmUpBars,
    ).toBe(21);
  });

  it("rejects fast >= slow", () => {
    expect(() => createStrategy("trend-following", { fast: 10, slow: 10 }, { instrumentId: BTC })).toThrow(
      /fast/,
    );
  });
});
