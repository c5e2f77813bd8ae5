import type {
  AccountId,
  ClientOrderId,
  EventBase,
  ExecutionEvent,
  InstrumentId,
  OrderFilled,
  OrderSide,
  StrategyId,
  UnixMillis,
  Venue,
} from "@gpt/core";
import type { Decimal } from "@gpt/quantize";
import type { PreTradeCheckName, RiskEvent } from "@gpt/risk";

/**
 * What the kernel did with a strategy intent.
 *
 * - `order`: an order was initialized (and sent, unless a later event says otherwise).
 * - `denied`: the pre-trade risk check refused the order (`OrderDenied` follows).
 * - `skip`: no order, for a legitimate reason (sizing said skip, the quantity rounds to zero, no
 *   price yet).
 * - `blocked`: no order now because an earlier order is still unsettled (outcome unknown, or a
 *   cancel still unanswered a bar after it was sent); the target stays pending and is re-evaluated
 *   as soon as the venue's answer is applied, or on the instrument's next bar.
 * - `cancel`: working orders of the strategy were canceled (superseded by a new target, or a
 *   `CancelOrders` intent).
 * - `invalid-intent`: the strategy returned an intent that breaks the contract; it was ignored.
 */
export type DecisionKind = "order" | "denied" | "skip" | "blocked" | "cancel" | "invalid-intent";

/** Every `DecisionKind`. */
export const DECISION_KINDS: readonly DecisionKind[] = [
  "order",
  "denied",
  "skip",
  "blocked",
  "cancel",
  "invalid-intent",
];

/**
 * What an order decision does to the position:
 * `open` (from flat), `increase`, `reduce` (rebalancing only), `close` (to flat),
 * `flip-close` and `flip-open` (the two orders of a reversal: close the old side, open the new).
 */
export type OrderAction = "open" | "increase" | "reduce" | "close" | "flip-close" | "flip-open";

/** The intent a decision answers, as logged (no class instances, stable fields). */
export interface IntentSummary {
  /** The intent's type. */
  readonly type: "TargetPosition" | "CancelOrders";
  /** Wanted direction (targets only). */
  readonly direction?: "long" | "short" | "flat";
  /** Confidence in [0, 1] (targets only). */
  readonly confidence?: number;
  /** Size hint (fraction of equity), if given. */
  readonly sizeFraction?: number;
  /** Stop price, if given. */
  readonly stopPrice?: number;
  /** Take-profit price, if given. */
  readonly takeProfitPrice?: number;
  /** The strategy's words. */
  readonly reason: string;
  /** When the strategy decided (a bar's close time). */
  readonly tsEvent: UnixMillis;
}

/**
 * One decision of the kernel about one intent (or one order of it). The event log of a run is
 * these plus the execution events, which is what parity tests compare.
 *
 * `reason` is a stable code per kind:
 * - `order`: the `OrderAction` (`open`, `close`, `flip-close`, …);
 * - `denied`: the risk reason code (`max-leverage`, `reduce-only`, …), with `check`;
 * - `skip`: a sizing skip reason (`below-minimum`, `zero-confidence`, …), or `zero-quantity`
 *   (the quantity rounds down to zero), `no-price` (no market price yet), `sizing-error`
 *   (the sizer threw; `message` says why), `missing-observation` (the sizing method needs an
 *   observation that is not ready, e.g. ATR during warm-up);
 * - `blocked`: `outcome-unknown` or `awaiting-cancel`;
 * - `cancel`: `superseded` or `intent`;
 * - `invalid-intent`: `invalid-intent`, `foreign-strategy` or `foreign-instrument`.
 */
export interface Decision extends EventBase {
  /** Discriminant. */
  readonly type: "Decision";
  /** What was decided. */
  readonly kind: DecisionKind;
  /** Stable reason code (see above). */
  readonly reason: string;
  /** Human-readable explanation with the numbers. */
  readonly message: string;
  /** The deciding strategy. */
  readonly strategyId: StrategyId;
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** The intent answered. */
  readonly intent: IntentSummary;
  /** The order (kinds `order` and `denied`). */
  readonly clientOrderId?: ClientOrderId;
  /** Order side (kinds `order` and `denied`). */
  readonly side?: OrderSide;
  /** Order quantity on the size step (kinds `order` and `denied`). */
  readonly quantity?: Decimal;
  /** The reference price of the decision: the latest price (a bar's close), as its shortest decimal. */
  readonly price?: Decimal;
  /** Account equity at the decision (the kernel's ledger at `price`). */
  readonly equity?: Decimal;
  /** Signed position quantity at the decision. */
  readonly positionQuantity?: Decimal;
  /** Signed target quantity from sizing (opening orders). */
  readonly targetQuantity?: Decimal;
  /** The risk check that denied the order (kind `denied`). */
  readonly check?: PreTradeCheckName;
  /** The numbers behind a denial or skip, as decimal strings. */
  readonly details?: Readonly<Record<string, string>>;
  /** The instrument's regime at the decision, when a classifier runs. */
  readonly regime?: string;
  /** Orders canceled (kind `cancel`). */
  readonly canceled?: readonly ClientOrderId[];
}

/** An event of the `RiskEngine` (trading state changes, breaches, breaker trips), as logged. */
export interface RiskNotice extends EventBase {
  /** Discriminant. */
  readonly type: "RiskNotice";
  /** The risk event (its numbers are strings). */
  readonly event: RiskEvent;
}

/** The cache's position was set to what the venue reports (reconciliation). */
export interface PositionAdjusted extends EventBase {
  /** Discriminant. */
  readonly type: "PositionAdjusted";
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** Signed quantity before. */
  readonly before: Decimal;
  /** Signed quantity after (the venue's). */
  readonly after: Decimal;
  /** Why (`"reconciliation"`). */
  readonly reason: string;
}

/** The ledger's cash balance was set to the venue's (reconciliation with an account report). */
export interface LedgerAdjusted extends EventBase {
  /** Discriminant. */
  readonly type: "LedgerAdjusted";
  /** Settlement currency. */
  readonly currency: string;
  /** Cash before. */
  readonly before: Decimal;
  /** Cash after (the venue's total balance). */
  readonly after: Decimal;
  /** Why (`"reconciliation"`). */
  readonly reason: string;
}

/** A venue report `trader.reconcile` left out, and why (it never throws after changing anything). */
export interface ReconciliationIssue {
  /** `unknown-instrument`: the instrument provider does not know the report's instrument. */
  readonly code: "unknown-instrument";
  /** The report's instrument. */
  readonly instrumentId: InstrumentId;
  /** Which kind of report was left out (an order's fills are left out with it). */
  readonly report: "order" | "fill" | "position";
  /** What happened, naming the report by its venue order id, trade id or instrument. */
  readonly message: string;
}

/** What `trader.reconcile` did (also emitted as the `Reconciled` event). */
export interface ReconciliationResult {
  /** The venue of the report. */
  readonly venue: Venue;
  /** The account of the report. */
  readonly accountId: AccountId;
  /** Local orders whose status was settled from a report (accepted, canceled, expired, rejected, filled). */
  readonly ordersSettled: number;
  /** Orders the cache did not know, added from reports (external or forgotten orders). */
  readonly ordersAdded: number;
  /**
   * Of `ordersAdded`, those re-attached to a strategy of this trader (by the store's order record
   * or the client order id's run prefix) instead of the external strategy.
   */
  readonly ordersReattached: number;
  /** Local open orders the venue does not report, marked canceled. */
  readonly ordersMissing: number;
  /** Fills booked from fill reports (missed fills). */
  readonly fillsBooked: number;
  /** Positions set to the venue's quantity. */
  readonly positionsAdjusted: number;
  /** Whether the ledger cash was changed to the venue's balance. */
  readonly cashAdjusted: boolean;
  /** Reports left out (planned before anything was applied); empty when every report applied. */
  readonly issues: readonly ReconciliationIssue[];
}

/** Summary of one `trader.reconcile(...)` call (after the events it produced). */
export interface Reconciled extends EventBase, ReconciliationResult {
  /** Discriminant. */
  readonly type: "Reconciled";
}

/**
 * Something the kernel could not apply and skipped, so trading continues: an execution event that
 * breaks the order state machine, a duplicate fill, an event for an unknown order, a fill that
 * cannot be booked, a command the port refused. `code` is stable. (A subscriber that throws is
 * reported to the logger, not as an event, so a failing subscriber cannot loop.)
 */
export interface KernelWarning extends EventBase {
  /** Discriminant. */
  readonly type: "KernelWarning";
  /** `event-not-applied`, `duplicate-fill`, `unknown-order`, `fill-not-booked`, `store-write-failed`. */
  readonly code:
    | "event-not-applied"
    | "duplicate-fill"
    | "unknown-order"
    | "fill-not-booked"
    | "store-write-failed";
  /** What happened. */
  readonly message: string;
  /** The event type concerned, if any. */
  readonly eventType?: string;
  /** The order concerned, if any. */
  readonly clientOrderId?: ClientOrderId;
  /** The instrument concerned, if any. */
  readonly instrumentId?: InstrumentId;
}

/**
 * The kernel's books may no longer match the venue's, and only a reconciliation
 * (`trader.reconcile` with the venue's mass status) can settle it:
 *
 * - `fill-refused`: a fill the order state machine refused (an overfill, a fill of a finished
 *   order) was not booked on the position; it is carried in `fill`;
 * - `position-differs`: the venue reported a position (`PositionOpened/Changed/Closed`, applied in
 *   order after the fills before it) whose quantity is not the ledger's (`ledgerQuantity`,
 *   `venueQuantity`).
 *
 * `trader.reconciliationRequested` stays true until the next `reconcile`.
 */
export interface ReconciliationRequested extends EventBase {
  /** Discriminant. */
  readonly type: "ReconciliationRequested";
  /** Why. */
  readonly reason: "fill-refused" | "position-differs";
  /** What happened. */
  readonly message: string;
  /** The instrument concerned. */
  readonly instrumentId: InstrumentId;
  /** The order concerned, if any. */
  readonly clientOrderId?: ClientOrderId;
  /** The fill that was not booked (`fill-refused`). */
  readonly fill?: OrderFilled;
  /** The ledger's signed position quantity (`position-differs`). */
  readonly ledgerQuantity?: Decimal;
  /** The venue's signed position quantity (`position-differs`). */
  readonly venueQuantity?: Decimal;
}

/** Events produced by the kernel itself (besides `OrderInitialized`/`OrderDenied`). */
export type KernelEvent =
  | Decision
  | RiskNotice
  | PositionAdjusted
  | LedgerAdjusted
  | Reconciled
  | ReconciliationRequested
  | KernelWarning;

/** Every event on the trader's bus and in its log: execution events and kernel events; switch on `type`. */
export type TraderEvent = ExecutionEvent | KernelEvent;

/** Receives trader events. */
export type TraderEventHandler = (event: TraderEvent) => void;
