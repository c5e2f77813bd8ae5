/**
 * Executions. `takeAt` (a taker fill at a price plus slippage) and `fillCapped` (the volume cap)
 * lead to `fill`, one execution of an order: clipped by reduce-only and by what the account can fund, the fee,
 * `OrderFilled` with its position event and `AccountUpdated`, then what follows from it (the
 * order finishes, bracket legs move, a reduce-only order with nothing left to reduce is canceled).
 */
import {
  applyOrderEvent,
  createPositionEvent,
  type LiquiditySide,
  tradeId as makeTradeId,
  type OrderFilled,
} from "@gpt/core";
import { D, type Decimal, roundToIncrement } from "@gpt/quantize";
import { onEntryFill, onLegFill } from "./brackets.js";
import { finishOrder, venueCancel } from "./lifecycle.js";
import { clampPrice, feeContext, toPrice } from "./pricing.js";
import { type InstState, type SimOrder, ZERO } from "./state.js";
import type { SimVenue } from "./venue.js";

/**
 * Books one execution of `ord` for up to `wanted` at `price`; returns the quantity filled.
 * Reduce-only and cash limits may clip it; with `allOrNothing` (FOK) a clipped order is
 * canceled instead.
 */
export function fill(
  v: SimVenue,
  ord: SimOrder,
  price: Decimal,
  wanted: Decimal,
  liquidity: LiquiditySide,
  allOrNothing = false,
): Decimal {
  const st = ord.inst;
  let qty = wanted.gt(ord.leaves) ? ord.leaves : wanted;
  const reducible = v.account.reducible(ord);
  if (reducible !== undefined) {
    if (reducible.lt(qty)) qty = reducible;
    if (!qty.gt(0)) {
      venueCancel(v, ord);
      return ZERO;
    }
  }
  let fee = v.fees.commission(feeContext(v, st, ord.buy, qty, price, liquidity));
  const funding = v.account.fund(ord, qty, price, fee, liquidity);
  if (funding === undefined) {
    venueCancel(v, ord);
    return ZERO;
  }
  if (!funding.qty.eq(qty)) {
    qty = funding.qty;
    fee = funding.fee;
  }
  if (allOrNothing && qty.lt(wanted)) {
    venueCancel(v, ord);
    return ZERO;
  }
  v.fees.recordFill?.(feeContext(v, st, ord.buy, qty, price, liquidity));
  v.account.consume(ord, qty, funding);
  const filledEvent: OrderFilled = {
    ...v.meta(ord),
    type: "OrderFilled",
    venueOrderId: ord.vid,
    tradeId: makeTradeId(`${v.prefix}-t${++v.tradeSeq}`),
    side: ord.buy ? "buy" : "sell",
    lastQty: qty,
    lastPrice: price,
    commission: fee,
    commissionCurrency: st.settle,
    liquiditySide: liquidity,
    accountId: v.accountId,
  };
  ord.state = applyOrderEvent(ord.state, filledEvent);
  const before = st.position;
  v.account.bookFill(st, filledEvent);
  if (st.volLeft !== Number.POSITIVE_INFINITY) st.volLeft -= qty.toNumber();
  v.emit(filledEvent);
  v.emit(createPositionEvent(before, st.position!, { eventId: v.eventIds.next(), tsInit: v.time }));
  emitAccountUpdate(v);
  if (ord.state.status === "filled") finishOrder(v, ord);
  const g = ord.group;
  if (g !== undefined) {
    if (ord.role === "entry") onEntryFill(v, g, qty);
    else onLegFill(v, g, ord, qty);
  }
  if (reducible !== undefined && ord.idx >= 0 && st.qN === 0) venueCancel(v, ord);
  return qty;
}

/** `AccountUpdated` with the account's state now (when enabled and someone listens). */
export function emitAccountUpdate(v: SimVenue): void {
  if (!v.emitAccount || v.handlers.length === 0) return;
  v.emit({
    type: "AccountUpdated",
    eventId: v.eventIds.next(),
    tsEvent: v.time,
    tsInit: v.time,
    accountId: v.accountId,
    state: v.account.state(v.time),
    reported: false,
  });
}

/** A taker execution at `px` ± slippage (market orders, triggered stop-markets). */
export function takeAt(
  v: SimVenue,
  st: InstState,
  ord: SimOrder,
  px: number,
  lo: number,
  hi: number,
  vol: number,
): void {
  const slipped = v.slippage.slippedPrice({
    instrument: st.inst,
    side: ord.buy ? "buy" : "sell",
    price: px,
    quantity: ord.leaves.toNumber(),
    volatility: vol,
  });
  let price: Decimal;
  if (slipped === px) price = toPrice(st, px, "half-even");
  else {
    const bounded = v.clamp && Number.isFinite(lo) ? Math.min(hi, Math.max(lo, slipped)) : slipped;
    price = toPrice(st, bounded, ord.buy ? "up" : "down");
  }
  if (v.clamp) price = clampPrice(price, lo, hi);
  if (!price.gt(0)) price = st.inst.priceIncrement;
  fillCapped(v, st, ord, price, "taker");
}

/** Fills up to the volume cap; an order that is still working afterwards waits for the next step. */
export function fillCapped(
  v: SimVenue,
  st: InstState,
  ord: SimOrder,
  price: Decimal,
  liquidity: LiquiditySide,
): void {
  let qty = ord.leaves;
  if (st.volLeft !== Number.POSITIVE_INFINITY) {
    const cap = st.volLeft > 0 ? roundToIncrement(D(st.volLeft), st.inst.sizeIncrement, "down") : ZERO;
    if (cap.lt(qty)) qty = cap;
  }
  const fok = ord.tif === "FOK";
  if (fok && qty.lt(ord.leaves)) {
    venueCancel(v, ord);
    return;
  }
  if (!qty.gt(0)) {
    ord.blockedStep = v.step;
    return;
  }
  fill(v, ord, price, qty, liquidity, fok);
  if (ord.idx >= 0) ord.blockedStep = v.step;
}
