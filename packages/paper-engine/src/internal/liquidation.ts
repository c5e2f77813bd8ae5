/**
 * Liquidation: a margin position whose liquidation price the market crosses is closed whole at
 * that price (or the worse price a gap opened at), with the liquidation fee, after its
 * instrument's orders are canceled. In cross margin the other positions are then checked at
 * their own prices (the sweep); a deficit the account cannot carry is covered by the venue.
 */
import { applyFill, createPositionEvent, type ForcedFill, tradeId as makeTradeId } from "@gpt/core";
import { D } from "@gpt/quantize";
import type { NegativeEquity, PositionLiquidated } from "../types.js";
import { emitAccountUpdate } from "./fill.js";
import { venueCancel } from "./lifecycle.js";
import { clampPrice, toPrice } from "./pricing.js";
import type { InstState } from "./state.js";
import type { SimVenue } from "./venue.js";

/** Liquidates the position of `st` if `price` crossed its liquidation price. */
export function checkLiquidationAt(v: SimVenue, st: InstState, price: number): void {
  if (!st.liqActive) return;
  const L = v.account.liqLevel(st);
  if (st.qN > 0 ? price <= L : price >= L) liquidate(v, st, price, L, Number.NaN, Number.NaN);
}

/**
 * Closes the whole position at `px` (the liquidation price, or a worse price the market gapped
 * to), charging the liquidation fee. Open orders of the instrument are canceled first.
 */
export function liquidate(
  v: SimVenue,
  st: InstState,
  px: number,
  level: number,
  lo: number,
  hi: number,
): void {
  const before = st.position!;
  for (const o of [...st.orders].sort((a, b) => a.seq - b.seq)) venueCancel(v, o);
  for (const o of [...v.orders.values()])
    if (o.inst === st && o.state.status === "initialized") venueCancel(v, o);
  const long = before.quantity.gt(0);
  let price = toPrice(st, px > 0 ? px : st.inst.priceIncrement.toNumber(), long ? "down" : "up");
  price = clampPrice(price, lo, hi);
  if (!price.gt(0)) price = st.inst.priceIncrement;
  const qty = before.quantity.abs();
  const fee = qty.mul(price).mul(st.cs).mul(v.liqFeeRate);
  const tid = makeTradeId(`${v.prefix}-liq${++v.tradeSeq}`);
  // The closing execution reaches the event stream as a forced fill, so a ledger that books
  // the stream holds what the venue holds.
  const forced: ForcedFill = {
    type: "ForcedFill",
    kind: "liquidation",
    eventId: v.eventIds.next(),
    tsEvent: v.time,
    tsInit: v.time,
    accountId: v.accountId,
    instrumentId: st.id,
    tradeId: tid,
    side: long ? "sell" : "buy",
    lastQty: qty,
    lastPrice: price,
    commission: fee,
    commissionCurrency: st.settle,
    liquiditySide: "taker",
  };
  const after = applyFill(before, forced);
  st.position = after;
  const realized = after.realizedPnl.minus(before.realizedPnl);
  let deficit = v.account.bookLiquidation(st, before, after, fee);
  v.emit(forced);
  v.emit(createPositionEvent(before, after, { eventId: v.eventIds.next(), tsInit: v.time }));
  if (st.marginType === "cross" && !v.sweeping) {
    v.sweeping = true;
    try {
      for (const j of v.account.liquidationSweep()) {
        if (!j.liqActive) continue;
        const L = v.account.liqLevel(j);
        if (j.qN > 0 ? j.valPrice <= L : j.valPrice >= L)
          liquidate(v, j, j.valPrice, L, Number.NaN, Number.NaN);
      }
    } finally {
      v.sweeping = false;
    }
  }
  if (!v.sweeping) deficit = deficit.plus(v.account.coverDeficit());
  v.account.recordDeficit(deficit);
  if (deficit.gt(0)) {
    v.emit({
      type: "BalanceAdjusted",
      eventId: v.eventIds.next(),
      tsEvent: v.time,
      tsInit: v.time,
      accountId: v.accountId,
      currency: v.account.equityCurrency,
      amount: deficit,
      reason: "deficit-covered",
      instrumentId: st.id,
    });
  }
  emitAccountUpdate(v);
  const notice: PositionLiquidated = {
    type: "PositionLiquidated",
    tsEvent: v.time,
    accountId: v.accountId,
    instrumentId: st.id,
    quantity: before.quantity,
    liquidationPrice: Number.isFinite(level) && level > 0 ? D(level) : price,
    price,
    fee,
    realizedPnl: realized,
    marginType: st.marginType,
    equityAfter: v.account.valuation().equity,
    tradeId: tid,
  };
  v.notify(notice);
  if (deficit.gt(0)) {
    const n: NegativeEquity = {
      type: "NegativeEquity",
      tsEvent: v.time,
      accountId: v.accountId,
      currency: v.account.equityCurrency,
      deficit,
      instrumentId: st.id,
    };
    v.notify(n);
  }
}
