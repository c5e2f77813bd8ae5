import { type Bar, ManualClock, type Position } from "@gpt/core";
import type { RegimeReading } from "@gpt/regime";
import { describe, expect, it } from "vitest";
import { createStaticContext, replayStrategy } from "./context.js";
import { StrategyError } from "./errors.js";
import { NO_INTENTS } from "./intents.js";
import { BTC, BTC_PERP, barsFromCloses, funding, T0 } from "./test-support.js";
import type { Strategy, StrategyContext, StrategyIntent } from "./types.js";

/** A strategy that records what it saw and emits what it is told. */
function probe(emit: (ctx: StrategyContext, bar: Bar) => readonly StrategyIntent[] = () => NO_INTENTS) {
  const seen: { now: number; regime: RegimeReading | undefined; kind: string }[] = [];
  const strategy: Strategy = {
    id: "probe" as Strategy["id"],
    name: "probe",
    params: {},
    instruments: [BTC],
    warmUpBars: 0,
    onBar(ctx, bar) {
      seen.push({ now: ctx.clock.now(), regime: ctx.regime(bar.instrumentId), kind: "bar" });
      return emit(ctx, bar);
    },
    onFunding(ctx, f) {
      seen.push({ now: ctx.clock.now(), regime: ctx.regime(f.instrumentId), kind: "funding" });
      return NO_INTENTS;
    },
  };
  return { strategy, seen };
}

describe("createStaticContext", () => {
  it("answers from the given records and defaults to nothing", () => {
    const position = { instrumentId: BTC, side: "long" } as unknown as Position;
    const ctx = createStaticContext({ now: 42, positions: { [BTC]: position } });
    expect(ctx.clock.now()).toBe(42);
    expect(ctx.position(BTC)).toBe(position);
    expect(ctx.position(BTC_PERP)).toBeUndefined();
    expect(ctx.regime(BTC)).toBeUndefined();
    expect(ctx.openOrders(BTC)).toEqual([]);
    const clock = new ManualClock(5);
    expect(createStaticContext({ clock }).clock).toBe(clock);
  });
});

describe("replayStrategy", () => {
  it("moves the clock with the events and dispatches bars and funding", () => {
    const { strategy, seen } = probe();
    const bars = barsFromCloses([1, 2]);
    replayStrategy(strategy, [bars[0]!, funding(0.001, bars[0]!.tsEvent + 1), bars[1]!]);
    expect(seen.map((s) => [s.kind, s.now])).toEqual([
      ["bar", bars[0]!.tsEvent],
      ["funding", bars[0]!.tsEvent + 1],
      ["bar", bars[1]!.tsEvent],
    ]);
  });

  it("runs the regime classifier before the strategy when configured", () => {
    const { strategy, seen } = probe();
    const bars = barsFromCloses(Array.from({ length: 40 }, (_, i) => 100 + Math.sin(i) * 3));
    replayStrategy(strategy, bars, {
      regime: {
        barsPerYear: 8760,
        adxPeriod: 3,
        efficiencyPeriod: 3,
        emaFastPeriod: 3,
        emaSlowPeriod: 6,
        shortVolWindow: 3,
        longVolHalfLife: 5,
        drawdownWindow: 3,
      },
    });
    const firstReading = seen.findIndex((s) => s.regime !== undefined);
    expect(firstReading).toBe(5); // warm-up of this configuration: max(2 * 3, 6, 4, 4, 6, 3) bars
    expect(seen.slice(firstReading).every((s) => s.regime !== undefined)).toBe(true);
    const { strategy: bare, seen: bareSeen } = probe();
    replayStrategy(bare, bars);
    expect(bareSeen.every((s) => s.regime === undefined)).toBe(true);
  });

  it("refuses events that go back in time", () => {
    const bars = barsFromCloses([1, 2]);
    const e = (() => {
      try {
        replayStrategy(probe().strategy, [bars[1]!, bars[0]!]);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(StrategyError);
    expect(e).toMatchObject({ code: "invalid-input", param: "tsEvent" });
  });

  it("checks every intent against the contract", () => {
    const { strategy } = probe((_ctx, bar) => [
      {
        type: "TargetPosition",
        strategyId: "p" as Strategy["id"],
        instrumentId: BTC,
        direction: "long",
        confidence: 1.5,
        reason: "",
        tsEvent: bar.tsEvent,
      },
    ]);
    expect(() => replayStrategy(strategy, barsFromCloses([1]))).toThrow(/confidence/);
  });

  it("records intents with their event index", () => {
    const { strategy } = probe((_ctx, bar) =>
      bar.close > 1
        ? [
            {
              type: "CancelOrders",
              strategyId: "p" as Strategy["id"],
              instrumentId: BTC,
              reason: "r",
              tsEvent: bar.tsEvent,
            },
          ]
        : NO_INTENTS,
    );
    const run = replayStrategy(strategy, barsFromCloses([1, 2, 1, 3], { start: T0 }));
    expect(run.events).toBe(4);
    expect(run.intents.map((r) => r.index)).toEqual([1, 3]);
  });
});
