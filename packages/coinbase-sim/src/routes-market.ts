import type { SimBar } from "./bars.js";
import {
  intParam,
  invalid,
  notFound,
  ok,
  type Route,
  type RouteContext,
  type RouteResult,
} from "./http-types.js";
import { decimalsOf, type ProductMarket } from "./market.js";
import { candleView, iso, priceString, productView } from "./views.js";

const GRANULARITIES: Readonly<Record<string, number>> = {
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

/** Coinbase's per-request candle limit. */
const MAX_CANDLES = 350;

function marketOf(context: RouteContext, productId: string | undefined): ProductMarket | undefined {
  return productId === undefined ? undefined : context.exchange.markets.get(productId);
}

function listProducts(context: RouteContext): RouteResult {
  const limit = intParam(context.query, "limit", Number.MAX_SAFE_INTEGER);
  const offset = intParam(context.query, "offset", 0);
  if (limit === undefined || offset === undefined) return invalid("limit and offset must be integers");
  const ids = context.query.getAll("product_ids");
  const type = context.query.get("product_type");
  const expiry = context.query.get("contract_expiry_type");
  const all = [...context.exchange.markets.values()].filter(
    (market) =>
      (ids.length === 0 || ids.includes(market.spec.productId)) &&
      (type === null ||
        type === "" ||
        type === "UNKNOWN_PRODUCT_TYPE" ||
        (type === "SPOT") === (market.spec.kind === "spot")) &&
      // CFM perp-style futures are EXPIRING contracts (they have an expiry); INTX perps are PERPETUAL.
      (expiry === null ||
        expiry === "" ||
        expiry === "UNKNOWN_CONTRACT_EXPIRY_TYPE" ||
        (market.spec.kind === "cfm" && expiry === "EXPIRING") ||
        (market.spec.kind === "intx" && expiry === "PERPETUAL")),
  );
  const page = all.slice(offset, offset + (limit === 0 ? all.length : limit));
  const products = page.map((market) => productView(market, context.nowMs, context.fundingRate));
  // Coinbase sends `pagination: null` beside `num_products` (the recorded product lists do).
  return ok({ products, num_products: all.length, pagination: null });
}

function getProduct(context: RouteContext): RouteResult {
  const market = marketOf(context, context.params[0]);
  if (market === undefined) return notFound("ProductID is invalid");
  return ok(productView(market, context.nowMs, context.fundingRate));
}

function aggregate(bars: readonly SimBar[], seconds: number): SimBar[] {
  const out: SimBar[] = [];
  for (const bar of bars) {
    const start = Math.floor(bar.time / seconds) * seconds;
    const last = out[out.length - 1];
    if (last !== undefined && last.time === start) {
      out[out.length - 1] = {
        time: start,
        open: last.open,
        high: Math.max(last.high, bar.high),
        low: Math.min(last.low, bar.low),
        close: bar.close,
        volume: last.volume + bar.volume,
      };
    } else {
      out.push({ ...bar, time: start });
    }
  }
  return out;
}

function candles(context: RouteContext): RouteResult {
  const market = marketOf(context, context.params[0]);
  if (market === undefined) return notFound("ProductID is invalid");
  const seconds = GRANULARITIES[context.query.get("granularity") ?? ""];
  const start = Number(context.query.get("start") ?? Number.NaN);
  const end = Number(context.query.get("end") ?? Number.NaN);
  if (seconds === undefined) return invalid("granularity is not valid");
  if (!Number.isInteger(start) || !Number.isInteger(end) || start > end)
    return invalid("start and end must be Unix seconds, start <= end");
  const limit = intParam(context.query, "limit", MAX_CANDLES);
  if (limit === undefined || limit > MAX_CANDLES) return invalid(`limit must be at most ${MAX_CANDLES}`);
  if (Math.floor((end - start) / seconds) + 1 > MAX_CANDLES) {
    return invalid(`number of candles requested should be less than ${MAX_CANDLES}`);
  }
  if (seconds < market.series.intervalSeconds || seconds % market.series.intervalSeconds !== 0) {
    return invalid(
      `the simulator replays ${market.series.intervalSeconds}s bars: granularity must be a multiple of it`,
    );
  }
  const done = market.completedBars(context.nowMs);
  const grouped = aggregate(done, seconds).filter((bar) => bar.time + seconds <= context.nowMs / 1000);
  const picked = grouped.filter((bar) => bar.time >= start && bar.time <= end).slice(-limit);
  return ok({ candles: picked.reverse().map((bar) => candleView(market.spec, bar)) });
}

function sizeText(market: ProductMarket, size: number): string {
  return size.toFixed(decimalsOf(market.spec.baseIncrement));
}

function ticker(context: RouteContext): RouteResult {
  const market = marketOf(context, context.params[0]);
  if (market === undefined) return notFound("ProductID is invalid");
  const limit = intParam(context.query, "limit", 100);
  if (limit === undefined) return invalid("limit must be an integer");
  const lookback = Math.max(market.intervalMs * 2, 3_600_000);
  const points = market.pathBetween(context.nowMs - lookback, context.nowMs).slice(-Math.max(1, limit));
  const book = market.book(context.nowMs);
  const trades = points.reverse().map((point, i) => ({
    trade_id: String(Math.floor(point.time / 1000) * 10 + i),
    product_id: market.spec.productId,
    price: priceString(market.spec, point.price),
    size: sizeText(market, point.size),
    time: iso(point.time),
    side: (points[i + 1]?.price ?? point.price) <= point.price ? "SELL" : "BUY",
    bid: "",
    ask: "",
    exchange: "coinbase",
  }));
  return ok({
    trades,
    best_bid: book?.bids[0] === undefined ? "" : priceString(market.spec, book.bids[0].price),
    best_ask: book?.asks[0] === undefined ? "" : priceString(market.spec, book.asks[0].price),
  });
}

function pricebook(market: ProductMarket, nowMs: number, depth: number): Record<string, unknown> {
  const book = market.book(nowMs) ?? { bids: [], asks: [] };
  const level = (l: { price: number; size: number }) => ({
    price: priceString(market.spec, l.price),
    size: sizeText(market, l.size),
  });
  return {
    product_id: market.spec.productId,
    bids: book.bids.slice(0, depth).map(level),
    asks: book.asks.slice(0, depth).map(level),
    time: iso(nowMs),
  };
}

function productBook(context: RouteContext): RouteResult {
  const market = marketOf(context, context.query.get("product_id") ?? undefined);
  if (market === undefined) return notFound("ProductID is invalid");
  const limit = intParam(context.query, "limit", 50);
  if (limit === undefined) return invalid("limit must be an integer");
  const book = pricebook(market, context.nowMs, limit === 0 ? 50 : limit);
  const full = market.book(context.nowMs);
  const bid = full?.bids[0]?.price ?? 0;
  const ask = full?.asks[0]?.price ?? 0;
  const mid = (bid + ask) / 2;
  const last = market.priceAt(context.nowMs) ?? 0;
  return ok({
    pricebook: book,
    last: priceString(market.spec, last),
    mid_market: priceString(market.spec, mid),
    spread_bps: mid > 0 ? (((ask - bid) / mid) * 10_000).toFixed(4) : "0",
    spread_absolute: priceString(market.spec, ask - bid),
  });
}

function bestBidAsk(context: RouteContext): RouteResult {
  const ids = context.query.getAll("product_ids");
  const markets = [...context.exchange.markets.values()].filter(
    (market) => ids.length === 0 || ids.includes(market.spec.productId),
  );
  return ok({ pricebooks: markets.map((market) => pricebook(market, context.nowMs, 1)) });
}

function time(context: RouteContext): RouteResult {
  return ok({
    iso: iso(context.nowMs),
    epochSeconds: String(Math.floor(context.nowMs / 1000)),
    epochMillis: String(context.nowMs),
  });
}

const ID = "([A-Za-z0-9-]+)";

/** The market-data routes: `/time`, products, candles, ticker, book, best bid/ask (and the public twins). */
export const MARKET_ROUTES: readonly Route[] = [
  { method: "GET", pattern: /^\/time$/, private: false, handler: time },
  { method: "GET", pattern: /^\/market\/products$/, private: false, handler: listProducts },
  { method: "GET", pattern: new RegExp(`^/market/products/${ID}$`), private: false, handler: getProduct },
  {
    method: "GET",
    pattern: new RegExp(`^/market/products/${ID}/candles$`),
    private: false,
    handler: candles,
  },
  { method: "GET", pattern: new RegExp(`^/market/products/${ID}/ticker$`), private: false, handler: ticker },
  { method: "GET", pattern: /^\/market\/product_book$/, private: false, handler: productBook },
  { method: "GET", pattern: /^\/products$/, private: true, handler: listProducts },
  { method: "GET", pattern: new RegExp(`^/products/${ID}$`), private: true, handler: getProduct },
  { method: "GET", pattern: new RegExp(`^/products/${ID}/candles$`), private: true, handler: candles },
  { method: "GET", pattern: new RegExp(`^/products/${ID}/ticker$`), private: true, handler: ticker },
  { method: "GET", pattern: /^\/product_book$/, private: true, handler: productBook },
  { method: "GET", pattern: /^\/best_bid_ask$/, private: true, handler: bestBidAsk },
];
