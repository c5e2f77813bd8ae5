/**
 * The applying half of reconciliation: `reconcileMassStatus` plans (`reconcile-plan.ts`, pure)
 * and then applies the whole plan through the trader's normal event path, ending with a
 * `Reconciled` event that is emitted whatever happens.
 */
import {
  type ClientOrderId,
  type Clock,
  type EventId,
  type ExecutionEvent,
  type ExecutionMassStatus,
  flatPosition,
  isTerminalStatus,
  type OrderSpec,
  type OrderStatusReport,
  type Position,
  type UnixMillis,
} from "@gpt/core";
import { D, type Decimal } from "@gpt/quantize";
import type { Cache } from "./cache.js";
import type { KernelEvent, ReconciliationResult } from "./events.js";
import {
  type PlanInputs,
  type PlannedPosition,
  type PlannedStatus,
  planReconciliation,
  type ReconciliationPlan,
} from "./reconcile-plan.js";

/** @internal What reconciliation needs from the trader. */
export interface ReconcileContext extends PlanInputs {
  readonly cache: Cache;
  readonly clock: Clock;
  nextEventId(): EventId;
  /** Applies an execution event to the cache and emits it (the trader's normal path). */
  process(event: ExecutionEvent): void;
  /** Emits a kernel event. */
  emit(event: KernelEvent): void;
}

const ZERO = D(0);

function specOf(report: OrderStatusReport, id: ClientOrderId): OrderSpec {
  const base = {
    clientOrderId: id,
    instrumentId: report.instrumentId,
    side: report.side,
    quantity: report.quantity,
    timeInForce: report.timeInForce,
    reduceOnly: report.reduceOnly,
    ...(report.expireTime === undefined ? {} : { expireTime: report.expireTime }),
  };
  switch (report.type) {
    case "market":
      return { ...base, type: "market" };
    case "limit":
      return { ...base, type: "limit", price: report.price ?? ZERO, postOnly: report.postOnly };
    case "stop":
      return { ...base, type: "stop", triggerPrice: report.triggerPrice ?? ZERO };
    case "stop-limit":
      return {
        ...base,
        type: "stop-limit",
        price: report.price ?? ZERO,
        triggerPrice: report.triggerPrice ?? ZERO,
      };
  }
}

type Meta = (tsEvent: UnixMillis) => { eventId: EventId; tsEvent: UnixMillis; tsInit: UnixMillis };

function applyStatus(planned: PlannedStatus, ctx: ReconcileContext, meta: Meta): boolean {
  const { clientOrderId: id, report } = planned;
  const order = ctx.cache.order(id);
  if (order === undefined || isTerminalStatus(order.status)) return false;
  const common = { clientOrderId: id, instrumentId: order.instrumentId };
  const ts = report.tsLastUpdate;
  const venueOrderId = report.venueOrderId;
  if (planned.accept && !order.isAccepted) {
    ctx.process({ type: "OrderAccepted", ...meta(ts), ...common, venueOrderId, accountId: report.accountId });
  }
  switch (planned.outcome) {
    case undefined:
      break;
    case "canceled":
      ctx.process({ type: "OrderCanceled", ...meta(ts), ...common, venueOrderId });
      break;
    case "expired":
      ctx.process({ type: "OrderExpired", ...meta(ts), ...common, venueOrderId });
      break;
    case "rejected":
      ctx.process({
        type: "OrderRejected",
        ...meta(ts),
        ...common,
        reason: report.reason ?? "rejected by the venue (reconciliation)",
      });
      break;
    case "filled-without-fills":
      // The position report carries the exposure; the order is closed so it does not stay working.
      ctx.emit({
        type: "KernelWarning",
        ...meta(ts),
        code: "event-not-applied",
        message: `order ${id} is filled at the venue but its fills are missing from the report; marked canceled locally, the position is taken from the position report`,
        clientOrderId: id,
        instrumentId: order.instrumentId,
      });
      ctx.process({ type: "OrderCanceled", ...meta(ts), ...common, venueOrderId });
      break;
    case "cancel-rejected":
      ctx.process({
        type: "OrderCancelRejected",
        ...meta(ts),
        ...common,
        reason: "still open at the venue (reconciliation)",
      });
      break;
    case "modified":
      ctx.process({
        type: "OrderUpdated",
        ...meta(ts),
        ...common,
        venueOrderId,
        quantity: report.quantity,
        ...(report.price === undefined || order.price === undefined ? {} : { price: report.price }),
        ...(report.triggerPrice === undefined || order.triggerPrice === undefined
          ? {}
          : { triggerPrice: report.triggerPrice }),
      });
      break;
    case "modify-rejected":
      ctx.process({
        type: "OrderModifyRejected",
        ...meta(ts),
        ...common,
        reason: "unchanged at the venue (reconciliation)",
      });
      break;
  }
  return true;
}

function applyPosition(planned: PlannedPosition, ctx: ReconcileContext, meta: Meta, ts: UnixMillis): boolean {
  const { cache } = ctx;
  const slot = cache.slot(planned.instrumentId);
  const local = slot.position?.quantity ?? ZERO;
  const target = planned.quantity;
  const entryDiffers =
    !target.isZero() &&
    planned.avgEntryPrice !== undefined &&
    !planned.avgEntryPrice.eq(slot.position?.avgEntryPrice ?? ZERO);
  const realizedDiffers =
    planned.realizedPnl !== undefined && !planned.realizedPnl.eq(slot.position?.realizedPnl ?? ZERO);
  if (local.eq(target) && !entryDiffers && !realizedDiffers) return false;
  const current: Position =
    slot.position ??
    flatPosition(slot.id, cache.currency, ts, {
      contractSize: slot.derivative ? (slot.instrument as { contractSize: Decimal }).contractSize : "1",
    });
  const entry = planned.avgEntryPrice ?? slot.priceAsDecimal() ?? current.avgEntryPrice;
  const side = target.isZero() ? "flat" : target.isNegative() ? "short" : "long";
  const { tsOpened: _opened, tsClosed: _closed, ...rest } = current;
  const adjusted: Position = {
    ...rest,
    side,
    quantity: target,
    costBasis: target.mul(entry),
    avgEntryPrice: target.isZero() ? ZERO : entry,
    ...(planned.realizedPnl === undefined ? {} : { realizedPnl: planned.realizedPnl }),
    tsLastEvent: ts,
    ...(target.isZero() ? { tsClosed: ts } : { tsOpened: local.eq(target) ? (current.tsOpened ?? ts) : ts }),
  };
  cache.setPosition(slot, adjusted);
  slot.tradeBase = target.isZero()
    ? undefined
    : { realized: adjusted.realizedPnl, commissions: adjusted.commissions, funding: adjusted.funding };
  ctx.emit({
    type: "PositionAdjusted",
    ...meta(ts),
    instrumentId: slot.id,
    before: local,
    after: target,
    reason: "reconciliation",
  });
  return true;
}

/**
 * @internal Brings the cache in line with a venue's mass status. The plan is computed first
 * (`planReconciliation`: nothing changes while planning, reports for unknown instruments become
 * issues) and then applied in this order:
 * 1. orders the cache does not know (open at the venue, or with fills in the report) are added
 *    (`OrderInitialized`, `OrderSubmitted`, `OrderAccepted`) under their strategy (see `ownerOf`:
 *    the write-ahead record, else the run prefix of the client order id), else the external id;
 * 2. fills not booked yet become `OrderFilled` events;
 * 3. statuses: an unacknowledged order the venue has → `OrderAccepted`; canceled / expired /
 *    rejected at the venue → `OrderCanceled` / `OrderExpired` / `OrderRejected`; an unknown cancel
 *    outcome on an order still open → `OrderCancelRejected`; an unknown modify outcome →
 *    `OrderUpdated` (quantity/price differ) or `OrderModifyRejected`;
 * 4. local open orders (sent before the report was taken) the venue does not report → `OrderCanceled`;
 * 5. positions differing from the venue's in quantity, average entry price or realized PnL (the
 *    last two when reported) → `PositionAdjusted` (the position takes all three);
 * 6. the ledger cash → the venue's total settlement balance (`LedgerAdjusted`), when asked.
 * A `Reconciled` event follows in every case (also when applying throws).
 */
export function reconcileMassStatus(
  status: ExecutionMassStatus,
  ctx: ReconcileContext,
): ReconciliationResult {
  const plan = planReconciliation(ctx.cache, status, ctx);
  return applyReconciliationPlan(plan, status, ctx);
}

/** @internal Applies a plan (see `reconcileMassStatus`); emits `Reconciled` whatever happens. */
function applyReconciliationPlan(
  plan: ReconciliationPlan,
  status: ExecutionMassStatus,
  ctx: ReconcileContext,
): ReconciliationResult {
  const { cache } = ctx;
  const meta: Meta = (tsEvent) => ({ eventId: ctx.nextEventId(), tsEvent, tsInit: ctx.clock.now() });
  let ordersSettled = 0;
  let ordersAdded = 0;
  let ordersReattached = 0;
  let ordersMissing = 0;
  let fillsBooked = 0;
  let positionsAdjusted = 0;
  let cashAdjusted = false;
  const summary = (): ReconciliationResult => ({
    venue: status.venue,
    accountId: status.accountId,
    ordersSettled,
    ordersAdded,
    ordersReattached,
    ordersMissing,
    fillsBooked,
    positionsAdjusted,
    cashAdjusted,
    issues: plan.issues,
  });
  try {
    // The venue's reports say what is open: a cancel this trader believed on its way (restored
    // from a snapshot, or lost in a crash before it left) is asked again if the target still
    // wants the order gone. A duplicate cancel is refused by the venue; a forgotten one would
    // leave the target waiting for an answer that never comes.
    for (const slot of cache.slotList) slot.canceling.clear();
    for (const { clientOrderId: id, report, strategyId, reattached } of plan.adopt) {
      cache.slot(report.instrumentId);
      const common = { clientOrderId: id, instrumentId: report.instrumentId };
      const ts = report.tsAccepted;
      ctx.process({
        type: "OrderInitialized",
        ...meta(ts),
        ...common,
        order: specOf(report, id),
        strategyId,
      });
      ctx.process({ type: "OrderSubmitted", ...meta(ts), ...common, accountId: report.accountId });
      if (report.status !== "rejected") {
        ctx.process({
          type: "OrderAccepted",
          ...meta(ts),
          ...common,
          venueOrderId: report.venueOrderId,
          accountId: report.accountId,
        });
      }
      ordersAdded += 1;
      if (reattached) ordersReattached += 1;
    }
    for (const { clientOrderId, fill } of plan.fills) {
      ctx.process({
        type: "OrderFilled",
        ...meta(fill.tsEvent),
        clientOrderId,
        instrumentId: fill.instrumentId,
        venueOrderId: fill.venueOrderId,
        tradeId: fill.tradeId,
        side: fill.side,
        lastQty: fill.lastQty,
        lastPrice: fill.lastPrice,
        commission: fill.commission,
        commissionCurrency: fill.commissionCurrency,
        liquiditySide: fill.liquiditySide,
        accountId: fill.accountId,
      });
      fillsBooked += 1;
    }
    for (const planned of plan.statuses) if (applyStatus(planned, ctx, meta)) ordersSettled += 1;
    for (const order of plan.missing) {
      if (isTerminalStatus(cache.order(order.clientOrderId)?.status ?? "canceled")) continue;
      ctx.process({
        type: "OrderCanceled",
        ...meta(status.tsInit),
        clientOrderId: order.clientOrderId,
        instrumentId: order.instrumentId,
        ...(order.venueOrderId === undefined ? {} : { venueOrderId: order.venueOrderId }),
      });
      ordersMissing += 1;
    }
    for (const planned of plan.positions) {
      if (applyPosition(planned, ctx, meta, status.tsInit)) positionsAdjusted += 1;
    }
    if (plan.account !== undefined) cache.setVenueAccount(plan.account);
    if (plan.cash !== undefined && !plan.cash.eq(cache.cash())) {
      const before = cache.cash();
      cache.setCash(plan.cash);
      ctx.emit({
        type: "LedgerAdjusted",
        ...meta(status.tsInit),
        currency: cache.currency,
        before,
        after: plan.cash,
        reason: "reconciliation",
      });
      cashAdjusted = true;
    }
  } finally {
    ctx.emit({ type: "Reconciled", ...meta(status.tsInit), ...summary() });
  }
  return summary();
}
