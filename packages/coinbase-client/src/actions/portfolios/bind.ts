import type { ClientContext } from "../../internal/context.js";

/**
 * Binds the portfolios actions to a client context: `createCoinbaseClient` spreads the result into the
 * client object, so each action becomes a method (`client.someAction(params, options)`).
 */
export function bindPortfolioActions(_ctx: ClientContext) {
  return {} as const;
}
