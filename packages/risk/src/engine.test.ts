import { ManualClock } from "@gpt/core";
import { describe, expect, it } from "vitest";
import { parseRiskConfig } from "./config.js";
import { RiskEngine } from "./engine.js";
import { RiskError } from "./errors.js";
import type { RiskEvent } from "./events.js";
import { InMemoryRiskStateStore } from "./persistence.js";
import { BTC_PERP, DAY, HOUR, input, MINUTE, position, T0 } from "./testing/fixtures.js";

const config = parseRiskConfig({ maxDailyLossPct: "0.05", maxOrdersPerMinute: 2 });

function engineAt(start = T0) {
  const clock = new ManualClock(start);
  const events: RiskEvent[] = [];
  const engine = new RiskEngine({ config, clock, initialEquity: "100000", onEvent: (e) => events.push(e) });
  return { clock, engine, events };
}

/** An order with a mark fresh as of the clock's time. */
function order(clock: ManualClock, quantity = "0.1", side: "buy" | "sell" = "buy") {
  const { order: o, instrument, market } = input({ quantity, side }, { now: clock.now() });
  return { order: o, instrument, market };
}

const flat = { equity: "100000", positions: [], openOrderCount: 0 };

describe("RiskEngine", () => {
  it("stamps inputs with the injected clock and reports events to onEvent", () => {
    const { clock, engine, events } = engineAt();
    clock.advance(HOUR);
    const returned = engine.observeEquity("94000");
    expect(returned.map((e) => e.type)).toEqual(["DailyLossLimitBreached", "TradingStateChanged"]);
    expect(events).toEqual(returned);
    expect(returned[0]?.tsEvent).toBe(T0 + HOUR);
    expect(engine.tradingState).toBe("reducing");
  });

  it("checks orders with its trading state and order-rate window", () => {
    const { clock, engine } = engineAt();
    expect(engine.checkOrder(order(clock), flat)).toEqual({ kind: "approved" });
    engine.recordOrderSubmitted();
    clock.advance(1_000);
    engine.recordOrderSubmitted();
    expect(engine.checkOrder(order(clock), flat)).toMatchObject({ reason: "order-rate" });
    clock.advance(MINUTE);
    expect(engine.checkOrder(order(clock), flat)).toEqual({ kind: "approved" });
    engine.activateKillSwitch("ops");
    expect(engine.checkOrder(order(clock), flat)).toMatchObject({ reason: "trading-halted" });
    engine.resetKillSwitch("ok");
    engine.setManualReduceOnly(true, "news");
    const held = { ...flat, positions: [position(BTC_PERP, "1", "50000")] };
    expect(engine.checkOrder(order(clock, "0.1"), held)).toMatchObject({ reason: "reduce-only" });
    expect(engine.checkOrder(order(clock, "0.1", "sell"), held)).toEqual({ kind: "approved" });
  });

  it("applies a passed cooldown or day boundary before checking", () => {
    const { clock, engine, events } = engineAt();
    clock.advance(HOUR);
    engine.observeEquity("90000");
    expect(engine.checkOrder(order(clock), flat)).toMatchObject({ reason: "reduce-only" });
    clock.set(T0 + DAY);
    expect(engine.checkOrder(order(clock), { ...flat, equity: "90000" })).toEqual({ kind: "approved" });
    expect(events.map((e) => e.type)).toContain("TradingDayRolled");
  });

  it("ticks only when due: the day boundary and the earliest cooldown end", () => {
    const { clock, engine } = engineAt();
    const dayEnd = engine.state.day.start + DAY;
    expect(engine.nextTickDue).toBe(dayEnd);
    const before = engine.state;
    clock.advance(HOUR);
    expect(engine.tickIfDue()).toEqual([]);
    expect(engine.state).toBe(before);
    const tripped = engine.observeVolatility(10);
    expect(tripped[0]).toMatchObject({ type: "CircuitBreakerTripped", breaker: "volatility" });
    const cooldownUntil = engine.state.breakers.volatility?.cooldownUntil as number;
    expect(cooldownUntil).toBeLessThan(dayEnd);
    expect(engine.nextTickDue).toBe(cooldownUntil);
    clock.set(cooldownUntil - 1);
    expect(engine.tickIfDue()).toEqual([]);
    clock.set(cooldownUntil);
    expect(engine.tickIfDue().map((e) => e.type)).toContain("CircuitBreakerRecovered");
    expect(engine.nextTickDue).toBe(dayEnd);
    clock.set(dayEnd);
    expect(engine.tickIfDue().map((e) => e.type)).toEqual(["TradingDayRolled"]);
    expect(engine.nextTickDue).toBe(dayEnd + DAY);
  });

  it("preTradeCheck runs the checks without ticking; checkOrder ticks first", () => {
    const { clock, engine } = engineAt();
    clock.advance(HOUR);
    engine.observeEquity("90000");
    clock.set(T0 + DAY);
    const stale = engine.state;
    expect(engine.preTradeCheck(order(clock), flat)).toMatchObject({ reason: "reduce-only" });
    expect(engine.state).toBe(stale);
    expect(engine.checkOrder(order(clock), flat)).toEqual({ kind: "approved" });
  });

  it("feeds every breaker input", () => {
    const { engine } = engineAt();
    engine.recordTradeClosed("-1");
    engine.recordCashFlow("100");
    engine.recordVenueRequest(true);
    engine.recordOrderReject("INVALID_LIMIT_PRICE");
    const tripped = engine.observeVolatility(10);
    expect(tripped[0]).toMatchObject({ type: "CircuitBreakerTripped", breaker: "volatility" });
    expect(engine.state.consecutiveLosses).toBe(1);
    expect(engine.state.rejects).toHaveLength(1);
    expect(engine.state.day.cashFlow.toString()).toBe("100");
  });

  it("throws typed errors for bad commands", () => {
    const { engine } = engineAt();
    expect(() => engine.resetKillSwitch("nothing to reset")).toThrow(RiskError);
    expect(() => engine.activateKillSwitch("")).toThrow(RiskError);
    expect(() => engine.observeEquity(Number.NaN)).toThrow(RiskError);
  });

  it("survives a restart through a store: today's loss, the kill switch and breakers are kept", async () => {
    const store = new InMemoryRiskStateStore();
    const first = engineAt();
    first.clock.advance(2 * HOUR);
    first.engine.observeEquity("97000");
    await first.engine.save(store);

    // Restart later the same day with a new clock and engine.
    const clock = new ManualClock(T0 + 6 * HOUR);
    const restarted = await RiskEngine.load({ config, clock, store });
    expect(restarted.state.day.startEquity?.toString()).toBe("100000");
    const events = restarted.observeEquity("95000");
    expect(events[0]).toMatchObject({ type: "DailyLossLimitBreached", lossPct: "0.05" });
    expect(restarted.tradingState).toBe("reducing");
  });

  it("load() with an empty store starts fresh; a restart after the boundary rolls the day at once", async () => {
    const empty = await RiskEngine.load({
      config,
      clock: new ManualClock(T0),
      store: new InMemoryRiskStateStore(),
    });
    expect(empty.tradingState).toBe("active");

    const store = new InMemoryRiskStateStore();
    const first = engineAt();
    first.clock.advance(HOUR);
    first.engine.observeEquity("90000");
    await first.engine.save(store);
    const events: RiskEvent[] = [];
    const nextDay = await RiskEngine.load({
      config,
      clock: new ManualClock(T0 + DAY + HOUR),
      store,
      onEvent: (e) => events.push(e),
    });
    expect(nextDay.tradingState).toBe("active");
    expect(events.map((e) => e.type)).toEqual(["TradingDayRolled", "TradingStateChanged"]);
  });

  it("exposes its config and order-rate window", () => {
    const { engine } = engineAt();
    engine.recordOrderSubmitted();
    expect(engine.config).toBe(config);
    expect(engine.orderRate.timestamps).toEqual([T0]);
    expect(engine.apply({ type: "Tick", tsEvent: T0 + 1 })).toEqual([]);
  });
});
