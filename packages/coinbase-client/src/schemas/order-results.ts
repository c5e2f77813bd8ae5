/**
 * What the order-placing endpoints answer. Coinbase reports a rejected order as HTTP 200 with
 * `success: false`; our methods turn that into a result, not an exception: a union on `success`
 * whose failure side carries `failureReason`, the most specific reason code in the body (typed
 * with the documented values; a code Coinbase adds later is kept as a string).
 *
 * Convention: snake_case fields are Coinbase's, as sent; camelCase fields (`clientOrderId`,
 * `orderId`, `failureReason`, `resolvedBy`) are ours, derived from them.
 */
import * as z from "../internal/zod.js";
import { responseDecimal } from "./common.js";
import type { OpenString, Order, OrderSide } from "./orders.js";

/** Why Coinbase refused a new order (`new_order_failure_reason`): the core values of the reference. */
export type NewOrderFailureReason =
  | "UNKNOWN_FAILURE_REASON"
  | "UNSUPPORTED_ORDER_CONFIGURATION"
  | "INVALID_SIDE"
  | "INVALID_PRODUCT_ID"
  | "INVALID_SIZE_PRECISION"
  | "INVALID_PRICE_PRECISION"
  | "INSUFFICIENT_FUND"
  | "INVALID_LEDGER_BALANCE"
  | "ORDER_ENTRY_DISABLED"
  | "INELIGIBLE_PAIR"
  | "INVALID_LIMIT_PRICE_POST_ONLY"
  | "INVALID_LIMIT_PRICE"
  | "INVALID_NO_LIQUIDITY"
  | "INVALID_REQUEST"
  | "COMMANDER_REJECTED_NEW_ORDER"
  | "INSUFFICIENT_FUNDS"
  | "IN_LIQUIDATION"
  | "INVALID_MARGIN_TYPE"
  | "INVALID_LEVERAGE"
  | "UNTRADABLE_PRODUCT"
  | "INVALID_FCM_TRADING_SESSION"
  | "GEOFENCING_RESTRICTION"
  | "DUPLICATE_CLIENT_ORDER_ID";

/** Why an order failed its preview checks (`preview_failure_reason`; every value starts with `PREVIEW_`). */
export type PreviewFailureReason =
  | "UNKNOWN_PREVIEW_FAILURE_REASON"
  | "PREVIEW_MISSING_COMMISSION_RATE"
  | "PREVIEW_INVALID_SIDE"
  | "PREVIEW_INVALID_ORDER_CONFIG"
  | "PREVIEW_INVALID_PRODUCT_ID"
  | "PREVIEW_INVALID_SIZE_PRECISION"
  | "PREVIEW_INVALID_PRICE_PRECISION"
  | "PREVIEW_MISSING_PRODUCT_PRICE_BOOK"
  | "PREVIEW_INVALID_LEDGER_BALANCE"
  | "PREVIEW_INSUFFICIENT_LEDGER_BALANCE"
  | "PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY"
  | "PREVIEW_INVALID_LIMIT_PRICE"
  | "PREVIEW_INVALID_NO_LIQUIDITY"
  | "PREVIEW_INSUFFICIENT_FUND"
  | "PREVIEW_INVALID_COMMISSION_CONFIGURATION"
  | "PREVIEW_INVALID_STOP_PRICE"
  | "PREVIEW_INVALID_BASE_SIZE_TOO_LARGE"
  | "PREVIEW_INVALID_BASE_SIZE_TOO_SMALL"
  | "PREVIEW_INVALID_QUOTE_SIZE_PRECISION"
  | "PREVIEW_INVALID_QUOTE_SIZE_TOO_LARGE"
  | "PREVIEW_INVALID_PRICE_TOO_LARGE"
  | "PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL"
  | "PREVIEW_INSUFFICIENT_FUNDS_FOR_FUTURES"
  | "PREVIEW_BREACHED_PRICE_LIMIT"
  | "PREVIEW_BREACHED_ACCOUNT_POSITION_LIMIT"
  | "PREVIEW_BREACHED_COMPANY_POSITION_LIMIT"
  | "PREVIEW_INVALID_MARGIN_HEALTH"
  | "PREVIEW_RISK_PROXY_FAILURE"
  | "PREVIEW_UNTRADABLE_FCM_ACCOUNT_STATUS"
  | "PREVIEW_IN_LIQUIDATION"
  | "PREVIEW_INVALID_MARGIN_TYPE"
  | "PREVIEW_INVALID_LEVERAGE"
  | "PREVIEW_UNTRADABLE_PRODUCT"
  | "PREVIEW_INVALID_FCM_TRADING_SESSION"
  | "PREVIEW_NOT_ALLOWED_BY_MARKET_STATE"
  | "PREVIEW_BREACHED_OPEN_INTEREST_LIMIT"
  | "PREVIEW_GEOFENCING_RESTRICTION"
  | "PREVIEW_INVALID_END_TIME"
  | "PREVIEW_OPPOSITE_MARGIN_TYPE_EXISTS"
  | "PREVIEW_QUOTE_SIZE_NOT_ALLOWED_FOR_BRACKET"
  | "PREVIEW_INVALID_BRACKET_PRICES"
  | "PREVIEW_MISSING_MARKET_TRADE_DATA"
  | "PREVIEW_INVALID_BRACKET_LIMIT_PRICE"
  | "PREVIEW_INVALID_BRACKET_STOP_TRIGGER_PRICE"
  | "PREVIEW_BRACKET_LIMIT_PRICE_OUT_OF_BOUNDS"
  | "PREVIEW_STOP_TRIGGER_PRICE_OUT_OF_BOUNDS"
  | "PREVIEW_BRACKET_ORDER_NOT_SUPPORTED"
  | "PREVIEW_INVALID_STOP_PRICE_PRECISION"
  | "PREVIEW_STOP_PRICE_ABOVE_LIMIT_PRICE"
  | "PREVIEW_STOP_PRICE_BELOW_LIMIT_PRICE"
  | "PREVIEW_STOP_PRICE_ABOVE_LAST_TRADE_PRICE"
  | "PREVIEW_STOP_PRICE_BELOW_LAST_TRADE_PRICE"
  | "PREVIEW_FOK_DISABLED"
  | "PREVIEW_FOK_ONLY_ALLOWED_ON_LIMIT_ORDERS"
  | "PREVIEW_POST_ONLY_NOT_ALLOWED_WITH_FOK"
  | "PREVIEW_UBO_HIGH_LEVERAGE_QUANTITY_BREACHED"
  | "PREVIEW_ECOSYSTEM_LEVERAGE_UTILIZATION_BREACHED"
  | "PREVIEW_CLOSE_ONLY_FAILURE";

/** Why Coinbase refused an edit (`edit_order_failure_reason` / `edit_failure_reason`). */
export type EditOrderFailureReason =
  | "UNKNOWN_EDIT_ORDER_FAILURE_REASON"
  | "COMMANDER_REJECTED_EDIT_ORDER"
  | "CANNOT_EDIT_TO_BELOW_FILLED_SIZE"
  | "ORDER_NOT_FOUND"
  | "CALLER_ID_MISMATCH"
  | "ONLY_LIMIT_ORDER_EDITS_SUPPORTED"
  | "INVALID_EDITED_SIZE"
  | "INVALID_EDITED_PRICE"
  | "INVALID_ORIGINAL_SIZE"
  | "INVALID_ORIGINAL_PRICE"
  | "EDIT_REQUEST_EQUAL_TO_ORIGINAL_REQUEST"
  | "ONLY_OPEN_ORDERS_CAN_BE_EDITED"
  | "SIZE_IN_QUOTE_EDITS_NOT_ALLOWED"
  | "ORDER_IS_ALREADY_BEING_REPLACED";

/** Why one cancel failed. `UNKNOWN_CANCEL_FAILURE_REASON` is also what a successful cancel reports. */
export type CancelFailureReason =
  | "UNKNOWN_CANCEL_FAILURE_REASON"
  | "INVALID_CANCEL_REQUEST"
  | "UNKNOWN_CANCEL_ORDER"
  | "COMMANDER_REJECTED_CANCEL_ORDER"
  | "DUPLICATE_CANCEL_REQUEST"
  | "INVALID_CANCEL_PRODUCT_ID"
  | "INVALID_CANCEL_FCM_TRADING_SESSION"
  | "NOT_ALLOWED_TO_CANCEL"
  | "ORDER_IS_FULLY_FILLED"
  | "ORDER_IS_BEING_REPLACED";

/** The failure reason of a create or close-position result: the most specific code in the body. */
export type OrderFailureReason = OpenString<NewOrderFailureReason | PreviewFailureReason>;

/** `success_response` of a placed order. */
export interface CreateOrderSuccessResponse {
  /** Coinbase's id of the new (or, for a reused `client_order_id`, the existing) order. */
  readonly order_id: string;
  /** The product. */
  readonly product_id?: string;
  /** Buy or sell. */
  readonly side?: OpenString<OrderSide>;
  /** The client order id. */
  readonly client_order_id?: string;
  /** The attached bracket order's id, when one was attached. */
  readonly attached_order_id?: string;
  /** Fields Coinbase adds later are kept. */
  readonly [field: string]: unknown;
}

/** `error_response` of a refused order. */
export interface CreateOrderErrorResponse {
  /** Deprecated by Coinbase: a coarse code (`"INSUFFICIENT_FUND"`, `"UNSUPPORTED_ORDER_CONFIGURATION"`). */
  readonly error?: string;
  /** Coinbase's message. */
  readonly message?: string;
  /** More detail (often `""`). */
  readonly error_details?: string;
  /** The preview check that failed. */
  readonly preview_failure_reason?: OpenString<PreviewFailureReason>;
  /** Why the new order was refused. */
  readonly new_order_failure_reason?: OpenString<NewOrderFailureReason>;
  /** Fields Coinbase adds later are kept. */
  readonly [field: string]: unknown;
}

/** The body of `POST /orders` and `POST /orders/close_position`, as sent. */
export interface CreateOrderResponse {
  /** Whether the order was placed. */
  readonly success: boolean;
  /** Present when `success`. */
  readonly success_response?: CreateOrderSuccessResponse;
  /** Present when not `success`. */
  readonly error_response?: CreateOrderErrorResponse;
  /** The configuration echoed back (`null` in some responses). */
  readonly order_configuration?: Readonly<Record<string, unknown>> | null;
  /** Older responses: a top-level reason (`"UNKNOWN_FAILURE_REASON"` even on success). */
  readonly failure_reason?: string;
  /** Older responses: the order id at the top level (`""` on failure). */
  readonly order_id?: string;
  /** Fields Coinbase adds later are kept. */
  readonly [field: string]: unknown;
}

/** How `createOrder` / `closePosition` learnt the outcome. */
export type OrderOutcomeSource =
  /** From the response to the request. */
  | "response"
  /** The response was lost (timeout, dropped connection, 5xx); the order was found by its `client_order_id`. */
  | "lookup";

/** A placed order. */
export interface PlacedOrder extends CreateOrderResponse {
  /** The order was placed (or already existed under this `client_order_id`). */
  readonly success: true;
  /** Coinbase's order id. */
  readonly orderId: string;
  /** The `client_order_id` the order was sent with (the generated one when you gave none). */
  readonly clientOrderId: string;
  /** Whether the outcome came from the response or from a lookup after the response was lost. */
  readonly resolvedBy: OrderOutcomeSource;
  /** The order as the lookup found it (only when `resolvedBy` is `"lookup"`). */
  readonly order?: Order;
}

/** An order Coinbase refused (HTTP 200, `success: false`). */
export interface RejectedOrder extends CreateOrderResponse {
  /** The order was not placed. */
  readonly success: false;
  /** The most specific reason in the body: `new_order_failure_reason`, else `preview_failure_reason`, else `error`. */
  readonly failureReason: OrderFailureReason;
  /** Coinbase's message, when it sent one. */
  readonly message: string | undefined;
  /** The `client_order_id` the request was sent with. */
  readonly clientOrderId: string;
  /** `"lookup"` when the response was lost and the lookup found the order marked `FAILED`. */
  readonly resolvedBy: OrderOutcomeSource;
}

/** The result of `createOrder` and `closePosition`: branch on `success`. */
export type CreateOrderResult = PlacedOrder | RejectedOrder;

/** The body of `POST /orders/edit`, as sent. */
export interface EditOrderResponse {
  /** Whether the edit was accepted. */
  readonly success: boolean;
  /** Present when `success`. */
  readonly success_response?: { readonly order_id?: string; readonly [field: string]: unknown };
  /** Present when not `success`. */
  readonly error_response?: {
    readonly error?: string;
    readonly message?: string;
    readonly error_details?: string;
    readonly edit_order_failure_reason?: OpenString<EditOrderFailureReason>;
    readonly preview_failure_reason?: OpenString<PreviewFailureReason>;
    readonly [field: string]: unknown;
  };
  /** Per-check failures. */
  readonly errors?: readonly EditCheckFailure[];
  /** Fields Coinbase adds later are kept. */
  readonly [field: string]: unknown;
}

/** One failed check of an edit or an edit preview. */
export interface EditCheckFailure {
  /** The edit check that failed. */
  readonly edit_failure_reason?: OpenString<EditOrderFailureReason>;
  /** The preview check that failed. */
  readonly preview_failure_reason?: OpenString<PreviewFailureReason>;
  /** Fields Coinbase adds later are kept. */
  readonly [field: string]: unknown;
}

/** The result of `editOrder`: branch on `success`. */
export type EditOrderResult =
  | (EditOrderResponse & { readonly success: true })
  | (EditOrderResponse & {
      readonly success: false;
      /** The most specific reason in the body. */
      readonly failureReason: OpenString<EditOrderFailureReason | PreviewFailureReason>;
      /** Coinbase's message, when it sent one. */
      readonly message: string | undefined;
    });

/** The body of `POST /orders/edit_preview`. */
export interface EditOrderPreviewResponse {
  /** Checks the edit would fail (empty when it would pass). */
  readonly errors?: readonly EditCheckFailure[];
  /** Expected slippage. */
  readonly slippage?: string;
  /** Total cost. */
  readonly order_total?: string;
  /** Total commission. */
  readonly commission_total?: string;
  /** Size in quote units. */
  readonly quote_size?: string;
  /** Size in base units. */
  readonly base_size?: string;
  /** Best bid. */
  readonly best_bid?: string;
  /** Best ask. */
  readonly best_ask?: string;
  /** Average fill price so far. */
  readonly average_filled_price?: string;
  /** Fields Coinbase adds later are kept. */
  readonly [field: string]: unknown;
}

/** A preview warning. */
export type PreviewWarning = "UNKNOWN" | "BIG_ORDER" | "SMALL_ORDER";

/** The body of `POST /orders/preview`. Amounts are decimal strings. */
export interface PreviewOrdersResponse {
  /** Total cost of the order. */
  readonly order_total?: string;
  /** Total commission. */
  readonly commission_total?: string;
  /** Checks the order would fail (empty when it would pass). */
  readonly errs?: readonly OpenString<PreviewFailureReason>[];
  /** Warnings. */
  readonly warning?: readonly OpenString<PreviewWarning>[];
  /** Size in quote units. */
  readonly quote_size?: string;
  /** Size in base units. */
  readonly base_size?: string;
  /** Best bid. */
  readonly best_bid?: string;
  /** Best ask. */
  readonly best_ask?: string;
  /** Whether the order uses the whole balance. */
  readonly is_max?: boolean;
  /** Margin the order needs (derivatives). */
  readonly order_margin_total?: string;
  /** Leverage. */
  readonly leverage?: string;
  /** Long leverage. */
  readonly long_leverage?: string;
  /** Short leverage. */
  readonly short_leverage?: string;
  /** Expected slippage. */
  readonly slippage?: string;
  /** Pass it to `createOrder` as `preview_id` to place exactly this order. */
  readonly preview_id?: string;
  /** Liquidation buffer now. */
  readonly current_liquidation_buffer?: string;
  /** Liquidation buffer after the order. */
  readonly projected_liquidation_buffer?: string;
  /** The most leverage allowed. */
  readonly max_leverage?: string;
  /** Fields Coinbase adds later (and `pnl_configuration`) are kept. */
  readonly [field: string]: unknown;
}

/** One order's cancel outcome. */
export interface CancelOrderResult {
  /** Whether this order was cancelled. */
  readonly success: boolean;
  /** Why not (`UNKNOWN_CANCEL_FAILURE_REASON` on success too). */
  readonly failure_reason?: OpenString<CancelFailureReason>;
  /** The order. */
  readonly order_id: string;
  /** Fields Coinbase adds later are kept. */
  readonly [field: string]: unknown;
}

/** The body of `POST /orders/batch_cancel`: one result per order (not all-or-nothing). */
export interface CancelOrdersResponse {
  /** One result per requested id. */
  readonly results: readonly CancelOrderResult[];
  /** Fields Coinbase adds later are kept. */
  readonly [field: string]: unknown;
}

// ---- schemas ----

const text = () => z.exactOptional(z.string());
const amount = () => z.exactOptional(responseDecimal());
const echo = () => z.exactOptional(z.nullable(z.record(z.string(), z.unknown())));

/** The response schema of `POST /orders` and `POST /orders/close_position`. */
export const createOrderResponseSchema = /* @__PURE__ */ z.memo(() =>
  z
    .looseObject({
      success: z.boolean(),
      success_response: z.exactOptional(
        z.looseObject({
          order_id: z.string(),
          product_id: text(),
          side: text(),
          client_order_id: text(),
          attached_order_id: text(),
        }),
      ),
      error_response: z.exactOptional(
        z.looseObject({
          error: text(),
          message: text(),
          error_details: text(),
          preview_failure_reason: text(),
          new_order_failure_reason: text(),
        }),
      ),
      order_configuration: echo(),
      failure_reason: text(),
      order_id: text(),
    })
    .check(
      z.refine((body) => !body.success || (body.success_response?.order_id ?? body.order_id ?? "") !== "", {
        message: "a successful order response has no order id",
        path: ["success_response"],
      }),
    ),
);

const editCheck = () => z.looseObject({ edit_failure_reason: text(), preview_failure_reason: text() });

/** The response schema of `POST /orders/edit`. */
export const editOrderResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    success: z.boolean(),
    success_response: z.exactOptional(z.looseObject({ order_id: text() })),
    error_response: z.exactOptional(
      z.looseObject({
        error: text(),
        message: text(),
        error_details: text(),
        edit_order_failure_reason: text(),
        preview_failure_reason: text(),
      }),
    ),
    errors: z.exactOptional(z.array(editCheck())),
  }),
);

/** The response schema of `POST /orders/edit_preview`. */
export const editOrderPreviewResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    errors: z.exactOptional(z.array(editCheck())),
    slippage: amount(),
    order_total: amount(),
    commission_total: amount(),
    quote_size: amount(),
    base_size: amount(),
    best_bid: amount(),
    best_ask: amount(),
    average_filled_price: amount(),
  }),
);

/** The response schema of `POST /orders/preview`. */
export const previewOrdersResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    order_total: amount(),
    commission_total: amount(),
    errs: z.exactOptional(z.array(z.string())),
    warning: z.exactOptional(z.array(z.string())),
    quote_size: amount(),
    base_size: amount(),
    best_bid: amount(),
    best_ask: amount(),
    is_max: z.exactOptional(z.boolean()),
    order_margin_total: amount(),
    leverage: amount(),
    long_leverage: amount(),
    short_leverage: amount(),
    slippage: amount(),
    preview_id: text(),
    current_liquidation_buffer: amount(),
    projected_liquidation_buffer: amount(),
    max_leverage: amount(),
  }),
);

/** The response schema of `POST /orders/batch_cancel`. */
export const cancelOrdersResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    results: z.array(
      z.looseObject({
        success: z.boolean(),
        failure_reason: text(),
        order_id: z.string(),
      }),
    ),
  }),
);

/**
 * The most specific reason among `candidates`: the first that is set and not an `UNKNOWN_*`
 * placeholder, else the first set one, else `fallback`.
 */
export function pickFailureReason(candidates: readonly (string | undefined)[], fallback: string): string {
  let firstSet: string | undefined;
  for (const candidate of candidates) {
    if (candidate === undefined || candidate === "") continue;
    firstSet ??= candidate;
    if (!candidate.startsWith("UNKNOWN_")) return candidate;
  }
  return firstSet ?? fallback;
}
