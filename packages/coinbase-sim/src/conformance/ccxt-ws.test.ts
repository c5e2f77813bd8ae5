/**
 * ccxt pro's coinbase watchers (`watchTicker`, `watchOrderBook`, `watchTrades`) on the simulator's
 * market-data WebSocket: only the URLs change, and ccxt accepts a plain `ws://` URL only after
 * `loadHttpProxyAgent()`. The market runs on a `ManualClock`; what ccxt builds is compared with the
 * simulator's REST answers for the same market time.
 */
import { ManualClock } from "@gpt/core";
import { pro } from "ccxt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestKey } from "../keys.js";
import { type Simulator, startSimulator } from "../server.js";

const T0 = Date.UTC(2026, 0, 10, 0, 30);
const STEP = 20 * 60_000;

/** Resolves once `condition()` holds, checking every 5 ms; rejects after `timeoutMs`. */
async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

interface RestLevel {
  readonly price: string;
  readonly size: string;
}

describe("ccxt pro's coinbase watchers against the simulator's WebSocket", { timeout: 120_000 }, () => {
  const key = createTestKey();
  const clock = new ManualClock(T0);
  let sim: Simulator;
  let exchange: InstanceType<typeof pro.coinbase>;

  async function rest<T>(path: string): Promise<T> {
    const response = await fetch(`${sim.restUrl}/api/v3/brokerage/market${path}`);
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }
  const restPrice = async () => Number((await rest<{ price: string }>("/products/BTC-USD")).price);
  const restBook = async (depth: number) => {
    const { pricebook } = await rest<{ pricebook: { bids: RestLevel[]; asks: RestLevel[] } }>(
      `/product_book?product_id=BTC-USD&limit=${depth}`,
    );
    const levels = (side: RestLevel[]) => side.map((l) => [Number(l.price), Number(l.size)]);
    return { bids: levels(pricebook.bids), asks: levels(pricebook.asks) };
  };

  beforeAll(async () => {
    sim = await startSimulator({ seed: 9, clock, keys: [key], ws: { tickMs: 5 } });
    exchange = new pro.coinbase({ apiKey: key.name, secret: key.privateKey });
    exchange.urls.api = { ...exchange.urls.api, rest: sim.restUrl, ws: sim.wsUrl };
    await exchange.loadHttpProxyAgent();
  });
  afterAll(async () => {
    await exchange.close();
    await sim.close();
  });

  it("watches the ticker, the order book and the trades (snapshots)", async () => {
    const ticker = await exchange.watchTicker("BTC/USD");
    expect(ticker.symbol).toBe("BTC/USD");
    expect(ticker.last).toBe(await restPrice());
    expect(ticker.bid).toBeLessThan(ticker.ask ?? 0);
    expect(ticker.timestamp).toBe(T0);

    const book = await exchange.watchOrderBook("BTC/USD");
    expect(book.symbol).toBe("BTC/USD");
    expect(book.bids.length).toBe(20);
    const rest20 = await restBook(20);
    expect(book.bids.slice(0, 20)).toEqual(rest20.bids);
    expect(book.asks.slice(0, 20)).toEqual(rest20.asks);
    expect(book.bids[0]?.[0]).toBe(ticker.bid);
    expect(book.asks[0]?.[0]).toBe(ticker.ask);

    const trades = await exchange.watchTrades("BTC/USD");
    expect(trades.length).toBeGreaterThan(0);
    for (const trade of trades) {
      expect(trade.symbol).toBe("BTC/USD");
      expect(trade.price).toBeGreaterThan(0);
      expect(trade.amount).toBeGreaterThan(0);
      expect(trade.timestamp).toBeLessThanOrEqual(T0);
      expect(["buy", "sell"]).toContain(trade.side);
    }
    // ccxt subscribed once per channel, nothing else.
    const received = sim.audit.wsEntries({ direction: "received" }).map((entry) => entry.channel);
    expect(received).toEqual(["ticker", "level2", "market_trades"]);
  });

  it("follows the market when the clock steps: new ticker, new trades, the book kept equal to REST", async () => {
    const nextTicker = exchange.watchTicker("BTC/USD");
    const nextTrades = exchange.watchTrades("BTC/USD");
    const nextBook = exchange.watchOrderBook("BTC/USD");
    clock.advance(STEP);
    const ticker = await nextTicker;
    expect(ticker.timestamp).toBe(T0 + STEP);
    expect(ticker.last).toBe(await restPrice());
    const trades = await nextTrades;
    expect(trades.some((trade) => (trade.timestamp ?? 0) > T0)).toBe(true);
    await nextBook;
    const rest20 = await restBook(20);
    await until(async () => {
      const book = exchange.orderbooks["BTC/USD"];
      return (
        JSON.stringify(book?.bids.slice(0, 20)) === JSON.stringify(rest20.bids) &&
        JSON.stringify(book?.asks.slice(0, 20)) === JSON.stringify(rest20.asks)
      );
    }, "ccxt's book equal to the REST book after the step");
  });
});
