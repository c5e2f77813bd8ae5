/**
 * Perpetuals on Coinbase International (INTX, `/intx/*`).
 *
 * **Legacy:** Coinbase moved international derivatives off the Advanced Trade API (cutover in
 * September–October 2026); a live venue now rejects these calls. They stay for older accounts, the
 * simulator and recorded data. US perp-style futures (`BIP-20DEC30-CDE`) use the `/cfm` endpoints.
 */
import type { CallOptions, ClientContext } from "../../internal/context.js";
import { parseParams, parseResponse } from "../../internal/validate.js";
import * as z from "../../internal/zod.js";
import { decimalString, productId, uuid } from "../../schemas/common.js";
import {
  type AllocatePortfolioResponse,
  type GetPerpetualsPortfolioSummaryResponse,
  type GetPerpetualsPositionResponse,
  type GetPortfolioBalancesResponse,
  getPerpetualsPortfolioSummaryResponseSchema,
  getPerpetualsPositionResponseSchema,
  getPortfolioBalancesResponseSchema,
  type ListPerpetualsPositionsResponse,
  listPerpetualsPositionsResponseSchema,
  type OptInOutMultiAssetCollateralResponse,
  optInOutMultiAssetCollateralResponseSchema,
} from "../../schemas/perpetuals.js";
import { emptyObjectSchema } from "../../schemas/portfolios.js";

/** Params naming an INTX portfolio. */
export interface PerpetualsPortfolioParams {
  /** The INTX portfolio's UUID. */
  readonly portfolio_uuid: string;
}

const portfolioParamsSchema = /* @__PURE__ */ z.memo(() => z.strictObject({ portfolio_uuid: uuid() }));

/** Params of `allocatePortfolio`. */
export interface AllocatePortfolioParams {
  /** The INTX portfolio's UUID. */
  readonly portfolio_uuid: string;
  /** The perpetual, e.g. `"BTC-PERP-INTX"`. */
  readonly symbol: string;
  /** The amount to allocate, a plain decimal string. */
  readonly amount: string;
  /** The currency of `amount` (isolated margin takes `"USDC"`). */
  readonly currency: string;
}

const allocatePortfolioParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({
    portfolio_uuid: uuid(),
    symbol: productId(),
    amount: decimalString(),
    currency: z.string().check(z.regex(/^[A-Z0-9]{1,16}$/, "expected a currency code")),
  }),
);

/**
 * Allocates collateral to an isolated perpetual position. **Legacy (INTX).**
 *
 * `POST /intx/allocate` · permission: trade.
 *
 * @example
 * await client.allocatePortfolio({
 *   portfolio_uuid: "018ebd63-1f6d-7c8e-ada9-0761c5a2235f", symbol: "BTC-PERP-INTX", amount: "100", currency: "USDC",
 * });
 */
export async function allocatePortfolio(
  client: ClientContext,
  params: AllocatePortfolioParams,
  options?: CallOptions,
): Promise<AllocatePortfolioResponse> {
  const p = parseParams(allocatePortfolioParamsSchema, params, "allocatePortfolio");
  const body = await client.request(
    {
      operation: "allocatePortfolio",
      method: "POST",
      path: "/intx/allocate",
      body: { portfolio_uuid: p.portfolio_uuid, symbol: p.symbol, amount: p.amount, currency: p.currency },
      auth: "private",
    },
    options,
  );
  return parseResponse(emptyObjectSchema, body, "allocatePortfolio");
}

/**
 * Gets an INTX portfolio's margin state and totals. **Legacy (INTX).**
 *
 * `GET /intx/portfolio/{portfolio_uuid}` · permission: view.
 *
 * @example
 * const { summary } = await client.getPerpetualsPortfolioSummary({ portfolio_uuid: "018ebd63-1f6d-7c8e-ada9-0761c5a2235f" });
 */
export async function getPerpetualsPortfolioSummary(
  client: ClientContext,
  params: PerpetualsPortfolioParams,
  options?: CallOptions,
): Promise<GetPerpetualsPortfolioSummaryResponse> {
  const p = parseParams(portfolioParamsSchema, params, "getPerpetualsPortfolioSummary");
  const body = await client.request(
    {
      operation: "getPerpetualsPortfolioSummary",
      method: "GET",
      path: `/intx/portfolio/${encodeURIComponent(p.portfolio_uuid)}`,
      auth: "private",
    },
    options,
  );
  return parseResponse(getPerpetualsPortfolioSummaryResponseSchema, body, "getPerpetualsPortfolioSummary");
}

/**
 * Lists the open positions of an INTX portfolio. **Legacy (INTX).**
 *
 * `GET /intx/positions/{portfolio_uuid}` · permission: view.
 *
 * @example
 * const { positions } = await client.listPerpetualsPositions({ portfolio_uuid: "018ebd63-1f6d-7c8e-ada9-0761c5a2235f" });
 */
export async function listPerpetualsPositions(
  client: ClientContext,
  params: PerpetualsPortfolioParams,
  options?: CallOptions,
): Promise<ListPerpetualsPositionsResponse> {
  const p = parseParams(portfolioParamsSchema, params, "listPerpetualsPositions");
  const body = await client.request(
    {
      operation: "listPerpetualsPositions",
      method: "GET",
      path: `/intx/positions/${encodeURIComponent(p.portfolio_uuid)}`,
      auth: "private",
    },
    options,
  );
  return parseResponse(listPerpetualsPositionsResponseSchema, body, "listPerpetualsPositions");
}

/** Params of `getPerpetualsPosition`. */
export interface GetPerpetualsPositionParams {
  /** The INTX portfolio's UUID. */
  readonly portfolio_uuid: string;
  /** The perpetual, e.g. `"ADA-PERP-INTX"`. */
  readonly symbol: string;
}

const getPerpetualsPositionParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({ portfolio_uuid: uuid(), symbol: productId() }),
);

/**
 * Gets one open position of an INTX portfolio. **Legacy (INTX).**
 *
 * `GET /intx/positions/{portfolio_uuid}/{symbol}` · permission: view.
 *
 * @example
 * const { position } = await client.getPerpetualsPosition({
 *   portfolio_uuid: "018ebd63-1f6d-7c8e-ada9-0761c5a2235f", symbol: "ADA-PERP-INTX",
 * });
 */
export async function getPerpetualsPosition(
  client: ClientContext,
  params: GetPerpetualsPositionParams,
  options?: CallOptions,
): Promise<GetPerpetualsPositionResponse> {
  const p = parseParams(getPerpetualsPositionParamsSchema, params, "getPerpetualsPosition");
  const body = await client.request(
    {
      operation: "getPerpetualsPosition",
      method: "GET",
      path: `/intx/positions/${encodeURIComponent(p.portfolio_uuid)}/${encodeURIComponent(p.symbol)}`,
      auth: "private",
    },
    options,
  );
  return parseResponse(getPerpetualsPositionResponseSchema, body, "getPerpetualsPosition");
}

/**
 * Gets the asset balances (collateral, holds, loans) of an INTX portfolio. **Legacy (INTX).**
 *
 * `GET /intx/balances/{portfolio_uuid}` · permission: view.
 *
 * @example
 * const { portfolio_balances } = await client.getPortfolioBalances({ portfolio_uuid: "018ebd63-1f6d-7c8e-ada9-0761c5a2235f" });
 */
export async function getPortfolioBalances(
  client: ClientContext,
  params: PerpetualsPortfolioParams,
  options?: CallOptions,
): Promise<GetPortfolioBalancesResponse> {
  const p = parseParams(portfolioParamsSchema, params, "getPortfolioBalances");
  const body = await client.request(
    {
      operation: "getPortfolioBalances",
      method: "GET",
      path: `/intx/balances/${encodeURIComponent(p.portfolio_uuid)}`,
      auth: "private",
    },
    options,
  );
  return parseResponse(getPortfolioBalancesResponseSchema, body, "getPortfolioBalances");
}

/** Params of `optInOutMultiAssetCollateral`. */
export interface OptInOutMultiAssetCollateralParams {
  /** The INTX portfolio's UUID. */
  readonly portfolio_uuid: string;
  /** `true` lets BTC and ETH count as collateral besides USDC. */
  readonly multi_asset_collateral_enabled: boolean;
}

const optInOutMultiAssetCollateralParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({ portfolio_uuid: uuid(), multi_asset_collateral_enabled: z.boolean() }),
);

/**
 * Opts an INTX portfolio in to or out of multi-asset collateral. **Legacy (INTX).**
 *
 * `POST /intx/multi_asset_collateral` · permission: trade.
 *
 * @example
 * const { cross_collateral_enabled } = await client.optInOutMultiAssetCollateral({
 *   portfolio_uuid: "018ebd63-1f6d-7c8e-ada9-0761c5a2235f", multi_asset_collateral_enabled: true,
 * });
 */
export async function optInOutMultiAssetCollateral(
  client: ClientContext,
  params: OptInOutMultiAssetCollateralParams,
  options?: CallOptions,
): Promise<OptInOutMultiAssetCollateralResponse> {
  const p = parseParams(optInOutMultiAssetCollateralParamsSchema, params, "optInOutMultiAssetCollateral");
  const body = await client.request(
    {
      operation: "optInOutMultiAssetCollateral",
      method: "POST",
      path: "/intx/multi_asset_collateral",
      body: {
        portfolio_uuid: p.portfolio_uuid,
        multi_asset_collateral_enabled: p.multi_asset_collateral_enabled,
      },
      auth: "private",
    },
    options,
  );
  return parseResponse(optInOutMultiAssetCollateralResponseSchema, body, "optInOutMultiAssetCollateral");
}
