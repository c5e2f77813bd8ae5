import type { Regime, RegimeReading } from "@gpt/regime";
import { describe, expect, it } from "vitest";
import { createStaticContext, replayStrategy } from "../context.js";
import { StrategyError } from "../errors.js";
import { createStrategy } from "../registry.js";
import { BTC, barsFromCloses, directionPath, regimeWalkBars, targets } from "../test-support.js";
import type { Strategy, StrategyIntent, TargetPositionIntent } from "../types.js";
import type { RegimeSwitchStrategy } from "./regime-switch.js";

function reading(regime: Regime, confidence = 0.8): RegimeReading {
  return {
    regime,
    confidence,
    since: 0,
    sinceTsEvent: undefined,
    barsInRegime: 1,
    rawRegime: regime,
    features: {
      logReturn: 0,
      annualizedVol: 0.5,
      longRunAnnualizedVol: 0.5,
      volRatio: 1,
      drawdown: 0,
      drawdownZ: 0,
      adx: 20,
      plusDi: 20,
      minusDi: 20,
      efficiencyRatio: 0.2,
      trendSeparation: 0,
    },
  };
}

/** Feeds bars one by one under a scripted regime per bar (undefined = classifier not ready). */
function runScripted(
  strategy: Strategy,
  regimes: readonly (Regime | undefined)[],
): { index: number; intent: StrategyIntent }[] {
  const readings: Record<string, RegimeReading> = {};
  const ctx = createStaticContext({ regimes: readings });
  const bars = barsFromCloses(regimes.map((_, i) => 100 + i));
  const out: { index: number; intent: StrategyIntent }[] = [];
  bars.forEach((bar, index) => {
    const r = regimes[index];
    if (r === undefined) delete readings[BTC];
    else readings[BTC] = reading(r);
    for (const intent of strategy.onBar(ctx, bar)) out.push({ index, intent });
  });
  return out;
}

const fixedChildren = { trendStrategy: "buy-and-hold", rangeStrategy: "flat" };

describe("regime-switch", () => {
  it("follows the trend child in trends, the range child in ranges, stands aside in crisis", () => {
    const strategy = createStrategy("regime-switch", fixedChildren, { instrumentId: BTC });
    const run = runScripted(strategy, [
      undefined,
      "trend-up",
      "trend-up",
      "range",
      "trend-down",
      "crisis",
      "trend-up",
    ]);
    expect(directionPath(run)).toEqual([
      [1, "long"],
      [3, "flat"],
      [4, "long"],
      [5, "flat"],
      [6, "long"],
    ]);
    const ts = targets(run);
    expect(ts[0]?.target).toMatchObject({
      strategyId: "regime-switch:BTC-USD.COINBASE",
      confidence: 1,
      sizeFraction: 1,
      reason: "regime-switch: trend regime, following the trend strategy: buy-and-hold",
    });
    expect(ts[3]?.target.reason).toBe("regime-switch: crisis, standing aside");
  });

  it("stands aside in high volatility by default, or follows a child at reduced confidence", () => {
    const flat = runScripted(createStrategy("regime-switch", fixedChildren, { instrumentId: BTC }), [
      "trend-up",
      "high-volatility",
    ]);
    expect(directionPath(flat)).toEqual([
      [0, "long"],
      [1, "flat"],
    ]);
    const reduced = runScripted(
      createStrategy(
        "regime-switch",
        { ...fixedChildren, highVolatility: "trend", highVolatilityConfidence: "0.25" },
        { instrumentId: BTC },
      ),
      ["trend-up", "high-volatility", "trend-up"],
    );
    expect(targets(reduced).map((t) => [t.index, t.target.direction, t.target.confidence])).toEqual([
      [0, "long", 1],
      [1, "long", 0.25],
      [2, "long", 1],
    ]);
  });

  it("treats a child that has not emitted yet as flat", () => {
    const strategy = createStrategy(
      "regime-switch",
      { trendStrategy: "sma-cross", trendParams: { fast: 2, slow: 5 }, rangeStrategy: "flat" },
      { instrumentId: BTC },
    );
    const run = runScripted(strategy, [
      "trend-up",
      "trend-up",
      "trend-up",
      "trend-up",
      "trend-up",
      "trend-up",
    ]);
    expect(targets(run)[0]?.target.reason).toBe("regime-switch: the active strategy is still warming up");
    expect(directionPath(run)).toEqual([
      [0, "flat"],
      [4, "long"],
    ]);
  });

  it("carries the child's stop and size hints", () => {
    const strategy = createStrategy(
      "regime-switch",
      {
        trendParams: { fast: 2, slow: 4, atrPeriod: 2, fraction: 0.5, trailing: false },
        rangeStrategy: "flat",
      },
      { instrumentId: BTC },
    ) as RegimeSwitchStrategy;
    const run = runScripted(
      strategy,
      Array.from({ length: 8 }, () => "trend-up" as const),
    );
    const long = targets(run).find((t) => t.target.direction === "long")?.target as TargetPositionIntent;
    expect(long.sizeFraction).toBe(0.5);
    expect(long.stopPrice).toBeGreaterThan(0);
    expect(long.stopPrice).toBeLessThan(110);
    expect(strategy.trendChild.id).toBe("regime-switch:BTC-USD.COINBASE/trend");
  });

  it("reports bad child names and parameters against its own parameters", () => {
    const err = (params: Record<string, unknown>): StrategyError => {
      try {
        createStrategy("regime-switch", params, { instrumentId: BTC });
      } catch (e) {
        if (e instanceof StrategyError) return e;
      }
      throw new Error("expected a StrategyError");
    };
    expect(err({ rangeStrategy: "nope" })).toMatchObject({
      code: "invalid-params",
      strategy: "regime-switch",
      param: "rangeStrategy",
    });
    expect(err({ rangeParams: { entryZ: "x" } })).toMatchObject({
      code: "invalid-params",
      param: "rangeParams.entryZ",
    });
    expect(err({ trendParams: { bogus: 1 } })).toMatchObject({ param: "trendParams.bogus" });
  });

  it("runs its default children with a real classifier and emits sane targets", () => {
    const bars = regimeWalkBars(1200, 3);
    const run = replayStrategy(createStrategy("regime-switch", {}, { instrumentId: BTC }), bars, {
      regime: { barsPerYear: 8760, longVolHalfLife: 100 },
    });
    const ts = targets(run.intents);
    expect(ts.length).toBeGreaterThan(2);
    expect(new Set(ts.map((t) => t.target.direction))).toEqual(new Set(["long", "flat"]));
    for (const t of ts) {
      expect(t.target.confidence).toBeGreaterThanOrEqual(0);
      expect(t.target.confidence).toBeLessThanOrEqual(1);
    }
  });
});
