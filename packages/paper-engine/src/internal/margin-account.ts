/**
 * The margin account (derivatives): one collateral currency. Cash moves by realized PnL, fees and
 * funding; open orders reserve initial margin; cross positions share the cash, isolated ones
 * carry their own margin. Positions are watched for liquidation with float mirrors of quantity,
 * cost basis and cash (`liqLevel`), and valued exactly for snapshots (`liquidationPrice`).
 */
import {
  type AccountId,
  type AccountState,
  applyFill,
  applyFunding,
  fundingPayment,
  type MarginBalance,
  type MarginType,
  type OrderFilled,
  type OrderSpec,
  type Position,
  type UnixMillis,
  unrealizedPnl,
  type Venue,
} from "@gpt/core";
import { D, type Decimal } from "@gpt/quantize";
import type { PositionSnapshot } from "../types.js";
import {
  type AccountHost,
  type AccountValuation,
  booked,
  type FillFunding,
  type FundingPaid,
  markOf,
  maxD,
  minD,
  type OrderSettings,
  type Rejection,
  type VenueAccount,
} from "./account.js";
import { InstState, type SimOrder, ZERO } from "./state.js";

/** The margin (derivatives) implementation of `VenueAccount`. */
export class MarginAccount implements VenueAccount {
  readonly equityCurrency: string;
  /** The collateral currency. */
  readonly collateral: string;
  /** Cash balance of the collateral (isolated margin excluded). */
  cash: Decimal;
  liquidationFees: Decimal = ZERO;
  deficitCovered: Decimal = ZERO;
  readonly #host: AccountHost;
  readonly #accountId: AccountId;
  readonly #venue: Venue;
  #cashN: number;
  #ordersMargin: Decimal = ZERO;
  #crossOpen: InstState[] = [];

  constructor(host: AccountHost, accountId: AccountId, venue: Venue, collateral: string, cash: Decimal) {
    this.#host = host;
    this.#accountId = accountId;
    this.#venue = venue;
    this.collateral = collateral;
    this.equityCurrency = collateral;
    this.cash = cash;
    this.#cashN = cash.toNumber();
  }

  legSpec(spec: OrderSpec): OrderSpec {
    return spec;
  }

  reducible(o: SimOrder): Decimal | undefined {
    if (!o.reduceOnly) return undefined;
    const pos = o.inst.position?.quantity ?? ZERO;
    return !pos.isZero() && pos.gt(0) !== o.buy ? pos.abs() : ZERO;
  }

  setMarginType(st: InstState, marginType: MarginType): string | undefined {
    if (st.qN !== 0 || st.orders.length > 0) return "cannot change the margin type with a position or orders";
    st.marginType = marginType;
    return undefined;
  }

  orderSettings(o: SimOrder): Rejection | OrderSettings {
    const st = o.inst;
    let leverage = st.leverage;
    let marginType = st.marginType;
    if (o.spec.marginType !== undefined && o.spec.marginType !== st.marginType) {
      if (st.qN !== 0 || st.orders.length > 0) {
        return { reason: "cannot change the margin type with a position or orders", code: "MARGIN_TYPE" };
      }
      marginType = o.spec.marginType;
    }
    if (o.spec.leverage !== undefined && !o.spec.leverage.eq(st.leverage)) {
      if (marginType === "isolated" && st.qN !== 0) {
        return { reason: "cannot change the leverage of an open isolated position", code: "LEVERAGE" };
      }
      leverage = o.spec.leverage;
    }
    if (o.reduceOnly && (st.qN === 0 || st.qN > 0 === o.buy)) {
      return { reason: "reduce-only order would open or increase a position", code: "REDUCE_ONLY" };
    }
    return { leverage, marginType };
  }

  reserve(o: SimOrder, settings: OrderSettings): Rejection | undefined {
    const st = o.inst;
    const failure = this.#reserveMargin(o, settings.leverage);
    if (failure !== undefined) return failure;
    if (!settings.leverage.eq(st.leverage) || settings.marginType !== st.marginType) {
      st.leverage = settings.leverage;
      st.imr = InstState.effectiveImr(st.inst, settings.leverage);
      st.marginType = settings.marginType;
    }
    return undefined;
  }

  #reserveMargin(o: SimOrder, leverage: Decimal): Rejection | undefined {
    const st = o.inst;
    if (o.reduceOnly) return undefined;
    const px = this.#host.estimatePrice(o);
    if (px === undefined) return { reason: "no market price known yet for a market order", code: "NO_PRICE" };
    const qty = o.state.quantity;
    const pos = st.position?.quantity ?? ZERO;
    const opposite = !pos.isZero() && pos.gt(0) !== o.buy;
    const inc = opposite ? maxD(ZERO, qty.minus(pos.abs())) : qty;
    const imr = InstState.effectiveImr(st.inst, leverage);
    const im = booked(inc.mul(px).mul(st.cs).mul(imr), D.ROUND_UP);
    const fee = this.#host.commission(st, o.buy, qty, px, "taker");
    const need = im.plus(fee.gt(0) ? fee : ZERO);
    const free = this.availableMargin();
    if (need.gt(free)) {
      return {
        reason: `insufficient margin: need ${need.toString()}, free ${free.toString()}`,
        code: "INSUFFICIENT_FUND",
      };
    }
    o.margin = im;
    this.#ordersMargin = this.#ordersMargin.plus(im);
    return undefined;
  }

  release(o: SimOrder): void {
    if (o.margin.gt(0)) {
      this.#ordersMargin = maxD(ZERO, this.#ordersMargin.minus(o.margin));
      o.margin = ZERO;
    }
  }

  restore(o: SimOrder, _hold: Decimal, margin: Decimal): void {
    if (margin.gt(0)) {
      this.#ordersMargin = this.#ordersMargin.plus(margin);
      o.margin = margin;
    }
  }

  fund(_o: SimOrder, qty: Decimal, _price: Decimal, fee: Decimal): FillFunding {
    return { qty, fee, release: ZERO, groupRelease: ZERO };
  }

  consume(ord: SimOrder, qty: Decimal): void {
    if (ord.margin.gt(0)) {
      const leaves = ord.leaves;
      const rel = qty.gte(leaves) ? ord.margin : booked(ord.margin.mul(qty).div(leaves));
      ord.margin = ord.margin.minus(rel);
      this.#ordersMargin = maxD(ZERO, this.#ordersMargin.minus(rel));
    }
  }

  bookFill(st: InstState, fill: OrderFilled): void {
    const before = st.position;
    const after = applyFill(before, fill, { contractSize: st.cs, currency: st.settle });
    st.position = after;
    const realized = after.realizedPnl.minus(before?.realizedPnl ?? ZERO);
    if (st.marginType === "isolated") {
      const qb = before?.quantity ?? ZERO;
      const qa = after.quantity;
      const absB = qb.abs();
      const absA = qa.abs();
      const sameSide = qb.isZero() || qa.isZero() || qb.gt(0) === qa.gt(0);
      if (sameSide && absA.gt(absB)) {
        const add = booked(absA.minus(absB).mul(fill.lastPrice).mul(st.cs).mul(st.imr));
        st.isoMargin = st.isoMargin.plus(add);
        this.cash = this.cash.minus(add);
      } else if (sameSide) {
        const released = qa.isZero() ? st.isoMargin : booked(st.isoMargin.mul(absB.minus(absA)).div(absB));
        st.isoMargin = st.isoMargin.minus(released);
        this.cash = this.cash.plus(released);
      } else {
        this.cash = this.cash.plus(st.isoMargin);
        st.isoMargin = booked(absA.mul(fill.lastPrice).mul(st.cs).mul(st.imr));
        this.cash = this.cash.minus(st.isoMargin);
      }
    }
    this.cash = this.cash.plus(realized).minus(fill.commission);
    this.positionChanged(st);
  }

  positionChanged(st: InstState): void {
    const p = st.position;
    const wasOpen = st.liqActive;
    st.qN = p === undefined ? 0 : p.quantity.toNumber();
    st.kN = p === undefined ? 0 : p.costBasis.toNumber();
    st.isoN = st.isoMargin.toNumber();
    this.#cashN = this.cash.toNumber();
    st.liqActive = st.qN !== 0;
    if (wasOpen !== st.liqActive) {
      this.#crossOpen = [...this.#host.insts.values()].filter((s) => s.liqActive && s.marginType === "cross");
    }
  }

  groupHoldChanged(): void {
    // Margin brackets reserve nothing for their legs (they only reduce the position).
  }

  /** Cash minus order margin plus the unrealized PnL and minus the initial margin of cross positions. */
  availableMargin(): Decimal {
    let free = this.cash.minus(this.#ordersMargin);
    for (const st of this.#host.insts.values()) {
      const p = st.position;
      if (p === undefined || p.quantity.isZero() || st.marginType !== "cross") continue;
      const mark = markOf(st);
      if (mark === undefined) continue;
      free = free.plus(unrealizedPnl(p, mark)).minus(p.quantity.abs().mul(mark).mul(st.cs).mul(st.imr));
    }
    return free;
  }

  liqLevel(st: InstState): number {
    let other: number;
    if (st.marginType === "isolated") other = st.isoN;
    else {
      other = this.#cashN;
      for (const j of this.#crossOpen) {
        if (j === st) continue;
        const pj = j.valPrice;
        other += (j.qN * pj - j.kN) * j.csN - Math.abs(j.qN) * pj * j.csN * j.mmfN;
      }
    }
    const q = st.qN;
    const L = (other - st.kN * st.csN) / (st.csN * (Math.abs(q) * st.mmfN - q));
    if (q > 0) return L > 0 ? L : Number.NaN;
    return L;
  }

  liquidationPrice(st: InstState): Decimal | undefined {
    const p = st.position;
    if (p === undefined || p.quantity.isZero() || st.inst.kind === "spot") return undefined;
    let other: Decimal;
    if (st.marginType === "isolated") other = st.isoMargin;
    else {
      other = this.cash;
      for (const j of this.#host.insts.values()) {
        const pj = j.position;
        if (j === st || pj === undefined || pj.quantity.isZero() || j.marginType !== "cross") continue;
        const mark = markOf(j);
        if (mark === undefined) continue;
        other = other.plus(unrealizedPnl(pj, mark)).minus(pj.quantity.abs().mul(mark).mul(j.cs).mul(j.mmf));
      }
    }
    const q = p.quantity;
    const denom = st.cs.mul(q.abs().mul(st.mmf).minus(q));
    const L = other.minus(p.costBasis.mul(st.cs)).div(denom);
    return L.gt(0) ? L : undefined;
  }

  /** Pays funding on the position and books it (positive: received) on the position's margin. */
  payFunding(st: InstState, rate: Decimal, time: UnixMillis): FundingPaid | "none" | "no-price" {
    const p = st.position;
    if (p === undefined || p.quantity.isZero()) return "none";
    const mark = markOf(st);
    if (mark === undefined) return "no-price";
    const payment = fundingPayment(p, mark, rate);
    st.position = applyFunding(p, payment, time);
    if (st.marginType === "isolated") st.isoMargin = st.isoMargin.plus(payment);
    else this.cash = this.cash.plus(payment);
    this.positionChanged(st);
    return { payment, mark, quantity: p.quantity };
  }

  /**
   * Books a liquidation that took the position from `before` to `after` (flat) with `fee`: an
   * isolated position returns what is left of its margin (a shortfall is a deficit); a cross
   * position settles on the cash. Returns the deficit the venue covers for an isolated position.
   */
  bookLiquidation(st: InstState, before: Position, after: Position, fee: Decimal): Decimal {
    const realized = after.realizedPnl.minus(before.realizedPnl);
    let deficit = ZERO;
    if (st.marginType === "isolated") {
      const back = st.isoMargin.plus(realized).minus(fee);
      st.isoMargin = ZERO;
      if (back.gte(0)) this.cash = this.cash.plus(back);
      else deficit = back.neg();
    } else {
      this.cash = this.cash.plus(realized).minus(fee);
    }
    this.liquidationFees = this.liquidationFees.plus(fee);
    this.positionChanged(st);
    return deficit;
  }

  /** The open cross positions, to check after a cross liquidation moved the shared cash. */
  liquidationSweep(): readonly InstState[] {
    return [...this.#crossOpen];
  }

  /** With no cross position left, a negative cash is a deficit the venue covers: cash goes to 0. */
  coverDeficit(): Decimal {
    if (!this.cash.lt(0) || this.#crossOpen.length > 0) return ZERO;
    const deficit = this.cash.neg();
    this.cash = ZERO;
    this.#cashN = 0;
    return deficit;
  }

  /** Records a covered deficit. */
  recordDeficit(deficit: Decimal): void {
    if (deficit.gt(0)) this.deficitCovered = this.deficitCovered.plus(deficit);
  }

  valuation(): AccountValuation {
    const usage = this.#marginUsage();
    return {
      equity: this.#equity(),
      unvalued: [],
      marginUsed: usage.initial,
      maintenanceMargin: usage.maintenance,
      freeMargin: this.availableMargin(),
    };
  }

  #equity(): Decimal {
    let e = this.cash;
    for (const st of this.#host.insts.values()) {
      e = e.plus(st.isoMargin);
      const p = st.position;
      const mark = markOf(st);
      if (p !== undefined && !p.quantity.isZero() && mark !== undefined) e = e.plus(unrealizedPnl(p, mark));
    }
    return e;
  }

  #marginUsage(): { initial: Decimal; maintenance: Decimal; margins: MarginBalance[] } {
    let initial = this.#ordersMargin;
    let maintenance = ZERO;
    const margins: MarginBalance[] = [];
    for (const st of this.#host.insts.values()) {
      const p = st.position;
      if (p === undefined || p.quantity.isZero() || st.inst.kind === "spot") continue;
      const mark = markOf(st) ?? p.avgEntryPrice.abs();
      const notional = p.quantity.abs().mul(mark).mul(st.cs);
      const im = st.marginType === "isolated" ? st.isoMargin : notional.mul(st.imr);
      const mm = notional.mul(st.mmf);
      initial = initial.plus(im);
      maintenance = maintenance.plus(mm);
      margins.push({ currency: st.settle, initial: im, maintenance: mm, instrumentId: st.id });
    }
    return { initial, maintenance, margins };
  }

  #isolatedTotal(): Decimal {
    let t = ZERO;
    for (const st of this.#host.insts.values()) t = t.plus(st.isoMargin);
    return t;
  }

  state(time: UnixMillis): AccountState {
    const usage = this.#marginUsage();
    const cross = usage.initial.minus(this.#isolatedTotal());
    const locked = minD(maxD(cross, ZERO), maxD(this.cash, ZERO));
    return {
      accountId: this.#accountId,
      venue: this.#venue,
      accountType: "margin",
      balances: [{ currency: this.collateral, total: this.cash, locked, free: this.cash.minus(locked) }],
      margins: usage.margins,
      tsEvent: time,
    };
  }

  positionMargin(st: InstState, notional: Decimal): Partial<PositionSnapshot> {
    const liq = this.liquidationPrice(st);
    return {
      marginType: st.marginType,
      leverage: st.leverage,
      initialMargin: st.marginType === "isolated" ? st.isoMargin : notional.mul(st.imr),
      maintenanceMargin: notional.mul(st.mmf),
      ...(st.marginType === "isolated" ? { isolatedMargin: st.isoMargin } : {}),
      ...(liq === undefined ? {} : { liquidationPrice: liq }),
    };
  }
}
