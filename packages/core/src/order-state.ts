import { D, type Decimal } from "@gpt/quantize";
import { OrderStateError } from "./errors.js";
import type { BracketLink, OrderEvent, OrderFilled, OrderInitialized } from "./events.js";
import type {
  AccountId,
  ClientOrderId,
  EventId,
  InstrumentId,
  StrategyId,
  TradeId,
  VenueOrderId,
} from "./ids.js";
import type { MarginType, OrderSide, OrderType, TimeInForce } from "./orders.js";
import type { UnixMillis } from "./time.js";
import { assertNever } from "./util.js";

/**
 * Order statuses.
 * - `initialized`: created locally, not sent.
 * - `denied`: refused by our own risk checks (terminal, never sent).
 * - `submitted`: sent, no answer yet.
 * - `accepted`: working at the venue (or dormant, for an untriggered stop).
 * - `triggered`: a stop/stop-limit whose trigger was reached, working.
 * - `pending-update` / `pending-cancel`: a modify / cancel request is in flight.
 * - `partially-filled`: some quantity filled, the rest working.
 * - `filled`, `canceled`, `expired`, `rejected`: terminal.
 */
export type OrderStatus =
  | "initialized"
  | "denied"
  | "submitted"
  | "accepted"
  | "triggered"
  | "pending-update"
  | "pending-cancel"
  | "partially-filled"
  | "filled"
  | "canceled"
  | "expired"
  | "rejected";

/** Every `OrderStatus`. */
export const ORDER_STATUSES: readonly OrderStatus[] = [
  "initialized",
  "denied",
  "submitted",
  "accepted",
  "triggered",
  "pending-update",
  "pending-cancel",
  "partially-filled",
  "filled",
  "canceled",
  "expired",
  "rejected",
];

/** The total commission paid in one currency. */
export interface CommissionTotal {
  /** Currency. */
  readonly currency: string;
  /** Sum of the fills' commissions in that currency (negative: net rebate). */
  readonly amount: Decimal;
}

/**
 * An immutable snapshot of one order, produced by `initOrder` and `applyOrderEvent`.
 * The spec fields (`type`, `side`, `quantity`, `price`, …) reflect the latest `OrderUpdated`.
 */
export interface Order {
  /** Our id. */
  readonly clientOrderId: ClientOrderId;
  /** The venue's id, once known (from an accept, trigger, update, cancel or fill). */
  readonly venueOrderId?: VenueOrderId;
  /** Instrument. */
  readonly instrumentId: InstrumentId;
  /** Owning strategy. */
  readonly strategyId: StrategyId;
  /** Account, once known. */
  readonly accountId?: AccountId;
  /** Order type. */
  readonly type: OrderType;
  /** Direction. */
  readonly side: OrderSide;
  /** Total quantity (> 0). */
  readonly quantity: Decimal;
  /** Limit price (limit and stop-limit). */
  readonly price?: Decimal;
  /** Trigger price (stop and stop-limit). */
  readonly triggerPrice?: Decimal;
  /** Time in force. */
  readonly timeInForce: TimeInForce;
  /** GTD expiry. */
  readonly expireTime?: UnixMillis;
  /** Post-only (limit orders). */
  readonly postOnly: boolean;
  /** Reduce-only. */
  readonly reduceOnly: boolean;
  /** Leverage requested. */
  readonly leverage?: Decimal;
  /** Margin type requested. */
  readonly marginType?: MarginType;
  /** Bracket membership. */
  readonly bracket?: BracketLink;
  /** Current status. */
  readonly status: OrderStatus;
  /** Cumulative filled quantity. */
  readonly filledQty: Decimal;
  /** `quantity - filledQty` while the order can still fill; zero once it is terminal. */
  readonly leavesQty: Decimal;
  /** Volume-weighted average fill price (40 significant digits); absent before the first fill. */
  readonly avgPx?: Decimal;
  /** Commissions per currency. */
  readonly commissions: readonly CommissionTotal[];
  /** Trade ids of the booked fills, in order (used to refuse duplicates). */
  readonly tradeIds: readonly TradeId[];
  /** The venue has acknowledged the order (`OrderAccepted` seen). */
  readonly isAccepted: boolean;
  /** A stop/stop-limit whose trigger was reached (or that already filled). */
  readonly isTriggered: boolean;
  /** Set by `OrderOutcomeUnknown`: which request's outcome is unknown (cleared by its answer). */
  readonly outcomeUnknown?: "submit" | "modify" | "cancel";
  /** Why it was denied/rejected (the latest reason of a denial, rejection or refused request). */
  readonly lastReason?: string;
  /** `tsEvent` of `OrderInitialized`. */
  readonly tsCreated: UnixMillis;
  /** `tsEvent` of the latest event. */
  readonly tsLastEvent: UnixMillis;
  /** The latest event's id. */
  readonly lastEventId: EventId;
  /** The latest event's type. */
  readonly lastEventType: OrderEvent["type"];
  /** Number of events applied (including `OrderInitialized`). */
  readonly eventCount: number;
}

const ZERO = D(0);

const TERMINAL: ReadonlySet<OrderStatus> = new Set(["denied", "rejected", "canceled", "expired", "filled"]);

/** True for `denied`, `rejected`, `canceled`, `expired` and `filled`. */
export function isTerminalStatus(status: OrderStatus): boolean {
  return TERMINAL.has(status);
}

/**
 * True while the order is (or may be) live at the venue and can still fill: `submitted`,
 * `accepted`, `triggered`, `pending-update`, `pending-cancel`, `partially-filled`.
 */
export function isOpenOrder(order: Order): boolean {
  return order.status !== "initialized" && !TERMINAL.has(order.status);
}

/** True if the order has already booked a fill with this trade id (use it to drop venue resends). */
export function hasFill(order: Order, tradeIdValue: TradeId): boolean {
  return order.tradeIds.includes(tradeIdValue);
}

/**
 * Creates the order snapshot from its `OrderInitialized` event (status `initialized`).
 */
export function initOrder(event: OrderInitialized): Order {
  const spec = event.order;
  if (spec.clientOrderId !== event.clientOrderId || spec.instrumentId !== event.instrumentId) {
    throw new OrderStateError(
      "event-mismatch",
      event.clientOrderId,
      "none",
      event.type,
      "the event's clientOrderId/instrumentId differ from its order spec",
    );
  }
  const base = {
    clientOrderId: event.clientOrderId,
    instrumentId: event.instrumentId,
    strategyId: event.strategyId,
    type: spec.type,
    side: spec.side,
    quantity: spec.quantity,
    timeInForce: spec.timeInForce,
    postOnly: spec.type === "limit" ? spec.postOnly : false,
    reduceOnly: spec.reduceOnly,
    status: "initialized" as const,
    filledQty: ZERO,
    leavesQty: spec.quantity,
    commissions: [],
    tradeIds: [],
    isAccepted: false,
    isTriggered: false,
    tsCreated: event.tsEvent,
    tsLastEvent: event.tsEvent,
    lastEventId: event.eventId,
    lastEventType: event.type,
    eventCount: 1,
  };
  return {
    ...base,
    ...(spec.type === "limit" || spec.type === "stop-limit" ? { price: spec.price } : {}),
    ...(spec.type === "stop" || spec.type === "stop-limit" ? { triggerPrice: spec.triggerPrice } : {}),
    ...(spec.expireTime === undefined ? {} : { expireTime: spec.expireTime }),
    ...(spec.leverage === undefined ? {} : { leverage: spec.leverage }),
    ...(spec.marginType === undefined ? {} : { marginType: spec.marginType }),
    ...(event.bracket === undefined ? {} : { bracket: event.bracket }),
  };
}

/** The status a working order returns to when a pending request is answered. */
function workingStatus(order: Order): OrderStatus {
  if (order.filledQty.gt(0)) return "partially-filled";
  if (order.isTriggered) return "triggered";
  if (order.isAccepted) return "accepted";
  return "submitted";
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function without<T extends object, K extends keyof T>(obj: T, key: K): T {
  if (!(key in obj)) return obj;
  const copy = { ...obj };
  delete copy[key];
  return copy;
}

/**
 * Applies one event to an order and returns the new snapshot (the input is never mutated).
 * A pure state machine: every (status, event) pair not listed below throws an `OrderStateError`
 * (code `illegal-transition`) naming the status and the event type.
 *
 * | event | allowed from | result |
 * | --- | --- | --- |
 * | OrderInitialized | never (use `initOrder`) | |
 * | OrderDenied | initialized | denied |
 * | OrderSubmitted | initialized | submitted |
 * | OrderOutcomeUnknown | any status after submitted | status unchanged, `outcomeUnknown` set (no-op on terminal orders) |
 * | OrderAccepted | submitted; other open statuses if not yet accepted (ack after a fill/cancel request) | accepted / unchanged |
 * | OrderAccepted | filled, canceled, expired if not yet accepted (late ack) | unchanged (records venueOrderId) |
 * | OrderRejected | submitted, pending-update, pending-cancel, only if not yet accepted | rejected |
 * | OrderTriggered | stop/stop-limit not yet triggered: submitted, accepted, pending-update, pending-cancel | triggered (pending-* unchanged) |
 * | OrderPendingUpdate | submitted, accepted, triggered, partially-filled | pending-update |
 * | OrderUpdated | submitted, accepted, triggered, partially-filled, pending-update | working status |
 * | OrderModifyRejected | pending-update | working status; any other status: unchanged |
 * | OrderPendingCancel | submitted, accepted, triggered, partially-filled, pending-update | pending-cancel |
 * | OrderCancelRejected | pending-cancel | working status; any other status: unchanged |
 * | OrderCanceled | initialized (local cancel of an unsent order) and every open status | canceled |
 * | OrderExpired | every open status | expired |
 * | OrderFilled | every open status (incl. pending-cancel: late fills) | partially-filled / filled (pending-* stay while not complete) |
 *
 * "Working status" is `partially-filled` if anything filled, else `triggered`, `accepted` or
 * `submitted`. Terminal orders accept only the no-op answers above; a fill arriving *after*
 * `OrderCanceled`/`OrderExpired` is an error (the venue adapter must order events; reconciliation
 * repairs the rest). Fills are also checked: same side, `lastQty` and `lastPrice` > 0, a trade
 * id not booked before (`duplicate-fill`), and a cumulative quantity not above the order quantity
 * (`overfill`). An `OrderUpdated` quantity must stay above the filled quantity (`overfill`).
 *
 * @throws OrderStateError
 */
export function applyOrderEvent(order: Order, event: OrderEvent): Order {
  const from = order.status;
  // Module-level helpers rather than closures: this runs for every order event.
  if (event.clientOrderId !== order.clientOrderId) {
    failTransition(order, event, "event-mismatch", `event is for order ${event.clientOrderId}`);
  }
  if (event.instrumentId !== order.instrumentId) {
    failTransition(
      order,
      event,
      "event-mismatch",
      `event is for instrument ${event.instrumentId}, order is ${order.instrumentId}`,
    );
  }
  const terminal = TERMINAL.has(from);
  const open = !terminal && from !== "initialized";

  const next: Mutable<Order> = {
    ...order,
    tsLastEvent: event.tsEvent,
    lastEventId: event.eventId,
    lastEventType: event.type,
    eventCount: order.eventCount + 1,
  };

  switch (event.type) {
    case "OrderInitialized":
      return illegal(order, event);
    case "OrderDenied":
      if (from !== "initialized") return illegal(order, event);
      next.status = "denied";
      next.leavesQty = ZERO;
      next.lastReason = event.reason;
      return next;
    case "OrderSubmitted":
      if (from !== "initialized") return illegal(order, event);
      next.status = "submitted";
      if (event.accountId !== undefined) next.accountId = event.accountId;
      return next;
    case "OrderOutcomeUnknown":
      if (from === "initialized" || from === "denied") return illegal(order, event);
      if (!terminal) next.outcomeUnknown = event.operation;
      return next;
    case "OrderAccepted":
      if (order.isAccepted || from === "initialized" || from === "denied" || from === "rejected")
        return illegal(order, event);
      next.isAccepted = true;
      next.venueOrderId = event.venueOrderId;
      if (event.accountId !== undefined) next.accountId = event.accountId;
      if (from === "submitted") next.status = "accepted";
      settle(next, "submit");
      return next;
    case "OrderRejected":
      if (
        order.isAccepted ||
        !(from === "submitted" || from === "pending-update" || from === "pending-cancel")
      ) {
        return illegal(order, event);
      }
      next.status = "rejected";
      next.leavesQty = ZERO;
      next.lastReason = event.reason;
      settle(next, "submit");
      return next;
    case "OrderTriggered":
      if (order.type !== "stop" && order.type !== "stop-limit") {
        return failTransition(order, event, "illegal-transition", `a ${order.type} order has no trigger`);
      }
      if (order.isTriggered) return illegal(order, event);
      if (
        !(
          from === "submitted" ||
          from === "accepted" ||
          from === "pending-update" ||
          from === "pending-cancel"
        )
      ) {
        return illegal(order, event);
      }
      next.isTriggered = true;
      if (event.venueOrderId !== undefined) next.venueOrderId = event.venueOrderId;
      if (from === "submitted" || from === "accepted") next.status = "triggered";
      return next;
    case "OrderPendingUpdate":
      if (
        !(from === "submitted" || from === "accepted" || from === "triggered" || from === "partially-filled")
      ) {
        return illegal(order, event);
      }
      next.status = "pending-update";
      return next;
    case "OrderUpdated": {
      if (!(open && from !== "pending-cancel")) return illegal(order, event);
      if (event.quantity.lte(order.filledQty)) {
        return failTransition(
          order,
          event,
          "overfill",
          `new quantity ${event.quantity.toString()} must exceed filled ${order.filledQty.toString()}`,
        );
      }
      if (event.price !== undefined) {
        if (order.type !== "limit" && order.type !== "stop-limit") {
          return failTransition(order, event, "event-mismatch", `a ${order.type} order has no limit price`);
        }
        next.price = event.price;
      }
      if (event.triggerPrice !== undefined) {
        if (order.type !== "stop" && order.type !== "stop-limit") {
          return failTransition(order, event, "event-mismatch", `a ${order.type} order has no trigger price`);
        }
        next.triggerPrice = event.triggerPrice;
      }
      if (event.venueOrderId !== undefined) next.venueOrderId = event.venueOrderId;
      next.quantity = event.quantity;
      next.leavesQty = event.quantity.minus(order.filledQty);
      next.status = workingStatus(next);
      settle(next, "modify");
      return next;
    }
    case "OrderModifyRejected":
      if (from === "initialized") return illegal(order, event);
      if (from === "pending-update") next.status = workingStatus(next);
      next.lastReason = event.reason;
      settle(next, "modify");
      return next;
    case "OrderPendingCancel":
      if (!(open && from !== "pending-cancel")) return illegal(order, event);
      next.status = "pending-cancel";
      return next;
    case "OrderCancelRejected":
      if (from === "initialized") return illegal(order, event);
      if (from === "pending-cancel") next.status = workingStatus(next);
      next.lastReason = event.reason;
      settle(next, "cancel");
      return next;
    case "OrderCanceled":
      if (terminal) return illegal(order, event);
      if (event.venueOrderId !== undefined) next.venueOrderId = event.venueOrderId;
      next.status = "canceled";
      next.leavesQty = ZERO;
      delete next.outcomeUnknown;
      return next;
    case "OrderExpired":
      if (!open) return illegal(order, event);
      if (event.venueOrderId !== undefined) next.venueOrderId = event.venueOrderId;
      next.status = "expired";
      next.leavesQty = ZERO;
      delete next.outcomeUnknown;
      return next;
    case "OrderFilled":
      if (!open) return illegal(order, event);
      return applyFillToOrder(order, next, event);
    default:
      return assertNever(event, "order event");
  }
}

type TransitionFailure =
  | "illegal-transition"
  | "overfill"
  | "duplicate-fill"
  | "event-mismatch"
  | "invalid-fill";

function failTransition(order: Order, event: OrderEvent, code: TransitionFailure, why: string): never {
  throw new OrderStateError(code, order.clientOrderId, order.status, event.type, why);
}

function illegal(order: Order, event: OrderEvent): never {
  return failTransition(order, event, "illegal-transition", "not allowed in this status");
}

/** A reply to `operation` settles an unknown outcome of that operation. */
function settle(next: Mutable<Order>, operation: "submit" | "modify" | "cancel"): void {
  if (next.outcomeUnknown === operation) delete next.outcomeUnknown;
}

function applyFillToOrder(order: Order, next: Mutable<Order>, fill: OrderFilled): Order {
  if (fill.side !== order.side)
    failTransition(
      order,
      fill,
      "event-mismatch",
      `fill side ${fill.side} differs from order side ${order.side}`,
    );
  if (!fill.lastQty.gt(0))
    failTransition(order, fill, "invalid-fill", `lastQty must be > 0 (got ${fill.lastQty.toString()})`);
  if (!fill.lastPrice.gt(0))
    failTransition(order, fill, "invalid-fill", `lastPrice must be > 0 (got ${fill.lastPrice.toString()})`);
  if (order.tradeIds.includes(fill.tradeId))
    failTransition(order, fill, "duplicate-fill", `trade ${fill.tradeId} is already booked`);
  const filled = order.filledQty.plus(fill.lastQty);
  if (filled.gt(order.quantity)) {
    failTransition(
      order,
      fill,
      "overfill",
      `cumulative fill ${filled.toString()} exceeds quantity ${order.quantity.toString()}`,
    );
  }
  next.avgPx =
    order.avgPx === undefined
      ? fill.lastPrice
      : order.avgPx.mul(order.filledQty).plus(fill.lastPrice.mul(fill.lastQty)).div(filled);
  next.filledQty = filled;
  next.leavesQty = order.quantity.minus(filled);
  next.venueOrderId = fill.venueOrderId;
  if (fill.accountId !== undefined) next.accountId = fill.accountId;
  next.tradeIds = [...order.tradeIds, fill.tradeId];
  if (order.type === "stop" || order.type === "stop-limit") next.isTriggered = true;
  const idx = order.commissions.findIndex((c) => c.currency === fill.commissionCurrency);
  if (idx < 0) {
    next.commissions = [...order.commissions, { currency: fill.commissionCurrency, amount: fill.commission }];
  } else {
    next.commissions = order.commissions.map((c, i) =>
      i === idx ? { currency: c.currency, amount: c.amount.plus(fill.commission) } : c,
    );
  }
  if (next.leavesQty.isZero()) {
    next.status = "filled";
    return without(next, "outcomeUnknown");
  }
  if (order.status !== "pending-cancel" && order.status !== "pending-update")
    next.status = "partially-filled";
  if (next.outcomeUnknown === "submit") delete next.outcomeUnknown;
  return next;
}

/**
 * Replays events from `OrderInitialized` on (the first event must be it).
 * @throws OrderStateError on the first illegal event.
 */
export function replayOrder(events: readonly OrderEvent[]): Order {
  const [first, ...rest] = events;
  if (first === undefined || first.type !== "OrderInitialized") {
    throw new OrderStateError(
      "illegal-transition",
      first?.clientOrderId ?? "unknown",
      "none",
      first?.type ?? "none",
      "the first event of an order must be OrderInitialized",
    );
  }
  let order = initOrder(first);
  for (const event of rest) order = applyOrderEvent(order, event);
  return order;
}
