/**
 * What the order methods take: the bodies of `POST /orders*` and the queries of
 * `GET /orders/historical/*`, with Coinbase's wire names. Each schema checks a caller's params
 * before anything is sent; unknown fields are refused so a misspelt one is caught.
 */
import * as z from "../internal/zod.js";
import { productId, rfc3339 } from "./common.js";
import {
  type AttachedOrderConfiguration,
  attachedOrderConfigurationSchema,
  type DecimalString,
  type OrderConfiguration,
  orderConfigurationSchema,
  positiveDecimal,
  type Rfc3339String,
} from "./order-configuration.js";
import type {
  MarginType,
  OrderPlacementSource,
  OrderSide,
  OrderStatus,
  OrderType,
  TimeInForce,
} from "./orders.js";

/** The longest `client_order_id` we send (longer ids are refused by Coinbase's SDKs' guidance). */
const MAX_CLIENT_ORDER_ID_LENGTH = 128;

/** The most order ids one `cancelOrders` call takes. */
const MAX_CANCEL_ORDER_IDS = 100;

/**
 * The order fields shared by `createOrder` and `previewOrders`. Advanced Trade's create-order body
 * has no `reduce_only` (it is refused here rather than silently ignored by Coinbase): reduce or
 * close a futures or perpetuals position with `closePosition`, or with an opposite-side order.
 */
export interface OrderRequestFields {
  /** The product, e.g. `"BTC-USD"`, `"BTC-PERP-INTX"`, `"BIP-20DEC30-CDE"`. */
  readonly product_id: string;
  /** `BUY` or `SELL`. */
  readonly side: OrderSide;
  /** The order type and its fields: exactly one variant key. */
  readonly order_configuration: OrderConfiguration;
  /** Leverage for futures and perpetuals, as a decimal string (`"2.0"`). */
  readonly leverage?: DecimalString;
  /** Margin type for futures and perpetuals. */
  readonly margin_type?: MarginType;
  /** The portfolio to trade in (deprecated by Coinbase; the key's portfolio is used otherwise). */
  readonly retail_portfolio_id?: string;
  /** A take-profit/stop-loss bracket attached to the entry order. */
  readonly attached_order_configuration?: AttachedOrderConfiguration;
  /** Smart order routing preference (`"SOR_PREFERENCE_UNSPECIFIED"`, …), as the reference names it. */
  readonly sor_preference?: string;
  /** Cost basis method (`"COST_BASIS_METHOD_UNSPECIFIED"`, …), as the reference names it. */
  readonly cost_basis_method?: string;
}

/**
 * `createOrder` params. `client_order_id` is generated (a UUID v4) when left out; the result
 * reports the one used.
 */
export interface CreateOrderParams extends OrderRequestFields {
  /** Your unique id for the order (at most 128 characters). Reusing one returns the existing order. */
  readonly client_order_id?: string;
  /** The `preview_id` of a `previewOrders` result, to place exactly the previewed order. */
  readonly preview_id?: string;
  /** Self-trade prevention id (older SDKs send it). */
  readonly self_trade_prevention_id?: string;
}

/** `previewOrders` params: an order as `createOrder` takes it, without `client_order_id`. */
export type PreviewOrdersParams = OrderRequestFields;

/** `editOrder` / `editOrderPreview` params (GTC limit, stop-limit and bracket orders only). */
export interface EditOrderParams {
  /** The order to edit. */
  readonly order_id: string;
  /** The new limit price. */
  readonly price: DecimalString;
  /** The new size (not below the filled size). */
  readonly size: DecimalString;
  /** The new stop price (stop-limit orders). */
  readonly stop_price?: DecimalString;
  /** A new attached bracket. */
  readonly attached_order_configuration?: AttachedOrderConfiguration;
  /** `true` cancels the attached order. */
  readonly cancel_attached_order?: boolean;
}

/** `cancelOrders` params. */
export interface CancelOrdersParams {
  /** The orders to cancel: 1 to 100 ids. */
  readonly order_ids: readonly string[];
}

/** `closePosition` params. */
export interface ClosePositionParams {
  /** Your unique id for the closing order; generated when left out. */
  readonly client_order_id?: string;
  /** The derivatives product whose position to close. */
  readonly product_id: string;
  /** How many contracts to close; the whole position when left out. */
  readonly size?: DecimalString;
}

/** `getOrder` params. */
export interface GetOrderParams {
  /** Coinbase's order id. */
  readonly order_id: string;
}

/** Sort order of `listOrders`. */
export type ListOrdersSortBy = "UNKNOWN_SORT_BY" | "LIMIT_PRICE" | "LAST_FILL_TIME";

/**
 * `listOrders` filters (all optional). `order_status: ["OPEN"]` cannot be combined with other
 * statuses; with it Coinbase ignores the date range. Coinbase lists only orders placed through
 * Advanced Trade unless `order_placement_source` says otherwise.
 */
export interface ListOrdersParams {
  /** Only these orders. */
  readonly order_ids?: readonly string[];
  /** Only these products. */
  readonly product_ids?: readonly string[];
  /** `SPOT`, `FUTURE`, … */
  readonly product_type?: string;
  /** Only orders in these statuses. */
  readonly order_status?: readonly OrderStatus[];
  /** Only these times in force. */
  readonly time_in_forces?: readonly TimeInForce[];
  /** Only these order types. */
  readonly order_types?: readonly OrderType[];
  /** Only buys or only sells. */
  readonly order_side?: OrderSide;
  /** Created at or after (RFC 3339). */
  readonly start_date?: Rfc3339String;
  /** Created before (RFC 3339). */
  readonly end_date?: Rfc3339String;
  /** Where the orders were placed from (Coinbase's default: `RETAIL_ADVANCED`). */
  readonly order_placement_source?: OrderPlacementSource;
  /** `EXPIRING`, `PERPETUAL`, … */
  readonly contract_expiry_type?: string;
  /** Only orders on products of these assets. */
  readonly asset_filters?: readonly string[];
  /** The portfolio (deprecated by Coinbase). */
  readonly retail_portfolio_id?: string;
  /** Page size. */
  readonly limit?: number;
  /** The `cursor` of the previous page. */
  readonly cursor?: string;
  /** Sort order. */
  readonly sort_by?: ListOrdersSortBy;
}

/** Sort order of `listFills`. */
export type ListFillsSortBy = "UNKNOWN_SORT_BY" | "PRICE" | "TRADE_TIME";

/** `listFills` filters (all optional). */
export interface ListFillsParams {
  /** Only fills of these orders. */
  readonly order_ids?: readonly string[];
  /** Only these trades. */
  readonly trade_ids?: readonly string[];
  /** Only these products. */
  readonly product_ids?: readonly string[];
  /** Sequenced at or after (RFC 3339). */
  readonly start_sequence_timestamp?: Rfc3339String;
  /** Sequenced before (RFC 3339). */
  readonly end_sequence_timestamp?: Rfc3339String;
  /** The portfolio (deprecated by Coinbase). */
  readonly retail_portfolio_id?: string;
  /** Page size (Coinbase's default: 100). */
  readonly limit?: number;
  /** The `cursor` of the previous page. */
  readonly cursor?: string;
  /** Sort order. */
  readonly sort_by?: ListFillsSortBy;
}

// ---- schemas ----

const ID_TEXT = /^[\w.:-]+$/;
const ENUM_TEXT = /^[A-Z][A-Z0-9_]*$/;

/** An opaque id (order id, portfolio id): word characters, `-`, `.`, `:`; no spaces or slashes. */
const idText = () =>
  z
    .string()
    .check(
      z.minLength(1, "expected a non-empty id"),
      z.regex(ID_TEXT, "expected an id without spaces or slashes"),
    );
const clientOrderId = () =>
  z
    .string()
    .check(
      z.minLength(1, "expected a non-empty client_order_id"),
      z.maxLength(MAX_CLIENT_ORDER_ID_LENGTH, `expected at most ${MAX_CLIENT_ORDER_ID_LENGTH} characters`),
    );
const enumText = () => z.string().check(z.regex(ENUM_TEXT, "expected an UPPER_SNAKE_CASE value"));
const side = () => z.enum(["BUY", "SELL"]);
const pageLimit = () => z.int().check(z.gte(1, "expected at least 1"), z.lte(1000, "expected at most 1000"));
const idList = () => z.array(idText()).check(z.minLength(1, "expected at least one id"));

function orderFields() {
  return {
    product_id: productId(),
    side: side(),
    order_configuration: orderConfigurationSchema(),
    leverage: z.optional(positiveDecimal()),
    margin_type: z.optional(z.enum(["CROSS", "ISOLATED"])),
    retail_portfolio_id: z.optional(idText()),
    attached_order_configuration: z.optional(attachedOrderConfigurationSchema()),
    sor_preference: z.optional(enumText()),
    cost_basis_method: z.optional(enumText()),
  };
}

/** Coinbase rejects a market sell sized in the quote asset; we refuse it before sending. */
function noQuoteSizedMarketSell(value: { side: string; order_configuration: OrderConfiguration }): boolean {
  if (value.side !== "SELL") return true;
  const config = value.order_configuration as Record<string, { quote_size?: string } | undefined>;
  return (
    config.market_market_ioc?.quote_size === undefined && config.market_market_fok?.quote_size === undefined
  );
}

function marketSellCheck() {
  return z.refine<{ side: string; order_configuration: OrderConfiguration }>(noQuoteSizedMarketSell, {
    message: "a market sell must be sized in base_size (Coinbase rejects quote_size sells)",
    path: ["order_configuration"],
  });
}

/** Request schema of `createOrder` params. */
export const createOrderParamsSchema = /* @__PURE__ */ z.memo(() =>
  z
    .strictObject({
      ...orderFields(),
      client_order_id: z.optional(clientOrderId()),
      preview_id: z.optional(idText()),
      self_trade_prevention_id: z.optional(idText()),
    })
    .check(marketSellCheck()),
);

/** Request schema of `previewOrders` params. */
export const previewOrdersParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject(orderFields()).check(marketSellCheck()),
);

/** Request schema of `editOrder` / `editOrderPreview` params. */
export const editOrderParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({
    order_id: idText(),
    price: positiveDecimal(),
    size: positiveDecimal(),
    stop_price: z.optional(positiveDecimal()),
    attached_order_configuration: z.optional(attachedOrderConfigurationSchema()),
    cancel_attached_order: z.optional(z.boolean()),
  }),
);

/** Request schema of `cancelOrders` params. */
export const cancelOrdersParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({
    order_ids: idList().check(
      z.maxLength(MAX_CANCEL_ORDER_IDS, `expected at most ${MAX_CANCEL_ORDER_IDS} ids per call`),
    ),
  }),
);

/** Request schema of `closePosition` params. */
export const closePositionParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({
    client_order_id: z.optional(clientOrderId()),
    product_id: productId(),
    size: z.optional(positiveDecimal()),
  }),
);

/** Request schema of `getOrder` params. */
export const getOrderParamsSchema = /* @__PURE__ */ z.memo(() => z.strictObject({ order_id: idText() }));

/** Request schema of `listOrders` params. */
export const listOrdersParamsSchema = /* @__PURE__ */ z.memo(() =>
  z
    .strictObject({
      order_ids: z.optional(idList()),
      product_ids: z.optional(z.array(productId()).check(z.minLength(1, "expected at least one product id"))),
      product_type: z.optional(enumText()),
      order_status: z.optional(
        z
          .array(
            z.enum([
              "PENDING",
              "OPEN",
              "FILLED",
              "CANCELLED",
              "EXPIRED",
              "FAILED",
              "UNKNOWN_ORDER_STATUS",
              "QUEUED",
              "CANCEL_QUEUED",
              "EDIT_QUEUED",
            ]),
          )
          .check(z.minLength(1, "expected at least one status")),
      ),
      time_in_forces: z.optional(
        z.array(
          z.enum([
            "UNKNOWN_TIME_IN_FORCE",
            "GOOD_UNTIL_DATE_TIME",
            "GOOD_UNTIL_CANCELLED",
            "IMMEDIATE_OR_CANCEL",
            "FILL_OR_KILL",
          ]),
        ),
      ),
      order_types: z.optional(
        z.array(
          z.enum([
            "UNKNOWN_ORDER_TYPE",
            "MARKET",
            "LIMIT",
            "STOP",
            "STOP_LIMIT",
            "BRACKET",
            "TWAP",
            "ROLL_OPEN",
            "ROLL_CLOSE",
            "LIQUIDATION",
            "SCALED",
          ]),
        ),
      ),
      order_side: z.optional(side()),
      start_date: z.optional(rfc3339()),
      end_date: z.optional(rfc3339()),
      order_placement_source: z.optional(
        z.enum(["UNKNOWN_PLACEMENT_SOURCE", "RETAIL_SIMPLE", "RETAIL_ADVANCED"]),
      ),
      contract_expiry_type: z.optional(enumText()),
      asset_filters: z.optional(
        z.array(z.string().check(z.regex(/^[A-Z0-9]+$/, 'expected an asset like "BTC"'))),
      ),
      retail_portfolio_id: z.optional(idText()),
      limit: z.optional(pageLimit()),
      cursor: z.optional(z.string()),
      sort_by: z.optional(z.enum(["UNKNOWN_SORT_BY", "LIMIT_PRICE", "LAST_FILL_TIME"])),
    })
    .check(
      z.refine(
        (value) =>
          value.order_status === undefined ||
          value.order_status.length === 1 ||
          !value.order_status.includes("OPEN"),
        {
          message: "OPEN cannot be combined with other statuses",
          path: ["order_status"],
        },
      ),
    ),
);

/** Request schema of `listFills` params. */
export const listFillsParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({
    order_ids: z.optional(idList()),
    trade_ids: z.optional(idList()),
    product_ids: z.optional(z.array(productId()).check(z.minLength(1, "expected at least one product id"))),
    start_sequence_timestamp: z.optional(rfc3339()),
    end_sequence_timestamp: z.optional(rfc3339()),
    retail_portfolio_id: z.optional(idText()),
    limit: z.optional(pageLimit()),
    cursor: z.optional(z.string()),
    sort_by: z.optional(z.enum(["UNKNOWN_SORT_BY", "PRICE", "TRADE_TIME"])),
  }),
);
