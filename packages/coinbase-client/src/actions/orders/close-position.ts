import type { ClientContext } from "../../internal/context.js";
import { parseParams } from "../../internal/validate.js";
import { type ClosePositionParams, closePositionParamsSchema } from "../../schemas/order-requests.js";
import type { CreateOrderResult } from "../../schemas/order-results.js";
import { type PlaceOrderOptions, placeOrder } from "./place-order.js";

/**
 * Closes an open futures or perpetuals position with a market order: all of it, or `size`
 * contracts. The answer has the shape of `createOrder`'s (a refusal, such as no open position, is
 * a `success: false` result), and a lost response is resolved the same way, by looking the closing
 * order up by its `client_order_id` (generated when you give none).
 *
 * `POST /api/v3/brokerage/orders/close_position` · permission: **trade**.
 *
 * @throws CoinbaseClientError `invalid-request` naming the bad field (nothing is sent).
 *
 * @example
 * const result = await client.closePosition({ product_id: "BIP-20DEC30-CDE" });
 * if (!result.success) console.warn(result.failureReason);
 */
export async function closePosition(
  ctx: ClientContext,
  params: ClosePositionParams,
  options?: PlaceOrderOptions,
): Promise<CreateOrderResult> {
  const operation = "closePosition";
  const valid = parseParams(closePositionParamsSchema, params, operation);
  const body = { ...valid, client_order_id: valid.client_order_id ?? ctx.newId() };
  return placeOrder(ctx, { operation, path: "/orders/close_position", body }, options);
}
