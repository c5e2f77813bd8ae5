/**
 * The product and market-data endpoints that need a key (permission `view`). Each has a public
 * twin under `/market` without a key (see `../public/public.ts`).
 */
import type { CallOptions, ClientContext } from "../../internal/context.js";
import { parseParams, parseResponse } from "../../internal/validate.js";
import * as z from "../../internal/zod.js";
import { productId } from "../../schemas/common.js";
import {
  type GetBestBidAskResponse,
  type GetMarketTradesResponse,
  type GetProductBookResponse,
  getBestBidAskResponseSchema,
} from "../../schemas/market.js";
import type {
  Candle,
  GetProductCandlesResponse,
  ListProductsResponse,
  Product,
} from "../../schemas/products.js";
import { type CandleRangeParams, candleRange, collectCandleRange } from "./candle-range.js";
import { candles, marketTrades, product, productBook, productPages, products } from "./market-data.js";
import type {
  GetMarketTradesParams,
  GetProductBookParams,
  GetProductCandlesParams,
  GetProductParams,
  ListProductsParams,
} from "./params.js";

/** Params of `getBestBidAsk`. */
export interface GetBestBidAskParams {
  /** The products (sent as repeated `product_ids` keys); none means every product. */
  readonly product_ids?: readonly string[];
}

const getBestBidAskParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({ product_ids: z.exactOptional(z.array(productId())) }),
);

/**
 * Gets the best bid and ask of each product asked for.
 *
 * `GET /best_bid_ask` · permission: view.
 *
 * @example
 * const { pricebooks } = await client.getBestBidAsk({ product_ids: ["BTC-USD", "ETH-USD"] });
 */
export async function getBestBidAsk(
  client: ClientContext,
  params: GetBestBidAskParams = {},
  options?: CallOptions,
): Promise<GetBestBidAskResponse> {
  const p = parseParams(getBestBidAskParamsSchema, params, "getBestBidAsk");
  const body = await client.request(
    {
      operation: "getBestBidAsk",
      method: "GET",
      path: "/best_bid_ask",
      query: { product_ids: p.product_ids },
      auth: "private",
    },
    options,
  );
  return parseResponse(getBestBidAskResponseSchema, body, "getBestBidAsk");
}

/**
 * Gets a product's order book (bids descending, asks ascending), with last price, mid and spread.
 *
 * `GET /product_book` · permission: view.
 *
 * @example
 * const { pricebook, spread_bps } = await client.getProductBook({ product_id: "BTC-USD", limit: 10 });
 */
export function getProductBook(
  client: ClientContext,
  params: GetProductBookParams,
  options?: CallOptions,
): Promise<GetProductBookResponse> {
  return productBook(client, { operation: "getProductBook", auth: "private" }, params, options);
}

/**
 * Lists products (spot, US futures, legacy INTX perpetuals), optionally filtered and paged by offset.
 *
 * `GET /products` · permission: view. For every page, use `iterateProducts`.
 *
 * @example
 * const { products } = await client.listProducts({ product_type: "FUTURE", contract_expiry_type: "EXPIRING" });
 */
export function listProducts(
  client: ClientContext,
  params: ListProductsParams = {},
  options?: CallOptions,
): Promise<ListProductsResponse> {
  return products(client, { operation: "listProducts", auth: "private" }, params, options);
}

/**
 * Every product matching the filters, paging by `offset` until a short page (`limit` per page,
 * default 250).
 *
 * `GET /products` (repeated) · permission: view.
 *
 * @example
 * for await (const product of client.iterateProducts({ product_type: "SPOT" })) console.log(product.product_id);
 */
export function iterateProducts(
  client: ClientContext,
  params: Omit<ListProductsParams, "offset"> = {},
  options?: CallOptions,
): AsyncGenerator<Product, void, undefined> {
  return productPages(client, { operation: "listProducts", auth: "private" }, params, options);
}

/**
 * Gets one product (increments, limits, status, futures details).
 *
 * `GET /products/{product_id}` · permission: view.
 *
 * @example
 * const product = await client.getProduct({ product_id: "BTC-USD" });
 * console.log(product.base_increment, product.price_increment);
 */
export function getProduct(
  client: ClientContext,
  params: GetProductParams,
  options?: CallOptions,
): Promise<Product> {
  return product(client, { operation: "getProduct", auth: "private" }, params, options);
}

/**
 * Gets at most 350 candles of a product, **newest first** as Coinbase sends them; `start`/`end`
 * are Unix seconds, `end - start` under 350 candle lengths (Coinbase counts both ends); a wider
 * range is refused before sending: use `getProductCandlesRange`.
 *
 * `GET /products/{product_id}/candles` · permission: view.
 *
 * @example
 * const { candles } = await client.getProductCandles({
 *   product_id: "BTC-USD", granularity: "ONE_HOUR", start: 1712188800, end: 1712192400,
 * });
 */
export function getProductCandles(
  client: ClientContext,
  params: GetProductCandlesParams,
  options?: CallOptions,
): Promise<GetProductCandlesResponse> {
  return candles(client, { operation: "getProductCandles", auth: "private" }, params, options);
}

/**
 * Candles of any length of time, **oldest first**: the half-open range `[start, end)` is split into
 * requests of at most 350 candles and stitched without duplicates.
 *
 * `GET /products/{product_id}/candles` (repeated) · permission: view.
 *
 * @example
 * for await (const candle of client.iterateProductCandles({
 *   product_id: "BTC-USD", granularity: "ONE_MINUTE", start: 1704067200, end: 1704153600,
 * })) console.log(candle.start, candle.close);
 */
export function iterateProductCandles(
  client: ClientContext,
  params: CandleRangeParams,
  options?: CallOptions,
): AsyncGenerator<Candle, void, undefined> {
  return candleRange(client, { operation: "getProductCandles", auth: "private" }, params, options);
}

/**
 * `iterateProductCandles` collected into an array (oldest first).
 *
 * `GET /products/{product_id}/candles` (repeated) · permission: view.
 *
 * @example
 * const day = await client.getProductCandlesRange({
 *   product_id: "BTC-USD", granularity: "ONE_MINUTE", start: 1704067200, end: 1704153600,
 * }); // 1440 candles when every minute traded
 */
export function getProductCandlesRange(
  client: ClientContext,
  params: CandleRangeParams,
  options?: CallOptions,
): Promise<Candle[]> {
  return collectCandleRange(client, { operation: "getProductCandles", auth: "private" }, params, options);
}

/**
 * Gets a product's latest trades (newest first) and its best bid and ask. Each trade's `side` is
 * the maker's side.
 *
 * `GET /products/{product_id}/ticker` · permission: view.
 *
 * @example
 * const { trades, best_bid, best_ask } = await client.getMarketTrades({ product_id: "BTC-USD", limit: 100 });
 */
export function getMarketTrades(
  client: ClientContext,
  params: GetMarketTradesParams,
  options?: CallOptions,
): Promise<GetMarketTradesResponse> {
  return marketTrades(client, { operation: "getMarketTrades", auth: "private" }, params, options);
}
