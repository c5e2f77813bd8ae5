/**
 * Products (`GET /products`, `GET /products/{product_id}` and their public `/market/*` twins) and
 * candles. Field names are Coinbase's wire names; prices and sizes stay decimal strings; unknown
 * fields are kept. Spot, US futures (CFM) and legacy INTX perpetual products share one shape;
 * futures carry `future_product_details`.
 */
import * as z from "../internal/zod.js";
import { maybe, type ResponseDecimal, type ResponseTimestamp } from "./accounts.js";
import { numberish, responseDecimal, timestamp } from "./common.js";

/** Candle granularities, as the `granularity` query parameter takes them. */
export type Granularity =
  | "ONE_MINUTE"
  | "FIVE_MINUTE"
  | "FIFTEEN_MINUTE"
  | "THIRTY_MINUTE"
  | "ONE_HOUR"
  | "TWO_HOUR"
  | "FOUR_HOUR"
  | "SIX_HOUR"
  | "ONE_DAY";

/** The length of one candle of each granularity, in seconds. */
export const GRANULARITY_SECONDS: Readonly<Record<Granularity, number>> = {
  ONE_MINUTE: 60,
  FIVE_MINUTE: 300,
  FIFTEEN_MINUTE: 900,
  THIRTY_MINUTE: 1800,
  ONE_HOUR: 3600,
  TWO_HOUR: 7200,
  FOUR_HOUR: 14_400,
  SIX_HOUR: 21_600,
  ONE_DAY: 86_400,
};

/** The most candles one candles request may cover (Coinbase rejects larger ranges). */
export const MAX_CANDLES_PER_REQUEST = 350;

/** Funding and open-interest details of a perpetual (INTX) or perp-style (CFM) future. */
export interface PerpetualDetails {
  /** Open interest, in contracts. */
  readonly open_interest?: ResponseDecimal | null;
  /** The last funding rate, a decimal fraction per interval. */
  readonly funding_rate?: ResponseDecimal | null;
  /** When that rate applied. */
  readonly funding_time?: ResponseTimestamp;
  /** The highest leverage allowed. */
  readonly max_leverage?: ResponseDecimal | null;
  /** Fields Coinbase may add (`base_asset_uuid`, `underlying_type`, …). */
  readonly [key: string]: unknown;
}

/** The futures part of a product (`product_type: "FUTURE"`). */
export interface FutureProductDetails {
  /** `"cde"` for US futures, `""` for INTX. */
  readonly venue?: string | null;
  /** The contract code, e.g. `"BIP"`. */
  readonly contract_code?: string | null;
  /** Expiry time (far-dated for perp-style contracts; `null` for INTX perpetuals). */
  readonly contract_expiry?: ResponseTimestamp;
  /** Units of the root asset per contract, e.g. `"0.01"`. */
  readonly contract_size?: ResponseDecimal | null;
  /** The root asset, e.g. `"BTC"`. */
  readonly contract_root_unit?: string | null;
  /** `EXPIRING` (also for CFM perp-style contracts) or `PERPETUAL` (INTX). */
  readonly contract_expiry_type?: string | null;
  /** `MANAGED_BY_FCM` or `MANAGED_BY_VENUE`. */
  readonly risk_managed_by?: string | null;
  /** Funding details (perpetuals). */
  readonly perpetual_details?: PerpetualDetails | null;
  /** Funding interval of a perp-style contract, e.g. `"3600s"`; `null` for dated futures. */
  readonly funding_interval?: string | null;
  /** Last funding rate (CFM perp-style). */
  readonly funding_rate?: ResponseDecimal | null;
  /** When that funding rate applied. */
  readonly funding_time?: ResponseTimestamp;
  /** Open interest (CFM). */
  readonly open_interest?: ResponseDecimal | null;
  /** Milliseconds to expiry, as text. */
  readonly time_to_expiry_ms?: ResponseDecimal | null;
  /** Intraday margin rates. */
  readonly intraday_margin_rate?: MarginRates | null;
  /** Overnight margin rates. */
  readonly overnight_margin_rate?: MarginRates | null;
  /** The last settlement price. */
  readonly settlement_price?: ResponseDecimal | null;
  /** The index price. */
  readonly index_price?: ResponseDecimal | null;
  /** Fields Coinbase may add (`group_description`, `display_name`, `futures_asset_type`, …). */
  readonly [key: string]: unknown;
}

/** Long and short margin rates of a futures product. */
export interface MarginRates {
  /** Margin rate for a long position, a decimal fraction. */
  readonly long_margin_rate?: ResponseDecimal | null;
  /** Margin rate for a short position, a decimal fraction. */
  readonly short_margin_rate?: ResponseDecimal | null;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The trading session of a US futures product (`null` for spot). */
export interface FcmTradingSessionDetails {
  /** Whether the session is open now. */
  readonly is_session_open?: boolean | null;
  /** Session open time. */
  readonly open_time?: ResponseTimestamp;
  /** Session close time. */
  readonly close_time?: ResponseTimestamp;
  /** `FCM_TRADING_SESSION_STATE_…`. */
  readonly session_state?: string | null;
  /** `FCM_TRADING_SESSION_CLOSED_REASON_…`. */
  readonly closed_reason?: string | null;
  /** Fields Coinbase may add (`maintenance`, `after_hours_order_entry_disabled`, …). */
  readonly [key: string]: unknown;
}

/** One product (a spot pair, a US future or a legacy INTX perpetual). */
export interface Product {
  /** The product id, e.g. `"BTC-USD"`, `"BIP-20DEC30-CDE"`. */
  readonly product_id: string;
  /** The last price (`""` when none). */
  readonly price?: ResponseDecimal | null;
  /** 24-hour price change, in percent. */
  readonly price_percentage_change_24h?: ResponseDecimal | null;
  /** 24-hour volume in the base asset. */
  readonly volume_24h?: ResponseDecimal | null;
  /** 24-hour volume change, in percent. */
  readonly volume_percentage_change_24h?: ResponseDecimal | null;
  /** The size step, in the base asset. */
  readonly base_increment?: ResponseDecimal | null;
  /** The quote step. */
  readonly quote_increment?: ResponseDecimal | null;
  /** Smallest order value in the quote asset. */
  readonly quote_min_size?: ResponseDecimal | null;
  /** Largest order value in the quote asset. */
  readonly quote_max_size?: ResponseDecimal | null;
  /** Smallest order size in the base asset. */
  readonly base_min_size?: ResponseDecimal | null;
  /** Largest order size in the base asset. */
  readonly base_max_size?: ResponseDecimal | null;
  /** The base asset's name. */
  readonly base_name?: string | null;
  /** The quote asset's name. */
  readonly quote_name?: string | null;
  /** Whether the user watches the product (private endpoints only). */
  readonly watched?: boolean | null;
  /** Whether the product is disabled. */
  readonly is_disabled?: boolean | null;
  /** Whether the product is new. */
  readonly new?: boolean | null;
  /** `"online"` for tradable spot products; `""` for futures. */
  readonly status?: string | null;
  /** Only cancels are accepted. */
  readonly cancel_only?: boolean | null;
  /** Only limit orders are accepted. */
  readonly limit_only?: boolean | null;
  /** Only post-only orders are accepted. */
  readonly post_only?: boolean | null;
  /** Trading is disabled. */
  readonly trading_disabled?: boolean | null;
  /** The product is in auction mode. */
  readonly auction_mode?: boolean | null;
  /** `SPOT`, `FUTURE` or `UNKNOWN_PRODUCT_TYPE`. */
  readonly product_type?: string | null;
  /** The quote currency id, e.g. `"USD"`. */
  readonly quote_currency_id?: string | null;
  /** The base currency id, e.g. `"BTC"` (`""` for futures). */
  readonly base_currency_id?: string | null;
  /** The futures trading session (`null` for spot). */
  readonly fcm_trading_session_details?: FcmTradingSessionDetails | null;
  /** The mid-market price (`""` when none). */
  readonly mid_market_price?: ResponseDecimal | null;
  /** The product this one aliases (`BTC-USDC` → `"BTC-USD"`). */
  readonly alias?: string | null;
  /** Products that alias this one. */
  readonly alias_to?: readonly string[] | null;
  /** The tick size: use this for prices. */
  readonly price_increment?: ResponseDecimal | null;
  /** A display name. */
  readonly display_name?: string | null;
  /** `CBE` (spot), `FCM` (US futures), `INTX` (legacy perpetuals) or `UNKNOWN_VENUE_TYPE`. */
  readonly product_venue?: string | null;
  /** 24-hour volume in the quote asset. */
  readonly approximate_quote_24h_volume?: ResponseDecimal | null;
  /** When the product was listed. */
  readonly new_at?: ResponseTimestamp;
  /** Futures details (`product_type: "FUTURE"` only). */
  readonly future_product_details?: FutureProductDetails | null;
  /** Fields Coinbase may add (display symbols, icons, `market_cap`, …). */
  readonly [key: string]: unknown;
}

const dec = () => maybe(responseDecimal());
const str = () => maybe(z.string());
const bool = () => maybe(z.boolean());
const time = () => z.exactOptional(timestamp());

const marginRatesSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({ long_margin_rate: dec(), short_margin_rate: dec() }),
);

const perpetualDetailsSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    open_interest: dec(),
    funding_rate: dec(),
    funding_time: time(),
    max_leverage: dec(),
  }),
);

const futureProductDetailsSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    venue: str(),
    contract_code: str(),
    contract_expiry: time(),
    contract_size: dec(),
    contract_root_unit: str(),
    contract_expiry_type: str(),
    risk_managed_by: str(),
    perpetual_details: maybe(perpetualDetailsSchema()),
    funding_interval: str(),
    funding_rate: dec(),
    funding_time: time(),
    open_interest: dec(),
    time_to_expiry_ms: dec(),
    intraday_margin_rate: maybe(marginRatesSchema()),
    overnight_margin_rate: maybe(marginRatesSchema()),
    settlement_price: dec(),
    index_price: dec(),
  }),
);

const fcmTradingSessionDetailsSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    is_session_open: bool(),
    open_time: time(),
    close_time: time(),
    session_state: str(),
    closed_reason: str(),
  }),
);

/** The product object, as parsed. */
export const productSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    product_id: z.string(),
    price: dec(),
    price_percentage_change_24h: dec(),
    volume_24h: dec(),
    volume_percentage_change_24h: dec(),
    base_increment: dec(),
    quote_increment: dec(),
    quote_min_size: dec(),
    quote_max_size: dec(),
    base_min_size: dec(),
    base_max_size: dec(),
    base_name: str(),
    quote_name: str(),
    watched: bool(),
    is_disabled: bool(),
    new: bool(),
    status: str(),
    cancel_only: bool(),
    limit_only: bool(),
    post_only: bool(),
    trading_disabled: bool(),
    auction_mode: bool(),
    product_type: str(),
    quote_currency_id: str(),
    base_currency_id: str(),
    fcm_trading_session_details: maybe(fcmTradingSessionDetailsSchema()),
    mid_market_price: dec(),
    alias: str(),
    alias_to: maybe(z.array(z.string())),
    price_increment: dec(),
    display_name: str(),
    product_venue: str(),
    approximate_quote_24h_volume: dec(),
    new_at: time(),
    future_product_details: maybe(futureProductDetailsSchema()),
  }),
);

/** `GET /products` (and `/market/products`): one page of products. */
export interface ListProductsResponse {
  /** The products on this page. */
  readonly products: readonly Product[];
  /** The number of products returned. */
  readonly num_products?: number;
  /** Pagination details (`null` in current responses). */
  readonly pagination?: unknown;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The list-products response, as parsed. */
export const listProductsResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    products: z.array(productSchema()),
    num_products: z.exactOptional(numberish()),
    pagination: z.exactOptional(z.unknown()),
  }),
);

/** One candle. `start` is the candle's open time in Unix seconds, as a string. */
export interface Candle {
  /** Open time, Unix seconds as a string (`"1712192400"`). */
  readonly start: string;
  /** Lowest price. */
  readonly low: ResponseDecimal;
  /** Highest price. */
  readonly high: ResponseDecimal;
  /** First price. */
  readonly open: ResponseDecimal;
  /** Last price. */
  readonly close: ResponseDecimal;
  /** Volume in the base asset. */
  readonly volume: ResponseDecimal;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The candle object, as parsed. */
const candleSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    start: unixSeconds(),
    low: responseDecimal(),
    high: responseDecimal(),
    open: responseDecimal(),
    close: responseDecimal(),
    volume: responseDecimal(),
  }),
);

/** `GET /products/{product_id}/candles`: candles, newest first as Coinbase sends them. */
export interface GetProductCandlesResponse {
  /** The candles, newest first. */
  readonly candles: readonly Candle[];
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The candles response, as parsed. */
export const getProductCandlesResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({ candles: z.array(candleSchema()) }),
);

/**
 * Unix seconds, as a non-negative whole number or integer text, kept as text: request params
 * (`start`, `end`) and the candle `start` Coinbase sends.
 */
export const unixSeconds = /* @__PURE__ */ z.memo(() =>
  z.pipe(
    z.union([
      z.number().check(z.int("expected whole Unix seconds"), z.gte(0)),
      z.string().check(z.regex(/^\d{1,12}$/, "expected Unix seconds as integer text")),
    ]),
    z.transform((value): string => String(value)),
  ),
);

/** Request side: a granularity name (the keys of `GRANULARITY_SECONDS`). */
export const granularityParam = /* @__PURE__ */ z.memo(() =>
  z.enum(Object.keys(GRANULARITY_SECONDS) as [Granularity, ...Granularity[]]),
);
