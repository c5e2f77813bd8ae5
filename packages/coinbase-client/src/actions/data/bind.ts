import type { ClientContext } from "../../internal/context.js";

/**
 * Binds the data (key permissions) actions to a client context: `createCoinbaseClient` spreads the result into the
 * client object, so each action becomes a method (`client.someAction(params, options)`).
 */
export function bindDataActions(_ctx: ClientContext) {
  return {} as const;
}
