/** Fees: the transaction summary (30-day volume, fees paid, fee tier). */
import type { CallOptions, ClientContext } from "../../internal/context.js";
import { parseParams, parseResponse } from "../../internal/validate.js";
import * as z from "../../internal/zod.js";
import {
  type GetTransactionSummaryResponse,
  getTransactionSummaryResponseSchema,
} from "../../schemas/fees.js";

/** Params of `getTransactionSummary`. */
export interface GetTransactionSummaryParams {
  /** Only this product type. */
  readonly product_type?: "SPOT" | "FUTURE" | "UNKNOWN_PRODUCT_TYPE";
  /** Only this contract expiry type (futures). */
  readonly contract_expiry_type?: "EXPIRING" | "PERPETUAL" | "UNKNOWN_CONTRACT_EXPIRY_TYPE";
  /** Only this venue: `CBE` (spot), `FCM` (US futures), `INTX` (legacy perpetuals). */
  readonly product_venue?: "CBE" | "FCM" | "INTX" | "UNKNOWN_VENUE_TYPE";
}

const getTransactionSummaryParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({
    product_type: z.exactOptional(z.enum(["SPOT", "FUTURE", "UNKNOWN_PRODUCT_TYPE"])),
    contract_expiry_type: z.exactOptional(z.enum(["EXPIRING", "PERPETUAL", "UNKNOWN_CONTRACT_EXPIRY_TYPE"])),
    product_venue: z.exactOptional(z.enum(["CBE", "FCM", "INTX", "UNKNOWN_VENUE_TYPE"])),
  }),
);

/**
 * Gets the 30-day volume, fees paid and the fee tier (maker and taker rates as decimal fractions).
 *
 * `GET /transaction_summary` · permission: view.
 *
 * @example
 * const { fee_tier } = await client.getTransactionSummary({ product_type: "SPOT" });
 * console.log(fee_tier?.maker_fee_rate, fee_tier?.taker_fee_rate);
 */
export async function getTransactionSummary(
  client: ClientContext,
  params: GetTransactionSummaryParams = {},
  options?: CallOptions,
): Promise<GetTransactionSummaryResponse> {
  const p = parseParams(getTransactionSummaryParamsSchema, params, "getTransactionSummary");
  const body = await client.request(
    {
      operation: "getTransactionSummary",
      method: "GET",
      path: "/transaction_summary",
      query: {
        product_type: p.product_type,
        contract_expiry_type: p.contract_expiry_type,
        product_venue: p.product_venue,
      },
      auth: "private",
    },
    options,
  );
  return parseResponse(getTransactionSummaryResponseSchema, body, "getTransactionSummary");
}
