import type { CallOptions, ClientContext } from "../../internal/context.js";
import type { CandleRangeParams } from "./candle-range.js";
import type {
  GetMarketTradesParams,
  GetProductBookParams,
  GetProductCandlesParams,
  GetProductParams,
  ListProductsParams,
} from "./params.js";
import {
  type GetBestBidAskParams,
  getBestBidAsk,
  getMarketTrades,
  getProduct,
  getProductBook,
  getProductCandles,
  getProductCandlesRange,
  iterateProductCandles,
  iterateProducts,
  listProducts,
} from "./products.js";

/**
 * Binds the products actions to a client context: `createCoinbaseClient` spreads the result into the
 * client object, so each action becomes a method (`client.someAction(params, options)`).
 */
export function bindProductActions(ctx: ClientContext) {
  return {
    getBestBidAsk: (params?: GetBestBidAskParams, options?: CallOptions) =>
      getBestBidAsk(ctx, params, options),
    getProductBook: (params: GetProductBookParams, options?: CallOptions) =>
      getProductBook(ctx, params, options),
    listProducts: (params?: ListProductsParams, options?: CallOptions) => listProducts(ctx, params, options),
    iterateProducts: (params?: Omit<ListProductsParams, "offset">, options?: CallOptions) =>
      iterateProducts(ctx, params, options),
    getProduct: (params: GetProductParams, options?: CallOptions) => getProduct(ctx, params, options),
    getProductCandles: (params: GetProductCandlesParams, options?: CallOptions) =>
      getProductCandles(ctx, params, options),
    iterateProductCandles: (params: CandleRangeParams, options?: CallOptions) =>
      iterateProductCandles(ctx, params, options),
    getProductCandlesRange: (params: CandleRangeParams, options?: CallOptions) =>
      getProductCandlesRange(ctx, params, options),
    getMarketTrades: (params: GetMarketTradesParams, options?: CallOptions) =>
      getMarketTrades(ctx, params, options),
  } as const;
}
