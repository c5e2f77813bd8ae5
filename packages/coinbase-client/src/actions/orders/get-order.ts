import type { CallOptions, ClientContext } from "../../internal/context.js";
import { parseParams } from "../../internal/validate.js";
import { type GetOrderParams, getOrderParamsSchema } from "../../schemas/order-requests.js";
import { type GetOrderResponse, readGetOrder } from "../../schemas/orders.js";

/**
 * Gets one order by Coinbase's order id.
 *
 * `GET /api/v3/brokerage/orders/historical/{order_id}` · permission: **view**.
 *
 * @throws CoinbaseClientError `invalid-request` for a missing or malformed `order_id` (nothing is
 * sent); `http` with status 404 for an unknown order; `invalid-response` for a malformed body.
 *
 * @example
 * const { order } = await client.getOrder({ order_id: "0000-000000-000001" });
 * console.log(order.status, order.filled_size, order.average_filled_price);
 */
export async function getOrder(
  ctx: ClientContext,
  params: GetOrderParams,
  options?: CallOptions,
): Promise<GetOrderResponse> {
  const operation = "getOrder";
  const { order_id } = parseParams(getOrderParamsSchema, params, operation);
  const body = await ctx.request(
    {
      operation,
      method: "GET",
      path: `/orders/historical/${encodeURIComponent(order_id)}`,
      auth: "private",
    },
    options,
  );
  return readGetOrder(body, operation);
}
