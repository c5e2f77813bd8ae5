/**
 * Prices and fees: numbers from market data onto the instrument's tick, the reference price an
 * arriving order meets, the estimate an order's reservation is made at, and the fee context.
 */
import type { LiquiditySide } from "@gpt/core";
import { D, type Decimal, roundToIncrement } from "@gpt/quantize";
import type { FeeContext } from "../fees.js";
import type { InstState, SimOrder } from "./state.js";
import type { SimVenue } from "./venue.js";

const ONE = D(1);

/** A market-data price as a booked price on the tick (`mode` rounds off-tick prices); at least one tick. */
export function toPrice(st: InstState, px: number, mode: "half-even" | "up" | "down"): Decimal {
  const d = D(px);
  const inc = st.inst.priceIncrement;
  if (d.mod(inc).isZero()) return d;
  const r = roundToIncrement(d, inc, mode);
  return r.gt(0) ? r : inc;
}

/** `price` moved into `[lo, hi]` (unchanged when the range is not finite). */
export function clampPrice(price: Decimal, lo: number, hi: number): Decimal {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return price;
  const dl = D(lo);
  if (price.lt(dl)) return dl;
  const dh = D(hi);
  if (price.gt(dh)) return dh;
  return price;
}

/** The price an arriving order would trade against: book best, quote, else last price. */
export function refPrice(st: InstState, buy: boolean): number {
  if (st.book?.active === true) {
    const p = buy ? st.book.bestAsk() : st.book.bestBid();
    if (Number.isFinite(p)) return p;
  }
  const q = buy ? st.quoteAsk : st.quoteBid;
  if (Number.isFinite(q) && q > 0) return q;
  return st.lastPrice;
}

/** Price used to estimate what an order will cost (limit, trigger, or last ± buffer). */
export function estimatePrice(v: SimVenue, o: SimOrder): Decimal | undefined {
  if (o.kind === "limit" || o.kind === "stop-limit") return o.price;
  const buffer = o.buy ? ONE.plus(v.marketBuffer) : ONE.minus(v.marketBuffer);
  if (o.kind === "stop") return o.buy ? o.trigger!.mul(buffer) : o.trigger;
  const ref = refPrice(o.inst, o.buy);
  if (!Number.isFinite(ref) || ref <= 0) return undefined;
  return D(ref).mul(buffer);
}

/** What the fee model is told about an execution. */
export function feeContext(
  v: SimVenue,
  st: InstState,
  buy: boolean,
  quantity: Decimal,
  price: Decimal,
  liquiditySide: LiquiditySide,
): FeeContext {
  return {
    instrument: st.inst,
    side: buy ? "buy" : "sell",
    quantity,
    price,
    notional: quantity.mul(price).mul(st.cs),
    liquiditySide,
    tsEvent: v.time,
  };
}

/** The fee of an execution under the engine's fee model. */
export function commission(
  v: SimVenue,
  st: InstState,
  buy: boolean,
  quantity: Decimal,
  price: Decimal,
  liquidity: LiquiditySide,
): Decimal {
  return v.fees.commission(feeContext(v, st, buy, quantity, price, liquidity));
}
