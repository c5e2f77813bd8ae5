import type { CallOptions, ClientContext } from "../../internal/context.js";
import { getApiKeyPermissions } from "./data.js";

/**
 * Binds the data actions to a client context: `createCoinbaseClient` spreads the result into the
 * client object, so each action becomes a method (`client.someAction(params, options)`).
 */
export function bindDataActions(ctx: ClientContext) {
  return {
    getApiKeyPermissions: (options?: CallOptions) => getApiKeyPermissions(ctx, options),
  } as const;
}
