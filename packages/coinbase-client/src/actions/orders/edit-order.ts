import type { CallOptions, ClientContext } from "../../internal/context.js";
import { parseParams, parseResponse } from "../../internal/validate.js";
import { type EditOrderParams, editOrderParamsSchema } from "../../schemas/order-requests.js";
import {
  type EditOrderPreviewResponse,
  type EditOrderResult,
  editOrderPreviewResponseSchema,
  editOrderResponseSchema,
  pickFailureReason,
} from "../../schemas/order-results.js";

/**
 * Edits the price and size of an open GTC limit order (and the stop price of a stop-limit order,
 * or its attached bracket). Raising the size or changing the price loses queue priority; the size
 * cannot go below the filled size. A refused edit is a result (`success: false` with
 * `failureReason`), not an exception. Never resent automatically.
 *
 * `POST /api/v3/brokerage/orders/edit` · permission: **trade**.
 *
 * @throws CoinbaseClientError `invalid-request` naming the bad field (nothing is sent); transport
 * and HTTP errors as for every method.
 *
 * @example
 * const result = await client.editOrder({ order_id: "0000-000000-000001", price: "49500", size: "0.002" });
 * if (!result.success) console.warn(result.failureReason, result.message);
 */
export async function editOrder(
  ctx: ClientContext,
  params: EditOrderParams,
  options?: CallOptions,
): Promise<EditOrderResult> {
  const operation = "editOrder";
  const body = parseParams(editOrderParamsSchema, params, operation);
  const response = await ctx.request(
    { operation, method: "POST", path: "/orders/edit", body, auth: "private" },
    options,
  );
  const parsed = parseResponse(editOrderResponseSchema, response, operation);
  if (parsed.success) return { ...parsed, success: true };
  const first = parsed.errors?.[0];
  return {
    ...parsed,
    success: false,
    failureReason: pickFailureReason(
      [
        parsed.error_response?.edit_order_failure_reason,
        first?.edit_failure_reason,
        parsed.error_response?.preview_failure_reason,
        first?.preview_failure_reason,
        parsed.error_response?.error,
      ],
      "UNKNOWN_EDIT_ORDER_FAILURE_REASON",
    ),
    message: parsed.error_response?.message,
  };
}

/**
 * Previews an edit without making it: the checks it would fail (`errors`) and the new totals.
 * Nothing changes, so the transport may retry this request like a GET.
 *
 * `POST /api/v3/brokerage/orders/edit_preview` · permission: **trade**.
 *
 * @throws CoinbaseClientError `invalid-request` naming the bad field (nothing is sent).
 *
 * @example
 * const preview = await client.editOrderPreview({ order_id: "0000-000000-000001", price: "49500", size: "0.002" });
 * if ((preview.errors ?? []).length > 0) console.warn(preview.errors);
 */
export async function editOrderPreview(
  ctx: ClientContext,
  params: EditOrderParams,
  options?: CallOptions,
): Promise<EditOrderPreviewResponse> {
  const operation = "editOrderPreview";
  const body = parseParams(editOrderParamsSchema, params, operation);
  const response = await ctx.request(
    { operation, method: "POST", path: "/orders/edit_preview", body, auth: "private", retry: "safe" },
    options,
  );
  return parseResponse(editOrderPreviewResponseSchema, response, operation);
}
