/**
 * Matching against public trades and an L2 book. A trade print fires market orders, arrivals
 * marketable at the print, resting limits it trades through (or reaches, after the queue ahead,
 * in book mode) and stops it reaches; with a book, takers walk its levels. A book change fills
 * resting limits the book now crosses, as maker.
 */
import type { Trade } from "@gpt/core";
import { D, roundToIncrement } from "@gpt/quantize";
import type { Book } from "./book.js";
import { fill, fillCapped, takeAt } from "./fill.js";
import { triggerOrder, venueCancel } from "./lifecycle.js";
import { liquidate } from "./liquidation.js";
import { toPrice } from "./pricing.js";
import { type InstState, type SimOrder, ZERO } from "./state.js";
import type { SimVenue } from "./venue.js";

/** Arrival check in trade mode (with a book, arrivals were matched against it when accepted). */
function freshTrade(v: SimVenue, st: InstState, ord: SimOrder): boolean {
  if (ord.restedStep === v.step) return false;
  if (ord.activatedStep === v.step) return true;
  return st.book?.active !== true && ord.liveAt > st.prevTradeTs;
}

/** Matches the orders of `st` against one trade print. */
export function matchTrade(v: SimVenue, st: InstState, tr: Trade): void {
  if (st.dirty) st.recompute();
  const p = tr.price;
  const ts = tr.tsEvent;
  v.step++;
  st.volLeft = v.participation > 0 ? v.participation * tr.size : Number.POSITIVE_INFINITY;
  let tradeLeft = tr.size;
  const cands = v.cands;
  cands.length = 0;
  for (const ord of st.orders) {
    if (ord.liveAt >= ts) continue;
    if (ord.dir === 0 || ord.isIocFok || (ord.dir < 0 ? p <= ord.level : p >= ord.level)) cands.push(ord);
  }
  v.inPath = true;
  v.stepStart = ts;
  const book = st.book?.active === true ? st.book : undefined;
  try {
    for (let guard = 0; guard < 100_000; guard++) {
      let best: SimOrder | undefined;
      for (const ord of cands) {
        if (ord.idx < 0 || ord.blockedStep === v.step) continue;
        if (!tradeFires(v, st, ord, p, tr.aggressorSide)) {
          ord.restedStep = v.step;
          continue;
        }
        if (best === undefined || ord.seq < best.seq) best = ord;
      }
      if (st.liqActive) {
        const L = v.account.liqLevel(st);
        if (st.qN > 0 ? p <= L : p >= L) {
          liquidate(v, st, p, L, Number.NaN, Number.NaN);
          continue;
        }
      }
      if (best === undefined) break;
      const ord = best;
      const fresh = freshTrade(v, st, ord);
      if ((ord.kind === "stop" || ord.kind === "stop-limit") && !ord.triggered) {
        triggerOrder(v, ord);
        if (ord.kind === "stop-limit") {
          ord.activatedStep = v.step;
          ord.restedStep = -1;
          continue;
        }
      }
      if (ord.dir === 0) {
        if (book !== undefined) walkBook(v, st, ord, book, Number.NaN);
        else takeAt(v, st, ord, p, Number.NaN, Number.NaN, st.absRetEwma);
        if (ord.idx >= 0) ord.blockedStep = v.step;
        continue;
      }
      if (fresh && !ord.postOnly) {
        if (book !== undefined) walkBook(v, st, ord, book, ord.priceN);
        else fillCapped(v, st, ord, toPrice(st, p, "half-even"), "taker");
        if (ord.idx >= 0) ord.blockedStep = v.step;
        continue;
      }
      // A resting limit: the print trades through it, or at it after the queue ahead.
      let avail = tradeLeft;
      if (p === ord.level && book !== undefined && v.queueModel) {
        avail = Math.max(0, tradeLeft - ord.queueAhead);
        ord.queueAhead = Math.max(0, ord.queueAhead - tradeLeft);
      }
      let qty = ord.leaves;
      const cap = roundToIncrement(
        D(Math.max(0, Math.min(avail, st.volLeft))),
        st.inst.sizeIncrement,
        "down",
      );
      if (cap.lt(qty)) qty = cap;
      const filled = qty.gt(0) ? fill(v, ord, ord.price!, qty, "maker") : ZERO;
      tradeLeft -= filled.toNumber();
      if (ord.idx >= 0) ord.blockedStep = v.step;
    }
    for (const ord of cands)
      if (ord.idx >= 0 && ord.isIocFok && ord.liveAt > st.prevTradeTs) venueCancel(v, ord);
  } finally {
    v.inPath = false;
    cands.length = 0;
  }
}

function tradeFires(
  v: SimVenue,
  st: InstState,
  ord: SimOrder,
  p: number,
  aggressor: Trade["aggressorSide"],
): boolean {
  if (ord.dir === 0) return true;
  const L = ord.level;
  if (!ord.limitType) return ord.dir < 0 ? p <= L : p >= L;
  if (freshTrade(v, st, ord)) return ord.buy ? p <= L : p >= L;
  if (ord.buy ? p < L : p > L) return true;
  if (p !== L) return false;
  // Exactly at our price: only a print by the other side can reach us.
  const contra = ord.buy ? aggressor !== "buy" : aggressor !== "sell";
  if (!contra) return false;
  if (st.book?.active === true && v.queueModel) return true;
  return !v.through;
}

/** Matches an order that became live while a book is present. */
export function matchBookArrival(v: SimVenue, st: InstState, o: SimOrder): void {
  const book = st.book!;
  if (o.dir === 0) {
    walkBook(v, st, o, book, Number.NaN);
  } else if (o.limitType && !o.postOnly) {
    const marketable = o.buy ? book.bestAsk() <= o.priceN : book.bestBid() >= o.priceN;
    if (marketable) walkBook(v, st, o, book, o.priceN);
  }
  if (o.idx < 0) return;
  if (o.isIocFok) {
    venueCancel(v, o);
    return;
  }
  if (o.limitType) o.queueAhead = v.queueModel ? book.sizeAt(o.buy, o.priceN) : 0;
}

/** Takes liquidity level by level (up to `limit` if finite). FOK needs the whole quantity. */
function walkBook(v: SimVenue, st: InstState, o: SimOrder, book: Book, limit: number): void {
  const levels = o.buy ? book.asks : book.bids;
  const bound = Number.isFinite(limit) ? limit : o.buy ? Number.POSITIVE_INFINITY : 0;
  if (o.tif === "FOK" && book.depthUpTo(o.buy, bound) < o.leaves.toNumber() - 1e-12) {
    venueCancel(v, o);
    return;
  }
  while (o.idx >= 0 && levels.length > 0) {
    const lvl = levels[0]!;
    if (o.buy ? lvl.price > bound : lvl.price < bound) break;
    let qty = roundToIncrement(D(lvl.size), st.inst.sizeIncrement, "down");
    if (qty.gt(o.leaves)) qty = o.leaves;
    if (!qty.gt(0)) {
      levels.shift();
      continue;
    }
    const filled = fill(v, o, toPrice(st, lvl.price, o.buy ? "up" : "down"), qty, "taker");
    if (filled.isZero()) break;
    book.consume(!o.buy, lvl.price, filled.toNumber());
    if (filled.lt(qty)) break;
  }
}

/** After a book snapshot or delta: resting limits the book now crosses fill at their price (maker). */
export function afterBookChange(v: SimVenue, st: InstState): void {
  const book = st.book!;
  if (st.dirty) st.recompute();
  v.step++;
  const bestAsk = book.bestAsk();
  const bestBid = book.bestBid();
  const resting = st.orders.filter((o) => o.limitType && o.liveAt <= v.time).sort((a, b) => a.seq - b.seq);
  for (const o of resting) {
    if (o.idx < 0) continue;
    if (v.queueModel) o.queueAhead = Math.min(o.queueAhead, book.sizeAt(o.buy, o.priceN));
    const crossed = o.buy ? bestAsk <= o.priceN : bestBid >= o.priceN;
    if (!crossed) continue;
    // Public orders now cross ours: they would have matched us at our price (we were resting).
    let avail = roundToIncrement(D(book.depthUpTo(o.buy, o.priceN)), st.inst.sizeIncrement, "down");
    if (avail.gt(o.leaves)) avail = o.leaves;
    if (!avail.gt(0)) continue;
    const filled = fill(v, o, o.price!, avail, "maker");
    let left = filled.toNumber();
    const levels = o.buy ? book.asks : book.bids;
    while (left > 1e-12 && levels.length > 0) {
      const lvl = levels[0]!;
      const take = Math.min(left, lvl.size);
      book.consume(!o.buy, lvl.price, take);
      left -= take;
    }
  }
}
