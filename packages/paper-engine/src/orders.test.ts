import {
  CommandValidationError,
  instrumentId,
  limitOrder,
  marketOrder,
  type OrderFilled,
  stopOrder,
} from "@gpt/core";
import { D } from "@gpt/quantize";
import { describe, expect, it } from "vitest";
import { PaperEngine } from "./engine.js";
import { PaperEngineError } from "./errors.js";
import { fixedLatency } from "./latency.js";
import { bar, coid, MIN, PERP, Recorder, SPOT, STRAT, T0 } from "./testing/fixtures.js";
import type { PaperEngineConfig } from "./types.js";

function spot(extra: Partial<PaperEngineConfig> = {}) {
  const engine = new PaperEngine({
    accountType: "cash",
    instruments: [SPOT],
    initialBalances: { USD: "1000000", BTC: "100" },
    ...extra,
  });
  return { engine, rec: new Recorder(engine) };
}

function perp(extra: Partial<PaperEngineConfig> = {}) {
  const engine = new PaperEngine({
    accountType: "margin",
    instruments: [PERP],
    initialBalances: { USD: "100000" },
    ...extra,
  });
  return { engine, rec: new Recorder(engine) };
}

const S = SPOT.id;
const P = PERP.id;
const fills = (rec: Recorder, id?: string): OrderFilled[] =>
  rec.ofType("OrderFilled").filter((f) => id === undefined || f.clientOrderId === id);
const limit = (side: "buy" | "sell", price: string, extra: Record<string, unknown> = {}) =>
  limitOrder({ clientOrderId: coid(), instrumentId: S, side, quantity: "1", price, ...extra });

describe("validation against the instrument", () => {
  it.each([
    ["a price off the tick", { price: "100.001" }, "not-on-price-increment"],
    ["a size below the minimum", { quantity: "0.00001" }, "below-min-size"],
    ["a size off the step", { quantity: "1.00005" }, "not-on-size-increment"],
    ["a notional below the minimum", { quantity: "0.0001", price: "5" }, "below-min-notional"],
    ["a size above the maximum", { quantity: "1001" }, "above-max-size"],
  ])("rejects %s with the reason, never a silent fix", (_name, fields, code) => {
    const { engine, rec } = spot();
    const o = rec.submit(limit("buy", "100.00", fields));
    const [rej] = rec.ofType("OrderRejected");
    expect(rej?.clientOrderId).toBe(o);
    expect(rej?.code).toBe(code);
    expect(rej?.reason.length).toBeGreaterThan(0);
    expect(rec.types(o)).toEqual(["OrderInitialized", "OrderSubmitted", "OrderRejected"]);
    expect(engine.openOrders()).toHaveLength(0);
    rec.replayAll();
  });

  it("rejects reduce-only on spot, leverage above the maximum, and unknown instruments", () => {
    const { rec } = spot();
    rec.submit(limit("sell", "100.00", { reduceOnly: true }));
    const p = perp();
    p.rec.submit(
      limitOrder({
        clientOrderId: coid(),
        instrumentId: P,
        side: "buy",
        quantity: "1",
        price: "100",
        leverage: "50",
      }),
    );
    const unknown = instrumentId("DOGE-USD", "SIM");
    rec.submit(
      limitOrder({ clientOrderId: coid(), instrumentId: unknown, side: "buy", quantity: "1", price: "1" }),
    );
    expect(rec.ofType("OrderRejected").map((r) => r.code)).toEqual(["derivative-only", "UNKNOWN_PRODUCT"]);
    expect(p.rec.ofType("OrderRejected")[0]?.code).toBe("leverage-above-max");
    rec.replayAll();
    p.rec.replayAll();
  });

  it("throws on an invalid command (a programming error), before anything is emitted", () => {
    const { engine, rec } = spot();
    const spec = { ...limit("buy", "100.00"), quantity: D(-1) };
    expect(() =>
      engine.submitOrder({ type: "SubmitOrder", strategyId: STRAT, order: spec, tsInit: T0 }),
    ).toThrow(CommandValidationError);
    expect(rec.events).toHaveLength(0);
  });

  it("ignores a resend of the same client order id (idempotency)", () => {
    const { engine, rec } = spot();
    const spec = limit("buy", "90.00");
    rec.submit(spec);
    engine.submitOrder({ type: "SubmitOrder", strategyId: STRAT, order: spec, tsInit: T0 });
    expect(rec.ofType("OrderSubmitted")).toHaveLength(1);
    rec.replayAll();
  });
});

describe("cancel, modify, cancel-all", () => {
  it("cancels a resting order and releases its hold", () => {
    const { engine, rec } = spot();
    const o = rec.submit(limit("buy", "90.00"));
    expect(
      engine
        .snapshot()
        .balances.find((b) => b.currency === "USD")
        ?.locked.toString(),
    ).toBe("90.54");
    engine.cancelOrder({
      type: "CancelOrder",
      strategyId: STRAT,
      instrumentId: S,
      clientOrderId: o,
      tsInit: T0,
    });
    expect(rec.types(o).slice(-2)).toEqual(["OrderPendingCancel", "OrderCanceled"]);
    expect(
      engine
        .snapshot()
        .balances.find((b) => b.currency === "USD")
        ?.locked.toString(),
    ).toBe("0");
    rec.replayAll();
  });

  it("answers a cancel of an unknown or finished order with OrderCancelRejected", () => {
    const { engine, rec } = spot();
    engine.onBar(bar(S, 0, 100, 101, 99, 100));
    const o = rec.submit(marketOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity: "1" }));
    engine.onBar(bar(S, 1, 100, 101, 99, 100));
    engine.cancelOrder({
      type: "CancelOrder",
      strategyId: STRAT,
      instrumentId: S,
      clientOrderId: o,
      tsInit: engine.now(),
    });
    const ghost = coid();
    engine.cancelOrder({
      type: "CancelOrder",
      strategyId: STRAT,
      instrumentId: S,
      clientOrderId: ghost,
      tsInit: engine.now(),
    });
    expect(rec.ofType("OrderCancelRejected").map((r) => r.reason)).toEqual([
      "order is already filled",
      "unknown order",
    ]);
    rec.replayAll();
  });

  it("modifies price and size of a resting order; it then fills at the new price", () => {
    const { engine, rec } = spot();
    engine.onBar(bar(S, 0, 100, 101, 99, 100));
    const o = rec.submit(limit("buy", "90.00"));
    engine.modifyOrder({
      type: "ModifyOrder",
      strategyId: STRAT,
      instrumentId: S,
      clientOrderId: o,
      price: D("99.00"),
      quantity: D("2"),
      tsInit: engine.now(),
    });
    expect(rec.types(o).slice(-2)).toEqual(["OrderPendingUpdate", "OrderUpdated"]);
    expect(
      engine
        .snapshot()
        .balances.find((b) => b.currency === "USD")
        ?.locked.toString(),
    ).toBe("199.188");
    engine.onBar(bar(S, 1, 100, 101, 98, 100));
    expect(fills(rec, o).map((f) => `${f.lastQty} @ ${f.lastPrice}`)).toEqual(["2 @ 99"]);
    rec.replayAll();
  });

  it.each([
    ["a market order", "market", {}, /market orders/],
    ["an IOC order", "ioc", {}, /IOC orders/],
    ["a trigger on a limit", "limit", { triggerPrice: D("50") }, /no trigger/],
    ["a quantity at the filled amount", "partial", { quantity: D("1") }, /must exceed/],
    ["an off-tick price", "limit", { price: D("90.001") }, /multiple of 0.01/],
  ])("rejects a modify of %s", (_name, kind, change, reason) => {
    const { engine, rec } = spot({ volumeParticipation: 0.001 });
    engine.onBar(bar(S, 0, 100, 101, 99, 100));
    let target: string;
    if (kind === "market") {
      target = rec.submit(
        marketOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity: "1" }),
      );
    } else if (kind === "ioc") {
      target = rec.submit(limit("buy", "50.00", { timeInForce: "IOC" }));
    } else if (kind === "partial") {
      target = rec.submit(limit("buy", "99.50", { quantity: "3" }));
      engine.onBar(bar(S, 1, 100, 101, 99, 100, 1000)); // cap 1
      expect(fills(rec, target)[0]?.lastQty.toString()).toBe("1");
    } else target = rec.submit(limit("buy", "90.00"));
    engine.modifyOrder({
      type: "ModifyOrder",
      strategyId: STRAT,
      instrumentId: S,
      clientOrderId: target as never,
      tsInit: engine.now(),
      ...change,
      ...(Object.keys(change).length === 0 ? { price: D("91") } : {}),
    });
    const [rej] = rec.ofType("OrderModifyRejected");
    expect(rej?.reason).toMatch(reason);
    rec.replayAll();
  });

  it("cancel-all cancels the matching open orders only", () => {
    const { engine, rec } = spot();
    const a = rec.submit(limit("buy", "90.00"));
    const b = rec.submit(limit("sell", "110.00"));
    const c = rec.submit(limit("buy", "91.00"));
    engine.cancelAllOrders({
      type: "CancelAllOrders",
      strategyId: STRAT,
      instrumentId: S,
      side: "buy",
      tsInit: T0,
    });
    expect(rec.types(a).at(-1)).toBe("OrderCanceled");
    expect(rec.types(c).at(-1)).toBe("OrderCanceled");
    expect(rec.types(b).at(-1)).toBe("OrderAccepted");
    engine.cancelAllOrders({ type: "CancelAllOrders", strategyId: STRAT, tsInit: T0 });
    expect(rec.types(b).at(-1)).toBe("OrderCanceled");
    expect(engine.openOrders()).toHaveLength(0);
    rec.replayAll();
  });
});

describe("latency", () => {
  it("accepts after the submit delay; bars before the order is live do not fill it", () => {
    const { engine, rec } = spot({ latency: fixedLatency({ submitMs: 90_000 }) });
    engine.onBar(bar(S, 0, 100, 101, 99, 100));
    const o = rec.submit(marketOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity: "1" }));
    expect(rec.types(o)).toEqual(["OrderInitialized", "OrderSubmitted"]);
    engine.onBar(bar(S, 1, 100, 101, 99, 100)); // live at T0 + 2.5 min: not yet
    expect(rec.types(o)).toEqual(["OrderInitialized", "OrderSubmitted"]);
    engine.onBar(bar(S, 2, 102, 103, 101, 102)); // accepted inside bar 2, eligible from bar 3
    expect(rec.types(o)).toEqual(["OrderInitialized", "OrderSubmitted", "OrderAccepted"]);
    // Live at T0 + 2.5 min; stamped no earlier than the events already emitted (bar 2's close).
    expect(rec.ofType("OrderAccepted")[0]?.tsEvent).toBe(T0 + 3 * MIN);
    expect(fills(rec, o)).toHaveLength(0);
    engine.onBar(bar(S, 3, 104, 105, 103, 104));
    expect(fills(rec, o)[0]?.lastPrice.toString()).toBe("104");
    rec.replayAll();
  });

  it("refuses to modify an order that is not live yet, and holds funds only once", () => {
    const { engine, rec } = spot({ latency: fixedLatency({ submitMs: 5_000 }) });
    const o = rec.submit(limit("buy", "90.00"));
    engine.modifyOrder({
      type: "ModifyOrder",
      strategyId: STRAT,
      instrumentId: S,
      clientOrderId: o,
      price: D("91"),
      tsInit: T0,
    });
    expect(rec.ofType("OrderModifyRejected")[0]?.reason).toBe("the order is not live yet");
    engine.advanceTo(T0 + 5_000);
    expect(rec.types(o).at(-1)).toBe("OrderAccepted");
    expect(
      engine
        .snapshot()
        .balances.find((b) => b.currency === "USD")
        ?.locked.toString(),
    ).toBe("90.54");
    engine.cancelOrder({
      type: "CancelOrder",
      strategyId: STRAT,
      instrumentId: S,
      clientOrderId: o,
      tsInit: T0 + 5_000,
    });
    engine.advanceTo(T0 + 10_000);
    expect(
      engine
        .snapshot()
        .balances.find((b) => b.currency === "USD")
        ?.locked.toString(),
    ).toBe("0");
    rec.replayAll();
  });

  it("an order can fill while its cancel is in flight", () => {
    const { engine, rec } = spot({ latency: fixedLatency({ submitMs: 0, cancelMs: 30_000 }) });
    engine.onBar(bar(S, 0, 100, 101, 99, 100));
    const o = rec.submit(limit("buy", "99.00"));
    engine.cancelOrder({
      type: "CancelOrder",
      strategyId: STRAT,
      instrumentId: S,
      clientOrderId: o,
      tsInit: engine.now(),
    });
    engine.onBar(bar(S, 1, 100, 101, 98, 100));
    expect(rec.types(o)).toEqual([
      "OrderInitialized",
      "OrderSubmitted",
      "OrderAccepted",
      "OrderPendingCancel",
      "OrderFilled",
      "OrderCancelRejected",
    ]);
    rec.replayAll();
  });
});

describe("reduce-only", () => {
  it("is rejected when it would open or increase a position", () => {
    const { rec } = perp();
    rec.submit(
      limitOrder({
        clientOrderId: coid(),
        instrumentId: P,
        side: "sell",
        quantity: "1",
        price: "100",
        reduceOnly: true,
      }),
    );
    expect(rec.ofType("OrderRejected")[0]?.code).toBe("REDUCE_ONLY");
    rec.replayAll();
  });

  it("is clipped to the position at fill time and never flips it; the rest is canceled", () => {
    const { engine, rec } = perp();
    engine.onBar(bar(P, 0, 100, 101, 99, 100));
    rec.submit(marketOrder({ clientOrderId: coid(), instrumentId: P, side: "buy", quantity: "2" }));
    engine.onBar(bar(P, 1, 100, 101, 99, 100));
    const ro = rec.submit(
      stopOrder({
        clientOrderId: coid(),
        instrumentId: P,
        side: "sell",
        quantity: "5",
        triggerPrice: "95",
        reduceOnly: true,
      }),
    );
    engine.onBar(bar(P, 2, 100, 101, 94, 96));
    expect(fills(rec, ro).map((f) => f.lastQty.toString())).toEqual(["2"]);
    expect(rec.types(ro).at(-1)).toBe("OrderCanceled");
    expect(engine.position(P)?.quantity.toString()).toBe("0");
    rec.replayAll();
  });
});

describe("brackets", () => {
  function bracketOn(engine: PaperEngine, rec: Recorder, qty = "1") {
    const entry = marketOrder({ clientOrderId: coid("e"), instrumentId: P, side: "buy", quantity: qty });
    const tp = coid("tp");
    const sl = coid("sl");
    rec.bracket({
      entry,
      takeProfit: { clientOrderId: tp, price: D("110") },
      stopLoss: { clientOrderId: sl, triggerPrice: D("95") },
    });
    return { entry: entry.clientOrderId, tp, sl, engine };
  }

  it("activates the legs on the entry fill; the take-profit filling cancels the stop-loss", () => {
    const { engine, rec } = perp();
    engine.onBar(bar(P, 0, 100, 101, 99, 100));
    const { entry, tp, sl } = bracketOn(engine, rec);
    expect(rec.types(tp)).toEqual(["OrderInitialized"]);
    engine.onBar(bar(P, 1, 100, 102, 99, 101));
    expect(fills(rec, entry)).toHaveLength(1);
    expect(rec.types(tp)).toEqual(["OrderInitialized", "OrderSubmitted", "OrderAccepted"]);
    expect(rec.types(sl)).toEqual(["OrderInitialized", "OrderSubmitted", "OrderAccepted"]);
    engine.onBar(bar(P, 2, 101, 112, 100, 111));
    expect(fills(rec, tp)[0]?.lastPrice.toString()).toBe("110");
    expect(rec.types(sl).at(-1)).toBe("OrderCanceled");
    expect(engine.position(P)?.quantity.toString()).toBe("0");
    expect(engine.openOrders()).toHaveLength(0);
    rec.replayAll();
  });

  it("the legs work from the entry's fill point within the same bar (stop-loss first on a tie)", () => {
    const { engine, rec } = perp();
    engine.onBar(bar(P, 0, 100, 101, 99, 100));
    const { entry, tp, sl } = bracketOn(engine, rec);
    // Entry at the open 100; open is as far from 111 as from 89: low first → stop-loss at 95.
    engine.onBar(bar(P, 1, 100, 111, 89, 105));
    expect(fills(rec, entry)[0]?.lastPrice.toString()).toBe("100");
    expect(fills(rec, sl)[0]?.lastPrice.toString()).toBe("95");
    expect(rec.types(tp).at(-1)).toBe("OrderCanceled");
    rec.replayAll();
  });

  it("cancels both legs when the entry ends without a fill", () => {
    const { engine, rec } = perp();
    engine.onBar(bar(P, 0, 100, 101, 99, 100));
    const entry = limitOrder({
      clientOrderId: coid("e"),
      instrumentId: P,
      side: "buy",
      quantity: "1",
      price: "98",
    });
    const tp = coid("tp");
    const sl = coid("sl");
    rec.bracket({
      entry,
      takeProfit: { clientOrderId: tp, price: D("110") },
      stopLoss: { clientOrderId: sl, triggerPrice: D("90") },
    });
    engine.cancelOrder({
      type: "CancelOrder",
      strategyId: STRAT,
      instrumentId: P,
      clientOrderId: entry.clientOrderId,
      tsInit: engine.now(),
    });
    expect(rec.types(tp)).toEqual(["OrderInitialized", "OrderCanceled"]);
    expect(rec.types(sl)).toEqual(["OrderInitialized", "OrderCanceled"]);
    rec.replayAll();
  });

  it("rejects the entry (and cancels the legs) when a leg breaks an instrument rule", () => {
    const { engine, rec } = perp();
    engine.onBar(bar(P, 0, 100, 101, 99, 100));
    const entry = marketOrder({ clientOrderId: coid("e"), instrumentId: P, side: "buy", quantity: "1" });
    const tp = coid("tp");
    const sl = coid("sl");
    rec.bracket({
      entry,
      takeProfit: { clientOrderId: tp, price: D("110.05") },
      stopLoss: { clientOrderId: sl, triggerPrice: D("90") },
    });
    expect(rec.ofType("OrderRejected")[0]?.reason).toMatch(/take-profit.price/);
    expect(rec.types(tp).at(-1)).toBe("OrderCanceled");
    rec.replayAll();
  });

  it("legs follow a partially filled entry, and a partial leg fill shrinks the other leg", () => {
    const { engine, rec } = perp({ volumeParticipation: 0.5 });
    engine.onBar(bar(P, 0, 100, 101, 99, 100));
    const entry = limitOrder({
      clientOrderId: coid("e"),
      instrumentId: P,
      side: "buy",
      quantity: "3",
      price: "99.5",
    });
    const tp = coid("tp");
    const sl = coid("sl");
    rec.bracket({
      entry,
      takeProfit: { clientOrderId: tp, price: D("110") },
      stopLoss: { clientOrderId: sl, triggerPrice: D("90") },
    });
    engine.onBar(bar(P, 1, 100, 101, 99, 100, 4)); // entry fills 2 of 3
    expect(engine.order(tp)?.quantity.toString()).toBe("2");
    expect(engine.order(sl)?.quantity.toString()).toBe("2");
    engine.onBar(bar(P, 2, 100, 101, 99, 100, 2)); // entry fills 1 more → legs 3
    expect(engine.order(tp)?.quantity.toString()).toBe("3");
    engine.onBar(bar(P, 3, 100, 111, 99.8, 105, 2)); // take-profit fills 1 of 3 → stop-loss down to 2
    expect(fills(rec, tp).map((f) => f.lastQty.toString())).toEqual(["1"]);
    expect(engine.order(sl)?.leavesQty.toString()).toBe("2");
    expect(engine.order(tp)?.leavesQty.toString()).toBe("2");
    rec.replayAll();
  });

  it("works on spot: the legs sell what the entry bought, with one shared hold", () => {
    const { engine, rec } = spot({ initialBalances: { USD: "10000" } });
    engine.onBar(bar(S, 0, 100, 101, 99, 100));
    const entry = marketOrder({ clientOrderId: coid("e"), instrumentId: S, side: "buy", quantity: "2" });
    const tp = coid("tp");
    const sl = coid("sl");
    rec.bracket({
      entry,
      takeProfit: { clientOrderId: tp, price: D("110") },
      stopLoss: { clientOrderId: sl, triggerPrice: D("95") },
    });
    engine.onBar(bar(S, 1, 100, 101, 99, 100));
    expect(
      engine
        .snapshot()
        .balances.find((b) => b.currency === "BTC")
        ?.locked.toString(),
    ).toBe("2");
    engine.onBar(bar(S, 2, 100, 101, 94, 96));
    expect(fills(rec, sl)[0]?.lastQty.toString()).toBe("2");
    expect(engine.snapshot().balances.find((b) => b.currency === "BTC")).toMatchObject({
      total: D(0),
      locked: D(0),
    });
    rec.replayAll();
  });

  it("modifying an inactive leg is a programming error", () => {
    const { engine, rec } = perp();
    engine.onBar(bar(P, 0, 100, 101, 99, 100));
    const { tp } = bracketOn(engine, rec);
    expect(engine.order(tp)?.status).toBe("initialized");
    expect(() =>
      engine.modifyOrder({
        type: "ModifyOrder",
        strategyId: STRAT,
        instrumentId: P,
        clientOrderId: tp,
        price: D("120"),
        tsInit: T0,
      }),
    ).toThrow(PaperEngineError);
  });
});

describe("handlers", () => {
  it("finishes the operation, then rethrows the first handler error", () => {
    const { engine, rec } = spot();
    engine.onEvent(() => {
      throw new Error("boom");
    });
    expect(() => rec.submit(limit("buy", "90.00"))).toThrow(PaperEngineError);
    expect(rec.ofType("OrderAccepted")).toHaveLength(1);
    expect(engine.openOrders()).toHaveLength(1);
  });

  it("unsubscribes idempotently", () => {
    const { engine } = spot();
    let n = 0;
    const off = engine.onEvent(() => {
      n++;
    });
    off();
    off();
    engine.submitOrder({ type: "SubmitOrder", strategyId: STRAT, order: limit("buy", "90.00"), tsInit: T0 });
    expect(n).toBe(0);
  });
});
