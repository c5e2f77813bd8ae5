import {
  type AccountId,
  type AccountState,
  applyFill,
  applyFunding,
  applyOrderEvent,
  assertNever,
  assertValidCommand,
  type Bar,
  type BookDelta,
  type BookSnapshot,
  bracketLegs,
  type CancelAllOrders,
  type CancelOrder,
  type ClientOrderId,
  type Clock,
  createEventIdGenerator,
  createPositionEvent,
  type EventId,
  type ExecutionEvent,
  type ExecutionEventHandler,
  type ExecutionMassStatus,
  type ExecutionPort,
  type ForcedFill,
  type FundingRate,
  fundingPayment,
  type IdSequence,
  type InstrumentId,
  initOrder,
  isTerminalStatus,
  type LiquiditySide,
  type Logger,
  type MarginType,
  type MarketDataEvent,
  type MarkPrice,
  type ModifyOrder,
  accountId as makeAccountId,
  eventId as makeEventId,
  tradeId as makeTradeId,
  venue as makeVenue,
  venueOrderId as makeVenueOrderId,
  noopLogger,
  type Order,
  type OrderEvent,
  type OrderFilled,
  type OrderSpec,
  type OrderStatus,
  type OrderStatusReport,
  type Position,
  type PositionStatusReport,
  type Quote,
  type StrategyId,
  type SubmitBracket,
  type SubmitOrder,
  type Trade,
  type UnixMillis,
  unrealizedPnl,
  type Venue,
  validateOrderForInstrument,
} from "@gpt/core";
import { D, type Decimal, type DecimalInput, parseDecimal, roundToIncrement } from "@gpt/quantize";
import { PaperEngineError } from "./errors.js";
import { type FeeContext, type FeeModel, instrumentFeeModel } from "./fees.js";
import {
  type AccountHost,
  type FillFunding,
  markOf,
  maxD,
  minD,
  type OrderSettings,
  type Rejection,
  type VenueAccount,
} from "./internal/account.js";
import { Book } from "./internal/book.js";
import { CashAccount } from "./internal/cash-account.js";
import { MarginAccount } from "./internal/margin-account.js";
import { BracketGroup, InstState, type PendingFunding, SimOrder, ZERO } from "./internal/state.js";
import { type LatencyModel, noLatency } from "./latency.js";
import { noSlippage, type SlippageModel } from "./slippage.js";
import type {
  AccountSnapshot,
  EngineNotice,
  EngineNoticeHandler,
  NegativeEquity,
  PaperEngineConfig,
  PositionLiquidated,
  PositionSnapshot,
} from "./types.js";

const ONE = D(1);
const INTERNAL_EVENT_ID: EventId = makeEventId("paper-engine-internal");

interface Timed {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
}

/** One funding entry of a series passed to `attachFundingSeries`. */
export interface FundingSeriesEntry {
  /** When the payment is made. */
  readonly fundingTime: UnixMillis;
  /** Rate per interval (fraction; positive: longs pay). Strings keep the exchange's digits. */
  readonly rate: DecimalInput;
}

function decimalConfig(field: string, value: DecimalInput, allowZero = true): Decimal {
  try {
    return parseDecimal(value, { field, allowNegative: false, allowZero });
  } catch (cause) {
    throw new PaperEngineError("invalid-config", `${field}: must be a decimal >= 0`, {
      cause,
      context: { field, value: String(value) },
    });
  }
}

/**
 * A simulated venue implementing `ExecutionPort`: it matches orders against bars, trades or an
 * L2 book, books fills on a cash (spot) or margin (derivatives) account, applies funding and
 * liquidates positions that cross their liquidation price. See the package README for the fill
 * rules and formulas.
 *
 * Feed it market data (`onBar`, `onTrade`, `onBookSnapshot`, `onBookDelta`, `onQuote`,
 * `onMarkPrice`, `onFundingRate`, or `onMarketData` for any of them) and send it commands through
 * the `ExecutionPort` methods. Events are emitted synchronously to `onEvent` handlers. Commands
 * (and market data) given while the engine is emitting events (from inside a handler) are queued
 * and run, in order, right after the current operation; so a strategy reacting to a fill on bar
 * t places orders that can fill from bar t+1 on.
 */
export class PaperEngine implements ExecutionPort {
  /** The simulated account's id. */
  readonly accountId: AccountId;
  /** `cash` or `margin`. */
  readonly accountType: "cash" | "margin";
  private readonly venueCode: Venue;
  private readonly clock: Clock | undefined;
  private readonly fees: FeeModel;
  private readonly slippage: SlippageModel;
  private readonly latency: LatencyModel;
  private readonly through: boolean;
  private readonly lowFirst: boolean;
  private readonly clamp: boolean;
  private readonly participation: number;
  private readonly queueModel: boolean;
  private readonly liqFeeRate: Decimal;
  private readonly marketBuffer: Decimal;
  private readonly emitAccount: boolean;
  private readonly rememberFinished: number;
  private readonly logger: Logger;
  private readonly prefix: string;
  private readonly eventIds: IdSequence<EventId>;

  private readonly insts = new Map<InstrumentId, InstState>();
  private readonly orders = new Map<ClientOrderId, SimOrder>();
  private readonly finished = new Map<ClientOrderId, { status: OrderStatus; instrumentId: InstrumentId }>();
  private handlers: ExecutionEventHandler[] = [];
  private noticeHandlers: EngineNoticeHandler[] = [];
  private handlerFailed = false;
  private handlerError: unknown;

  private time = 0;
  private busy = false;
  private readonly queue: (() => void)[] = [];
  private timed: Timed[] = [];
  private nextTimed = Number.POSITIVE_INFINITY;
  private timedSeq = 0;
  private scheduledAt = Number.NaN;
  private orderSeq = 0;
  private tradeSeq = 0;
  private step = 0;
  private readonly cands: SimOrder[] = [];
  private inPath = false;
  private stepStart = 0;

  /** The money side: a cash (spot) or a margin (derivatives) account. */
  private readonly account: VenueAccount;
  private sweeping = false;

  /**
   * @throws PaperEngineError (`invalid-config`) on a bad configuration: no instruments, duplicate
   *   ids, a spot instrument on a margin account (or the reverse), several or missing collateral
   *   currencies, bad leverage, fractions or balances.
   */
  constructor(config: PaperEngineConfig) {
    if (config.accountType !== "cash" && config.accountType !== "margin") {
      throw new PaperEngineError("invalid-config", "accountType: must be cash or margin");
    }
    if (config.instruments.length === 0) {
      throw new PaperEngineError("invalid-config", "instruments: give at least one instrument");
    }
    this.accountType = config.accountType;
    const margin = config.accountType === "margin";
    try {
      this.accountId = makeAccountId(config.accountId ?? "PAPER-1");
      this.venueCode = makeVenue(config.venue ?? config.instruments[0]!.venue);
    } catch (cause) {
      throw new PaperEngineError("invalid-config", "accountId or venue is invalid", { cause });
    }
    this.clock = config.clock;
    this.fees = config.fees ?? instrumentFeeModel();
    this.slippage = config.slippage ?? noSlippage();
    this.latency = config.latency ?? noLatency();
    this.through = (config.limitFillRule ?? "through") === "through";
    this.lowFirst = (config.intrabarTie ?? "low-first") === "low-first";
    this.clamp = config.clampSlippageToBar ?? true;
    const vp = config.volumeParticipation;
    if (vp !== undefined && !(Number.isFinite(vp) && vp > 0)) {
      throw new PaperEngineError("invalid-config", "volumeParticipation: must be a number > 0", {
        context: { field: "volumeParticipation", value: vp },
      });
    }
    this.participation = vp ?? 0;
    this.queueModel = config.queuePosition ?? true;
    this.liqFeeRate = decimalConfig("liquidationFeeRate", config.liquidationFeeRate ?? "0.005");
    this.marketBuffer = decimalConfig("marketOrderBuffer", config.marketOrderBuffer ?? "0.05");
    this.emitAccount = config.emitAccountUpdates ?? true;
    this.rememberFinished = config.rememberFinishedOrders ?? 10_000;
    this.logger = config.logger ?? noopLogger;
    this.prefix = config.idPrefix ?? "sim";
    this.eventIds = createEventIdGenerator(this.prefix);

    const defaultMarginType: MarginType = config.defaultMarginType ?? "cross";
    for (const inst of config.instruments) {
      if (this.insts.has(inst.id)) {
        throw new PaperEngineError("invalid-config", `instruments: duplicate id ${inst.id}`);
      }
      if (margin !== (inst.kind !== "spot")) {
        throw new PaperEngineError(
          "invalid-config",
          `instrument ${inst.id}: a ${this.accountType} account trades ${margin ? "derivatives" : "spot"} only`,
        );
      }
      let leverage = ONE;
      if (inst.kind !== "spot") {
        const byImf = ONE.div(inst.initialMarginFraction);
        leverage = minD(byImf, inst.maxLeverage);
        const given = config.leverage?.[inst.id];
        if (given !== undefined) {
          leverage = decimalConfig(`leverage.${inst.id}`, given, false);
          if (leverage.lt(1) || leverage.gt(inst.maxLeverage)) {
            throw new PaperEngineError(
              "invalid-config",
              `leverage.${inst.id}: must be in [1, ${inst.maxLeverage.toString()}]`,
            );
          }
        }
      }
      this.insts.set(inst.id, new InstState(inst, leverage, defaultMarginType));
    }

    const currencies = Object.keys(config.initialBalances);
    const host: AccountHost = {
      insts: this.insts,
      estimatePrice: (o) => this.estimatePrice(o),
      commission: (st, buy, quantity, price, liquidity) =>
        this.fees.commission(this.feeCtx(st, buy, quantity, price, liquidity)),
    };
    if (margin) {
      if (currencies.length !== 1) {
        throw new PaperEngineError(
          "invalid-config",
          "initialBalances: a margin account has exactly one collateral currency",
        );
      }
      const collateral = currencies[0]!;
      const cash = decimalConfig(`initialBalances.${collateral}`, config.initialBalances[collateral]!);
      for (const st of this.insts.values()) {
        if (st.settle !== collateral) {
          throw new PaperEngineError(
            "invalid-config",
            `instrument ${st.id} settles in ${st.settle}, the collateral is ${collateral}`,
          );
        }
      }
      this.account = new MarginAccount(host, this.accountId, this.venueCode, collateral, cash);
    } else {
      const initial = new Map<string, Decimal>();
      for (const c of currencies)
        initial.set(c, decimalConfig(`initialBalances.${c}`, config.initialBalances[c]!));
      this.account = new CashAccount(host, this.accountId, this.venueCode, initial, config.instruments[0]!);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Public: handlers, time, queries
  // -------------------------------------------------------------------------------------------

  /** Registers an execution event handler; returns the function that removes it (idempotent). */
  onEvent(handler: ExecutionEventHandler): () => void {
    this.handlers = [...this.handlers, handler];
    return () => {
      this.handlers = this.handlers.filter((h) => h !== handler);
    };
  }

  /** Registers a handler for engine notices (liquidations, covered deficits). */
  onNotice(handler: EngineNoticeHandler): () => void {
    this.noticeHandlers = [...this.noticeHandlers, handler];
    return () => {
      this.noticeHandlers = this.noticeHandlers.filter((h) => h !== handler);
    };
  }

  /** Engine time: the latest of the clock, the market data and the commands seen. */
  now(): UnixMillis {
    return this.time;
  }

  /** The position record of an instrument (kept after it goes flat), if it ever traded. */
  position(instrumentId: InstrumentId): Position | undefined {
    return this.inst(instrumentId).position;
  }

  /** The core snapshot of an order the venue still works on (or an inactive bracket leg). */
  order(clientOrderId: ClientOrderId): Order | undefined {
    return this.orders.get(clientOrderId)?.state;
  }

  /** Open orders (and inactive bracket legs), optionally of one instrument, in arrival order. */
  openOrders(instrumentId?: InstrumentId): Order[] {
    const out: SimOrder[] = [];
    for (const o of this.orders.values())
      if (instrumentId === undefined || o.inst.id === instrumentId) out.push(o);
    return out.sort((a, b) => a.seq - b.seq).map((o) => o.state);
  }

  /**
   * Sets the leverage of an instrument (margin accounts).
   * @throws PaperEngineError (`invalid-request`) for an isolated position that is open, or a
   *   leverage outside [1, maxLeverage].
   */
  setLeverage(instrumentId: InstrumentId, leverage: DecimalInput): void {
    const st = this.inst(instrumentId);
    const lev = decimalConfig("leverage", leverage, false);
    if (st.inst.kind === "spot" || lev.lt(1) || lev.gt(st.inst.maxLeverage)) {
      throw new PaperEngineError("invalid-request", `leverage ${lev.toString()} is not allowed for ${st.id}`);
    }
    if (st.marginType === "isolated" && st.qN !== 0) {
      throw new PaperEngineError(
        "invalid-request",
        "cannot change the leverage of an open isolated position",
      );
    }
    st.leverage = lev;
    st.imr = InstState.effectiveImr(st.inst, lev);
  }

  /**
   * Sets the margin type of an instrument (margin accounts), only while it has no position and no
   * working orders.
   * @throws PaperEngineError (`invalid-request`).
   */
  setMarginType(instrumentId: InstrumentId, marginType: MarginType): void {
    const st = this.inst(instrumentId);
    if (this.account.kind !== "margin")
      throw new PaperEngineError("invalid-request", "cash accounts have no margin type");
    if (st.qN !== 0 || st.orders.length > 0) {
      throw new PaperEngineError(
        "invalid-request",
        "cannot change the margin type with a position or orders",
      );
    }
    st.marginType = marginType;
  }

  /** The liquidation price of an open margin position, or undefined (flat, spot, or unreachable). */
  liquidationPrice(instrumentId: InstrumentId): Decimal | undefined {
    return this.account.liquidationPrice(this.inst(instrumentId));
  }

  /** The account as the core `AccountState`. */
  accountState(): AccountState {
    return this.buildAccountState();
  }

  /** Balances, equity, margin and the full PnL breakdown. */
  snapshot(): AccountSnapshot {
    return this.buildSnapshot();
  }

  /**
   * The venue's view for reconciliation: open orders, open positions and the account. The engine
   * keeps no fill history (memory stays flat), so `fillReports` is empty.
   */
  generateMassStatus(_sinceMs?: UnixMillis): Promise<ExecutionMassStatus> {
    const orderReports: OrderStatusReport[] = [];
    for (const o of this.orders.values()) {
      const s = o.state;
      if (s.status === "initialized" || s.status === "denied") continue;
      const status =
        s.status === "pending-update" || s.status === "pending-cancel"
          ? s.filledQty.gt(0)
            ? "partially-filled"
            : s.isTriggered
              ? "triggered"
              : "accepted"
          : s.status;
      orderReports.push({
        accountId: this.accountId,
        instrumentId: s.instrumentId,
        clientOrderId: s.clientOrderId,
        venueOrderId: o.vid,
        side: s.side,
        type: s.type,
        timeInForce: s.timeInForce,
        status,
        quantity: s.quantity,
        filledQty: s.filledQty,
        ...(s.avgPx === undefined ? {} : { avgPx: s.avgPx }),
        ...(s.price === undefined ? {} : { price: s.price }),
        ...(s.triggerPrice === undefined ? {} : { triggerPrice: s.triggerPrice }),
        ...(s.expireTime === undefined ? {} : { expireTime: s.expireTime }),
        postOnly: s.postOnly,
        reduceOnly: s.reduceOnly,
        tsAccepted: Number.isFinite(o.liveAt) ? o.liveAt : s.tsCreated,
        tsLastUpdate: s.tsLastEvent,
        tsInit: this.time,
      });
    }
    const positionReports: PositionStatusReport[] = [];
    for (const st of this.insts.values()) {
      const p = st.position;
      if (p === undefined || p.quantity.isZero()) continue;
      const mark = markOf(st);
      positionReports.push({
        accountId: this.accountId,
        instrumentId: st.id,
        quantity: p.quantity,
        avgEntryPrice: p.avgEntryPrice,
        ...(mark === undefined ? {} : { unrealizedPnl: unrealizedPnl(p, mark) }),
        tsLastUpdate: p.tsLastEvent,
        tsInit: this.time,
      });
    }
    return Promise.resolve({
      venue: this.venueCode,
      accountId: this.accountId,
      orderReports,
      fillReports: [],
      positionReports,
      account: this.buildAccountState(),
      tsInit: this.time,
    });
  }

  /**
   * Moves engine time forward without market data (paper trading on a wall clock): delayed
   * accepts, cancels and modifies take effect, GTD orders expire, due funding is applied.
   */
  advanceTo(ts: UnixMillis): void {
    this.op(() => {
      this.syncClock();
      if (this.nextTimed <= ts) this.runTimed(ts);
      this.advance(ts);
      for (const st of this.insts.values()) {
        if (st.dirty) st.recompute();
        if (st.minExpire <= ts) this.expire(st, ts, false);
        if (st.nextFunding <= ts) this.runFunding(st, ts);
      }
    });
  }

  /**
   * Attaches a funding-rate series to a perpetual: each entry is paid when engine time reaches
   * its `fundingTime`, at the valuation price of that moment.
   * @throws PaperEngineError (`unknown-instrument`, `invalid-data`).
   */
  attachFundingSeries(instrumentId: InstrumentId, series: readonly FundingSeriesEntry[]): void {
    const st = this.inst(instrumentId);
    for (const e of series) this.addFunding(st, e.fundingTime, e.rate);
  }

  // -------------------------------------------------------------------------------------------
  // Public: market data
  // -------------------------------------------------------------------------------------------

  /** Dispatches any market data event to the matching `on*` method. */
  onMarketData(event: MarketDataEvent): void {
    switch (event.type) {
      case "Bar":
        this.onBar(event);
        return;
      case "Trade":
        this.onTrade(event);
        return;
      case "Quote":
        this.onQuote(event);
        return;
      case "BookSnapshot":
        this.onBookSnapshot(event);
        return;
      case "BookDelta":
        this.onBookDelta(event);
        return;
      case "MarkPrice":
        this.onMarkPrice(event);
        return;
      case "FundingRate":
        this.onFundingRate(event);
        return;
      default:
        assertNever(event, "market data event");
    }
  }

  /**
   * Processes one bar: orders live since the bar's open may fill along the intrabar path
   * (open → nearer extreme → farther extreme → close). Fills are stamped at the bar's close time.
   * @throws PaperEngineError (`unknown-instrument`).
   */
  onBar(bar: Bar): void {
    if (this.busy) {
      this.queue.push(() => this.onBar(bar));
      return;
    }
    const st = this.inst(bar.instrumentId);
    const tEnd = bar.tsEvent;
    if (
      st.orders.length === 0 &&
      !st.liqActive &&
      this.nextTimed > tEnd &&
      st.nextFunding > tEnd &&
      st.minExpire > tEnd
    ) {
      // Fast path: nothing can happen on this instrument; remember the price and move on.
      st.lastPrice = bar.close;
      if (tEnd >= st.valTs) {
        st.valPrice = bar.close;
        st.valTs = tEnd;
      }
      st.prevBarOpen = bar.tsOpen;
      if (tEnd > this.time) this.time = tEnd;
      return;
    }
    this.busy = true;
    try {
      this.processBar(st, bar);
      this.drain();
    } finally {
      this.busy = false;
    }
    this.rethrowHandlerError();
  }

  /**
   * Processes one public trade: market orders and marketable arrivals take at the trade price
   * (or walk the book when one is present), resting limits fill when the print trades through
   * them (or at their price, after the queue ahead, in book mode), stops trigger on the print.
   * @throws PaperEngineError (`unknown-instrument`).
   */
  onTrade(trade: Trade): void {
    this.op(() => {
      const st = this.inst(trade.instrumentId);
      const ts = trade.tsEvent;
      if (this.nextTimed < ts) this.runTimed(ts - 1);
      if (st.dirty) st.recompute();
      if (st.minExpire <= ts) this.expire(st, ts, false);
      this.advance(ts);
      if (st.orders.length > 0 || st.liqActive) this.matchTrade(st, trade);
      if (Number.isFinite(st.lastPrice) && st.lastPrice > 0) {
        const r = Math.abs(trade.price / st.lastPrice - 1);
        st.absRetEwma = st.absRetEwma === 0 ? r : 0.94 * st.absRetEwma + 0.06 * r;
      }
      st.lastPrice = trade.price;
      if (ts >= st.valTs) {
        st.valPrice = trade.price;
        st.valTs = ts;
      }
      st.prevTradeTs = ts;
      if (this.nextTimed <= ts) this.runTimed(ts);
      if (st.nextFunding <= ts) this.runFunding(st, ts);
    });
  }

  /** Records top of book: the post-only reference and the valuation mid price (no matching). */
  onQuote(quote: Quote): void {
    this.op(() => {
      const st = this.inst(quote.instrumentId);
      this.advance(quote.tsEvent);
      st.quoteBid = quote.bidPrice;
      st.quoteAsk = quote.askPrice;
      if (quote.tsEvent >= st.valTs && quote.bidPrice > 0 && quote.askPrice > 0) {
        st.valPrice = (quote.bidPrice + quote.askPrice) / 2;
        st.valTs = quote.tsEvent;
      }
    });
  }

  /** Replaces the instrument's book; resting orders the book now crosses fill (maker). */
  onBookSnapshot(snapshot: BookSnapshot): void {
    this.op(() => {
      const st = this.inst(snapshot.instrumentId);
      this.advance(snapshot.tsEvent);
      if (this.nextTimed <= snapshot.tsEvent) this.runTimed(snapshot.tsEvent);
      st.book ??= new Book();
      st.book.snapshot(snapshot);
      this.afterBookChange(st);
    });
  }

  /** Applies level changes to the instrument's book; resting orders it crosses fill (maker). */
  onBookDelta(delta: BookDelta): void {
    this.op(() => {
      const st = this.inst(delta.instrumentId);
      this.advance(delta.tsEvent);
      if (this.nextTimed <= delta.tsEvent) this.runTimed(delta.tsEvent);
      if (st.book === undefined || !st.book.active) return;
      st.book.delta(delta);
      this.afterBookChange(st);
    });
  }

  /**
   * Updates the mark (valuation) price; a margin position whose liquidation price the mark
   * crosses is liquidated at the mark.
   */
  onMarkPrice(mark: MarkPrice): void {
    this.op(() => {
      const st = this.inst(mark.instrumentId);
      const ts = mark.tsEvent;
      if (this.nextTimed <= ts) this.runTimed(ts);
      this.advance(ts);
      if (ts >= st.valTs) {
        st.valPrice = mark.price;
        st.valTs = ts;
      }
      this.checkLiquidationAt(st, mark.price);
      if (st.nextFunding <= ts) this.runFunding(st, ts);
    });
  }

  /**
   * Registers a funding rate: paid at `fundingTime` (at once if that time has passed), on the
   * position held then, at the valuation price.
   */
  onFundingRate(rate: FundingRate): void {
    this.op(() => {
      const st = this.inst(rate.instrumentId);
      this.advance(rate.tsEvent);
      this.addFunding(st, rate.fundingTime, rate.rate);
      if (st.nextFunding <= this.time) this.runFunding(st, this.time);
    });
  }

  /** Alias of `onFundingRate`. */
  processFunding(rate: FundingRate): void {
    this.onFundingRate(rate);
  }

  // -------------------------------------------------------------------------------------------
  // Public: commands (ExecutionPort)
  // -------------------------------------------------------------------------------------------

  /**
   * Sends an order: `OrderSubmitted`, then (after the submit latency) `OrderAccepted` or
   * `OrderRejected`; fills follow from market data (or at once against a book).
   * @throws CommandValidationError if the command itself is invalid.
   */
  submitOrder(command: SubmitOrder): void {
    assertValidCommand(command);
    this.op(() => this.doSubmit(command.order, command.strategyId, command.tsInit));
  }

  /**
   * Sends a bracket (see `SubmitBracket` in `@gpt/core` for the semantics implemented here).
   * @throws CommandValidationError if the command itself is invalid.
   */
  submitBracket(command: SubmitBracket): void {
    assertValidCommand(command);
    this.op(() => this.doSubmitBracket(command));
  }

  /** Requests a cancel: `OrderPendingCancel`, then `OrderCanceled` (or `OrderCancelRejected`). */
  cancelOrder(command: CancelOrder): void {
    assertValidCommand(command);
    this.op(() => {
      this.syncClock();
      this.advance(command.tsInit);
      this.doCancel(command.clientOrderId, command.instrumentId);
    });
  }

  /**
   * Requests a modify of a resting GTC/GTD order: `OrderPendingUpdate`, then `OrderUpdated` or
   * `OrderModifyRejected`.
   * @throws CommandValidationError if the command is invalid; PaperEngineError
   *   (`invalid-request`) for an inactive bracket leg (it has no venue state to modify yet).
   */
  modifyOrder(command: ModifyOrder): void {
    assertValidCommand(command);
    const o = this.orders.get(command.clientOrderId);
    if (o !== undefined && o.state.status === "initialized") {
      throw new PaperEngineError("invalid-request", `order ${o.coid} is an inactive bracket leg`, {
        context: { clientOrderId: o.coid },
      });
    }
    this.op(() => {
      this.syncClock();
      this.advance(command.tsInit);
      this.doModify(command);
    });
  }

  /** Cancels every matching open order (each with its own cancel flow). */
  cancelAllOrders(command: CancelAllOrders): void {
    assertValidCommand(command);
    this.op(() => {
      this.syncClock();
      this.advance(command.tsInit);
      const targets = [...this.orders.values()]
        .filter(
          (o) =>
            o.state.status !== "initialized" &&
            (command.instrumentId === undefined || o.inst.id === command.instrumentId) &&
            (command.side === undefined || o.spec.side === command.side),
        )
        .sort((a, b) => a.seq - b.seq);
      for (const o of targets) {
        if (this.orders.has(o.coid) && !o.cancelPending) this.doCancel(o.coid, o.inst.id);
      }
    });
  }

  // -------------------------------------------------------------------------------------------
  // Operation plumbing
  // -------------------------------------------------------------------------------------------

  private op(fn: () => void): void {
    if (this.busy) {
      this.queue.push(fn);
      return;
    }
    this.busy = true;
    try {
      fn();
      this.drain();
    } finally {
      this.busy = false;
    }
    this.rethrowHandlerError();
  }

  private drain(): void {
    while (this.queue.length > 0) this.queue.shift()!();
  }

  private rethrowHandlerError(): void {
    if (!this.handlerFailed) return;
    const cause = this.handlerError;
    this.handlerFailed = false;
    this.handlerError = undefined;
    throw new PaperEngineError("handler-failed", "an event handler threw", { cause });
  }

  private emit(event: ExecutionEvent): void {
    for (const h of this.handlers) {
      try {
        h(event);
      } catch (e) {
        if (!this.handlerFailed) {
          this.handlerFailed = true;
          this.handlerError = e;
        }
      }
    }
  }

  private notify(notice: EngineNotice): void {
    for (const h of this.noticeHandlers) {
      try {
        h(notice);
      } catch (e) {
        if (!this.handlerFailed) {
          this.handlerFailed = true;
          this.handlerError = e;
        }
      }
    }
  }

  private inst(id: InstrumentId): InstState {
    const st = this.insts.get(id);
    if (st === undefined) {
      throw new PaperEngineError("unknown-instrument", `unknown instrument ${id}`, {
        context: { instrumentId: id },
      });
    }
    return st;
  }

  private advance(t: number): void {
    if (t > this.time) this.time = t;
  }

  /** When the action being run takes effect: its scheduled time (delayed actions), else now. */
  private get actionAt(): number {
    return Number.isNaN(this.scheduledAt) ? this.time : this.scheduledAt;
  }

  private syncClock(): void {
    if (this.clock !== undefined) this.advance(this.clock.now());
  }

  private schedule(at: number, run: () => void): void {
    const item: Timed = { at, seq: this.timedSeq++, run };
    let lo = 0;
    let hi = this.timed.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const t = this.timed[mid]!;
      if (t.at < at || (t.at === at && t.seq < item.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.timed.splice(lo, 0, item);
    this.nextTimed = this.timed[0]!.at;
  }

  private runTimed(upTo: number): void {
    while (this.timed.length > 0 && this.timed[0]!.at <= upTo) {
      const item = this.timed.shift()!;
      this.nextTimed = this.timed[0]?.at ?? Number.POSITIVE_INFINITY;
      this.advance(item.at);
      this.scheduledAt = item.at;
      try {
        item.run();
      } finally {
        this.scheduledAt = Number.NaN;
      }
    }
    this.nextTimed = this.timed[0]?.at ?? Number.POSITIVE_INFINITY;
  }

  private meta(o: SimOrder) {
    return {
      eventId: this.eventIds.next(),
      tsEvent: this.time,
      tsInit: this.time,
      clientOrderId: o.coid,
      instrumentId: o.inst.id,
    };
  }

  private orderEvent(o: SimOrder, event: OrderEvent): void {
    o.state = applyOrderEvent(o.state, event);
    this.emit(event);
  }

  // -------------------------------------------------------------------------------------------
  // Submission, acceptance, admission checks
  // -------------------------------------------------------------------------------------------

  private newOrder(
    st: InstState,
    spec: OrderSpec,
    strategyId: StrategyId,
    tsInit: UnixMillis,
    bracket: { group: BracketGroup | undefined; link: Order["bracket"] } | undefined,
  ): SimOrder {
    const state = initOrder({
      type: "OrderInitialized",
      eventId: INTERNAL_EVENT_ID,
      tsEvent: tsInit,
      tsInit,
      clientOrderId: spec.clientOrderId,
      instrumentId: spec.instrumentId,
      order: spec,
      strategyId,
      ...(bracket?.link === undefined ? {} : { bracket: bracket.link }),
    });
    const seq = ++this.orderSeq;
    return new SimOrder(seq, st, spec, state, makeVenueOrderId(`${this.prefix}-${seq}`));
  }

  private isKnown(coid: ClientOrderId): boolean {
    if (this.orders.has(coid) || this.finished.has(coid)) {
      this.logger.warn("duplicate client order id ignored (idempotent resend)", { clientOrderId: coid });
      return true;
    }
    return false;
  }

  private doSubmit(spec: OrderSpec, strategyId: StrategyId, tsInit: UnixMillis): void {
    this.syncClock();
    this.advance(tsInit);
    if (this.isKnown(spec.clientOrderId)) return;
    const st = this.insts.get(spec.instrumentId);
    if (st === undefined) {
      this.rejectUnknownInstrument(spec, strategyId, tsInit);
      return;
    }
    const o = this.newOrder(st, spec, strategyId, tsInit, undefined);
    this.submitAndAccept(o);
  }

  private rejectUnknownInstrument(spec: OrderSpec, strategyId: StrategyId, tsInit: UnixMillis): void {
    let state = initOrder({
      type: "OrderInitialized",
      eventId: INTERNAL_EVENT_ID,
      tsEvent: tsInit,
      tsInit,
      clientOrderId: spec.clientOrderId,
      instrumentId: spec.instrumentId,
      order: spec,
      strategyId,
    });
    const base = () => ({
      eventId: this.eventIds.next(),
      tsEvent: this.time,
      tsInit: this.time,
      clientOrderId: spec.clientOrderId,
      instrumentId: spec.instrumentId,
    });
    const submitted: OrderEvent = { ...base(), type: "OrderSubmitted", accountId: this.accountId };
    state = applyOrderEvent(state, submitted);
    this.emit(submitted);
    const rejected: OrderEvent = {
      ...base(),
      type: "OrderRejected",
      reason: `unknown instrument ${spec.instrumentId}`,
      code: "UNKNOWN_PRODUCT",
    };
    state = applyOrderEvent(state, rejected);
    this.emit(rejected);
    this.remember(spec.clientOrderId, state.status, spec.instrumentId);
  }

  private submitAndAccept(o: SimOrder): void {
    this.orders.set(o.coid, o);
    this.orderEvent(o, { ...this.meta(o), type: "OrderSubmitted", accountId: this.accountId });
    const delay = this.latency.submitDelayMs();
    if (delay === 0) this.accept(o);
    else this.schedule(this.time + delay, () => this.accept(o));
  }

  private doSubmitBracket(cmd: SubmitBracket): void {
    this.syncClock();
    this.advance(cmd.tsInit);
    const entrySpec = cmd.entry;
    if (
      this.isKnown(entrySpec.clientOrderId) ||
      this.isKnown(cmd.takeProfit.clientOrderId) ||
      this.isKnown(cmd.stopLoss.clientOrderId)
    ) {
      return;
    }
    const st = this.insts.get(entrySpec.instrumentId);
    if (st === undefined) {
      this.rejectUnknownInstrument(entrySpec, cmd.strategyId, cmd.tsInit);
      return;
    }
    const legs = bracketLegs(cmd);
    const link = (role: "entry" | "take-profit" | "stop-loss") => ({
      role,
      entryClientOrderId: entrySpec.clientOrderId,
      takeProfitClientOrderId: cmd.takeProfit.clientOrderId,
      stopLossClientOrderId: cmd.stopLoss.clientOrderId,
    });
    const entry = this.newOrder(st, entrySpec, cmd.strategyId, cmd.tsInit, {
      group: undefined,
      link: link("entry"),
    });
    const tp = this.newOrder(st, legs.takeProfit, cmd.strategyId, cmd.tsInit, {
      group: undefined,
      link: link("take-profit"),
    });
    const sl = this.newOrder(st, legs.stopLoss, cmd.strategyId, cmd.tsInit, {
      group: undefined,
      link: link("stop-loss"),
    });
    const group = new BracketGroup(entry, tp, sl);
    entry.group = group;
    entry.role = "entry";
    tp.group = group;
    tp.role = "take-profit";
    sl.group = group;
    sl.role = "stop-loss";
    this.orders.set(tp.coid, tp);
    this.orders.set(sl.coid, sl);
    this.submitAndAccept(entry);
  }

  private accept(o: SimOrder): void {
    if (isTerminalStatus(o.state.status)) return;
    const rejection = this.admission(o);
    if (rejection !== undefined) {
      this.orderEvent(o, {
        ...this.meta(o),
        type: "OrderRejected",
        reason: rejection.reason,
        code: rejection.code,
      });
      this.finishOrder(o);
      return;
    }
    this.orderEvent(o, {
      ...this.meta(o),
      type: "OrderAccepted",
      venueOrderId: o.vid,
      accountId: this.accountId,
    });
    const st = o.inst;
    o.liveAt = this.inPath ? this.stepStart : this.time;
    st.addWorking(o);
    if (this.inPath) {
      o.activatedStep = this.step;
      o.restedStep = -1;
      this.cands.push(o);
    }
    if (st.book?.active === true && !this.inPath) this.matchBookArrival(st, o);
  }

  private issuesText(issues: readonly { field: string; message: string }[]): string {
    return issues.map((i) => `${i.field}: ${i.message}`).join("; ");
  }

  /** Why the venue refuses the order, or undefined after reserving its holds / margin. */
  private admission(o: SimOrder): Rejection | undefined {
    const st = o.inst;
    const inst = st.inst;
    const isLeg = o.role === "take-profit" || o.role === "stop-loss";
    const spec = isLeg && !st.deriv ? { ...o.spec, reduceOnly: false } : o.spec;
    const issues = validateOrderForInstrument(spec, inst);
    if (issues.length > 0) return { reason: this.issuesText(issues), code: issues[0]!.code };
    if (o.expireTime <= this.actionAt) {
      return { reason: "expire time has already passed", code: "expire-time-in-past" };
    }
    if (o.role === "entry" && o.group !== undefined) {
      for (const leg of [o.group.takeProfit, o.group.stopLoss]) {
        const legSpec = st.deriv ? leg.spec : { ...leg.spec, reduceOnly: false };
        const legIssues = validateOrderForInstrument(legSpec, inst, leg.role);
        if (legIssues.length > 0) return { reason: this.issuesText(legIssues), code: legIssues[0]!.code };
      }
    }
    const settings: Rejection | OrderSettings = this.account.orderSettings(o);
    if ("code" in settings) return settings;
    if (o.postOnly && o.price !== undefined) {
      const ref = this.refPrice(st, o.buy);
      const p = o.price.toNumber();
      if (Number.isFinite(ref) && (o.buy ? p >= ref : p <= ref)) {
        return { reason: "post-only order would take liquidity", code: "POST_ONLY" };
      }
    }
    return this.account.reserve(o, settings);
  }

  /** The price an arriving order would trade against: book best, quote, else last price. */
  private refPrice(st: InstState, buy: boolean): number {
    if (st.book?.active === true) {
      const p = buy ? st.book.bestAsk() : st.book.bestBid();
      if (Number.isFinite(p)) return p;
    }
    const q = buy ? st.quoteAsk : st.quoteBid;
    if (Number.isFinite(q) && q > 0) return q;
    return st.lastPrice;
  }

  /** Price used to estimate what an order will cost (limit, trigger, or last ± buffer). */
  private estimatePrice(o: SimOrder): Decimal | undefined {
    if (o.kind === "limit" || o.kind === "stop-limit") return o.price;
    const buffer = o.buy ? ONE.plus(this.marketBuffer) : ONE.minus(this.marketBuffer);
    if (o.kind === "stop") return o.buy ? o.trigger!.mul(buffer) : o.trigger;
    const ref = this.refPrice(o.inst, o.buy);
    if (!Number.isFinite(ref) || ref <= 0) return undefined;
    return D(ref).mul(buffer);
  }

  private feeCtx(
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
      tsEvent: this.time,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Cancel, modify, finish
  // -------------------------------------------------------------------------------------------

  private statelessReject(coid: ClientOrderId, instrumentId: InstrumentId, kind: "cancel" | "modify"): void {
    const known = this.finished.get(coid);
    const reason = known === undefined ? "unknown order" : `order is already ${known.status}`;
    const base = {
      eventId: this.eventIds.next(),
      tsEvent: this.time,
      tsInit: this.time,
      clientOrderId: coid,
      instrumentId: known?.instrumentId ?? instrumentId,
      reason,
    };
    this.emit(
      kind === "cancel" ? { ...base, type: "OrderCancelRejected" } : { ...base, type: "OrderModifyRejected" },
    );
  }

  private doCancel(coid: ClientOrderId, instrumentId: InstrumentId): void {
    const o = this.orders.get(coid);
    if (o === undefined) {
      this.statelessReject(coid, instrumentId, "cancel");
      return;
    }
    if (o.state.status === "initialized") {
      this.venueCancel(o);
      return;
    }
    if (o.cancelPending) {
      this.logger.debug("cancel already pending", { clientOrderId: coid });
      return;
    }
    this.orderEvent(o, { ...this.meta(o), type: "OrderPendingCancel" });
    o.cancelPending = true;
    const delay = this.latency.cancelDelayMs();
    if (delay === 0) this.applyCancel(o);
    else this.schedule(this.time + delay, () => this.applyCancel(o));
  }

  private applyCancel(o: SimOrder): void {
    o.cancelPending = false;
    if (isTerminalStatus(o.state.status)) {
      this.orderEvent(o, {
        ...this.meta(o),
        type: "OrderCancelRejected",
        reason: `order is already ${o.state.status}`,
      });
      return;
    }
    this.orderEvent(o, { ...this.meta(o), type: "OrderCanceled", venueOrderId: o.vid });
    this.finishOrder(o);
  }

  /** A cancel decided by the venue itself (IOC remainder, OCO, liquidation, expiry of a leg's entry). */
  private venueCancel(o: SimOrder): void {
    if (isTerminalStatus(o.state.status)) return;
    this.orderEvent(o, {
      ...this.meta(o),
      type: "OrderCanceled",
      ...(o.state.status === "initialized" ? {} : { venueOrderId: o.vid }),
    });
    o.cancelPending = false;
    this.finishOrder(o);
  }

  private doModify(cmd: ModifyOrder): void {
    const o = this.orders.get(cmd.clientOrderId);
    if (o === undefined) {
      this.statelessReject(cmd.clientOrderId, cmd.instrumentId, "modify");
      return;
    }
    if (o.state.status === "initialized") return;
    const refuse = (reason: string) =>
      this.orderEvent(o, { ...this.meta(o), type: "OrderModifyRejected", reason });
    if (o.kind === "market") {
      refuse("market orders cannot be modified");
      return;
    }
    if (o.isIocFok) {
      refuse(`${o.tif} orders cannot be modified`);
      return;
    }
    if (cmd.price !== undefined && o.price === undefined) {
      refuse(`a ${o.kind} order has no limit price`);
      return;
    }
    if (cmd.triggerPrice !== undefined && o.trigger === undefined) {
      refuse(`a ${o.kind} order has no trigger price`);
      return;
    }
    if (cmd.triggerPrice !== undefined && o.triggered) {
      refuse("the order has already triggered");
      return;
    }
    if (cmd.quantity !== undefined && o.group !== undefined && o.role !== "entry") {
      refuse("a bracket leg's quantity follows its entry");
      return;
    }
    if (!o.state.isAccepted) {
      refuse("the order is not live yet");
      return;
    }
    if (o.cancelPending) {
      refuse("a cancel is pending");
      return;
    }
    if (o.modifyPending) {
      refuse("a modify is already pending");
      return;
    }
    this.orderEvent(o, { ...this.meta(o), type: "OrderPendingUpdate" });
    o.modifyPending = true;
    const delay = this.latency.modifyDelayMs();
    if (delay === 0) this.applyModify(o, cmd);
    else this.schedule(this.time + delay, () => this.applyModify(o, cmd));
  }

  private applyModify(o: SimOrder, cmd: ModifyOrder): void {
    o.modifyPending = false;
    const refuse = (reason: string) =>
      this.orderEvent(o, { ...this.meta(o), type: "OrderModifyRejected", reason });
    if (isTerminalStatus(o.state.status)) {
      refuse(`order is already ${o.state.status}`);
      return;
    }
    if (o.state.status === "pending-cancel") {
      refuse("a cancel is pending");
      return;
    }
    const st = o.inst;
    const quantity = cmd.quantity ?? o.state.quantity;
    const price = cmd.price ?? o.price;
    const trigger = cmd.triggerPrice ?? o.trigger;
    if (!quantity.gt(o.filled)) {
      refuse(`quantity must exceed the filled ${o.filled.toString()}`);
      return;
    }
    const spec = {
      ...o.spec,
      quantity,
      ...(price === undefined ? {} : { price }),
      ...(trigger === undefined ? {} : { triggerPrice: trigger }),
    } as OrderSpec;
    const isLeg = o.group !== undefined && o.role !== "entry";
    const issues = validateOrderForInstrument(
      isLeg && !st.deriv ? { ...spec, reduceOnly: false } : spec,
      st.inst,
    );
    if (issues.length > 0) {
      refuse(this.issuesText(issues));
      return;
    }
    if (o.postOnly && price !== undefined) {
      const ref = this.refPrice(st, o.buy);
      const p = price.toNumber();
      if (Number.isFinite(ref) && (o.buy ? p >= ref : p <= ref)) {
        refuse("post-only order would take liquidity");
        return;
      }
    }
    // Re-reserve for the new remaining quantity; keep the old reservation if that fails.
    const oldHold = o.hold;
    const oldMargin = o.margin;
    const oldPrice = o.price;
    const oldTrigger = o.trigger;
    this.releaseReservation(o);
    o.price = price;
    o.trigger = trigger;
    const savedState = o.state;
    o.state = { ...o.state, quantity, leavesQty: quantity.minus(o.filled) };
    const failure = this.account.reserve(o, { leverage: st.leverage, marginType: st.marginType });
    o.state = savedState;
    if (failure !== undefined) {
      o.price = oldPrice;
      o.trigger = oldTrigger;
      this.restoreReservation(o, oldHold, oldMargin);
      refuse(failure.reason);
      return;
    }
    this.orderEvent(o, {
      ...this.meta(o),
      type: "OrderUpdated",
      venueOrderId: o.vid,
      quantity,
      ...(cmd.price === undefined ? {} : { price: cmd.price }),
      ...(cmd.triggerPrice === undefined ? {} : { triggerPrice: cmd.triggerPrice }),
    });
    o.refreshLevels();
    o.liveAt = this.time;
    o.queueAhead =
      this.queueModel && st.book?.active === true && o.priceN > 0 ? st.book.sizeAt(o.buy, o.priceN) : 0;
    st.dirty = true;
  }

  private releaseReservation(o: SimOrder): void {
    this.account.release(o);
  }

  private restoreReservation(o: SimOrder, hold: Decimal, margin: Decimal): void {
    this.account.restore(o, hold, margin);
  }

  private remember(coid: ClientOrderId, status: OrderStatus, instrumentId: InstrumentId): void {
    this.finished.set(coid, { status, instrumentId });
    if (this.finished.size > this.rememberFinished) {
      const oldest = this.finished.keys().next().value;
      if (oldest !== undefined) this.finished.delete(oldest);
    }
  }

  /** Cleanup once an order is terminal: working list, reservations, bracket consequences. */
  private finishOrder(o: SimOrder): void {
    const st = o.inst;
    st.removeWorking(o);
    this.releaseReservation(o);
    this.orders.delete(o.coid);
    this.remember(o.coid, o.state.status, o.inst.id);
    const g = o.group;
    if (g === undefined) return;
    if (o.role === "entry") {
      if (o.filled.isZero()) {
        this.venueCancel(g.takeProfit);
        this.venueCancel(g.stopLoss);
      }
    } else {
      this.adjustGroupHold(g);
    }
  }

  private expire(st: InstState, t: number, strict: boolean): void {
    const due = st.orders.filter((o) => (strict ? o.expireTime < t : o.expireTime <= t));
    due.sort((a, b) => a.expireTime - b.expireTime || a.seq - b.seq);
    for (const o of due) {
      if (isTerminalStatus(o.state.status)) continue;
      this.advance(o.expireTime);
      this.orderEvent(o, { ...this.meta(o), type: "OrderExpired", venueOrderId: o.vid });
      this.finishOrder(o);
    }
    st.recompute();
  }

  // -------------------------------------------------------------------------------------------
  // Bars
  // -------------------------------------------------------------------------------------------

  private processBar(st: InstState, bar: Bar): void {
    const tOpen = bar.tsOpen;
    const tEnd = bar.tsEvent;
    if (!(bar.low <= bar.high)) {
      throw new PaperEngineError("invalid-data", `bar of ${st.id} at ${tOpen}: low above high`);
    }
    if (this.nextTimed <= tOpen) this.runTimed(tOpen);
    if (st.dirty) st.recompute();
    if (st.minExpire < tEnd) this.expire(st, tEnd, true);
    this.advance(tEnd);
    if (st.orders.length > 0 || st.liqActive) this.matchBar(st, bar);
    st.lastPrice = bar.close;
    if (tEnd >= st.valTs) {
      st.valPrice = bar.close;
      st.valTs = tEnd;
    }
    st.prevBarOpen = tOpen;
    if (this.nextTimed <= tEnd) this.runTimed(tEnd);
    if (st.dirty) st.recompute();
    if (st.minExpire <= tEnd) this.expire(st, tEnd, false);
    if (st.nextFunding <= tEnd) this.runFunding(st, tEnd);
  }

  private matchBar(st: InstState, bar: Bar): void {
    if (st.dirty) st.recompute();
    const o = bar.open;
    const h = bar.high;
    const l = bar.low;
    let liqHit = false;
    if (st.liqActive) {
      const L = this.liqLevel(st);
      liqHit = st.qN > 0 ? l <= L : h >= L;
    }
    if (st.marketCount === 0 && st.iocCount === 0 && !(l <= st.maxDown) && !(h >= st.minUp) && !liqHit)
      return;
    this.step++;
    st.volLeft = this.participation > 0 ? this.participation * bar.volume : Number.POSITIVE_INFINITY;
    const cands = this.cands;
    cands.length = 0;
    const tOpen = bar.tsOpen;
    for (const ord of st.orders) {
      if (ord.liveAt > tOpen) continue;
      if (ord.dir === 0 || ord.isIocFok || (ord.dir < 0 ? l <= ord.level : h >= ord.level)) cands.push(ord);
    }
    if (cands.length === 0 && !liqHit) return;
    this.inPath = true;
    this.stepStart = tOpen;
    try {
      const vol = o > 0 ? (h - l) / o : 0;
      this.pathVol = vol;
      // The open: market orders, gaps through triggers and limits, arrivals marketable at the open.
      this.runPath(st, o, o, 0, l, h);
      for (const ord of cands) {
        if (ord.idx >= 0 && ord.isIocFok) this.venueCancel(ord);
        ord.restedStep = this.step;
      }
      const dLow = o - l;
      const dHigh = h - o;
      const lowFirst = dLow < dHigh || (dLow === dHigh && this.lowFirst);
      const p1 = lowFirst ? l : h;
      const p2 = lowFirst ? h : l;
      this.runPath(st, o, p1, Math.sign(p1 - o), l, h);
      this.runPath(st, p1, p2, Math.sign(p2 - p1), l, h);
      this.runPath(st, p2, bar.close, Math.sign(bar.close - p2), l, h);
    } finally {
      this.inPath = false;
      cands.length = 0;
    }
  }

  private pathVol = 0;

  /** Whether a bar-mode order is still in its arrival (it has not rested yet). */
  private fresh(st: InstState, ord: SimOrder): boolean {
    return ord.restedStep !== this.step && (ord.activatedStep === this.step || ord.liveAt > st.prevBarOpen);
  }

  /** 0 if the order fires at `cur`, the distance along the segment to where it fires, or Infinity. */
  private firePos(st: InstState, ord: SimOrder, cur: number, to: number, dir: number): number {
    if (ord.dir === 0) return 0;
    const L = ord.level;
    const strict = ord.limitType && this.through && !this.fresh(st, ord);
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
  private runPath(st: InstState, from: number, to: number, dir: number, lo: number, hi: number): void {
    let cur = from;
    const cands = this.cands;
    for (let guard = 0; guard < 100_000; guard++) {
      let best: SimOrder | undefined;
      let bestPos = Number.POSITIVE_INFINITY;
      for (let i = 0; i < cands.length; i++) {
        const ord = cands[i]!;
        if (ord.idx < 0 || ord.blockedStep === this.step) continue;
        const pos = this.firePos(st, ord, cur, to, dir);
        if (pos !== 0) ord.restedStep = this.step;
        if (pos < bestPos || (pos === bestPos && best !== undefined && ord.seq < best.seq)) {
          best = ord;
          bestPos = pos;
        }
      }
      if (st.liqActive) {
        const L = this.liqLevel(st);
        let liqPos = Number.POSITIVE_INFINITY;
        if (st.qN > 0) {
          if (L >= cur) liqPos = 0;
          else if (dir < 0 && L >= to) liqPos = cur - L;
        } else if (L <= cur) liqPos = 0;
        else if (dir > 0 && L <= to) liqPos = L - cur;
        if (liqPos < bestPos) {
          const px = liqPos === 0 ? cur : L;
          this.liquidate(st, px, L, lo, hi);
          cur = px;
          continue;
        }
      }
      if (best === undefined) return;
      const px = bestPos === 0 ? cur : best.level;
      cur = px;
      this.fireBar(st, best, px, bestPos === 0, lo, hi);
    }
    throw new PaperEngineError("invalid-data", `bar path of ${st.id} did not settle`);
  }

  private fireBar(st: InstState, ord: SimOrder, px: number, atCur: boolean, lo: number, hi: number): void {
    const fresh = atCur && this.fresh(st, ord);
    if ((ord.kind === "stop" || ord.kind === "stop-limit") && !ord.triggered) {
      this.triggerOrder(ord);
      if (ord.kind === "stop-limit") {
        // Now a limit order arriving at this point of the path.
        ord.activatedStep = this.step;
        ord.restedStep = -1;
        return;
      }
      this.takeAt(st, ord, px, lo, hi, this.pathVol);
      return;
    }
    if (ord.dir === 0) {
      this.takeAt(st, ord, px, lo, hi, this.pathVol);
      return;
    }
    // A limit: at its price, or at the better current price (a gap, or marketable on arrival).
    let price: Decimal;
    if (px === ord.level) price = ord.price!;
    else {
      price = this.toPrice(st, px, "half-even");
      price = ord.buy ? minD(price, ord.price!) : maxD(price, ord.price!);
      price = this.clampPrice(price, lo, hi);
    }
    const liquidity: LiquiditySide = fresh && !ord.postOnly ? "taker" : "maker";
    this.fillCapped(st, ord, price, liquidity);
  }

  /** A taker execution at `px` ± slippage (market orders, triggered stop-markets). */
  private takeAt(st: InstState, ord: SimOrder, px: number, lo: number, hi: number, vol: number): void {
    const slipped = this.slippage.slippedPrice({
      instrument: st.inst,
      side: ord.buy ? "buy" : "sell",
      price: px,
      quantity: ord.leaves.toNumber(),
      volatility: vol,
    });
    let price: Decimal;
    if (slipped === px) price = this.toPrice(st, px, "half-even");
    else {
      const bounded = this.clamp && Number.isFinite(lo) ? Math.min(hi, Math.max(lo, slipped)) : slipped;
      price = this.toPrice(st, bounded, ord.buy ? "up" : "down");
    }
    if (this.clamp) price = this.clampPrice(price, lo, hi);
    if (!price.gt(0)) price = st.inst.priceIncrement;
    this.fillCapped(st, ord, price, "taker");
  }

  /** Fills up to the volume cap; an order that is still working afterwards waits for the next step. */
  private fillCapped(st: InstState, ord: SimOrder, price: Decimal, liquidity: LiquiditySide): void {
    let qty = ord.leaves;
    if (st.volLeft !== Number.POSITIVE_INFINITY) {
      const cap = st.volLeft > 0 ? roundToIncrement(D(st.volLeft), st.inst.sizeIncrement, "down") : ZERO;
      if (cap.lt(qty)) qty = cap;
    }
    const fok = ord.tif === "FOK";
    if (fok && qty.lt(ord.leaves)) {
      this.venueCancel(ord);
      return;
    }
    if (!qty.gt(0)) {
      ord.blockedStep = this.step;
      return;
    }
    this.fill(ord, price, qty, liquidity, fok);
    if (ord.idx >= 0) ord.blockedStep = this.step;
  }

  private toPrice(st: InstState, px: number, mode: "half-even" | "up" | "down"): Decimal {
    const d = D(px);
    const inc = st.inst.priceIncrement;
    if (d.mod(inc).isZero()) return d;
    const r = roundToIncrement(d, inc, mode);
    return r.gt(0) ? r : inc;
  }

  private clampPrice(price: Decimal, lo: number, hi: number): Decimal {
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return price;
    const dl = D(lo);
    if (price.lt(dl)) return dl;
    const dh = D(hi);
    if (price.gt(dh)) return dh;
    return price;
  }

  private triggerOrder(ord: SimOrder): void {
    this.orderEvent(ord, { ...this.meta(ord), type: "OrderTriggered", venueOrderId: ord.vid });
    ord.triggered = true;
    ord.refreshLevels();
    ord.inst.dirty = true;
  }

  // -------------------------------------------------------------------------------------------
  // Trades and books
  // -------------------------------------------------------------------------------------------

  /** Arrival check in trade mode (with a book, arrivals were matched against it when accepted). */
  private freshTrade(st: InstState, ord: SimOrder): boolean {
    if (ord.restedStep === this.step) return false;
    if (ord.activatedStep === this.step) return true;
    return st.book?.active !== true && ord.liveAt > st.prevTradeTs;
  }

  private matchTrade(st: InstState, tr: Trade): void {
    if (st.dirty) st.recompute();
    const p = tr.price;
    const ts = tr.tsEvent;
    this.step++;
    st.volLeft = this.participation > 0 ? this.participation * tr.size : Number.POSITIVE_INFINITY;
    let tradeLeft = tr.size;
    const cands = this.cands;
    cands.length = 0;
    for (const ord of st.orders) {
      if (ord.liveAt >= ts) continue;
      if (ord.dir === 0 || ord.isIocFok || (ord.dir < 0 ? p <= ord.level : p >= ord.level)) cands.push(ord);
    }
    this.inPath = true;
    this.stepStart = ts;
    const book = st.book?.active === true ? st.book : undefined;
    try {
      for (let guard = 0; guard < 100_000; guard++) {
        let best: SimOrder | undefined;
        for (const ord of cands) {
          if (ord.idx < 0 || ord.blockedStep === this.step) continue;
          if (!this.tradeFires(st, ord, p, tr.aggressorSide)) {
            ord.restedStep = this.step;
            continue;
          }
          if (best === undefined || ord.seq < best.seq) best = ord;
        }
        if (st.liqActive) {
          const L = this.liqLevel(st);
          if (st.qN > 0 ? p <= L : p >= L) {
            this.liquidate(st, p, L, Number.NaN, Number.NaN);
            continue;
          }
        }
        if (best === undefined) break;
        const ord = best;
        const fresh = this.freshTrade(st, ord);
        if ((ord.kind === "stop" || ord.kind === "stop-limit") && !ord.triggered) {
          this.triggerOrder(ord);
          if (ord.kind === "stop-limit") {
            ord.activatedStep = this.step;
            ord.restedStep = -1;
            continue;
          }
        }
        if (ord.dir === 0) {
          if (book !== undefined) this.walkBook(st, ord, book, Number.NaN);
          else this.takeAt(st, ord, p, Number.NaN, Number.NaN, st.absRetEwma);
          if (ord.idx >= 0) ord.blockedStep = this.step;
          continue;
        }
        if (fresh && !ord.postOnly) {
          if (book !== undefined) this.walkBook(st, ord, book, ord.priceN);
          else this.fillCapped(st, ord, this.toPrice(st, p, "half-even"), "taker");
          if (ord.idx >= 0) ord.blockedStep = this.step;
          continue;
        }
        // A resting limit: the print trades through it, or at it after the queue ahead.
        let avail = tradeLeft;
        if (p === ord.level && book !== undefined && this.queueModel) {
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
        const filled = qty.gt(0) ? this.fill(ord, ord.price!, qty, "maker") : ZERO;
        tradeLeft -= filled.toNumber();
        if (ord.idx >= 0) ord.blockedStep = this.step;
      }
      for (const ord of cands)
        if (ord.idx >= 0 && ord.isIocFok && ord.liveAt > st.prevTradeTs) this.venueCancel(ord);
    } finally {
      this.inPath = false;
      cands.length = 0;
    }
  }

  private tradeFires(st: InstState, ord: SimOrder, p: number, aggressor: Trade["aggressorSide"]): boolean {
    if (ord.dir === 0) return true;
    const L = ord.level;
    if (!ord.limitType) return ord.dir < 0 ? p <= L : p >= L;
    if (this.freshTrade(st, ord)) return ord.buy ? p <= L : p >= L;
    if (ord.buy ? p < L : p > L) return true;
    if (p !== L) return false;
    // Exactly at our price: only a print by the other side can reach us.
    const contra = ord.buy ? aggressor !== "buy" : aggressor !== "sell";
    if (!contra) return false;
    if (st.book?.active === true && this.queueModel) return true;
    return !this.through;
  }

  /** Matches an order that became live while a book is present. */
  private matchBookArrival(st: InstState, o: SimOrder): void {
    const book = st.book!;
    if (o.dir === 0) {
      this.walkBook(st, o, book, Number.NaN);
    } else if (o.limitType && !o.postOnly) {
      const marketable = o.buy ? book.bestAsk() <= o.priceN : book.bestBid() >= o.priceN;
      if (marketable) this.walkBook(st, o, book, o.priceN);
    }
    if (o.idx < 0) return;
    if (o.isIocFok) {
      this.venueCancel(o);
      return;
    }
    if (o.limitType) o.queueAhead = this.queueModel ? book.sizeAt(o.buy, o.priceN) : 0;
  }

  /** Takes liquidity level by level (up to `limit` if finite). FOK needs the whole quantity. */
  private walkBook(st: InstState, o: SimOrder, book: Book, limit: number): void {
    const levels = o.buy ? book.asks : book.bids;
    const bound = Number.isFinite(limit) ? limit : o.buy ? Number.POSITIVE_INFINITY : 0;
    if (o.tif === "FOK" && book.depthUpTo(o.buy, bound) < o.leaves.toNumber() - 1e-12) {
      this.venueCancel(o);
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
      const filled = this.fill(o, this.toPrice(st, lvl.price, o.buy ? "up" : "down"), qty, "taker");
      if (filled.isZero()) break;
      book.consume(!o.buy, lvl.price, filled.toNumber());
      if (filled.lt(qty)) break;
    }
  }

  private afterBookChange(st: InstState): void {
    const book = st.book!;
    if (st.dirty) st.recompute();
    this.step++;
    const bestAsk = book.bestAsk();
    const bestBid = book.bestBid();
    const resting = st.orders
      .filter((o) => o.limitType && o.liveAt <= this.time)
      .sort((a, b) => a.seq - b.seq);
    for (const o of resting) {
      if (o.idx < 0) continue;
      if (this.queueModel) o.queueAhead = Math.min(o.queueAhead, book.sizeAt(o.buy, o.priceN));
      const crossed = o.buy ? bestAsk <= o.priceN : bestBid >= o.priceN;
      if (!crossed) continue;
      // Public orders now cross ours: they would have matched us at our price (we were resting).
      let avail = roundToIncrement(D(book.depthUpTo(o.buy, o.priceN)), st.inst.sizeIncrement, "down");
      if (avail.gt(o.leaves)) avail = o.leaves;
      if (!avail.gt(0)) continue;
      const filled = this.fill(o, o.price!, avail, "maker");
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

  // -------------------------------------------------------------------------------------------
  // Fills and bookkeeping
  // -------------------------------------------------------------------------------------------

  /**
   * Books one execution of `ord` for up to `wanted` at `price`; returns the quantity filled.
   * Reduce-only and cash limits may clip it; with `allOrNothing` (FOK) a clipped order is
   * canceled instead.
   */
  private fill(
    ord: SimOrder,
    price: Decimal,
    wanted: Decimal,
    liquidity: LiquiditySide,
    allOrNothing = false,
  ): Decimal {
    const st = ord.inst;
    let qty = wanted.gt(ord.leaves) ? ord.leaves : wanted;
    if (ord.reduceOnly && st.deriv) {
      const pos = st.position?.quantity ?? ZERO;
      const allowed = !pos.isZero() && pos.gt(0) !== ord.buy ? pos.abs() : ZERO;
      if (allowed.lt(qty)) qty = allowed;
      if (!qty.gt(0)) {
        this.venueCancel(ord);
        return ZERO;
      }
    }
    let fee = this.fees.commission(this.feeCtx(st, ord.buy, qty, price, liquidity));
    const funding: FillFunding | undefined = this.account.fund(ord, qty, price, fee, liquidity);
    if (funding === undefined) {
      this.venueCancel(ord);
      return ZERO;
    }
    if (!funding.qty.eq(qty)) {
      qty = funding.qty;
      fee = funding.fee;
    }
    if (allOrNothing && qty.lt(wanted)) {
      this.venueCancel(ord);
      return ZERO;
    }
    const ctx = this.feeCtx(st, ord.buy, qty, price, liquidity);
    this.fees.recordFill?.(ctx);
    this.account.consume(ord, qty, funding);
    const tid = makeTradeId(`${this.prefix}-t${++this.tradeSeq}`);
    const filledEvent: OrderFilled = {
      ...this.meta(ord),
      type: "OrderFilled",
      venueOrderId: ord.vid,
      tradeId: tid,
      side: ord.buy ? "buy" : "sell",
      lastQty: qty,
      lastPrice: price,
      commission: fee,
      commissionCurrency: st.settle,
      liquiditySide: liquidity,
      accountId: this.accountId,
    };
    ord.state = applyOrderEvent(ord.state, filledEvent);
    const before = st.position;
    this.account.bookFill(st, filledEvent);
    if (st.volLeft !== Number.POSITIVE_INFINITY) st.volLeft -= qty.toNumber();
    this.emit(filledEvent);
    this.emit(
      createPositionEvent(before, st.position!, { eventId: this.eventIds.next(), tsInit: this.time }),
    );
    this.emitAccountUpdate();
    if (ord.state.status === "filled") this.finishOrder(ord);
    const g = ord.group;
    if (g !== undefined) {
      if (ord.role === "entry") this.onEntryFill(g, qty);
      else this.onLegFill(g, ord, qty);
    }
    if (ord.reduceOnly && st.deriv && ord.idx >= 0 && st.qN === 0) this.venueCancel(ord);
    return qty;
  }

  private emitAccountUpdate(): void {
    if (!this.emitAccount || this.handlers.length === 0) return;
    this.emit({
      type: "AccountUpdated",
      eventId: this.eventIds.next(),
      tsEvent: this.time,
      tsInit: this.time,
      accountId: this.accountId,
      state: this.account.state(this.time),
      reported: false,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Brackets
  // -------------------------------------------------------------------------------------------

  private onEntryFill(g: BracketGroup, qty: Decimal): void {
    g.remaining = g.remaining.plus(qty);
    if (!g.legsActive) {
      g.legsActive = true;
      for (const leg of [g.takeProfit, g.stopLoss]) {
        if (leg.state.status !== "initialized") continue;
        this.orderEvent(leg, { ...this.meta(leg), type: "OrderSubmitted", accountId: this.accountId });
        this.accept(leg);
        this.updateLegQty(g, leg);
      }
    } else {
      for (const leg of [g.takeProfit, g.stopLoss]) this.updateLegQty(g, leg);
    }
    this.adjustGroupHold(g);
  }

  private updateLegQty(g: BracketGroup, leg: SimOrder): void {
    const s = leg.state.status;
    if (s === "initialized" || isTerminalStatus(s) || s === "pending-cancel" || !g.remaining.gt(0)) return;
    const target = leg.filled.plus(g.remaining);
    if (target.eq(leg.state.quantity)) return;
    this.orderEvent(leg, {
      ...this.meta(leg),
      type: "OrderUpdated",
      venueOrderId: leg.vid,
      quantity: target,
    });
  }

  private onLegFill(g: BracketGroup, leg: SimOrder, qty: Decimal): void {
    g.remaining = maxD(ZERO, g.remaining.minus(qty));
    const other = leg === g.takeProfit ? g.stopLoss : g.takeProfit;
    if (leg.state.status === "filled") this.venueCancel(other);
    else this.updateLegQty(g, other);
    this.adjustGroupHold(g);
  }

  /** Spot brackets: the legs (sells of what the entry bought) share one base-currency hold. */
  private adjustGroupHold(g: BracketGroup): void {
    this.account.groupHoldChanged(g);
  }

  // -------------------------------------------------------------------------------------------
  // Margin, liquidation, funding
  // -------------------------------------------------------------------------------------------

  private liqLevel(st: InstState): number {
    return this.account.liqLevel(st);
  }

  private checkLiquidationAt(st: InstState, price: number): void {
    if (!st.liqActive) return;
    const L = this.liqLevel(st);
    if (st.qN > 0 ? price <= L : price >= L) this.liquidate(st, price, L, Number.NaN, Number.NaN);
  }

  /**
   * Closes the whole position at `px` (the liquidation price, or a worse price the market gapped
   * to), charging the liquidation fee. Open orders of the instrument are canceled first.
   */
  private liquidate(st: InstState, px: number, level: number, lo: number, hi: number): void {
    const before = st.position!;
    for (const o of [...st.orders].sort((a, b) => a.seq - b.seq)) this.venueCancel(o);
    for (const o of [...this.orders.values()])
      if (o.inst === st && o.state.status === "initialized") this.venueCancel(o);
    const long = before.quantity.gt(0);
    let price = this.toPrice(st, px > 0 ? px : st.inst.priceIncrement.toNumber(), long ? "down" : "up");
    price = this.clampPrice(price, lo, hi);
    if (!price.gt(0)) price = st.inst.priceIncrement;
    const qty = before.quantity.abs();
    const fee = qty.mul(price).mul(st.cs).mul(this.liqFeeRate);
    const tid = makeTradeId(`${this.prefix}-liq${++this.tradeSeq}`);
    // The closing execution reaches the event stream as a forced fill, so a ledger that books
    // the stream holds what the venue holds.
    const forced: ForcedFill = {
      type: "ForcedFill",
      kind: "liquidation",
      eventId: this.eventIds.next(),
      tsEvent: this.time,
      tsInit: this.time,
      accountId: this.accountId,
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
    let deficit = this.account.bookLiquidation(st, before, after, fee);
    this.emit(forced);
    this.emit(createPositionEvent(before, after, { eventId: this.eventIds.next(), tsInit: this.time }));
    if (st.marginType === "cross" && !this.sweeping) {
      this.sweeping = true;
      try {
        for (const j of this.account.liquidationSweep()) {
          if (!j.liqActive) continue;
          const L = this.liqLevel(j);
          if (j.qN > 0 ? j.valPrice <= L : j.valPrice >= L)
            this.liquidate(j, j.valPrice, L, Number.NaN, Number.NaN);
        }
      } finally {
        this.sweeping = false;
      }
    }
    if (!this.sweeping) deficit = deficit.plus(this.account.coverDeficit());
    this.account.recordDeficit(deficit);
    if (deficit.gt(0)) {
      this.emit({
        type: "BalanceAdjusted",
        eventId: this.eventIds.next(),
        tsEvent: this.time,
        tsInit: this.time,
        accountId: this.accountId,
        currency: this.account.equityCurrency,
        amount: deficit,
        reason: "deficit-covered",
        instrumentId: st.id,
      });
    }
    this.emitAccountUpdate();
    const notice: PositionLiquidated = {
      type: "PositionLiquidated",
      tsEvent: this.time,
      accountId: this.accountId,
      instrumentId: st.id,
      quantity: before.quantity,
      liquidationPrice: Number.isFinite(level) && level > 0 ? D(level) : price,
      price,
      fee,
      realizedPnl: realized,
      marginType: st.marginType,
      equityAfter: this.account.equity().equity,
      tradeId: tid,
    };
    this.notify(notice);
    if (deficit.gt(0)) {
      const n: NegativeEquity = {
        type: "NegativeEquity",
        tsEvent: this.time,
        accountId: this.accountId,
        currency: this.account.equityCurrency,
        deficit,
        instrumentId: st.id,
      };
      this.notify(n);
    }
  }

  private addFunding(st: InstState, fundingTime: number, rate: DecimalInput): void {
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

  private runFunding(st: InstState, upTo: number): void {
    const list = st.fundings;
    let n = 0;
    while (n < list.length && list[n]!.fundingTime <= upTo) {
      const e = list[n]!;
      n++;
      this.advance(e.fundingTime);
      this.payFunding(st, e);
    }
    if (n > 0) list.splice(0, n);
    st.nextFunding = list[0]?.fundingTime ?? Number.POSITIVE_INFINITY;
  }

  private payFunding(st: InstState, e: PendingFunding): void {
    const p = st.position;
    if (this.account.kind !== "margin" || p === undefined || p.quantity.isZero()) return;
    const mark = markOf(st);
    if (mark === undefined) {
      this.logger.warn("funding skipped: no price known", {
        instrumentId: st.id,
        fundingTime: e.fundingTime,
      });
      return;
    }
    const payment = fundingPayment(p, mark, e.rate);
    st.position = applyFunding(p, payment, this.time);
    this.account.bookFunding(st, payment);
    this.emit({
      type: "FundingApplied",
      eventId: this.eventIds.next(),
      tsEvent: this.time,
      tsInit: this.time,
      accountId: this.accountId,
      instrumentId: st.id,
      rate: e.rate,
      markPrice: mark,
      positionQuantity: p.quantity,
      payment,
      currency: st.settle,
    });
    this.emitAccountUpdate();
    this.checkLiquidationAt(st, st.valPrice);
  }

  // -------------------------------------------------------------------------------------------
  // Account views
  // -------------------------------------------------------------------------------------------

  private buildAccountState(): AccountState {
    return this.account.state(this.time);
  }

  private buildSnapshot(): AccountSnapshot {
    let realized = ZERO;
    let unrealized = ZERO;
    let commissions = ZERO;
    let funding = ZERO;
    const positions: PositionSnapshot[] = [];
    for (const st of this.insts.values()) {
      const p = st.position;
      if (p === undefined) continue;
      realized = realized.plus(p.realizedPnl);
      commissions = commissions.plus(p.commissions);
      funding = funding.plus(p.funding);
      if (p.quantity.isZero()) continue;
      const mark = markOf(st) ?? p.avgEntryPrice.abs();
      const u = unrealizedPnl(p, mark);
      unrealized = unrealized.plus(u);
      const notional = p.quantity.abs().mul(mark).mul(st.cs);
      positions.push({
        instrumentId: st.id,
        position: p,
        markPrice: mark,
        unrealizedPnl: u,
        notional,
        ...this.account.positionMargin(st, notional),
      });
    }
    const { equity, unvalued } = this.account.equity();
    const margin = this.account.marginFigures();
    const balances = this.account.balances(this.time);
    return {
      accountId: this.accountId,
      accountType: this.accountType,
      tsEvent: this.time,
      balances,
      equity,
      equityCurrency: this.account.equityCurrency,
      unvaluedCurrencies: [...unvalued],
      marginUsed: margin.used,
      maintenanceMargin: margin.maintenance,
      freeMargin: margin.free,
      positions,
      realizedPnl: realized,
      unrealizedPnl: unrealized,
      commissions,
      liquidationFees: this.account.liquidationFees,
      funding,
      deficitCovered: this.account.deficitCovered,
      netPnl: realized.plus(unrealized).minus(commissions).plus(funding),
    };
  }
}

/** Creates a `PaperEngine` (see `PaperEngineConfig`). @throws PaperEngineError (`invalid-config`). */
export function createPaperEngine(config: PaperEngineConfig): PaperEngine {
  return new PaperEngine(config);
}
