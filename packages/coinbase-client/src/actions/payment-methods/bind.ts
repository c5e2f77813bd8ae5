import type { CallOptions, ClientContext } from "../../internal/context.js";
import { type GetPaymentMethodParams, getPaymentMethod, listPaymentMethods } from "./payment-methods.js";

/**
 * Binds the payment-methods actions to a client context: `createCoinbaseClient` spreads the result into the
 * client object, so each action becomes a method (`client.someAction(params, options)`).
 */
export function bindPaymentMethodActions(ctx: ClientContext) {
  return {
    listPaymentMethods: (options?: CallOptions) => listPaymentMethods(ctx, options),
    getPaymentMethod: (params: GetPaymentMethodParams, options?: CallOptions) =>
      getPaymentMethod(ctx, params, options),
  } as const;
}
