import {
  type AccountState,
  applyFill,
  applyFunding,
  type BalanceAdjusted,
  type ClientOrderId,
  type ForcedFill,
  type FundingApplied,
  type Instrument,
  type InstrumentId,
  type InstrumentProvider,
  isDerivative,
  isTerminalStatus,
  type Order,
  type OrderFilled,
  type Position,
  type StrategyId,
  type TradeId,
  type UnixMillis,
} from "@gpt/core";
import { D, type Decimal } from "@gpt/quantize";
import type { Atr, RegimeClassifier } from "@gpt/regime";
import type { Strategy, TargetPositionIntent } from "@gpt/strategies";
import { KernelError } from "./errors.js";

const ZERO = D(0);
const NO_ORDERS: readonly Order[] = Object.freeze([]);

/** A filter for `TraderCache.openOrders`. */
export interface OrderFilter {
  /** Only orders of this instrument. */
  readonly instrumentId?: InstrumentId;
  /** Only orders of this strategy. */
  readonly strategyId?: StrategyId;
}

/**
 * The kernel's account ledger at the latest prices, in the settlement currency. Exact decimals.
 *
 * - `cash`: the settlement-currency balance as the ledger books it: the starting balance, minus
 *   what spot buys cost and plus what spot sells bring (quantity × fill price), plus realized PnL
 *   of derivatives, minus commissions, plus funding received.
 * - `equity`: `cash` + spot holdings valued at the latest price + unrealized PnL of derivative
 *   positions at the latest price.
 */
export interface LedgerSnapshot {
  /** Settlement currency. */
  readonly currency: string;
  /** Cash balance (see above). */
  readonly cash: Decimal;
  /** Equity (see above). */
  readonly equity: Decimal;
  /** Unrealized PnL of the open positions, `Σ (quantity × price − costBasis) × contractSize`. */
  readonly unrealizedPnl: Decimal;
  /** Gross realized PnL of every position record so far. */
  readonly realizedPnl: Decimal;
  /** Commissions paid so far (negative: rebates). */
  readonly commissions: Decimal;
  /** Net funding received so far. */
  readonly funding: Decimal;
  /** Gross notional of the open positions, `Σ |quantity| × price × contractSize`. */
  readonly grossNotional: Decimal;
  /** Non-flat positions. */
  readonly openPositions: number;
}

/**
 * Read-only queries on the trader's state. The cache is updated from execution events (in the
 * order the venue produced them) before strategies see the next market data; objects returned
 * are immutable snapshots (orders and positions from `@gpt/core`'s pure state machines).
 */
export interface TraderCache {
  /** An order by client order id (open orders always; finished ones while remembered). */
  order(clientOrderId: ClientOrderId): Order | undefined;
  /** Non-terminal orders (including inactive bracket legs), optionally per instrument and/or strategy. */
  openOrders(filter?: OrderFilter): readonly Order[];
  /** The position record of an instrument (kept after it goes flat), from the fills booked. */
  position(instrumentId: InstrumentId): Position | undefined;
  /** Every non-flat position. */
  positions(): readonly Position[];
  /** The ledger at the latest prices (computed on each call). */
  account(): LedgerSnapshot;
  /** `account().equity`, computed on each call. */
  equity(): Decimal;
  /** The ledger's cash balance. */
  cash(): Decimal;
  /** Settlement currency of the ledger. */
  readonly currency: string;
  /**
   * The price of an instrument by the `decisionPrice` rule (default `"last"`: the latest of bar
   * close, trade price, quote mid and mark price): what decisions are sized and equity valued at.
   */
  lastPrice(instrumentId: InstrumentId): number | undefined;
  /** When `lastPrice` was observed. */
  lastPriceTime(instrumentId: InstrumentId): UnixMillis | undefined;
  /** The latest bar close of an instrument. */
  lastClose(instrumentId: InstrumentId): number | undefined;
  /** The latest venue mark price of an instrument (`MarkPrice` events). */
  markPrice(instrumentId: InstrumentId): number | undefined;
  /** The venue's latest account state (`AccountUpdated`), kept for comparison; not the ledger. */
  venueAccount(): AccountState | undefined;
  /** The venue's latest position for an instrument (`Position*` events), kept for comparison. */
  venuePosition(instrumentId: InstrumentId): Position | undefined;
  /** Instruments the cache tracks. */
  instruments(): readonly InstrumentId[];
}

/** @internal Per-instrument working state, preallocated so the per-bar path does not allocate. */
export class InstrumentSlot {
  readonly id: InstrumentId;
  readonly derivative: boolean;
  /** The price by the `decisionPrice` rule (`prices.ts`; `NaN` before any). */
  price = Number.NaN;
  tsPrice = -1;
  priceDecimal: Decimal | undefined = undefined;
  close = Number.NaN;
  tsClose = -1;
  mark = Number.NaN;
  tsMark = -1;
  position: Position | undefined = undefined;
  positionOpen = false;
  /** Signed position size in base units as a float (quantity × contract size): equity change per unit of price. */
  exposure = 0;
  venuePosition: Position | undefined = undefined;
  /** Non-terminal orders on the instrument (replaced, never mutated). */
  open: readonly Order[] = NO_ORDERS;
  /** Non-terminal orders of `strategy` on the instrument. */
  own: readonly Order[] = NO_ORDERS;
  classifier: RegimeClassifier | undefined = undefined;
  atr: Atr | undefined = undefined;
  strategy: Strategy | undefined = undefined;
  /** The standing target of the instrument's strategy. */
  standing: TargetPositionIntent | undefined = undefined;
  /** True while the standing target waits (held or blocked): re-evaluated on its answer or the next bar. */
  pending = false;
  /** The reason of the last `blocked` decision (logged once per reason while pending). */
  blockedReason: string | undefined = undefined;
  /** An answer the waiting target needs arrived since it was last evaluated (`targets.ts`). */
  answered = false;
  /** Orders this trader sent a cancel for that the venue has not answered yet (`orders.ts`). */
  readonly canceling = new Set<ClientOrderId>();
  /** Realized PnL, commissions and funding of the position record when the current trade opened. */
  tradeBase: { realized: Decimal; commissions: Decimal; funding: Decimal } | undefined = undefined;

  constructor(readonly instrument: Instrument) {
    this.id = instrument.id;
    this.derivative = isDerivative(instrument);
  }

  /** The latest price as a Decimal (shortest decimal form of the float), cached until it changes. */
  priceAsDecimal(): Decimal | undefined {
    if (this.priceDecimal === undefined && Number.isFinite(this.price)) this.priceDecimal = D(this.price);
    return this.priceDecimal;
  }
}

/** @internal What booking one fill did. */
export interface BookedFill {
  readonly slot: InstrumentSlot;
  readonly before: Position | undefined;
  readonly after: Position;
}

/** @internal The cache implementation the trader mutates. */
export class Cache implements TraderCache {
  readonly currency: string;
  readonly #provider: InstrumentProvider;
  readonly #slots = new Map<InstrumentId, InstrumentSlot>();
  readonly #slotList: InstrumentSlot[] = [];
  readonly #orders = new Map<ClientOrderId, Order>();
  readonly #finished: ClientOrderId[] = [];
  #finishedHead = 0;
  readonly #rememberFinished: number;
  readonly #recentTrades = new Set<string>();
  readonly #recentTradeQueue: string[] = [];
  #recentTradeHead = 0;
  #cash: Decimal;
  #venueAccount: AccountState | undefined = undefined;
  /** Number of non-flat positions. */
  openPositionCount = 0;
  /** Number of non-terminal orders across instruments. */
  openOrderCount = 0;

  constructor(provider: InstrumentProvider, currency: string, cash: Decimal, rememberFinished: number) {
    this.#provider = provider;
    this.currency = currency;
    this.#cash = cash;
    this.#rememberFinished = rememberFinished;
  }

  // ---------------------------------------------------------------- slots

  /** The slot of an instrument, created on first use. @throws KernelError unknown-instrument */
  slot(id: InstrumentId): InstrumentSlot {
    const existing = this.#slots.get(id);
    if (existing !== undefined) return existing;
    const instrument = this.#provider.get(id);
    if (instrument === undefined) {
      throw new KernelError(
        "unknown-instrument",
        `unknown instrument ${id} (not in the instrument provider)`,
        {
          context: { instrumentId: id },
        },
      );
    }
    const slot = new InstrumentSlot(instrument);
    this.#slots.set(id, slot);
    this.#slotList.push(slot);
    return slot;
  }

  /** The slot if it exists (no creation). */
  peekSlot(id: InstrumentId): InstrumentSlot | undefined {
    return this.#slots.get(id);
  }

  /** Every slot, in creation order. */
  get slotList(): readonly InstrumentSlot[] {
    return this.#slotList;
  }

  // ---------------------------------------------------------------- orders

  /** Stores an order snapshot and keeps the open lists and the finished-order window in line. */
  putOrder(order: Order): void {
    const previous = this.#orders.get(order.clientOrderId);
    this.#orders.set(order.clientOrderId, order);
    const slot = this.slot(order.instrumentId);
    const wasOpen = previous !== undefined && !isTerminalStatus(previous.status);
    const isOpen = !isTerminalStatus(order.status);
    if (isOpen) {
      slot.open = replaceOrAdd(slot.open, order);
      if (slot.strategy !== undefined && order.strategyId === slot.strategy.id)
        slot.own = replaceOrAdd(slot.own, order);
      if (!wasOpen) this.openOrderCount += 1;
    } else {
      if (wasOpen || previous === undefined) {
        slot.open = without(slot.open, order.clientOrderId);
        slot.own = without(slot.own, order.clientOrderId);
        if (wasOpen) this.openOrderCount -= 1;
      }
      if (previous === undefined || wasOpen) this.#remember(order.clientOrderId);
    }
  }

  #remember(id: ClientOrderId): void {
    this.#finished.push(id);
    while (this.#finished.length - this.#finishedHead > this.#rememberFinished) {
      const old = this.#finished[this.#finishedHead] as ClientOrderId;
      this.#finishedHead += 1;
      const order = this.#orders.get(old);
      if (order !== undefined && isTerminalStatus(order.status)) this.#orders.delete(old);
    }
    if (this.#finishedHead > 4096 && this.#finishedHead * 2 > this.#finished.length) {
      this.#finished.splice(0, this.#finishedHead);
      this.#finishedHead = 0;
    }
  }

  order(clientOrderId: ClientOrderId): Order | undefined {
    return this.#orders.get(clientOrderId);
  }

  openOrders(filter: OrderFilter = {}): readonly Order[] {
    const lists: (readonly Order[])[] = [];
    if (filter.instrumentId !== undefined) {
      const slot = this.#slots.get(filter.instrumentId);
      if (slot !== undefined) lists.push(slot.open);
    } else {
      for (const slot of this.#slotList) lists.push(slot.open);
    }
    const out: Order[] = [];
    for (const list of lists) {
      for (const order of list) {
        if (filter.strategyId === undefined || order.strategyId === filter.strategyId) out.push(order);
      }
    }
    return out;
  }

  /** Every order the cache holds (open, and finished while remembered), oldest first (snapshots). */
  storedOrders(): readonly Order[] {
    return [...this.#orders.values()];
  }

  // ---------------------------------------------------------------- fills, funding

  /** The remembered trade keys, oldest first (snapshots). */
  recentTradeKeys(): readonly string[] {
    return this.#recentTradeQueue.slice(this.#recentTradeHead);
  }

  /** Remembers a trade key taken from `recentTradeKeys` (restoring a snapshot). */
  restoreTradeKey(key: string): void {
    if (this.#recentTrades.has(key)) return;
    this.#recentTrades.add(key);
    this.#recentTradeQueue.push(key);
  }

  /** True if the trade id was booked recently (fills of unknown orders are deduplicated this way). */
  seenTrade(instrumentId: InstrumentId, trade: TradeId): boolean {
    return this.#recentTrades.has(`${instrumentId}|${trade}`);
  }

  #rememberTrade(instrumentId: InstrumentId, trade: TradeId): void {
    const key = `${instrumentId}|${trade}`;
    this.#recentTrades.add(key);
    this.#recentTradeQueue.push(key);
    const limit = Math.max(this.#rememberFinished, 1024);
    while (this.#recentTradeQueue.length - this.#recentTradeHead > limit) {
      this.#recentTrades.delete(this.#recentTradeQueue[this.#recentTradeHead] as string);
      this.#recentTradeHead += 1;
    }
    if (this.#recentTradeHead > 4096 && this.#recentTradeHead * 2 > this.#recentTradeQueue.length) {
      this.#recentTradeQueue.splice(0, this.#recentTradeHead);
      this.#recentTradeHead = 0;
    }
  }

  /**
   * Books a fill (ours, or a venue's forced fill) on the instrument's position (`applyFill`) and
   * on the ledger cash.
   * @throws PositionError when the fill cannot be booked (foreign commission currency, bad values).
   */
  bookFill(fill: OrderFilled | ForcedFill): BookedFill {
    const slot = this.slot(fill.instrumentId);
    const before = slot.position;
    const instrument = slot.instrument;
    const after =
      before === undefined
        ? applyFill(undefined, fill, {
            currency: this.currency,
            contractSize: slot.derivative ? (instrument as { contractSize: Decimal }).contractSize : "1",
          })
        : applyFill(before, fill);
    const commission = fill.commission;
    if (slot.derivative) {
      const realized = after.realizedPnl.minus(before?.realizedPnl ?? ZERO);
      this.#cash = this.#cash.plus(realized).minus(commission);
    } else {
      const value = fill.lastQty.mul(fill.lastPrice);
      this.#cash = (fill.side === "buy" ? this.#cash.minus(value) : this.#cash.plus(value)).minus(commission);
    }
    this.#setPosition(slot, after);
    this.#rememberTrade(fill.instrumentId, fill.tradeId);
    return { slot, before, after };
  }

  /** Books a funding payment on the position and the ledger. */
  bookFunding(event: FundingApplied): void {
    const slot = this.slot(event.instrumentId);
    this.#cash = this.#cash.plus(event.payment);
    if (slot.position !== undefined)
      slot.position = applyFunding(slot.position, event.payment, event.tsEvent);
  }

  /**
   * Books a balance adjustment of the settlement currency on the ledger cash; false (nothing
   * booked) for another currency, which the ledger does not hold.
   */
  bookAdjustment(event: BalanceAdjusted): boolean {
    if (event.currency !== this.currency) return false;
    this.#cash = this.#cash.plus(event.amount);
    return true;
  }

  #setPosition(slot: InstrumentSlot, position: Position): void {
    const wasOpen = slot.positionOpen;
    slot.position = position;
    slot.positionOpen = !position.quantity.isZero();
    slot.exposure = position.quantity.mul(position.contractSize).toNumber();
    if (wasOpen !== slot.positionOpen) this.openPositionCount += slot.positionOpen ? 1 : -1;
  }

  /** Replaces a position (reconciliation). */
  setPosition(slot: InstrumentSlot, position: Position): void {
    this.#setPosition(slot, position);
  }

  /** Sets the ledger cash (reconciliation). */
  setCash(cash: Decimal): void {
    this.#cash = cash;
  }

  setVenueAccount(state: AccountState): void {
    this.#venueAccount = state;
  }

  // ---------------------------------------------------------------- queries

  position(instrumentId: InstrumentId): Position | undefined {
    return this.#slots.get(instrumentId)?.position;
  }

  positions(): readonly Position[] {
    const out: Position[] = [];
    for (const slot of this.#slotList)
      if (slot.positionOpen && slot.position !== undefined) out.push(slot.position);
    return out;
  }

  cash(): Decimal {
    return this.#cash;
  }

  equity(): Decimal {
    let equity = this.#cash;
    if (this.openPositionCount === 0) return equity;
    for (const slot of this.#slotList) {
      const p = slot.position;
      if (!slot.positionOpen || p === undefined) continue;
      const price = slot.priceAsDecimal() ?? p.avgEntryPrice;
      equity = slot.derivative
        ? equity.plus(p.quantity.mul(price).minus(p.costBasis).mul(p.contractSize))
        : equity.plus(p.quantity.mul(price));
    }
    return equity;
  }

  account(): LedgerSnapshot {
    let unrealized = ZERO;
    let realized = ZERO;
    let commissions = ZERO;
    let funding = ZERO;
    let gross = ZERO;
    for (const slot of this.#slotList) {
      const p = slot.position;
      if (p === undefined) continue;
      realized = realized.plus(p.realizedPnl);
      commissions = commissions.plus(p.commissions);
      funding = funding.plus(p.funding);
      if (!slot.positionOpen) continue;
      const price = slot.priceAsDecimal() ?? p.avgEntryPrice;
      unrealized = unrealized.plus(p.quantity.mul(price).minus(p.costBasis).mul(p.contractSize));
      gross = gross.plus(p.quantity.abs().mul(price).mul(p.contractSize));
    }
    return {
      currency: this.currency,
      cash: this.#cash,
      equity: this.equity(),
      unrealizedPnl: unrealized,
      realizedPnl: realized,
      commissions,
      funding,
      grossNotional: gross,
      openPositions: this.openPositionCount,
    };
  }

  lastPrice(instrumentId: InstrumentId): number | undefined {
    const p = this.#slots.get(instrumentId)?.price;
    return p === undefined || Number.isNaN(p) ? undefined : p;
  }

  lastPriceTime(instrumentId: InstrumentId): UnixMillis | undefined {
    const t = this.#slots.get(instrumentId)?.tsPrice;
    return t === undefined || t < 0 ? undefined : t;
  }

  lastClose(instrumentId: InstrumentId): number | undefined {
    const p = this.#slots.get(instrumentId)?.close;
    return p === undefined || Number.isNaN(p) ? undefined : p;
  }

  markPrice(instrumentId: InstrumentId): number | undefined {
    const p = this.#slots.get(instrumentId)?.mark;
    return p === undefined || Number.isNaN(p) ? undefined : p;
  }

  venueAccount(): AccountState | undefined {
    return this.#venueAccount;
  }

  venuePosition(instrumentId: InstrumentId): Position | undefined {
    return this.#slots.get(instrumentId)?.venuePosition;
  }

  instruments(): readonly InstrumentId[] {
    return this.#slotList.map((s) => s.id);
  }
}

function replaceOrAdd(list: readonly Order[], order: Order): readonly Order[] {
  for (let i = 0; i < list.length; i++) {
    if ((list[i] as Order).clientOrderId === order.clientOrderId) {
      const copy = list.slice();
      copy[i] = order;
      return copy;
    }
  }
  return [...list, order];
}

function without(list: readonly Order[], id: ClientOrderId): readonly Order[] {
  for (let i = 0; i < list.length; i++) {
    if ((list[i] as Order).clientOrderId === id) {
      if (list.length === 1) return NO_ORDERS;
      return [...list.slice(0, i), ...list.slice(i + 1)];
    }
  }
  return list;
}
