/**
 * The events of the market-data channels (heartbeats, ticker, ticker_batch, level2, market_trades,
 * candles, status) built from the replayed market, in Coinbase's shapes: every price and size a
 * decimal string on the product's increments, times in RFC 3339 with nanoseconds.
 */
import type { SimBar } from "../bars.js";
import type { FillRecord } from "../exchange.js";
import { decimalsOf, type PathPoint, type ProductMarket, type SimLevel } from "../market.js";
import type { SimProductSpec } from "../products.js";
import { priceString } from "../views.js";

/** Coinbase's candle bucket on the WebSocket: five minutes. */
const CANDLE_MS = 300_000;
/** Candles in a `candles` snapshot, per product (as Coinbase sends). */
const CANDLE_SNAPSHOT = 100;
/** Trades in a `market_trades` snapshot, per product, at most. */
const TRADE_SNAPSHOT = 100;

/** RFC 3339 with nanoseconds, as Coinbase stamps envelopes (`2026-08-09T21:05:48.228568804Z`). */
export function wsTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, -1)}000000Z`;
}

/** Go's `time.Time` text, as `heartbeats` carry it (`2026-08-09 21:05:48.854840045 +0000 UTC m=+41691.260485341`). */
export function goTime(ms: number, sinceStartMs: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000000 +0000 UTC m=+${(sinceStartMs / 1000).toFixed(9)}`;
}

/** A size as Coinbase prints it: on the product's size step. */
function sizeString(spec: SimProductSpec, size: number): string {
  return size.toFixed(decimalsOf(spec.baseIncrement));
}

/** One side of a book as price text → size text, best first. */
type BookSideText = ReadonlyMap<string, string>;

/** A book as the WebSocket shows it: bids and offers keyed by price text. */
export interface BookText {
  readonly bids: BookSideText;
  readonly offers: BookSideText;
}

/** The synthetic book of `market` at `nowMs` as text (empty before the first bar). */
export function bookText(market: ProductMarket, nowMs: number): BookText {
  const book = market.book(nowMs);
  const side = (levels: readonly SimLevel[] | undefined): Map<string, string> =>
    new Map((levels ?? []).map((l) => [priceString(market.spec, l.price), sizeString(market.spec, l.size)]));
  return { bids: side(book?.bids), offers: side(book?.asks) };
}

/** A level-2 change in Coinbase's shape. */
export interface L2Change {
  readonly side: "bid" | "offer";
  readonly event_time: string;
  readonly price_level: string;
  readonly new_quantity: string;
}

/** Every level of a book, bids then offers, best first: the `updates` of a level-2 snapshot. */
export function l2Snapshot(book: BookText, time: string): L2Change[] {
  const out: L2Change[] = [];
  for (const [price, size] of book.bids)
    out.push({ side: "bid", event_time: time, price_level: price, new_quantity: size });
  for (const [price, size] of book.offers)
    out.push({ side: "offer", event_time: time, price_level: price, new_quantity: size });
  return out;
}

/** The changes from `before` to `after` (new sizes, and `"0"` for levels that went away). */
export function l2Diff(before: BookText, after: BookText, time: string): L2Change[] {
  const out: L2Change[] = [];
  const side = (name: "bid" | "offer", a: BookSideText, b: BookSideText): void => {
    for (const [price] of a) {
      if (!b.has(price)) out.push({ side: name, event_time: time, price_level: price, new_quantity: "0" });
    }
    for (const [price, size] of b) {
      if (a.get(price) !== size)
        out.push({ side: name, event_time: time, price_level: price, new_quantity: size });
    }
  };
  side("bid", before.bids, after.bids);
  side("offer", before.offers, after.offers);
  return out;
}

/** A public trade in Coinbase's shape (`side` is the maker's side). */
export interface WsTradeFrame {
  readonly trade_id: string;
  readonly product_id: string;
  readonly price: string;
  readonly size: string;
  readonly side: "BUY" | "SELL";
  readonly time: string;
}

/**
 * The prints of the replayed path in `(fromMs, toMs]` as trades, newest first (as Coinbase lists
 * them). A print at or above the one before is a buyer lifting the offer: the maker sold.
 */
export function tradesBetween(
  market: ProductMarket,
  fromMs: number,
  toMs: number,
  limit = Infinity,
): WsTradeFrame[] {
  const points = market.pathBetween(fromMs, toMs);
  let previous = market.priceAt(fromMs) ?? points[0]?.price ?? 0;
  const trades: WsTradeFrame[] = [];
  for (const point of points) {
    trades.push(tradeOf(market.spec, point, point.price >= previous ? "SELL" : "BUY"));
    previous = point.price;
  }
  return trades.slice(-limit).reverse();
}

function tradeOf(spec: SimProductSpec, point: PathPoint, side: "BUY" | "SELL"): WsTradeFrame {
  return {
    trade_id: String(point.time),
    product_id: spec.productId,
    price: priceString(spec, point.price),
    size: sizeString(spec, point.size),
    side,
    time: new Date(point.time).toISOString(),
  };
}

/**
 * A fill of one of the simulator's own orders as a public trade: its `trade_id`, price and size on
 * the product's increments, and the maker's side (the order's own side when it rested, the
 * opposite side when it took).
 */
export function ownTrade(spec: SimProductSpec, fill: FillRecord): WsTradeFrame {
  const opposite = fill.side === "BUY" ? "SELL" : "BUY";
  return {
    trade_id: fill.tradeId,
    product_id: fill.productId,
    price: fill.price.toFixed(decimalsOf(spec.priceIncrement)),
    size: fill.size.toFixed(decimalsOf(spec.baseIncrement)),
    side: fill.liquidity === "MAKER" ? fill.side : opposite,
    time: new Date(fill.timeMs).toISOString(),
  };
}

/**
 * The recent trades of a `market_trades` snapshot: the prints of the last two bars (or hour) and
 * the simulator's own fills of the product in that time (`fills` in the order they happened),
 * newest first, at most 100.
 */
export function recentTrades(
  market: ProductMarket,
  nowMs: number,
  fills: readonly FillRecord[] = [],
): WsTradeFrame[] {
  const fromMs = nowMs - Math.max(market.intervalMs * 2, 3_600_000);
  const trades = tradesBetween(market, fromMs, nowMs, TRADE_SNAPSHOT);
  const own: WsTradeFrame[] = [];
  // Fills are appended as the market time moves on: scan back until one is older than the window.
  for (let i = fills.length - 1; i >= 0 && own.length < TRADE_SNAPSHOT; i -= 1) {
    const fill = fills[i] as FillRecord;
    if (fill.timeMs <= fromMs) break;
    if (fill.productId === market.spec.productId && fill.timeMs <= nowMs)
      own.push(ownTrade(market.spec, fill));
  }
  if (own.length === 0) return trades;
  return [...trades, ...own].sort((a, b) => Date.parse(b.time) - Date.parse(a.time)).slice(0, TRADE_SNAPSHOT);
}

/** A 5-minute candle in Coinbase's shape. */
export interface WsCandleFrame {
  readonly start: string;
  readonly high: string;
  readonly low: string;
  readonly open: string;
  readonly close: string;
  readonly volume: string;
  readonly product_id: string;
}

/**
 * The 5-minute candle starting at `startMs`, as far as `nowMs`: open and close are the path price
 * at its ends, high and low also take every print inside, volume is the prints' sizes.
 */
export function candleAt(market: ProductMarket, startMs: number, nowMs: number): WsCandleFrame | undefined {
  const end = Math.min(nowMs, startMs + CANDLE_MS - 1);
  const open = market.priceAt(startMs);
  const close = market.priceAt(end);
  if (open === undefined || close === undefined) return undefined;
  let high = Math.max(open, close);
  let low = Math.min(open, close);
  let volume = 0;
  for (const point of market.pathBetween(startMs - 1, end)) {
    high = Math.max(high, point.price);
    low = Math.min(low, point.price);
    volume += point.size;
  }
  const spec = market.spec;
  return {
    start: String(startMs / 1000),
    high: priceString(spec, high),
    low: priceString(spec, low),
    open: priceString(spec, open),
    close: priceString(spec, close),
    volume: sizeString(spec, volume),
    product_id: spec.productId,
  };
}

/** The start of the 5-minute bucket holding `ms`. */
export function candleStart(ms: number): number {
  return Math.floor(ms / CANDLE_MS) * CANDLE_MS;
}

/** The last 100 candles up to the running one, oldest first (a `candles` snapshot). */
export function candleSnapshot(market: ProductMarket, nowMs: number): WsCandleFrame[] {
  const out: WsCandleFrame[] = [];
  const current = candleStart(nowMs);
  for (let i = CANDLE_SNAPSHOT - 1; i >= 0; i--) {
    const candle = candleAt(market, current - i * CANDLE_MS, nowMs);
    if (candle !== undefined) out.push(candle);
  }
  return out;
}

/** Day and year ranges of the completed bars, cached per bar count (the 52-week scan is long). */
export class BarStats {
  readonly #cache = new Map<string, { count: number; stats: RangeStats }>();

  /** The 24-hour and 52-week figures of `market` from the bars completed at `nowMs`. */
  of(market: ProductMarket, nowMs: number): RangeStats {
    const bars = market.completedBars(nowMs);
    const cached = this.#cache.get(market.spec.productId);
    if (cached !== undefined && cached.count === bars.length) return cached.stats;
    const perDay = Math.max(1, Math.round(86_400 / market.series.intervalSeconds));
    const stats = { day: range(bars.slice(-perDay)), year: range(bars.slice(-perDay * 365)) };
    this.#cache.set(market.spec.productId, { count: bars.length, stats });
    return stats;
  }
}

/** Ranges over the last day and the last year of bars. */
export interface RangeStats {
  readonly day: BarRange;
  readonly year: BarRange;
}

/** Low, high, volume and first open of some bars (undefined figures when there are none). */
interface BarRange {
  readonly low: number | undefined;
  readonly high: number | undefined;
  readonly volume: number;
  readonly open: number | undefined;
}

function range(bars: readonly SimBar[]): BarRange {
  let low: number | undefined;
  let high: number | undefined;
  let volume = 0;
  for (const bar of bars) {
    low = low === undefined ? bar.low : Math.min(low, bar.low);
    high = high === undefined ? bar.high : Math.max(high, bar.high);
    volume += bar.volume;
  }
  return { low, high, volume, open: bars[0]?.open };
}

/** A ticker in Coinbase's shape; `ticker_batch` leaves out the best bid/ask fields. */
export type WsTickerFrame = Readonly<Record<string, string>>;

/**
 * The ticker of `market` at `nowMs`: the path price, 24-hour and 52-week figures of the completed
 * bars (with the current price), and the best bid and ask of the synthetic book (when `withBook`).
 */
export function tickerAt(
  market: ProductMarket,
  nowMs: number,
  stats: RangeStats,
  withBook: boolean,
): WsTickerFrame | undefined {
  const price = market.priceAt(nowMs);
  if (price === undefined) return undefined;
  const spec = market.spec;
  const lowHigh = (r: BarRange): [string, string] => [
    priceString(spec, Math.min(r.low ?? price, price)),
    priceString(spec, Math.max(r.high ?? price, price)),
  ];
  const [low24, high24] = lowHigh(stats.day);
  const [low52, high52] = lowHigh(stats.year);
  const open = stats.day.open;
  const ticker: Record<string, string> = {
    type: "ticker",
    product_id: spec.productId,
    price: priceString(spec, price),
    volume_24_h: stats.day.volume.toFixed(8),
    low_24_h: low24,
    high_24_h: high24,
    low_52_w: low52,
    high_52_w: high52,
    price_percent_chg_24_h: open === undefined ? "0" : (((price - open) / open) * 100).toFixed(8),
  };
  if (withBook) {
    const book = market.book(nowMs);
    const bid = book?.bids[0];
    const ask = book?.asks[0];
    ticker.best_bid = bid === undefined ? "" : priceString(spec, bid.price);
    ticker.best_bid_quantity = bid === undefined ? "" : sizeString(spec, bid.size);
    ticker.best_ask = ask === undefined ? "" : priceString(spec, ask.price);
    ticker.best_ask_quantity = ask === undefined ? "" : sizeString(spec, ask.size);
  }
  return ticker;
}

/** A product of the `status` channel. */
export function statusProduct(spec: SimProductSpec): Record<string, string> {
  return {
    product_type: spec.kind === "spot" ? "SPOT" : "FUTURE",
    id: spec.productId,
    base_currency: spec.baseCurrency,
    quote_currency: spec.quoteCurrency,
    base_increment: spec.baseIncrement,
    quote_increment: spec.quoteIncrement,
    display_name: spec.displayName,
    status: "online",
    status_message: "",
    min_market_funds: spec.quoteMinSize,
  };
}
