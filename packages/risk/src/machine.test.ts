import { describe, expect, it } from "vitest";
import {
  BREAKER_NAMES,
  type BreakerName,
  parseRiskConfig,
  type RiskConfig,
  type RiskConfigInput,
} from "./config.js";
import { RiskError } from "./errors.js";
import type { RiskEvent, RiskInput } from "./events.js";
import { applyRiskInput } from "./machine.js";
import { riskStateFromJson, riskStateToJson } from "./persistence.js";
import { createRiskState, deriveTradingState, type RiskState } from "./state.js";
import { DAY, HOUR, MINUTE, T0 } from "./testing/fixtures.js";

/** Feeds inputs one after the other; returns the final state and all events. */
function run(config: RiskConfig, state: RiskState, inputs: readonly RiskInput[]) {
  let current = state;
  const events: RiskEvent[] = [];
  for (const input of inputs) {
    const step = applyRiskInput(current, input, config);
    current = step.state;
    events.push(...step.events);
  }
  return { state: current, events };
}

function setup(overrides: RiskConfigInput = {}, equity: string | null = "100000", now = T0) {
  const config = parseRiskConfig(overrides);
  const state = createRiskState({ now, config, ...(equity === null ? {} : { equity }) });
  return { config, state };
}

const equity = (value: string, tsEvent: number): RiskInput => ({
  type: "EquityObserved",
  equity: value,
  tsEvent,
});
const tick = (tsEvent: number): RiskInput => ({ type: "Tick", tsEvent });
const types = (events: readonly RiskEvent[]) => events.map((e) => e.type);

describe("createRiskState", () => {
  it("starts active with the day containing now", () => {
    const { state } = setup({ dailyResetUtc: "13:30" }, "100000", T0 + 10 * HOUR);
    expect(state).toMatchObject({ tradingState: "active", updatedAt: T0 + 10 * HOUR, killSwitch: null });
    expect(state.day.start).toBe(T0 - DAY + 13.5 * HOUR);
    expect(state.day.startEquity?.toString()).toBe("100000");
    expect(state.peakEquity?.toString()).toBe("100000");
  });

  it("starts reducing in reduce-only mode", () => {
    const { state } = setup({ reduceOnlyMode: true });
    expect(state.tradingState).toBe("reducing");
    expect(state.tradingStateReason).toBe("reduce-only mode is configured");
  });

  it("rejects bad inputs", () => {
    const config = parseRiskConfig({});
    expect(() => createRiskState({ now: -5, config })).toThrow(RiskError);
    expect(() => createRiskState({ now: T0, config, equity: "NaN" })).toThrow(RiskError);
  });
});

describe("kill switch", () => {
  it("halts with the reason and needs an explicit, reasoned reset", () => {
    const { config, state } = setup();
    const on = applyRiskInput(
      state,
      { type: "ActivateKillSwitch", reason: "operator: exchange incident", tsEvent: T0 + 1 },
      config,
    );
    expect(on.state.tradingState).toBe("halted");
    expect(on.events).toEqual([
      { type: "KillSwitchActivated", reason: "operator: exchange incident", tsEvent: T0 + 1 },
      {
        type: "TradingStateChanged",
        from: "active",
        to: "halted",
        reason: "kill switch: operator: exchange incident",
        restrictions: ["kill-switch"],
        tsEvent: T0 + 1,
      },
    ]);
    const off = applyRiskInput(
      on.state,
      { type: "ResetKillSwitch", reason: "incident resolved", tsEvent: T0 + 2 },
      config,
    );
    expect(off.state.tradingState).toBe("active");
    expect(off.events).toEqual([
      {
        type: "KillSwitchReset",
        reason: "incident resolved",
        activationReason: "operator: exchange incident",
        activatedAt: T0 + 1,
        tsEvent: T0 + 2,
      },
      {
        type: "TradingStateChanged",
        from: "halted",
        to: "active",
        reason: "kill switch reset: incident resolved",
        restrictions: [],
        tsEvent: T0 + 2,
      },
    ]);
  });

  it("activating twice keeps the first reason and emits nothing", () => {
    const { config, state } = setup();
    const { state: on, events } = run(config, state, [
      { type: "ActivateKillSwitch", reason: "first", tsEvent: T0 },
      { type: "ActivateKillSwitch", reason: "second", tsEvent: T0 + 1 },
    ]);
    expect(on.killSwitch).toEqual({ reason: "first", activatedAt: T0 });
    expect(types(events)).toEqual(["KillSwitchActivated", "TradingStateChanged"]);
  });

  it("requires a reason and an active kill switch to reset", () => {
    const { config, state } = setup();
    expect(() =>
      applyRiskInput(state, { type: "ActivateKillSwitch", reason: "  ", tsEvent: T0 }, config),
    ).toThrow(/reason is required/);
    let error: unknown;
    try {
      applyRiskInput(state, { type: "ResetKillSwitch", reason: "why not", tsEvent: T0 }, config);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RiskError);
    expect((error as RiskError).code).toBe("invalid-transition");
    const on = applyRiskInput(state, { type: "ActivateKillSwitch", reason: "x", tsEvent: T0 }, config).state;
    expect(() => applyRiskInput(on, { type: "ResetKillSwitch", reason: "", tsEvent: T0 }, config)).toThrow(
      RiskError,
    );
  });

  it("stays halted across day boundaries and breaker recoveries", () => {
    const { config, state } = setup();
    const { state: after } = run(config, state, [
      { type: "ActivateKillSwitch", reason: "stop", tsEvent: T0 },
      { type: "VolatilityObserved", ratio: 10, tsEvent: T0 + 1 },
      tick(T0 + 3 * DAY),
      equity("100000", T0 + 3 * DAY + 1),
    ]);
    expect(after.tradingState).toBe("halted");
  });
});

describe("manual reduce-only", () => {
  it("switches to reducing and back, with events", () => {
    const { config, state } = setup();
    const on = applyRiskInput(
      state,
      { type: "SetManualReduceOnly", enabled: true, reason: "FOMC", tsEvent: T0 },
      config,
    );
    expect(on.state.tradingState).toBe("reducing");
    expect(types(on.events)).toEqual(["ManualReduceOnlyChanged", "TradingStateChanged"]);
    const again = applyRiskInput(
      on.state,
      { type: "SetManualReduceOnly", enabled: true, reason: "x", tsEvent: T0 },
      config,
    );
    expect(again.events).toEqual([]);
    const off = applyRiskInput(
      on.state,
      { type: "SetManualReduceOnly", enabled: false, reason: "done", tsEvent: T0 + 1 },
      config,
    );
    expect(off.state.tradingState).toBe("active");
    expect(off.events.at(-1)).toMatchObject({
      to: "active",
      reason: "manual reduce-only switched off: done",
    });
  });

  it("cannot lift reduce-only mode from the configuration", () => {
    const { config, state } = setup({ reduceOnlyMode: true });
    const off = applyRiskInput(
      state,
      { type: "SetManualReduceOnly", enabled: false, reason: "try", tsEvent: T0 },
      config,
    );
    expect(off.state.tradingState).toBe("reducing");
    expect(off.events).toEqual([]);
  });
});

describe("daily loss limit", () => {
  const noBreakers: RiskConfigInput = {
    breakers: { drawdown: { enabled: false } },
  };

  it("does not trip below the limit and trips exactly at it, with the numbers", () => {
    const { config, state } = setup(noBreakers);
    const below = run(config, state, [equity("95000.01", T0 + HOUR)]);
    expect(below.state.tradingState).toBe("active");
    expect(below.events).toEqual([]);
    const { state: after, events } = run(config, state, [
      { type: "TradeClosed", realizedPnl: "-3000", tsEvent: T0 + HOUR },
      equity("95000", T0 + 2 * HOUR),
    ]);
    expect(after.tradingState).toBe("reducing");
    expect(events).toEqual([
      {
        type: "DailyLossLimitBreached",
        dayStart: T0,
        dayStartEquity: "100000",
        equity: "95000",
        dailyPnl: "-5000",
        realizedPnl: "-3000",
        lossPct: "0.05",
        maxDailyLossPct: "0.05",
        tsEvent: T0 + 2 * HOUR,
      },
      {
        type: "TradingStateChanged",
        from: "active",
        to: "reducing",
        reason: "daily loss limit reached",
        restrictions: ["daily-loss"],
        tsEvent: T0 + 2 * HOUR,
      },
    ]);
  });

  it("stays reducing for the rest of the day even if equity recovers, and resets at the boundary", () => {
    const { config, state } = setup(noBreakers);
    const breached = run(config, state, [equity("94000", T0 + HOUR), equity("99000", T0 + 2 * HOUR)]);
    expect(breached.state.tradingState).toBe("reducing");
    const lastMoment = run(config, breached.state, [tick(T0 + DAY - 1)]);
    expect(lastMoment.state.tradingState).toBe("reducing");
    const nextDay = applyRiskInput(breached.state, tick(T0 + DAY), config);
    expect(nextDay.state.tradingState).toBe("active");
    expect(nextDay.events).toEqual([
      {
        type: "TradingDayRolled",
        previousDayStart: T0,
        dayStart: T0 + DAY,
        dayStartEquity: "99000",
        dailyLossLimitWasBreached: true,
        tsEvent: T0 + DAY,
      },
      {
        type: "TradingStateChanged",
        from: "reducing",
        to: "active",
        reason: "a new trading day began, lifting the daily loss limit",
        restrictions: [],
        tsEvent: T0 + DAY,
      },
    ]);
    // The new day measures from 99,000: a 5 % loss is 4,950.
    const again = run(config, nextDay.state, [equity("94051", T0 + DAY + HOUR)]);
    expect(again.state.tradingState).toBe("active");
    expect(run(config, nextDay.state, [equity("94050", T0 + DAY + HOUR)]).state.tradingState).toBe(
      "reducing",
    );
  });

  it("resets at a configured UTC time such as 13:30", () => {
    const { config, state } = setup({ ...noBreakers, dailyResetUtc: "13:30" }, "100000", T0 + 14 * HOUR);
    const breached = run(config, state, [equity("90000", T0 + 20 * HOUR)]);
    expect(breached.state.tradingState).toBe("reducing");
    // Past midnight UTC is still the same trading day.
    expect(run(config, breached.state, [tick(T0 + DAY + 13 * HOUR)]).state.tradingState).toBe("reducing");
    const rolled = run(config, breached.state, [tick(T0 + DAY + 13.5 * HOUR)]);
    expect(rolled.state.tradingState).toBe("active");
    expect(rolled.state.day.start).toBe(T0 + DAY + 13.5 * HOUR);
  });

  it("a day boundary does not lift other restrictions", () => {
    const { config, state } = setup(noBreakers);
    const { state: after, events } = run(config, state, [
      equity("90000", T0 + HOUR),
      { type: "ActivateKillSwitch", reason: "manual", tsEvent: T0 + 2 * HOUR },
      tick(T0 + DAY),
    ]);
    expect(after.tradingState).toBe("halted");
    expect(events.filter((e) => e.type === "TradingStateChanged").map((e) => "to" in e && e.to)).toEqual([
      "reducing",
      "halted",
    ]);
  });

  it("deposits and withdrawals are not profit or loss", () => {
    const { config, state } = setup(noBreakers);
    const withdrawal = run(config, state, [
      { type: "CashFlowRecorded", amount: "-20000", tsEvent: T0 + HOUR },
      equity("80000", T0 + HOUR + 1),
    ]);
    expect(withdrawal.state.tradingState).toBe("active");
    // ...but a loss after the withdrawal counts against the start equity.
    expect(run(config, withdrawal.state, [equity("75000", T0 + 2 * HOUR)]).state.tradingState).toBe(
      "reducing",
    );
    const deposit = run(config, state, [
      { type: "CashFlowRecorded", amount: "50000", tsEvent: T0 + HOUR },
      equity("145000", T0 + HOUR + 1),
    ]);
    expect(deposit.state.tradingState).toBe("reducing");
    expect(deposit.events[0]).toMatchObject({ dailyPnl: "-5000" });
  });

  it("with zero start equity any loss is a breach (no percentage)", () => {
    const { config, state } = setup(noBreakers, "0");
    const { events } = run(config, state, [equity("-1", T0 + HOUR)]);
    expect(events[0]).toMatchObject({ type: "DailyLossLimitBreached", lossPct: null, dailyPnl: "-1" });
    expect(run(config, state, [equity("0", T0 + HOUR)]).events).toEqual([]);
  });

  it("without a known equity the first observation becomes the day's start", () => {
    const { config, state } = setup(noBreakers, null);
    expect(state.day.startEquity).toBeNull();
    const first = run(config, state, [equity("50000", T0 + HOUR)]);
    expect(first.state.day.startEquity?.toString()).toBe("50000");
    expect(run(config, first.state, [equity("47500", T0 + 2 * HOUR)]).state.tradingState).toBe("reducing");
    // A roll with no equity seen leaves the new day's start open.
    const rolled = run(config, state, [tick(T0 + DAY)]);
    expect(rolled.events[0]).toMatchObject({ type: "TradingDayRolled", dayStartEquity: null });
  });

  it("a restart mid-day keeps today's losses", () => {
    const { config, state } = setup(noBreakers);
    const morning = run(config, state, [equity("97000", T0 + 2 * HOUR)]);
    const restored = riskStateFromJson(riskStateToJson(morning.state));
    // 3 % lost before the restart, 2 % more after it: 5 % for the day.
    const afternoon = run(config, restored, [equity("95000", T0 + 5 * HOUR)]);
    expect(afternoon.state.tradingState).toBe("reducing");
    expect(afternoon.events[0]).toMatchObject({
      type: "DailyLossLimitBreached",
      dayStartEquity: "100000",
      lossPct: "0.05",
    });
  });

  it("a restart after a breach stays reducing until the boundary", () => {
    const { config, state } = setup(noBreakers);
    const breached = run(config, state, [equity("90000", T0 + HOUR)]);
    const restored = riskStateFromJson(riskStateToJson(breached.state));
    expect(run(config, restored, [tick(T0 + 10 * HOUR)]).state.tradingState).toBe("reducing");
    // Restarting the next day rolls on the first input.
    const nextDay = run(config, restored, [tick(T0 + DAY + 5 * HOUR)]);
    expect(nextDay.state.tradingState).toBe("active");
    expect(nextDay.state.day.startEquity?.toString()).toBe("90000");
  });
});

describe("circuit breakers", () => {
  it("consecutive losses: trips on the Nth loss, a win resets, break-even does not count", () => {
    const { config, state } = setup({ breakers: { consecutiveLosses: { maxCount: 3 } } });
    const loss = (t: number): RiskInput => ({ type: "TradeClosed", realizedPnl: "-10", tsEvent: t });
    const mixed = run(config, state, [
      loss(T0),
      loss(T0 + 1),
      { type: "TradeClosed", realizedPnl: "5", tsEvent: T0 + 2 },
      loss(T0 + 3),
      { type: "TradeClosed", realizedPnl: "0", tsEvent: T0 + 4 },
      loss(T0 + 5),
    ]);
    expect(mixed.state.consecutiveLosses).toBe(2);
    expect(mixed.state.tradingState).toBe("active");
    const tripped = run(config, mixed.state, [loss(T0 + 6)]);
    expect(tripped.state.tradingState).toBe("reducing");
    expect(tripped.state.consecutiveLosses).toBe(0);
    expect(tripped.events[0]).toEqual({
      type: "CircuitBreakerTripped",
      breaker: "consecutiveLosses",
      reason: "3 losing trades in a row (limit 3)",
      value: "3",
      threshold: "3",
      onTrip: "reducing",
      cooldownUntil: T0 + 6 + 30 * MINUTE,
      tsEvent: T0 + 6,
    });
  });

  it("recovers on its own exactly at the end of the cooldown", () => {
    const { config, state } = setup({
      breakers: { consecutiveLosses: { maxCount: 1, cooldownMs: 10 * MINUTE } },
    });
    const tripped = run(config, state, [{ type: "TradeClosed", realizedPnl: "-1", tsEvent: T0 }]);
    expect(run(config, tripped.state, [tick(T0 + 10 * MINUTE - 1)]).state.tradingState).toBe("reducing");
    const recovered = applyRiskInput(tripped.state, tick(T0 + 10 * MINUTE), config);
    expect(recovered.state.tradingState).toBe("active");
    expect(recovered.events).toEqual([
      {
        type: "CircuitBreakerRecovered",
        breaker: "consecutiveLosses",
        trippedAt: T0,
        cooldownUntil: T0 + 10 * MINUTE,
        tsEvent: T0 + 10 * MINUTE,
      },
      {
        type: "TradingStateChanged",
        from: "reducing",
        to: "active",
        reason: "circuit breaker consecutiveLosses recovered",
        restrictions: [],
        tsEvent: T0 + 10 * MINUTE,
      },
    ]);
  });

  it("drawdown from peak: halts, recovers after the cooldown with the peak reset", () => {
    const { config, state } = setup({
      maxDailyLossPct: "0.5",
      breakers: { drawdown: { maxPct: "0.1", cooldownMs: HOUR } },
    });
    const { state: tripped, events } = run(config, state, [
      equity("120000", T0 + MINUTE),
      equity("108001", T0 + 2 * MINUTE),
      equity("108000", T0 + 3 * MINUTE),
    ]);
    expect(tripped.tradingState).toBe("halted");
    expect(events.find((e) => e.type === "CircuitBreakerTripped")).toMatchObject({
      breaker: "drawdown",
      value: "0.1",
      threshold: "0.1",
      onTrip: "halted",
      cooldownUntil: T0 + 3 * MINUTE + HOUR,
    });
    const recovered = run(config, tripped, [equity("107000", T0 + 3 * MINUTE + HOUR)]);
    expect(recovered.state.tradingState).toBe("active");
    // The peak restarts from the equity at recovery (108,000), and the new observation is within 10 %.
    expect(recovered.state.peakEquity?.toString()).toBe("108000");
    expect(run(config, recovered.state, [equity("97200", T0 + 2 * HOUR)]).state.tradingState).toBe("halted");
  });

  it("drawdown: withdrawals lower the peak", () => {
    const { config, state } = setup({ breakers: { drawdown: { maxPct: "0.1" } } });
    const { state: after } = run(config, state, [
      { type: "CashFlowRecorded", amount: "-50000", tsEvent: T0 + 1 },
      equity("50000", T0 + 2),
    ]);
    expect(after.tradingState).toBe("active");
    expect(after.peakEquity?.toString()).toBe("50000");
  });

  it("volatility: trips at the ratio, validates the number", () => {
    const { config, state } = setup({ breakers: { volatility: { maxRatio: 3 } } });
    expect(
      run(config, state, [{ type: "VolatilityObserved", ratio: 2.99, tsEvent: T0 }]).state.tradingState,
    ).toBe("active");
    const tripped = run(config, state, [{ type: "VolatilityObserved", ratio: 3, tsEvent: T0 }]);
    expect(tripped.state.tradingState).toBe("reducing");
    expect(tripped.events[0]).toMatchObject({
      breaker: "volatility",
      value: "3",
      threshold: "3",
      cooldownUntil: T0 + 15 * MINUTE,
    });
    for (const ratio of [Number.NaN, Number.POSITIVE_INFINITY, -1]) {
      expect(() => applyRiskInput(state, { type: "VolatilityObserved", ratio, tsEvent: T0 }, config)).toThrow(
        RiskError,
      );
    }
  });

  it("venue errors: needs the minimum number of requests, counts within the window", () => {
    const { config, state } = setup({
      breakers: { venueErrors: { minRequests: 4, maxRate: 0.5, windowMs: MINUTE } },
    });
    const req = (ok: boolean, t: number): RiskInput => ({ type: "VenueRequestCompleted", ok, tsEvent: t });
    // Three errors: rate 1, but fewer than four requests.
    const three = run(config, state, [req(false, T0), req(false, T0 + 1), req(false, T0 + 2)]);
    expect(three.state.tradingState).toBe("active");
    // The fourth (a success) makes 3/4 ≥ 0.5: halted.
    const tripped = run(config, three.state, [req(true, T0 + 3)]);
    expect(tripped.state.tradingState).toBe("halted");
    expect(tripped.events[0]).toMatchObject({
      breaker: "venueErrors",
      value: "0.75",
      threshold: "0.5",
      onTrip: "halted",
    });
    expect(tripped.state.venueRequests).toEqual([]);
    // Errors older than the window do not count.
    const old = run(config, state, [
      req(false, T0),
      req(false, T0 + 1),
      req(false, T0 + 2),
      req(true, T0 + MINUTE + 5),
      req(true, T0 + MINUTE + 6),
      req(true, T0 + MINUTE + 7),
      req(false, T0 + MINUTE + 8),
    ]);
    expect(old.state.tradingState).toBe("active");
    expect(old.state.venueRequests).toHaveLength(4);
  });

  it("rejects: trips at the count within the window, with the venue's reason", () => {
    const { config, state } = setup({
      breakers: { rejects: { maxCount: 3, windowMs: MINUTE, onTrip: "halted" } },
    });
    const reject = (t: number): RiskInput => ({
      type: "OrderRejectRecorded",
      reason: "INSUFFICIENT_FUND",
      tsEvent: t,
    });
    const spread = run(config, state, [reject(T0), reject(T0 + 30_000), reject(T0 + MINUTE + 1)]);
    expect(spread.state.tradingState).toBe("active");
    const tripped = run(config, state, [reject(T0), reject(T0 + 30_000), reject(T0 + 59_999)]);
    expect(tripped.state.tradingState).toBe("halted");
    expect(tripped.events[0]).toMatchObject({
      breaker: "rejects",
      reason: "3 orders rejected in 60000 ms (limit 3); last: INSUFFICIENT_FUND",
    });
  });

  it("a disabled breaker never trips", () => {
    const { config, state } = setup({
      breakers: {
        consecutiveLosses: { enabled: false, maxCount: 1 },
        volatility: { enabled: false },
        venueErrors: { enabled: false, minRequests: 1 },
        rejects: { enabled: false, maxCount: 1 },
        drawdown: { enabled: false },
      },
      maxDailyLossPct: "0.9",
    });
    const { state: after, events } = run(config, state, [
      { type: "TradeClosed", realizedPnl: "-1", tsEvent: T0 },
      { type: "VolatilityObserved", ratio: 100, tsEvent: T0 },
      { type: "VenueRequestCompleted", ok: false, tsEvent: T0 },
      { type: "OrderRejectRecorded", tsEvent: T0 },
      equity("20000", T0),
    ]);
    expect(after.tradingState).toBe("active");
    expect(events).toEqual([]);
  });

  it("the most restrictive restriction decides; lifting one says what still holds", () => {
    const { config, state } = setup({
      breakers: {
        volatility: { cooldownMs: 10 * MINUTE },
        rejects: { maxCount: 1, cooldownMs: 5 * MINUTE, onTrip: "halted" },
      },
    });
    const both = run(config, state, [
      { type: "VolatilityObserved", ratio: 5, tsEvent: T0 },
      { type: "OrderRejectRecorded", tsEvent: T0 + 1 },
    ]);
    expect(both.state.tradingState).toBe("halted");
    expect(deriveTradingState(both.state, config).restrictions.map((r) => r.source)).toEqual([
      "rejects",
      "volatility",
    ]);
    const oneLeft = applyRiskInput(both.state, tick(T0 + 5 * MINUTE + 1), config);
    expect(oneLeft.state.tradingState).toBe("reducing");
    const change = oneLeft.events.at(-1);
    expect(change).toMatchObject({
      type: "TradingStateChanged",
      from: "halted",
      to: "reducing",
      restrictions: ["volatility"],
    });
    expect(change && "reason" in change ? change.reason : "").toMatch(
      /^circuit breaker rejects recovered; still reducing: circuit breaker volatility: volatility ratio 5 reached 3/,
    );
  });
});

describe("every breaker: trip, hold during the cooldown, recover", () => {
  const settings: RiskConfigInput = {
    maxDailyLossPct: "0.9",
    breakers: {
      consecutiveLosses: { maxCount: 1, cooldownMs: 10 * MINUTE },
      drawdown: { maxPct: "0.1", cooldownMs: 20 * MINUTE },
      volatility: { maxRatio: 2, cooldownMs: 30 * MINUTE },
      venueErrors: { minRequests: 1, maxRate: 1, cooldownMs: 40 * MINUTE },
      rejects: { maxCount: 1, cooldownMs: 50 * MINUTE },
    },
  };
  const trigger: Record<BreakerName, RiskInput> = {
    consecutiveLosses: { type: "TradeClosed", realizedPnl: "-1", tsEvent: T0 },
    drawdown: equity("89000", T0),
    volatility: { type: "VolatilityObserved", ratio: 2.5, tsEvent: T0 },
    venueErrors: { type: "VenueRequestCompleted", ok: false, tsEvent: T0 },
    rejects: { type: "OrderRejectRecorded", tsEvent: T0 },
  };

  it.each(
    BREAKER_NAMES.flatMap((name) =>
      (["reducing", "halted"] as const).map((onTrip) => [name, onTrip] as const),
    ),
  )("%s with onTrip %s", (name, onTrip) => {
    const { config } = setup({
      ...settings,
      breakers: { ...settings.breakers, [name]: { ...settings.breakers?.[name], onTrip } },
    });
    const state = createRiskState({ now: T0, config, equity: "100000" });
    const cooldownMs = config.breakers[name].cooldownMs;
    const tripped = applyRiskInput(state, trigger[name], config);
    expect(tripped.events.map((e) => e.type)).toEqual(["CircuitBreakerTripped", "TradingStateChanged"]);
    expect(tripped.events[0]).toMatchObject({ breaker: name, onTrip, cooldownUntil: T0 + cooldownMs });
    expect(tripped.state.tradingState).toBe(onTrip);
    const during = applyRiskInput(tripped.state, tick(T0 + cooldownMs - 1), config);
    expect(during.state.tradingState).toBe(onTrip);
    expect(during.events).toEqual([]);
    const after = applyRiskInput(tripped.state, tick(T0 + cooldownMs), config);
    expect(after.state.tradingState).toBe("active");
    expect(after.state.breakers[name]).toBeNull();
    expect(after.events.map((e) => e.type)).toEqual(["CircuitBreakerRecovered", "TradingStateChanged"]);
  });
});

describe("applyRiskInput", () => {
  it("never moves time backwards and validates timestamps", () => {
    const { config, state } = setup();
    const later = applyRiskInput(state, tick(T0 + HOUR), config).state;
    const stale = applyRiskInput(later, { type: "ActivateKillSwitch", reason: "x", tsEvent: T0 }, config);
    expect(stale.state.updatedAt).toBe(T0 + HOUR);
    expect(stale.state.killSwitch?.activatedAt).toBe(T0 + HOUR);
    expect(() => applyRiskInput(state, tick(Number.NaN), config)).toThrow(RiskError);
    expect(() => applyRiskInput(state, tick(1.5), config)).toThrow(RiskError);
  });

  it("rejects NaN amounts with a typed error", () => {
    const { config, state } = setup();
    expect(() => applyRiskInput(state, equity("NaN", T0), config)).toThrow(RiskError);
    expect(() =>
      applyRiskInput(state, { type: "TradeClosed", realizedPnl: Number.NaN, tsEvent: T0 }, config),
    ).toThrow(/realizedPnl/);
    expect(() =>
      applyRiskInput(state, { type: "CashFlowRecorded", amount: "1e999", tsEvent: T0 }, config),
    ).toThrow(RiskError);
  });

  it("does not mutate the state it is given", () => {
    const { config, state } = setup({ breakers: { rejects: { maxCount: 2 } } });
    const before = riskStateToJson(state);
    run(config, state, [
      { type: "OrderRejectRecorded", tsEvent: T0 },
      equity("50000", T0 + 1),
      { type: "VenueRequestCompleted", ok: false, tsEvent: T0 + 2 },
      { type: "ActivateKillSwitch", reason: "x", tsEvent: T0 + 3 },
    ]);
    expect(riskStateToJson(state)).toBe(before);
  });

  it("throws on an unknown input type from untyped callers", () => {
    const { config, state } = setup();
    expect(() => applyRiskInput(state, { type: "Nope", tsEvent: T0 } as never, config)).toThrow(TypeError);
  });
});
