/** Payment methods: the bank accounts, cards and fiat wallets of the user. */
import type { CallOptions, ClientContext } from "../../internal/context.js";
import { parseParams, parseResponse } from "../../internal/validate.js";
import * as z from "../../internal/zod.js";
import { pathId } from "../../schemas/accounts.js";
import {
  type GetPaymentMethodResponse,
  getPaymentMethodResponseSchema,
  type ListPaymentMethodsResponse,
  listPaymentMethodsResponseSchema,
} from "../../schemas/payment-methods.js";

/**
 * Lists the user's payment methods.
 *
 * `GET /payment_methods` · permission: view.
 *
 * @example
 * const { payment_methods } = await client.listPaymentMethods();
 */
export async function listPaymentMethods(
  client: ClientContext,
  options?: CallOptions,
): Promise<ListPaymentMethodsResponse> {
  const body = await client.request(
    { operation: "listPaymentMethods", method: "GET", path: "/payment_methods", auth: "private" },
    options,
  );
  return parseResponse(listPaymentMethodsResponseSchema, body, "listPaymentMethods");
}

/** Params of `getPaymentMethod`. */
export interface GetPaymentMethodParams {
  /** The payment method's id. */
  readonly payment_method_id: string;
}

const getPaymentMethodParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({ payment_method_id: pathId() }),
);

/**
 * Gets one payment method.
 *
 * `GET /payment_methods/{payment_method_id}` · permission: view.
 *
 * @example
 * const { payment_method } = await client.getPaymentMethod({ payment_method_id: "8bfc20d7-f7c6-4422-bf07-8243ca4169fe" });
 */
export async function getPaymentMethod(
  client: ClientContext,
  params: GetPaymentMethodParams,
  options?: CallOptions,
): Promise<GetPaymentMethodResponse> {
  const p = parseParams(getPaymentMethodParamsSchema, params, "getPaymentMethod");
  const body = await client.request(
    {
      operation: "getPaymentMethod",
      method: "GET",
      path: `/payment_methods/${encodeURIComponent(p.payment_method_id)}`,
      auth: "private",
    },
    options,
  );
  return parseResponse(getPaymentMethodResponseSchema, body, "getPaymentMethod");
}
