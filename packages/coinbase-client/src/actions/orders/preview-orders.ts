import type { CallOptions, ClientContext } from "../../internal/context.js";
import { parseParams, parseResponse } from "../../internal/validate.js";
import { type PreviewOrdersParams, previewOrdersParamsSchema } from "../../schemas/order-requests.js";
import { type PreviewOrdersResponse, previewOrdersResponseSchema } from "../../schemas/order-results.js";

/**
 * Previews an order without placing it: totals, commission, slippage, and the checks it would fail
 * (`errs`). Pass the returned `preview_id` to `createOrder` to place exactly this order. Nothing is
 * placed, so the transport may retry this request like a GET.
 *
 * `POST /api/v3/brokerage/orders/preview` · permission: **trade**.
 *
 * @throws CoinbaseClientError `invalid-request` naming the bad field (nothing is sent).
 *
 * @example
 * const preview = await client.previewOrders({
 *   product_id: "BTC-USD",
 *   side: "BUY",
 *   order_configuration: { limit_limit_gtc: { base_size: "0.001", limit_price: "50000", post_only: true } },
 * });
 * if ((preview.errs ?? []).length === 0) console.log(preview.order_total, preview.commission_total);
 */
export async function previewOrders(
  ctx: ClientContext,
  params: PreviewOrdersParams,
  options?: CallOptions,
): Promise<PreviewOrdersResponse> {
  const operation = "previewOrders";
  const body = parseParams(previewOrdersParamsSchema, params, operation);
  const response = await ctx.request(
    { operation, method: "POST", path: "/orders/preview", body, auth: "private", retry: "safe" },
    options,
  );
  return parseResponse(previewOrdersResponseSchema, response, operation);
}
