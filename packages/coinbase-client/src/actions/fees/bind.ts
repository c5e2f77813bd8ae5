import type { CallOptions, ClientContext } from "../../internal/context.js";
import { type GetTransactionSummaryParams, getTransactionSummary } from "./fees.js";

/**
 * Binds the fees actions to a client context: `createCoinbaseClient` spreads the result into the
 * client object, so each action becomes a method (`client.someAction(params, options)`).
 */
export function bindFeeActions(ctx: ClientContext) {
  return {
    getTransactionSummary: (params?: GetTransactionSummaryParams, options?: CallOptions) =>
      getTransactionSummary(ctx, params, options),
  } as const;
}
