import type {
  ClientOrderId,
  Instrument,
  InstrumentId,
  MarginType,
  Order,
  OrderSpec,
  OrderType,
  Position,
  TimeInForce,
  VenueOrderId,
} from "@gpt/core";
import { D, type Decimal } from "@gpt/quantize";
import type { Book } from "./book.js";

export const ZERO = D(0);

/** The three orders of a bracket and the quantity the legs work for. */
export class BracketGroup {
  /** Entry filled quantity minus the legs' filled quantity. */
  remaining: Decimal = ZERO;
  legsActive = false;
  /** Base currency held (spot) for the legs, shared by both (they are one-cancels-other). */
  hold: Decimal = ZERO;
  constructor(
    readonly entry: SimOrder,
    readonly takeProfit: SimOrder,
    readonly stopLoss: SimOrder,
  ) {}
}

/** Mutable working record of one order at the simulated venue. */
export class SimOrder {
  /** Arrival sequence (deterministic tie-break). */
  readonly seq: number;
  readonly coid: ClientOrderId;
  readonly inst: InstState;
  readonly spec: OrderSpec;
  /** The core snapshot; every change goes through `applyOrderEvent`. */
  state: Order;
  readonly vid: VenueOrderId;
  readonly buy: boolean;
  readonly kind: OrderType;
  readonly tif: TimeInForce;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  price: Decimal | undefined;
  priceN = Number.NaN;
  trigger: Decimal | undefined;
  triggerN = Number.NaN;
  triggered = false;
  /** -1 fires on a falling price at `level`, +1 on a rising price, 0 at once (market-type). */
  dir = 0;
  level = Number.NaN;
  /** A limit-type level (the through rule applies), as opposed to a stop trigger. */
  limitType = false;
  /** When the order became live (accepted) at the venue; bars with tsOpen >= liveAt may fill it. */
  liveAt = Number.POSITIVE_INFINITY;
  /** When a bar arrival was accepted (its `liveAt` is the arrival bar's open); NaN otherwise. */
  arrivedAt = Number.NaN;
  expireTime = Number.POSITIVE_INFINITY;
  /** Index in the instrument's working list, -1 when not working. */
  idx = -1;
  cancelPending = false;
  modifyPending = false;
  /** Amount held (spot): quote for buys, base for sells. */
  hold: Decimal = ZERO;
  holdCcy = "";
  /** Margin reserved for the order (margin accounts). */
  margin: Decimal = ZERO;
  group: BracketGroup | undefined;
  role: "entry" | "take-profit" | "stop-loss" | undefined;
  /** Book-mode queue: public size ahead of us at our price. */
  queueAhead = 0;
  blockedStep = -1;
  activatedStep = -1;
  restedStep = -1;

  constructor(seq: number, inst: InstState, spec: OrderSpec, state: Order, vid: VenueOrderId) {
    this.seq = seq;
    this.coid = spec.clientOrderId;
    this.inst = inst;
    this.spec = spec;
    this.state = state;
    this.vid = vid;
    this.buy = spec.side === "buy";
    this.kind = spec.type;
    this.tif = spec.timeInForce;
    this.postOnly = spec.type === "limit" && spec.postOnly;
    this.reduceOnly = spec.reduceOnly;
    this.price = spec.type === "limit" || spec.type === "stop-limit" ? spec.price : undefined;
    this.trigger = spec.type === "stop" || spec.type === "stop-limit" ? spec.triggerPrice : undefined;
    if (spec.expireTime !== undefined) this.expireTime = spec.expireTime;
    this.refreshLevels();
  }

  get filled(): Decimal {
    return this.state.filledQty;
  }

  get leaves(): Decimal {
    return this.state.quantity.minus(this.state.filledQty);
  }

  get isIocFok(): boolean {
    return this.tif === "IOC" || this.tif === "FOK";
  }

  /** Recomputes the numeric firing level and direction from the current prices and trigger state. */
  refreshLevels(): void {
    this.priceN = this.price === undefined ? Number.NaN : this.price.toNumber();
    this.triggerN = this.trigger === undefined ? Number.NaN : this.trigger.toNumber();
    if (this.kind === "market" || (this.kind === "stop" && this.triggered)) {
      this.dir = 0;
      this.level = Number.NaN;
      this.limitType = false;
    } else if (this.kind === "limit" || (this.kind === "stop-limit" && this.triggered)) {
      this.dir = this.buy ? -1 : 1;
      this.level = this.priceN;
      this.limitType = true;
    } else {
      this.dir = this.buy ? 1 : -1;
      this.level = this.triggerN;
      this.limitType = false;
    }
  }
}

/** Funding entries waiting for their time. */
export interface PendingFunding {
  fundingTime: number;
  rate: Decimal;
}

/** Per-instrument state. Numbers mirror the Decimal state for the per-bar path. */
export class InstState {
  readonly id: InstrumentId;
  readonly deriv: boolean;
  readonly cs: Decimal;
  readonly csN: number;
  readonly mmfN: number;
  /** Maintenance margin fraction (0 for spot). */
  readonly mmf: Decimal;
  readonly settle: string;
  /** Working orders (accepted, not finished). */
  readonly orders: SimOrder[] = [];
  marketCount = 0;
  iocCount = 0;
  maxDown = Number.NEGATIVE_INFINITY;
  minUp = Number.POSITIVE_INFINITY;
  minExpire = Number.POSITIVE_INFINITY;
  dirty = false;
  lastPrice = Number.NaN;
  /** Valuation price (latest of close, trade, mark) and its time. */
  valPrice = Number.NaN;
  valTs = Number.NEGATIVE_INFINITY;
  prevBarOpen = Number.NEGATIVE_INFINITY;
  /** Close time (`tsEvent`) of the last bar processed. */
  prevBarEnd = Number.NEGATIVE_INFINITY;
  prevTradeTs = Number.NEGATIVE_INFINITY;
  position: Position | undefined;
  /** Signed quantity and cost basis as numbers (margin liquidation checks). */
  qN = 0;
  kN = 0;
  leverage: Decimal;
  imr: Decimal;
  marginType: MarginType;
  isoMargin: Decimal = ZERO;
  isoN = 0;
  /** A margin position that can be liquidated is open. */
  liqActive = false;
  fundings: PendingFunding[] = [];
  nextFunding = Number.POSITIVE_INFINITY;
  book: Book | undefined;
  volLeft = Number.POSITIVE_INFINITY;
  quoteBid = Number.NaN;
  quoteAsk = Number.NaN;
  absRetEwma = 0;

  constructor(
    readonly inst: Instrument,
    leverage: Decimal,
    marginType: MarginType,
  ) {
    this.id = inst.id;
    this.deriv = inst.kind !== "spot";
    this.cs = inst.kind === "spot" ? D(1) : inst.contractSize;
    this.csN = this.cs.toNumber();
    this.mmf = inst.kind === "spot" ? ZERO : inst.maintenanceMarginFraction;
    this.mmfN = this.mmf.toNumber();
    this.settle = inst.settlementCurrency;
    this.leverage = leverage;
    this.imr = InstState.effectiveImr(inst, leverage);
    this.marginType = marginType;
  }

  /** Initial margin rate: the larger of the instrument's fraction and 1 / leverage. */
  static effectiveImr(inst: Instrument, leverage: Decimal): Decimal {
    const byLev = D(1).div(leverage);
    if (inst.kind === "spot") return byLev;
    return byLev.gt(inst.initialMarginFraction) ? byLev : inst.initialMarginFraction;
  }

  addWorking(o: SimOrder): void {
    o.idx = this.orders.length;
    this.orders.push(o);
    this.dirty = true;
  }

  removeWorking(o: SimOrder): void {
    const i = o.idx;
    if (i < 0) return;
    const last = this.orders.pop()!;
    if (last !== o) {
      this.orders[i] = last;
      last.idx = i;
    }
    o.idx = -1;
    this.dirty = true;
  }

  /** Recomputes the O(1) per-bar thresholds from the working orders. */
  recompute(): void {
    let maxDown = Number.NEGATIVE_INFINITY;
    let minUp = Number.POSITIVE_INFINITY;
    let market = 0;
    let ioc = 0;
    let minExpire = Number.POSITIVE_INFINITY;
    for (const o of this.orders) {
      if (o.dir === 0) market++;
      else if (o.dir < 0) {
        if (o.level > maxDown) maxDown = o.level;
      } else if (o.level < minUp) minUp = o.level;
      if (o.isIocFok) ioc++;
      if (o.expireTime < minExpire) minExpire = o.expireTime;
    }
    this.maxDown = maxDown;
    this.minUp = minUp;
    this.marketCount = market;
    this.iocCount = ioc;
    this.minExpire = minExpire;
    this.dirty = false;
  }
}
