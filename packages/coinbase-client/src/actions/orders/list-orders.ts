import { CoinbaseClientError } from "../../errors.js";
import type { CallOptions, ClientContext } from "../../internal/context.js";
import { parseParams } from "../../internal/validate.js";
import { type ListOrdersParams, listOrdersParamsSchema } from "../../schemas/order-requests.js";
import { type ListOrdersResponse, type Order, readListOrders } from "../../schemas/orders.js";
import { toQuery } from "./query.js";

const PATH = "/orders/historical/batch";

/**
 * Lists orders, newest first, one page per call (`has_next` and `cursor` lead to the next page).
 * `order_status: ["OPEN"]` cannot be combined with other statuses. Coinbase lists only orders
 * placed through Advanced Trade unless `order_placement_source` says otherwise.
 *
 * `GET /api/v3/brokerage/orders/historical/batch` · permission: **view**.
 *
 * @throws CoinbaseClientError `invalid-request` naming the bad filter (nothing is sent).
 *
 * @example
 * const page = await client.listOrders({ product_ids: ["BTC-USD"], order_status: ["OPEN"], limit: 50 });
 * for (const order of page.orders) console.log(order.order_id, order.status);
 */
export async function listOrders(
  ctx: ClientContext,
  params: ListOrdersParams = {},
  options?: CallOptions,
): Promise<ListOrdersResponse> {
  const operation = "listOrders";
  const query = parseParams(listOrdersParamsSchema, params, operation);
  const body = await ctx.request(
    { operation, method: "GET", path: PATH, query: toQuery(query), auth: "private" },
    options,
  );
  return readListOrders(body, operation);
}

/**
 * Every order matching the filters, page after page (newest first), as an async iterator. It
 * stops when `has_next` is false or the cursor is empty, and requests the next page only when the
 * current one has been consumed; `break` stops it.
 *
 * `GET /api/v3/brokerage/orders/historical/batch` (repeated) · permission: **view**.
 *
 * @throws CoinbaseClientError `invalid-request` before the first request; `invalid-response` if
 * Coinbase hands back a cursor it already gave (which would loop forever).
 *
 * @example
 * for await (const order of client.iterateOrders({ product_ids: ["BTC-USD"], order_status: ["FILLED"] })) {
 *   console.log(order.order_id, order.filled_size);
 * }
 */
export async function* iterateOrders(
  ctx: ClientContext,
  params: ListOrdersParams = {},
  options?: CallOptions,
): AsyncGenerator<Order, void, undefined> {
  const seen = new Set<string>();
  let cursor = params.cursor;
  for (;;) {
    const page = await listOrders(ctx, cursor === undefined ? params : { ...params, cursor }, options);
    yield* page.orders;
    const next = page.cursor ?? "";
    if (page.has_next !== true || next === "") return;
    if (seen.has(next)) throw repeatedCursor("iterateOrders", PATH);
    seen.add(next);
    cursor = next;
  }
}

/** The error for a cursor Coinbase already handed out (following it would never end). */
export function repeatedCursor(operation: string, path: string): CoinbaseClientError {
  return new CoinbaseClientError(
    "invalid-response",
    `${operation}: Coinbase repeated a page cursor; stopping`,
    {
      operation,
      path,
      field: "cursor",
    },
  );
}
