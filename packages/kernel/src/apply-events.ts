/**
 * Event application: every execution event from the venue (or created by the kernel) brought into
 * the cache. Orders move through `@gpt/core`'s order state machine; fills, the venue's forced
 * fills (liquidation, auto-deleveraging), funding and balance adjustments move the positions and
 * the ledger, so the ledger follows every change the venue makes; venue position and account
 * reports are kept for comparison; closed trades and venue answers go to risk. An event is
 * emitted after the cache reflects it; one that cannot be applied becomes a warning, and a fill
 * the order state machine refuses is not booked but asks for reconciliation. An answer a waiting
 * target needs (an order of its instrument ended, or an outcome became known or unknown) marks
 * the instrument, and the trader decides the target as soon as the events are applied.
 */
import {
  applyOrderEvent,
  assertNever,
  type ClientOrderId,
  type ExecutionEvent,
  type ForcedFill,
  hasFill,
  initOrder,
  isTerminalStatus,
  type Order,
  type OrderFilled,
  type SubmitBracket,
  type SubmitOrder,
} from "@gpt/core";
import { D } from "@gpt/quantize";
import type { BookedFill, Cache, InstrumentSlot } from "./cache.js";
import type { ReconciliationRequested } from "./events.js";
import type { TraderOutput } from "./output.js";
import type { RiskLink } from "./risk-link.js";

const ZERO = D(0);
const NO_SLOTS: readonly InstrumentSlot[] = Object.freeze([]);

/** @internal Applies execution events to the cache (see the file comment). */
export class EventApplier {
  readonly #cache: Cache;
  readonly #out: TraderOutput;
  readonly #risk: RiskLink;
  /** Commands of orders not yet terminal (for `retryOrder`); finished orders are removed here. */
  readonly #commands: Map<ClientOrderId, SubmitOrder | SubmitBracket>;
  /** A `ReconciliationRequested` was emitted since the last reconciliation. */
  reconciliationRequested = false;
  /** Instruments whose waiting target got an answer since the last `takeAnswered`. */
  readonly #answered = new Set<InstrumentSlot>();
  /** True when `takeAnswered` has something (a plain field: the trader reads it on every drain). */
  hasAnswers = false;

  constructor(
    cache: Cache,
    out: TraderOutput,
    risk: RiskLink,
    commands: Map<ClientOrderId, SubmitOrder | SubmitBracket>,
  ) {
    this.#cache = cache;
    this.#out = out;
    this.#risk = risk;
    this.#commands = commands;
  }

  /** Applies one execution event to the cache (and risk), then emits it. */
  process(event: ExecutionEvent): void {
    switch (event.type) {
      case "OrderInitialized": {
        if (this.#cache.order(event.clientOrderId) !== undefined) {
          this.#out.warn(
            "event-not-applied",
            `order ${event.clientOrderId} is already known`,
            event.tsEvent,
            {
              eventType: event.type,
              clientOrderId: event.clientOrderId,
            },
          );
          return;
        }
        try {
          this.#cache.putOrder(initOrder(event));
        } catch (error) {
          this.#out.warn("event-not-applied", `cannot initialize order: ${String(error)}`, event.tsEvent, {
            eventType: event.type,
            clientOrderId: event.clientOrderId,
          });
          return;
        }
        break;
      }
      case "OrderFilled":
        if (!this.#applyFill(event)) return;
        break;
      case "OrderDenied":
      case "OrderSubmitted":
      case "OrderOutcomeUnknown":
      case "OrderAccepted":
      case "OrderRejected":
      case "OrderTriggered":
      case "OrderPendingUpdate":
      case "OrderUpdated":
      case "OrderModifyRejected":
      case "OrderPendingCancel":
      case "OrderCancelRejected":
      case "OrderCanceled":
      case "OrderExpired": {
        const order = this.#cache.order(event.clientOrderId);
        if (order === undefined) {
          this.#out.warn(
            "unknown-order",
            `${event.type} for unknown order ${event.clientOrderId}`,
            event.tsEvent,
            {
              eventType: event.type,
              clientOrderId: event.clientOrderId,
              instrumentId: event.instrumentId,
            },
          );
          break;
        }
        let next: Order;
        try {
          next = applyOrderEvent(order, event);
        } catch (error) {
          this.#out.warn(
            "event-not-applied",
            `${event.type} not applied to ${event.clientOrderId}: ${error instanceof Error ? error.message : String(error)}`,
            event.tsEvent,
            { eventType: event.type, clientOrderId: event.clientOrderId, instrumentId: event.instrumentId },
          );
          break;
        }
        this.#cache.putOrder(next);
        if (isTerminalStatus(next.status)) this.#commands.delete(next.clientOrderId);
        this.#noteAnswer(order, next, event.type === "OrderCancelRejected");
        this.#risk.afterOrderEvent(event.type, event.type === "OrderRejected" ? event.reason : undefined);
        break;
      }
      case "PositionOpened":
      case "PositionChanged":
      case "PositionClosed": {
        const slot = this.#cache.slot(event.instrumentId);
        slot.venuePosition = event.position;
        const ledger = slot.position?.quantity ?? ZERO;
        if (!ledger.eq(event.position.quantity)) {
          this.#requestReconciliation(
            {
              reason: "position-differs",
              message: `the venue reports a position of ${event.position.quantity.toFixed()} ${event.instrumentId}, the ledger holds ${ledger.toFixed()}`,
              instrumentId: event.instrumentId,
              ledgerQuantity: ledger,
              venueQuantity: event.position.quantity,
            },
            event.tsEvent,
          );
        }
        break;
      }
      case "AccountUpdated":
        this.#cache.setVenueAccount(event.state);
        break;
      case "FundingApplied":
        this.#cache.bookFunding(event);
        this.#risk.equityDirty = true;
        break;
      case "ForcedFill":
        if (!this.#applyForcedFill(event)) return;
        break;
      case "BalanceAdjusted":
        if (!this.#cache.bookAdjustment(event)) {
          this.#out.warn(
            "event-not-applied",
            `balance adjustment of ${event.currency} not booked: the ledger holds ${this.#cache.currency} only`,
            event.tsEvent,
            {
              eventType: event.type,
              ...(event.instrumentId === undefined ? {} : { instrumentId: event.instrumentId }),
            },
          );
          break;
        }
        this.#risk.equityDirty = true;
        break;
      default:
        assertNever(event, "execution event");
    }
    this.#out.emit(event);
  }

  /** Updates the order (when known) and books the fill on position and ledger. False: dropped. */
  #applyFill(fill: OrderFilled): boolean {
    const order = this.#cache.order(fill.clientOrderId);
    if (order !== undefined) {
      if (hasFill(order, fill.tradeId)) {
        this.#out.warn(
          "duplicate-fill",
          `fill ${fill.tradeId} of ${fill.clientOrderId} was already booked`,
          fill.tsEvent,
          {
            eventType: fill.type,
            clientOrderId: fill.clientOrderId,
            instrumentId: fill.instrumentId,
          },
        );
        return false;
      }
      let next: Order;
      try {
        next = applyOrderEvent(order, fill);
      } catch (error) {
        // The order state machine refuses it (an overfill, a fill of a finished order): booking
        // it would move the position by an execution our order cannot have had. Not booked; only
        // the venue's reports can say what happened.
        const message = `fill ${fill.tradeId} of order ${fill.clientOrderId} refused by the order state machine, not booked: ${error instanceof Error ? error.message : String(error)}`;
        this.#out.warn("event-not-applied", message, fill.tsEvent, {
          eventType: fill.type,
          clientOrderId: fill.clientOrderId,
          instrumentId: fill.instrumentId,
        });
        this.#requestReconciliation(
          {
            reason: "fill-refused",
            message,
            instrumentId: fill.instrumentId,
            clientOrderId: fill.clientOrderId,
            fill,
          },
          fill.tsEvent,
        );
        return false;
      }
      this.#cache.putOrder(next);
      if (isTerminalStatus(next.status)) this.#commands.delete(next.clientOrderId);
      this.#noteAnswer(order, next, false);
    } else {
      if (this.#cache.seenTrade(fill.instrumentId, fill.tradeId)) {
        this.#out.warn("duplicate-fill", `fill ${fill.tradeId} was already booked`, fill.tsEvent, {
          eventType: fill.type,
          clientOrderId: fill.clientOrderId,
          instrumentId: fill.instrumentId,
        });
        return false;
      }
      this.#out.warn(
        "unknown-order",
        `fill ${fill.tradeId} of unknown order ${fill.clientOrderId} (booked on the position)`,
        fill.tsEvent,
        {
          eventType: fill.type,
          clientOrderId: fill.clientOrderId,
          instrumentId: fill.instrumentId,
        },
      );
    }
    return this.#book(fill);
  }

  /**
   * Books a venue's forced fill (liquidation, auto-deleveraging) like a fill of an order we do
   * not hold, without an unknown-order warning: the order is the venue's. False: a duplicate.
   */
  #applyForcedFill(fill: ForcedFill): boolean {
    if (this.#cache.seenTrade(fill.instrumentId, fill.tradeId)) {
      this.#out.warn("duplicate-fill", `forced fill ${fill.tradeId} was already booked`, fill.tsEvent, {
        eventType: fill.type,
        instrumentId: fill.instrumentId,
      });
      return false;
    }
    return this.#book(fill);
  }

  /**
   * The instruments whose waiting target got an answer, in the order the answers came; the set is
   * emptied. The trader decides those targets once the queued events are applied.
   */
  takeAnswered(): readonly InstrumentSlot[] {
    if (this.#answered.size === 0) return NO_SLOTS;
    const slots = [...this.#answered];
    this.#answered.clear();
    this.hasAnswers = false;
    return slots;
  }

  /**
   * Keeps `slot.canceling` (a cancel is answered when the order ends or the cancel is refused) and
   * marks the order's instrument when its standing target waits (`pending`) and the event is an
   * answer it waits for: the order ended (fill, cancel, reject, expiry), or its outcome became
   * known or unknown. A refused cancel of an order that stays open is not one: deciding again at
   * once would only send the same cancel again (the next bar does).
   */
  #noteAnswer(before: Order, after: Order, cancelRefused: boolean): void {
    const ended = isTerminalStatus(after.status) && !isTerminalStatus(before.status);
    if (!ended && !cancelRefused && before.outcomeUnknown === after.outcomeUnknown) return;
    const slot = this.#cache.peekSlot(after.instrumentId);
    if (slot === undefined) return;
    if (ended || cancelRefused) slot.canceling.delete(after.clientOrderId);
    if (!ended && before.outcomeUnknown === after.outcomeUnknown) return;
    if (!slot.pending || slot.standing === undefined) return;
    slot.answered = true;
    this.#answered.add(slot);
    this.hasAnswers = true;
  }

  #requestReconciliation(
    request: Omit<ReconciliationRequested, "type" | "eventId" | "tsEvent" | "tsInit">,
    tsEvent: number,
  ): void {
    this.reconciliationRequested = true;
    this.#out.emit({ type: "ReconciliationRequested", ...this.#out.meta(tsEvent), ...request });
  }

  /** Books a fill on the position and the ledger; a fill that cannot be booked becomes a warning. */
  #book(fill: OrderFilled | ForcedFill): boolean {
    let booked: BookedFill;
    try {
      booked = this.#cache.bookFill(fill);
    } catch (error) {
      this.#out.warn(
        "fill-not-booked",
        `fill ${fill.tradeId} could not be booked: ${error instanceof Error ? error.message : String(error)}`,
        fill.tsEvent,
        {
          eventType: fill.type,
          ...(fill.type === "OrderFilled" ? { clientOrderId: fill.clientOrderId } : {}),
          instrumentId: fill.instrumentId,
        },
      );
      return true;
    }
    this.#risk.equityDirty = true;
    this.#trackTrade(booked.slot, booked.before, booked.after);
    return true;
  }

  /** Feeds closed trades (position back to flat, or flipped) to the consecutive-losses breaker. */
  #trackTrade(slot: InstrumentSlot, before: BookedFill["before"], after: BookedFill["after"]): void {
    const wasOpen = before !== undefined && !before.quantity.isZero();
    const isOpen = !after.quantity.isZero();
    const flipped = wasOpen && isOpen && before.quantity.isNegative() !== after.quantity.isNegative();
    if (!wasOpen && isOpen) {
      slot.tradeBase = {
        realized: before?.realizedPnl ?? ZERO,
        commissions: before?.commissions ?? ZERO,
        funding: before?.funding ?? ZERO,
      };
      return;
    }
    if (wasOpen && (!isOpen || flipped)) {
      const base = slot.tradeBase;
      if (base !== undefined && this.#risk.engine !== undefined) {
        const pnl = after.realizedPnl
          .minus(base.realized)
          .minus(after.commissions.minus(base.commissions))
          .plus(after.funding.minus(base.funding));
        this.#risk.tradeClosed(pnl);
      }
      slot.tradeBase = flipped
        ? { realized: after.realizedPnl, commissions: after.commissions, funding: after.funding }
        : undefined;
    }
  }
}
