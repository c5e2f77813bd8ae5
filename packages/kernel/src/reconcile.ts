import {
  balanceOf,
  type ClientOrderId,
  type Clock,
  type EventId,
  type ExecutionEvent,
  type ExecutionMassStatus,
  type FillReport,
  flatPosition,
  hasFill,
  isTerminalStatus,
  clientOrderId as makeClientOrderId,
  type Order,
  type OrderSpec,
  type OrderStatusReport,
  type Position,
  type StrategyId,
  type UnixMillis,
  type VenueOrderId,
} from "@gpt/core";
import { D, type Decimal } from "@gpt/quantize";
import type { Cache } from "./cache.js";
import type { KernelEvent, ReconciliationResult } from "./events.js";
import type { StoredOrder } from "./store.js";

/** @internal What reconciliation needs from the trader. */
export interface ReconcileContext {
  readonly cache: Cache;
  readonly clock: Clock;
  nextEventId(): EventId;
  /** Applies an execution event to the cache and emits it (the trader's normal path). */
  process(event: ExecutionEvent): void;
  /** Emits a kernel event. */
  emit(event: KernelEvent): void;
  readonly adoptCash: boolean;
  readonly externalStrategyId: StrategyId;
  /** Write-ahead order records of earlier runs (the store's), searched by client order id. */
  readonly orderRecords: readonly StoredOrder[];
  /** Run prefixes whose client order ids (`<prefix>-<n>`) are this trader's own. */
  readonly runIds: readonly string[];
}

/**
 * @internal Whose order a venue report is: the strategy named by the write-ahead record holding
 * its client order id; failing that, when the id is `<runId>-<n>` with a run prefix of this
 * trader, the strategy trading the instrument; otherwise `undefined` (an external order).
 */
export function ownerOf(
  clientOrderId: ClientOrderId | undefined,
  instrumentStrategy: StrategyId | undefined,
  records: ReadonlyMap<string, StrategyId>,
  runIds: readonly string[],
): StrategyId | undefined {
  if (clientOrderId === undefined) return undefined;
  const recorded = records.get(clientOrderId);
  if (recorded !== undefined) return recorded;
  if (instrumentStrategy === undefined) return undefined;
  const dash = clientOrderId.lastIndexOf("-");
  if (dash <= 0 || !/^[0-9]+$/.test(clientOrderId.slice(dash + 1))) return undefined;
  return runIds.includes(clientOrderId.slice(0, dash)) ? instrumentStrategy : undefined;
}

function recordOwners(records: readonly StoredOrder[]): Map<string, StrategyId> {
  const owners = new Map<string, StrategyId>();
  for (const record of records) {
    for (const id of record.clientOrderIds) owners.set(id, record.command.strategyId);
  }
  return owners;
}

const ZERO = D(0);

function findLocal(
  cache: Cache,
  report: { clientOrderId?: ClientOrderId; venueOrderId: VenueOrderId },
): Order | undefined {
  if (report.clientOrderId !== undefined) {
    const order = cache.order(report.clientOrderId);
    if (order !== undefined) return order;
  }
  for (const slot of cache.slotList) {
    for (const order of slot.open) if (order.venueOrderId === report.venueOrderId) return order;
  }
  return undefined;
}

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

/**
 * @internal Brings the cache in line with a venue's mass status, in this order:
 * 1. orders the cache does not know (open at the venue, or with fills in the report) are added
 *    (`OrderInitialized`, `OrderSubmitted`, `OrderAccepted`) under their strategy (see `ownerOf`:
 *    the write-ahead record, else the run prefix of the client order id), else the external id;
 * 2. fills not booked yet become `OrderFilled` events;
 * 3. statuses: an unacknowledged order the venue has → `OrderAccepted`; canceled / expired /
 *    rejected at the venue → `OrderCanceled` / `OrderExpired` / `OrderRejected`; an unknown cancel
 *    outcome on an order still open → `OrderCancelRejected`; an unknown modify outcome →
 *    `OrderUpdated` (quantity/price differ) or `OrderModifyRejected`;
 * 4. local open orders (sent before the report was taken) the venue does not report → `OrderCanceled`;
 * 5. positions differing from the venue's → `PositionAdjusted` (the position takes the venue's
 *    quantity and average entry price);
 * 6. the ledger cash → the venue's total settlement balance (`LedgerAdjusted`), when asked.
 */
export function reconcileMassStatus(
  status: ExecutionMassStatus,
  ctx: ReconcileContext,
): ReconciliationResult {
  const { cache } = ctx;
  const tsInit = (): UnixMillis => ctx.clock.now();
  const meta = (tsEvent: UnixMillis) => ({ eventId: ctx.nextEventId(), tsEvent, tsInit: tsInit() });
  let ordersSettled = 0;
  let ordersAdded = 0;
  let ordersMissing = 0;
  let fillsBooked = 0;
  let positionsAdjusted = 0;
  let ordersReattached = 0;
  const owners = recordOwners(ctx.orderRecords);

  // Fills per venue order id, for step 1.
  const fillsByVenueOrder = new Map<string, FillReport[]>();
  for (const fill of status.fillReports) {
    const list = fillsByVenueOrder.get(fill.venueOrderId) ?? [];
    list.push(fill);
    fillsByVenueOrder.set(fill.venueOrderId, list);
  }

  // 1. Unknown orders.
  const localIdByVenueId = new Map<string, ClientOrderId>();
  for (const report of status.orderReports) {
    const local = findLocal(cache, report);
    if (local !== undefined) {
      localIdByVenueId.set(report.venueOrderId, local.clientOrderId);
      continue;
    }
    const open = !isTerminalStatus(report.status);
    if (!open && !fillsByVenueOrder.has(report.venueOrderId)) continue;
    const id = report.clientOrderId ?? makeClientOrderId(`venue-${report.venueOrderId}`);
    const slot = cache.slot(report.instrumentId);
    const owner = ownerOf(report.clientOrderId, slot.strategy?.id, owners, ctx.runIds);
    const common = { clientOrderId: id, instrumentId: report.instrumentId };
    ctx.process({
      type: "OrderInitialized",
      ...meta(report.tsAccepted),
      ...common,
      order: specOf(report, id),
      strategyId: owner ?? ctx.externalStrategyId,
    });
    ctx.process({
      type: "OrderSubmitted",
      ...meta(report.tsAccepted),
      ...common,
      accountId: report.accountId,
    });
    if (report.status !== "rejected") {
      ctx.process({
        type: "OrderAccepted",
        ...meta(report.tsAccepted),
        ...common,
        venueOrderId: report.venueOrderId,
        accountId: report.accountId,
      });
    }
    localIdByVenueId.set(report.venueOrderId, id);
    ordersAdded += 1;
    if (owner !== undefined) ordersReattached += 1;
  }

  // 2. Missed fills, in time order.
  const fills = [...status.fillReports].sort((a, b) => a.tsEvent - b.tsEvent);
  for (const fill of fills) {
    const id =
      localIdByVenueId.get(fill.venueOrderId) ??
      (fill.clientOrderId !== undefined && cache.order(fill.clientOrderId) !== undefined
        ? fill.clientOrderId
        : undefined) ??
      findLocal(cache, fill)?.clientOrderId ??
      fill.clientOrderId ??
      makeClientOrderId(`venue-${fill.venueOrderId}`);
    const order = cache.order(id);
    if (order !== undefined ? hasFill(order, fill.tradeId) : cache.seenTrade(fill.instrumentId, fill.tradeId))
      continue;
    ctx.process({
      type: "OrderFilled",
      ...meta(fill.tsEvent),
      clientOrderId: id,
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

  // 3. Statuses of known orders.
  const reported = new Set<ClientOrderId>();
  for (const report of status.orderReports) {
    const id = localIdByVenueId.get(report.venueOrderId);
    if (id === undefined) continue;
    reported.add(id);
    const order = cache.order(id);
    if (order === undefined || isTerminalStatus(order.status)) continue;
    const common = { clientOrderId: id, instrumentId: order.instrumentId };
    const ts = report.tsLastUpdate;
    let settled = false;
    if (report.status !== "rejected" && !order.isAccepted) {
      ctx.process({
        type: "OrderAccepted",
        ...meta(ts),
        ...common,
        venueOrderId: report.venueOrderId,
        accountId: report.accountId,
      });
      settled = true;
    }
    switch (report.status) {
      case "canceled":
        ctx.process({ type: "OrderCanceled", ...meta(ts), ...common, venueOrderId: report.venueOrderId });
        settled = true;
        break;
      case "expired":
        ctx.process({ type: "OrderExpired", ...meta(ts), ...common, venueOrderId: report.venueOrderId });
        settled = true;
        break;
      case "rejected":
        ctx.process({
          type: "OrderRejected",
          ...meta(ts),
          ...common,
          reason: report.reason ?? "rejected by the venue (reconciliation)",
        });
        settled = true;
        break;
      case "filled": {
        const current = cache.order(id);
        if (current !== undefined && !isTerminalStatus(current.status)) {
          // Filled at the venue, but the fills are not in the report: the position report carries
          // the exposure (step 5); the order is closed here so it does not stay working forever.
          ctx.emit({
            type: "KernelWarning",
            ...meta(ts),
            code: "event-not-applied",
            message: `order ${id} is filled at the venue but its fills are missing from the report; marked canceled locally, the position is taken from the position report`,
            clientOrderId: id,
            instrumentId: order.instrumentId,
          });
          ctx.process({ type: "OrderCanceled", ...meta(ts), ...common, venueOrderId: report.venueOrderId });
          settled = true;
        }
        break;
      }
      case "submitted":
      case "accepted":
      case "triggered":
      case "partially-filled": {
        const current = cache.order(id);
        if (current?.outcomeUnknown === "cancel") {
          ctx.process({
            type: "OrderCancelRejected",
            ...meta(ts),
            ...common,
            reason: "still open at the venue (reconciliation)",
          });
          settled = true;
        } else if (current?.outcomeUnknown === "modify") {
          const changed =
            !report.quantity.eq(current.quantity) ||
            (report.price !== undefined && current.price !== undefined && !report.price.eq(current.price)) ||
            (report.triggerPrice !== undefined &&
              current.triggerPrice !== undefined &&
              !report.triggerPrice.eq(current.triggerPrice));
          if (changed && report.quantity.gt(current.filledQty)) {
            ctx.process({
              type: "OrderUpdated",
              ...meta(ts),
              ...common,
              venueOrderId: report.venueOrderId,
              quantity: report.quantity,
              ...(report.price === undefined || current.price === undefined ? {} : { price: report.price }),
              ...(report.triggerPrice === undefined || current.triggerPrice === undefined
                ? {}
                : { triggerPrice: report.triggerPrice }),
            });
          } else {
            ctx.process({
              type: "OrderModifyRejected",
              ...meta(ts),
              ...common,
              reason: "unchanged at the venue (reconciliation)",
            });
          }
          settled = true;
        }
        break;
      }
      default:
        break;
    }
    if (settled) ordersSettled += 1;
  }

  // 4. Local open orders the venue does not have (sent before the report was taken).
  for (const slot of cache.slotList) {
    for (const order of slot.open) {
      if (reported.has(order.clientOrderId) || order.status === "initialized") continue;
      if (order.tsCreated > status.tsInit) continue;
      ctx.process({
        type: "OrderCanceled",
        ...meta(status.tsInit),
        clientOrderId: order.clientOrderId,
        instrumentId: order.instrumentId,
        ...(order.venueOrderId === undefined ? {} : { venueOrderId: order.venueOrderId }),
      });
      ordersMissing += 1;
    }
  }

  // 5. Positions.
  const venueQty = new Map<string, { quantity: Decimal; avgEntryPrice?: Decimal }>();
  for (const report of status.positionReports) {
    cache.slot(report.instrumentId);
    venueQty.set(report.instrumentId, {
      quantity: report.quantity,
      ...(report.avgEntryPrice === undefined ? {} : { avgEntryPrice: report.avgEntryPrice }),
    });
  }
  for (const slot of cache.slotList) {
    const local = slot.position?.quantity ?? ZERO;
    const venue = venueQty.get(slot.id);
    const target = venue?.quantity ?? ZERO;
    if (local.eq(target)) continue;
    const current: Position =
      slot.position ??
      flatPosition(slot.id, cache.currency, status.tsInit, {
        contractSize: slot.derivative ? (slot.instrument as { contractSize: Decimal }).contractSize : "1",
      });
    const entry = venue?.avgEntryPrice ?? slot.priceAsDecimal() ?? current.avgEntryPrice;
    const costBasis = target.mul(entry);
    const side = target.isZero() ? "flat" : target.isNegative() ? "short" : "long";
    const { tsOpened: _opened, tsClosed: _closed, ...rest } = current;
    const adjusted: Position = {
      ...rest,
      side,
      quantity: target,
      costBasis,
      avgEntryPrice: target.isZero() ? ZERO : entry,
      tsLastEvent: status.tsInit,
      ...(target.isZero() ? { tsClosed: status.tsInit } : { tsOpened: status.tsInit }),
    };
    cache.setPosition(slot, adjusted);
    slot.tradeBase = target.isZero()
      ? undefined
      : { realized: adjusted.realizedPnl, commissions: adjusted.commissions, funding: adjusted.funding };
    ctx.emit({
      type: "PositionAdjusted",
      ...meta(status.tsInit),
      instrumentId: slot.id,
      before: local,
      after: target,
      reason: "reconciliation",
    });
    positionsAdjusted += 1;
  }

  // 6. Cash.
  let cashAdjusted = false;
  if (status.account !== undefined) {
    cache.setVenueAccount(status.account);
    const balance = balanceOf(status.account, cache.currency);
    if (ctx.adoptCash && balance !== undefined && !balance.total.eq(cache.cash())) {
      const before = cache.cash();
      cache.setCash(balance.total);
      ctx.emit({
        type: "LedgerAdjusted",
        ...meta(status.tsInit),
        currency: cache.currency,
        before,
        after: balance.total,
        reason: "reconciliation",
      });
      cashAdjusted = true;
    }
  }

  const result: ReconciliationResult = {
    venue: status.venue,
    accountId: status.accountId,
    ordersSettled,
    ordersAdded,
    ordersReattached,
    ordersMissing,
    fillsBooked,
    positionsAdjusted,
    cashAdjusted,
  };
  ctx.emit({ type: "Reconciled", ...meta(status.tsInit), ...result });
  return result;
}
