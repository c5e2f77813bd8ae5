import type { CallOptions, ClientContext } from "../../internal/context.js";
import {
  type ConvertTradeParams,
  type CreateConvertQuoteParams,
  commitConvertTrade,
  createConvertQuote,
  getConvertTrade,
} from "./convert.js";

/**
 * Binds the convert actions to a client context: `createCoinbaseClient` spreads the result into the
 * client object, so each action becomes a method (`client.someAction(params, options)`).
 */
export function bindConvertActions(ctx: ClientContext) {
  return {
    createConvertQuote: (params: CreateConvertQuoteParams, options?: CallOptions) =>
      createConvertQuote(ctx, params, options),
    getConvertTrade: (params: ConvertTradeParams, options?: CallOptions) =>
      getConvertTrade(ctx, params, options),
    commitConvertTrade: (params: ConvertTradeParams, options?: CallOptions) =>
      commitConvertTrade(ctx, params, options),
  } as const;
}
