/**
 * Convert (`/convert/quote`, `/convert/trade/{trade_id}`): quotes and trades between two
 * currencies (e.g. USD → USDC). Amounts are money objects; unknown fields are kept.
 */
import * as z from "../internal/zod.js";
import { type Money, maybe, moneySchema } from "./accounts.js";

/** A convert quote or trade. */
export interface ConvertTrade {
  /** The trade id (use it to commit or look the trade up). */
  readonly id: string;
  /** `TRADE_STATUS_CREATED`, `…_STARTED`, `…_COMPLETED`, `…_CANCELED` or `…_UNSPECIFIED`. */
  readonly status?: string | null;
  /** The amount the user entered. */
  readonly user_entered_amount?: Money | null;
  /** The amount converted. */
  readonly amount?: Money | null;
  /** Amount before fees. */
  readonly subtotal?: Money | null;
  /** Amount after fees. */
  readonly total?: Money | null;
  /** The fees, as Coinbase itemises them. */
  readonly fees?: readonly Readonly<Record<string, unknown>>[] | null;
  /** Total fee. */
  readonly total_fee?: Readonly<Record<string, unknown>> | null;
  /** Where the funds come from (account details as sent). */
  readonly source?: Readonly<Record<string, unknown>> | null;
  /** Where the funds go (account details as sent). */
  readonly target?: Readonly<Record<string, unknown>> | null;
  /** Price of one unit. */
  readonly unit_price?: Readonly<Record<string, unknown>> | null;
  /** The source currency. */
  readonly source_currency?: string | null;
  /** The target currency. */
  readonly target_currency?: string | null;
  /** The source account id. */
  readonly source_id?: string | null;
  /** The target account id. */
  readonly target_id?: string | null;
  /** The exchange rate. */
  readonly exchange_rate?: Money | null;
  /** Fields Coinbase may add (`user_warnings`, `cancellation_reason`, `tax_details`, …). */
  readonly [key: string]: unknown;
}

/** `POST /convert/quote`, `GET /convert/trade/{trade_id}`, `POST /convert/trade/{trade_id}`. */
export interface ConvertTradeResponse {
  /** The quote or trade. */
  readonly trade: ConvertTrade;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The convert response, as parsed. */
export const convertTradeResponseSchema = /* @__PURE__ */ z.memo(() => {
  const money = () => maybe(moneySchema());
  const object = () => maybe(z.looseObject({}));
  return z.looseObject({
    trade: z.looseObject({
      id: z.string(),
      status: maybe(z.string()),
      user_entered_amount: money(),
      amount: money(),
      subtotal: money(),
      total: money(),
      fees: maybe(z.array(z.looseObject({}))),
      total_fee: object(),
      source: object(),
      target: object(),
      unit_price: object(),
      source_currency: maybe(z.string()),
      target_currency: maybe(z.string()),
      source_id: maybe(z.string()),
      target_id: maybe(z.string()),
      exchange_rate: money(),
    }),
  });
});
