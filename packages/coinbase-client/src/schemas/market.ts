/**
 * Market data: order books (`/product_book`, `/best_bid_ask`, `/market/product_book`), market
 * trades (`/products/{id}/ticker`, `/market/products/{id}/ticker`) and the server time (`/time`).
 * Prices and sizes stay decimal strings; unknown fields are kept.
 */
import * as z from "../internal/zod.js";
import { maybe, type ResponseDecimal, type ResponseTimestamp } from "./accounts.js";
import { responseDecimal, timestamp } from "./common.js";

/** One price level of a book. */
export interface BookLevel {
  /** The price. */
  readonly price: ResponseDecimal;
  /** The size resting at that price, in the base asset. */
  readonly size: ResponseDecimal;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** A product's book: bids descending, asks ascending. */
export interface PriceBook {
  /** The product id. */
  readonly product_id: string;
  /** Bids, best (highest) first. */
  readonly bids: readonly BookLevel[];
  /** Asks, best (lowest) first. */
  readonly asks: readonly BookLevel[];
  /** The book's time. */
  readonly time?: ResponseTimestamp;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

const bookLevelSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({ price: responseDecimal(), size: responseDecimal() }),
);

/** The price book object, as parsed. */
const priceBookSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    product_id: z.string(),
    bids: z.array(bookLevelSchema()),
    asks: z.array(bookLevelSchema()),
    time: z.exactOptional(timestamp()),
  }),
);

/** `GET /product_book` (and `/market/product_book`). */
export interface GetProductBookResponse {
  /** The book. */
  readonly pricebook: PriceBook;
  /** The last trade price. */
  readonly last?: ResponseDecimal | null;
  /** The mid-market price. */
  readonly mid_market?: ResponseDecimal | null;
  /** The spread in basis points. */
  readonly spread_bps?: ResponseDecimal | null;
  /** The spread in the quote currency. */
  readonly spread_absolute?: ResponseDecimal | null;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The product-book response, as parsed. */
export const getProductBookResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    pricebook: priceBookSchema(),
    last: maybe(responseDecimal()),
    mid_market: maybe(responseDecimal()),
    spread_bps: maybe(responseDecimal()),
    spread_absolute: maybe(responseDecimal()),
  }),
);

/** `GET /best_bid_ask`: the top of book of each product asked for. */
export interface GetBestBidAskResponse {
  /** One book per product, each side with one level. */
  readonly pricebooks: readonly PriceBook[];
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The best-bid-ask response, as parsed. */
export const getBestBidAskResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({ pricebooks: z.array(priceBookSchema()) }),
);

/** One public trade. */
export interface MarketTrade {
  /** The trade id. */
  readonly trade_id: string;
  /** The product id. */
  readonly product_id: string;
  /** The trade price. */
  readonly price: ResponseDecimal;
  /** The trade size, in the base asset. */
  readonly size: ResponseDecimal;
  /** The trade time. */
  readonly time: ResponseTimestamp;
  /** The **maker's** side: `BUY` or `SELL` (`UNKNOWN_ORDER_SIDE` when unknown). */
  readonly side: string;
  /** Always `""` in current responses. */
  readonly bid?: ResponseDecimal | null;
  /** Always `""` in current responses. */
  readonly ask?: ResponseDecimal | null;
  /** Fields Coinbase may add (`exchange`, …). */
  readonly [key: string]: unknown;
}

/** `GET /products/{product_id}/ticker` (and its `/market` twin): recent trades and the top of book. */
export interface GetMarketTradesResponse {
  /** Trades, newest first. */
  readonly trades: readonly MarketTrade[];
  /** The best bid. */
  readonly best_bid?: ResponseDecimal | null;
  /** The best ask. */
  readonly best_ask?: ResponseDecimal | null;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

const marketTradeSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    trade_id: z.string(),
    product_id: z.string(),
    price: responseDecimal(),
    size: responseDecimal(),
    time: timestamp(),
    side: z.string(),
    bid: maybe(responseDecimal()),
    ask: maybe(responseDecimal()),
  }),
);

/** The market-trades response, as parsed. */
export const getMarketTradesResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    trades: z.array(marketTradeSchema()),
    best_bid: maybe(responseDecimal()),
    best_ask: maybe(responseDecimal()),
  }),
);

/** `GET /time`. The only camelCase payload of the API; the epoch values are strings. */
export interface GetServerTimeResponse {
  /** RFC 3339 time, e.g. `"2024-02-27T03:37:14Z"`. */
  readonly iso: string;
  /** Unix seconds as text. */
  readonly epochSeconds: string;
  /** Unix milliseconds as text. */
  readonly epochMillis: string;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** Integer text; a JSON number is accepted and converted. */
const integerText = /* @__PURE__ */ z.memo(() =>
  z.pipe(
    z.union([
      z.string().check(z.regex(/^\d{1,16}$/, "expected integer text")),
      z.number().check(z.int(), z.gte(0)),
    ]),
    z.transform((value): string => String(value)),
  ),
);

/** The server-time response, as parsed. */
export const getServerTimeResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({ iso: z.string(), epochSeconds: integerText(), epochMillis: integerText() }),
);
