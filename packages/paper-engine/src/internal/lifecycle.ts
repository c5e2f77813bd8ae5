/**
 * The order life cycle after acceptance: cancel (with its latency), modify (re-reserving for the
 * new quantity and prices), triggers, cancels the venue decides itself, expiry of GTD orders, and the
 * cleanup once an order is finished (working list, reservations, bracket consequences, the
 * bounded memory of finished orders).
 */
import {
  type CancelAllOrders,
  type ClientOrderId,
  type InstrumentId,
  isTerminalStatus,
  type ModifyOrder,
  type OrderSpec,
  type OrderStatus,
  validateOrderForInstrument,
} from "@gpt/core";
import { adjustGroupHold } from "./brackets.js";
import { refPrice } from "./pricing.js";
import type { InstState, SimOrder } from "./state.js";
import { issuesText } from "./submit.js";
import type { SimVenue } from "./venue.js";

/** `OrderCancelRejected` / `OrderModifyRejected` for an order the venue no longer works on. */
function statelessReject(
  v: SimVenue,
  coid: ClientOrderId,
  instrumentId: InstrumentId,
  kind: "cancel" | "modify",
): void {
  const known = v.finished.get(coid);
  const reason = known === undefined ? "unknown order" : `order is already ${known.status}`;
  const base = {
    eventId: v.eventIds.next(),
    tsEvent: v.time,
    tsInit: v.time,
    clientOrderId: coid,
    instrumentId: known?.instrumentId ?? instrumentId,
    reason,
  };
  v.emit(
    kind === "cancel" ? { ...base, type: "OrderCancelRejected" } : { ...base, type: "OrderModifyRejected" },
  );
}

/** `CancelOrder`: `OrderPendingCancel` now, the cancel after the cancel latency. */
export function cancelOrder(v: SimVenue, coid: ClientOrderId, instrumentId: InstrumentId): void {
  const o = v.orders.get(coid);
  if (o === undefined) {
    statelessReject(v, coid, instrumentId, "cancel");
    return;
  }
  if (o.state.status === "initialized") {
    venueCancel(v, o);
    return;
  }
  if (o.cancelPending) {
    v.logger.debug("cancel already pending", { clientOrderId: coid });
    return;
  }
  v.orderEvent(o, { ...v.meta(o), type: "OrderPendingCancel" });
  o.cancelPending = true;
  const delay = v.latency.cancelDelayMs();
  if (delay === 0) applyCancel(v, o);
  else v.schedule(v.time + delay, () => applyCancel(v, o));
}

/** `CancelAllOrders`: every matching open order, each with its own cancel flow, in arrival order. */
export function cancelAllOrders(v: SimVenue, command: CancelAllOrders): void {
  const targets = [...v.orders.values()]
    .filter(
      (o) =>
        o.state.status !== "initialized" &&
        (command.instrumentId === undefined || o.inst.id === command.instrumentId) &&
        (command.side === undefined || o.spec.side === command.side),
    )
    .sort((a, b) => a.seq - b.seq);
  for (const o of targets) {
    if (v.orders.has(o.coid) && !o.cancelPending) cancelOrder(v, o.coid, o.inst.id);
  }
}

function applyCancel(v: SimVenue, o: SimOrder): void {
  o.cancelPending = false;
  if (isTerminalStatus(o.state.status)) {
    v.orderEvent(o, {
      ...v.meta(o),
      type: "OrderCancelRejected",
      reason: `order is already ${o.state.status}`,
    });
    return;
  }
  v.orderEvent(o, { ...v.meta(o), type: "OrderCanceled", venueOrderId: o.vid });
  finishOrder(v, o);
}

/** A cancel decided by the venue itself (IOC remainder, OCO, liquidation, expiry of a leg's entry). */
export function venueCancel(v: SimVenue, o: SimOrder): void {
  if (isTerminalStatus(o.state.status)) return;
  v.orderEvent(o, {
    ...v.meta(o),
    type: "OrderCanceled",
    ...(o.state.status === "initialized" ? {} : { venueOrderId: o.vid }),
  });
  o.cancelPending = false;
  finishOrder(v, o);
}

/** Why a modify cannot even be requested, or undefined. */
function modifyRefusal(o: SimOrder, cmd: ModifyOrder): string | undefined {
  if (o.kind === "market") return "market orders cannot be modified";
  if (o.isIocFok) return `${o.tif} orders cannot be modified`;
  if (cmd.price !== undefined && o.price === undefined) return `a ${o.kind} order has no limit price`;
  if (cmd.triggerPrice !== undefined && o.trigger === undefined)
    return `a ${o.kind} order has no trigger price`;
  if (cmd.triggerPrice !== undefined && o.triggered) return "the order has already triggered";
  if (cmd.quantity !== undefined && o.group !== undefined && o.role !== "entry") {
    return "a bracket leg's quantity follows its entry";
  }
  if (!o.state.isAccepted) return "the order is not live yet";
  if (o.cancelPending) return "a cancel is pending";
  if (o.modifyPending) return "a modify is already pending";
  return undefined;
}

/** `ModifyOrder`: `OrderPendingUpdate` now, the modify after the modify latency. */
export function modifyOrder(v: SimVenue, cmd: ModifyOrder): void {
  const o = v.orders.get(cmd.clientOrderId);
  if (o === undefined) {
    statelessReject(v, cmd.clientOrderId, cmd.instrumentId, "modify");
    return;
  }
  if (o.state.status === "initialized") return;
  const refusal = modifyRefusal(o, cmd);
  if (refusal !== undefined) {
    v.orderEvent(o, { ...v.meta(o), type: "OrderModifyRejected", reason: refusal });
    return;
  }
  v.orderEvent(o, { ...v.meta(o), type: "OrderPendingUpdate" });
  o.modifyPending = true;
  const delay = v.latency.modifyDelayMs();
  if (delay === 0) applyModify(v, o, cmd);
  else v.schedule(v.time + delay, () => applyModify(v, o, cmd));
}

function applyModify(v: SimVenue, o: SimOrder, cmd: ModifyOrder): void {
  o.modifyPending = false;
  const refuse = (reason: string) => v.orderEvent(o, { ...v.meta(o), type: "OrderModifyRejected", reason });
  if (isTerminalStatus(o.state.status)) {
    refuse(`order is already ${o.state.status}`);
    return;
  }
  if (o.state.status === "pending-cancel") {
    refuse("a cancel is pending");
    return;
  }
  const st = o.inst;
  const quantity = cmd.quantity ?? o.state.quantity;
  const price = cmd.price ?? o.price;
  const trigger = cmd.triggerPrice ?? o.trigger;
  if (!quantity.gt(o.filled)) {
    refuse(`quantity must exceed the filled ${o.filled.toString()}`);
    return;
  }
  const spec = {
    ...o.spec,
    quantity,
    ...(price === undefined ? {} : { price }),
    ...(trigger === undefined ? {} : { triggerPrice: trigger }),
  } as OrderSpec;
  const isLeg = o.group !== undefined && o.role !== "entry";
  const issues = validateOrderForInstrument(isLeg ? v.account.legSpec(spec) : spec, st.inst);
  if (issues.length > 0) {
    refuse(issuesText(issues));
    return;
  }
  if (o.postOnly && price !== undefined) {
    const ref = refPrice(st, o.buy);
    const p = price.toNumber();
    if (Number.isFinite(ref) && (o.buy ? p >= ref : p <= ref)) {
      refuse("post-only order would take liquidity");
      return;
    }
  }
  // Re-reserve for the new remaining quantity; keep the old reservation if that fails.
  const oldHold = o.hold;
  const oldMargin = o.margin;
  const oldPrice = o.price;
  const oldTrigger = o.trigger;
  v.account.release(o);
  o.price = price;
  o.trigger = trigger;
  const savedState = o.state;
  o.state = { ...o.state, quantity, leavesQty: quantity.minus(o.filled) };
  const failure = v.account.reserve(o, { leverage: st.leverage, marginType: st.marginType });
  o.state = savedState;
  if (failure !== undefined) {
    o.price = oldPrice;
    o.trigger = oldTrigger;
    v.account.restore(o, oldHold, oldMargin);
    refuse(failure.reason);
    return;
  }
  v.orderEvent(o, {
    ...v.meta(o),
    type: "OrderUpdated",
    venueOrderId: o.vid,
    quantity,
    ...(cmd.price === undefined ? {} : { price: cmd.price }),
    ...(cmd.triggerPrice === undefined ? {} : { triggerPrice: cmd.triggerPrice }),
  });
  o.refreshLevels();
  o.liveAt = v.time;
  o.queueAhead =
    v.queueModel && st.book?.active === true && o.priceN > 0 ? st.book.sizeAt(o.buy, o.priceN) : 0;
  st.dirty = true;
}

/** Remembers a finished order (bounded: the oldest is forgotten first). */
export function remember(
  v: SimVenue,
  coid: ClientOrderId,
  status: OrderStatus,
  instrumentId: InstrumentId,
): void {
  v.finished.set(coid, { status, instrumentId });
  if (v.finished.size > v.rememberFinished) {
    const oldest = v.finished.keys().next().value;
    if (oldest !== undefined) v.finished.delete(oldest);
  }
}

/** Cleanup once an order is terminal: working list, reservations, bracket consequences. */
export function finishOrder(v: SimVenue, o: SimOrder): void {
  const st = o.inst;
  st.removeWorking(o);
  v.account.release(o);
  v.orders.delete(o.coid);
  remember(v, o.coid, o.state.status, o.inst.id);
  const g = o.group;
  if (g === undefined) return;
  if (o.role === "entry") {
    if (o.filled.isZero()) {
      venueCancel(v, g.takeProfit);
      venueCancel(v, g.stopLoss);
    }
  } else {
    adjustGroupHold(v, g);
  }
}

/** Expires the orders of `st` whose expire time is before `t` (`strict`) or at/before it. */
export function expire(v: SimVenue, st: InstState, t: number, strict: boolean): void {
  const due = st.orders.filter((o) => (strict ? o.expireTime < t : o.expireTime <= t));
  due.sort((a, b) => a.expireTime - b.expireTime || a.seq - b.seq);
  for (const o of due) {
    if (isTerminalStatus(o.state.status)) continue;
    v.advance(o.expireTime);
    v.orderEvent(o, { ...v.meta(o), type: "OrderExpired", venueOrderId: o.vid });
    finishOrder(v, o);
  }
  st.recompute();
}

/** A stop or stop-limit order reached its trigger: `OrderTriggered`, and its firing level moves. */
export function triggerOrder(v: SimVenue, ord: SimOrder): void {
  v.orderEvent(ord, { ...v.meta(ord), type: "OrderTriggered", venueOrderId: ord.vid });
  ord.triggered = true;
  ord.refreshLevels();
  ord.inst.dirty = true;
}
