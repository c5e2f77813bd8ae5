import { D } from "@gpt/quantize";
import { describe, expect, it } from "vitest";
import { OrderStateError } from "./errors.js";
import type { OrderEvent } from "./events.js";
import { clientOrderId, tradeId, venueOrderId } from "./ids.js";
import {
  applyOrderEvent,
  hasFill,
  initOrder,
  isOpenOrder,
  isTerminalStatus,
  ORDER_STATUSES,
  type Order,
  type OrderStatus,
  replayOrder,
} from "./order-state.js";
import type { OrderSpec } from "./orders.js";
import { BTC_USD, base, COID, filled, initialized, limitSpec, OTHER_INSTRUMENT } from "./test-support.js";

const stopLimit: OrderSpec = {
  type: "stop-limit",
  clientOrderId: COID,
  instrumentId: BTC_USD,
  side: "buy",
  quantity: D("1"),
  price: D("50100"),
  triggerPrice: D("50000"),
  timeInForce: "GTC",
  reduceOnly: false,
};

type EventType = OrderEvent["type"];

/** One event of each type for `COID` (quantity 1 orders). */
function eventOf(type: EventType): OrderEvent {
  switch (type) {
    case "OrderInitialized":
      return initialized(stopLimit);
    case "OrderDenied":
      return { ...base(), type, reason: "max position" };
    case "OrderSubmitted":
      return { ...base(), type };
    case "OrderOutcomeUnknown":
      return { ...base(), type, operation: "cancel", reason: "timeout" };
    case "OrderAccepted":
      return { ...base(), type, venueOrderId: venueOrderId("V-1") };
    case "OrderRejected":
      return { ...base(), type, reason: "insufficient funds", code: "INSUFFICIENT_FUND" };
    case "OrderTriggered":
      return { ...base(), type };
    case "OrderPendingUpdate":
      return { ...base(), type };
    case "OrderUpdated":
      return { ...base(), type, quantity: D("2") };
    case "OrderModifyRejected":
      return { ...base(), type, reason: "no" };
    case "OrderPendingCancel":
      return { ...base(), type };
    case "OrderCancelRejected":
      return { ...base(), type, reason: "too late" };
    case "OrderCanceled":
      return { ...base(), type };
    case "OrderExpired":
      return { ...base(), type };
    case "OrderFilled":
      return filled("0.1", "50050");
  }
}

/** Builds a stop-limit order in `status` through legal events. */
function orderIn(status: OrderStatus): Order {
  const path: Record<OrderStatus, EventType[]> = {
    initialized: [],
    denied: ["OrderDenied"],
    submitted: ["OrderSubmitted"],
    accepted: ["OrderSubmitted", "OrderAccepted"],
    triggered: ["OrderSubmitted", "OrderAccepted", "OrderTriggered"],
    "pending-update": ["OrderSubmitted", "OrderAccepted", "OrderPendingUpdate"],
    "pending-cancel": ["OrderSubmitted", "OrderAccepted", "OrderPendingCancel"],
    "partially-filled": ["OrderSubmitted", "OrderAccepted", "OrderFilled"],
    filled: ["OrderSubmitted", "OrderAccepted"],
    canceled: ["OrderSubmitted", "OrderAccepted", "OrderCanceled"],
    expired: ["OrderSubmitted", "OrderAccepted", "OrderExpired"],
    rejected: ["OrderSubmitted", "OrderRejected"],
  };
  let order = initOrder(initialized(stopLimit));
  for (const type of path[status]) order = applyOrderEvent(order, eventOf(type));
  if (status === "filled") order = applyOrderEvent(order, filled("1", "50050"));
  expect(order.status).toBe(status);
  return order;
}

/** Legal (status, event) pairs and the resulting status; every other pair must throw. */
const LEGAL: Record<OrderStatus, Partial<Record<EventType, OrderStatus>>> = {
  initialized: { OrderDenied: "denied", OrderSubmitted: "submitted", OrderCanceled: "canceled" },
  denied: { OrderModifyRejected: "denied", OrderCancelRejected: "denied" },
  submitted: {
    OrderOutcomeUnknown: "submitted",
    OrderAccepted: "accepted",
    OrderRejected: "rejected",
    OrderTriggered: "triggered",
    OrderPendingUpdate: "pending-update",
    OrderUpdated: "submitted",
    OrderModifyRejected: "submitted",
    OrderPendingCancel: "pending-cancel",
    OrderCancelRejected: "submitted",
    OrderCanceled: "canceled",
    OrderExpired: "expired",
    OrderFilled: "partially-filled",
  },
  accepted: {
    OrderOutcomeUnknown: "accepted",
    OrderTriggered: "triggered",
    OrderPendingUpdate: "pending-update",
    OrderUpdated: "accepted",
    OrderModifyRejected: "accepted",
    OrderPendingCancel: "pending-cancel",
    OrderCancelRejected: "accepted",
    OrderCanceled: "canceled",
    OrderExpired: "expired",
    OrderFilled: "partially-filled",
  },
  triggered: {
    OrderOutcomeUnknown: "triggered",
    OrderPendingUpdate: "pending-update",
    OrderUpdated: "triggered",
    OrderModifyRejected: "triggered",
    OrderPendingCancel: "pending-cancel",
    OrderCancelRejected: "triggered",
    OrderCanceled: "canceled",
    OrderExpired: "expired",
    OrderFilled: "partially-filled",
  },
  "pending-update": {
    OrderOutcomeUnknown: "pending-update",
    OrderTriggered: "pending-update",
    OrderUpdated: "accepted",
    OrderModifyRejected: "accepted",
    OrderPendingCancel: "pending-cancel",
    OrderCancelRejected: "pending-update",
    OrderCanceled: "canceled",
    OrderExpired: "expired",
    OrderFilled: "pending-update",
  },
  "pending-cancel": {
    OrderOutcomeUnknown: "pending-cancel",
    OrderTriggered: "pending-cancel",
    OrderModifyRejected: "pending-cancel",
    OrderCancelRejected: "accepted",
    OrderCanceled: "canceled",
    OrderExpired: "expired",
    OrderFilled: "pending-cancel",
  },
  "partially-filled": {
    OrderOutcomeUnknown: "partially-filled",
    OrderPendingUpdate: "pending-update",
    OrderUpdated: "partially-filled",
    OrderModifyRejected: "partially-filled",
    OrderPendingCancel: "pending-cancel",
    OrderCancelRejected: "partially-filled",
    OrderCanceled: "canceled",
    OrderExpired: "expired",
    OrderFilled: "partially-filled",
  },
  filled: { OrderOutcomeUnknown: "filled", OrderModifyRejected: "filled", OrderCancelRejected: "filled" },
  canceled: {
    OrderOutcomeUnknown: "canceled",
    OrderModifyRejected: "canceled",
    OrderCancelRejected: "canceled",
  },
  expired: { OrderOutcomeUnknown: "expired", OrderModifyRejected: "expired", OrderCancelRejected: "expired" },
  rejected: {
    OrderOutcomeUnknown: "rejected",
    OrderModifyRejected: "rejected",
    OrderCancelRejected: "rejected",
  },
};

const EVENT_TYPES: EventType[] = [
  "OrderInitialized",
  "OrderDenied",
  "OrderSubmitted",
  "OrderOutcomeUnknown",
  "OrderAccepted",
  "OrderRejected",
  "OrderTriggered",
  "OrderPendingUpdate",
  "OrderUpdated",
  "OrderModifyRejected",
  "OrderPendingCancel",
  "OrderCancelRejected",
  "OrderCanceled",
  "OrderExpired",
  "OrderFilled",
];

describe("applyOrderEvent transition matrix", () => {
  for (const status of ORDER_STATUSES) {
    for (const type of EVENT_TYPES) {
      const expected = LEGAL[status][type];
      if (expected === undefined) {
        it(`${status} + ${type} throws OrderStateError`, () => {
          const order = orderIn(status);
          let caught: unknown;
          try {
            applyOrderEvent(order, eventOf(type));
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(OrderStateError);
          const err = caught as OrderStateError;
          expect(err.code).toBe("illegal-transition");
          expect(err.fromStatus).toBe(status);
          expect(err.eventType).toBe(type);
          expect(err.message).toContain(status);
          expect(err.message).toContain(type);
        });
      } else {
        it(`${status} + ${type} -> ${expected}`, () => {
          const order = orderIn(status);
          const next = applyOrderEvent(order, eventOf(type));
          expect(next.status).toBe(expected);
          expect(next.eventCount).toBe(order.eventCount + 1);
          expect(next.lastEventType).toBe(type);
        });
      }
    }
  }
});

describe("order lifecycle", () => {
  it("initOrder copies the spec and starts initialized", () => {
    const order = initOrder(initialized(limitSpec({ postOnly: true })));
    expect(order.status).toBe("initialized");
    expect(order.price?.toString()).toBe("50000");
    expect(order.postOnly).toBe(true);
    expect(order.triggerPrice).toBeUndefined();
    expect(order.leavesQty.toString()).toBe("1");
    expect(order.filledQty.isZero()).toBe(true);
    expect(order.avgPx).toBeUndefined();
    expect(isOpenOrder(order)).toBe(false);
  });

  it("initOrder refuses an event whose ids differ from its spec", () => {
    const event = { ...initialized(limitSpec()), clientOrderId: clientOrderId("other") };
    expect(() => initOrder(event)).toThrow(OrderStateError);
  });

  it("tracks partial fills, average price, leaves and commissions", () => {
    let order = replayOrder([
      initialized(limitSpec({ quantity: D("1") })),
      { ...base(), type: "OrderSubmitted" },
    ]);
    order = applyOrderEvent(order, { ...base(), type: "OrderAccepted", venueOrderId: venueOrderId("V-9") });
    order = applyOrderEvent(order, filled("0.25", "50000"));
    expect(order.status).toBe("partially-filled");
    expect(isOpenOrder(order)).toBe(true);
    order = applyOrderEvent(order, filled("0.5", "49000", "buy", { commission: D("1.25") }));
    expect(order.avgPx?.toString()).toBe(
      D("0.25").mul(50000).plus(D("0.5").mul(49000)).div("0.75").toString(),
    );
    order = applyOrderEvent(
      order,
      filled("0.25", "48000", "buy", { commission: D("-0.1"), commissionCurrency: "USDC" }),
    );
    expect(order.status).toBe("filled");
    expect(order.filledQty.toString()).toBe("1");
    expect(order.leavesQty.toString()).toBe("0");
    expect(order.avgPx?.toString()).toBe("49000");
    expect(order.commissions.map((c) => [c.currency, c.amount.toString()])).toEqual([
      ["USD", "1.75"],
      ["USDC", "-0.1"],
    ]);
    expect(order.tradeIds).toHaveLength(3);
    expect(isTerminalStatus(order.status)).toBe(true);
    expect(isOpenOrder(order)).toBe(false);
  });

  it("refuses an over-fill", () => {
    const order = orderIn("accepted");
    const part = applyOrderEvent(order, filled("0.7", "50000"));
    try {
      applyOrderEvent(part, filled("0.4", "50000"));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(OrderStateError);
      expect((error as OrderStateError).code).toBe("overfill");
    }
  });

  it("refuses a duplicate trade id and hasFill reports it", () => {
    const fill = filled("0.1", "50000");
    const order = applyOrderEvent(orderIn("accepted"), fill);
    expect(hasFill(order, fill.tradeId)).toBe(true);
    expect(hasFill(order, tradeId("nope"))).toBe(false);
    expect(() => applyOrderEvent(order, { ...fill, eventId: base().eventId })).toThrow(/already booked/);
  });

  it("refuses fills with the wrong side, zero quantity or zero price", () => {
    const order = orderIn("accepted");
    const codes = [filled("0.1", "50000", "sell"), filled("0", "50000"), filled("0.1", "0")].map((f) => {
      try {
        applyOrderEvent(order, f);
        return "none";
      } catch (error) {
        return (error as OrderStateError).code;
      }
    });
    expect(codes).toEqual(["event-mismatch", "invalid-fill", "invalid-fill"]);
  });

  it("refuses events for another order or instrument", () => {
    const order = orderIn("accepted");
    expect(() =>
      applyOrderEvent(order, { ...base(), type: "OrderCanceled", clientOrderId: clientOrderId("x") }),
    ).toThrow(/event is for order x/);
    expect(() =>
      applyOrderEvent(order, { ...base(), type: "OrderCanceled", instrumentId: OTHER_INSTRUMENT }),
    ).toThrow(/ETH-USD/);
  });

  it("allows a late fill while a cancel is pending, then the cancel", () => {
    let order = applyOrderEvent(orderIn("accepted"), { ...base(), type: "OrderPendingCancel" });
    order = applyOrderEvent(order, filled("0.3", "50000"));
    expect(order.status).toBe("pending-cancel");
    expect(order.filledQty.toString()).toBe("0.3");
    order = applyOrderEvent(order, { ...base(), type: "OrderCanceled" });
    expect(order.status).toBe("canceled");
    expect(order.leavesQty.isZero()).toBe(true);
    expect(() => applyOrderEvent(order, filled("0.1", "50000"))).toThrow(OrderStateError);
  });

  it("a fill completing a pending-cancel order makes it filled; the cancel reject is then a no-op", () => {
    let order = applyOrderEvent(orderIn("accepted"), { ...base(), type: "OrderPendingCancel" });
    order = applyOrderEvent(order, filled("1", "50000"));
    expect(order.status).toBe("filled");
    order = applyOrderEvent(order, {
      ...base(),
      type: "OrderCancelRejected",
      reason: "order already filled",
    });
    expect(order.status).toBe("filled");
    expect(order.lastReason).toBe("order already filled");
  });

  it("cancel rejected returns to the working status", () => {
    let order = applyOrderEvent(orderIn("partially-filled"), { ...base(), type: "OrderPendingCancel" });
    order = applyOrderEvent(order, { ...base(), type: "OrderCancelRejected", reason: "busy" });
    expect(order.status).toBe("partially-filled");
  });

  it("a fill may arrive before the acknowledgement, and a late ack after a full fill", () => {
    let order = orderIn("submitted");
    order = applyOrderEvent(order, filled("0.4", "50000"));
    expect(order.status).toBe("partially-filled");
    expect(order.isAccepted).toBe(false);
    order = applyOrderEvent(order, { ...base(), type: "OrderAccepted", venueOrderId: venueOrderId("V-1") });
    expect(order.status).toBe("partially-filled");
    expect(order.isAccepted).toBe(true);
    order = applyOrderEvent(order, filled("0.6", "50000"));
    expect(order.status).toBe("filled");

    let ioc = orderIn("submitted");
    ioc = applyOrderEvent(ioc, filled("1", "50000"));
    ioc = applyOrderEvent(ioc, { ...base(), type: "OrderAccepted", venueOrderId: venueOrderId("V-2") });
    expect(ioc.status).toBe("filled");
    expect(ioc.venueOrderId).toBe("V-2");
  });

  it("modify: pending-update then updated changes quantity and prices", () => {
    let order = applyOrderEvent(orderIn("partially-filled"), { ...base(), type: "OrderPendingUpdate" });
    order = applyOrderEvent(order, {
      ...base(),
      type: "OrderUpdated",
      quantity: D("3"),
      price: D("50200"),
      triggerPrice: D("50150"),
    });
    expect(order.status).toBe("partially-filled");
    expect(order.quantity.toString()).toBe("3");
    expect(order.leavesQty.toString()).toBe("2.9");
    expect(order.price?.toString()).toBe("50200");
    expect(order.triggerPrice?.toString()).toBe("50150");
  });

  it("modify: refuses a quantity at or below the filled quantity, and prices the type lacks", () => {
    const order = orderIn("partially-filled");
    expect(() => applyOrderEvent(order, { ...base(), type: "OrderUpdated", quantity: D("0.1") })).toThrow(
      /must exceed filled/,
    );
    const limit = replayOrder([
      initialized(limitSpec()),
      { ...base(), type: "OrderSubmitted" },
      { ...base(), type: "OrderAccepted", venueOrderId: venueOrderId("V-1") },
    ]);
    expect(() =>
      applyOrderEvent(limit, { ...base(), type: "OrderUpdated", quantity: D("2"), triggerPrice: D("1") }),
    ).toThrow(/no trigger price/);
    const market = replayOrder([
      initialized(limitSpec({ type: "market", price: undefined, postOnly: undefined, timeInForce: "IOC" })),
      { ...base(), type: "OrderSubmitted" },
    ]);
    expect(() =>
      applyOrderEvent(market, { ...base(), type: "OrderUpdated", quantity: D("2"), price: D("1") }),
    ).toThrow(/no limit price/);
  });

  it("only stop orders can be triggered", () => {
    const limit = replayOrder([initialized(limitSpec()), { ...base(), type: "OrderSubmitted" }]);
    expect(() => applyOrderEvent(limit, { ...base(), type: "OrderTriggered" })).toThrow(/has no trigger/);
  });

  it("outcome unknown keeps the status, and the matching answer clears it", () => {
    let order = orderIn("submitted");
    order = applyOrderEvent(order, {
      ...base(),
      type: "OrderOutcomeUnknown",
      operation: "submit",
      reason: "timeout",
    });
    expect(order.status).toBe("submitted");
    expect(order.outcomeUnknown).toBe("submit");
    order = applyOrderEvent(order, { ...base(), type: "OrderAccepted", venueOrderId: venueOrderId("V-1") });
    expect(order.outcomeUnknown).toBeUndefined();
    order = applyOrderEvent(order, { ...base(), type: "OrderPendingCancel" });
    order = applyOrderEvent(order, {
      ...base(),
      type: "OrderOutcomeUnknown",
      operation: "cancel",
      reason: "HTTP 503",
    });
    expect(order.status).toBe("pending-cancel");
    expect(order.outcomeUnknown).toBe("cancel");
    order = applyOrderEvent(order, { ...base(), type: "OrderCanceled" });
    expect(order.outcomeUnknown).toBeUndefined();
  });

  it("rejection happens only on the venue's answer and records the reason", () => {
    const order = applyOrderEvent(orderIn("submitted"), {
      ...base(),
      type: "OrderRejected",
      reason: "Insufficient balance",
    });
    expect(order.status).toBe("rejected");
    expect(order.lastReason).toBe("Insufficient balance");
    expect(order.leavesQty.isZero()).toBe(true);
  });

  it("never mutates its input", () => {
    const order = Object.freeze(orderIn("accepted"));
    const next = applyOrderEvent(order, filled("0.5", "50000"));
    expect(order.status).toBe("accepted");
    expect(order.filledQty.isZero()).toBe(true);
    expect(order.tradeIds).toHaveLength(0);
    expect(next).not.toBe(order);
  });

  it("replayOrder needs OrderInitialized first", () => {
    expect(() => replayOrder([])).toThrow(OrderStateError);
    expect(() => replayOrder([{ ...base(), type: "OrderSubmitted" }])).toThrow(/must be OrderInitialized/);
  });
});
