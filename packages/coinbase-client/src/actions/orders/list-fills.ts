import type { CallOptions, ClientContext } from "../../internal/context.js";
import { parseParams } from "../../internal/validate.js";
import { type ListFillsParams, listFillsParamsSchema } from "../../schemas/order-requests.js";
import { type Fill, type ListFillsResponse, readListFills } from "../../schemas/orders.js";
import { repeatedCursor } from "./list-orders.js";
import { toQuery } from "./query.js";

const PATH = "/orders/historical/fills";

/** Coinbase's page size for fills when `limit` is not given. */
const DEFAULT_FILLS_LIMIT = 100;

/**
 * Lists fills, one page per call. Fill pages carry a `cursor` but no `has_next`: the last page has
 * an empty cursor or fewer fills than `limit`.
 *
 * `GET /api/v3/brokerage/orders/historical/fills` · permission: **view**.
 *
 * @throws CoinbaseClientError `invalid-request` naming the bad filter (nothing is sent).
 *
 * @example
 * const page = await client.listFills({ product_ids: ["BTC-USD"], limit: 100 });
 * for (const fill of page.fills) console.log(fill.trade_time, fill.side, fill.size, fill.price, fill.commission);
 */
export async function listFills(
  ctx: ClientContext,
  params: ListFillsParams = {},
  options?: CallOptions,
): Promise<ListFillsResponse> {
  const operation = "listFills";
  const query = parseParams(listFillsParamsSchema, params, operation);
  const body = await ctx.request(
    { operation, method: "GET", path: PATH, query: toQuery(query), auth: "private" },
    options,
  );
  return readListFills(body, operation);
}

/**
 * Every fill matching the filters, page after page, as an async iterator. It stops when the
 * cursor is empty or a page comes back shorter than `limit` (100 when not given), and requests the
 * next page only when the current one has been consumed; `break` stops it.
 *
 * `GET /api/v3/brokerage/orders/historical/fills` (repeated) · permission: **view**.
 *
 * @throws CoinbaseClientError `invalid-request` before the first request; `invalid-response` if
 * Coinbase hands back a cursor it already gave.
 *
 * @example
 * for await (const fill of client.iterateFills({ product_ids: ["BTC-USD"], start_sequence_timestamp: "2026-01-01T00:00:00Z" })) {
 *   console.log([fill.trade_time, fill.side, fill.size, fill.price, fill.commission].join(","));
 * }
 */
export async function* iterateFills(
  ctx: ClientContext,
  params: ListFillsParams = {},
  options?: CallOptions,
): AsyncGenerator<Fill, void, undefined> {
  const limit = params.limit ?? DEFAULT_FILLS_LIMIT;
  const seen = new Set<string>();
  let cursor = params.cursor;
  for (;;) {
    const page = await listFills(ctx, cursor === undefined ? params : { ...params, cursor }, options);
    yield* page.fills;
    const next = page.cursor ?? "";
    if (next === "" || page.fills.length < limit) return;
    if (seen.has(next)) throw repeatedCursor("iterateFills", PATH);
    seen.add(next);
    cursor = next;
  }
}
