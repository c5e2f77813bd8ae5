import type { CallOptions, ClientContext } from "../../internal/context.js";
import { parseParams, parseResponse } from "../../internal/validate.js";
import { type CancelOrdersParams, cancelOrdersParamsSchema } from "../../schemas/order-requests.js";
import { type CancelOrdersResponse, cancelOrdersResponseSchema } from "../../schemas/order-results.js";

/**
 * Cancels up to 100 orders. Each order gets its own result (the batch is not all-or-nothing);
 * `failure_reason` is `UNKNOWN_CANCEL_FAILURE_REASON` on success too, so branch on `success`.
 * Cancelling is idempotent, so the transport may retry this request like a GET.
 *
 * `POST /api/v3/brokerage/orders/batch_cancel` · permission: **trade**.
 *
 * @throws CoinbaseClientError `invalid-request` for an empty list, more than 100 ids or a malformed
 * id (nothing is sent).
 *
 * @example
 * const { results } = await client.cancelOrders({ order_ids: ["0000-000000-000001"] });
 * for (const r of results) if (!r.success) console.warn(r.order_id, r.failure_reason);
 */
export async function cancelOrders(
  ctx: ClientContext,
  params: CancelOrdersParams,
  options?: CallOptions,
): Promise<CancelOrdersResponse> {
  const operation = "cancelOrders";
  const body = parseParams(cancelOrdersParamsSchema, params, operation);
  const response = await ctx.request(
    { operation, method: "POST", path: "/orders/batch_cancel", body, auth: "private", retry: "safe" },
    options,
  );
  return parseResponse(cancelOrdersResponseSchema, response, operation);
}
