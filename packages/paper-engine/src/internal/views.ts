/**
 * What the venue shows of itself: the account snapshot (balances, equity, margin, positions and
 * the PnL breakdown) and the mass status for reconciliation (open orders, open positions, the
 * account). Both read the state; neither changes it.
 */
import {
  type ExecutionMassStatus,
  type OrderStatusReport,
  type PositionStatusReport,
  unrealizedPnl,
} from "@gpt/core";
import type { AccountSnapshot, PositionSnapshot } from "../types.js";
import { markOf } from "./account.js";
import { ZERO } from "./state.js";
import type { SimVenue } from "./venue.js";

/** The core account state plus equity, margin, open positions and the full PnL breakdown, now. */
export function accountSnapshot(v: SimVenue): AccountSnapshot {
  let realized = ZERO;
  let unrealized = ZERO;
  let commissions = ZERO;
  let funding = ZERO;
  const positions: PositionSnapshot[] = [];
  for (const st of v.insts.values()) {
    const p = st.position;
    if (p === undefined) continue;
    realized = realized.plus(p.realizedPnl);
    commissions = commissions.plus(p.commissions);
    funding = funding.plus(p.funding);
    if (p.quantity.isZero()) continue;
    const mark = markOf(st) ?? p.avgEntryPrice.abs();
    const u = unrealizedPnl(p, mark);
    unrealized = unrealized.plus(u);
    const notional = p.quantity.abs().mul(mark).mul(st.cs);
    positions.push({
      instrumentId: st.id,
      position: p,
      markPrice: mark,
      unrealizedPnl: u,
      notional,
      ...v.account.positionMargin(st, notional),
    });
  }
  const val = v.account.valuation();
  return {
    ...v.account.state(v.time),
    equity: val.equity,
    equityCurrency: v.account.equityCurrency,
    unvaluedCurrencies: [...val.unvalued],
    marginUsed: val.marginUsed,
    maintenanceMargin: val.maintenanceMargin,
    freeMargin: val.freeMargin,
    positions,
    realizedPnl: realized,
    unrealizedPnl: unrealized,
    commissions,
    liquidationFees: v.account.liquidationFees,
    funding,
    deficitCovered: v.account.deficitCovered,
    netPnl: realized.plus(unrealized).minus(commissions).plus(funding),
  };
}

/** The venue's view for reconciliation: open orders, open positions and the account (no fills). */
export function massStatus(v: SimVenue): ExecutionMassStatus {
  const orderReports: OrderStatusReport[] = [];
  for (const o of v.orders.values()) {
    const s = o.state;
    if (s.status === "initialized" || s.status === "denied") continue;
    const status =
      s.status === "pending-update" || s.status === "pending-cancel"
        ? s.filledQty.gt(0)
          ? "partially-filled"
          : s.isTriggered
            ? "triggered"
            : "accepted"
        : s.status;
    const accepted = Number.isFinite(o.arrivedAt) ? o.arrivedAt : o.liveAt;
    orderReports.push({
      accountId: v.accountId,
      instrumentId: s.instrumentId,
      clientOrderId: s.clientOrderId,
      venueOrderId: o.vid,
      side: s.side,
      type: s.type,
      timeInForce: s.timeInForce,
      status,
      quantity: s.quantity,
      filledQty: s.filledQty,
      ...(s.avgPx === undefined ? {} : { avgPx: s.avgPx }),
      ...(s.price === undefined ? {} : { price: s.price }),
      ...(s.triggerPrice === undefined ? {} : { triggerPrice: s.triggerPrice }),
      ...(s.expireTime === undefined ? {} : { expireTime: s.expireTime }),
      postOnly: s.postOnly,
      reduceOnly: s.reduceOnly,
      tsAccepted: Number.isFinite(accepted) ? accepted : s.tsCreated,
      tsLastUpdate: s.tsLastEvent,
      tsInit: v.time,
    });
  }
  const positionReports: PositionStatusReport[] = [];
  for (const st of v.insts.values()) {
    const p = st.position;
    if (p === undefined || p.quantity.isZero()) continue;
    const mark = markOf(st);
    positionReports.push({
      accountId: v.accountId,
      instrumentId: st.id,
      quantity: p.quantity,
      avgEntryPrice: p.avgEntryPrice,
      ...(mark === undefined ? {} : { unrealizedPnl: unrealizedPnl(p, mark) }),
      tsLastUpdate: p.tsLastEvent,
      tsInit: v.time,
    });
  }
  return {
    venue: v.venueCode,
    accountId: v.accountId,
    orderReports,
    fillReports: [],
    positionReports,
    account: v.account.state(v.time),
    tsInit: v.time,
  };
}
