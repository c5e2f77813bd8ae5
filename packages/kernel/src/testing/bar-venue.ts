/**
 * A small deterministic venue for the kernel's tests and benchmark (not exported from the
 * package): market orders fill at the next bar's open of their instrument (no look-ahead), with
 * the instrument's taker fee on the fill notional. It keeps its own books (cash, positions,
 * fills) so tests can compare the kernel's cache with an independent account.
 *
 * Behaviours per submit (`behaviour` hook): `accept` (default), `reject`, `unknown` (the request
 * times out but the order reached the venue: `OrderSubmitted`, `OrderOutcomeUnknown`, and from
 * then on the venue works and fills the order *silently*, as if every answer were lost; a
 * reconciliation report shows it).
 */
import {
  type AccountState,
  accountId,
  applyFill,
  type Bar,
  type CancelAllOrders,
  type CancelOrder,
  type ClientOrderId,
  createBalance,
  createEventIdGenerator,
  type ExecutionEvent,
  type ExecutionEventHandler,
  type ExecutionMassStatus,
  type ExecutionPort,
  type FillReport,
  type Instrument,
  type InstrumentId,
  type MarketOrderSpec,
  type ModifyOrder,
  type OrderSpec,
  type OrderStatusReport,
  type Position,
  type PositionStatusReport,
  type StrategyId,
  type SubmitBracket,
  type SubmitOrder,
  tradeId,
  type UnixMillis,
  venue,
  venueOrderId,
} from "@gpt/core";
import { D, type Decimal } from "@gpt/quantize";

/** What the venue does with one submit. */
export type SubmitBehaviour = "accept" | "reject" | "unknown";

/** Options of `BarVenue`. */
export interface BarVenueOptions {
  /** Instruments it trades. */
  readonly instruments: readonly Instrument[];
  /** Starting cash in `currency`. */
  readonly cash: string;
  /** Settlement currency (default USD). */
  readonly currency?: string;
  /** Per-submit behaviour (default: accept everything). */
  readonly behaviour?: (command: SubmitOrder) => SubmitBehaviour;
  /** Buffer events until `flush()` instead of emitting synchronously (a live-shaped venue). */
  readonly deferred?: boolean;
  /** Emit `AccountUpdated` after each fill (default true). */
  readonly accountUpdates?: boolean;
}

interface WorkingOrder {
  readonly spec: OrderSpec;
  readonly strategyId: StrategyId;
  readonly vid: ReturnType<typeof venueOrderId>;
  readonly silent: boolean;
  readonly liveAfter: UnixMillis;
  status: OrderStatusReport["status"];
  filled: Decimal;
  avgPx: Decimal | undefined;
  readonly tsAccepted: UnixMillis;
  tsLast: UnixMillis;
}

const ZERO = D(0);

/** The deterministic next-open venue (see the file comment). */
export class BarVenue implements ExecutionPort {
  readonly currency: string;
  readonly submitted: SubmitOrder[] = [];
  readonly canceled: CancelOrder[] = [];
  readonly brackets: SubmitBracket[] = [];
  readonly #instruments = new Map<InstrumentId, Instrument>();
  readonly #handlers: ExecutionEventHandler[] = [];
  readonly #orders = new Map<ClientOrderId, WorkingOrder>();
  readonly #positions = new Map<InstrumentId, Position>();
  readonly #lastClose = new Map<InstrumentId, number>();
  readonly #fills: FillReport[] = [];
  readonly #ids = createEventIdGenerator("venue");
  readonly #behaviour: (command: SubmitOrder) => SubmitBehaviour;
  readonly #deferred: boolean;
  readonly #accountUpdates: boolean;
  readonly #pending: ExecutionEvent[] = [];
  #cash: Decimal;
  #time: UnixMillis = 0;
  #vidSeq = 0;
  #tradeSeq = 0;

  constructor(options: BarVenueOptions) {
    for (const i of options.instruments) this.#instruments.set(i.id, i);
    this.currency = options.currency ?? "USD";
    this.#cash = D(options.cash);
    this.#behaviour = options.behaviour ?? (() => "accept");
    this.#deferred = options.deferred ?? false;
    this.#accountUpdates = options.accountUpdates ?? true;
  }

  onEvent(handler: ExecutionEventHandler): () => void {
    this.#handlers.push(handler);
    return () => {
      const i = this.#handlers.indexOf(handler);
      if (i >= 0) this.#handlers.splice(i, 1);
    };
  }

  /** Emits the buffered events (deferred mode). */
  flush(): void {
    while (this.#pending.length > 0) {
      const event = this.#pending.shift() as ExecutionEvent;
      for (const h of [...this.#handlers]) h(event);
    }
  }

  #emit(event: ExecutionEvent): void {
    if (this.#deferred) {
      this.#pending.push(event);
      return;
    }
    for (const h of [...this.#handlers]) h(event);
  }

  #meta(spec: { clientOrderId: ClientOrderId; instrumentId: InstrumentId }) {
    return {
      eventId: this.#ids.next(),
      tsEvent: this.#time,
      tsInit: this.#time,
      clientOrderId: spec.clientOrderId,
      instrumentId: spec.instrumentId,
    };
  }

  submitOrder(command: SubmitOrder): void {
    this.submitted.push(command);
    const spec = command.order;
    this.#time = Math.max(this.#time, command.tsInit);
    const existing = this.#orders.get(spec.clientOrderId);
    if (existing !== undefined) {
      // Idempotent: a re-sent client order id answers with the order's current state.
      if (!existing.silent) return;
      this.#orders.set(spec.clientOrderId, { ...existing, silent: false });
      this.#emit({ type: "OrderAccepted", ...this.#meta(spec), venueOrderId: existing.vid });
      return;
    }
    this.#emit({ type: "OrderSubmitted", ...this.#meta(spec) });
    const behaviour = this.#behaviour(command);
    if (behaviour === "reject") {
      this.#emit({
        type: "OrderRejected",
        ...this.#meta(spec),
        reason: "rejected by the test venue",
        code: "TEST_REJECT",
      });
      return;
    }
    this.#vidSeq += 1;
    const vid = venueOrderId(`v-${this.#vidSeq}`);
    this.#orders.set(spec.clientOrderId, {
      spec,
      strategyId: command.strategyId,
      vid,
      silent: behaviour === "unknown",
      liveAfter: this.#time,
      status: "accepted",
      filled: ZERO,
      avgPx: undefined,
      tsAccepted: this.#time,
      tsLast: this.#time,
    });
    if (behaviour === "unknown") {
      this.#emit({
        type: "OrderOutcomeUnknown",
        ...this.#meta(spec),
        operation: "submit",
        reason: "timeout after 10000 ms",
      });
      return;
    }
    this.#emit({ type: "OrderAccepted", ...this.#meta(spec), venueOrderId: vid });
  }

  submitBracket(command: SubmitBracket): void {
    this.brackets.push(command);
    this.#emit({ type: "OrderSubmitted", ...this.#meta(command.entry) });
    this.#emit({
      type: "OrderRejected",
      ...this.#meta(command.entry),
      reason: "the test venue has no brackets",
    });
    for (const leg of [command.takeProfit, command.stopLoss]) {
      this.#emit({
        type: "OrderCanceled",
        ...this.#meta({ clientOrderId: leg.clientOrderId, instrumentId: command.entry.instrumentId }),
      });
    }
  }

  cancelOrder(command: CancelOrder): void {
    this.canceled.push(command);
    const o = this.#orders.get(command.clientOrderId);
    const meta = this.#meta(command);
    if (o === undefined || o.status !== "accepted") {
      this.#emit({ type: "OrderCancelRejected", ...meta, reason: "unknown or finished order" });
      return;
    }
    o.status = "canceled";
    o.tsLast = this.#time;
    if (o.silent) return;
    this.#emit({ type: "OrderPendingCancel", ...this.#meta(command) });
    this.#emit({ type: "OrderCanceled", ...this.#meta(command), venueOrderId: o.vid });
  }

  modifyOrder(command: ModifyOrder): void {
    this.#emit({ type: "OrderModifyRejected", ...this.#meta(command), reason: "not supported" });
  }

  cancelAllOrders(command: CancelAllOrders): void {
    for (const [id, o] of this.#orders) {
      if (o.status !== "accepted") continue;
      if (command.instrumentId !== undefined && o.spec.instrumentId !== command.instrumentId) continue;
      this.cancelOrder({
        type: "CancelOrder",
        strategyId: command.strategyId,
        instrumentId: o.spec.instrumentId,
        clientOrderId: id,
        tsInit: command.tsInit,
      });
    }
  }

  /** Feeds one bar: working market orders of its instrument fill at its open. */
  onBar(bar: Bar): void {
    this.#time = Math.max(this.#time, bar.tsEvent);
    for (const [, o] of this.#orders) {
      if (o.status !== "accepted" || o.spec.instrumentId !== bar.instrumentId) continue;
      if (bar.tsOpen < o.liveAfter) continue;
      this.#fill(o, bar.open);
    }
    this.#lastClose.set(bar.instrumentId, bar.close);
  }

  #fill(o: WorkingOrder, open: number): void {
    const instrument = this.#instruments.get(o.spec.instrumentId) as Instrument;
    const spec = o.spec as MarketOrderSpec;
    const price = D(open);
    const qty = spec.quantity;
    const commission = qty.mul(price).mul(instrument.takerFee);
    this.#tradeSeq += 1;
    const trade = tradeId(`t-${this.#tradeSeq}`);
    const fill = {
      type: "OrderFilled" as const,
      ...this.#meta(spec),
      venueOrderId: o.vid,
      tradeId: trade,
      side: spec.side,
      lastQty: qty,
      lastPrice: price,
      commission,
      commissionCurrency: this.currency,
      liquiditySide: "taker" as const,
    };
    const before = this.#positions.get(spec.instrumentId);
    const after =
      before === undefined
        ? applyFill(undefined, fill, {
            currency: this.currency,
            contractSize: instrument.kind === "spot" ? "1" : instrument.contractSize,
          })
        : applyFill(before, fill);
    this.#positions.set(spec.instrumentId, after);
    if (instrument.kind === "spot") {
      const value = qty.mul(price);
      this.#cash = (spec.side === "buy" ? this.#cash.minus(value) : this.#cash.plus(value)).minus(commission);
    } else {
      this.#cash = this.#cash.plus(after.realizedPnl.minus(before?.realizedPnl ?? ZERO)).minus(commission);
    }
    o.status = "filled";
    o.filled = qty;
    o.avgPx = price;
    o.tsLast = this.#time;
    this.#fills.push({
      accountId: accountId("TEST-1"),
      instrumentId: spec.instrumentId,
      clientOrderId: spec.clientOrderId,
      venueOrderId: o.vid,
      tradeId: trade,
      side: spec.side,
      lastQty: qty,
      lastPrice: price,
      commission,
      commissionCurrency: this.currency,
      liquiditySide: "taker",
      tsEvent: this.#time,
      tsInit: this.#time,
    });
    if (o.silent) return;
    this.#emit(fill);
    if (this.#accountUpdates) {
      this.#emit({
        type: "AccountUpdated",
        eventId: this.#ids.next(),
        tsEvent: this.#time,
        tsInit: this.#time,
        accountId: accountId("TEST-1"),
        state: this.accountState(),
        reported: false,
      });
    }
  }

  /** The venue's account: the settlement balance (spot base balances are the positions). */
  accountState(): AccountState {
    return {
      accountId: accountId("TEST-1"),
      venue: venue("TEST"),
      accountType: "cash",
      balances: [createBalance(this.currency, this.#cash.isNegative() ? "0" : this.#cash)],
      margins: [],
      tsEvent: this.#time,
    };
  }

  /** Cash, and equity at the last closes (spot holdings valued, derivative unrealized PnL). */
  snapshot(): { cash: Decimal; equity: Decimal } {
    let equity = this.#cash;
    for (const [id, p] of this.#positions) {
      if (p.quantity.isZero()) continue;
      const instrument = this.#instruments.get(id) as Instrument;
      const last = this.#lastClose.get(id);
      const mark = last === undefined ? p.avgEntryPrice : D(last);
      equity =
        instrument.kind === "spot"
          ? equity.plus(p.quantity.mul(mark))
          : equity.plus(p.quantity.mul(mark).minus(p.costBasis).mul(p.contractSize));
    }
    return { cash: this.#cash, equity };
  }

  /** The venue's position record. */
  position(id: InstrumentId): Position | undefined {
    return this.#positions.get(id);
  }

  generateMassStatus(): Promise<ExecutionMassStatus> {
    return Promise.resolve(this.massStatus());
  }

  /** The mass status, synchronously. */
  massStatus(): ExecutionMassStatus {
    const orderReports: OrderStatusReport[] = [];
    for (const o of this.#orders.values()) {
      orderReports.push({
        accountId: accountId("TEST-1"),
        instrumentId: o.spec.instrumentId,
        clientOrderId: o.spec.clientOrderId,
        venueOrderId: o.vid,
        side: o.spec.side,
        type: o.spec.type,
        timeInForce: o.spec.timeInForce,
        status: o.status,
        quantity: o.spec.quantity,
        filledQty: o.filled,
        ...(o.avgPx === undefined ? {} : { avgPx: o.avgPx }),
        postOnly: false,
        reduceOnly: o.spec.reduceOnly,
        tsAccepted: o.tsAccepted,
        tsLastUpdate: o.tsLast,
        tsInit: this.#time,
      });
    }
    const positionReports: PositionStatusReport[] = [];
    for (const [id, p] of this.#positions) {
      if (p.quantity.isZero()) continue;
      positionReports.push({
        accountId: accountId("TEST-1"),
        instrumentId: id,
        quantity: p.quantity,
        avgEntryPrice: p.avgEntryPrice,
        tsInit: this.#time,
      });
    }
    return {
      venue: venue("TEST"),
      accountId: accountId("TEST-1"),
      orderReports,
      fillReports: [...this.#fills],
      positionReports,
      account: this.accountState(),
      tsInit: this.#time,
    };
  }
}
