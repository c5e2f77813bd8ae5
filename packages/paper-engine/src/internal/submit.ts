/**
 * Order submission: new working records, duplicate detection, `OrderSubmitted`, the submit
 * latency, and acceptance: the admission checks (instrument rules, expiry, post-only, the
 * account's funds or margin) that end in `OrderAccepted` or `OrderRejected`.
 */
import {
  applyOrderEvent,
  type ClientOrderId,
  type EventId,
  initOrder,
  isTerminalStatus,
  eventId as makeEventId,
  venueOrderId as makeVenueOrderId,
  type Order,
  type OrderEvent,
  type OrderSpec,
  type StrategyId,
  type UnixMillis,
  validateOrderForInstrument,
} from "@gpt/core";
import type { OrderSettings, Rejection } from "./account.js";
import { finishOrder, remember } from "./lifecycle.js";
import { matchBookArrival } from "./match-trades.js";
import { refPrice } from "./pricing.js";
import { type BracketGroup, type InstState, SimOrder } from "./state.js";
import type { SimVenue } from "./venue.js";

const INTERNAL_EVENT_ID: EventId = makeEventId("paper-engine-internal");

/** A new working record (not yet known to the venue's order table). */
export function newOrder(
  v: SimVenue,
  st: InstState,
  spec: OrderSpec,
  strategyId: StrategyId,
  tsInit: UnixMillis,
  bracket: { group: BracketGroup | undefined; link: Order["bracket"] } | undefined,
): SimOrder {
  const state = initOrder({
    type: "OrderInitialized",
    eventId: INTERNAL_EVENT_ID,
    tsEvent: tsInit,
    tsInit,
    clientOrderId: spec.clientOrderId,
    instrumentId: spec.instrumentId,
    order: spec,
    strategyId,
    ...(bracket?.link === undefined ? {} : { bracket: bracket.link }),
  });
  const seq = ++v.orderSeq;
  return new SimOrder(seq, st, spec, state, makeVenueOrderId(`${v.prefix}-${seq}`));
}

/** A client order id the venue has seen (working or finished): the resend is ignored. */
export function isKnown(v: SimVenue, coid: ClientOrderId): boolean {
  if (v.orders.has(coid) || v.finished.has(coid)) {
    v.logger.warn("duplicate client order id ignored (idempotent resend)", { clientOrderId: coid });
    return true;
  }
  return false;
}

/** `SubmitOrder`: submitted now, accepted or rejected after the submit latency. */
export function submitOrder(v: SimVenue, spec: OrderSpec, strategyId: StrategyId, tsInit: UnixMillis): void {
  v.syncClock();
  v.advance(tsInit);
  if (isKnown(v, spec.clientOrderId)) return;
  const st = v.insts.get(spec.instrumentId);
  if (st === undefined) {
    rejectUnknownInstrument(v, spec, strategyId, tsInit);
    return;
  }
  submitAndAccept(v, newOrder(v, st, spec, strategyId, tsInit, undefined));
}

/** `OrderSubmitted` then `OrderRejected` for an instrument the venue does not list. */
export function rejectUnknownInstrument(
  v: SimVenue,
  spec: OrderSpec,
  strategyId: StrategyId,
  tsInit: UnixMillis,
): void {
  let state = initOrder({
    type: "OrderInitialized",
    eventId: INTERNAL_EVENT_ID,
    tsEvent: tsInit,
    tsInit,
    clientOrderId: spec.clientOrderId,
    instrumentId: spec.instrumentId,
    order: spec,
    strategyId,
  });
  const base = () => ({
    eventId: v.eventIds.next(),
    tsEvent: v.time,
    tsInit: v.time,
    clientOrderId: spec.clientOrderId,
    instrumentId: spec.instrumentId,
  });
  const submitted: OrderEvent = { ...base(), type: "OrderSubmitted", accountId: v.accountId };
  state = applyAndEmit(v, state, submitted);
  const rejected: OrderEvent = {
    ...base(),
    type: "OrderRejected",
    reason: `unknown instrument ${spec.instrumentId}`,
    code: "UNKNOWN_PRODUCT",
  };
  state = applyAndEmit(v, state, rejected);
  remember(v, spec.clientOrderId, state.status, spec.instrumentId);
}

function applyAndEmit(v: SimVenue, state: Order, event: OrderEvent): Order {
  const next = applyOrderEvent(state, event);
  v.emit(event);
  return next;
}

/** Enters the order in the table, emits `OrderSubmitted` and accepts it now or after the latency. */
export function submitAndAccept(v: SimVenue, o: SimOrder): void {
  v.orders.set(o.coid, o);
  v.orderEvent(o, { ...v.meta(o), type: "OrderSubmitted", accountId: v.accountId });
  const delay = v.latency.submitDelayMs();
  if (delay === 0) accept(v, o);
  else v.schedule(v.time + delay, () => accept(v, o), o);
}

/** The order reaches the venue: `OrderAccepted` (it is live from now) or `OrderRejected`. */
export function accept(v: SimVenue, o: SimOrder): void {
  if (isTerminalStatus(o.state.status)) return;
  const rejection = admission(v, o);
  if (rejection !== undefined) {
    v.orderEvent(o, { ...v.meta(o), type: "OrderRejected", reason: rejection.reason, code: rejection.code });
    finishOrder(v, o);
    return;
  }
  v.orderEvent(o, { ...v.meta(o), type: "OrderAccepted", venueOrderId: o.vid, accountId: v.accountId });
  const st = o.inst;
  o.liveAt = v.inPath ? v.stepStart : v.time;
  if (v.arrivalBarOpen && !v.inPath) liveFromArrivalBar(v, st, o);
  st.addWorking(o);
  if (v.inPath) {
    o.activatedStep = v.step;
    o.restedStep = -1;
    v.cands.push(o);
  }
  if (st.book?.active === true && !v.inPath) matchBookArrival(v, st, o);
}

/**
 * `barArrivalFill: "arrival-bar-open"`: an order of a bar-fed instrument that arrives inside the
 * bar after the last one processed (`[prevBarEnd, prevBarEnd + interval)`) is live from that
 * bar's open, so the bar fills it as it would an order without latency. An arrival at or after
 * that bar's close is not (no look-ahead), and neither is anything on a trade-fed instrument.
 */
function liveFromArrivalBar(v: SimVenue, st: InstState, o: SimOrder): void {
  const end = st.prevBarEnd;
  if (!Number.isFinite(end) || Number.isFinite(st.prevTradeTs)) return;
  const at = v.actionAt;
  if (at >= end && at < end + (end - st.prevBarOpen)) {
    o.arrivedAt = at;
    o.liveAt = end;
  }
}

/** Core validation issues as one reason text. */
export function issuesText(issues: readonly { field: string; message: string }[]): string {
  return issues.map((i) => `${i.field}: ${i.message}`).join("; ");
}

/** Why the venue refuses the order, or undefined after reserving its holds / margin. */
function admission(v: SimVenue, o: SimOrder): Rejection | undefined {
  const st = o.inst;
  const inst = st.inst;
  const isLeg = o.role === "take-profit" || o.role === "stop-loss";
  const issues = validateOrderForInstrument(isLeg ? v.account.legSpec(o.spec) : o.spec, inst);
  if (issues.length > 0) return { reason: issuesText(issues), code: issues[0]!.code };
  if (o.expireTime <= v.actionAt) {
    return { reason: "expire time has already passed", code: "expire-time-in-past" };
  }
  if (o.role === "entry" && o.group !== undefined) {
    for (const leg of [o.group.takeProfit, o.group.stopLoss]) {
      const legIssues = validateOrderForInstrument(v.account.legSpec(leg.spec), inst, leg.role);
      if (legIssues.length > 0) return { reason: issuesText(legIssues), code: legIssues[0]!.code };
    }
  }
  const settings: Rejection | OrderSettings = v.account.orderSettings(o);
  if ("code" in settings) return settings;
  if (o.postOnly && o.price !== undefined) {
    const ref = refPrice(st, o.buy);
    const p = o.price.toNumber();
    if (Number.isFinite(ref) && (o.buy ? p >= ref : p <= ref)) {
      return { reason: "post-only order would take liquidity", code: "POST_ONLY" };
    }
  }
  return v.account.reserve(o, settings);
}
