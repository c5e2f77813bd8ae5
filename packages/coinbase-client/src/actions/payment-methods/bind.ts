import type { ClientContext } from "../../internal/context.js";

/**
 * Binds the payment-methods actions to a client context: `createCoinbaseClient` spreads the result into the
 * client object, so each action becomes a method (`client.someAction(params, options)`).
 */
export function bindPaymentMethodActions(_ctx: ClientContext) {
  return {} as const;
}
