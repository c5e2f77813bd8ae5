import type { CallOptions, ClientContext } from "../../internal/context.js";
import type { CandleRangeParams } from "../products/candle-range.js";
import type {
  GetMarketTradesParams,
  GetProductBookParams,
  GetProductCandlesParams,
} from "../products/params.js";
import {
  type GetPublicProductParams,
  getPublicMarketTrades,
  getPublicProduct,
  getPublicProductBook,
  getPublicProductCandles,
  getPublicProductCandlesRange,
  getServerTime,
  iteratePublicProductCandles,
  iteratePublicProducts,
  type ListPublicProductsParams,
  listPublicProducts,
} from "./public.js";

/**
 * Binds the public actions to a client context: `createCoinbaseClient` spreads the result into the
 * client object, so each action becomes a method (`client.someAction(params, options)`).
 */
export function bindPublicActions(ctx: ClientContext) {
  return {
    getServerTime: (options?: CallOptions) => getServerTime(ctx, options),
    getPublicProductBook: (params: GetProductBookParams, options?: CallOptions) =>
      getPublicProductBook(ctx, params, options),
    listPublicProducts: (params?: ListPublicProductsParams, options?: CallOptions) =>
      listPublicProducts(ctx, params, options),
    iteratePublicProducts: (params?: Omit<ListPublicProductsParams, "offset">, options?: CallOptions) =>
      iteratePublicProducts(ctx, params, options),
    getPublicProduct: (params: GetPublicProductParams, options?: CallOptions) =>
      getPublicProduct(ctx, params, options),
    getPublicProductCandles: (params: GetProductCandlesParams, options?: CallOptions) =>
      getPublicProductCandles(ctx, params, options),
    iteratePublicProductCandles: (params: CandleRangeParams, options?: CallOptions) =>
      iteratePublicProductCandles(ctx, params, options),
    getPublicProductCandlesRange: (params: CandleRangeParams, options?: CallOptions) =>
      getPublicProductCandlesRange(ctx, params, options),
    getPublicMarketTrades: (params: GetMarketTradesParams, options?: CallOptions) =>
      getPublicMarketTrades(ctx, params, options),
  } as const;
}
