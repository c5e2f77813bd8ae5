/** Payment methods (`/payment_methods`, `/payment_methods/{payment_method_id}`); unknown fields are kept. */
import * as z from "../internal/zod.js";
import { maybe, type ResponseTimestamp } from "./accounts.js";
import { timestamp } from "./common.js";

/** A payment method (bank account, card, Coinbase fiat wallet). */
export interface PaymentMethod {
  /** The payment method's id. */
  readonly id: string;
  /** Its type, e.g. `"COINBASE_FIAT_ACCOUNT"`, `"ACH"`. */
  readonly type?: string | null;
  /** A display name, e.g. `"CAD Wallet"`. */
  readonly name?: string | null;
  /** The currency. */
  readonly currency?: string | null;
  /** Whether it is verified. */
  readonly verified?: boolean | null;
  /** Whether it can be used to buy. */
  readonly allow_buy?: boolean | null;
  /** Whether it can be used to sell. */
  readonly allow_sell?: boolean | null;
  /** Whether it can be used to deposit. */
  readonly allow_deposit?: boolean | null;
  /** Whether it can be used to withdraw. */
  readonly allow_withdraw?: boolean | null;
  /** Creation time. */
  readonly created_at?: ResponseTimestamp;
  /** Last update time. */
  readonly updated_at?: ResponseTimestamp;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

const paymentMethodSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    id: z.string(),
    type: maybe(z.string()),
    name: maybe(z.string()),
    currency: maybe(z.string()),
    verified: maybe(z.boolean()),
    allow_buy: maybe(z.boolean()),
    allow_sell: maybe(z.boolean()),
    allow_deposit: maybe(z.boolean()),
    allow_withdraw: maybe(z.boolean()),
    created_at: z.exactOptional(timestamp()),
    updated_at: z.exactOptional(timestamp()),
  }),
);

/** `GET /payment_methods`. */
export interface ListPaymentMethodsResponse {
  /** The payment methods. */
  readonly payment_methods: readonly PaymentMethod[];
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The list-payment-methods response, as parsed. */
export const listPaymentMethodsResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({ payment_methods: z.array(paymentMethodSchema()) }),
);

/** `GET /payment_methods/{payment_method_id}`. */
export interface GetPaymentMethodResponse {
  /** The payment method. */
  readonly payment_method: PaymentMethod;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The get-payment-method response, as parsed. */
export const getPaymentMethodResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({ payment_method: paymentMethodSchema() }),
);
