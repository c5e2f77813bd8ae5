import type { CallOptions, ClientContext } from "../../internal/context.js";
import {
  type GetAccountParams,
  getAccount,
  iterateAccounts,
  type ListAccountsParams,
  listAccounts,
} from "./accounts.js";

/**
 * Binds the accounts actions to a client context: `createCoinbaseClient` spreads the result into the
 * client object, so each action becomes a method (`client.someAction(params, options)`).
 */
export function bindAccountActions(ctx: ClientContext) {
  return {
    listAccounts: (params?: ListAccountsParams, options?: CallOptions) => listAccounts(ctx, params, options),
    iterateAccounts: (params?: Omit<ListAccountsParams, "cursor">, options?: CallOptions) =>
      iterateAccounts(ctx, params, options),
    getAccount: (params: GetAccountParams, options?: CallOptions) => getAccount(ctx, params, options),
  } as const;
}
