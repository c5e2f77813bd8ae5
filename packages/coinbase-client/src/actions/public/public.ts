/**
 * The public endpoints: server time and the `/market/*` twins of the product endpoints. They need no
 * key (no JWT is sent), Coinbase caches them for 1 s (`{ noCache: true }` in the call options asks
 * for a fresh answer), and they share the public rate limit.
 */
import type { CallOptions, ClientContext } from "../../internal/context.js";
import { parseResponse } from "../../internal/validate.js";
import {
  type GetMarketTradesResponse,
  type GetProductBookResponse,
  type GetServerTimeResponse,
  getServerTimeResponseSchema,
} from "../../schemas/market.js";
import type {
  Candle,
  GetProductCandlesResponse,
  ListProductsResponse,
  Product,
} from "../../schemas/products.js";
import { type CandleRangeParams, candleRange, collectCandleRange } from "../products/candle-range.js";
import {
  candles,
  marketTrades,
  product,
  productBook,
  productPages,
  products,
} from "../products/market-data.js";
import type {
  GetMarketTradesParams,
  GetProductBookParams,
  GetProductCandlesParams,
  ListProductsParams,
} from "../products/params.js";

/** Params of `listPublicProducts` (the private-only `get_tradability_status` is not sent). */
export type ListPublicProductsParams = Omit<ListProductsParams, "get_tradability_status">;

/** Params of `getPublicProduct`. */
export interface GetPublicProductParams {
  /** The product, e.g. `"BTC-USD"`. */
  readonly product_id: string;
}

/**
 * Gets Coinbase's server time (camelCase keys, string values).
 *
 * `GET /time` · permission: none (public).
 *
 * @example
 * const { epochSeconds } = await client.getServerTime();
 */
export async function getServerTime(
  client: ClientContext,
  options?: CallOptions,
): Promise<GetServerTimeResponse> {
  const body = await client.request(
    { operation: "getServerTime", method: "GET", path: "/time", auth: "public" },
    options,
  );
  return parseResponse(getServerTimeResponseSchema, body, "getServerTime");
}

/**
 * Gets a product's order book without a key.
 *
 * `GET /market/product_book` · permission: none (public).
 *
 * @example
 * const { pricebook } = await client.getPublicProductBook({ product_id: "BTC-USD", limit: 5 });
 */
export function getPublicProductBook(
  client: ClientContext,
  params: GetProductBookParams,
  options?: CallOptions,
): Promise<GetProductBookResponse> {
  return productBook(client, { operation: "getPublicProductBook", auth: "public" }, params, options);
}

/**
 * Lists products without a key, optionally filtered and paged by offset.
 *
 * `GET /market/products` · permission: none (public). For every page, use `iteratePublicProducts`.
 *
 * @example
 * const { products } = await client.listPublicProducts({ product_ids: ["BTC-USD", "ETH-USD"] });
 */
export function listPublicProducts(
  client: ClientContext,
  params: ListPublicProductsParams = {},
  options?: CallOptions,
): Promise<ListProductsResponse> {
  return products(client, { operation: "listPublicProducts", auth: "public" }, params, options);
}

/**
 * Every product matching the filters, without a key, paging by `offset` until a short page.
 *
 * `GET /market/products` (repeated) · permission: none (public).
 *
 * @example
 * for await (const product of client.iteratePublicProducts({ product_type: "SPOT" })) console.log(product.product_id);
 */
export function iteratePublicProducts(
  client: ClientContext,
  params: Omit<ListPublicProductsParams, "offset"> = {},
  options?: CallOptions,
): AsyncGenerator<Product, void, undefined> {
  return productPages(client, { operation: "listPublicProducts", auth: "public" }, params, options);
}

/**
 * Gets one product without a key.
 *
 * `GET /market/products/{product_id}` · permission: none (public).
 *
 * @example
 * const product = await client.getPublicProduct({ product_id: "BTC-USD" });
 */
export function getPublicProduct(
  client: ClientContext,
  params: GetPublicProductParams,
  options?: CallOptions,
): Promise<Product> {
  return product(client, { operation: "getPublicProduct", auth: "public" }, params, options);
}

/**
 * Gets at most 350 candles without a key, **newest first**; `start`/`end` are Unix seconds. `end - start` must
 * stay under 350 candle lengths (Coinbase counts both ends); a wider range is refused before
 * sending: use `getPublicProductCandlesRange`.
 *
 * `GET /market/products/{product_id}/candles` · permission: none (public).
 *
 * @example
 * const { candles } = await client.getPublicProductCandles({
 *   product_id: "BTC-USD", granularity: "ONE_HOUR", start: 1712188800, end: 1712192400,
 * });
 */
export function getPublicProductCandles(
  client: ClientContext,
  params: GetProductCandlesParams,
  options?: CallOptions,
): Promise<GetProductCandlesResponse> {
  return candles(client, { operation: "getPublicProductCandles", auth: "public" }, params, options);
}

/**
 * Candles of any length of time without a key, **oldest first**: `[start, end)` is split into
 * requests of at most 350 candles and stitched without duplicates.
 *
 * `GET /market/products/{product_id}/candles` (repeated) · permission: none (public).
 *
 * @example
 * for await (const candle of client.iteratePublicProductCandles({
 *   product_id: "BTC-USD", granularity: "ONE_HOUR", start: 1704067200, end: 1735689600,
 * })) console.log(candle.start, candle.close);
 */
export function iteratePublicProductCandles(
  client: ClientContext,
  params: CandleRangeParams,
  options?: CallOptions,
): AsyncGenerator<Candle, void, undefined> {
  return candleRange(client, { operation: "getPublicProductCandles", auth: "public" }, params, options);
}

/**
 * `iteratePublicProductCandles` collected into an array (oldest first).
 *
 * `GET /market/products/{product_id}/candles` (repeated) · permission: none (public).
 *
 * @example
 * const year = await client.getPublicProductCandlesRange({
 *   product_id: "BTC-USD", granularity: "ONE_DAY", start: 1704067200, end: 1735689600,
 * }); // 366 candles, fetched in two requests
 */
export function getPublicProductCandlesRange(
  client: ClientContext,
  params: CandleRangeParams,
  options?: CallOptions,
): Promise<Candle[]> {
  return collectCandleRange(
    client,
    { operation: "getPublicProductCandles", auth: "public" },
    params,
    options,
  );
}

/**
 * Gets a product's latest trades and best bid/ask without a key. Each trade's `side` is the maker's.
 *
 * `GET /market/products/{product_id}/ticker` · permission: none (public).
 *
 * @example
 * const { trades } = await client.getPublicMarketTrades({ product_id: "BTC-USD", limit: 50 });
 */
export function getPublicMarketTrades(
  client: ClientContext,
  params: GetMarketTradesParams,
  options?: CallOptions,
): Promise<GetMarketTradesResponse> {
  return marketTrades(client, { operation: "getPublicMarketTrades", auth: "public" }, params, options);
}
