/**
 * Matching against bars. A bar is walked as open → nearer extreme → farther extreme → close;
 * orders live since the bar's open fire where the path reaches their level (earliest first, then
 * by arrival), and so does the liquidation threshold of an open margin position. Fills are
 * stamped at the bar's close. See the README's fill rules.
 */
import type { Bar, LiquiditySide } from "@gpt/core";
import type { Decimal } from "@gpt/quantize";
import { PaperEngineError } from "../errors.js";
import { maxD, minD } from "./account.js";
import { fillCapped, takeAt } from "./fill.js";
import { runFunding } from "./funding.js";
import { expire, triggerOrder, venueCancel } from "./lifecycle.js";
import { liquidate } from "./liquidation.js";
import { clampPrice, toPrice } from "./pricing.js";
import type { InstState, SimOrder } from "./state.js";
import type { SimVenue } from "./venue.js";

/** Everything one bar does: due delayed actions, expiry, the path, prices, funding. */
export function processBar(v: SimVenue, st: InstState, bar: Bar): void {
  const tOpen = bar.tsOpen;
  const tEnd = bar.tsEvent;
  if (!(bar.low <= bar.high)) {
    throw new PaperEngineError("invalid-data", `bar of ${st.id} at ${tOpen}: low above high`);
  }
  if (v.nextTimed <= tOpen) v.runTimed(tOpen);
  // barArrivalFill "arrival-bar-open": orders arriving inside this bar are accepted before its path.
  if (v.arrivalBarOpen && v.nextTimed < tEnd) v.runArrivals(st, tEnd);
  if (st.dirty) st.recompute();
  if (st.minExpire < tEnd) expire(v, st, tEnd, true);
  v.advance(tEnd);
  if (st.orders.length > 0 || st.liqActive) matchBar(v, st, bar);
  st.lastPrice = bar.close;
  if (tEnd >= st.valTs) {
    st.valPrice = bar.close;
    st.valTs = tEnd;
  }
  st.prevBarOpen = tOpen;
  st.prevBarEnd = tEnd;
  if (v.nextTimed <= tEnd) v.runTimed(tEnd);
  if (st.dirty) st.recompute();
  if (st.minExpire <= tEnd) expire(v, st, tEnd, false);
  if (st.nextFunding <= tEnd) runFunding(v, st, tEnd);
}

function matchBar(v: SimVenue, st: InstState, bar: Bar): void {
  if (st.dirty) st.recompute();
  const o = bar.open;
  const h = bar.high;
  const l = bar.low;
  let liqHit = false;
  if (st.liqActive) {
    const L = v.account.liqLevel(st);
    liqHit = st.qN > 0 ? l <= L : h >= L;
  }
  if (st.marketCount === 0 && st.iocCount === 0 && !(l <= st.maxDown) && !(h >= st.minUp) && !liqHit) return;
  v.step++;
  st.volLeft = v.participation > 0 ? v.participation * bar.volume : Number.POSITIVE_INFINITY;
  const cands = v.cands;
  cands.length = 0;
  const tOpen = bar.tsOpen;
  for (const ord of st.orders) {
    if (ord.liveAt > tOpen) continue;
    if (ord.dir === 0 || ord.isIocFok || (ord.dir < 0 ? l <= ord.level : h >= ord.level)) cands.push(ord);
  }
  if (cands.length === 0 && !liqHit) return;
  v.inPath = true;
  v.stepStart = tOpen;
  try {
    v.pathVol = o > 0 ? (h - l) / o : 0;
    // The open: market orders, gaps through triggers and limits, arrivals marketable at the open.
    runPath(v, st, o, o, 0, l, h);
    for (const ord of cands) {
      if (ord.idx >= 0 && ord.isIocFok) venueCancel(v, ord);
      ord.restedStep = v.step;
    }
    const dLow = o - l;
    const dHigh = h - o;
    const lowFirst = dLow < dHigh || (dLow === dHigh && v.lowFirst);
    const p1 = lowFirst ? l : h;
    const p2 = lowFirst ? h : l;
    runPath(v, st, o, p1, Math.sign(p1 - o), l, h);
    runPath(v, st, p1, p2, Math.sign(p2 - p1), l, h);
    runPath(v, st, p2, bar.close, Math.sign(bar.close - p2), l, h);
  } finally {
    v.inPath = false;
    cands.length = 0;
  }
}

/** Whether a bar-mode order is still in its arrival (it has not rested yet). */
function fresh(v: SimVenue, st: InstState, ord: SimOrder): boolean {
  return ord.restedStep !== v.step && (ord.activatedStep === v.step || ord.liveAt > st.prevBarOpen);
}

/** 0 if the order fires at `cur`, the distance along the segment to where it fires, or Infinity. */
function firePos(v: SimVenue, st: InstState, ord: SimOrder, cur: number, to: number, dir: number): number {
  if (ord.dir === 0) return 0;
  const L = ord.level;
  const strict = ord.limitType && v.through && !fresh(v, st, ord);
  if (ord.dir < 0) {
    if (strict ? L > cur : L >= cur) return 0;
    if (dir < 0 && (strict ? L > to : L >= to)) return cur - L;
    return Number.POSITIVE_INFINITY;
  }
  if (strict ? L < cur : L <= cur) return 0;
  if (dir > 0 && (strict ? L < to : L <= to)) return L - cur;
  return Number.POSITIVE_INFINITY;
}

/** Processes every event on the path segment `from → to`, earliest first. */
function runPath(
  v: SimVenue,
  st: InstState,
  from: number,
  to: number,
  dir: number,
  lo: number,
  hi: number,
): void {
  let cur = from;
  const cands = v.cands;
  for (let guard = 0; guard < 100_000; guard++) {
    let best: SimOrder | undefined;
    let bestPos = Number.POSITIVE_INFINITY;
    for (let i = 0; i < cands.length; i++) {
      const ord = cands[i]!;
      if (ord.idx < 0 || ord.blockedStep === v.step) continue;
      const pos = firePos(v, st, ord, cur, to, dir);
      if (pos !== 0) ord.restedStep = v.step;
      if (pos < bestPos || (pos === bestPos && best !== undefined && ord.seq < best.seq)) {
        best = ord;
        bestPos = pos;
      }
    }
    if (st.liqActive) {
      const L = v.account.liqLevel(st);
      let liqPos = Number.POSITIVE_INFINITY;
      if (st.qN > 0) {
        if (L >= cur) liqPos = 0;
        else if (dir < 0 && L >= to) liqPos = cur - L;
      } else if (L <= cur) liqPos = 0;
      else if (dir > 0 && L <= to) liqPos = L - cur;
      if (liqPos < bestPos) {
        const px = liqPos === 0 ? cur : L;
        liquidate(v, st, px, L, lo, hi);
        cur = px;
        continue;
      }
    }
    if (best === undefined) return;
    const px = bestPos === 0 ? cur : best.level;
    cur = px;
    fireBar(v, st, best, px, bestPos === 0, lo, hi);
  }
  throw new PaperEngineError("invalid-data", `bar path of ${st.id} did not settle`);
}

function fireBar(
  v: SimVenue,
  st: InstState,
  ord: SimOrder,
  px: number,
  atCur: boolean,
  lo: number,
  hi: number,
): void {
  const isFresh = atCur && fresh(v, st, ord);
  if ((ord.kind === "stop" || ord.kind === "stop-limit") && !ord.triggered) {
    triggerOrder(v, ord);
    if (ord.kind === "stop-limit") {
      // Now a limit order arriving at this point of the path.
      ord.activatedStep = v.step;
      ord.restedStep = -1;
      return;
    }
    takeAt(v, st, ord, px, lo, hi, v.pathVol);
    return;
  }
  if (ord.dir === 0) {
    takeAt(v, st, ord, px, lo, hi, v.pathVol);
    return;
  }
  // A limit: at its price, or at the better current price (a gap, or marketable on arrival).
  let price: Decimal;
  if (px === ord.level) price = ord.price!;
  else {
    price = toPrice(st, px, "half-even");
    price = ord.buy ? minD(price, ord.price!) : maxD(price, ord.price!);
    price = clampPrice(price, lo, hi);
  }
  const liquidity: LiquiditySide = isFresh && !ord.postOnly ? "taker" : "maker";
  fillCapped(v, st, ord, price, liquidity);
}
