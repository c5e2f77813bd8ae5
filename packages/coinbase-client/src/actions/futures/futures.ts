/**
 * US futures (Coinbase Financial Markets, `/cfm/*`): balance summary, positions, sweeps between the
 * futures and spot USD accounts, and the intraday margin setting.
 */
import type { CallOptions, ClientContext } from "../../internal/context.js";
import { parseParams, parseResponse } from "../../internal/validate.js";
import * as z from "../../internal/zod.js";
import { decimalString, productId } from "../../schemas/common.js";
import {
  type FuturesSweepResultResponse,
  futuresSweepResultResponseSchema,
  type GetCurrentMarginWindowResponse,
  type GetFuturesBalanceSummaryResponse,
  type GetFuturesPositionResponse,
  type GetIntradayMarginSettingResponse,
  getCurrentMarginWindowResponseSchema,
  getFuturesBalanceSummaryResponseSchema,
  getFuturesPositionResponseSchema,
  getIntradayMarginSettingResponseSchema,
  type IntradayMarginSetting,
  type ListFuturesPositionsResponse,
  type ListFuturesSweepsResponse,
  listFuturesPositionsResponseSchema,
  listFuturesSweepsResponseSchema,
  type SetIntradayMarginSettingResponse,
} from "../../schemas/futures.js";
import { emptyObjectSchema } from "../../schemas/portfolios.js";

/**
 * Gets the futures balance summary: buying power, balances, margin and liquidation levels.
 *
 * `GET /cfm/balance_summary` · permission: view.
 *
 * @example
 * const { balance_summary } = await client.getFuturesBalanceSummary();
 * console.log(balance_summary.futures_buying_power?.value);
 */
export async function getFuturesBalanceSummary(
  client: ClientContext,
  options?: CallOptions,
): Promise<GetFuturesBalanceSummaryResponse> {
  const body = await client.request(
    { operation: "getFuturesBalanceSummary", method: "GET", path: "/cfm/balance_summary", auth: "private" },
    options,
  );
  return parseResponse(getFuturesBalanceSummaryResponseSchema, body, "getFuturesBalanceSummary");
}

/**
 * Lists the open futures positions.
 *
 * `GET /cfm/positions` · permission: view.
 *
 * @example
 * const { positions } = await client.listFuturesPositions();
 */
export async function listFuturesPositions(
  client: ClientContext,
  options?: CallOptions,
): Promise<ListFuturesPositionsResponse> {
  const body = await client.request(
    { operation: "listFuturesPositions", method: "GET", path: "/cfm/positions", auth: "private" },
    options,
  );
  return parseResponse(listFuturesPositionsResponseSchema, body, "listFuturesPositions");
}

/** Params of `getFuturesPosition`. */
export interface GetFuturesPositionParams {
  /** The futures product, e.g. `"BIP-20DEC30-CDE"`. */
  readonly product_id: string;
}

const getFuturesPositionParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({ product_id: productId() }),
);

/**
 * Gets the open position in one futures product.
 *
 * `GET /cfm/positions/{product_id}` · permission: view.
 *
 * @example
 * const { position } = await client.getFuturesPosition({ product_id: "BIP-20DEC30-CDE" });
 */
export async function getFuturesPosition(
  client: ClientContext,
  params: GetFuturesPositionParams,
  options?: CallOptions,
): Promise<GetFuturesPositionResponse> {
  const p = parseParams(getFuturesPositionParamsSchema, params, "getFuturesPosition");
  const body = await client.request(
    {
      operation: "getFuturesPosition",
      method: "GET",
      path: `/cfm/positions/${encodeURIComponent(p.product_id)}`,
      auth: "private",
    },
    options,
  );
  return parseResponse(getFuturesPositionResponseSchema, body, "getFuturesPosition");
}

/**
 * Lists pending and processing sweeps from the futures account to the spot USD wallet.
 *
 * `GET /cfm/sweeps` · permission: view.
 *
 * @example
 * const { sweeps } = await client.listFuturesSweeps();
 */
export async function listFuturesSweeps(
  client: ClientContext,
  options?: CallOptions,
): Promise<ListFuturesSweepsResponse> {
  const body = await client.request(
    { operation: "listFuturesSweeps", method: "GET", path: "/cfm/sweeps", auth: "private" },
    options,
  );
  return parseResponse(listFuturesSweepsResponseSchema, body, "listFuturesSweeps");
}

/** Params of `scheduleFuturesSweep`. */
export interface ScheduleFuturesSweepParams {
  /** USD to sweep, a plain decimal string; leave it out to sweep everything. */
  readonly usd_amount?: string;
}

const scheduleFuturesSweepParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({ usd_amount: z.exactOptional(decimalString()) }),
);

/**
 * Schedules a sweep of USD from the futures account to the spot USD wallet. Only one sweep can be
 * pending; sweeps requested before 5 PM ET are processed the next business day.
 *
 * `POST /cfm/sweeps/schedule` · permission: transfer.
 *
 * @example
 * const { success } = await client.scheduleFuturesSweep({ usd_amount: "250" });
 */
export async function scheduleFuturesSweep(
  client: ClientContext,
  params: ScheduleFuturesSweepParams = {},
  options?: CallOptions,
): Promise<FuturesSweepResultResponse> {
  const p = parseParams(scheduleFuturesSweepParamsSchema, params, "scheduleFuturesSweep");
  const body = await client.request(
    {
      operation: "scheduleFuturesSweep",
      method: "POST",
      path: "/cfm/sweeps/schedule",
      body: p.usd_amount === undefined ? {} : { usd_amount: p.usd_amount },
      auth: "private",
    },
    options,
  );
  return parseResponse(futuresSweepResultResponseSchema, body, "scheduleFuturesSweep");
}

/**
 * Cancels the pending sweep.
 *
 * `DELETE /cfm/sweeps` · permission: transfer.
 *
 * @example
 * const { success } = await client.cancelPendingFuturesSweep();
 */
export async function cancelPendingFuturesSweep(
  client: ClientContext,
  options?: CallOptions,
): Promise<FuturesSweepResultResponse> {
  const body = await client.request(
    { operation: "cancelPendingFuturesSweep", method: "DELETE", path: "/cfm/sweeps", auth: "private" },
    options,
  );
  return parseResponse(futuresSweepResultResponseSchema, body, "cancelPendingFuturesSweep");
}

/**
 * Gets whether the account uses intraday margin (more leverage on weekdays, 8am–4pm ET).
 *
 * `GET /cfm/intraday/margin_setting` · permission: view.
 *
 * @example
 * const { setting } = await client.getIntradayMarginSetting();
 */
export async function getIntradayMarginSetting(
  client: ClientContext,
  options?: CallOptions,
): Promise<GetIntradayMarginSettingResponse> {
  const body = await client.request(
    {
      operation: "getIntradayMarginSetting",
      method: "GET",
      path: "/cfm/intraday/margin_setting",
      auth: "private",
    },
    options,
  );
  return parseResponse(getIntradayMarginSettingResponseSchema, body, "getIntradayMarginSetting");
}

/** Params of `setIntradayMarginSetting`. */
export interface SetIntradayMarginSettingParams {
  /** `INTRADAY_MARGIN_SETTING_INTRADAY` opts in, `INTRADAY_MARGIN_SETTING_STANDARD` opts out. */
  readonly setting: IntradayMarginSetting;
}

const setIntradayMarginSettingParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({
    setting: z.enum([
      "INTRADAY_MARGIN_SETTING_UNSPECIFIED",
      "INTRADAY_MARGIN_SETTING_STANDARD",
      "INTRADAY_MARGIN_SETTING_INTRADAY",
    ]),
  }),
);

/**
 * Opts in to or out of intraday margin.
 *
 * `POST /cfm/intraday/margin_setting` · permission: trade.
 *
 * @example
 * await client.setIntradayMarginSetting({ setting: "INTRADAY_MARGIN_SETTING_INTRADAY" });
 */
export async function setIntradayMarginSetting(
  client: ClientContext,
  params: SetIntradayMarginSettingParams,
  options?: CallOptions,
): Promise<SetIntradayMarginSettingResponse> {
  const p = parseParams(setIntradayMarginSettingParamsSchema, params, "setIntradayMarginSetting");
  const body = await client.request(
    {
      operation: "setIntradayMarginSetting",
      method: "POST",
      path: "/cfm/intraday/margin_setting",
      body: { setting: p.setting },
      auth: "private",
    },
    options,
  );
  return parseResponse(emptyObjectSchema, body, "setIntradayMarginSetting");
}

/** Margin profiles for `getCurrentMarginWindow`. */
export type MarginProfileType =
  | "MARGIN_PROFILE_TYPE_UNSPECIFIED"
  | "MARGIN_PROFILE_TYPE_RETAIL_REGULAR"
  | "MARGIN_PROFILE_TYPE_RETAIL_INTRADAY_MARGIN_1";

/** Params of `getCurrentMarginWindow`. */
export interface GetCurrentMarginWindowParams {
  /** The margin profile to ask about. */
  readonly margin_profile_type: MarginProfileType;
}

const getCurrentMarginWindowParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({
    margin_profile_type: z.enum([
      "MARGIN_PROFILE_TYPE_UNSPECIFIED",
      "MARGIN_PROFILE_TYPE_RETAIL_REGULAR",
      "MARGIN_PROFILE_TYPE_RETAIL_INTRADAY_MARGIN_1",
    ]),
  }),
);

/**
 * Gets the current margin window (whether intraday or overnight rates apply) and when it ends.
 *
 * `GET /cfm/intraday/current_margin_window` · permission: view.
 *
 * @example
 * const { margin_window } = await client.getCurrentMarginWindow({ margin_profile_type: "MARGIN_PROFILE_TYPE_RETAIL_REGULAR" });
 */
export async function getCurrentMarginWindow(
  client: ClientContext,
  params: GetCurrentMarginWindowParams,
  options?: CallOptions,
): Promise<GetCurrentMarginWindowResponse> {
  const p = parseParams(getCurrentMarginWindowParamsSchema, params, "getCurrentMarginWindow");
  const body = await client.request(
    {
      operation: "getCurrentMarginWindow",
      method: "GET",
      path: "/cfm/intraday/current_margin_window",
      query: { margin_profile_type: p.margin_profile_type },
      auth: "private",
    },
    options,
  );
  return parseResponse(getCurrentMarginWindowResponseSchema, body, "getCurrentMarginWindow");
}
