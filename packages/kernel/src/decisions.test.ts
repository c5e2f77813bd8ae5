import {
  type Bar,
  createStaticInstrumentProvider,
  ManualClock,
  type SubmitBracket,
  type SubmitOrder,
  strategyId,
} from "@gpt/core";
import { D } from "@gpt/quantize";
import { parseRiskConfig, RiskEngine } from "@gpt/risk";
import type { Strategy, StrategyIntent } from "@gpt/strategies";
import { describe, expect, it } from "vitest";
import { KernelError } from "./errors.js";
import { createMemoryEventLog } from "./event-log.js";
import type { TraderEvent } from "./events.js";
import { BTC, barsFromCloses, harness, PERP, ScriptedStrategy, T0 } from "./testing/fixtures.js";
import { ManualVenue } from "./testing/manual-venue.js";
import { createTrader } from "./trader.js";

/**
 * Feeds bars with a risk engine's own clock moved to each bar first, as the harness moves the
 * trader's: the engine checks orders at its clock's time, and a mark dated after it is denied
 * (`mark-in-future`).
 */
function followingClock(clock: ManualClock, h: { feed(bars: readonly Bar[]): void }) {
  return (bars: readonly Bar[]) => {
    for (const bar of bars) {
      if (bar.tsEvent > clock.now()) clock.set(bar.tsEvent);
      h.feed([bar]);
    }
  };
}

describe("denial path", () => {
  it("risk denies: Decision(denied) with the reason, OrderInitialized, OrderDenied; nothing reaches the venue", () => {
    const strategy = new ScriptedStrategy([BTC.id], (_b, i) => (i === 0 ? "long" : undefined));
    const h = harness({ strategy, risk: { maxOrderNotional: "1000" } });
    h.feed(barsFromCloses(BTC.id, [100, 101]));
    expect(h.venue.submitted).toHaveLength(0);
    expect(h.log.events().map((e) => e.type)).toEqual(["Decision", "OrderInitialized", "OrderDenied"]);
    const [decision] = h.ofType("Decision");
    expect(decision).toMatchObject({
      kind: "denied",
      reason: "max-order-notional",
      check: "max-order-notional",
      side: "buy",
    });
    expect(decision?.quantity?.toFixed()).toBe("100");
    expect(decision?.details?.limit).toBe("1000");
    const denied = h.ofType("OrderDenied")[0];
    expect(denied?.clientOrderId).toBe(decision?.clientOrderId);
    expect(denied === undefined ? undefined : h.trader.cache.order(denied.clientOrderId)?.status).toBe(
      "denied",
    );
    expect(h.trader.stats().ordersDenied).toBe(1);
  });

  it("in the reducing state only exits pass: an opening order is denied reduce-only, the close is approved", () => {
    const clock = new ManualClock(T0);
    const risk = new RiskEngine({ config: parseRiskConfig({}), clock, initialEquity: "10000" });
    const script = ["long", undefined, "flat", "long"] as const;
    const strategy = new ScriptedStrategy([BTC.id], (_b, i) => script[i]);
    const h = harness({ strategy, risk });
    const feed = followingClock(clock, h);
    feed(barsFromCloses(BTC.id, [100, 100]));
    expect(h.trader.cache.position(BTC.id)?.quantity.toFixed()).toBe("100");
    risk.setManualReduceOnly(true, "test");
    expect(h.trader.tradingState).toBe("reducing");
    feed(barsFromCloses(BTC.id, [100, 100, 100], T0 + 2 * 60_000));
    const decisions = h.ofType("Decision").map((d) => [d.kind, d.reason]);
    expect(decisions).toEqual([
      ["order", "open"],
      ["order", "close"],
      ["denied", "reduce-only"],
    ]);
  });

  it("halted denies everything, exits included", () => {
    const clock = new ManualClock(T0);
    const risk = new RiskEngine({ config: parseRiskConfig({}), clock, initialEquity: "10000" });
    const script = ["long", undefined, "flat"] as const;
    const strategy = new ScriptedStrategy([BTC.id], (_b, i) => script[i]);
    const h = harness({ strategy, risk });
    const feed = followingClock(clock, h);
    feed(barsFromCloses(BTC.id, [100, 100]));
    risk.activateKillSwitch("test");
    feed(barsFromCloses(BTC.id, [100], T0 + 2 * 60_000));
    expect(h.ofType("Decision").map((d) => [d.kind, d.reason])).toEqual([
      ["order", "open"],
      ["denied", "trading-halted"],
    ]);
  });
});

describe("risk state wiring", () => {
  it("feeds equity to the daily loss limit: a loss beyond the limit switches to reducing (RiskNotice in the log)", () => {
    const strategy = new ScriptedStrategy([BTC.id], (_b, i) => (i === 0 ? "long" : undefined));
    const h = harness({
      strategy,
      risk: { maxDailyLossPct: "0.05", breakers: { drawdown: { enabled: false } } },
      equityObservationIntervalMs: 0,
    });
    h.feed(barsFromCloses(BTC.id, [100, 100, 97, 94]));
    expect(h.trader.tradingState).toBe("reducing");
    const notices = h.ofType("RiskNotice").map((n) => n.event.type);
    expect(notices).toContain("DailyLossLimitBreached");
    expect(notices).toContain("TradingStateChanged");
  });

  it("observes equity when it drifts by equityObservationStep, between fills and decisions", () => {
    const run = (step: number) => {
      const strategy = new ScriptedStrategy([BTC.id], (_b, i) => (i === 0 ? "long" : undefined), {
        sizeFraction: 0.9,
      });
      const h = harness({
        strategy,
        risk: { maxDailyLossPct: "0.05", breakers: { drawdown: { enabled: false } } },
        equityObservationIntervalMs: 1e12,
        equityObservationStep: step,
      });
      // Entry, then a slow slide of 0.5 % per bar (no fills, no decisions): −9 % on 90 % exposure.
      h.feed(
        barsFromCloses(BTC.id, [100, 100, ...Array.from({ length: 20 }, (_, i) => 100 * 0.995 ** (i + 1))]),
      );
      return h;
    };
    const watched = run(0.01);
    expect(watched.trader.tradingState).toBe("reducing");
    expect(watched.ofType("RiskNotice").map((n) => n.event.type)).toContain("DailyLossLimitBreached");
    // With a step too wide to trigger (and no time trigger), nothing reports the slide.
    expect(run(0.5).trader.tradingState).toBe("active");
  });

  it("a day boundary passed while idle lifts the daily-loss restriction at the next decision", () => {
    const script = new Map<number, "long" | "flat">([
      [0, "long"],
      [3, "flat"],
      [5, "long"],
    ]);
    const strategy = new ScriptedStrategy([BTC.id], (bar) =>
      script.get((bar.tsOpen - T0) / 60_000 >= 1440 ? 5 : (bar.tsOpen - T0) / 60_000),
    );
    const h = harness({
      strategy,
      risk: { maxDailyLossPct: "0.05", breakers: { drawdown: { enabled: false } } },
      equityObservationIntervalMs: 0,
    });
    h.feed(barsFromCloses(BTC.id, [100, 100, 90, 90, 90]));
    expect(h.trader.tradingState).toBe("reducing");
    // The next day (bars resume after 00:00 UTC): the long target is approved again.
    h.feed(barsFromCloses(BTC.id, [90], T0 + 1440 * 60_000));
    expect(h.ofType("Decision").map((d) => [d.kind, d.reason])).toEqual([
      ["order", "open"],
      ["order", "close"],
      ["order", "open"],
    ]);
    expect(h.ofType("RiskNotice").map((n) => n.event.type)).toContain("TradingDayRolled");
  });

  it("records venue rejects: the rejects breaker trips after maxCount rejections", () => {
    const strategy = new ScriptedStrategy([BTC.id], (_b, i) => (i % 2 === 0 ? "long" : "flat"));
    const h = harness({
      strategy,
      risk: { breakers: { rejects: { maxCount: 2, windowMs: 600_000 } } },
      venue: { behaviour: () => "reject" },
    });
    h.feed(barsFromCloses(BTC.id, [100, 100, 100, 100]));
    expect(h.ofType("OrderRejected")).toHaveLength(2);
    expect(h.ofType("RiskNotice").map((n) => n.event.type)).toContain("CircuitBreakerTripped");
    expect(h.trader.tradingState).toBe("reducing");
  });

  it("records closed trades for the consecutive-losses breaker", () => {
    const script = ["long", "flat", "long", "flat"] as const;
    const strategy = new ScriptedStrategy([BTC.id], (_b, i) => script[i]);
    const h = harness({
      strategy,
      risk: { breakers: { consecutiveLosses: { maxCount: 2 } } },
    });
    // Every round trip loses (fees, and falling opens).
    h.feed(barsFromCloses(BTC.id, [100, 99, 98, 97, 96, 95]));
    expect(h.ofType("RiskNotice").some((n) => n.event.type === "CircuitBreakerTripped")).toBe(true);
  });
});

describe("skip path", () => {
  it("a sizing skip is a Decision(skip) with the sizing reason and no order", () => {
    const strategy = new ScriptedStrategy([BTC.id], (_b, i) => (i === 0 ? "long" : undefined), {
      confidence: 0,
    });
    const h = harness({ strategy });
    h.feed(barsFromCloses(BTC.id, [100, 101]));
    const [decision] = h.ofType("Decision");
    expect(decision).toMatchObject({ kind: "skip", reason: "zero-confidence" });
    expect(decision?.equity?.toFixed()).toBe("10000");
    expect(h.venue.submitted).toHaveLength(0);
    expect(h.ofType("OrderInitialized")).toHaveLength(0);
  });

  it("an account too small for the minimum size skips with below-minimum", () => {
    const strategy = new ScriptedStrategy([BTC.id], (_b, i) => (i === 0 ? "long" : undefined));
    const h = harness({ strategy, cash: "0.05" });
    h.feed(barsFromCloses(BTC.id, [100]));
    expect(h.ofType("Decision")[0]).toMatchObject({ kind: "skip", reason: "below-minimum" });
  });

  it("a sizer quantity that rounds to zero on the size step skips with zero-quantity", () => {
    const strategy = new ScriptedStrategy([BTC.id], (_b, i) => (i === 0 ? "long" : undefined));
    const h = harness({
      strategy,
      sizing: () => ({
        kind: "sized",
        quantity: D("0.0004"),
        notional: D("0.04"),
        margin: D("0.04"),
        steps: [],
      }),
    });
    h.feed(barsFromCloses(BTC.id, [100]));
    expect(h.ofType("Decision")[0]).toMatchObject({ kind: "skip", reason: "zero-quantity" });
  });

  it("a spot short target closes the long and skips the short", () => {
    const script = ["long", undefined, "short"] as const;
    const strategy = new ScriptedStrategy([BTC.id], (_b, i) => script[i]);
    const h = harness({ strategy });
    h.feed(barsFromCloses(BTC.id, [100, 100, 100, 100]));
    expect(h.ofType("Decision").map((d) => [d.kind, d.reason])).toEqual([
      ["order", "open"],
      ["order", "flip-close"],
      ["skip", "spot-short"],
    ]);
    expect(h.trader.cache.position(BTC.id)?.quantity.isZero()).toBe(true);
  });

  it("a missing observation (ATR during warm-up) skips with missing-observation", () => {
    const strategy = new ScriptedStrategy([BTC.id], (_b, i) => (i === 0 ? "long" : undefined));
    const h = harness({ strategy, sizing: { method: { kind: "atr", riskFraction: 0.01 } } });
    h.feed(barsFromCloses(BTC.id, [100]));
    expect(h.ofType("Decision")[0]).toMatchObject({ kind: "skip", reason: "missing-observation" });
  });

  it("the atr method sizes from the kernel's ATR once it is ready", () => {
    const strategy = new ScriptedStrategy([BTC.id], (_b, i) => (i === 20 ? "long" : undefined));
    const h = harness({ strategy, sizing: { method: { kind: "atr", riskFraction: 0.01 } }, atrPeriod: 5 });
    h.feed(
      barsFromCloses(
        BTC.id,
        Array.from({ length: 22 }, (_, i) => 100 + (i % 3)),
      ),
    );
    const [decision] = h.ofType("Decision");
    expect(decision).toMatchObject({ kind: "order", reason: "open" });
  });
});

describe("spot buys and cash", () => {
  it("spotBuyHeadroom sizes buys on equity / (1 + headroom)", () => {
    const strategy = new ScriptedStrategy([BTC.id], (_b, i) => (i === 0 ? "long" : undefined));
    const h = harness({ strategy, spotBuyHeadroom: 0.01 });
    h.feed(barsFromCloses(BTC.id, [100]));
    // floor(10000 / 1.01 / 100, 0.001) = floor(99.0099…) = 99.009
    expect(h.ofType("Decision")[0]?.quantity?.toFixed()).toBe("99.009");
  });

  it("a venue rejection of an unaffordable buy is visible and leaves the target unfilled (no retry)", () => {
    const strategy = new ScriptedStrategy([BTC.id], (_b, i) => (i === 0 ? "long" : undefined));
    const h = harness({ strategy, venue: { behaviour: () => "reject" } });
    h.feed(barsFromCloses(BTC.id, [100, 105, 110]));
    expect(h.ofType("OrderRejected")).toHaveLength(1);
    expect(h.venue.submitted).toHaveLength(1);
    expect(h.trader.cache.position(BTC.id)).toBeUndefined();
  });
});

describe("outcome-unknown policy", () => {
  it("an unknown submit outcome leaves the order in flight, blocks new orders, and reconciliation settles it", () => {
    let first = true;
    const script = ["long", undefined, "flat", undefined, undefined] as const;
    const strategy = new ScriptedStrategy([BTC.id], (_b, i) => script[i], { sizeFraction: 0.5 });
    const h = harness({
      strategy,
      venue: {
        behaviour: () => {
          const b = first ? "unknown" : "accept";
          first = false;
          return b;
        },
      },
    });
    const bars = barsFromCloses(BTC.id, [100, 101, 102, 103, 104]);
    h.feed(bars.slice(0, 3));
    const [buy] = h.venue.submitted;
    const id = buy?.order.clientOrderId;
    expect(id).toBeDefined();
    if (id === undefined) return;
    const order = h.trader.cache.order(id);
    expect(order?.status).toBe("submitted");
    expect(order?.outcomeUnknown).toBe("submit");
    // The flat target on bar 2 is blocked: no cancel, no second order, not rejected.
    expect(h.venue.submitted).toHaveLength(1);
    expect(h.venue.canceled).toHaveLength(0);
    expect(h.ofType("OrderRejected")).toHaveLength(0);
    expect(h.ofType("Decision").map((d) => [d.kind, d.reason])).toEqual([
      ["order", "open"],
      ["blocked", "outcome-unknown"],
    ]);
    // Reconciliation: the venue did get the order and filled it at bar 1's open.
    const result = h.trader.reconcile(h.venue.massStatus());
    expect(result).toMatchObject({ fillsBooked: 1, ordersAdded: 0, positionsAdjusted: 0 });
    expect(h.trader.cache.order(id)?.status).toBe("filled");
    expect(h.trader.cache.position(BTC.id)?.quantity.toFixed()).toBe("50");
    expect(h.trader.cache.cash().toFixed()).toBe("4970"); // 10000 − 50 × 100 − 30 fee
    // The pending flat target acts on the next bar.
    h.feed(bars.slice(3));
    const decisions = h.ofType("Decision").map((d) => [d.kind, d.reason]);
    expect(decisions.at(-1)).toEqual(["order", "close"]);
    expect(h.trader.cache.position(BTC.id)?.quantity.isZero()).toBe(true);
    expect(h.trader.cache.equity().toFixed()).toBe(h.venue.snapshot().equity.toFixed());
  });

  it("retryOrder re-sends the same client order id; the venue's answer settles the outcome", () => {
    const strategy = new ScriptedStrategy([BTC.id], (_b, i) => (i === 0 ? "long" : undefined));
    let n = 0;
    const h = harness({ strategy, venue: { behaviour: () => (n++ === 0 ? "unknown" : "accept") } });
    const bars = barsFromCloses(BTC.id, [100, 101]);
    h.feed(bars.slice(0, 1));
    const id = h.venue.submitted[0]?.order.clientOrderId;
    if (id === undefined) throw new Error("no order");
    h.trader.retryOrder(id);
    expect(h.venue.submitted.map((c) => c.order.clientOrderId)).toEqual([id, id]);
    expect(h.trader.cache.order(id)?.status).toBe("accepted");
    expect(h.trader.cache.order(id)?.outcomeUnknown).toBeUndefined();
    expect(() => h.trader.retryOrder(id)).toThrowError(KernelError);
    h.feed(bars.slice(1));
    expect(h.trader.cache.order(id)?.status).toBe("filled");
  });
});

describe("re-entrancy", () => {
  it("a venue that fills inside submitOrder: events are queued and applied in order, the flip sees the closed position", () => {
    const clock = new ManualClock(T0);
    const venue = new ManualVenue();
    venue.onSubmit = (command, v) => {
      v.accept(command, clock.now());
      v.fill(command.order, "100", clock.now());
    };
    const script = ["long", "short"] as const;
    const strategy = new ScriptedStrategy([PERP.id], (_b, i) => script[i]);
    const log = createMemoryEventLog({ capacity: "unbounded" });
    const trader = createTrader({
      clock,
      execution: venue,
      instruments: createStaticInstrumentProvider([PERP]),
      strategy,
      account: "10000",
      sizing: { method: { kind: "fixed-fraction", fraction: 0.5 } },
      eventLog: log,
    }).start();
    for (const bar of barsFromCloses(PERP.id, [100, 100])) {
      clock.set(bar.tsEvent);
      trader.onBar(bar);
    }
    // 0.5 × 10000 / (100 × 0.01) = 5000 contracts
    expect(log.events().map((e) => (e.type === "Decision" ? `Decision:${e.reason}` : e.type))).toEqual([
      "Decision:open",
      "OrderInitialized",
      "OrderSubmitted",
      "OrderAccepted",
      "OrderFilled",
      "Decision:flip-close",
      "OrderInitialized",
      "OrderSubmitted",
      "OrderAccepted",
      "OrderFilled",
      "Decision:flip-open",
      "OrderInitialized",
      "OrderSubmitted",
      "OrderAccepted",
      "OrderFilled",
    ]);
    const quantities = venue.submits.map((c) => [
      c.order.side,
      c.order.quantity.toFixed(),
      c.order.reduceOnly,
    ]);
    expect(quantities).toEqual([
      ["buy", "5000", false],
      ["sell", "5000", true],
      ["sell", "5000", false],
    ]);
    expect(trader.cache.position(PERP.id)?.quantity.toFixed()).toBe("-5000");
  });

  it("a port that throws on submit: the order is canceled locally (not left working) and the error surfaces", () => {
    const clock = new ManualClock(T0);
    const venue = new ManualVenue();
    venue.onSubmit = () => {
      throw new Error("invalid command");
    };
    const strategy = new ScriptedStrategy([BTC.id], (_b, i) => (i === 0 ? "long" : undefined));
    const trader = createTrader({
      clock,
      execution: venue,
      instruments: createStaticInstrumentProvider([BTC]),
      strategy,
      account: "1000",
    }).start();
    const [bar] = barsFromCloses(BTC.id, [100]);
    clock.set(bar?.tsEvent ?? T0);
    expect(() => trader.onBar(bar as Bar)).toThrow("invalid command");
    const id = venue.submits[0]?.order.clientOrderId;
    expect(id === undefined ? undefined : trader.cache.order(id)?.status).toBe("canceled");
    expect(trader.cache.openOrders()).toEqual([]);
  });

  it("feeding market data from inside an event handler is refused (and reported), not silently nested", () => {
    const strategy = new ScriptedStrategy([BTC.id], (_b, i) => (i === 0 ? "long" : undefined));
    const errors: unknown[] = [];
    const h = harness({
      strategy,
      logger: { debug() {}, info() {}, warn() {}, error: (_m, f) => errors.push(f?.error) },
    });
    const extra = barsFromCloses(BTC.id, [200], T0 + 3_600_000)[0] as Bar;
    let thrown: unknown;
    h.trader.events.subscribe((event) => {
      if (event.type === "OrderAccepted") {
        try {
          h.trader.onBar(extra);
        } catch (error) {
          thrown = error;
          throw error;
        }
      }
    });
    h.feed(barsFromCloses(BTC.id, [100, 101]));
    expect(thrown).toBeInstanceOf(KernelError);
    expect((thrown as KernelError).code).toBe("re-entrant-call");
    expect(errors).toHaveLength(1);
    // Trading went on: the order still filled.
    expect(h.trader.cache.position(BTC.id)?.quantity.toFixed()).toBe("100");
  });
});

describe("working orders and targets", () => {
  it("a new target cancels the strategy's working order first, then decides on the confirmed state", () => {
    const script = ["long", "flat"] as const;
    const strategy = new ScriptedStrategy([BTC.id], (_b, i) => script[i]);
    const h = harness({ strategy });
    const bars = barsFromCloses(BTC.id, [100, 101, 102]);
    h.clock.set(bars[0]?.tsEvent ?? T0);
    h.trader.onBar(bars[0] as Bar);
    const clock = h.clock;
    clock.set(bars[1]?.tsEvent ?? T0);
    // Bars for the trader only: the venue does not see them, so the buy is still working.
    h.venue.onBar = () => {};
    h.trader.onBar(bars[1] as Bar);
    // The buy's answer belongs before bar 1 (a backtest books it first): the target waits a bar.
    expect(h.ofType("Decision").map((d) => [d.kind, d.reason])).toEqual([["order", "open"]]);
    clock.set(bars[2]?.tsEvent ?? T0);
    h.trader.onBar(bars[2] as Bar);
    expect(h.ofType("Decision").map((d) => [d.kind, d.reason])).toEqual([
      ["order", "open"],
      ["cancel", "superseded"],
    ]);
    expect(h.venue.canceled).toHaveLength(1);
    expect(h.trader.cache.openOrders()).toEqual([]);
  });

  it("a cancel the venue answers late: the target waits (blocked after a bar) and acts as soon as the cancel is confirmed", () => {
    const clock = new ManualClock(T0);
    const venue = new ManualVenue();
    venue.onSubmit = (command, v) => v.accept(command, clock.now());
    const script = ["long", "short", undefined, undefined] as const;
    const strategy = new ScriptedStrategy([PERP.id], (_b, i) => script[i]);
    const log = createMemoryEventLog({ capacity: "unbounded" });
    const trader = createTrader({
      clock,
      execution: venue,
      instruments: createStaticInstrumentProvider([PERP]),
      strategy,
      account: "10000",
      eventLog: log,
    }).start();
    const bars = barsFromCloses(PERP.id, [100, 100, 100, 100]);
    const kinds = () =>
      log
        .events()
        .filter((e): e is Extract<TraderEvent, { type: "Decision" }> => e.type === "Decision")
        .map((d) => [d.kind, d.reason]);
    const onBar = (i: number) => {
      clock.set(bars[i]?.tsEvent ?? T0);
      trader.onBar(bars[i] as Bar);
    };
    onBar(0);
    onBar(1);
    // The market buy sent on bar 0 has not reported its outcome: the short target waits a bar.
    expect(kinds()).toEqual([["order", "open"]]);
    onBar(2);
    // Still unanswered: the target cancels it and waits for the answer, due on this bar.
    expect(venue.commands.filter((c) => c.type === "CancelOrder")).toHaveLength(1);
    expect(kinds()).toEqual([
      ["order", "open"],
      ["cancel", "superseded"],
    ]);
    onBar(3);
    // A bar later the cancel is still unanswered: blocked, logged once; the cancel is not re-sent.
    expect(venue.commands.filter((c) => c.type === "CancelOrder")).toHaveLength(1);
    expect(kinds().at(-1)).toEqual(["blocked", "awaiting-cancel"]);
    expect(venue.submits).toHaveLength(1);
    // The venue confirms the cancel, between bars: the standing short target acts at once.
    const buy = venue.submits[0] as SubmitOrder;
    venue.emit({ type: "OrderCanceled", ...venue.meta(buy.order.clientOrderId, PERP.id, clock.now()) });
    expect(kinds().at(-1)).toEqual(["order", "open"]);
    expect(venue.submits.map((c) => c.order.side)).toEqual(["buy", "sell"]);
  });

  it("back to the held side while the exit is working: the exit is canceled and nothing else is sent", () => {
    const clock = new ManualClock(T0);
    const venue = new ManualVenue();
    venue.onSubmit = (command, v) => v.accept(command, clock.now());
    venue.onCancel = (command, v) =>
      v.emit({ type: "OrderCanceled", ...v.meta(command.clientOrderId, PERP.id, clock.now()) });
    const script = ["long", "flat", "long"] as const;
    const strategy = new ScriptedStrategy([PERP.id], (_b, i) => script[i]);
    const trader = createTrader({
      clock,
      execution: venue,
      instruments: createStaticInstrumentProvider([PERP]),
      strategy,
      account: "10000",
    }).start();
    const bars = barsFromCloses(PERP.id, [100, 100, 100, 100]);
    clock.set(bars[0]?.tsEvent ?? T0);
    trader.onBar(bars[0] as Bar);
    // A fee, so that sizing at bar 3 would ask for a different quantity than the one held.
    venue.fill((venue.submits[0] as SubmitOrder).order, "100", clock.now(), "0.0001");
    clock.set(bars[1]?.tsEvent ?? T0);
    trader.onBar(bars[1] as Bar); // the close order works, unfilled
    clock.set(bars[2]?.tsEvent ?? T0);
    trader.onBar(bars[2] as Bar); // the long target waits a bar for the close order's outcome
    expect(venue.commands).toHaveLength(2);
    clock.set(bars[3]?.tsEvent ?? T0);
    trader.onBar(bars[3] as Bar);
    expect(
      venue.commands.map((c) => (c.type === "SubmitOrder" ? `${c.type}:${c.order.side}` : c.type)),
    ).toEqual(["SubmitOrder:buy", "SubmitOrder:sell", "CancelOrder"]);
    expect(trader.cache.position(PERP.id)?.quantity.toFixed()).toBe("10000");
    expect(trader.cache.openOrders()).toEqual([]);
  });

  it("a repeated target the position already satisfies does nothing (and logs nothing)", () => {
    const strategy = new ScriptedStrategy([BTC.id], (_b, i) => (i < 4 ? "long" : undefined));
    const h = harness({ strategy });
    h.feed(barsFromCloses(BTC.id, [100, 101, 102, 103]));
    expect(h.ofType("Decision")).toHaveLength(1);
    expect(h.venue.submitted).toHaveLength(1);
  });

  it("rebalanceThreshold resizes a same-direction position when the target moved enough", () => {
    const strategy = new ScriptedStrategy([PERP.id], () => "long", { sizeFraction: 0.5 });
    const h = harness({ strategy, instruments: [PERP], rebalanceThreshold: 0.1 });
    // Price halves: the 0.5 × equity target in contracts grows by far more than 10 %.
    h.feed(barsFromCloses(PERP.id, [100, 100, 60, 60]));
    const orders = h.ofType("Decision").filter((d) => d.kind === "order");
    expect(orders.map((d) => d.reason)).toEqual(["open", "increase"]);
  });

  it("invalid intents are logged and ignored", () => {
    const bad: Strategy = {
      id: strategyId("bad"),
      name: "bad",
      params: undefined,
      instruments: [BTC.id],
      warmUpBars: 0,
      onBar: (_ctx, bar): readonly StrategyIntent[] => [
        {
          type: "TargetPosition",
          strategyId: strategyId("bad"),
          instrumentId: bar.instrumentId,
          direction: "long",
          confidence: 2,
          reason: "too sure",
          tsEvent: bar.tsEvent,
        },
        {
          type: "TargetPosition",
          strategyId: strategyId("other"),
          instrumentId: bar.instrumentId,
          direction: "long",
          confidence: 1,
          reason: "not mine",
          tsEvent: bar.tsEvent,
        },
      ],
    };
    const h = harness({ strategy: bad });
    h.feed(barsFromCloses(BTC.id, [100]));
    expect(h.ofType("Decision").map((d) => [d.kind, d.reason])).toEqual([
      ["invalid-intent", "invalid-intent"],
      ["invalid-intent", "foreign-strategy"],
    ]);
    expect(h.venue.submitted).toHaveLength(0);
  });

  it("entryOrders: bracket sends a SubmitBracket with legs rounded to the tick when the target has stop and take-profit", () => {
    const strategy = new ScriptedStrategy([BTC.id], (_b, i) => (i === 0 ? "long" : undefined), {
      stopPrice: 95.123,
      takeProfitPrice: 110.456,
    });
    const h = harness({ strategy, entryOrders: "bracket" });
    h.feed(barsFromCloses(BTC.id, [100]));
    const [bracket] = h.venue.brackets as SubmitBracket[];
    expect(bracket?.entry.quantity.toFixed()).toBe("100");
    // Sell legs round passively up onto the 0.01 tick.
    expect(bracket?.takeProfit.price.toFixed()).toBe("110.46");
    expect(bracket?.stopLoss.triggerPrice.toFixed()).toBe("95.13");
    const roles = h.ofType("OrderInitialized").map((e) => e.bracket?.role);
    expect(roles).toEqual(["entry", "take-profit", "stop-loss"]);
    // The test venue rejects brackets: entry rejected, legs canceled, nothing left open.
    expect(h.trader.cache.openOrders()).toEqual([]);
  });
});
