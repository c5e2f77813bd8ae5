import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRiskConfig } from "./config.js";
import { RiskError } from "./errors.js";
import type { RiskInput } from "./events.js";
import { applyRiskInput } from "./machine.js";
import {
  InMemoryRiskStateStore,
  parseRiskState,
  riskStateFromJson,
  riskStateToJson,
  serializeRiskState,
} from "./persistence.js";
import { createRiskState, deriveTradingState, type RiskState } from "./state.js";
import { HOUR, MINUTE, T0 } from "./testing/fixtures.js";

const config = parseRiskConfig({
  breakers: { rejects: { maxCount: 2 }, consecutiveLosses: { maxCount: 2 }, venueErrors: { minRequests: 2 } },
});

/** Random risk inputs with non-decreasing timestamps (steps up to 3 hours). */
const inputsArb: fc.Arbitrary<RiskInput[]> = fc
  .array(
    fc.tuple(
      fc.integer({ min: 0, max: 3 * HOUR }),
      fc.oneof(
        fc
          .integer({ min: -10_000, max: 300_000 })
          .map((e) => ({ type: "EquityObserved" as const, equity: String(e) })),
        fc
          .integer({ min: -5_000, max: 5_000 })
          .map((p) => ({ type: "TradeClosed" as const, realizedPnl: String(p) })),
        fc
          .integer({ min: -10_000, max: 10_000 })
          .map((a) => ({ type: "CashFlowRecorded" as const, amount: String(a) })),
        fc
          .double({ min: 0, max: 6, noNaN: true })
          .map((ratio) => ({ type: "VolatilityObserved" as const, ratio })),
        fc.boolean().map((ok) => ({ type: "VenueRequestCompleted" as const, ok })),
        fc.constant({ type: "OrderRejectRecorded" as const }),
        fc.constant({ type: "ActivateKillSwitch" as const, reason: "test" }),
        fc.boolean().map((enabled) => ({ type: "SetManualReduceOnly" as const, enabled, reason: "test" })),
        fc.constant({ type: "Tick" as const }),
      ),
    ),
    { maxLength: 40 },
  )
  .map((steps) => {
    let t = T0;
    return steps.map(([dt, partial]) => {
      t += dt;
      return { ...partial, tsEvent: t } as RiskInput;
    });
  });

function replay(
  inputs: readonly RiskInput[],
  start: RiskState = createRiskState({ now: T0, config, equity: "100000" }),
) {
  let state = start;
  for (const input of inputs) state = applyRiskInput(state, input, config).state;
  return state;
}

describe("serializeRiskState / parseRiskState", () => {
  it("writes Decimals as plain strings and reads them back", () => {
    const state = replay([
      { type: "EquityObserved", equity: "99999.123456789", tsEvent: T0 + MINUTE },
      { type: "TradeClosed", realizedPnl: "-0.00000001", tsEvent: T0 + 2 * MINUTE },
    ]);
    const json = serializeRiskState(state);
    expect(json).toMatchObject({
      version: 1,
      lastEquity: "99999.123456789",
      day: { startEquity: "100000", realizedPnl: "-0.00000001", cashFlow: "0", breach: null },
    });
    const back = parseRiskState(JSON.parse(JSON.stringify(json)));
    expect(back.lastEquity?.toString()).toBe("99999.123456789");
    expect(riskStateToJson(back)).toBe(riskStateToJson(state));
  });

  it("property: any reachable state survives a JSON round trip, and continues identically", () => {
    fc.assert(
      fc.property(inputsArb, inputsArb, (first, second) => {
        const middle = replay(first);
        const restored = riskStateFromJson(riskStateToJson(middle));
        if (riskStateToJson(restored) !== riskStateToJson(middle)) return false;
        const shift = (middle.updatedAt - T0) as number;
        const later = second.map((i) => ({ ...i, tsEvent: i.tsEvent + shift }));
        return riskStateToJson(replay(later, restored)) === riskStateToJson(replay(later, middle));
      }),
      { numRuns: 150 },
    );
  });

  it("rejects an unknown version, wrong types and non-decimal strings, naming the field", () => {
    const good = serializeRiskState(replay([]));
    expect(() => parseRiskState({ ...good, version: 2 })).toThrow(/unsupported version 2/);
    expect(() => parseRiskState({ ...good, lastEquity: "1e5" })).toThrow(/lastEquity/);
    expect(() => parseRiskState({ ...good, tradingState: "paused" })).toThrow(/tradingState/);
    expect(() => parseRiskState({ ...good, day: { ...good.day, cashFlow: 5 } })).toThrow(/day\.cashFlow/);
    expect(() => parseRiskState({ ...good, extra: true })).toThrow(RiskError);
    expect(() => parseRiskState(null)).toThrow(RiskError);
    let error: unknown;
    try {
      riskStateFromJson("{not json");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RiskError);
    expect((error as RiskError).code).toBe("invalid-state");
  });
});

describe("InMemoryRiskStateStore", () => {
  it("is empty at first, then returns what was saved (as validated JSON)", async () => {
    const store = new InMemoryRiskStateStore();
    expect(await store.load()).toBeUndefined();
    const state = replay([{ type: "ActivateKillSwitch", reason: "saved", tsEvent: T0 + HOUR }]);
    await store.save(state);
    expect(store.json).toBe(riskStateToJson(state));
    const loaded = await store.load();
    expect(loaded?.killSwitch).toEqual({ reason: "saved", activatedAt: T0 + HOUR });
    expect(loaded?.tradingState).toBe("halted");
  });

  it("reports corrupt saved text as invalid state", async () => {
    await expect(new InMemoryRiskStateStore('{"version":1}').load()).rejects.toThrow(RiskError);
  });
});

describe("state machine properties", () => {
  it("the stored trading state always equals the derived one, and state changes chain", () => {
    fc.assert(
      fc.property(inputsArb, (inputs) => {
        let state = createRiskState({ now: T0, config, equity: "100000" });
        for (const input of inputs) {
          const before = state.tradingState;
          const step = applyRiskInput(state, input, config);
          state = step.state;
          const changes = step.events.filter((e) => e.type === "TradingStateChanged");
          if (state.tradingState !== deriveTradingState(state, config).tradingState) return false;
          if (before === state.tradingState ? changes.length !== 0 : changes.length !== 1) return false;
          const change = changes[0];
          if (change && (change.from !== before || change.to !== state.tradingState)) return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it("after the kill switch, nothing but a reset leaves the halted state", () => {
    fc.assert(
      fc.property(inputsArb, (inputs) => {
        let state = applyRiskInput(
          createRiskState({ now: T0, config, equity: "100000" }),
          { type: "ActivateKillSwitch", reason: "stop", tsEvent: T0 },
          config,
        ).state;
        for (const input of inputs) {
          state = applyRiskInput(state, input, config).state;
          if (state.tradingState !== "halted") return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it("within one day, the daily loss limit holds once the loss reached the limit", () => {
    const lossOnly = parseRiskConfig({
      maxDailyLossPct: "0.05",
      breakers: {
        drawdown: { enabled: false },
        consecutiveLosses: { enabled: false },
        volatility: { enabled: false },
        venueErrors: { enabled: false },
        rejects: { enabled: false },
      },
    });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 80_000, max: 120_000 }), { maxLength: 30 }), (equities) => {
        let state = createRiskState({ now: T0, config: lossOnly, equity: "100000" });
        let breached = false;
        equities.forEach((e, i) => {
          state = applyRiskInput(
            state,
            { type: "EquityObserved", equity: String(e), tsEvent: T0 + i * MINUTE },
            lossOnly,
          ).state;
          if (e <= 95_000) breached = true;
        });
        return state.tradingState === (breached ? "reducing" : "active");
      }),
    );
  });
});
