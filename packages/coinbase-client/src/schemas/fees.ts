/**
 * Fees: `GET /transaction_summary` (volume, fees paid and the fee tier). Volumes arrive as strings
 * or JSON numbers and are kept as strings; rates are decimal fractions (`"0.006"` = 0.6 %).
 */
import * as z from "../internal/zod.js";
import { maybe, type ResponseDecimal } from "./accounts.js";
import { responseDecimal } from "./common.js";

/** The user's fee tier. */
export interface FeeTier {
  /** The tier's name, e.g. `"Advanced 1"`. */
  readonly pricing_tier?: string | null;
  /** Lower bound of the tier's 30-day USD volume. */
  readonly usd_from?: ResponseDecimal | null;
  /** Upper bound of the tier's 30-day USD volume. */
  readonly usd_to?: ResponseDecimal | null;
  /** Taker fee rate, a decimal fraction. */
  readonly taker_fee_rate?: ResponseDecimal | null;
  /** Maker fee rate, a decimal fraction. */
  readonly maker_fee_rate?: ResponseDecimal | null;
  /** Lower bound of assets on platform (`""` when unused). */
  readonly aop_from?: ResponseDecimal | null;
  /** Upper bound of assets on platform (`""` when unused). */
  readonly aop_to?: ResponseDecimal | null;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** `GET /transaction_summary`. */
export interface GetTransactionSummaryResponse {
  /** 30-day volume (a JSON number in some responses; always a string here). */
  readonly total_volume?: ResponseDecimal | null;
  /** 30-day fees (a JSON number in some responses; always a string here). */
  readonly total_fees?: ResponseDecimal | null;
  /** The fee tier. */
  readonly fee_tier?: FeeTier | null;
  /** Margin rate (often `null`). */
  readonly margin_rate?: unknown;
  /** Goods and services tax (often `null`). */
  readonly goods_and_services_tax?: unknown;
  /** Volume on Advanced Trade only. */
  readonly advanced_trade_only_volume?: ResponseDecimal | null;
  /** Fees on Advanced Trade only. */
  readonly advanced_trade_only_fees?: ResponseDecimal | null;
  /** Legacy Coinbase Pro volume. */
  readonly coinbase_pro_volume?: ResponseDecimal | null;
  /** Legacy Coinbase Pro fees. */
  readonly coinbase_pro_fees?: ResponseDecimal | null;
  /** Total balance (`""` when not given). */
  readonly total_balance?: ResponseDecimal | null;
  /** Whether a promotional fee applies. */
  readonly has_promo_fee?: boolean | null;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The transaction-summary response, as parsed. */
export const getTransactionSummaryResponseSchema = /* @__PURE__ */ z.memo(() => {
  const dec = () => maybe(responseDecimal());
  return z.looseObject({
    total_volume: dec(),
    total_fees: dec(),
    fee_tier: maybe(
      z.looseObject({
        pricing_tier: maybe(z.string()),
        usd_from: dec(),
        usd_to: dec(),
        taker_fee_rate: dec(),
        maker_fee_rate: dec(),
        aop_from: dec(),
        aop_to: dec(),
      }),
    ),
    margin_rate: z.exactOptional(z.unknown()),
    goods_and_services_tax: z.exactOptional(z.unknown()),
    advanced_trade_only_volume: dec(),
    advanced_trade_only_fees: dec(),
    coinbase_pro_volume: dec(),
    coinbase_pro_fees: dec(),
    total_balance: dec(),
    has_promo_fee: maybe(z.boolean()),
  });
});
