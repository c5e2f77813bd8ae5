import type { ClientContext } from "../../internal/context.js";

/**
 * Binds the US futures (CFM) actions to a client context: `createCoinbaseClient` spreads the result into the
 * client object, so each action becomes a method (`client.someAction(params, options)`).
 */
export function bindFuturesActions(_ctx: ClientContext) {
  return {} as const;
}
