import type { Decimal } from "@gpt/quantize";
import type { AccountState } from "./account.js";
import type { AccountId, ClientOrderId, InstrumentId, TradeId, Venue, VenueOrderId } from "./ids.js";
import type { OrderStatus } from "./order-state.js";
import type { LiquiditySide, OrderSide, OrderType, TimeInForce } from "./orders.js";
import type { UnixMillis } from "./time.js";

/*
 * Reconciliation reports: what a venue says about orders, fills and positions, in domain types.
 * On start (and after an outcome-unknown request), the kernel compares them with its own cache
 * and emits the events that bring the cache in line (e.g. an `OrderFilled` for a missed fill,
 * `OrderRejected` only if the venue reports the order as rejected, `OrderCanceled` for an order
 * the venue no longer has).
 */

/** The venue's view of one order. */
export interface OrderStatusReport {
  /** Account. */
  readonly accountId: AccountId;
  /** Instrument. */
  readonly instrumentId: InstrumentId;
  /** Our id, if the order was ours (external orders have none we know). */
  readonly clientOrderId?: ClientOrderId;
  /** The venue's id. */
  readonly venueOrderId: VenueOrderId;
  /** Side. */
  readonly side: OrderSide;
  /** Type. */
  readonly type: OrderType;
  /** Time in force. */
  readonly timeInForce: TimeInForce;
  /**
   * Status as the venue sees it; only venue-reachable statuses (never `initialized`, `denied`,
   * `pending-update`, `pending-cancel`).
   */
  readonly status: Exclude<OrderStatus, "initialized" | "denied" | "pending-update" | "pending-cancel">;
  /** Total quantity. */
  readonly quantity: Decimal;
  /** Cumulative filled quantity. */
  readonly filledQty: Decimal;
  /** Average fill price, if anything filled. */
  readonly avgPx?: Decimal;
  /** Limit price. */
  readonly price?: Decimal;
  /** Trigger price. */
  readonly triggerPrice?: Decimal;
  /** GTD expiry. */
  readonly expireTime?: UnixMillis;
  /** Post-only. */
  readonly postOnly: boolean;
  /** Reduce-only. */
  readonly reduceOnly: boolean;
  /** Venue's reason, for rejected/canceled orders. */
  readonly reason?: string;
  /** When the venue accepted (created) the order. */
  readonly tsAccepted: UnixMillis;
  /** When the venue last changed it. */
  readonly tsLastUpdate: UnixMillis;
  /** When our system created this report. */
  readonly tsInit: UnixMillis;
}

/** The venue's view of one fill. */
export interface FillReport {
  /** Account. */
  readonly accountId: AccountId;
  /** Instrument. */
  readonly instrumentId: InstrumentId;
  /** Our id, if known. */
  readonly clientOrderId?: ClientOrderId;
  /** The venue's order id. */
  readonly venueOrderId: VenueOrderId;
  /** Execution id. */
  readonly tradeId: TradeId;
  /** Side. */
  readonly side: OrderSide;
  /** Quantity. */
  readonly lastQty: Decimal;
  /** Price. */
  readonly lastPrice: Decimal;
  /** Fee (negative: rebate). */
  readonly commission: Decimal;
  /** Fee currency. */
  readonly commissionCurrency: string;
  /** Maker or taker. */
  readonly liquiditySide: LiquiditySide;
  /** Execution time. */
  readonly tsEvent: UnixMillis;
  /** When our system created this report. */
  readonly tsInit: UnixMillis;
}

/** The venue's view of one position. */
export interface PositionStatusReport {
  /** Account. */
  readonly accountId: AccountId;
  /** Instrument. */
  readonly instrumentId: InstrumentId;
  /** Signed quantity in the instrument's size unit (long > 0, short < 0). */
  readonly quantity: Decimal;
  /** Average entry price, if the venue reports one. */
  readonly avgEntryPrice?: Decimal;
  /** Unrealized PnL as the venue computes it, if reported. */
  readonly unrealizedPnl?: Decimal;
  /**
   * Realized PnL of the position so far (in the settlement currency, net as the venue books it),
   * if the venue reports it; reconciliation adopts it so a restarted ledger keeps it.
   */
  readonly realizedPnl?: Decimal;
  /** When the venue last changed it, if known. */
  readonly tsLastUpdate?: UnixMillis;
  /** When our system created this report. */
  readonly tsInit: UnixMillis;
}

/**
 * Everything a venue reports on start so the kernel can reconcile: open (and recently closed)
 * orders, fills since a point in time, positions and the account.
 */
export interface ExecutionMassStatus {
  /** Venue. */
  readonly venue: Venue;
  /** Account. */
  readonly accountId: AccountId;
  /** Order reports. */
  readonly orderReports: readonly OrderStatusReport[];
  /** Fill reports. */
  readonly fillReports: readonly FillReport[];
  /** Position reports (non-flat positions; an instrument missing here is flat). */
  readonly positionReports: readonly PositionStatusReport[];
  /** The account state, if the venue reported it. */
  readonly account?: AccountState;
  /** When our system created this report. */
  readonly tsInit: UnixMillis;
}
