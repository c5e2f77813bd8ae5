import {
  type AccountId,
  type AccountState,
  assertNever,
  assertValidCommand,
  type Bar,
  type BookDelta,
  type BookSnapshot,
  type CancelAllOrders,
  type CancelOrder,
  type ClientOrderId,
  type ExecutionEventHandler,
  type ExecutionMassStatus,
  type ExecutionPort,
  type FundingRate,
  type InstrumentId,
  type MarginType,
  type MarketDataEvent,
  type MarkPrice,
  type ModifyOrder,
  type Order,
  type Position,
  type Quote,
  type SubmitBracket,
  type SubmitOrder,
  type Trade,
  type UnixMillis,
} from "@gpt/core";
import type { Decimal, DecimalInput } from "@gpt/quantize";
import { PaperEngineError } from "./errors.js";
import { Book } from "./internal/book.js";
import { submitBracket } from "./internal/brackets.js";
import { addFunding, runFunding } from "./internal/funding.js";
import { cancelAllOrders, cancelOrder, expire, modifyOrder } from "./internal/lifecycle.js";
import { checkLiquidationAt } from "./internal/liquidation.js";
import { processBar } from "./internal/match-bars.js";
import { afterBookChange, matchTrade } from "./internal/match-trades.js";
import { decimalConfig, readConfig } from "./internal/setup.js";
import { InstState, type SimOrder } from "./internal/state.js";
import { submitOrder } from "./internal/submit.js";
import { SimVenue } from "./internal/venue.js";
import { accountSnapshot, massStatus } from "./internal/views.js";
import type { AccountSnapshot, EngineNoticeHandler, PaperEngineConfig } from "./types.js";

/** One funding entry of a series passed to `attachFundingSeries`. */
export interface FundingSeriesEntry {
  /** When the payment is made. */
  readonly fundingTime: UnixMillis;
  /** Rate per interval (fraction; positive: longs pay). Strings keep the exchange's digits. */
  readonly rate: DecimalInput;
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
  /** The venue's state; the work is done by the functions in `internal/`. */
  private readonly v: SimVenue;

  /**
   * @throws PaperEngineError (`invalid-config`) on a bad configuration: no instruments, duplicate
   *   ids, a spot instrument on a margin account (or the reverse), several or missing collateral
   *   currencies, bad leverage, fractions or balances.
   */
  constructor(config: PaperEngineConfig) {
    this.v = new SimVenue(readConfig(config));
    this.accountId = this.v.accountId;
    this.accountType = this.v.accountType;
  }

  // -------------------------------------------------------------------------------------------
  // Public: handlers, time, queries
  // -------------------------------------------------------------------------------------------

  /** Registers an execution event handler; returns the function that removes it (idempotent). */
  onEvent(handler: ExecutionEventHandler): () => void {
    const v = this.v;
    v.handlers = [...v.handlers, handler];
    return () => {
      v.handlers = v.handlers.filter((h) => h !== handler);
    };
  }

  /** Registers a handler for engine notices (liquidations, covered deficits). */
  onNotice(handler: EngineNoticeHandler): () => void {
    const v = this.v;
    v.noticeHandlers = [...v.noticeHandlers, handler];
    return () => {
      v.noticeHandlers = v.noticeHandlers.filter((h) => h !== handler);
    };
  }

  /** Engine time: the latest of the clock, the market data and the commands seen. */
  now(): UnixMillis {
    return this.v.time;
  }

  /** The position record of an instrument (kept after it goes flat), if it ever traded. */
  position(instrumentId: InstrumentId): Position | undefined {
    return this.v.inst(instrumentId).position;
  }

  /** The core snapshot of an order the venue still works on (or an inactive bracket leg). */
  order(clientOrderId: ClientOrderId): Order | undefined {
    return this.v.orders.get(clientOrderId)?.state;
  }

  /** Open orders (and inactive bracket legs), optionally of one instrument, in arrival order. */
  openOrders(instrumentId?: InstrumentId): Order[] {
    const out: SimOrder[] = [];
    for (const o of this.v.orders.values())
      if (instrumentId === undefined || o.inst.id === instrumentId) out.push(o);
    return out.sort((a, b) => a.seq - b.seq).map((o) => o.state);
  }

  /**
   * Sets the leverage of an instrument (margin accounts).
   * @throws PaperEngineError (`invalid-request`) for an isolated position that is open, or a
   *   leverage outside [1, maxLeverage].
   */
  setLeverage(instrumentId: InstrumentId, leverage: DecimalInput): void {
    const st = this.v.inst(instrumentId);
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
    const refusal = this.v.account.setMarginType(this.v.inst(instrumentId), marginType);
    if (refusal !== undefined) throw new PaperEngineError("invalid-request", refusal);
  }

  /** The liquidation price of an open margin position, or undefined (flat, spot, or unreachable). */
  liquidationPrice(instrumentId: InstrumentId): Decimal | undefined {
    return this.v.account.liquidationPrice(this.v.inst(instrumentId));
  }

  /** The account as the core `AccountState`. */
  accountState(): AccountState {
    return this.v.account.state(this.v.time);
  }

  /** Balances, equity, margin and the full PnL breakdown. */
  snapshot(): AccountSnapshot {
    return accountSnapshot(this.v);
  }

  /**
   * The venue's view for reconciliation: open orders, open positions and the account. The engine
   * keeps no fill history (memory stays flat), so `fillReports` is empty.
   */
  generateMassStatus(_sinceMs?: UnixMillis): Promise<ExecutionMassStatus> {
    return Promise.resolve(massStatus(this.v));
  }

  /**
   * Moves engine time forward without market data (paper trading on a wall clock): delayed
   * accepts, cancels and modifies take effect, GTD orders expire, due funding is applied.
   */
  advanceTo(ts: UnixMillis): void {
    const v = this.v;
    v.op(() => {
      v.syncClock();
      if (v.nextTimed <= ts) v.runTimed(ts);
      v.advance(ts);
      for (const st of v.insts.values()) {
        if (st.dirty) st.recompute();
        if (st.minExpire <= ts) expire(v, st, ts, false);
        if (st.nextFunding <= ts) runFunding(v, st, ts);
      }
    });
  }

  /**
   * Attaches a funding-rate series to a perpetual: each entry is paid when engine time reaches
   * its `fundingTime`, at the valuation price of that moment.
   * @throws PaperEngineError (`unknown-instrument`, `invalid-data`).
   */
  attachFundingSeries(instrumentId: InstrumentId, series: readonly FundingSeriesEntry[]): void {
    const st = this.v.inst(instrumentId);
    for (const e of series) addFunding(st, e.fundingTime, e.rate);
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
    const v = this.v;
    const st = v.insts.get(bar.instrumentId);
    const tEnd = bar.tsEvent;
    if (
      st !== undefined &&
      !v.busy &&
      st.orders.length === 0 &&
      !st.liqActive &&
      v.nextTimed > tEnd &&
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
      st.prevBarEnd = tEnd;
      if (tEnd > v.time) v.time = tEnd;
      return;
    }
    if (v.busy) {
      v.queue.push(() => this.onBar(bar));
      return;
    }
    v.busy = true;
    try {
      processBar(v, st ?? v.inst(bar.instrumentId), bar);
      v.drain();
    } finally {
      v.busy = false;
    }
    v.rethrowHandlerError();
  }

  /**
   * Processes one public trade: market orders and marketable arrivals take at the trade price
   * (or walk the book when one is present), resting limits fill when the print trades through
   * them (or at their price, after the queue ahead, in book mode), stops trigger on the print.
   * @throws PaperEngineError (`unknown-instrument`).
   */
  onTrade(trade: Trade): void {
    const v = this.v;
    v.op(() => {
      const st = v.inst(trade.instrumentId);
      const ts = trade.tsEvent;
      if (v.nextTimed < ts) v.runTimed(ts - 1);
      if (st.dirty) st.recompute();
      if (st.minExpire <= ts) expire(v, st, ts, false);
      v.advance(ts);
      if (st.orders.length > 0 || st.liqActive) matchTrade(v, st, trade);
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
      if (v.nextTimed <= ts) v.runTimed(ts);
      if (st.nextFunding <= ts) runFunding(v, st, ts);
    });
  }

  /** Records top of book: the post-only reference and the valuation mid price (no matching). */
  onQuote(quote: Quote): void {
    const v = this.v;
    v.op(() => {
      const st = v.inst(quote.instrumentId);
      v.advance(quote.tsEvent);
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
    const v = this.v;
    v.op(() => {
      const st = v.inst(snapshot.instrumentId);
      v.advance(snapshot.tsEvent);
      if (v.nextTimed <= snapshot.tsEvent) v.runTimed(snapshot.tsEvent);
      st.book ??= new Book();
      st.book.snapshot(snapshot);
      afterBookChange(v, st);
    });
  }

  /** Applies level changes to the instrument's book; resting orders it crosses fill (maker). */
  onBookDelta(delta: BookDelta): void {
    const v = this.v;
    v.op(() => {
      const st = v.inst(delta.instrumentId);
      v.advance(delta.tsEvent);
      if (v.nextTimed <= delta.tsEvent) v.runTimed(delta.tsEvent);
      if (st.book === undefined || !st.book.active) return;
      st.book.delta(delta);
      afterBookChange(v, st);
    });
  }

  /**
   * Updates the mark (valuation) price; a margin position whose liquidation price the mark
   * crosses is liquidated at the mark.
   */
  onMarkPrice(mark: MarkPrice): void {
    const v = this.v;
    v.op(() => {
      const st = v.inst(mark.instrumentId);
      const ts = mark.tsEvent;
      if (v.nextTimed <= ts) v.runTimed(ts);
      v.advance(ts);
      if (ts >= st.valTs) {
        st.valPrice = mark.price;
        st.valTs = ts;
      }
      checkLiquidationAt(v, st, mark.price);
      if (st.nextFunding <= ts) runFunding(v, st, ts);
    });
  }

  /**
   * Registers a funding rate: paid at `fundingTime` (at once if that time has passed), on the
   * position held then, at the valuation price.
   */
  onFundingRate(rate: FundingRate): void {
    const v = this.v;
    v.op(() => {
      const st = v.inst(rate.instrumentId);
      v.advance(rate.tsEvent);
      addFunding(st, rate.fundingTime, rate.rate);
      if (st.nextFunding <= v.time) runFunding(v, st, v.time);
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
    const v = this.v;
    v.op(() => submitOrder(v, command.order, command.strategyId, command.tsInit));
  }

  /**
   * Sends a bracket (see `SubmitBracket` in `@gpt/core` for the semantics implemented here).
   * @throws CommandValidationError if the command itself is invalid.
   */
  submitBracket(command: SubmitBracket): void {
    assertValidCommand(command);
    const v = this.v;
    v.op(() => submitBracket(v, command));
  }

  /** Requests a cancel: `OrderPendingCancel`, then `OrderCanceled` (or `OrderCancelRejected`). */
  cancelOrder(command: CancelOrder): void {
    assertValidCommand(command);
    const v = this.v;
    v.op(() => {
      v.syncClock();
      v.advance(command.tsInit);
      cancelOrder(v, command.clientOrderId, command.instrumentId);
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
    const v = this.v;
    const o = v.orders.get(command.clientOrderId);
    if (o !== undefined && o.state.status === "initialized") {
      throw new PaperEngineError("invalid-request", `order ${o.coid} is an inactive bracket leg`, {
        context: { clientOrderId: o.coid },
      });
    }
    v.op(() => {
      v.syncClock();
      v.advance(command.tsInit);
      modifyOrder(v, command);
    });
  }

  /** Cancels every matching open order (each with its own cancel flow). */
  cancelAllOrders(command: CancelAllOrders): void {
    assertValidCommand(command);
    const v = this.v;
    v.op(() => {
      v.syncClock();
      v.advance(command.tsInit);
      cancelAllOrders(v, command);
    });
  }
}

/** Creates a `PaperEngine` (see `PaperEngineConfig`). @throws PaperEngineError (`invalid-config`). */
export function createPaperEngine(config: PaperEngineConfig): PaperEngine {
  return new PaperEngine(config);
}
