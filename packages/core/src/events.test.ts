import { D } from "@gpt/quantize";
import { describe, expect, it } from "vitest";
import { type ExecutionEvent, isOrderEvent, ORDER_EVENT_TYPES } from "./events.js";
import { accountId, tradeId } from "./ids.js";
import { applyFill, createPositionEvent } from "./position.js";
import { BTC_USD, base, filled } from "./test-support.js";
import { assertNever } from "./util.js";

function kind(event: ExecutionEvent): "order" | "position" | "account" | "venue" {
  switch (event.type) {
    case "OrderInitialized":
    case "OrderDenied":
    case "OrderSubmitted":
    case "OrderOutcomeUnknown":
    case "OrderAccepted":
    case "OrderRejected":
    case "OrderTriggered":
    case "OrderPendingUpdate":
    case "OrderUpdated":
    case "OrderModifyRejected":
    case "OrderPendingCancel":
    case "OrderCancelRejected":
    case "OrderCanceled":
    case "OrderExpired":
    case "OrderFilled":
      return "order";
    case "PositionOpened":
    case "PositionChanged":
    case "PositionClosed":
      return "position";
    case "AccountUpdated":
    case "FundingApplied":
      return "account";
    case "ForcedFill":
    case "BalanceAdjusted":
      return "venue";
    default:
      return assertNever(event);
  }
}

describe("execution events", () => {
  it("isOrderEvent tells order events from position and account events", () => {
    const fill = filled("1", "100");
    const position = createPositionEvent(undefined, applyFill(undefined, fill), {
      eventId: base().eventId,
      tsInit: 1,
    });
    const account: ExecutionEvent = {
      type: "AccountUpdated",
      eventId: base().eventId,
      tsEvent: 1,
      tsInit: 1,
      accountId: accountId("a"),
      state: { accountId: accountId("a"), accountType: "cash", balances: [], margins: [], tsEvent: 1 },
      reported: false,
    };
    const funding: ExecutionEvent = {
      type: "FundingApplied",
      eventId: base().eventId,
      tsEvent: 1,
      tsInit: 1,
      accountId: accountId("a"),
      instrumentId: BTC_USD,
      rate: D("0.0001"),
      markPrice: D(100),
      positionQuantity: D(1),
      payment: D("-0.01"),
      currency: "USD",
    };
    const events: ExecutionEvent[] = [fill, { ...base(), type: "OrderCanceled" }, position, account, funding];
    expect(events.map(isOrderEvent)).toEqual([true, true, false, false, false]);
    expect(events.map(kind)).toEqual(["order", "order", "position", "account", "account"]);
  });

  it("a forced fill books on a position like a fill, and is not an order event", () => {
    const open = applyFill(undefined, filled("2", "100"));
    const liquidation: ExecutionEvent = {
      type: "ForcedFill",
      kind: "liquidation",
      eventId: base().eventId,
      tsEvent: 3000,
      tsInit: 3000,
      instrumentId: BTC_USD,
      tradeId: tradeId("L-1"),
      side: "sell",
      lastQty: D(2),
      lastPrice: D(90),
      commission: D("0.9"),
      commissionCurrency: "USD",
      liquiditySide: "taker",
    };
    const covered: ExecutionEvent = {
      type: "BalanceAdjusted",
      eventId: base().eventId,
      tsEvent: 3000,
      tsInit: 3000,
      accountId: accountId("a"),
      currency: "USD",
      amount: D("1.5"),
      reason: "deficit-covered",
    };
    expect([liquidation, covered].map(isOrderEvent)).toEqual([false, false]);
    expect([liquidation, covered].map(kind)).toEqual(["venue", "venue"]);
    if (liquidation.type !== "ForcedFill") throw new Error("unreachable");
    const closed = applyFill(open, liquidation);
    expect(closed.quantity.isZero()).toBe(true);
    expect(closed.realizedPnl.toString()).toBe("-20");
    expect(closed.commissions.minus(open.commissions).toString()).toBe("0.9");
  });

  it("lists every order event type once", () => {
    expect(new Set(ORDER_EVENT_TYPES).size).toBe(15);
    for (const type of ORDER_EVENT_TYPES) expect(type.startsWith("Order")).toBe(true);
  });
});
