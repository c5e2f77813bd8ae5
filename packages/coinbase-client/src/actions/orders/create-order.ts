import type { ClientContext } from "../../internal/context.js";
import { parseParams } from "../../internal/validate.js";
import { type CreateOrderParams, createOrderParamsSchema } from "../../schemas/order-requests.js";
import type { CreateOrderResult } from "../../schemas/order-results.js";
import { type PlaceOrderOptions, placeOrder } from "./place-order.js";

/**
 * Places an order. Every order configuration of the reference is accepted as a typed, validated
 * `order_configuration` (market IOC/FOK, limit GTC/GTD/FOK, stop-limit GTC/GTD, bracket GTC/GTD,
 * TWAP, SOR limit IOC, scaled); `leverage` and `margin_type` apply to futures and perpetuals.
 *
 * A refused order is a result, not an exception: `success: false` with a typed `failureReason`.
 * The request always carries a `client_order_id` (a UUID v4 when you give none; the result names
 * it). It is never resent blindly: when the response is lost (timeout, dropped connection, 5xx),
 * the order is looked up by that id, and resent with the same id only when the lookup shows that
 * Coinbase does not have it (Coinbase answers a reused id with the existing order). If the outcome
 * cannot be learnt, or your `signal` aborts the call, the error says so and names the
 * `client_order_id` (look the order up by it, or resend with the same id).
 *
 * `POST /api/v3/brokerage/orders` · permission: **trade** (the lookup uses `listOrders`: **view**).
 *
 * @throws CoinbaseClientError `invalid-request` naming the bad field (nothing is sent): a malformed
 * product id, a size that is not a positive decimal string, a missing field, two order types, a
 * quote-sized market sell.
 *
 * @example
 * const result = await client.createOrder({
 *   product_id: "BTC-USD",
 *   side: "BUY",
 *   order_configuration: { limit_limit_gtc: { base_size: "0.001", limit_price: "50000", post_only: true } },
 * });
 * if (result.success) console.log("placed", result.orderId, result.clientOrderId);
 * else console.warn("refused", result.failureReason, result.message);
 */
export async function createOrder(
  ctx: ClientContext,
  params: CreateOrderParams,
  options?: PlaceOrderOptions,
): Promise<CreateOrderResult> {
  const operation = "createOrder";
  const valid = parseParams(createOrderParamsSchema, params, operation);
  const body = { ...valid, client_order_id: valid.client_order_id ?? ctx.newId() };
  return placeOrder(ctx, { operation, path: "/orders", body }, options);
}
