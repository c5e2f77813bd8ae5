import { HOUR_MS } from "@gpt/core";
import { describe, expect, it } from "vitest";
import { replayStrategy, type StrategyEvent } from "../context.js";
import { StrategyError } from "../errors.js";
import { createStrategy } from "../registry.js";
import { BTC, BTC_PERP, barsFromCloses, directionPath, funding, T0, targets } from "../test-support.js";

const opts = { instrumentId: BTC_PERP };
const every8h = (rates: readonly number[], start = T0): StrategyEvent[] =>
  rates.map((r, i) => funding(r, start + (i + 1) * 8 * HOUR_MS));

describe("funding-carry", () => {
  it("leans against extreme funding with hysteresis (funding spikes)", () => {
    const strategy = createStrategy(
      "funding-carry",
      { window: 1, entryAnnualized: 0.3, exitAnnualized: 0.15 },
      opts,
    );
    // Annualised: 0.0001 per 8h = 10.95 %, 0.0005 = 54.75 %, 0.0002 = 21.9 %, -0.0004 = -43.8 %.
    const run = replayStrategy(strategy, every8h([0.0001, 0.0005, 0.0002, 0.0001, -0.0004, -0.0001]));
    expect(directionPath(run.intents)).toEqual([
      [0, "flat"],
      [1, "short"],
      [3, "flat"],
      [4, "long"],
      [5, "flat"],
    ]);
    const ts = targets(run.intents);
    expect(ts[1]?.target.confidence).toBeCloseTo((0.5 * 0.0005 * 3 * 365) / 0.3, 12);
    expect(ts[3]?.target.confidence).toBeCloseTo((0.5 * 0.0004 * 3 * 365) / 0.3, 12);
    expect(ts[1]?.target.reason).toBe("funding-carry: funding extremely positive, leaning short");
    expect(ts[1]?.target.tsEvent).toBe(T0 + 2 * 8 * HOUR_MS);
  });

  it("averages the last `window` observations before deciding", () => {
    const strategy = createStrategy("funding-carry", { window: 3 }, opts);
    const run = replayStrategy(strategy, every8h([0.0001, 0.0001, 0.0005, 0.0005, 0.0005]));
    // Mean of (1, 1, 5) bp = 25.6 % < 30 %; (1, 5, 5) bp = 40.2 % -> short.
    expect(directionPath(run.intents)).toEqual([
      [2, "flat"],
      [3, "short"],
    ]);
  });

  it("annualises by the funding interval (1h venues vs 8h venues)", () => {
    const hourly = createStrategy("funding-carry", { window: 1 }, opts);
    const run = replayStrategy(hourly, [funding(0.0001, T0 + HOUR_MS, { intervalMs: HOUR_MS })]);
    expect(directionPath(run.intents)).toEqual([[0, "short"]]); // 87.6 % a year
    const eightHourly = createStrategy("funding-carry", { window: 1 }, opts);
    expect(directionPath(replayStrategy(eightHourly, every8h([0.0001])).intents)).toEqual([[0, "flat"]]);
  });

  it("respects allowLong / allowShort", () => {
    const shortOnly = createStrategy("funding-carry", { window: 1, allowLong: "false" }, opts);
    expect(directionPath(replayStrategy(shortOnly, every8h([-0.001, 0.001])).intents)).toEqual([
      [0, "flat"],
      [1, "short"],
    ]);
  });

  it("applies the trend filter: no short against an up-trend, exits when the trend turns against it", () => {
    const strategy = createStrategy("funding-carry", { window: 1, trendPeriod: 3 }, opts);
    const bars = barsFromCloses([100, 101, 102, 103, 100, 97, 94, 100, 110], { instrumentId: BTC_PERP });
    const at = (i: number) => (bars[i] as (typeof bars)[number]).tsEvent;
    const events: StrategyEvent[] = [
      bars[0]!,
      bars[1]!,
      bars[2]!,
      bars[3]!,
      funding(0.001, at(3) + 1), // 4: up-trend (103 > SMA 102) -> blocked
      bars[4]!,
      bars[5]!,
      bars[6]!,
      funding(0.001, at(6) + 1), // 8: 94 < SMA 97 -> short
      bars[7]!, // 9: 100 > SMA (97 + 94 + 100) / 3 = 97 -> the filter exits the short
      bars[8]!,
    ];
    const run = replayStrategy(strategy, events);
    expect(directionPath(run.intents)).toEqual([
      [4, "flat"],
      [8, "short"],
      [9, "flat"],
    ]);
    expect(targets(run.intents)[0]?.target.reason).toBe(
      "funding-carry: trend filter against the carry trade",
    );
    expect(targets(run.intents)[2]?.target.reason).toBe(
      "funding-carry: trend filter against the carry trade",
    );
    expect(strategy.warmUpBars).toBe(3);
  });

  it("ignores other instruments and refuses malformed funding", () => {
    const strategy = createStrategy("funding-carry", { window: 1 }, opts);
    expect(replayStrategy(strategy, [funding(0.01, T0, { instrumentId: BTC })]).intents).toEqual([]);
    expect(() => replayStrategy(strategy, [funding(Number.NaN, T0)])).toThrow(StrategyError);
    expect(() => replayStrategy(strategy, [funding(0.001, T0, { intervalMs: 0 })])).toThrow(/interval/);
  });

  it("validates its thresholds", () => {
    expect(() =>
      createStrategy("funding-carry", { entryAnnualized: 0.1, exitAnnualized: 0.2 }, opts),
    ).toThrow(/exitAnnualized/);
    expect(() => createStrategy("funding-carry", { allowLong: false, allowShort: false }, opts)).toThrow(
      /allowShort/,
    );
  });
});
