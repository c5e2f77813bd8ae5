/**
 * Request params shared by the private product endpoints and their public `/market/*` twins, with
 * their validating schemas. Field names are Coinbase's query parameter names.
 */
import * as z from "../../internal/zod.js";
import { pageLimit } from "../../schemas/accounts.js";
import { decimalString, productId } from "../../schemas/common.js";
import { type Granularity, granularityParam, unixSeconds } from "../../schemas/products.js";

/** Unix seconds, as a whole number or integer text (`1712192400` or `"1712192400"`). */
export type UnixSeconds = number | string;

/** Params of `getProductBook` / `getPublicProductBook`. */
export interface GetProductBookParams {
  /** The product, e.g. `"BTC-USD"`. */
  readonly product_id: string;
  /** Levels per side. */
  readonly limit?: number;
  /** Aggregate levels to this price step (a decimal string, e.g. `"1"`). */
  readonly aggregation_price_increment?: string;
}

/** The product-book params, as validated. */
export const getProductBookParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({
    product_id: productId(),
    limit: z.exactOptional(pageLimit(1_000_000)),
    aggregation_price_increment: z.exactOptional(decimalString()),
  }),
);

/** Product types for filters. */
export type ProductType = "SPOT" | "FUTURE" | "UNKNOWN_PRODUCT_TYPE";
/** Contract expiry types for filters. */
export type ContractExpiryType = "EXPIRING" | "PERPETUAL" | "UNKNOWN_CONTRACT_EXPIRY_TYPE";
/** Expiring-contract statuses for filters. */
export type ExpiringContractStatus =
  | "STATUS_UNEXPIRED"
  | "STATUS_EXPIRED"
  | "STATUS_ALL"
  | "UNKNOWN_EXPIRING_CONTRACT_STATUS";

/** Params of `listProducts` / `listPublicProducts`. */
export interface ListProductsParams {
  /** Products per page. Without it Coinbase returns every product in one response. */
  readonly limit?: number;
  /** Products to skip. */
  readonly offset?: number;
  /** Only this product type. */
  readonly product_type?: ProductType;
  /** Only these products (sent as repeated `product_ids` keys). */
  readonly product_ids?: readonly string[];
  /** Only this contract expiry type (futures). */
  readonly contract_expiry_type?: ContractExpiryType;
  /** Expired, unexpired or all futures. */
  readonly expiring_contract_status?: ExpiringContractStatus;
  /** Also return each product's tradability status (private endpoint only). */
  readonly get_tradability_status?: boolean;
  /** Include products the user cannot trade (e.g. other regions' futures). */
  readonly get_all_products?: boolean;
}

/** The list-products params, as validated. */
export const listProductsParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({
    limit: z.exactOptional(pageLimit(1_000_000)),
    offset: z.exactOptional(z.number().check(z.int("expected an integer"), z.gte(0))),
    product_type: z.exactOptional(z.enum(["SPOT", "FUTURE", "UNKNOWN_PRODUCT_TYPE"])),
    product_ids: z.exactOptional(z.array(productId())),
    contract_expiry_type: z.exactOptional(z.enum(["EXPIRING", "PERPETUAL", "UNKNOWN_CONTRACT_EXPIRY_TYPE"])),
    expiring_contract_status: z.exactOptional(
      z.enum(["STATUS_UNEXPIRED", "STATUS_EXPIRED", "STATUS_ALL", "UNKNOWN_EXPIRING_CONTRACT_STATUS"]),
    ),
    get_tradability_status: z.exactOptional(z.boolean()),
    get_all_products: z.exactOptional(z.boolean()),
  }),
);

/** Params of `getProduct` / `getPublicProduct`. */
export interface GetProductParams {
  /** The product, e.g. `"BTC-USD"`. */
  readonly product_id: string;
  /** Also return the tradability status (private endpoint only). */
  readonly get_tradability_status?: boolean;
}

/** The get-product params, as validated. */
export const getProductParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({ product_id: productId(), get_tradability_status: z.exactOptional(z.boolean()) }),
);

/** Params of `getProductCandles` / `getPublicProductCandles`. */
export interface GetProductCandlesParams {
  /** The product, e.g. `"BTC-USD"`. */
  readonly product_id: string;
  /** Range start, Unix seconds. */
  readonly start: UnixSeconds;
  /** Range end, Unix seconds; under 350 candle lengths after `start` (use the range helpers for more). */
  readonly end: UnixSeconds;
  /** The candle length. */
  readonly granularity: Granularity;
  /** At most this many candles (1–350; Coinbase's default is 350). */
  readonly limit?: number;
}

/** The candles params, as validated (Unix seconds as text). */
export const getProductCandlesParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({
    product_id: productId(),
    start: unixSeconds(),
    end: unixSeconds(),
    granularity: granularityParam(),
    limit: z.exactOptional(pageLimit(350)),
  }),
);

/** Params of `getMarketTrades` / `getPublicMarketTrades`. */
export interface GetMarketTradesParams {
  /** The product, e.g. `"BTC-USD"`. */
  readonly product_id: string;
  /** How many trades (required by Coinbase). */
  readonly limit: number;
  /** Only trades after this time, Unix seconds. */
  readonly start?: UnixSeconds;
  /** Only trades before this time, Unix seconds. */
  readonly end?: UnixSeconds;
}

/** The market-trades params, as validated. */
export const getMarketTradesParamsSchema = /* @__PURE__ */ z.memo(() =>
  z.strictObject({
    product_id: productId(),
    limit: pageLimit(1_000_000),
    start: z.exactOptional(unixSeconds()),
    end: z.exactOptional(unixSeconds()),
  }),
);
