/** Accounts: `GET /accounts` (as a page and as an iterator) and `GET /accounts/{account_uuid}`. */
import type { CallOptions, ClientContext } from "../../internal/context.js";
import { parseParams, parseResponse } from "../../internal/validate.js";
import * as z from "../../internal/zod.js";
import {
  type Account,
  type GetAccountResponse,
  getAccountResponseSchema,
  type ListAccountsResponse,
  listAccountsResponseSchema,
  pageLimit,
  pathId,
} from "../../schemas/accounts.js";
import { uuid } from "../../schemas/common.js";

/** Params of `listAccounts`. */
export interface ListAccountsParams {
  /** Accounts per page, 1–250 (Coinbase's default is 49). */
  readonly limit?: number;
  /** The `cursor` of the previous page. */
  readonly cursor?: string;
  /** Deprecated by Coinbase (a CDP key is already tied to one portfolio). */
  readonly retail_portfolio_id?: string;
}

const listAccountsParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({
    limit: z.exactOptional(pageLimit(250)),
    cursor: z.exactOptional(z.string()),
    retail_portfolio_id: z.exactOptional(pathId()),
  }),
);

/**
 * Lists the accounts (one per currency) of the key's portfolio, one page at a time.
 *
 * `GET /accounts` · permission: view. For every page, use `iterateAccounts`.
 *
 * @example
 * const page = await client.listAccounts({ limit: 250 });
 * for (const account of page.accounts) console.log(account.currency, account.available_balance.value);
 */
export async function listAccounts(
  client: ClientContext,
  params: ListAccountsParams = {},
  options?: CallOptions,
): Promise<ListAccountsResponse> {
  const p = parseParams(listAccountsParamsSchema, params, "listAccounts");
  const body = await client.request(
    {
      operation: "listAccounts",
      method: "GET",
      path: "/accounts",
      query: { limit: p.limit, cursor: p.cursor, retail_portfolio_id: p.retail_portfolio_id },
      auth: "private",
    },
    options,
  );
  return parseResponse(listAccountsResponseSchema, body, "listAccounts");
}

/**
 * Every account of the key's portfolio, following the cursor from page to page (`has_next`).
 *
 * `GET /accounts` (repeated) · permission: view. `params.limit` sets the page size (default 250).
 *
 * @example
 * for await (const account of client.iterateAccounts()) {
 *   if (account.available_balance.value !== "0") console.log(account.currency);
 * }
 */
export async function* iterateAccounts(
  client: ClientContext,
  params: Omit<ListAccountsParams, "cursor"> = {},
  options?: CallOptions,
): AsyncGenerator<Account, void, undefined> {
  let cursor: string | undefined;
  for (;;) {
    const page: ListAccountsResponse = await listAccounts(
      client,
      { limit: 250, ...params, ...(cursor === undefined ? {} : { cursor }) },
      options,
    );
    yield* page.accounts;
    if (page.has_next !== true || page.cursor === undefined || page.cursor === "" || page.cursor === cursor)
      return;
    cursor = page.cursor;
  }
}

/** Params of `getAccount`. */
export interface GetAccountParams {
  /** The account's UUID. */
  readonly account_uuid: string;
}

const getAccountParamsSchema = /* @__PURE__ */ z.memo(() => z.strictObject({ account_uuid: uuid() }));

/**
 * Gets one account by UUID.
 *
 * `GET /accounts/{account_uuid}` · permission: view.
 *
 * @example
 * const { account } = await client.getAccount({ account_uuid: "8bfc20d7-f7c6-4422-bf07-8243ca4169fe" });
 */
export async function getAccount(
  client: ClientContext,
  params: GetAccountParams,
  options?: CallOptions,
): Promise<GetAccountResponse> {
  const p = parseParams(getAccountParamsSchema, params, "getAccount");
  const body = await client.request(
    {
      operation: "getAccount",
      method: "GET",
      path: `/accounts/${encodeURIComponent(p.account_uuid)}`,
      auth: "private",
    },
    options,
  );
  return parseResponse(getAccountResponseSchema, body, "getAccount");
}
