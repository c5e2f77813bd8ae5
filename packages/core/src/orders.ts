import type { Decimal } from "@gpt/quantize";
import type { ClientOrderId, InstrumentId, StrategyId, VenueOrderId } from "./ids.js";
import type { UnixMillis } from "./time.js";

/** Buy or sell. */
export type OrderSide = "buy" | "sell";
/** Every `OrderSide`, for validation and iteration. */
export const ORDER_SIDES: readonly OrderSide[] = ["buy", "sell"];

/**
 * The order types.
 * - `market`: execute now at the best available prices (IOC or FOK).
 * - `limit`: execute at `price` or better; rests on the book per its time in force.
 * - `stop`: a stop-market order: dormant until the last trade crosses `triggerPrice`
 *   (buy: price >= trigger, sell: price <= trigger), then a market order.
 * - `stop-limit`: like `stop`, but becomes a limit order at `price` once triggered.
 */
export type OrderType = "market" | "limit" | "stop" | "stop-limit";
/** Every `OrderType`. */
export const ORDER_TYPES: readonly OrderType[] = ["market", "limit", "stop", "stop-limit"];

/**
 * Time in force.
 * - `GTC` good till canceled; `GTD` good till `expireTime`;
 * - `IOC` immediate or cancel (fill what you can now, cancel the rest);
 * - `FOK` fill or kill (fill all now, or nothing).
 */
export type TimeInForce = "GTC" | "GTD" | "IOC" | "FOK";
/** Every `TimeInForce`. */
export const TIME_IN_FORCES: readonly TimeInForce[] = ["GTC", "GTD", "IOC", "FOK"];

/** Margin mode of a derivative order/position. */
export type MarginType = "cross" | "isolated";
/** Every `MarginType`. */
export const MARGIN_TYPES: readonly MarginType[] = ["cross", "isolated"];

/** Whether a fill added liquidity (maker) or took it (taker). */
export type LiquiditySide = "maker" | "taker";

/**
 * Fields of every order spec. Booked values are `Decimal`. `quantity` is in the instrument's size
 * unit (base currency for spot, contracts for derivatives) and is always positive; the direction
 * is `side`.
 */
export interface OrderSpecBase {
  /** Our id for the order, generated before the first send (the venue's idempotency key). */
  readonly clientOrderId: ClientOrderId;
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** Direction. */
  readonly side: OrderSide;
  /** Quantity in the instrument's size unit, > 0. */
  readonly quantity: Decimal;
  /** Time in force. */
  readonly timeInForce: TimeInForce;
  /** Expiry for `GTD`; required for `GTD`, forbidden otherwise. */
  readonly expireTime?: UnixMillis;
  /** Only reduce an existing position (derivatives only). */
  readonly reduceOnly: boolean;
  /** Requested leverage (derivatives only), >= 1. */
  readonly leverage?: Decimal;
  /** Requested margin mode (derivatives only). */
  readonly marginType?: MarginType;
}

/** A market order: `IOC` or `FOK`. */
export interface MarketOrderSpec extends OrderSpecBase {
  /** Discriminant. */
  readonly type: "market";
}

/** A limit order. `postOnly` orders that would take liquidity are rejected (never with IOC/FOK). */
export interface LimitOrderSpec extends OrderSpecBase {
  /** Discriminant. */
  readonly type: "limit";
  /** Limit price, > 0. */
  readonly price: Decimal;
  /** Only add liquidity. */
  readonly postOnly: boolean;
}

/** A stop-market order (`GTC` or `GTD`). */
export interface StopOrderSpec extends OrderSpecBase {
  /** Discriminant. */
  readonly type: "stop";
  /** Trigger price, > 0. */
  readonly triggerPrice: Decimal;
}

/** A stop-limit order (`GTC` or `GTD`). */
export interface StopLimitOrderSpec extends OrderSpecBase {
  /** Discriminant. */
  readonly type: "stop-limit";
  /** Limit price once triggered, > 0. */
  readonly price: Decimal;
  /** Trigger price, > 0. */
  readonly triggerPrice: Decimal;
}

/** What an order is; switch on `type`. */
export type OrderSpec = MarketOrderSpec | LimitOrderSpec | StopOrderSpec | StopLimitOrderSpec;

/** Submit one order. */
export interface SubmitOrder {
  /** Discriminant. */
  readonly type: "SubmitOrder";
  /** The strategy that owns the order. */
  readonly strategyId: StrategyId;
  /** The order. */
  readonly order: OrderSpec;
  /** When the command was created. */
  readonly tsInit: UnixMillis;
}

/**
 * Submit an entry with an attached take-profit and stop-loss (a bracket, like Coinbase's
 * `attached_order_configuration: trigger_bracket_gtc`).
 *
 * Semantics (every `ExecutionPort` must implement them this way):
 * - Three orders are created at once: the entry (`bracket.role = "entry"`), the take-profit
 *   (a reduce-only limit at `takeProfit.price`) and the stop-loss (a reduce-only stop, or a
 *   stop-limit when `stopLoss.price` is given), both on the opposite side. `bracketLegs()` derives
 *   the two leg specs.
 * - The legs are inactive (status `initialized`) until the entry fills. From the entry's first
 *   fill they work for the entry's *cumulative filled* quantity (they are updated as more fills
 *   arrive).
 * - The legs are one-cancels-other: a fill on one leg reduces the other to the same remaining
 *   quantity; when one leg is completely filled the other is canceled.
 * - If the entry is canceled, rejected, denied or expires without any fill, both legs are
 *   canceled. If it is canceled after a partial fill, the legs stay working for the filled part.
 * - Canceling a leg cancels only that leg.
 * - Legs are `GTC`, or `GTD` with `legExpireTime`.
 */
export interface SubmitBracket {
  /** Discriminant. */
  readonly type: "SubmitBracket";
  /** The strategy that owns the three orders. */
  readonly strategyId: StrategyId;
  /** The entry order (market or limit). */
  readonly entry: MarketOrderSpec | LimitOrderSpec;
  /** The take-profit leg: a limit order at `price`. */
  readonly takeProfit: { readonly clientOrderId: ClientOrderId; readonly price: Decimal };
  /**
   * The stop-loss leg: triggers at `triggerPrice`; a stop-market order, or a stop-limit order at
   * `price` if given.
   */
  readonly stopLoss: {
    readonly clientOrderId: ClientOrderId;
    readonly triggerPrice: Decimal;
    readonly price?: Decimal;
  };
  /** If given, the legs are `GTD` with this expiry; otherwise `GTC`. */
  readonly legExpireTime?: UnixMillis;
  /** When the command was created. */
  readonly tsInit: UnixMillis;
}

/** Cancel one order. */
export interface CancelOrder {
  /** Discriminant. */
  readonly type: "CancelOrder";
  /** The strategy asking. */
  readonly strategyId: StrategyId;
  /** The order's instrument. */
  readonly instrumentId: InstrumentId;
  /** The order. */
  readonly clientOrderId: ClientOrderId;
  /** The venue's id, if known (some venues cancel by venue id only). */
  readonly venueOrderId?: VenueOrderId;
  /** When the command was created. */
  readonly tsInit: UnixMillis;
}

/** Change a working order's quantity and/or prices (at least one of them). */
export interface ModifyOrder {
  /** Discriminant. */
  readonly type: "ModifyOrder";
  /** The strategy asking. */
  readonly strategyId: StrategyId;
  /** The order's instrument. */
  readonly instrumentId: InstrumentId;
  /** The order. */
  readonly clientOrderId: ClientOrderId;
  /** The venue's id, if known. */
  readonly venueOrderId?: VenueOrderId;
  /** New total quantity (> 0; must stay above the filled quantity). */
  readonly quantity?: Decimal;
  /** New limit price (> 0). */
  readonly price?: Decimal;
  /** New trigger price (> 0). */
  readonly triggerPrice?: Decimal;
  /** When the command was created. */
  readonly tsInit: UnixMillis;
}

/** Cancel every open order of one instrument (or of all instruments), optionally one side only. */
export interface CancelAllOrders {
  /** Discriminant. */
  readonly type: "CancelAllOrders";
  /** The strategy asking. */
  readonly strategyId: StrategyId;
  /** Only this instrument; every instrument if absent. */
  readonly instrumentId?: InstrumentId;
  /** Only this side; both if absent. */
  readonly side?: OrderSide;
  /** When the command was created. */
  readonly tsInit: UnixMillis;
}

/** Every command an `ExecutionPort` accepts; switch on `type`. */
export type TradingCommand = SubmitOrder | SubmitBracket | CancelOrder | ModifyOrder | CancelAllOrders;

/** The opposite side. */
export function oppositeSide(side: OrderSide): OrderSide {
  return side === "buy" ? "sell" : "buy";
}

/** +1 for buy, -1 for sell. */
export function sideSign(side: OrderSide): 1 | -1 {
  return side === "buy" ? 1 : -1;
}

/**
 * The full specs of a bracket's two legs: opposite side, entry quantity, reduce-only, `GTC`
 * (or `GTD` at `legExpireTime`), the entry's leverage and margin type. The take-profit is a
 * limit order (not post-only); the stop-loss a stop order, or a stop-limit order when
 * `stopLoss.price` is given. (Leg quantities shrink to the entry's filled quantity while it fills;
 * see `SubmitBracket`.)
 */
export function bracketLegs(command: SubmitBracket): {
  takeProfit: LimitOrderSpec;
  stopLoss: StopOrderSpec | StopLimitOrderSpec;
} {
  const e = command.entry;
  const common = {
    instrumentId: e.instrumentId,
    side: oppositeSide(e.side),
    quantity: e.quantity,
    reduceOnly: true,
    ...(command.legExpireTime === undefined
      ? { timeInForce: "GTC" as const }
      : { timeInForce: "GTD" as const, expireTime: command.legExpireTime }),
    ...(e.leverage === undefined ? {} : { leverage: e.leverage }),
    ...(e.marginType === undefined ? {} : { marginType: e.marginType }),
  };
  const takeProfit: LimitOrderSpec = {
    ...common,
    type: "limit",
    clientOrderId: command.takeProfit.clientOrderId,
    price: command.takeProfit.price,
    postOnly: false,
  };
  const stopLoss: StopOrderSpec | StopLimitOrderSpec =
    command.stopLoss.price === undefined
      ? {
          ...common,
          type: "stop",
          clientOrderId: command.stopLoss.clientOrderId,
          triggerPrice: command.stopLoss.triggerPrice,
        }
      : {
          ...common,
          type: "stop-limit",
          clientOrderId: command.stopLoss.clientOrderId,
          triggerPrice: command.stopLoss.triggerPrice,
          price: command.stopLoss.price,
        };
  return { takeProfit, stopLoss };
}
