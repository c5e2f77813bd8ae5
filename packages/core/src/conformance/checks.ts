import {
  applyFill,
  clientOrderId,
  type ForcedFill,
  type OrderFilled,
  type OrderOutcomeUnknown,
  type OrderUpdated,
  type Position,
  type PositionFill,
} from "@gpt/core";
import { D } from "@gpt/quantize";
import { type ConformanceSession, expectThat, fail } from "./session.js";
import type { ConformanceCapability, ConformanceMarket } from "./types.js";

/** One named check of the suite. */
export interface ConformanceCheck {
  /** Stable name. */
  readonly name: string;
  /** The capability it needs, or `core`. */
  readonly capability: ConformanceCapability | "core";
  /** The market it trades. */
  readonly market: ConformanceMarket;
  /** Runs the check on a fresh session; throws (a failed expectation) when the venue does not conform. */
  run(s: ConformanceSession): Promise<void>;
}

/** An id no order of the suite ever has. */
const UNKNOWN_ID = clientOrderId("conf-never-sent");

/** Fails unless `actual` equals `expected` (as event type lists). */
function expectTypes(actual: readonly string[], expected: readonly string[], what: string): void {
  expectThat(
    actual.length === expected.length && actual.every((t, i) => t === expected[i]),
    `${what}: expected events [${expected.join(", ")}], got [${actual.join(", ")}]`,
  );
}

/** Fails unless every fill has a trade id of its own, a positive quantity and price, and a fee currency. */
function expectWellFormedFills(fills: readonly OrderFilled[]): void {
  const tradeIds = new Set(fills.map((f) => f.tradeId));
  expectThat(tradeIds.size === fills.length, "two fills share a trade id");
  for (const f of fills) {
    expectThat(f.lastQty.gt(0) && f.lastPrice.gt(0), `fill ${f.tradeId}: quantity and price must be > 0`);
    expectThat(f.commissionCurrency.length > 0, `fill ${f.tradeId}: no commission currency`);
    expectThat(f.venueOrderId.length > 0, `fill ${f.tradeId}: no venue order id`);
  }
}

const submitAccepted: ConformanceCheck = {
  name: "submit: a limit order away from the market is submitted and accepted",
  capability: "core",
  market: "spot",
  async run(s) {
    const id = s.submit(s.limit("buy", s.priceAt("0.9"), s.venue.quantity));
    await s.settle();
    expectTypes(s.types(id), ["OrderSubmitted", "OrderAccepted"], "a resting limit");
    const order = s.order(id);
    expectThat(order.status === "accepted", `status ${order.status}, expected accepted`);
    expectThat((order.venueOrderId ?? "").length > 0, "OrderAccepted carries no venue order id");
    s.verifyStream();
  },
};

const marketFill: ConformanceCheck = {
  name: "fill: a market order fills completely",
  capability: "core",
  market: "spot",
  async run(s) {
    const id = s.submit(s.market("buy", s.venue.quantity));
    await s.settle();
    await s.trade(s.venue.price);
    const types = s.types(id);
    expectThat(types[0] === "OrderSubmitted", `first event ${types[0]}, expected OrderSubmitted`);
    expectThat(!types.includes("OrderRejected"), "the market order was rejected");
    const fills = s.fills(id);
    expectThat(fills.length > 0, "no fill");
    expectWellFormedFills(fills);
    expectThat(
      fills.every((f) => f.side === "buy"),
      "a fill of a buy order is not a buy",
    );
    expectThat(
      s.filledQty(id).eq(s.venue.quantity),
      `filled ${s.filledQty(id).toString()}, expected ${s.venue.quantity.toString()}`,
    );
    const order = s.order(id);
    expectThat(order.status === "filled", `status ${order.status}, expected filled`);
    s.verifyStream();
  },
};

const limitFill: ConformanceCheck = {
  name: "fill: a resting limit fills when the market trades through it, at its price or better",
  capability: "core",
  market: "spot",
  async run(s) {
    const limit = s.priceAt("0.9");
    const id = s.submit(s.limit("buy", limit, s.venue.quantity));
    await s.settle();
    await s.trade(s.priceAt("0.95"));
    expectThat(s.fills(id).length === 0, "a buy limit filled while the market traded above it");
    await s.trade(s.priceAt("0.85"));
    const fills = s.fills(id);
    expectWellFormedFills(fills);
    expectThat(s.filledQty(id).eq(s.venue.quantity), `filled ${s.filledQty(id).toString()}, expected all`);
    expectThat(
      fills.every((f) => f.lastPrice.lte(limit)),
      "a buy limit filled above its limit price",
    );
    const order = s.order(id);
    expectThat(order.status === "filled", `status ${order.status}, expected filled`);
    s.verifyStream();
  },
};

const partialFill: ConformanceCheck = {
  name: "partial fill: a resting limit fills in parts and keeps working",
  capability: "partial-fill",
  market: "spot",
  async run(s) {
    const q = s.venue.quantity;
    const id = s.submit(s.limit("buy", s.priceAt("0.9"), q.mul(2)));
    await s.settle();
    await s.trade(s.priceAt("0.85"), q);
    expectThat(s.filledQty(id).eq(q), `first trade of ${q.toString()}: filled ${s.filledQty(id).toString()}`);
    const part = s.order(id);
    expectThat(part.status === "partially-filled", `status ${part.status}, expected partially-filled`);
    await s.trade(s.priceAt("0.85"));
    expectThat(
      s.filledQty(id).eq(q.mul(2)),
      `filled ${s.filledQty(id).toString()} in all, expected ${q.mul(2).toString()}`,
    );
    expectWellFormedFills(s.fills(id));
    const order = s.order(id);
    expectThat(order.status === "filled", `status ${order.status}, expected filled`);
    s.verifyStream();
  },
};

const cancel: ConformanceCheck = {
  name: "cancel: a working order is canceled; canceling it again or an unknown order is rejected",
  capability: "core",
  market: "spot",
  async run(s) {
    const id = s.submit(s.limit("buy", s.priceAt("0.9"), s.venue.quantity));
    await s.settle();
    s.cancel(id);
    await s.settle();
    expectTypes(
      s.types(id),
      ["OrderSubmitted", "OrderAccepted", "OrderPendingCancel", "OrderCanceled"],
      "cancel",
    );
    await s.trade(s.priceAt("0.85"));
    expectThat(s.fills(id).length === 0, "a canceled order filled");
    s.cancel(id);
    s.cancel(UNKNOWN_ID);
    await s.settle();
    const again = s.types(id).slice(4);
    expectThat(
      again.at(-1) === "OrderCancelRejected",
      `a second cancel: expected OrderCancelRejected last, got [${again.join(", ")}]`,
    );
    const unknown = s.types(UNKNOWN_ID);
    expectThat(
      unknown.at(-1) === "OrderCancelRejected" && !unknown.includes("OrderCanceled"),
      `a cancel of an unknown order: expected OrderCancelRejected, got [${unknown.join(", ")}]`,
    );
    const order = s.order(id);
    expectThat(order.status === "canceled", `status ${order.status}, expected canceled`);
    s.verifyStream([UNKNOWN_ID]);
  },
};

const modify: ConformanceCheck = {
  name: "modify: a working order's price changes and it fills at the new price; an unknown order's modify is rejected",
  capability: "modify",
  market: "spot",
  async run(s) {
    const id = s.submit(s.limit("buy", s.priceAt("0.8"), s.venue.quantity));
    await s.settle();
    const newPrice = s.priceAt("0.9");
    s.modifyPrice(id, newPrice);
    await s.settle();
    expectTypes(
      s.types(id),
      ["OrderSubmitted", "OrderAccepted", "OrderPendingUpdate", "OrderUpdated"],
      "modify",
    );
    const updated = s.orderEvents(id).at(-1) as OrderUpdated;
    expectThat(updated.price?.eq(newPrice) === true, "OrderUpdated does not carry the new price");
    expectThat(updated.quantity.eq(s.venue.quantity), "OrderUpdated changed the quantity");
    await s.trade(s.priceAt("0.85"));
    expectThat(s.filledQty(id).eq(s.venue.quantity), "the order did not fill at its new price");
    expectThat(
      s.fills(id).every((f) => f.lastPrice.lte(newPrice)),
      "a fill above the new limit price",
    );
    s.modifyPrice(UNKNOWN_ID, newPrice);
    await s.settle();
    const unknown = s.types(UNKNOWN_ID);
    expectThat(
      unknown.at(-1) === "OrderModifyRejected" && !unknown.includes("OrderUpdated"),
      `a modify of an unknown order: expected OrderModifyRejected, got [${unknown.join(", ")}]`,
    );
    s.verifyStream([UNKNOWN_ID]);
  },
};

const reject: ConformanceCheck = {
  name: "reject: the venue refuses a post-only order that would take, with OrderRejected and a reason",
  capability: "core",
  market: "spot",
  async run(s) {
    const id = s.submit(s.limit("buy", s.priceAt("1.1"), s.venue.quantity, true));
    await s.settle();
    expectTypes(s.types(id), ["OrderSubmitted", "OrderRejected"], "a crossing post-only order");
    const rejected = s.orderEvents(id).at(-1);
    expectThat(
      rejected?.type === "OrderRejected" && rejected.reason.length > 0,
      "OrderRejected has no reason",
    );
    expectThat(s.order(id).status === "rejected", "the order is not rejected");
    s.verifyStream();
  },
};

const outcomeUnknown: ConformanceCheck = {
  name: "outcome unknown: a submit without an answer is OrderOutcomeUnknown, not a rejection",
  capability: "outcome-unknown",
  market: "spot",
  async run(s) {
    const lose = s.venue.driver.loseNextAnswer;
    if (lose === undefined) fail("the venue declares outcome-unknown but its driver has no loseNextAnswer");
    lose.call(s.venue.driver, "submit");
    const id = s.submit(s.limit("buy", s.priceAt("0.9"), s.venue.quantity));
    await s.settle();
    const events = s.orderEvents(id);
    const unknown = events.find((e): e is OrderOutcomeUnknown => e.type === "OrderOutcomeUnknown");
    expectThat(unknown !== undefined, `no OrderOutcomeUnknown: got [${s.types(id).join(", ")}]`);
    expectThat(unknown.operation === "submit", `operation ${unknown.operation}, expected submit`);
    expectThat(!s.types(id).includes("OrderRejected"), "an unanswered submit was reported as a rejection");
    expectThat(
      s.order(id).outcomeUnknown !== undefined,
      "the state machine does not mark the outcome unknown",
    );
    s.verifyStream();
  },
};

const massStatus: ConformanceCheck = {
  name: "mass status: reports the working order, the position and the account",
  capability: "mass-status",
  market: "perp",
  async run(s) {
    const generate = s.venue.port.generateMassStatus;
    if (generate === undefined) fail("the venue declares mass-status but its port has no generateMassStatus");
    const q = s.venue.quantity;
    const bought = s.submit(s.market("buy", q));
    await s.settle();
    await s.trade(s.venue.price);
    expectThat(s.filledQty(bought).eq(q), "the market order did not fill");
    const limit = s.priceAt("0.9");
    const working = s.submit(s.limit("buy", limit, q));
    await s.settle();
    const status = await generate.call(s.venue.port);
    const report = status.orderReports.find((r) => r.clientOrderId === working);
    expectThat(report !== undefined, "no order report for the working order");
    expectThat(report.status === "accepted", `working order reported ${report.status}, expected accepted`);
    expectThat(
      report.quantity.eq(q) && report.filledQty.isZero(),
      "working order: wrong quantity or filled quantity",
    );
    expectThat(report.price?.eq(limit) === true, "working order: wrong limit price");
    expectThat(report.side === "buy" && report.type === "limit", "working order: wrong side or type");
    const done = status.orderReports.find((r) => r.clientOrderId === bought);
    expectThat(
      done === undefined || done.status === "filled",
      `the filled order is reported ${done?.status}`,
    );
    const position = status.positionReports.find((p) => p.instrumentId === s.venue.instrument.id);
    expectThat(position !== undefined, "no position report");
    expectThat(position.quantity.eq(q), `position ${position.quantity.toString()}, expected ${q.toString()}`);
    expectThat(
      status.account === undefined || status.account.balances.length > 0,
      "account reported without balances",
    );
    s.verifyStream();
  },
};

const liquidation: ConformanceCheck = {
  name: "liquidation: the venue closes a position with ForcedFill events that book it flat",
  capability: "liquidation",
  market: "perp",
  async run(s) {
    const q = s.venue.quantity;
    const id = s.submit(s.market("buy", q));
    await s.settle();
    await s.trade(s.venue.price);
    expectThat(s.filledQty(id).eq(q), "the market order did not fill");
    await s.trade(s.priceAt("0.5"));
    const forced = s.events.filter((e): e is ForcedFill => e.type === "ForcedFill");
    expectThat(forced.length > 0, "a fall to half the price at leverage produced no ForcedFill");
    for (const f of forced) {
      expectThat(f.kind === "liquidation", `ForcedFill kind ${f.kind}, expected liquidation`);
      expectThat(f.side === "sell", "a long was closed by a buy");
      expectThat(f.instrumentId === s.venue.instrument.id, "ForcedFill for another instrument");
      expectThat(f.lastQty.gt(0) && f.lastPrice.gt(0), "ForcedFill quantity and price must be > 0");
    }
    const forcedQty = forced.reduce((sum, f) => sum.plus(f.lastQty), D(0));
    expectThat(forcedQty.eq(q), `ForcedFill closed ${forcedQty.toString()}, expected ${q.toString()}`);
    // Booking our fills then the forced fills, in stream order, leaves the position flat.
    let position: Position | undefined;
    for (const e of s.events) {
      if (e.type === "OrderFilled" || e.type === "ForcedFill")
        position = applyFill(position, e as PositionFill);
    }
    expectThat(position?.quantity.isZero() === true, "the booked fills do not leave the position flat");
    const lastForced = s.events.lastIndexOf(forced.at(-1) as ForcedFill);
    const closed = s.events.slice(lastForced).some((e) => e.type === "PositionClosed");
    expectThat(closed, "no PositionClosed after the last ForcedFill");
    s.verifyStream();
  },
};

/** Every check, in the order the suite runs them. */
export const CHECKS: readonly ConformanceCheck[] = [
  submitAccepted,
  marketFill,
  limitFill,
  partialFill,
  cancel,
  modify,
  reject,
  outcomeUnknown,
  massStatus,
  liquidation,
];
