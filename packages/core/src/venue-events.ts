import type { Decimal } from "@gpt/quantize";
import type { EventBase } from "./events.js";
import type { AccountId, InstrumentId, PositionId, TradeId, VenueOrderId } from "./ids.js";
import type { LiquiditySide, OrderSide } from "./orders.js";

/**
 * Why the venue closed a position on its own: `liquidation` (the position crossed its
 * liquidation price) or `auto-deleverage` (the venue reduced it against a liquidated
 * counterparty).
 */
export type ForcedFillKind = "liquidation" | "auto-deleverage";

/** Every `ForcedFillKind`, for validation and iteration. */
export const FORCED_FILL_KINDS: readonly ForcedFillKind[] = ["liquidation", "auto-deleverage"];

/**
 * The venue closed (part of) a position on its own: an execution like `OrderFilled`, booked on
 * the position the same way (`applyFill` takes it as is, the liquidation fee in `commission`),
 * but of an order that is the venue's: no order of ours moves. Without it, a ledger that books
 * only its own fills keeps a position the venue no longer has.
 */
export interface ForcedFill extends EventBase {
  /** Discriminant. */
  readonly type: "ForcedFill";
  /** Liquidation or auto-deleveraging. */
  readonly kind: ForcedFillKind;
  /** The account, if known. */
  readonly accountId?: AccountId;
  /** The instrument whose position was closed. */
  readonly instrumentId: InstrumentId;
  /** The venue's execution id (unique per instrument at the venue). */
  readonly tradeId: TradeId;
  /** The venue's id of its own closing order, if it gives one. */
  readonly venueOrderId?: VenueOrderId;
  /** The side of the execution (a long is closed by a sell). */
  readonly side: OrderSide;
  /** Quantity of this execution (> 0). */
  readonly lastQty: Decimal;
  /** Price of this execution (> 0): the liquidation price, or a worse price the market gapped to. */
  readonly lastPrice: Decimal;
  /** Fee charged (the liquidation fee). */
  readonly commission: Decimal;
  /** Currency of `commission`. */
  readonly commissionCurrency: string;
  /** Maker or taker (liquidations are taker executions). */
  readonly liquiditySide: LiquiditySide;
  /** The position, if the venue says. */
  readonly positionId?: PositionId;
}

/**
 * Why a balance moved outside fills and funding: the venue covered a deficit (`deficit-covered`,
 * e.g. from an insurance fund after a liquidation past bankruptcy), settled a contract
 * (`settlement`), moved funds (`transfer`), or something else it reports (`other`).
 */
export type BalanceAdjustmentReason = "deficit-covered" | "settlement" | "transfer" | "other";

/** Every `BalanceAdjustmentReason`, for validation and iteration. */
export const BALANCE_ADJUSTMENT_REASONS: readonly BalanceAdjustmentReason[] = [
  "deficit-covered",
  "settlement",
  "transfer",
  "other",
];

/** The venue credited (positive) or debited (negative) a balance outside fills and funding. */
export interface BalanceAdjusted extends EventBase {
  /** Discriminant. */
  readonly type: "BalanceAdjusted";
  /** Account id. */
  readonly accountId: AccountId;
  /** The currency of the balance. */
  readonly currency: string;
  /** Signed amount: positive credited, negative debited. */
  readonly amount: Decimal;
  /** Why. */
  readonly reason: BalanceAdjustmentReason;
  /** The instrument it concerns, if any (the liquidated one for a covered deficit). */
  readonly instrumentId?: InstrumentId;
}

/** Changes the venue makes to positions and balances on its own; switch on `type`. */
export type VenueAdjustmentEvent = ForcedFill | BalanceAdjusted;
