/**
 * Sending an order-creating request (`POST /orders`, `POST /orders/close_position`) so that it is
 * never placed twice and never silently lost.
 *
 * The request always carries a `client_order_id`. When its outcome is unknown (a timeout, a dropped
 * connection, a 5xx or a garbled 2xx body: the request may have reached Coinbase), we do not resend
 * blindly: we look the order up by that id among the product's newest orders. Found: that is the
 * result. Proven absent: we resend with the same id, which is safe because Coinbase answers a reused
 * `client_order_id` with the existing order instead of placing a new one. Still unknown after the
 * last try, or the lookup itself failed: the error says so and names the `client_order_id`.
 */
import { CoinbaseClientError, isCoinbaseClientError } from "../../errors.js";
import type { CallOptions, ClientContext } from "../../internal/context.js";
import { parseResponse } from "../../internal/validate.js";
import {
  type CreateOrderResponse,
  type CreateOrderResult,
  createOrderResponseSchema,
  pickFailureReason,
} from "../../schemas/order-results.js";
import type { Order } from "../../schemas/orders.js";
import { listOrders } from "./list-orders.js";

/** Options of `createOrder` and `closePosition`: the per-call options plus the lost-response policy. */
export interface PlaceOrderOptions extends CallOptions {
  /**
   * How many times the order may be resent after a lost response, each time only once a lookup
   * has shown that Coinbase does not have it. Default 2; 0 never resends.
   */
  readonly maxResends?: number;
  /** How many of the product's newest orders the lookup scans for the `client_order_id`. Default 300. */
  readonly lookupDepth?: number;
}

/** What `placeOrder` needs to send one order-creating request. */
export interface PlaceOrderRequest {
  /** `"createOrder"` or `"closePosition"`. */
  readonly operation: string;
  /** `/orders` or `/orders/close_position`. */
  readonly path: string;
  /** The validated body, `client_order_id` included. */
  readonly body: { readonly client_order_id: string; readonly product_id: string };
}

const DEFAULT_MAX_RESENDS = 2;
const DEFAULT_LOOKUP_DEPTH = 300;
const LOOKUP_PAGE = 100;

/** Sends the request, resolving a lost response by looking the order up (see the module comment). */
export async function placeOrder(
  ctx: ClientContext,
  request: PlaceOrderRequest,
  options: PlaceOrderOptions = {},
): Promise<CreateOrderResult> {
  const { maxResends = DEFAULT_MAX_RESENDS, lookupDepth = DEFAULT_LOOKUP_DEPTH, ...callOptions } = options;
  const { operation, path, body } = request;
  const clientOrderId = body.client_order_id;
  for (let resends = 0; ; resends++) {
    let response: CreateOrderResponse;
    try {
      const raw = await ctx.request(
        { operation, method: "POST", path, body, auth: "private", retry: "never" },
        callOptions,
      );
      // Inside the try: a 2xx whose body does not parse leaves the outcome unknown too.
      response = parseResponse(createOrderResponseSchema, raw, operation);
    } catch (error) {
      // The caller stopped us: no lookup, but the order may exist, so the error names its id.
      if (isCoinbaseClientError(error) && error.code === "aborted") {
        throw outcomeUnknown(
          error,
          clientOrderId,
          "aborted by the caller; it may or may not have been placed",
        );
      }
      if (!isUnknownOutcome(error)) throw error;
      let found: Order | undefined;
      try {
        found = await findByClientOrderId(ctx, body.product_id, clientOrderId, lookupDepth, callOptions);
      } catch (lookupError) {
        const aborted = isCoinbaseClientError(lookupError) && lookupError.code === "aborted";
        throw outcomeUnknown(
          aborted ? lookupError : error,
          clientOrderId,
          aborted ? "aborted by the caller during the lookup" : "the lookup by client_order_id failed too",
          aborted ? error : lookupError,
        );
      }
      if (found !== undefined) return fromLookup(found, clientOrderId);
      if (resends >= maxResends)
        throw outcomeUnknown(error, clientOrderId, `not found after ${resends + 1} tries`);
      continue;
    }
    return fromResponse(response, clientOrderId);
  }
}

/**
 * Whether the request may have reached Coinbase although we got no usable answer: a timeout, a
 * network failure (including a body cut short), a 5xx, or a 2xx whose body did not parse.
 */
function isUnknownOutcome(error: unknown): error is CoinbaseClientError {
  if (!isCoinbaseClientError(error)) return false;
  switch (error.code) {
    case "timeout":
    case "network":
    case "invalid-response":
      return true;
    case "http":
      return error.status !== undefined && error.status >= 500;
    default:
      return false;
  }
}

/** Scans the product's newest orders (any status) for `clientOrderId`. */
async function findByClientOrderId(
  ctx: ClientContext,
  productId: string,
  clientOrderId: string,
  depth: number,
  options: CallOptions,
): Promise<Order | undefined> {
  let cursor: string | undefined;
  for (let scanned = 0; scanned < depth; ) {
    const limit = Math.min(LOOKUP_PAGE, depth - scanned);
    const page = await listOrders(
      ctx,
      cursor === undefined
        ? { product_ids: [productId], limit }
        : { product_ids: [productId], limit, cursor },
      options,
    );
    const match = page.orders.find((order) => order.client_order_id === clientOrderId);
    if (match !== undefined) return match;
    scanned += page.orders.length;
    const next = page.cursor ?? "";
    if (page.has_next !== true || next === "" || next === cursor || page.orders.length === 0)
      return undefined;
    cursor = next;
  }
  return undefined;
}

/** The result of a parsed response body. */
function fromResponse(body: CreateOrderResponse, clientOrderId: string): CreateOrderResult {
  if (body.success) {
    const orderId = body.success_response?.order_id ?? body.order_id ?? "";
    return { ...body, success: true, orderId, clientOrderId, resolvedBy: "response" };
  }
  const error = body.error_response;
  return {
    ...body,
    success: false,
    failureReason: pickFailureReason(
      [error?.new_order_failure_reason, error?.preview_failure_reason, error?.error, body.failure_reason],
      "UNKNOWN_FAILURE_REASON",
    ),
    message: error?.message,
    clientOrderId,
    resolvedBy: "response",
  };
}

/** The result of an order the lookup found: placed, unless Coinbase marked it FAILED. */
function fromLookup(order: Order, clientOrderId: string): CreateOrderResult {
  const base = {
    order_configuration: order.order_configuration ?? null,
    order_id: order.order_id,
    clientOrderId,
  };
  if (order.status === "FAILED") {
    return {
      ...base,
      success: false,
      failureReason: pickFailureReason([order.reject_reason], "UNKNOWN_FAILURE_REASON"),
      message: order.reject_message,
      resolvedBy: "lookup",
    };
  }
  return {
    ...base,
    success: true,
    success_response: {
      order_id: order.order_id,
      product_id: order.product_id,
      side: order.side,
      client_order_id: order.client_order_id,
    },
    orderId: order.order_id,
    resolvedBy: "lookup",
    order,
  };
}

/**
 * The error for an order whose outcome we could not learn: the original error's code and fields,
 * the `client_order_id` named, not retryable (only a resend with the same id is safe); `also` (a
 * second failure) joins the original in `cause`.
 */
function outcomeUnknown(
  original: CoinbaseClientError,
  clientOrderId: string,
  why: string,
  also?: unknown,
): CoinbaseClientError {
  return new CoinbaseClientError(
    original.code,
    `${original.message}; the order's outcome is unknown (${why}): look it up by client_order_id ${clientOrderId}, or resend with that same id (Coinbase then returns the existing order)`,
    {
      operation: original.operation,
      path: original.path,
      ...(original.status === undefined ? {} : { status: original.status }),
      ...(original.coinbaseCode === undefined ? {} : { coinbaseCode: original.coinbaseCode }),
      ...(original.coinbaseMessage === undefined ? {} : { coinbaseMessage: original.coinbaseMessage }),
      retryable: false,
      cause: also === undefined ? original : new AggregateError([original, also], why),
    },
  );
}
