import { limitOrder, marketOrder, type OrderFilled, type OrderSpec } from "@gpt/core";
import { describe, expect, it } from "vitest";
import { PaperEngine } from "./engine.js";
import { PaperEngineError } from "./errors.js";
import { fixedLatency } from "./latency.js";
import { bar, coid, MIN, PERP, PERP2, Recorder, SPOT, STRAT, T0 } from "./testing/fixtures.js";
import type { BarArrivalFill, PaperEngineConfig } from "./types.js";

const S = SPOT.id;
const P = PERP.id;

function spot(arrival: BarArrivalFill | undefined, submitMs: number, extra: Partial<PaperEngineConfig> = {}) {
  const engine = new PaperEngine({
    accountType: "cash",
    instruments: [SPOT],
    initialBalances: { USD: "1000000", BTC: "100" },
    latency: fixedLatency({ submitMs }),
    ...(arrival === undefined ? {} : { barArrivalFill: arrival }),
    ...extra,
  });
  return { engine, rec: new Recorder(engine) };
}

const fills = (rec: Recorder, id?: string): OrderFilled[] =>
  rec.ofType("OrderFilled").filter((f) => id === undefined || f.clientOrderId === id);
const buyMarket = (quantity = "1") =>
  marketOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity });

describe("barArrivalFill", () => {
  it("next-bar (default): an order arriving inside a bar is accepted at its end and fills at the next open", () => {
    const { engine, rec } = spot(undefined, 500);
    engine.onBar(bar(S, 0, 100, 101, 99, 100));
    const o = rec.submit(buyMarket());
    engine.onBar(bar(S, 1, 102, 103, 101, 102)); // arrives at T0 + 1 min + 0.5 s
    expect(rec.types(o)).toEqual(["OrderInitialized", "OrderSubmitted", "OrderAccepted"]);
    expect(rec.ofType("OrderAccepted")[0]?.tsEvent).toBe(T0 + 2 * MIN);
    expect(fills(rec, o)).toHaveLength(0);
    engine.onBar(bar(S, 2, 104, 105, 103, 104));
    expect(fills(rec, o)[0]?.lastPrice.toString()).toBe("104");
    rec.replayAll();
  });

  it("arrival-bar-open: accepted at its arrival time, fills at the arrival bar's open, stamped at its close", () => {
    const { engine, rec } = spot("arrival-bar-open", 500);
    engine.onBar(bar(S, 0, 100, 101, 99, 100));
    const o = rec.submit(buyMarket());
    expect(rec.types(o)).toEqual(["OrderInitialized", "OrderSubmitted"]);
    engine.onBar(bar(S, 1, 102, 103, 101, 102));
    expect(rec.types(o)).toEqual(["OrderInitialized", "OrderSubmitted", "OrderAccepted", "OrderFilled"]);
    expect(rec.ofType("OrderAccepted")[0]?.tsEvent).toBe(T0 + MIN + 500);
    const [f] = fills(rec, o);
    expect(f?.lastPrice.toString()).toBe("102");
    expect(f?.liquiditySide).toBe("taker");
    expect(f?.tsEvent).toBe(T0 + 2 * MIN);
    rec.replayAll();
  });

  it("arrival-bar-open gives the fills of an engine without latency (same prices, sides, fees, times)", () => {
    const run = (arrival: BarArrivalFill | undefined, submitMs: number) => {
      const { engine, rec } = spot(arrival, submitMs);
      const path = [100, 103, 99, 104, 98, 101, 105, 97];
      for (let i = 0; i < path.length; i++) {
        const p = path[i]!;
        engine.onBar(bar(S, i, p, p + 2, p - 2, p + 1));
        // A decision after every bar: alternate a market order and a limit below the close.
        const spec: OrderSpec =
          i % 2 === 0
            ? marketOrder({
                clientOrderId: coid(),
                instrumentId: S,
                side: i % 4 === 0 ? "buy" : "sell",
                quantity: "1",
              })
            : limitOrder({
                clientOrderId: coid(),
                instrumentId: S,
                side: "buy",
                quantity: "1",
                price: String(p - 1),
              });
        rec.submit(spec);
      }
      return fills(rec).map((f) => [
        f.side,
        f.lastPrice.toString(),
        f.lastQty.toString(),
        f.commission.toString(),
        f.liquiditySide,
        f.tsEvent,
      ]);
    };
    const none = run(undefined, 0);
    expect(none.length).toBeGreaterThan(4);
    expect(run("arrival-bar-open", 1)).toEqual(none);
    expect(run("arrival-bar-open", 59_999)).toEqual(none);
    expect(run("next-bar", 1)).not.toEqual(none);
  });

  it("checks funds at the prices known at arrival (the previous close), not at the arrival bar's close", () => {
    // 9 BTC at 100 (+5 % market buffer, 0.6 % fee) fits 1,000 USD; at the arrival bar's close (120) it does not.
    const balances = { initialBalances: { USD: "1000" } };
    const late = spot("next-bar", 500, balances);
    late.engine.onBar(bar(S, 0, 100, 101, 99, 100));
    const a = late.rec.submit(buyMarket("9"));
    late.engine.onBar(bar(S, 1, 100, 121, 99, 120));
    expect(late.rec.ofType("OrderRejected")[0]?.code).toBe("INSUFFICIENT_FUND");
    expect(late.rec.types(a).at(-1)).toBe("OrderRejected");

    const open = spot("arrival-bar-open", 500, balances);
    open.engine.onBar(bar(S, 0, 100, 101, 99, 100));
    const b = open.rec.submit(buyMarket("9"));
    open.engine.onBar(bar(S, 1, 100, 121, 99, 120));
    expect(open.rec.ofType("OrderRejected")).toHaveLength(0);
    expect(fills(open.rec, b)[0]?.lastPrice.toString()).toBe("100");
    expect(
      open.engine
        .snapshot()
        .balances.find((x) => x.currency === "USD")
        ?.total.toString(),
    ).toBe("94.6");
    open.rec.replayAll();
  });

  it("a resting limit that arrives inside a bar can fill later in that bar (maker), as without latency", () => {
    const { engine, rec } = spot("arrival-bar-open", 2_000);
    engine.onBar(bar(S, 0, 100, 101, 99, 100));
    const o = rec.submit(
      limitOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity: "1", price: "98" }),
    );
    engine.onBar(bar(S, 1, 100, 101, 97, 99));
    const [f] = fills(rec, o);
    expect(f?.lastPrice.toString()).toBe("98");
    expect(f?.liquiditySide).toBe("maker");
  });

  it("an order arriving at or after the bar's close is not an arrival of that bar", () => {
    for (const arrival of ["next-bar", "arrival-bar-open"] as const) {
      const { engine, rec } = spot(arrival, 60_000); // arrives exactly at bar 1's close = bar 2's open
      engine.onBar(bar(S, 0, 100, 101, 99, 100));
      const o = rec.submit(buyMarket());
      engine.onBar(bar(S, 1, 102, 103, 101, 102));
      expect(fills(rec, o)).toHaveLength(0);
      engine.onBar(bar(S, 2, 104, 105, 103, 104));
      expect(fills(rec, o)[0]?.lastPrice.toString()).toBe("104");
    }
    const { engine, rec } = spot("arrival-bar-open", 90_000); // arrives inside bar 2
    engine.onBar(bar(S, 0, 100, 101, 99, 100));
    const o = rec.submit(buyMarket());
    engine.onBar(bar(S, 1, 102, 103, 101, 102));
    expect(rec.types(o)).toEqual(["OrderInitialized", "OrderSubmitted"]);
    engine.onBar(bar(S, 2, 104, 105, 103, 104));
    expect(fills(rec, o)[0]?.lastPrice.toString()).toBe("104");
  });

  it("an arrival accepted by another instrument's bar still fills at its own arrival bar's open", () => {
    const engine = new PaperEngine({
      accountType: "margin",
      instruments: [PERP, PERP2],
      initialBalances: { USD: "100000" },
      latency: fixedLatency({ submitMs: 500 }),
      barArrivalFill: "arrival-bar-open",
    });
    const rec = new Recorder(engine);
    engine.onBar(bar(P, 0, 60_000, 60_100, 59_900, 60_000));
    engine.onBar(bar(PERP2.id, 0, 3_000, 3_010, 2_990, 3_000));
    const o = rec.submit(
      marketOrder({ clientOrderId: coid(), instrumentId: PERP2.id, side: "buy", quantity: "1" }),
    );
    engine.onBar(bar(P, 1, 60_050, 60_200, 59_800, 59_900)); // its close passes the arrival time
    expect(rec.types(o)).toEqual(["OrderInitialized", "OrderSubmitted", "OrderAccepted"]);
    expect(rec.ofType("OrderAccepted")[0]?.tsEvent).toBe(T0 + 2 * MIN);
    engine.onBar(bar(PERP2.id, 1, 3_005, 3_020, 2_995, 3_010));
    expect(fills(rec, o)[0]?.lastPrice.toString()).toBe("3005");
    rec.replayAll();
  });

  it("no look-ahead: an order decided on a bar the engine has not processed yet does not fill in it", () => {
    const { engine, rec } = spot("arrival-bar-open", 500);
    engine.onBar(bar(S, 0, 100, 101, 99, 100));
    // The strategy saw bar 1 first and decided at its close; the order arrives after that close.
    const o = rec.submit(buyMarket(), T0 + 2 * MIN);
    engine.onBar(bar(S, 1, 102, 103, 101, 102));
    expect(fills(rec, o)).toHaveLength(0);
    engine.onBar(bar(S, 2, 104, 105, 103, 104));
    expect(fills(rec, o)[0]?.lastPrice.toString()).toBe("104");
  });

  it("arrivals of another instrument wait for that instrument's own bar", () => {
    const engine = new PaperEngine({
      accountType: "margin",
      instruments: [PERP],
      initialBalances: { USD: "100000" },
      latency: fixedLatency({ submitMs: 500 }),
      barArrivalFill: "arrival-bar-open",
    });
    const rec = new Recorder(engine);
    engine.onBar(bar(P, 0, 60_000, 60_100, 59_900, 60_000));
    const o = rec.submit(
      marketOrder({ clientOrderId: coid(), instrumentId: P, side: "sell", quantity: "0.5" }),
    );
    engine.onBar(bar(P, 1, 60_050, 60_200, 59_800, 59_900));
    const [f] = fills(rec, o);
    expect(f?.lastPrice.toString()).toBe("60050");
    expect(engine.position(P)?.quantity.toString()).toBe("-0.5");
    rec.replayAll();
  });

  it("reports the arrival time as tsAccepted in the mass status", async () => {
    const { engine, rec } = spot("arrival-bar-open", 500);
    engine.onBar(bar(S, 0, 100, 101, 99, 100));
    const o = rec.submit(
      limitOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity: "1", price: "90" }),
    );
    engine.onBar(bar(S, 1, 100, 101, 99, 100));
    const status = await engine.generateMassStatus();
    const report = status.orderReports.find((r) => r.clientOrderId === o);
    expect(report?.tsAccepted).toBe(T0 + MIN + 500);
  });

  it("cancels still take effect at the end of the bar they arrive in", () => {
    const { engine, rec } = spot("arrival-bar-open", 0, {
      latency: fixedLatency({ submitMs: 0, cancelMs: 500 }),
    });
    engine.onBar(bar(S, 0, 100, 101, 99, 100));
    const o = rec.submit(
      limitOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity: "1", price: "99" }),
    );
    engine.cancelOrder({
      type: "CancelOrder",
      strategyId: STRAT,
      instrumentId: S,
      clientOrderId: o,
      tsInit: engine.now(),
    });
    engine.onBar(bar(S, 1, 100, 101, 98, 100));
    expect(rec.types(o).slice(-2)).toEqual(["OrderFilled", "OrderCancelRejected"]);
  });

  it("rejects an unknown setting", () => {
    expect(
      () =>
        new PaperEngine({
          accountType: "cash",
          instruments: [SPOT],
          initialBalances: { USD: "1" },
          barArrivalFill: "bar-close" as BarArrivalFill,
        }),
    ).toThrow(PaperEngineError);
  });
});
