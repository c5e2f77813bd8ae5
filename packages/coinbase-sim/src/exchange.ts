import {
  type ExecutionEvent,
  type InstrumentId,
  instrumentId as makeInstrumentId,
  strategyId,
  tradeId,
} from "@gpt/core";
import { createPaperEngine, type PaperEngine } from "@gpt/paper-engine";
import { D, type Decimal } from "@gpt/quantize";
import type { OrderFaultInjector } from "./faults-rest.js";
import type { ProductMarket } from "./market.js";
import { FUNDING_INTERVAL_MS, instrumentOf, SIM_VENUE, type SimProductSpec } from "./products.js";

/** Coinbase order statuses the simulator reports. */
export type SimOrderStatus = "PENDING" | "OPEN" | "FILLED" | "CANCELLED" | "EXPIRED" | "FAILED";

/** An order as the exchange keeps it (Coinbase's view; the engine's orders map onto it). */
export interface OrderRecord {
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly productId: string;
  readonly side: "BUY" | "SELL";
  /** The `order_configuration` as received (echoed back). */
  configuration: Record<string, unknown>;
  readonly orderType: "MARKET" | "LIMIT" | "STOP_LIMIT" | "BRACKET" | "TWAP" | "SCALED";
  readonly timeInForce:
    | "IMMEDIATE_OR_CANCEL"
    | "FILL_OR_KILL"
    | "GOOD_UNTIL_CANCELLED"
    | "GOOD_UNTIL_DATE_TIME";
  readonly createdMs: number;
  readonly sizeInQuote: boolean;
  /** Base size the engine works (contracts for futures). */
  quantity: Decimal;
  status: SimOrderStatus;
  filledSize: Decimal;
  filledValue: Decimal;
  fees: Decimal;
  numberOfFills: number;
  lastFillMs?: number;
  lastUpdateMs: number;
  triggerStatus: "INVALID_ORDER_TYPE" | "STOP_PENDING" | "STOP_TRIGGERED";
  rejectMessage: string;
  cancelMessage: string;
  readonly leverage: string;
  readonly marginType: "UNKNOWN_MARGIN_TYPE" | "CROSS" | "ISOLATED";
  attachedOrderId: string;
  originatingOrderId: string;
  attachedConfiguration?: Record<string, unknown>;
  editHistory: { price: string; size: string; replace_accept_timestamp: string }[];
  /** Engine ids of the order (two for an attached bracket: take-profit and stop-loss). */
  readonly engineIds: string[];
  /** Engine legs still alive (brackets). */
  liveLegs: number;
  /**
   * The engine legs of an order the simulator works itself (a standalone bracket, a scaled or a
   * TWAP order): each leg's unfilled size by engine id. Absent for single-order records.
   */
  legs?: Map<string, Decimal>;
  /** A multi-leg order: the client cancelled it. */
  cancelRequested?: boolean;
  /** A multi-leg order: one of its legs expired. */
  legExpired?: boolean;
}

/**
 * Work the simulator does for an order between requests, on the market clock: a standalone
 * bracket's stop trigger, a TWAP order's buckets. The exchange calls it for every replayed print.
 */
export interface WorkingOrder {
  /** The order the work belongs to. */
  readonly record: OrderRecord;
  /** Is anything left to do (an armed stop, a bucket not yet placed)? */
  pending(): boolean;
  /** Called before a print at `timeMs` (and once at the end of each replay step). */
  beforePrint(timeMs: number): void;
  /** Called after the engine saw a print of the order's product. */
  afterPrint(price: number, timeMs: number): void;
  /** Drops what is left to do (the order was cancelled). */
  stop(): void;
}

/** One execution. */
export interface FillRecord {
  readonly seq: number;
  readonly entryId: string;
  readonly tradeId: string;
  readonly orderId: string;
  readonly productId: string;
  readonly timeMs: number;
  readonly price: Decimal;
  readonly size: Decimal;
  readonly commission: Decimal;
  readonly liquidity: "MAKER" | "TAKER";
  readonly side: "BUY" | "SELL";
}

/** What the engines said while one command ran (read right after submit, cancel or modify). */
export interface CommandOutcome {
  rejected?: { readonly reason: string; readonly code: string };
  cancelRejected?: string;
  modifyRejected?: string;
}

/** Options of `Exchange`. */
export interface ExchangeOptions {
  readonly products: readonly SimProductSpec[];
  readonly markets: ReadonlyMap<string, ProductMarket>;
  readonly seed: number;
  readonly spotBalances: Readonly<Record<string, string>>;
  readonly futuresBalance: string;
  readonly fundingRate: string;
  /** The order side of the fault script (partial fills, scripted rejects); none when absent. */
  readonly orderFaults?: OrderFaultInjector;
}

/**
 * The exchange state: a cash engine for spot, a margin engine (USD) for CFM futures and one (USDC)
 * for the legacy INTX perps (all `@gpt/paper-engine`), the Coinbase order records mapped onto the engines' orders, the fills,
 * and the replay of the market into the engines as trade prints and L2 book snapshots.
 */
export class Exchange {
  readonly spot: PaperEngine;
  readonly futures: PaperEngine | undefined;
  /** The INTX perps' margin account (USDC collateral), with `intx: true`. */
  readonly intx: PaperEngine | undefined;
  readonly products: ReadonlyMap<string, SimProductSpec>;
  readonly markets: ReadonlyMap<string, ProductMarket>;
  readonly orders = new Map<string, OrderRecord>();
  readonly orderList: OrderRecord[] = [];
  readonly byClientId = new Map<string, OrderRecord>();
  readonly fills: FillRecord[] = [];
  readonly instruments = new Map<string, InstrumentId>();
  /** The order side of the fault script, read by the order entry. */
  readonly orderFaults: OrderFaultInjector | undefined;
  readonly #byEngineId = new Map<string, OrderRecord>();
  #rngState: number;
  #now = 0;
  #engineSeq = 0;
  #printSeq = 0;
  #outcome: CommandOutcome | undefined;
  readonly #orderListeners = new Set<(record: OrderRecord) => void>();
  readonly #working = new Set<WorkingOrder>();

  constructor(options: ExchangeOptions) {
    this.products = new Map(options.products.map((spec) => [spec.productId, spec]));
    this.markets = options.markets;
    this.orderFaults = options.orderFaults;
    this.#rngState = options.seed >>> 0;
    const spotSpecs = options.products.filter((spec) => spec.kind === "spot");
    const derivativeSpecs = options.products.filter((spec) => spec.kind === "cfm");
    const intxSpecs = options.products.filter((spec) => spec.kind === "intx");
    this.spot = createPaperEngine({
      accountType: "cash",
      instruments: spotSpecs.map(instrumentOf),
      initialBalances: options.spotBalances,
      venue: SIM_VENUE,
      accountId: "SPOT",
      idPrefix: "spot",
    });
    this.futures =
      derivativeSpecs.length === 0
        ? undefined
        : createPaperEngine({
            accountType: "margin",
            instruments: derivativeSpecs.map(instrumentOf),
            initialBalances: { USD: options.futuresBalance },
            venue: SIM_VENUE,
            accountId: "CFM",
            idPrefix: "cfm",
          });
    this.intx =
      intxSpecs.length === 0
        ? undefined
        : createPaperEngine({
            accountType: "margin",
            instruments: intxSpecs.map(instrumentOf),
            initialBalances: { USDC: options.futuresBalance },
            venue: SIM_VENUE,
            accountId: "INTX",
            idPrefix: "intx",
          });
    for (const spec of options.products) {
      this.instruments.set(spec.productId, makeInstrumentId(spec.productId, SIM_VENUE));
    }
    this.spot.onEvent((event) => this.#onEvent(event));
    this.futures?.onEvent((event) => this.#onEvent(event));
    this.intx?.onEvent((event) => this.#onEvent(event));
    this.#attachFunding(this.futures, derivativeSpecs, options.fundingRate);
    this.#attachFunding(this.intx, intxSpecs, options.fundingRate);
  }

  /** The engine that trades `productId`. */
  engineOf(productId: string): PaperEngine {
    const spec = this.products.get(productId);
    if (spec?.kind === "intx" && this.intx !== undefined) return this.intx;
    return spec?.kind === "spot" || this.futures === undefined ? this.spot : this.futures;
  }

  /** The last time the market was replayed to. */
  get now(): number {
    return this.#now;
  }

  /** A deterministic UUID v4-shaped id from the seeded generator. */
  uuid(): string {
    const hex: string[] = [];
    for (let i = 0; i < 4; i++) {
      this.#rngState = (this.#rngState + 0x6d2b79f5) >>> 0;
      let t = this.#rngState;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      hex.push(((t ^ (t >>> 14)) >>> 0).toString(16).padStart(8, "0"));
    }
    const s = hex.join("");
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-a${s.slice(17, 20)}-${s.slice(20, 32)}`;
  }

  /** A fresh engine-side client order id. */
  nextEngineId(): string {
    this.#engineSeq += 1;
    return `o${this.#engineSeq}`;
  }

  /** Registers a new order record and its engine ids. */
  register(record: OrderRecord): void {
    this.orders.set(record.orderId, record);
    this.orderList.push(record);
    this.byClientId.set(record.clientOrderId, record);
    for (const id of record.engineIds) this.#byEngineId.set(id, record);
  }

  /** Gives the product's engine the synthesised book at `timeMs` (before an order placed mid-replay). */
  refreshBook(productId: string, timeMs: number): void {
    const id = this.instruments.get(productId);
    const book = this.markets.get(productId)?.book(timeMs);
    if (id === undefined || book === undefined) return;
    this.engineOf(productId).onBookSnapshot({
      type: "BookSnapshot",
      instrumentId: id,
      bids: book.bids,
      asks: book.asks,
      tsEvent: timeMs,
      tsInit: timeMs,
    });
  }

  /** Adds an engine leg to a multi-leg record (before the leg is submitted). */
  addLeg(record: OrderRecord, engineId: string, quantity: Decimal): void {
    record.engineIds.push(engineId);
    record.legs?.set(engineId, quantity);
    record.liveLegs += 1;
    this.#byEngineId.set(engineId, record);
  }

  /** Starts the between-requests work of an order (its stop trigger or its buckets). */
  watch(work: WorkingOrder): void {
    this.#working.add(work);
  }

  /**
   * Cancels what the simulator works itself for `record` (an armed stop, buckets not yet placed);
   * its live engine legs are cancelled by the caller. A multi-leg order with no live leg left
   * becomes `CANCELLED` here.
   */
  stopWork(record: OrderRecord, nowMs: number): void {
    if (record.legs === undefined) return;
    record.cancelRequested = true;
    for (const work of this.#working) {
      if (work.record !== record) continue;
      work.stop();
      this.#working.delete(work);
    }
    this.settleLegs(record, nowMs);
  }

  /** A multi-leg order's status from its legs: filled, still working, or ended. */
  settleLegs(record: OrderRecord, nowMs: number): void {
    if (!this.#settle(record)) return;
    record.lastUpdateMs = Math.max(record.lastUpdateMs, nowMs);
    for (const listener of this.#orderListeners) listener(record);
  }

  /** Sets a multi-leg order's final status when it has one; true when the status changed. */
  #settle(record: OrderRecord): boolean {
    if (record.legs === undefined || record.status === "FILLED" || record.status === "FAILED") return false;
    if (record.filledSize.gte(record.quantity)) {
      record.status = "FILLED";
    } else if (record.liveLegs <= 0 && !this.#hasWork(record)) {
      if (record.cancelRequested === true || record.legExpired !== true) {
        record.status = "CANCELLED";
        if (record.cancelMessage === "") record.cancelMessage = "User requested cancel";
      } else {
        record.status = "EXPIRED";
      }
    } else {
      return false;
    }
    return true;
  }

  #hasWork(record: OrderRecord): boolean {
    for (const work of this.#working) if (work.record === record && work.pending()) return true;
    return false;
  }

  #beforePrint(timeMs: number): void {
    for (const work of [...this.#working]) {
      work.beforePrint(timeMs);
      this.#retire(work, timeMs);
    }
  }

  #afterPrint(productId: string, price: number, timeMs: number): void {
    for (const work of [...this.#working]) {
      if (work.record.productId !== productId) continue;
      work.afterPrint(price, timeMs);
      this.#retire(work, timeMs);
    }
  }

  #retire(work: WorkingOrder, timeMs: number): void {
    if (work.pending()) return;
    this.#working.delete(work);
    this.settleLegs(work.record, timeMs);
  }

  /** Forgets a record that never became an order (refused at once). */
  unregister(record: OrderRecord): void {
    this.orders.delete(record.orderId);
    this.byClientId.delete(record.clientOrderId);
    const index = this.orderList.lastIndexOf(record);
    if (index >= 0) this.orderList.splice(index, 1);
    for (const id of record.engineIds) this.#byEngineId.delete(id);
  }

  /**
   * Calls `listener` after every change the engines make to an order (accepted, filled, triggered,
   * cancelled, expired, rejected, resized), with the record as it is then; returns the unsubscribe
   * function. The WebSocket `user` channel listens here.
   */
  onOrderChange(listener: (record: OrderRecord) => void): () => void {
    this.#orderListeners.add(listener);
    return () => this.#orderListeners.delete(listener);
  }

  /** Runs `command` against the engines and returns what they said about it. */
  run(command: () => void): CommandOutcome {
    const outcome: CommandOutcome = {};
    this.#outcome = outcome;
    try {
      command();
    } finally {
      this.#outcome = undefined;
    }
    return outcome;
  }

  /**
   * Replays the market up to `nowMs`: every path point since the last call as a trade print (in
   * time order across products), then a book snapshot per product at `nowMs`.
   */
  advanceTo(nowMs: number): void {
    if (nowMs <= this.#now) return;
    const from = this.#now === 0 ? nowMs - 1 : this.#now;
    const prints: { time: number; productId: string; price: number; size: number; up: boolean }[] = [];
    for (const [productId, market] of this.markets) {
      if (!this.instruments.has(productId)) continue;
      let previous = market.priceAt(from) ?? 0;
      for (const point of market.pathBetween(from, nowMs)) {
        prints.push({
          time: point.time,
          productId,
          price: point.price,
          size: point.size,
          up: point.price >= previous,
        });
        previous = point.price;
      }
    }
    prints.sort((a, b) => a.time - b.time || a.productId.localeCompare(b.productId));
    for (const print of prints) {
      const id = this.instruments.get(print.productId);
      if (id === undefined) continue;
      this.#printSeq += 1;
      if (this.#working.size > 0) this.#beforePrint(print.time);
      this.engineOf(print.productId).onTrade({
        type: "Trade",
        instrumentId: id,
        price: print.price,
        size: print.size,
        aggressorSide: print.up ? "buy" : "sell",
        tradeId: tradeId(`m${this.#printSeq}`),
        tsEvent: print.time,
        tsInit: print.time,
      });
      if (this.#working.size > 0) this.#afterPrint(print.productId, print.price, print.time);
    }
    if (this.#working.size > 0) this.#beforePrint(nowMs);
    for (const productId of this.markets.keys()) this.refreshBook(productId, nowMs);
    this.spot.advanceTo(nowMs);
    this.futures?.advanceTo(nowMs);
    this.intx?.advanceTo(nowMs);
    this.#now = nowMs;
  }

  #attachFunding(engine: PaperEngine | undefined, specs: readonly SimProductSpec[], rate: string): void {
    if (engine === undefined) return;
    for (const spec of specs) {
      const market = this.markets.get(spec.productId);
      const id = this.instruments.get(spec.productId);
      const bars = market?.series.bars;
      if (market === undefined || id === undefined || bars === undefined || bars.length === 0) continue;
      const first = Math.ceil(market.startMs / FUNDING_INTERVAL_MS) * FUNDING_INTERVAL_MS;
      const end = ((bars[bars.length - 1]?.time ?? 0) + market.series.intervalSeconds) * 1000;
      const series = [];
      for (let t = first + FUNDING_INTERVAL_MS; t <= end; t += FUNDING_INTERVAL_MS) {
        series.push({ fundingTime: t, rate });
      }
      engine.attachFundingSeries(id, series);
    }
  }

  #onEvent(event: ExecutionEvent): void {
    if (!("clientOrderId" in event)) return;
    const record = this.#byEngineId.get(event.clientOrderId);
    if (record === undefined) return;
    const t = event.tsEvent;
    switch (event.type) {
      case "OrderAccepted":
        if (record.status === "PENDING") record.status = "OPEN";
        break;
      case "OrderRejected":
        if (this.#outcome !== undefined)
          this.#outcome.rejected = { reason: event.reason, code: event.code ?? "" };
        record.rejectMessage = event.reason;
        if (record.legs === undefined) record.status = "FAILED";
        else this.#legEnded(record, event.clientOrderId);
        break;
      case "OrderTriggered":
        record.triggerStatus = "STOP_TRIGGERED";
        break;
      case "OrderFilled": {
        const spec = this.products.get(record.productId);
        const contract = D(spec?.contractSize ?? "1");
        record.filledSize = record.filledSize.plus(event.lastQty);
        record.filledValue = record.filledValue.plus(event.lastQty.times(event.lastPrice).times(contract));
        record.fees = record.fees.plus(event.commission);
        record.numberOfFills += 1;
        record.lastFillMs = t;
        this.fills.push({
          seq: this.fills.length + 1,
          entryId: this.#entryId(this.fills.length + 1),
          tradeId: this.uuid(),
          orderId: record.orderId,
          productId: record.productId,
          timeMs: t,
          price: event.lastPrice,
          size: event.lastQty,
          commission: event.commission,
          liquidity: event.liquiditySide === "maker" ? "MAKER" : "TAKER",
          side: event.side === "buy" ? "BUY" : "SELL",
        });
        if (record.legs !== undefined) {
          const left = (record.legs.get(event.clientOrderId) ?? D(0)).minus(event.lastQty);
          record.legs.set(event.clientOrderId, left);
          if (left.lte(0)) this.#legEnded(record, event.clientOrderId);
        }
        if (record.filledSize.gte(record.quantity)) record.status = "FILLED";
        else if (record.status === "PENDING") record.status = "OPEN";
        break;
      }
      case "OrderCanceled":
        if (record.legs !== undefined) {
          this.#legEnded(record, event.clientOrderId);
          break;
        }
        record.liveLegs -= 1;
        if (record.status !== "FILLED" && record.liveLegs <= 0) {
          record.status = "CANCELLED";
          if (record.cancelMessage === "") record.cancelMessage = "User requested cancel";
        }
        break;
      case "OrderExpired":
        if (record.legs !== undefined) {
          record.legExpired = true;
          this.#legEnded(record, event.clientOrderId);
          break;
        }
        if (record.status !== "FILLED") record.status = "EXPIRED";
        break;
      case "OrderCancelRejected":
        if (this.#outcome !== undefined) this.#outcome.cancelRejected = event.reason;
        break;
      case "OrderModifyRejected":
        if (this.#outcome !== undefined) this.#outcome.modifyRejected = event.reason;
        break;
      case "OrderUpdated":
        if (event.quantity !== undefined && record.orderType !== "BRACKET" && record.legs === undefined)
          record.quantity = event.quantity;
        break;
      default:
        break;
    }
    record.lastUpdateMs = t;
    if (record.legs !== undefined) this.#settle(record);
    for (const listener of this.#orderListeners) listener(record);
  }

  /** A multi-leg order's engine leg is done (filled, cancelled, expired or rejected). */
  #legEnded(record: OrderRecord, engineId: string): void {
    const left = record.legs?.get(engineId);
    if (record.legs === undefined || left === undefined || left.lt(0)) return;
    record.legs.set(engineId, D(-1));
    record.liveLegs -= 1;
  }

  #entryId(seq: number): string {
    return (this.#rngState ^ seq).toString(16).padStart(8, "0").repeat(8);
  }
}

/** The strategy id the simulator's commands carry. */
export const SIM_STRATEGY = strategyId("coinbase-sim");
