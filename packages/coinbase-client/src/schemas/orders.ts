/**
 * Orders and fills as Coinbase returns them (`GET /orders/historical/*`), with the enums of the
 * reference. Response schemas keep unknown fields, accept amounts as strings or numbers (kept as
 * strings) and the unset forms of timestamps (`""`, `null`, `"0001-01-01T00:00:00Z"` → `null`).
 * Enum-valued fields are typed with the documented values but accept any string, so a value
 * Coinbase adds later does not break parsing.
 */

import { parseResponse } from "../internal/validate.js";
import * as z from "../internal/zod.js";
import { responseDecimal, timestamp } from "./common.js";
import { type FieldTable, fastArray, fastChecker, isPlainObject, zodShape } from "./field-table.js";

/** A documented string value, or any other string Coinbase may add later (kept as sent). */
export type OpenString<Known extends string> = Known | (string & {});

/** Buy or sell. */
export type OrderSide = "BUY" | "SELL";

/** An order's status. There is no partially-filled status: a partly filled resting order is `OPEN`. */
export type OrderStatus =
  | "PENDING"
  | "OPEN"
  | "FILLED"
  | "CANCELLED"
  | "EXPIRED"
  | "FAILED"
  | "UNKNOWN_ORDER_STATUS"
  | "QUEUED"
  | "CANCEL_QUEUED"
  | "EDIT_QUEUED";

/** An order's type. */
export type OrderType =
  | "UNKNOWN_ORDER_TYPE"
  | "MARKET"
  | "LIMIT"
  | "STOP"
  | "STOP_LIMIT"
  | "BRACKET"
  | "TWAP"
  | "ROLL_OPEN"
  | "ROLL_CLOSE"
  | "LIQUIDATION"
  | "SCALED";

/** An order's time in force. */
export type TimeInForce =
  | "UNKNOWN_TIME_IN_FORCE"
  | "GOOD_UNTIL_DATE_TIME"
  | "GOOD_UNTIL_CANCELLED"
  | "IMMEDIATE_OR_CANCEL"
  | "FILL_OR_KILL";

/** Whether a stop order has triggered; non-stop orders report `INVALID_ORDER_TYPE`. */
export type TriggerStatus =
  | "UNKNOWN_TRIGGER_STATUS"
  | "INVALID_ORDER_TYPE"
  | "STOP_PENDING"
  | "STOP_TRIGGERED";

/** Why Coinbase rejected an order (`REJECT_REASON_UNSPECIFIED` when it did not). */
export type RejectReason =
  | "REJECT_REASON_UNSPECIFIED"
  | "HOLD_FAILURE"
  | "TOO_MANY_OPEN_ORDERS"
  | "REJECT_REASON_INSUFFICIENT_FUNDS"
  | "RATE_LIMIT_EXCEEDED";

/** Margin type of a derivatives order (`UNKNOWN_MARGIN_TYPE` on spot). */
export type MarginType = "CROSS" | "ISOLATED";

/** Where an order was placed from. */
export type OrderPlacementSource = "UNKNOWN_PLACEMENT_SOURCE" | "RETAIL_SIMPLE" | "RETAIL_ADVANCED";

/** One edit of an order (`edit_history[]`). */
export interface OrderEdit {
  /** The price after the edit. */
  readonly price?: string;
  /** The size after the edit. */
  readonly size?: string;
  /** When Coinbase accepted the edit (`null` when unset). */
  readonly replace_accept_timestamp?: string | null;
  /** Fields Coinbase adds later are kept. */
  readonly [field: string]: unknown;
}

/**
 * An order (`GET /orders/historical/{order_id}`, `GET /orders/historical/batch`). Amounts are
 * decimal strings (`""` where Coinbase leaves one empty, such as `fee`); timestamps are RFC 3339
 * strings or `null` when unset; unknown fields are kept.
 */
export interface Order {
  /** Coinbase's order id. */
  readonly order_id: string;
  /** The product, e.g. `BTC-USD`. */
  readonly product_id: string;
  /** Buy or sell. */
  readonly side: OpenString<OrderSide>;
  /** The id the order was created with. */
  readonly client_order_id: string;
  /** The order's status. */
  readonly status: OpenString<OrderStatus>;
  /** The owner's user id. */
  readonly user_id?: string;
  /** The order's configuration as Coinbase echoes it (one variant key); `null` when absent. */
  readonly order_configuration?: Readonly<Record<string, unknown>> | null;
  /** Time in force. */
  readonly time_in_force?: OpenString<TimeInForce>;
  /** When the order was created. */
  readonly created_time?: string | null;
  /** Percent filled, e.g. `"100.00"`. */
  readonly completion_percentage?: string;
  /** Filled size (base units, or quote units when `size_in_quote`). */
  readonly filled_size?: string;
  /** Average fill price. */
  readonly average_filled_price?: string;
  /** Fee (often `""`; see `total_fees`). */
  readonly fee?: string;
  /** Number of fills (Coinbase sends it as text, `"1"`; parsed to a number). */
  readonly number_of_fills?: number;
  /** Filled value in quote units. */
  readonly filled_value?: string;
  /** Whether a cancel is pending. */
  readonly pending_cancel?: boolean;
  /** Whether the order was sized in the quote asset. */
  readonly size_in_quote?: boolean;
  /** Total fees paid. */
  readonly total_fees?: string;
  /** Whether the size includes fees. */
  readonly size_inclusive_of_fees?: boolean;
  /** Filled value after fees. */
  readonly total_value_after_fees?: string;
  /** Stop trigger status. */
  readonly trigger_status?: OpenString<TriggerStatus>;
  /** Order type. */
  readonly order_type?: OpenString<OrderType>;
  /** Reject reason (`""` or `REJECT_REASON_UNSPECIFIED` when not rejected). */
  readonly reject_reason?: OpenString<RejectReason>;
  /** Whether the order is settled. */
  readonly settled?: boolean;
  /** `SPOT`, `FUTURE`, … */
  readonly product_type?: string;
  /** Coinbase's reject message. */
  readonly reject_message?: string;
  /** Coinbase's cancel message. */
  readonly cancel_message?: string;
  /** Where the order was placed from. */
  readonly order_placement_source?: OpenString<OrderPlacementSource>;
  /** Funds still held for the order. */
  readonly outstanding_hold_amount?: string;
  /** Whether this is a liquidation order. */
  readonly is_liquidation?: boolean;
  /** When the last fill happened (`null` when none). */
  readonly last_fill_time?: string | null;
  /** Past edits (`null` when Coinbase sends none). */
  readonly edit_history?: readonly OrderEdit[] | null;
  /** Leverage (`""` on spot). */
  readonly leverage?: string;
  /** Margin type (`UNKNOWN_MARGIN_TYPE` or `""` on spot). */
  readonly margin_type?: OpenString<MarginType>;
  /** The portfolio the order belongs to. */
  readonly retail_portfolio_id?: string;
  /** The order this one came from (brackets, edits). */
  readonly originating_order_id?: string;
  /** The attached (TP/SL) order's id. */
  readonly attached_order_id?: string;
  /** The attached order's configuration. */
  readonly attached_order_configuration?: Readonly<Record<string, unknown>> | null;
  /** When the order last changed (newer responses). */
  readonly last_update_time?: string | null;
  /** This item's cursor in a list. */
  readonly cursor?: string;
  /** Fields Coinbase adds later are kept. */
  readonly [field: string]: unknown;
}

/** The kind of a fill. */
export type TradeType = "FILL" | "REVERSAL" | "CORRECTION" | "SYNTHETIC";

/** Whether a fill made or took liquidity. */
export type LiquidityIndicator = "UNKNOWN_LIQUIDITY_INDICATOR" | "MAKER" | "TAKER";

/** A fill (`GET /orders/historical/fills`). */
export interface Fill {
  /** The fill's unique entry id (a hex hash). */
  readonly entry_id?: string;
  /** The trade id. */
  readonly trade_id: string;
  /** The order that filled. */
  readonly order_id: string;
  /** When the trade happened. */
  readonly trade_time?: string | null;
  /** Fill, reversal, correction or synthetic. */
  readonly trade_type?: OpenString<TradeType>;
  /** The fill price. */
  readonly price: string;
  /** The fill size (quote units when `size_in_quote`). */
  readonly size: string;
  /** The commission paid. */
  readonly commission?: string;
  /** The product. */
  readonly product_id: string;
  /** When Coinbase sequenced the fill. */
  readonly sequence_timestamp?: string | null;
  /** Maker or taker. */
  readonly liquidity_indicator?: OpenString<LiquidityIndicator>;
  /** Whether `size` is in quote units. */
  readonly size_in_quote?: boolean;
  /** The owner's user id. */
  readonly user_id?: string;
  /** Buy or sell. */
  readonly side?: OpenString<OrderSide>;
  /** The portfolio. */
  readonly retail_portfolio_id?: string;
  /** This item's cursor. */
  readonly cursor?: string;
  /** Fields Coinbase adds later are kept. */
  readonly [field: string]: unknown;
}

/** `GET /orders/historical/batch`: one page of orders, newest first. */
export interface ListOrdersResponse {
  /** The orders of this page. */
  readonly orders: readonly Order[];
  /** Whether another page follows. */
  readonly has_next?: boolean;
  /** The cursor of the next page (`""` on the last). */
  readonly cursor?: string;
  /** Coinbase's sequence number of the listing, kept as sent. */
  readonly sequence?: string | number;
  /** Fields Coinbase adds later are kept. */
  readonly [field: string]: unknown;
}

/** `GET /orders/historical/{order_id}`. */
export interface GetOrderResponse {
  /** The order. */
  readonly order: Order;
  /** Fields Coinbase adds later are kept. */
  readonly [field: string]: unknown;
}

/** `GET /orders/historical/fills`: one page of fills. Fills carry no `has_next`. */
export interface ListFillsResponse {
  /** The fills of this page. */
  readonly fills: readonly Fill[];
  /** The cursor of the next page (`""` or absent on the last). */
  readonly cursor?: string;
  /** Fields Coinbase adds later are kept. */
  readonly [field: string]: unknown;
}

// ---- schemas ----

/** The flat fields of an order (`edit_history` is added separately). */
const ORDER_FIELDS: FieldTable = {
  order_id: ["id", true],
  product_id: ["string", true],
  side: ["string", true],
  client_order_id: ["string", true],
  status: ["string", true],
  user_id: ["string", false],
  order_configuration: ["echo", false],
  time_in_force: ["string", false],
  created_time: ["time", false],
  completion_percentage: ["decimal", false],
  filled_size: ["decimal", false],
  average_filled_price: ["decimal", false],
  fee: ["decimal", false],
  number_of_fills: ["count", false],
  filled_value: ["decimal", false],
  pending_cancel: ["boolean", false],
  size_in_quote: ["boolean", false],
  total_fees: ["decimal", false],
  size_inclusive_of_fees: ["boolean", false],
  total_value_after_fees: ["decimal", false],
  trigger_status: ["string", false],
  order_type: ["string", false],
  reject_reason: ["string", false],
  settled: ["boolean", false],
  product_type: ["string", false],
  reject_message: ["string", false],
  cancel_message: ["string", false],
  order_placement_source: ["string", false],
  outstanding_hold_amount: ["decimal", false],
  is_liquidation: ["boolean", false],
  last_fill_time: ["time", false],
  leverage: ["decimal", false],
  margin_type: ["string", false],
  retail_portfolio_id: ["string", false],
  originating_order_id: ["string", false],
  attached_order_id: ["string", false],
  attached_order_configuration: ["echo", false],
  last_update_time: ["time", false],
  cursor: ["string", false],
};

/** The fields of a fill. */
const FILL_FIELDS: FieldTable = {
  entry_id: ["string", false],
  trade_id: ["string", true],
  order_id: ["string", true],
  trade_time: ["time", false],
  trade_type: ["string", false],
  price: ["decimal", true],
  size: ["decimal", true],
  commission: ["decimal", false],
  product_id: ["string", true],
  sequence_timestamp: ["time", false],
  liquidity_indicator: ["string", false],
  size_in_quote: ["boolean", false],
  user_id: ["string", false],
  side: ["string", false],
  retail_portfolio_id: ["string", false],
  cursor: ["string", false],
};

const text = () => z.exactOptional(z.string());
const flag = () => z.exactOptional(z.boolean());

/** The response schema of an order. */
const orderSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    ...zodShape(ORDER_FIELDS),
    edit_history: z.exactOptional(
      z.nullable(
        z.array(
          z.looseObject({
            price: z.exactOptional(responseDecimal()),
            size: z.exactOptional(responseDecimal()),
            replace_accept_timestamp: z.exactOptional(timestamp()),
          }),
        ),
      ),
    ),
  }),
);

/** The response schema of a fill. */
const fillSchema = /* @__PURE__ */ z.memo(() => z.looseObject(zodShape(FILL_FIELDS)));

/** The response schema of `GET /orders/historical/batch`. */
export const listOrdersResponseSchema = /* @__PURE__ */ z.memo(
  () =>
    z.looseObject({
      orders: z.array(orderSchema()),
      has_next: flag(),
      cursor: text(),
      sequence: z.exactOptional(z.union([z.string(), z.number()])),
    }) as unknown as z.ZodMiniType<ListOrdersResponse>,
);

/** The response schema of `GET /orders/historical/{order_id}`. */
export const getOrderResponseSchema = /* @__PURE__ */ z.memo(
  () => z.looseObject({ order: orderSchema() }) as unknown as z.ZodMiniType<GetOrderResponse>,
);

/** The response schema of `GET /orders/historical/fills`. */
export const listFillsResponseSchema = /* @__PURE__ */ z.memo(
  () =>
    z.looseObject({
      fills: z.array(fillSchema()),
      cursor: text(),
    }) as unknown as z.ZodMiniType<ListFillsResponse>,
);

// ---- fast paths (see ./field-table.ts): the same checks, handing anything unusual to zod ----

const fastOrderFields = /* @__PURE__ */ z.memo(() => fastChecker(ORDER_FIELDS));
const fastFill = /* @__PURE__ */ z.memo(() => fastChecker(FILL_FIELDS));

/** An order, when it has no edit history to convert (the common case). */
function fastOrder(value: unknown): Record<string, unknown> | undefined {
  const order = fastOrderFields()(value);
  if (order === undefined) return undefined;
  const history = order.edit_history;
  if (history === undefined && Object.hasOwn(order, "edit_history")) return undefined;
  if (history === undefined || history === null) return order;
  return Array.isArray(history) && history.length === 0 ? { ...order, edit_history: [] } : undefined;
}

/** Whether an optional page field is absent or of the expected type. */
function optional(body: Record<string, unknown>, key: string, ok: (value: unknown) => boolean): boolean {
  const value = body[key];
  return value === undefined ? !Object.hasOwn(body, key) : ok(value);
}

const isString = (value: unknown) => typeof value === "string";
const isBoolean = (value: unknown) => typeof value === "boolean";
const isSequence = (value: unknown) =>
  typeof value === "string" || (typeof value === "number" && Number.isFinite(value));

/** Parses a `GET /orders/historical/batch` body; throws `invalid-response` naming the bad path. */
export function readListOrders(body: unknown, operation: string): ListOrdersResponse {
  if (isPlainObject(body) && optional(body, "has_next", isBoolean) && optional(body, "cursor", isString)) {
    const orders = optional(body, "sequence", isSequence) ? fastArray(body.orders, fastOrder) : undefined;
    if (orders !== undefined) return { ...body, orders } as unknown as ListOrdersResponse;
  }
  return parseResponse(listOrdersResponseSchema, body, operation);
}

/** Parses a `GET /orders/historical/{order_id}` body; throws `invalid-response` naming the bad path. */
export function readGetOrder(body: unknown, operation: string): GetOrderResponse {
  if (isPlainObject(body)) {
    const order = fastOrder(body.order);
    if (order !== undefined) return { ...body, order } as unknown as GetOrderResponse;
  }
  return parseResponse(getOrderResponseSchema, body, operation);
}

/** Parses a `GET /orders/historical/fills` body; throws `invalid-response` naming the bad path. */
export function readListFills(body: unknown, operation: string): ListFillsResponse {
  if (isPlainObject(body) && optional(body, "cursor", isString)) {
    const fills = fastArray(body.fills, fastFill());
    if (fills !== undefined) return { ...body, fills } as unknown as ListFillsResponse;
  }
  return parseResponse(listFillsResponseSchema, body, operation);
}
