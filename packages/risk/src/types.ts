import type { Instrument, InstrumentId, OrderSide, UnixMillis } from "@gpt/core";
import type { DecimalInput } from "@gpt/quantize";

/**
 * Whether the account may trade:
 * - `active`: every check applies, new exposure is allowed within the limits;
 * - `reducing`: only orders that shrink an existing position without flipping it are allowed;
 * - `halted`: no new orders at all.
 */
export type TradingState = "active" | "reducing" | "halted";

/** Every `TradingState`, from least to most restrictive. */
export const TRADING_STATES: readonly TradingState[] = ["active", "reducing", "halted"];

/**
 * The pre-trade checks, in the order `runPreTradeChecks` runs them (see `PRE_TRADE_CHECK_ORDER`).
 */
export type PreTradeCheckName =
  | "trading-halted"
  | "reduce-only"
  | "stale-market-data"
  | "order-increments"
  | "min-order-size"
  | "price-band"
  | "max-order-notional"
  | "max-open-orders"
  | "order-rate"
  | "max-position-notional"
  | "max-leverage"
  | "side-exposure"
  | "liquidation-distance";

/**
 * Why an order was denied. Stable codes; the README lists which check returns which code.
 *
 * - `trading-halted`: the trading state is `halted` (kill switch or a halting breaker).
 * - `reduce-only`: `reducing` state, reduce-only mode or a reduce-only order, and the order would
 *   open, grow or flip a position.
 * - `missing-mark-price`: no mark price (or no mark timestamp) for a check that needs one.
 * - `stale-market-data`: the mark is older than `staleMarketDataMs`.
 * - `mark-in-future`: the mark is dated after `now` by more than `markFutureToleranceMs` (a clock
 *   or feed fault: its age cannot be trusted).
 * - `price-off-tick`: the limit or trigger price is not a multiple of the instrument's
 *   `priceIncrement`.
 * - `size-off-step`: the quantity is not a multiple of the instrument's `sizeIncrement`.
 * - `below-min-size` / `above-max-size`: the quantity rounded down to the size step is below the
 *   instrument's minimum (or above its maximum).
 * - `below-min-notional`: the quantized order's notional is below the instrument's minimum.
 * - `price-band`: the limit price is further from the mark than `priceBandPct`.
 * - `max-order-notional`: the order's notional is above `maxOrderNotional`.
 * - `max-open-orders`: one more open order would exceed `maxOpenOrders`.
 * - `order-rate`: one more order would exceed `maxOrdersPerMinute` in the sliding minute.
 * - `max-position-notional`: the position after the order would exceed the per-symbol cap.
 * - `max-total-notional`: the gross notional of all positions would exceed `maxTotalNotional`.
 * - `max-symbol-leverage`: the position's notional / equity would exceed the symbol's leverage cap.
 * - `max-account-leverage`: gross notional / equity would exceed `maxLeverage`.
 * - `non-positive-equity`: the order adds exposure while equity is zero or negative.
 * - `max-side-exposure`: the net long (or short) notional would exceed its cap.
 * - `liquidation-distance`: the position's liquidation price would be closer to the mark than
 *   `minLiquidationDistancePct`.
 */
export type RiskReasonCode =
  | "trading-halted"
  | "reduce-only"
  | "missing-mark-price"
  | "stale-market-data"
  | "mark-in-future"
  | "price-off-tick"
  | "size-off-step"
  | "below-min-size"
  | "above-max-size"
  | "below-min-notional"
  | "price-band"
  | "max-order-notional"
  | "max-open-orders"
  | "order-rate"
  | "max-position-notional"
  | "max-total-notional"
  | "max-symbol-leverage"
  | "max-account-leverage"
  | "non-positive-equity"
  | "max-side-exposure"
  | "liquidation-distance";

/** Every `RiskReasonCode`, for validation, dashboards and exhaustive tests. */
export const RISK_REASON_CODES: readonly RiskReasonCode[] = [
  "trading-halted",
  "reduce-only",
  "missing-mark-price",
  "stale-market-data",
  "mark-in-future",
  "price-off-tick",
  "size-off-step",
  "below-min-size",
  "above-max-size",
  "below-min-notional",
  "price-band",
  "max-order-notional",
  "max-open-orders",
  "order-rate",
  "max-position-notional",
  "max-total-notional",
  "max-symbol-leverage",
  "max-account-leverage",
  "non-positive-equity",
  "max-side-exposure",
  "liquidation-distance",
];

/**
 * The numbers that broke a check, as plain decimal strings (no exponent notation), so a denial
 * can be logged, stored and compared without a Decimal library. `actual` is the measured value
 * and `limit` the bound it broke; checks add their own inputs (`markPrice`, `equity`, …).
 */
export interface RiskDenialDetails {
  /** The measured value that broke the limit. */
  readonly actual: string;
  /** The limit that was broken. */
  readonly limit: string;
  /** Further numbers and labels the check used. */
  readonly [key: string]: string;
}

/** An approved order: every check that ran let it through. */
export interface RiskApproved {
  /** Discriminant. */
  readonly kind: "approved";
}

/** A denied order: which check, why (stable code), a readable message and the numbers. */
export interface RiskDenied {
  /** Discriminant. */
  readonly kind: "denied";
  /** The check that denied the order. */
  readonly check: PreTradeCheckName;
  /** The stable reason code. */
  readonly reason: RiskReasonCode;
  /** A readable explanation with the numbers. */
  readonly message: string;
  /** The numbers that broke it (decimal strings). */
  readonly details: RiskDenialDetails;
}

/** The result of a pre-trade check. */
export type RiskDecision = RiskApproved | RiskDenied;

/**
 * What a strategy wants to do, as the risk checks see it. Amounts may be Decimals, decimal strings
 * or numbers; they are parsed strictly (NaN, Infinity and malformed strings throw `RiskError`).
 */
export interface OrderIntent {
  /** The instrument; must equal `instrument.id` of the context. */
  readonly instrumentId: InstrumentId;
  /** Buy or sell. */
  readonly side: OrderSide;
  /** Order quantity in the instrument's size unit (base units for spot, contracts for derivatives). Not negative. */
  readonly quantity: DecimalInput;
  /** Limit price; omit for a market order (the mark price is then the reference price). Positive. */
  readonly price?: DecimalInput;
  /**
   * Trigger price of a stop or stop-limit order. Positive. Checked against the tick only: the
   * reference price of the other checks stays the limit price, else the mark.
   */
  readonly triggerPrice?: DecimalInput;
  /** A reduce-only order: it may only shrink the position (checked even in the `active` state). */
  readonly reduceOnly?: boolean;
}

/** One open position as the risk checks see it (an entry of `PortfolioSnapshot.positions`). */
export interface PortfolioPosition {
  /** The position's instrument. */
  readonly instrumentId: InstrumentId;
  /** Signed quantity in size units: positive long, negative short, zero flat. */
  readonly quantity: DecimalInput;
  /** The mark price used to value the position. Positive. */
  readonly markPrice: DecimalInput;
  /** Base units per size unit (contract size); default 1. For the order's own instrument the instrument's value is used. */
  readonly contractSize?: DecimalInput;
  /** The venue's liquidation price for this position, if it has one. */
  readonly liquidationPrice?: DecimalInput;
}

/** The account as the checks see it. */
export interface PortfolioSnapshot {
  /** Account equity (cash + unrealized PnL) in the quote currency. May be zero or negative. */
  readonly equity: DecimalInput;
  /** Open positions (at most one per instrument; flat ones may be left out). */
  readonly positions: readonly PortfolioPosition[];
  /** Number of orders open at the venue right now. */
  readonly openOrderCount: number;
  /**
   * Total maintenance margin the venue requires for the current positions, if known. Used by the
   * liquidation-distance estimate; without it the other positions' margin is taken as zero.
   */
  readonly maintenanceMargin?: DecimalInput;
}

/** The latest market data for the order's instrument. */
export interface MarketSnapshot {
  /** The mark price (or a mid quote). Positive. Missing means no data yet. */
  readonly markPrice?: DecimalInput;
  /** When the mark was last updated. Missing means the age is unknown (treated as missing data). */
  readonly tsMark?: UnixMillis;
}

/**
 * Timestamps of recently submitted orders, oldest first: the state of the order-rate check, as a
 * value. Build with `emptyOrderRateWindow()`, extend with `recordOrder()`.
 */
export interface OrderRateWindow {
  /** Submission times, oldest first, within the last `ORDER_RATE_WINDOW_MS` of the last record. */
  readonly timestamps: readonly UnixMillis[];
}

/** The order and its surroundings: everything a pre-trade check needs apart from the portfolio. */
export interface OrderContext {
  /** The order to check. */
  readonly order: OrderIntent;
  /** The order's instrument (size step, minimum size, leverage and margin fractions). */
  readonly instrument: Instrument;
  /** Latest market data for the instrument. */
  readonly market: MarketSnapshot;
  /** The time of the decision (from the caller's clock; checks never read a clock). */
  readonly now: UnixMillis;
  /** The current trading state (default `active`). */
  readonly tradingState?: TradingState;
  /** Recently submitted orders, for the order-rate check (default: none). */
  readonly orderRate?: OrderRateWindow;
}

/** The input every single check takes: the order context plus the portfolio. */
export interface PreTradeInput extends OrderContext {
  /** The account. */
  readonly portfolio: PortfolioSnapshot;
}
