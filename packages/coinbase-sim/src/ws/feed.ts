/**
 * The market side of the WebSocket feeds: the replayed market stepped to the simulator's clock,
 * and what each step changed per product (new prints, the ticker, the 5-minute candles, the book).
 * The WebSocket server turns a step into messages for the connections subscribed to each product.
 */
import type { FillRecord } from "../exchange.js";
import type { ProductMarket } from "../market.js";
import {
  BarStats,
  type BookText,
  bookText,
  candleAt,
  candleSnapshot,
  candleStart,
  recentTrades,
  tickerAt,
  tradesBetween,
  type WsCandleFrame,
  type WsTickerFrame,
  type WsTradeFrame,
} from "./market-frames.js";

/** `ticker_batch` goes out every 5 s when something changed. */
const BATCH_MS = 5_000;
/** Prints sent in one `market_trades` update at most (a clock jump of weeks would be huge). */
const MAX_TRADES = 1_000;

/** What one step changed for one product. */
export interface ProductStep {
  readonly productId: string;
  /** New prints, newest first (empty when none). */
  readonly trades: readonly WsTradeFrame[];
  /** The ticker, when it changed. */
  readonly ticker?: WsTickerFrame;
  /** The `ticker_batch` ticker, when 5 s passed and it changed. */
  readonly tickerBatch?: WsTickerFrame;
  /** Candles that changed: the one that just closed (its final state) and the running one. */
  readonly candles: readonly WsCandleFrame[];
}

interface ProductState {
  book: BookText;
  ticker: string;
  batch: string;
  batchAt: number;
  candleStart: number;
  candle: string;
}

/** The replayed market as the feeds see it (see the file comment). */
export class MarketFeed {
  readonly #markets: ReadonlyMap<string, ProductMarket>;
  readonly #stats = new BarStats();
  readonly #state = new Map<string, ProductState>();
  #now: number | undefined;

  constructor(markets: ReadonlyMap<string, ProductMarket>) {
    this.#markets = markets;
  }

  /** The time of the last step, or `undefined` before the first. */
  get now(): number | undefined {
    return this.#now;
  }

  /**
   * Steps to `nowMs`. The first step only sets the starting state (nothing changed yet); a step to a
   * time not after the last one changes nothing and returns `[]`.
   */
  step(nowMs: number): ProductStep[] {
    const from = this.#now;
    if (from !== undefined && nowMs <= from) return [];
    this.#now = nowMs;
    const steps: ProductStep[] = [];
    for (const [productId, market] of this.#markets) {
      const previous = this.#state.get(productId);
      const state = this.#fresh(market, nowMs, previous);
      this.#state.set(productId, state);
      if (previous === undefined || from === undefined) continue;
      const candles: WsCandleFrame[] = [];
      const rolled = state.candleStart !== previous.candleStart;
      if (rolled) {
        const closed = candleAt(market, previous.candleStart, nowMs);
        if (closed !== undefined && JSON.stringify(closed) !== previous.candle) candles.push(closed);
      }
      if (state.candle !== "" && (rolled || state.candle !== previous.candle))
        candles.push(JSON.parse(state.candle));
      const step: {
        -readonly [K in keyof ProductStep]: ProductStep[K];
      } = {
        productId,
        trades: tradesBetween(market, from, nowMs, MAX_TRADES),
        candles,
      };
      if (state.ticker !== previous.ticker && state.ticker !== "") step.ticker = JSON.parse(state.ticker);
      if (state.batchAt === nowMs && state.batch !== previous.batch && state.batch !== "")
        step.tickerBatch = JSON.parse(state.batch);
      steps.push(step);
    }
    return steps;
  }

  #fresh(market: ProductMarket, nowMs: number, previous: ProductState | undefined): ProductState {
    const stats = this.#stats.of(market, nowMs);
    const ticker = tickerAt(market, nowMs, stats, true);
    const batchDue = previous === undefined || nowMs - previous.batchAt >= BATCH_MS;
    const batch = batchDue ? tickerAt(market, nowMs, stats, false) : undefined;
    const start = candleStart(nowMs);
    const candle = candleAt(market, start, nowMs);
    return {
      book: bookText(market, nowMs),
      ticker: ticker === undefined ? "" : JSON.stringify(ticker),
      batch: batchDue ? (batch === undefined ? "" : JSON.stringify(batch)) : (previous?.batch ?? ""),
      batchAt: batchDue ? nowMs : (previous?.batchAt ?? nowMs),
      candleStart: start,
      candle: candle === undefined ? "" : JSON.stringify(candle),
    };
  }

  /** The book of a product at the last step (empty before the first bar or the first step). */
  book(productId: string): BookText {
    return this.#state.get(productId)?.book ?? { bids: new Map(), offers: new Map() };
  }

  /** The ticker of a `ticker` (`withBook`) or `ticker_batch` snapshot at the last step. */
  tickerSnapshot(productId: string, withBook: boolean): WsTickerFrame | undefined {
    const market = this.#markets.get(productId);
    if (market === undefined || this.#now === undefined) return undefined;
    return tickerAt(market, this.#now, this.#stats.of(market, this.#now), withBook);
  }

  /** The recent trades of a `market_trades` snapshot, newest first, with the simulator's own `fills`. */
  tradeSnapshot(productId: string, fills: readonly FillRecord[] = []): WsTradeFrame[] {
    const market = this.#markets.get(productId);
    return market === undefined || this.#now === undefined ? [] : recentTrades(market, this.#now, fills);
  }

  /** The candles of a `candles` snapshot, oldest first. */
  candleSnapshot(productId: string): WsCandleFrame[] {
    const market = this.#markets.get(productId);
    return market === undefined || this.#now === undefined ? [] : candleSnapshot(market, this.#now);
  }
}
