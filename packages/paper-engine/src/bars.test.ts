import {
  type ClientOrderId,
  limitOrder,
  marketOrder,
  type OrderFilled,
  stopLimitOrder,
  stopOrder,
} from "@gpt/core";
import { D } from "@gpt/quantize";
import { describe, expect, it } from "vitest";
import { PaperEngine } from "./engine.js";
import { fixedBpsSlippage } from "./slippage.js";
import { bar, coid, MIN, Recorder, SPOT, T0 } from "./testing/fixtures.js";
import type { PaperEngineConfig } from "./types.js";

function spotEngine(extra: Partial<PaperEngineConfig> = {}) {
  const engine = new PaperEngine({
    accountType: "cash",
    instruments: [SPOT],
    initialBalances: { USD: "1000000", BTC: "100" },
    ...extra,
  });
  return { engine, rec: new Recorder(engine) };
}

const id = SPOT.id;
const buyMarket = (q = "1") =>
  marketOrder({ clientOrderId: coid(), instrumentId: id, side: "buy", quantity: q });
const limit = (side: "buy" | "sell", price: string, extra: Record<string, unknown> = {}) =>
  limitOrder({ clientOrderId: coid(), instrumentId: id, side, quantity: "1", price, ...extra });

function fills(rec: Recorder, clientOrderId?: string): OrderFilled[] {
  return rec
    .ofType("OrderFilled")
    .filter((f) => clientOrderId === undefined || f.clientOrderId === clientOrderId);
}

describe("market orders and look-ahead", () => {
  it("fills a market order at the next bar's open, never inside the bar it was decided on", () => {
    const { engine, rec } = spotEngine();
    engine.onBar(bar(id, 0, 100, 105, 95, 102));
    const o = rec.submit(buyMarket());
    expect(fills(rec)).toHaveLength(0);
    engine.onBar(bar(id, 1, 103, 104, 101, 102));
    const [f] = fills(rec, o);
    expect(f?.lastPrice.toString()).toBe("103");
    expect(f?.liquiditySide).toBe("taker");
    expect(f?.commission.toString()).toBe("0.618"); // 103 × 0.006
    expect(f?.tsEvent).toBe(T0 + 2 * MIN); // stamped at the close of the bar that filled it
    rec.replayAll();
  });

  it("does not fill an order decided on a bar the engine has not processed yet", () => {
    const { engine, rec } = spotEngine();
    engine.onBar(bar(id, 0, 100, 101, 99, 100));
    const early = rec.submit(buyMarket());
    // The strategy saw bar 1 first and decided at its close (T0 + 2 min); the engine sees bar 1 after.
    const late = rec.submit(buyMarket(), T0 + 2 * MIN);
    engine.onBar(bar(id, 1, 100, 101, 99, 100));
    expect(fills(rec, early)).toHaveLength(1);
    expect(fills(rec, late)).toHaveLength(0);
    engine.onBar(bar(id, 2, 104, 105, 103, 104));
    expect(fills(rec, late)[0]?.lastPrice.toString()).toBe("104");
  });

  it("queues orders placed from an event handler: they fill from the next bar on", () => {
    const { engine, rec } = spotEngine();
    engine.onBar(bar(id, 0, 100, 101, 99, 100));
    let reaction: ClientOrderId | undefined;
    engine.onEvent((e) => {
      if (e.type === "OrderFilled" && reaction === undefined) {
        const spec = limit("sell", "101.00");
        reaction = spec.clientOrderId;
        rec.submit(spec);
        // Re-entrant call: nothing of the new order is emitted before this handler returns.
        expect(rec.types(spec.clientOrderId)).toEqual(["OrderInitialized"]);
      }
    });
    rec.submit(buyMarket());
    // Bar 1 opens at 100 and trades up to 106: the sell at 101 must not fill inside this bar.
    engine.onBar(bar(id, 1, 100, 106, 99.5, 105));
    expect(reaction).toBeDefined();
    expect(rec.types(reaction!)).toEqual(["OrderInitialized", "OrderSubmitted", "OrderAccepted"]);
    engine.onBar(bar(id, 2, 100.5, 102, 100, 101));
    expect(fills(rec, reaction)).toHaveLength(1);
    rec.replayAll();
  });

  it("treats an order placed before any data as arriving at the first bar", () => {
    const { engine, rec } = spotEngine();
    const o = rec.submit(limit("buy", "100.00"));
    engine.onBar(bar(id, 0, 99, 101, 98, 100));
    const [f] = fills(rec, o);
    expect(f?.lastPrice.toString()).toBe("99"); // marketable at the open: taker at the open
    expect(f?.liquiditySide).toBe("taker");
  });
});

describe("limit orders", () => {
  it("through (default): a print at the limit is not enough, a print below it is", () => {
    const { engine, rec } = spotEngine();
    engine.onBar(bar(id, 0, 105, 106, 104, 105));
    const o = rec.submit(limit("buy", "100.00"));
    engine.onBar(bar(id, 1, 105, 106, 100, 103)); // low == limit
    expect(fills(rec, o)).toHaveLength(0);
    engine.onBar(bar(id, 2, 103, 104, 99.99, 101));
    const [f] = fills(rec, o);
    expect(f?.lastPrice.toString()).toBe("100");
    expect(f?.liquiditySide).toBe("maker");
  });

  it("touch: a print at the limit fills it", () => {
    const { engine, rec } = spotEngine({ limitFillRule: "touch" });
    engine.onBar(bar(id, 0, 105, 106, 104, 105));
    const o = rec.submit(limit("buy", "100.00"));
    engine.onBar(bar(id, 1, 105, 106, 100, 103));
    expect(fills(rec, o)[0]?.lastPrice.toString()).toBe("100");
  });

  it("a buy limit above the open on arrival fills at the open as taker", () => {
    const { engine, rec } = spotEngine();
    engine.onBar(bar(id, 0, 105, 106, 104, 105));
    const o = rec.submit(limit("buy", "110.00"));
    engine.onBar(bar(id, 1, 104, 108, 103, 107));
    const [f] = fills(rec, o);
    expect(f?.lastPrice.toString()).toBe("104");
    expect(f?.liquiditySide).toBe("taker");
  });

  it("a resting limit that the market gaps through fills at the (better) open as maker", () => {
    const { engine, rec } = spotEngine();
    engine.onBar(bar(id, 0, 105, 106, 104, 105));
    const o = rec.submit(limit("sell", "110.00"));
    engine.onBar(bar(id, 1, 105, 106, 104, 105));
    engine.onBar(bar(id, 2, 115, 116, 112, 113));
    const [f] = fills(rec, o);
    expect(f?.lastPrice.toString()).toBe("115");
    expect(f?.liquiditySide).toBe("maker");
  });
});

describe("stops", () => {
  it("a sell stop triggers on the path and fills at the trigger", () => {
    const { engine, rec } = spotEngine();
    engine.onBar(bar(id, 0, 100, 101, 99, 100));
    const o = rec.submit(
      stopOrder({ clientOrderId: coid(), instrumentId: id, side: "sell", quantity: "1", triggerPrice: "95" }),
    );
    engine.onBar(bar(id, 1, 100, 101, 94, 96));
    expect(rec.types(o)).toEqual([
      "OrderInitialized",
      "OrderSubmitted",
      "OrderAccepted",
      "OrderTriggered",
      "OrderFilled",
    ]);
    const [f] = fills(rec, o);
    expect(f?.lastPrice.toString()).toBe("95");
    expect(f?.liquiditySide).toBe("taker");
  });

  it("a stop in a gap fills at the open, not at the trigger", () => {
    const { engine, rec } = spotEngine();
    engine.onBar(bar(id, 0, 100, 101, 99, 100));
    const sell = rec.submit(
      stopOrder({ clientOrderId: coid(), instrumentId: id, side: "sell", quantity: "1", triggerPrice: "95" }),
    );
    const buy = rec.submit(
      stopOrder({ clientOrderId: coid(), instrumentId: id, side: "buy", quantity: "1", triggerPrice: "130" }),
    );
    engine.onBar(bar(id, 1, 90, 92, 88, 91));
    expect(fills(rec, sell)[0]?.lastPrice.toString()).toBe("90");
    engine.onBar(bar(id, 2, 140, 141, 139, 140));
    expect(fills(rec, buy)[0]?.lastPrice.toString()).toBe("140");
    rec.replayAll();
  });

  it("a stop-limit becomes a limit at the trigger and fills there when marketable", () => {
    const { engine, rec } = spotEngine();
    engine.onBar(bar(id, 0, 100, 101, 99, 100));
    const o = rec.submit(
      stopLimitOrder({
        clientOrderId: coid(),
        instrumentId: id,
        side: "buy",
        quantity: "1",
        triggerPrice: "105",
        price: "106",
      }),
    );
    engine.onBar(bar(id, 1, 100, 108, 99.5, 107));
    const [f] = fills(rec, o);
    expect(f?.lastPrice.toString()).toBe("105");
    expect(f?.liquiditySide).toBe("taker");
  });

  it("a stop-limit triggered in a gap beyond its limit rests and fills later on the path", () => {
    const { engine, rec } = spotEngine();
    engine.onBar(bar(id, 0, 100, 101, 99, 100));
    const o = rec.submit(
      stopLimitOrder({
        clientOrderId: coid(),
        instrumentId: id,
        side: "buy",
        quantity: "1",
        triggerPrice: "105",
        price: "106",
      }),
    );
    // Opens at 110 (gap through trigger and limit): triggers, rests at 106, fills when the path falls below 106.
    engine.onBar(bar(id, 1, 110, 111, 105, 108));
    expect(rec.types(o)).toContain("OrderTriggered");
    const [f] = fills(rec, o);
    expect(f?.lastPrice.toString()).toBe("106");
    expect(f?.liquiditySide).toBe("maker");
  });

  it("a stop-limit that never trades back to its limit stays triggered and open", () => {
    const { engine, rec } = spotEngine();
    engine.onBar(bar(id, 0, 100, 101, 99, 100));
    const o = rec.submit(
      stopLimitOrder({
        clientOrderId: coid(),
        instrumentId: id,
        side: "buy",
        quantity: "1",
        triggerPrice: "105",
        price: "106",
      }),
    );
    engine.onBar(bar(id, 1, 110, 112, 107, 111));
    expect(fills(rec, o)).toHaveLength(0);
    expect(engine.order(o)?.status).toBe("triggered");
  });
});

describe("intrabar path", () => {
  it("visits the extreme nearer to the open first", () => {
    const { engine, rec } = spotEngine();
    engine.onBar(bar(id, 0, 100, 101, 99, 100));
    const sell = rec.submit(limit("sell", "104.00"));
    const buy = rec.submit(limit("buy", "96.00"));
    // Open 100, high 105 (5 away), low 90 (10 away): high first.
    engine.onBar(bar(id, 1, 100, 105, 90, 95));
    expect(fills(rec).map((f) => f.clientOrderId)).toEqual([sell, buy]);
  });

  it("breaks a tie low-first by default, high-first when configured", () => {
    for (const [tie, first] of [
      ["low-first", "buy"],
      ["high-first", "sell"],
    ] as const) {
      const { engine, rec } = spotEngine({ intrabarTie: tie });
      engine.onBar(bar(id, 0, 100, 101, 99, 100));
      const sell = rec.submit(limit("sell", "104.00"));
      const buy = rec.submit(limit("buy", "96.00"));
      engine.onBar(bar(id, 1, 100, 105, 95, 100));
      expect(fills(rec)[0]?.clientOrderId).toBe(first === "buy" ? buy : sell);
    }
  });

  it("never fills outside the bar's range, and fills several orders in price order along a leg", () => {
    const { engine, rec } = spotEngine();
    engine.onBar(bar(id, 0, 100, 101, 99, 100));
    const a = rec.submit(limit("buy", "98.00"));
    const b = rec.submit(limit("buy", "99.00"));
    const c = rec.submit(limit("buy", "80.00"));
    engine.onBar(bar(id, 1, 100, 100.5, 97, 98));
    expect(fills(rec).map((f) => f.clientOrderId)).toEqual([b, a]);
    expect(fills(rec, c)).toHaveLength(0);
  });
});

describe("time in force", () => {
  it("IOC: evaluated at the first bar after arrival, the rest is canceled", () => {
    const { engine, rec } = spotEngine();
    engine.onBar(bar(id, 0, 100, 101, 99, 100));
    const o = rec.submit(limit("buy", "95.00", { timeInForce: "IOC" }));
    engine.onBar(bar(id, 1, 100, 101, 90, 95)); // trades through 95 later in the bar: too late
    expect(fills(rec, o)).toHaveLength(0);
    expect(rec.types(o).at(-1)).toBe("OrderCanceled");
    rec.replayAll();
  });

  it("IOC with a volume cap fills what the cap allows and cancels the rest", () => {
    const { engine, rec } = spotEngine({ volumeParticipation: 0.1 });
    engine.onBar(bar(id, 0, 100, 101, 99, 100));
    const o = rec.submit(buyMarket("5"));
    engine.onBar(bar(id, 1, 100, 101, 99, 100, 20)); // cap 2
    expect(fills(rec, o).map((f) => f.lastQty.toString())).toEqual(["2"]);
    expect(rec.types(o).at(-1)).toBe("OrderCanceled");
    rec.replayAll();
  });

  it("FOK: all or nothing against the volume cap", () => {
    const { engine, rec } = spotEngine({ volumeParticipation: 0.1 });
    engine.onBar(bar(id, 0, 100, 101, 99, 100));
    const big = rec.submit(
      marketOrder({
        clientOrderId: coid(),
        instrumentId: id,
        side: "buy",
        quantity: "5",
        timeInForce: "FOK",
      }),
    );
    const small = rec.submit(
      marketOrder({
        clientOrderId: coid(),
        instrumentId: id,
        side: "buy",
        quantity: "1",
        timeInForce: "FOK",
      }),
    );
    engine.onBar(bar(id, 1, 100, 101, 99, 100, 30)); // cap 3
    expect(fills(rec, big)).toHaveLength(0);
    expect(rec.types(big).at(-1)).toBe("OrderCanceled");
    expect(fills(rec, small).map((f) => f.lastQty.toString())).toEqual(["1"]);
    rec.replayAll();
  });

  it("a GTC order with a volume cap fills over several bars", () => {
    const { engine, rec } = spotEngine({ volumeParticipation: 0.5 });
    engine.onBar(bar(id, 0, 100, 101, 99, 100));
    const o = rec.submit(limit("buy", "99.50", { quantity: "3" }));
    engine.onBar(bar(id, 1, 100, 101, 99, 100, 4)); // cap 2
    engine.onBar(bar(id, 2, 100, 101, 99, 100, 4));
    expect(fills(rec, o).map((f) => f.lastQty.toString())).toEqual(["2", "1"]);
    expect(engine.order(o)).toBeUndefined();
  });

  it("GTD: expires at expireTime and does not fill in a bar it does not live through", () => {
    const { engine, rec } = spotEngine();
    engine.onBar(bar(id, 0, 100, 101, 99, 100));
    const expireTime = T0 + 2 * MIN + 30_000; // inside bar 2
    const o = rec.submit(limit("buy", "99.50", { expireTime }));
    engine.onBar(bar(id, 1, 100, 101, 99.8, 100)); // lives through bar 1, no fill
    engine.onBar(bar(id, 2, 100, 101, 90, 100)); // would fill, but the order expires inside it
    expect(fills(rec, o)).toHaveLength(0);
    const expired = rec.ofType("OrderExpired")[0];
    expect(expired?.tsEvent).toBe(expireTime);
    rec.replayAll();
  });

  it("GTD: an order expiring exactly at a bar's close still works in that bar", () => {
    const { engine, rec } = spotEngine();
    engine.onBar(bar(id, 0, 100, 101, 99, 100));
    const o = rec.submit(limit("buy", "99.50", { expireTime: T0 + 2 * MIN }));
    engine.onBar(bar(id, 1, 100, 101, 99, 100));
    expect(fills(rec, o)).toHaveLength(1);
  });

  it("GTD expires on advanceTo without market data", () => {
    const { engine, rec } = spotEngine();
    const o = rec.submit(limit("buy", "99.50", { expireTime: T0 + 5_000 }));
    engine.advanceTo(T0 + 5_000);
    expect(rec.types(o).at(-1)).toBe("OrderExpired");
  });
});

describe("post-only", () => {
  it("is rejected when it would take at the last price", () => {
    const { engine, rec } = spotEngine();
    engine.onBar(bar(id, 0, 100, 101, 99, 100));
    const o = rec.submit(limit("buy", "100.00", { postOnly: true }));
    const rej = rec.ofType("OrderRejected")[0];
    expect(rej?.clientOrderId).toBe(o);
    expect(rej?.reason).toMatch(/post-only/);
    rec.replayAll();
  });

  it("rests and fills as maker otherwise, even when the next bar gaps through it", () => {
    const { engine, rec } = spotEngine();
    engine.onBar(bar(id, 0, 100, 101, 99, 100));
    const o = rec.submit(limit("buy", "99.00", { postOnly: true }));
    engine.onBar(bar(id, 1, 98, 99, 97, 98));
    const [f] = fills(rec, o);
    expect(f?.liquiditySide).toBe("maker");
    expect(f?.lastPrice.toString()).toBe("98");
  });
});

describe("slippage", () => {
  it("moves market fills against us and clamps them into the bar's range by default", () => {
    const { engine, rec } = spotEngine({ slippage: fixedBpsSlippage(10) });
    engine.onBar(bar(id, 0, 100, 101, 99, 100));
    const a = rec.submit(buyMarket());
    engine.onBar(bar(id, 1, 100, 100.05, 99, 100));
    expect(fills(rec, a)[0]?.lastPrice.toString()).toBe("100.05"); // 100.1 clamped to the high
    const b = rec.submit(buyMarket());
    engine.onBar(bar(id, 2, 100, 101, 99, 100));
    expect(fills(rec, b)[0]?.lastPrice.toString()).toBe("100.1");
  });

  it("can leave the range when clamping is off (slipped from an in-range raw price)", () => {
    const { engine, rec } = spotEngine({ slippage: fixedBpsSlippage(10), clampSlippageToBar: false });
    engine.onBar(bar(id, 0, 100, 101, 99, 100));
    const o = rec.submit(buyMarket());
    engine.onBar(bar(id, 1, 100, 100.05, 99, 100));
    const price = fills(rec, o)[0]!.lastPrice;
    expect(price.toString()).toBe("100.1");
    expect(price.gt(D("100.05"))).toBe(true);
  });
});
