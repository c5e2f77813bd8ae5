import type { Decimal } from "@gpt/quantize";
import type { AccountEvent } from "./account.js";
import type {
  AccountId,
  ClientOrderId,
  EventId,
  InstrumentId,
  PositionId,
  StrategyId,
  TradeId,
  VenueOrderId,
} from "./ids.js";
import type { LiquiditySide, OrderSide, OrderSpec } from "./orders.js";
import type { PositionEvent } from "./position.js";
import type { UnixMillis } from "./time.js";
import type { VenueAdjustmentEvent } from "./venue-events.js";

/** Fields every domain event has. */
export interface EventBase {
  /** Unique id of this event within the event log (see `createEventIdGenerator`). */
  readonly eventId: EventId;
  /** When it happened (venue time for venue events, our time for our own decisions). */
  readonly tsEvent: UnixMillis;
  /** When our system created this event object. */
  readonly tsInit: UnixMillis;
}

/** Fields every order event has. */
export interface OrderEventBase extends EventBase {
  /** The order. */
  readonly clientOrderId: ClientOrderId;
  /** The order's instrument. */
  readonly instrumentId: InstrumentId;
}

/** How an order belongs to a bracket (`SubmitBracket`): its role and the ids of all three orders. */
export interface BracketLink {
  /** This order's role. */
  readonly role: "entry" | "take-profit" | "stop-loss";
  /** The entry order. */
  readonly entryClientOrderId: ClientOrderId;
  /** The take-profit leg. */
  readonly takeProfitClientOrderId: ClientOrderId;
  /** The stop-loss leg. */
  readonly stopLossClientOrderId: ClientOrderId;
}

/** An order was created locally (not sent yet). The first event of every order. */
export interface OrderInitialized extends OrderEventBase {
  /** Discriminant. */
  readonly type: "OrderInitialized";
  /** What the order is. */
  readonly order: OrderSpec;
  /** The owning strategy. */
  readonly strategyId: StrategyId;
  /** Set for the three orders of a bracket. */
  readonly bracket?: BracketLink;
}

/** Our own pre-trade risk refused the order: it never reached the venue. Terminal. */
export interface OrderDenied extends OrderEventBase {
  /** Discriminant. */
  readonly type: "OrderDenied";
  /** Why (e.g. the risk check's reason). */
  readonly reason: string;
}

/** The order was sent to the venue (the outcome is not known yet). */
export interface OrderSubmitted extends OrderEventBase {
  /** Discriminant. */
  readonly type: "OrderSubmitted";
  /** The account it was sent to, if known. */
  readonly accountId?: AccountId;
}

/**
 * A request about the order (`submit`, `modify`, `cancel`) ended without an answer: timeout,
 * HTTP 5xx or 429, disconnect. This is *not* a rejection (see the outcome policy): the order's
 * status does not change, `outcomeUnknown` is set on the snapshot, and reconciliation (order
 * status reports) settles it. Retries re-send the same client order id.
 */
export interface OrderOutcomeUnknown extends OrderEventBase {
  /** Discriminant. */
  readonly type: "OrderOutcomeUnknown";
  /** Which request has an unknown outcome. */
  readonly operation: "submit" | "modify" | "cancel";
  /** What happened (e.g. `"timeout after 10000 ms"`, `"HTTP 503"`). */
  readonly reason: string;
}

/** The venue accepted the order (it is working, or dormant for untriggered stops). */
export interface OrderAccepted extends OrderEventBase {
  /** Discriminant. */
  readonly type: "OrderAccepted";
  /** The venue's id for the order. */
  readonly venueOrderId: VenueOrderId;
  /** The account, if known. */
  readonly accountId?: AccountId;
}

/** The venue refused the order. Only the venue's own answer makes an order rejected. Terminal. */
export interface OrderRejected extends OrderEventBase {
  /** Discriminant. */
  readonly type: "OrderRejected";
  /** Readable reason (venue message). */
  readonly reason: string;
  /** The venue's failure code, if any (e.g. `"INSUFFICIENT_FUND"`). */
  readonly code?: string;
}

/** A stop or stop-limit order's trigger price was reached. */
export interface OrderTriggered extends OrderEventBase {
  /** Discriminant. */
  readonly type: "OrderTriggered";
  /** The venue's id, if known. */
  readonly venueOrderId?: VenueOrderId;
}

/** A modify request was sent; the answer is pending. */
export interface OrderPendingUpdate extends OrderEventBase {
  /** Discriminant. */
  readonly type: "OrderPendingUpdate";
}

/** The order's quantity or prices changed (answer to a modify, or a venue-initiated change). */
export interface OrderUpdated extends OrderEventBase {
  /** Discriminant. */
  readonly type: "OrderUpdated";
  /** The venue's id, if known. */
  readonly venueOrderId?: VenueOrderId;
  /** The new total quantity (must stay above the filled quantity). */
  readonly quantity: Decimal;
  /** The new limit price (limit and stop-limit orders only). */
  readonly price?: Decimal;
  /** The new trigger price (stop and stop-limit orders only). */
  readonly triggerPrice?: Decimal;
}

/** The venue refused a modify request; the order is unchanged. */
export interface OrderModifyRejected extends OrderEventBase {
  /** Discriminant. */
  readonly type: "OrderModifyRejected";
  /** Why. */
  readonly reason: string;
}

/** A cancel request was sent; the answer is pending. Fills may still arrive. */
export interface OrderPendingCancel extends OrderEventBase {
  /** Discriminant. */
  readonly type: "OrderPendingCancel";
}

/** The venue refused a cancel request (often: the order is already filled or gone). */
export interface OrderCancelRejected extends OrderEventBase {
  /** Discriminant. */
  readonly type: "OrderCancelRejected";
  /** Why. */
  readonly reason: string;
}

/** The order was canceled (by request, by the venue, or locally before it was ever sent). Terminal. */
export interface OrderCanceled extends OrderEventBase {
  /** Discriminant. */
  readonly type: "OrderCanceled";
  /** The venue's id, if known. */
  readonly venueOrderId?: VenueOrderId;
}

/** The order expired (GTD reached `expireTime`, or the venue expired it). Terminal. */
export interface OrderExpired extends OrderEventBase {
  /** Discriminant. */
  readonly type: "OrderExpired";
  /** The venue's id, if known. */
  readonly venueOrderId?: VenueOrderId;
}

/** One execution of (part of) the order. Booked values are exact decimals from the venue. */
export interface OrderFilled extends OrderEventBase {
  /** Discriminant. */
  readonly type: "OrderFilled";
  /** The venue's order id. */
  readonly venueOrderId: VenueOrderId;
  /** The venue's execution id (unique per instrument at the venue). */
  readonly tradeId: TradeId;
  /** The order's side (repeated so a fill can be booked on its own). */
  readonly side: OrderSide;
  /** Quantity of this execution (> 0), in the instrument's size unit. */
  readonly lastQty: Decimal;
  /** Price of this execution (> 0). */
  readonly lastPrice: Decimal;
  /** Fee charged for this execution (negative: a rebate). */
  readonly commission: Decimal;
  /** Currency of `commission`. */
  readonly commissionCurrency: string;
  /** Maker or taker. */
  readonly liquiditySide: LiquiditySide;
  /** The account, if known. */
  readonly accountId?: AccountId;
  /** The position the fill belongs to, if the venue says. */
  readonly positionId?: PositionId;
}

/** Every order event; switch on `type`. */
export type OrderEvent =
  | OrderInitialized
  | OrderDenied
  | OrderSubmitted
  | OrderOutcomeUnknown
  | OrderAccepted
  | OrderRejected
  | OrderTriggered
  | OrderPendingUpdate
  | OrderUpdated
  | OrderModifyRejected
  | OrderPendingCancel
  | OrderCancelRejected
  | OrderCanceled
  | OrderExpired
  | OrderFilled;

/** Every `OrderEvent["type"]`, for validation and iteration. */
export const ORDER_EVENT_TYPES: readonly OrderEvent["type"][] = [
  "OrderInitialized",
  "OrderDenied",
  "OrderSubmitted",
  "OrderOutcomeUnknown",
  "OrderAccepted",
  "OrderRejected",
  "OrderTriggered",
  "OrderPendingUpdate",
  "OrderUpdated",
  "OrderModifyRejected",
  "OrderPendingCancel",
  "OrderCancelRejected",
  "OrderCanceled",
  "OrderExpired",
  "OrderFilled",
];

/**
 * Everything an `ExecutionPort` emits: order, position and account events, and the changes the
 * venue makes on its own (forced fills, balance adjustments); switch on `type`.
 */
export type ExecutionEvent = OrderEvent | PositionEvent | AccountEvent | VenueAdjustmentEvent;

/** True for order events (narrowing helper). */
export function isOrderEvent(event: ExecutionEvent): event is OrderEvent {
  return event.type.startsWith("Order");
}
