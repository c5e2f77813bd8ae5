import { describe, expect, it } from "vitest";
import type { WsUserOrder } from "./types.js";
import { UserOrderTracker } from "./user-dedupe.js";

const order = (over: Partial<WsUserOrder>): WsUserOrder => ({
  order_id: "A",
  status: "OPEN",
  cumulative_quantity: "0",
  avg_price: "0",
  total_fees: "0",
  product_id: "BTC-USD",
  order_side: "BUY",
  client_order_id: "c-1",
  ...over,
});

describe("UserOrderTracker", () => {
  it("derives fills from cumulative quantity and average price", () => {
    const t = new UserOrderTracker();
    expect(t.apply(order({}))).toEqual({ kind: "new", fill: undefined });
    const first = t.apply(order({ cumulative_quantity: "0.5", avg_price: "100", total_fees: "0.05" }));
    expect(first).toEqual({
      kind: "changed",
      fill: {
        orderId: "A",
        clientOrderId: "c-1",
        productId: "BTC-USD",
        side: "BUY",
        size: "0.5",
        price: "100",
        fee: "0.05",
        cumulativeQuantity: "0.5",
        status: "OPEN",
      },
    });
    // 0.5 @ 100, then 1.5 in total at an average of 104: the second fill is 1 @ (156 - 50) / 1 = 106
    const second = t.apply(
      order({ cumulative_quantity: "1.5", avg_price: "104", total_fees: "0.155", status: "FILLED" }),
    );
    expect(second.kind === "changed" && second.fill).toMatchObject({
      size: "1",
      price: "106",
      fee: "0.105",
      status: "FILLED",
    });
  });

  it("rounds a fill price that does not divide evenly", () => {
    const t = new UserOrderTracker();
    t.apply(order({ cumulative_quantity: "1", avg_price: "10" }));
    const v = t.apply(order({ cumulative_quantity: "3", avg_price: "10.01" }));
    // (30.03 - 10) / 2 = 10.015
    expect(v.kind === "changed" && v.fill?.price).toBe("10.015");
    const w = t.apply(order({ cumulative_quantity: "6", avg_price: "10.02" }));
    // (60.12 - 30.03) / 3 = 10.03
    expect(w.kind === "changed" && w.fill?.price).toBe("10.03");
    t.apply(order({ order_id: "B", cumulative_quantity: "0", avg_price: "0" }));
    const x = t.apply(order({ order_id: "B", cumulative_quantity: "3", avg_price: "0.1" }));
    expect(x.kind === "changed" && x.fill?.price).toBe("0.1");
  });

  it("drops the replay of a state already seen after a reconnect", () => {
    const t = new UserOrderTracker();
    t.apply(order({}));
    t.apply(order({ cumulative_quantity: "0.5", avg_price: "100" }));
    expect(t.apply(order({ cumulative_quantity: "0.5", avg_price: "100" })).kind).toBe("duplicate");
    expect(t.apply(order({ cumulative_quantity: "0.50", avg_price: "100" })).kind).toBe("duplicate");
    expect(t.apply(order({})).kind).toBe("stale");
  });

  it("treats a status that goes back as stale and one that moves on as a change without a fill", () => {
    const t = new UserOrderTracker();
    t.apply(order({ status: "PENDING" }));
    expect(t.apply(order({ status: "OPEN" }))).toEqual({ kind: "changed", fill: undefined });
    expect(t.apply(order({ status: "CANCELLED" }))).toEqual({ kind: "changed", fill: undefined });
    expect(t.apply(order({ status: "OPEN" })).kind).toBe("stale");
    expect(t.apply(order({ status: "CANCELLED" })).kind).toBe("duplicate");
  });

  it("reports no fill for an order first seen already filled, unless asked", () => {
    const filled = order({ cumulative_quantity: "2", avg_price: "5", total_fees: "0.1", status: "FILLED" });
    expect(new UserOrderTracker().apply(filled)).toEqual({ kind: "new", fill: undefined });
    const v = new UserOrderTracker({ fillsFromFirstSeen: true }).apply(filled);
    expect(v.kind === "new" && v.fill).toMatchObject({ size: "2", price: "5", fee: "0.1" });
  });

  it("never mutates its input and forgets the least recently updated orders past maxOrders", () => {
    const t = new UserOrderTracker({ maxOrders: 2 });
    const a = Object.freeze(order({ order_id: "A" }));
    t.apply(a);
    t.apply(order({ order_id: "B" }));
    t.apply(order({ order_id: "C" }));
    expect(t.size).toBe(2);
    expect(t.apply(a).kind).toBe("new");
    t.forget("A");
    expect(t.size).toBe(1);
    t.clear();
    expect(t.size).toBe(0);
  });
});
