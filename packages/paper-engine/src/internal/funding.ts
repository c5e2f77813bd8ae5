/**
 * Funding: rates wait per instrument until their funding time, then the account pays or
 * receives `−q × cs × mark × rate` on the position held then (`FundingApplied`, `AccountUpdated`),
 * followed by a liquidation check.
 */
import { type Decimal, type DecimalInput, parseDecimal } from "@gpt/quantize";
import { PaperEngineError } from "../errors.js";
import { emitAccountUpdate } from "./fill.js";
import { checkLiquidationAt } from "./liquidation.js";
import type { InstState, PendingFunding } from "./state.js";
import type { SimVenue } from "./venue.js";

/** Registers a rate paid at `fundingTime` (a second rate for the same time replaces the first). */
export function addFunding(st: InstState, fundingTime: number, rate: DecimalInput): void {
  if (!Number.isSafeInteger(fundingTime)) {
    throw new PaperEngineError("invalid-data", `funding time of ${st.id} is not an integer`, {
      context: { fundingTime },
    });
  }
  let r: Decimal;
  try {
    r = parseDecimal(rate, { field: "rate" });
  } catch (cause) {
    throw new PaperEngineError("invalid-data", `funding rate of ${st.id} is not a decimal`, { cause });
  }
  const list = st.fundings;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.fundingTime < fundingTime) lo = mid + 1;
    else hi = mid;
  }
  const entry: PendingFunding = { fundingTime, rate: r };
  if (list[lo]?.fundingTime === fundingTime) list[lo] = entry;
  else list.splice(lo, 0, entry);
  st.nextFunding = list[0]!.fundingTime;
}

/** Pays every funding of `st` due at or before `upTo`, in time order. */
export function runFunding(v: SimVenue, st: InstState, upTo: number): void {
  const list = st.fundings;
  let n = 0;
  while (n < list.length && list[n]!.fundingTime <= upTo) {
    const e = list[n]!;
    n++;
    v.advance(e.fundingTime);
    payFunding(v, st, e);
  }
  if (n > 0) list.splice(0, n);
  st.nextFunding = list[0]?.fundingTime ?? Number.POSITIVE_INFINITY;
}

function payFunding(v: SimVenue, st: InstState, e: PendingFunding): void {
  const paid = v.account.payFunding(st, e.rate, v.time);
  if (paid === "none") return;
  if (paid === "no-price") {
    v.logger.warn("funding skipped: no price known", { instrumentId: st.id, fundingTime: e.fundingTime });
    return;
  }
  v.emit({
    type: "FundingApplied",
    eventId: v.eventIds.next(),
    tsEvent: v.time,
    tsInit: v.time,
    accountId: v.accountId,
    instrumentId: st.id,
    rate: e.rate,
    markPrice: paid.mark,
    positionQuantity: paid.quantity,
    payment: paid.payment,
    currency: st.settle,
  });
  emitAccountUpdate(v);
  checkLiquidationAt(v, st, st.valPrice);
}
