/**
 * The kernel's link to `@gpt/risk`, through the engine's public API only: when to tick
 * (`tickIfDue`), when to feed equity, the pre-trade check of an order plan (`preTradeCheck` on the
 * portfolio the kernel expects), and the order, venue and trade records the breakers count.
 */
import type { Clock, ExecutionEvent, InstrumentId, Order, OrderSide } from "@gpt/core";
import { D, type Decimal } from "@gpt/quantize";
import type {
  PortfolioPosition,
  PortfolioSnapshot,
  RiskDecision,
  RiskEngine,
  RiskEvent,
  TradingState,
} from "@gpt/risk";
import type { Cache } from "./cache.js";
import { isLeg } from "./intents.js";

const ZERO = D(0);

/** An order about to be sent, as the pre-trade checks see it. */
export interface RiskOrder {
  readonly instrumentId: InstrumentId;
  readonly side: OrderSide;
  readonly quantity: Decimal;
  readonly reduce: boolean;
  readonly markPrice: Decimal;
  readonly tsMark: number;
}

/** @internal When the kernel feeds equity to risk next (part of a snapshot). */
export interface RiskSchedule {
  readonly equityDirty: boolean;
  readonly nextEquityTs: number;
  readonly drift: number;
  readonly driftLimit: number;
}

/** @internal Risk bookkeeping of one trader; a no-op without an engine. */
export class RiskLink {
  readonly engine: RiskEngine | undefined;
  readonly #clock: Clock;
  readonly #cache: Cache;
  readonly #intervalMs: number;
  readonly #step: number;
  readonly #notify: (events: readonly RiskEvent[]) => void;
  /** Equity must be fed at the next quiet moment (after a fill, funding, or a price move). */
  equityDirty = false;
  #nextEquityTs = Number.NEGATIVE_INFINITY;
  /** Float estimate of the equity change since the last observation (trigger only, never booked). */
  #drift = 0;
  #driftLimit = Number.POSITIVE_INFINITY;

  constructor(
    engine: RiskEngine | undefined,
    clock: Clock,
    cache: Cache,
    equityIntervalMs: number,
    equityStep: number,
    notify: (events: readonly RiskEvent[]) => void,
  ) {
    this.engine = engine;
    this.#clock = clock;
    this.#cache = cache;
    this.#intervalMs = equityIntervalMs;
    this.#step = equityStep;
    this.#notify = notify;
  }

  /** The equity-observation schedule, for a snapshot (non-finite numbers included). */
  exportSchedule(): RiskSchedule {
    return {
      equityDirty: this.equityDirty,
      nextEquityTs: this.#nextEquityTs,
      drift: this.#drift,
      driftLimit: this.#driftLimit,
    };
  }

  /** Restores the schedule `exportSchedule` gave. */
  importSchedule(schedule: RiskSchedule): void {
    this.equityDirty = schedule.equityDirty;
    this.#nextEquityTs = schedule.nextEquityTs;
    this.#drift = schedule.drift;
    this.#driftLimit = schedule.driftLimit;
  }

  /** The engine's trading state (`active` without risk). */
  get tradingState(): TradingState {
    return this.engine?.tradingState ?? "active";
  }

  /** A price moved by `delta` on a position of `exposure` base units (float trigger only). */
  priceMoved(exposure: number, delta: number): void {
    this.#drift += exposure * delta;
  }

  /** After a price event: is the equity due for an observation by the drift? */
  checkDrift(): void {
    if (this.engine !== undefined && Math.abs(this.#drift) >= this.#driftLimit) this.equityDirty = true;
  }

  /** After a bar at `ts`: is the equity due (time or drift) while a position is open? */
  checkBar(ts: number): void {
    if (
      this.engine !== undefined &&
      this.#cache.openPositionCount > 0 &&
      (ts >= this.#nextEquityTs || Math.abs(this.#drift) >= this.#driftLimit)
    ) {
      this.equityDirty = true;
    }
  }

  /** Feeds the ledger equity if it is due; called when the trader is quiet. */
  flush(): void {
    if (this.equityDirty && this.engine !== undefined) {
      this.equityDirty = false;
      this.observeEquity(this.#cache.equity());
    }
  }

  /**
   * At a decision: rolls the day and ends cooldowns when due, and (with a position open, whose
   * equity moves with prices) feeds the equity the decision uses.
   */
  atDecision(equity: Decimal): void {
    const engine = this.engine;
    if (engine === undefined) return;
    this.#notify(engine.tickIfDue());
    if (this.#cache.openPositionCount > 0) this.observeEquity(equity);
  }

  /** Feeds the exact ledger equity and restarts the time and drift triggers. */
  observeEquity(equity: Decimal): void {
    const engine = this.engine;
    if (engine === undefined) return;
    this.#drift = 0;
    this.#driftLimit = this.#step * Math.abs(equity.toNumber());
    this.#nextEquityTs = this.#clock.now() + this.#intervalMs;
    this.#notify(engine.observeEquity(equity));
  }

  /** The pre-trade checks of an order (undefined without risk); the decision ticked already. */
  check(order: RiskOrder): RiskDecision | undefined {
    const engine = this.engine;
    if (engine === undefined) return undefined;
    const slot = this.#cache.slot(order.instrumentId);
    return engine.preTradeCheck(
      {
        order: {
          instrumentId: order.instrumentId,
          side: order.side,
          quantity: order.quantity,
          ...(order.reduce ? { reduceOnly: true } : {}),
        },
        instrument: slot.instrument,
        market: { markPrice: order.markPrice, tsMark: order.tsMark },
      },
      this.portfolio(),
    );
  }

  /** Records an order sent (order-rate check). */
  orderSent(): void {
    this.engine?.recordOrderSubmitted();
  }

  /** Venue answers the breakers count: accepted / rejected requests, rejects, unknown outcomes. */
  afterOrderEvent(type: ExecutionEvent["type"], reason: string | undefined): void {
    const engine = this.engine;
    if (engine === undefined) return;
    switch (type) {
      case "OrderAccepted":
        this.#notify(engine.recordVenueRequest(true));
        break;
      case "OrderRejected":
        this.#notify(engine.recordVenueRequest(true));
        this.#notify(engine.recordOrderReject(reason));
        break;
      case "OrderOutcomeUnknown":
        this.#notify(engine.recordVenueRequest(false));
        break;
      default:
        break;
    }
  }

  /** A trade closed with this net PnL (consecutive-losses breaker). */
  tradeClosed(pnl: Decimal): void {
    if (this.engine !== undefined) this.#notify(this.engine.recordTradeClosed(pnl));
  }

  /** The portfolio as the risk checks see it: expected positions (position + working entries) at the latest prices. */
  portfolio(): PortfolioSnapshot {
    const cache = this.#cache;
    const positions: PortfolioPosition[] = [];
    for (const slot of cache.slotList) {
      let quantity = slot.position?.quantity ?? ZERO;
      for (const order of slot.open as readonly Order[]) {
        if (isLeg(order)) continue;
        quantity = order.side === "buy" ? quantity.plus(order.leavesQty) : quantity.minus(order.leavesQty);
      }
      if (quantity.isZero()) continue;
      const mark = slot.priceAsDecimal() ?? slot.position?.avgEntryPrice;
      if (mark === undefined || !mark.gt(0)) continue;
      positions.push({
        instrumentId: slot.id,
        quantity,
        markPrice: mark,
        ...(slot.derivative
          ? { contractSize: (slot.instrument as { contractSize: Decimal }).contractSize }
          : {}),
      });
    }
    return { equity: cache.equity(), positions, openOrderCount: cache.openOrderCount };
  }
}
