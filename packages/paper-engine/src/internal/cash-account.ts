/**
 * The cash account (spot): a balance per currency, each with the amount locked by open orders.
 * A buy holds its quote cost plus the taker fee at an estimated price, a sell holds its base
 * quantity; the legs of a spot bracket share one base-currency hold. Fills are clipped to what
 * the balances can pay. Equity is valued in the first instrument's quote currency.
 */
import type {
  AccountId,
  AccountState,
  Balance,
  Instrument,
  LiquiditySide,
  OrderFilled,
  OrderSpec,
  UnixMillis,
  Venue,
} from "@gpt/core";
import { applyFill, isTerminalStatus } from "@gpt/core";
import { D, type Decimal, roundToIncrement } from "@gpt/quantize";
import { PaperEngineError } from "../errors.js";
import type { PositionSnapshot } from "../types.js";
import {
  type AccountHost,
  type AccountValuation,
  booked,
  type FillFunding,
  maxD,
  minD,
  type OrderSettings,
  type Rejection,
  type VenueAccount,
} from "./account.js";
import { type BracketGroup, type InstState, type SimOrder, ZERO } from "./state.js";

const ONE = D(1);

interface CashBalance {
  total: Decimal;
  locked: Decimal;
}

/** The cash (spot) implementation of `VenueAccount`. */
export class CashAccount implements VenueAccount {
  readonly equityCurrency: string;
  readonly liquidationFees: Decimal = ZERO;
  readonly deficitCovered: Decimal = ZERO;
  readonly #host: AccountHost;
  readonly #accountId: AccountId;
  readonly #venue: Venue;
  readonly #balances = new Map<string, CashBalance>();

  constructor(
    host: AccountHost,
    accountId: AccountId,
    venue: Venue,
    initial: ReadonlyMap<string, Decimal>,
    firstInstrument: Instrument,
  ) {
    this.#host = host;
    this.#accountId = accountId;
    this.#venue = venue;
    for (const [c, total] of initial) this.#balances.set(c, { total, locked: ZERO });
    for (const st of host.insts.values()) {
      for (const c of [st.inst.baseCurrency, st.inst.quoteCurrency]) {
        if (!this.#balances.has(c)) this.#balances.set(c, { total: ZERO, locked: ZERO });
      }
    }
    this.equityCurrency = firstInstrument.quoteCurrency;
  }

  #balance(ccy: string): CashBalance {
    let b = this.#balances.get(ccy);
    if (b === undefined) {
      b = { total: ZERO, locked: ZERO };
      this.#balances.set(ccy, b);
    }
    return b;
  }

  /** Spot legs sell what the entry bought: they are not reduce-only at the venue. */
  legSpec(spec: OrderSpec): OrderSpec {
    return { ...spec, reduceOnly: false };
  }

  reducible(): undefined {
    return undefined;
  }

  setMarginType(): string {
    return "cash accounts have no margin type";
  }

  orderSettings(o: SimOrder): OrderSettings {
    return { leverage: o.inst.leverage, marginType: o.inst.marginType };
  }

  reserve(o: SimOrder): Rejection | undefined {
    const st = o.inst;
    if (o.group !== undefined && o.role !== "entry") return undefined; // legs use the group's hold
    const qty = o.state.quantity;
    let hold: Decimal;
    let ccy: string;
    if (o.buy) {
      const px = this.#host.estimatePrice(o);
      if (px === undefined)
        return { reason: "no market price known yet for a market order", code: "NO_PRICE" };
      const fee = this.#host.commission(st, true, qty, px, "taker");
      hold = booked(qty.mul(px).plus(fee.gt(0) ? fee : ZERO), D.ROUND_UP);
      ccy = st.inst.quoteCurrency;
    } else {
      hold = qty;
      ccy = st.inst.baseCurrency;
    }
    const b = this.#balance(ccy);
    const free = b.total.minus(b.locked);
    if (hold.gt(free)) {
      return {
        reason: `insufficient ${ccy} balance: need ${hold.toString()}, free ${free.toString()}`,
        code: "INSUFFICIENT_FUND",
      };
    }
    b.locked = b.locked.plus(hold);
    o.hold = hold;
    o.holdCcy = ccy;
    return undefined;
  }

  release(o: SimOrder): void {
    if (o.hold.gt(0)) {
      const b = this.#balance(o.holdCcy);
      b.locked = maxD(ZERO, b.locked.minus(o.hold));
      o.hold = ZERO;
    }
  }

  restore(o: SimOrder, hold: Decimal): void {
    if (hold.gt(0)) {
      const b = this.#balance(o.holdCcy);
      b.locked = b.locked.plus(hold);
      o.hold = hold;
    }
  }

  /**
   * Funds a spot fill from the free balance plus the order's own hold (and, for bracket legs, the
   * group's shared hold), clipping the quantity to what fits; undefined when nothing fits.
   */
  fund(
    ord: SimOrder,
    qty: Decimal,
    price: Decimal,
    fee: Decimal,
    liquidity: LiquiditySide,
  ): FillFunding | undefined {
    const st = ord.inst;
    const g = ord.group !== undefined && ord.role !== "entry" ? ord.group : undefined;
    const groupHold = g === undefined ? ZERO : g.hold;
    const b = this.#balance(ord.buy ? st.inst.quoteCurrency : st.inst.baseCurrency);
    const avail = b.total.minus(b.locked).plus(ord.hold).plus(groupHold);
    const need = (q: Decimal, f: Decimal) => (ord.buy ? q.mul(price).plus(f) : q);
    const split = (q: Decimal, f: Decimal) => {
      const n = need(q, f);
      const release = minD(ord.hold, n);
      return { qty: q, fee: f, release, groupRelease: minD(groupHold, n.minus(release)) };
    };
    if (need(qty, fee).lte(avail)) return split(qty, fee);
    const inc = st.inst.sizeIncrement;
    let q: Decimal;
    if (ord.buy) {
      const notional = qty.mul(price);
      const rate = notional.gt(0) && fee.gt(0) ? fee.div(notional) : ZERO;
      q = roundToIncrement(maxD(avail, ZERO).div(price.mul(ONE.plus(rate))), inc, "down");
    } else q = roundToIncrement(maxD(avail, ZERO), inc, "down");
    let f = this.#host.commission(st, ord.buy, q, price, liquidity);
    while (q.gt(0) && need(q, f).gt(avail)) {
      q = q.minus(inc);
      f = this.#host.commission(st, ord.buy, q, price, liquidity);
    }
    return q.gt(0) ? split(q, f) : undefined;
  }

  consume(ord: SimOrder, _qty: Decimal, funding: FillFunding): void {
    if (funding.release.gt(0)) {
      const b = this.#balance(ord.holdCcy);
      b.locked = maxD(ZERO, b.locked.minus(funding.release));
      ord.hold = maxD(ZERO, ord.hold.minus(funding.release));
    }
    if (funding.groupRelease.gt(0) && ord.group !== undefined) {
      const b = this.#balance(ord.inst.inst.baseCurrency);
      b.locked = maxD(ZERO, b.locked.minus(funding.groupRelease));
      ord.group.hold = maxD(ZERO, ord.group.hold.minus(funding.groupRelease));
    }
  }

  bookFill(st: InstState, fill: OrderFilled): void {
    st.position = applyFill(st.position, fill, { contractSize: st.cs, currency: st.settle });
    const base = this.#balance(st.inst.baseCurrency);
    const quote = this.#balance(st.inst.quoteCurrency);
    const value = fill.lastQty.mul(fill.lastPrice);
    if (fill.side === "buy") {
      base.total = base.total.plus(fill.lastQty);
      quote.total = quote.total.minus(value).minus(fill.commission);
    } else {
      base.total = base.total.minus(fill.lastQty);
      quote.total = quote.total.plus(value).minus(fill.commission);
    }
  }

  positionChanged(): void {
    // Spot positions are not watched for liquidation and need no float mirrors.
  }

  /** Spot brackets: the legs (sells of what the entry bought) share one base-currency hold. */
  groupHoldChanged(g: BracketGroup): void {
    if (g.entry.buy === false) return;
    const st = g.entry.inst;
    const legsOpen = [g.takeProfit, g.stopLoss].some(
      (l) => !isTerminalStatus(l.state.status) && l.state.status !== "initialized",
    );
    const target = legsOpen ? g.remaining : ZERO;
    const b = this.#balance(st.inst.baseCurrency);
    const delta = target.minus(g.hold);
    if (delta.gt(0)) {
      const free = b.total.minus(b.locked);
      const add = minD(delta, maxD(free, ZERO));
      b.locked = b.locked.plus(add);
      g.hold = g.hold.plus(add);
    } else if (delta.lt(0)) {
      b.locked = maxD(ZERO, b.locked.plus(delta));
      g.hold = target;
    }
  }

  liqLevel(): number {
    return Number.NaN;
  }

  liquidationPrice(): Decimal | undefined {
    return undefined;
  }

  payFunding(): "none" {
    return "none";
  }

  bookLiquidation(st: InstState): Decimal {
    throw new PaperEngineError("invalid-request", `a cash account has no liquidations (${st.id})`);
  }

  liquidationSweep(): readonly InstState[] {
    return [];
  }

  coverDeficit(): Decimal {
    return ZERO;
  }

  recordDeficit(): void {
    // A cash account never owes more than it holds.
  }

  valuation(): AccountValuation {
    let equity = ZERO;
    const unvalued: string[] = [];
    for (const b of this.#balanceList()) {
      if (b.currency === this.equityCurrency) {
        equity = equity.plus(b.total);
        continue;
      }
      if (b.total.isZero()) continue;
      const st = [...this.#host.insts.values()].find(
        (s) =>
          s.inst.baseCurrency === b.currency &&
          s.inst.quoteCurrency === this.equityCurrency &&
          s.valPrice > 0,
      );
      if (st === undefined) unvalued.push(b.currency);
      else equity = equity.plus(b.total.mul(D(st.valPrice)));
    }
    return { equity, unvalued, marginUsed: ZERO, maintenanceMargin: ZERO, freeMargin: ZERO };
  }

  state(time: UnixMillis): AccountState {
    return {
      accountId: this.#accountId,
      venue: this.#venue,
      accountType: "cash",
      balances: this.#balanceList(),
      margins: [],
      tsEvent: time,
    };
  }

  positionMargin(): Partial<PositionSnapshot> {
    return {};
  }

  #balanceList(): Balance[] {
    const out: Balance[] = [];
    for (const [currency, b] of this.#balances)
      out.push({ currency, total: b.total, locked: b.locked, free: b.total.minus(b.locked) });
    return out;
  }
}
