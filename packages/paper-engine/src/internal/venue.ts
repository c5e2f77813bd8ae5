/**
 * The shared state of one simulated venue and its plumbing: engine time, the queue of operations
 * issued while events are being emitted, delayed actions (latency), event emission and ids. The
 * rooms that do the venue's work (order life cycle, matching, fills, brackets, funding and
 * liquidation, views) are functions over this state; `PaperEngine` is the public face.
 */
import {
  type AccountId,
  applyOrderEvent,
  type ClientOrderId,
  type Clock,
  createEventIdGenerator,
  type EventId,
  type ExecutionEvent,
  type ExecutionEventHandler,
  type IdSequence,
  type InstrumentId,
  type Logger,
  type OrderEvent,
  type OrderStatus,
  type Venue,
} from "@gpt/core";
import type { Decimal } from "@gpt/quantize";
import { PaperEngineError } from "../errors.js";
import type { FeeModel } from "../fees.js";
import type { LatencyModel } from "../latency.js";
import type { SlippageModel } from "../slippage.js";
import type { EngineNotice, EngineNoticeHandler } from "../types.js";
import type { AccountHost, VenueAccount } from "./account.js";
import { CashAccount } from "./cash-account.js";
import { MarginAccount } from "./margin-account.js";
import { commission, estimatePrice } from "./pricing.js";
import type { VenueSettings } from "./setup.js";
import type { InstState, SimOrder } from "./state.js";

/** An action that takes effect later (a delayed accept, cancel or modify). */
interface Timed {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
  /** The order a delayed accept is for (bar arrivals look for these). */
  readonly arrival: SimOrder | undefined;
}

/** State and plumbing of one simulated venue (see the file comment). */
export class SimVenue {
  readonly accountId: AccountId;
  readonly accountType: "cash" | "margin";
  readonly venueCode: Venue;
  readonly clock: Clock | undefined;
  readonly fees: FeeModel;
  readonly slippage: SlippageModel;
  readonly latency: LatencyModel;
  readonly through: boolean;
  readonly lowFirst: boolean;
  readonly clamp: boolean;
  readonly participation: number;
  readonly queueModel: boolean;
  readonly liqFeeRate: Decimal;
  readonly marketBuffer: Decimal;
  readonly emitAccount: boolean;
  readonly rememberFinished: number;
  readonly logger: Logger;
  readonly prefix: string;
  /** `barArrivalFill: "arrival-bar-open"`. */
  readonly arrivalBarOpen: boolean;
  readonly eventIds: IdSequence<EventId>;

  readonly insts: Map<InstrumentId, InstState>;
  /** Orders the venue works on, and inactive bracket legs. */
  readonly orders = new Map<ClientOrderId, SimOrder>();
  /** The last finished orders (idempotent resends, precise cancel rejections). */
  readonly finished = new Map<ClientOrderId, { status: OrderStatus; instrumentId: InstrumentId }>();
  handlers: ExecutionEventHandler[] = [];
  noticeHandlers: EngineNoticeHandler[] = [];
  handlerFailed = false;
  handlerError: unknown;

  /** Engine time: never goes back. */
  time = 0;
  /** An operation is running (commands and data given now are queued). */
  busy = false;
  readonly queue: (() => void)[] = [];
  timed: Timed[] = [];
  /** When the earliest delayed action is due. */
  nextTimed = Number.POSITIVE_INFINITY;
  timedSeq = 0;
  /** The time of the delayed action being run, NaN outside one. */
  scheduledAt = Number.NaN;
  orderSeq = 0;
  tradeSeq = 0;

  // Matching state of the step (bar path, trade print or book change) being processed.
  step = 0;
  readonly cands: SimOrder[] = [];
  inPath = false;
  stepStart = 0;
  /** Volatility of the bar being walked (slippage models). */
  pathVol = 0;
  /** A cross liquidation sweep is running. */
  sweeping = false;

  /** The money side: a cash (spot) or a margin (derivatives) account. */
  readonly account: VenueAccount;

  constructor(s: VenueSettings) {
    this.accountId = s.accountId;
    this.accountType = s.accountType;
    this.venueCode = s.venue;
    this.clock = s.clock;
    this.fees = s.fees;
    this.slippage = s.slippage;
    this.latency = s.latency;
    this.through = s.through;
    this.lowFirst = s.lowFirst;
    this.clamp = s.clamp;
    this.participation = s.participation;
    this.queueModel = s.queueModel;
    this.liqFeeRate = s.liqFeeRate;
    this.marketBuffer = s.marketBuffer;
    this.emitAccount = s.emitAccount;
    this.rememberFinished = s.rememberFinished;
    this.logger = s.logger;
    this.prefix = s.prefix;
    this.arrivalBarOpen = s.barArrivalFill === "arrival-bar-open";
    this.eventIds = createEventIdGenerator(s.prefix);
    this.insts = s.insts;
    const host: AccountHost = {
      insts: this.insts,
      estimatePrice: (o) => estimatePrice(this, o),
      commission: (st, buy, quantity, price, liquidity) =>
        commission(this, st, buy, quantity, price, liquidity),
    };
    const a = s.account;
    this.account =
      a.kind === "margin"
        ? new MarginAccount(host, s.accountId, s.venue, a.collateral, a.cash)
        : new CashAccount(host, s.accountId, s.venue, a.initial, this.insts.values().next().value!.inst);
  }

  /** Runs `fn` now, or queues it when an operation is running; rethrows a handler's error after. */
  op(fn: () => void): void {
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

  /** Runs the queued operations in order. */
  drain(): void {
    while (this.queue.length > 0) this.queue.shift()!();
  }

  /** Throws the first handler error of the operation that just finished, once. */
  rethrowHandlerError(): void {
    if (!this.handlerFailed) return;
    const cause = this.handlerError;
    this.handlerFailed = false;
    this.handlerError = undefined;
    throw new PaperEngineError("handler-failed", "an event handler threw", { cause });
  }

  /** Sends an event to every handler; a throwing handler is remembered, not propagated. */
  emit(event: ExecutionEvent): void {
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

  /** Sends a notice to every notice handler (errors as in `emit`). */
  notify(notice: EngineNotice): void {
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

  /** The state of a configured instrument. @throws PaperEngineError (`unknown-instrument`). */
  inst(id: InstrumentId): InstState {
    const st = this.insts.get(id);
    if (st === undefined) {
      throw new PaperEngineError("unknown-instrument", `unknown instrument ${id}`, {
        context: { instrumentId: id },
      });
    }
    return st;
  }

  /** Moves engine time forward to `t` (never back). */
  advance(t: number): void {
    if (t > this.time) this.time = t;
  }

  /** When the action being run takes effect: its scheduled time (delayed actions), else now. */
  get actionAt(): number {
    return Number.isNaN(this.scheduledAt) ? this.time : this.scheduledAt;
  }

  /** Moves engine time to the injected clock, if any. */
  syncClock(): void {
    if (this.clock !== undefined) this.advance(this.clock.now());
  }

  /** Runs `run` once engine time reaches `at`; `arrival` marks the delayed accept of an order. */
  schedule(at: number, run: () => void, arrival?: SimOrder): void {
    const item: Timed = { at, seq: this.timedSeq++, run, arrival };
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

  /** Runs every delayed action due at or before `upTo`, in time order. */
  runTimed(upTo: number): void {
    while (this.timed.length > 0 && this.timed[0]!.at <= upTo) {
      const item = this.timed.shift()!;
      this.nextTimed = this.timed[0]?.at ?? Number.POSITIVE_INFINITY;
      this.runItem(item);
    }
    this.nextTimed = this.timed[0]?.at ?? Number.POSITIVE_INFINITY;
  }

  /**
   * Takes the delayed accepts of `st`'s orders due before `before` out of the schedule and runs
   * them in time order (bar arrivals, see `BarArrivalFill`).
   */
  runArrivals(st: InstState, before: number): void {
    const due: Timed[] = [];
    const rest: Timed[] = [];
    for (const item of this.timed) {
      if (item.at < before && item.arrival?.inst === st) due.push(item);
      else rest.push(item);
    }
    if (due.length === 0) return;
    this.timed = rest;
    this.nextTimed = rest[0]?.at ?? Number.POSITIVE_INFINITY;
    for (const item of due) this.runItem(item);
  }

  private runItem(item: Timed): void {
    this.advance(item.at);
    this.scheduledAt = item.at;
    try {
      item.run();
    } finally {
      this.scheduledAt = Number.NaN;
    }
  }

  /** The common fields of an order event stamped now. */
  meta(o: SimOrder) {
    return {
      eventId: this.eventIds.next(),
      tsEvent: this.time,
      tsInit: this.time,
      clientOrderId: o.coid,
      instrumentId: o.inst.id,
    };
  }

  /** Applies an order event to the order's core snapshot, then emits it. */
  orderEvent(o: SimOrder, event: OrderEvent): void {
    o.state = applyOrderEvent(o.state, event);
    this.emit(event);
  }
}
