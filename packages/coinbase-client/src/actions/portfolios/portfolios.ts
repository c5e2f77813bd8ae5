/** Portfolios: list, create, rename, delete, break down, and move funds between portfolios. */
import type { CallOptions, ClientContext } from "../../internal/context.js";
import { parseParams, parseResponse } from "../../internal/validate.js";
import * as z from "../../internal/zod.js";
import { decimalString, uuid } from "../../schemas/common.js";
import {
  type DeletePortfolioResponse,
  emptyObjectSchema,
  type GetPortfolioBreakdownResponse,
  getPortfolioBreakdownResponseSchema,
  type ListPortfoliosResponse,
  listPortfoliosResponseSchema,
  type MovePortfolioFundsResponse,
  movePortfolioFundsResponseSchema,
  type PortfolioResponse,
  portfolioResponseSchema,
} from "../../schemas/portfolios.js";

/** Portfolio types for the `listPortfolios` filter. */
export type PortfolioType = "UNDEFINED" | "DEFAULT" | "CONSUMER" | "INTX";

/** Params of `listPortfolios`. */
export interface ListPortfoliosParams {
  /** Only portfolios of this type. */
  readonly portfolio_type?: PortfolioType;
}

const listPortfoliosParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({ portfolio_type: z.exactOptional(z.enum(["UNDEFINED", "DEFAULT", "CONSUMER", "INTX"])) }),
);

/** A portfolio name: 1–128 characters. */
const portfolioName = () => z.string().check(z.minLength(1, "expected a name"), z.maxLength(128));

/**
 * Lists the user's portfolios.
 *
 * `GET /portfolios` · permission: view.
 *
 * @example
 * const { portfolios } = await client.listPortfolios({ portfolio_type: "DEFAULT" });
 */
export async function listPortfolios(
  client: ClientContext,
  params: ListPortfoliosParams = {},
  options?: CallOptions,
): Promise<ListPortfoliosResponse> {
  const p = parseParams(listPortfoliosParamsSchema, params, "listPortfolios");
  const body = await client.request(
    {
      operation: "listPortfolios",
      method: "GET",
      path: "/portfolios",
      query: { portfolio_type: p.portfolio_type },
      auth: "private",
    },
    options,
  );
  return parseResponse(listPortfoliosResponseSchema, body, "listPortfolios");
}

/** Params of `createPortfolio`. */
export interface CreatePortfolioParams {
  /** The new portfolio's name. */
  readonly name: string;
}

const createPortfolioParamsSchema = /* @__PURE__ */ z.memo(() => z.strictObject({ name: portfolioName() }));

/**
 * Creates a portfolio.
 *
 * `POST /portfolios` · permission: trade.
 *
 * @example
 * const { portfolio } = await client.createPortfolio({ name: "Bot" });
 */
export async function createPortfolio(
  client: ClientContext,
  params: CreatePortfolioParams,
  options?: CallOptions,
): Promise<PortfolioResponse> {
  const p = parseParams(createPortfolioParamsSchema, params, "createPortfolio");
  const body = await client.request(
    {
      operation: "createPortfolio",
      method: "POST",
      path: "/portfolios",
      body: { name: p.name },
      auth: "private",
    },
    options,
  );
  return parseResponse(portfolioResponseSchema, body, "createPortfolio");
}

/** Params of `getPortfolioBreakdown`. */
export interface GetPortfolioBreakdownParams {
  /** The portfolio's UUID. */
  readonly portfolio_uuid: string;
  /** The currency to express balances in, e.g. `"USD"`. */
  readonly currency?: string;
}

const getPortfolioBreakdownParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({
    portfolio_uuid: uuid(),
    currency: z.exactOptional(z.string().check(z.regex(/^[A-Z0-9]{1,16}$/, "expected a currency code"))),
  }),
);

/**
 * Gets a portfolio's balances and its spot, perpetual and futures positions.
 *
 * `GET /portfolios/{portfolio_uuid}` · permission: view.
 *
 * @example
 * const { breakdown } = await client.getPortfolioBreakdown({ portfolio_uuid: "8bfc20d7-f7c6-4422-bf07-8243ca4169fe" });
 * console.log(breakdown.portfolio_balances?.total_balance?.value);
 */
export async function getPortfolioBreakdown(
  client: ClientContext,
  params: GetPortfolioBreakdownParams,
  options?: CallOptions,
): Promise<GetPortfolioBreakdownResponse> {
  const p = parseParams(getPortfolioBreakdownParamsSchema, params, "getPortfolioBreakdown");
  const body = await client.request(
    {
      operation: "getPortfolioBreakdown",
      method: "GET",
      path: `/portfolios/${encodeURIComponent(p.portfolio_uuid)}`,
      query: { currency: p.currency },
      auth: "private",
    },
    options,
  );
  return parseResponse(getPortfolioBreakdownResponseSchema, body, "getPortfolioBreakdown");
}

/** Params of `editPortfolio`. */
export interface EditPortfolioParams {
  /** The portfolio's UUID. */
  readonly portfolio_uuid: string;
  /** The new name. */
  readonly name: string;
}

const editPortfolioParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({ portfolio_uuid: uuid(), name: portfolioName() }),
);

/**
 * Renames a portfolio.
 *
 * `PUT /portfolios/{portfolio_uuid}` · permission: trade.
 *
 * @example
 * const { portfolio } = await client.editPortfolio({ portfolio_uuid: "8bfc20d7-f7c6-4422-bf07-8243ca4169fe", name: "Bot 2" });
 */
export async function editPortfolio(
  client: ClientContext,
  params: EditPortfolioParams,
  options?: CallOptions,
): Promise<PortfolioResponse> {
  const p = parseParams(editPortfolioParamsSchema, params, "editPortfolio");
  const body = await client.request(
    {
      operation: "editPortfolio",
      method: "PUT",
      path: `/portfolios/${encodeURIComponent(p.portfolio_uuid)}`,
      body: { name: p.name },
      auth: "private",
    },
    options,
  );
  return parseResponse(portfolioResponseSchema, body, "editPortfolio");
}

/** Params of `deletePortfolio`. */
export interface DeletePortfolioParams {
  /** The portfolio's UUID. */
  readonly portfolio_uuid: string;
}

const deletePortfolioParamsSchema = /* @__PURE__ */ z.memo(() => z.strictObject({ portfolio_uuid: uuid() }));

/**
 * Deletes a portfolio (it must be empty).
 *
 * `DELETE /portfolios/{portfolio_uuid}` · permission: trade.
 *
 * @example
 * await client.deletePortfolio({ portfolio_uuid: "8bfc20d7-f7c6-4422-bf07-8243ca4169fe" });
 */
export async function deletePortfolio(
  client: ClientContext,
  params: DeletePortfolioParams,
  options?: CallOptions,
): Promise<DeletePortfolioResponse> {
  const p = parseParams(deletePortfolioParamsSchema, params, "deletePortfolio");
  const body = await client.request(
    {
      operation: "deletePortfolio",
      method: "DELETE",
      path: `/portfolios/${encodeURIComponent(p.portfolio_uuid)}`,
      auth: "private",
    },
    options,
  );
  return parseResponse(emptyObjectSchema, body, "deletePortfolio");
}

/** Params of `movePortfolioFunds`. */
export interface MovePortfolioFundsParams {
  /** The amount to move: a plain decimal string and its currency. */
  readonly funds: { readonly value: string; readonly currency: string };
  /** The portfolio to take the funds from. */
  readonly source_portfolio_uuid: string;
  /** The portfolio to put them in. */
  readonly target_portfolio_uuid: string;
}

const movePortfolioFundsParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({
    funds: z.strictObject({
      value: decimalString(),
      currency: z.string().check(z.regex(/^[A-Z0-9]{1,16}$/, "expected a currency code")),
    }),
    source_portfolio_uuid: uuid(),
    target_portfolio_uuid: uuid(),
  }),
);

/**
 * Moves funds between two of the user's portfolios.
 *
 * `POST /portfolios/move_funds` · permission: transfer.
 *
 * @example
 * await client.movePortfolioFunds({
 *   funds: { value: "100", currency: "USD" },
 *   source_portfolio_uuid: "8bfc20d7-f7c6-4422-bf07-8243ca4169fe",
 *   target_portfolio_uuid: "1f9a3c22-0a11-4b6d-9f2e-2b7d5e0a1c88",
 * });
 */
export async function movePortfolioFunds(
  client: ClientContext,
  params: MovePortfolioFundsParams,
  options?: CallOptions,
): Promise<MovePortfolioFundsResponse> {
  const p = parseParams(movePortfolioFundsParamsSchema, params, "movePortfolioFunds");
  const body = await client.request(
    {
      operation: "movePortfolioFunds",
      method: "POST",
      path: "/portfolios/move_funds",
      body: {
        funds: { value: p.funds.value, currency: p.funds.currency },
        source_portfolio_uuid: p.source_portfolio_uuid,
        target_portfolio_uuid: p.target_portfolio_uuid,
      },
      auth: "private",
    },
    options,
  );
  return parseResponse(movePortfolioFundsResponseSchema, body, "movePortfolioFunds");
}
