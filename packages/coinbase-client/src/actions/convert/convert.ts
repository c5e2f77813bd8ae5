/** Convert: quote a conversion between two currencies (e.g. USD → USDC), look it up, commit it. */
import type { CallOptions, ClientContext } from "../../internal/context.js";
import { parseParams, parseResponse } from "../../internal/validate.js";
import * as z from "../../internal/zod.js";
import { pathId } from "../../schemas/accounts.js";
import { decimalString } from "../../schemas/common.js";
import { type ConvertTradeResponse, convertTradeResponseSchema } from "../../schemas/convert.js";

/** Params of `createConvertQuote`. */
export interface CreateConvertQuoteParams {
  /** The source: a currency code or an account UUID. */
  readonly from_account: string;
  /** The target: a currency code or an account UUID. */
  readonly to_account: string;
  /** How much of the source to convert, a plain decimal string. */
  readonly amount: string;
  /** A promotion to apply. */
  readonly trade_incentive_metadata?: {
    /** The incentive's id. */
    readonly user_incentive_id?: string;
    /** The promo code. */
    readonly code_val?: string;
  };
}

const createConvertQuoteParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({
    from_account: pathId(),
    to_account: pathId(),
    amount: decimalString(),
    trade_incentive_metadata: z.exactOptional(
      z.strictObject({
        user_incentive_id: z.exactOptional(z.string()),
        code_val: z.exactOptional(z.string()),
      }),
    ),
  }),
);

/**
 * Creates a convert quote; commit it with `commitConvertTrade` before it expires.
 *
 * `POST /convert/quote` · permission: trade.
 *
 * @example
 * const { trade } = await client.createConvertQuote({ from_account: "USD", to_account: "USDC", amount: "100" });
 */
export async function createConvertQuote(
  client: ClientContext,
  params: CreateConvertQuoteParams,
  options?: CallOptions,
): Promise<ConvertTradeResponse> {
  const p = parseParams(createConvertQuoteParamsSchema, params, "createConvertQuote");
  const body = await client.request(
    {
      operation: "createConvertQuote",
      method: "POST",
      path: "/convert/quote",
      body: {
        from_account: p.from_account,
        to_account: p.to_account,
        amount: p.amount,
        ...(p.trade_incentive_metadata === undefined
          ? {}
          : { trade_incentive_metadata: p.trade_incentive_metadata }),
      },
      auth: "private",
    },
    options,
  );
  return parseResponse(convertTradeResponseSchema, body, "createConvertQuote");
}

/** Params of `getConvertTrade` and `commitConvertTrade`. */
export interface ConvertTradeParams {
  /** The trade id from `createConvertQuote`. */
  readonly trade_id: string;
  /** The source, as given to the quote. */
  readonly from_account: string;
  /** The target, as given to the quote. */
  readonly to_account: string;
}

const convertTradeParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({ trade_id: pathId(), from_account: pathId(), to_account: pathId() }),
);

/**
 * Gets a convert trade.
 *
 * `GET /convert/trade/{trade_id}` · permission: trade.
 *
 * @example
 * const { trade } = await client.getConvertTrade({ trade_id: "3f2b8c1e-0d4a-4a8e-9f6b-2c1d3e4f5a6b", from_account: "USD", to_account: "USDC" });
 */
export async function getConvertTrade(
  client: ClientContext,
  params: ConvertTradeParams,
  options?: CallOptions,
): Promise<ConvertTradeResponse> {
  const p = parseParams(convertTradeParamsSchema, params, "getConvertTrade");
  const body = await client.request(
    {
      operation: "getConvertTrade",
      method: "GET",
      path: `/convert/trade/${encodeURIComponent(p.trade_id)}`,
      query: { from_account: p.from_account, to_account: p.to_account },
      auth: "private",
    },
    options,
  );
  return parseResponse(convertTradeResponseSchema, body, "getConvertTrade");
}

/**
 * Commits a convert quote, executing the conversion.
 *
 * `POST /convert/trade/{trade_id}` · permission: trade.
 *
 * @example
 * const { trade } = await client.commitConvertTrade({ trade_id: "3f2b8c1e-0d4a-4a8e-9f6b-2c1d3e4f5a6b", from_account: "USD", to_account: "USDC" });
 */
export async function commitConvertTrade(
  client: ClientContext,
  params: ConvertTradeParams,
  options?: CallOptions,
): Promise<ConvertTradeResponse> {
  const p = parseParams(convertTradeParamsSchema, params, "commitConvertTrade");
  const body = await client.request(
    {
      operation: "commitConvertTrade",
      method: "POST",
      path: `/convert/trade/${encodeURIComponent(p.trade_id)}`,
      body: { from_account: p.from_account, to_account: p.to_account },
      auth: "private",
    },
    options,
  );
  return parseResponse(convertTradeResponseSchema, body, "commitConvertTrade");
}
