/**
 * ccxt's `coinbase` exchange (a client nobody here wrote) against the simulator: only the base URL
 * changes, the key is a `createTestKey()` key given as ccxt wants it (name as `apiKey`, PEM as
 * `secret`). What ccxt does on its own (its JWT, query strings, bodies, client order ids, the
 * v2 currency calls of `loadMarkets`) is what the simulator must answer.
 */
import { createPrivateKey } from "node:crypto";
import { ManualClock } from "@gpt/core";
import { coinbase as CcxtCoinbase } from "ccxt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestKey } from "../keys.js";
import { type Simulator, startSimulator } from "../server.js";

const T0 = Date.UTC(2026, 0, 10, 0, 30);
const HOUR = 3_600_000;

describe("ccxt's coinbase exchange against the simulator (REST)", { timeout: 120_000 }, () => {
  const key = createTestKey();
  let sim: Simulator;
  let exchange: CcxtCoinbase;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 11, clock: new ManualClock(T0), keys: [key] });
    exchange = new CcxtCoinbase({ apiKey: key.name, secret: key.privateKey });
    exchange.urls.api = { ...exchange.urls.api, rest: sim.restUrl };
  });
  afterAll(async () => {
    await exchange.close();
    await sim.close();
  });

  it("loads the markets (Advanced Trade products, the fee tier and the v2 currencies)", async () => {
    const markets = await exchange.loadMarkets();
    const btc = markets["BTC/USD"];
    expect(btc?.id).toBe("BTC-USD");
    expect(btc?.spot).toBe(true);
    expect(btc?.precision.amount).toBe(0.00000001);
    expect(btc?.precision.price).toBe(0.01);
    expect(btc?.taker).toBe(0.006);
    expect(btc?.maker).toBe(0.004);
    expect(markets["ETH/USD"]?.id).toBe("ETH-USD");
    const bip = markets["BTC/USD:USD-301220"];
    expect(bip?.id).toBe("BIP-20DEC30-CDE");
    expect(bip?.contract).toBe(true);
    expect(bip?.contractSize).toBe(0.01);
    expect(markets["ETH/USD:USD-301220"]?.id).toBe("ETP-20DEC30-CDE");
    expect(exchange.currencies.BTC?.id).toBe("BTC");
    expect(exchange.currencies.USD?.id).toBe("USD");
    const paths = sim.audit.entries({ method: "GET" }).map((entry) => entry.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "/v2/currencies",
        "/v2/currencies/crypto",
        "/v2/exchange-rates",
        "/market/products",
      ]),
    );
    expect(sim.audit.entries().every((entry) => entry.status === 200)).toBe(true);
  });

  it("fetches candles and the order book", async () => {
    const since = T0 - 10 * HOUR;
    const candles = await exchange.fetchOHLCV("BTC/USD", "1h", since, 5);
    expect(candles.length).toBe(5);
    for (const [i, candle] of candles.entries()) {
      const [time, open, high, low, close, volume] = candle as number[];
      expect(time).toBe(Math.ceil(since / HOUR) * HOUR + i * HOUR);
      expect(high).toBeGreaterThanOrEqual(Math.max(open ?? 0, close ?? 0));
      expect(low).toBeLessThanOrEqual(Math.min(open ?? 0, close ?? 0));
      expect(volume).toBeGreaterThan(0);
    }
    const book = await exchange.fetchOrderBook("BTC/USD", 5);
    expect(book.bids.length).toBe(5);
    expect(book.asks.length).toBe(5);
    const bestBid = book.bids[0]?.[0] ?? 0;
    const bestAsk = book.asks[0]?.[0] ?? 0;
    expect(bestBid).toBeGreaterThan(0);
    expect(bestBid).toBeLessThan(bestAsk);
    expect(book.bids[1]?.[0]).toBeLessThan(bestBid);
    expect(book.asks[1]?.[0]).toBeGreaterThan(bestAsk);
  });

  it("reads the spot balances (v3 accounts) and the futures balance summary", async () => {
    const spot = await exchange.fetchBalance({ v3: true });
    // ccxt adds up every USD account: the spot wallet (100,000) and the CFM USD account (50,000).
    const accounts = (spot.info as { accounts: { currency: string; available_balance: { value: string } }[] })
      .accounts;
    const usd = accounts.filter((account) => account.currency === "USD");
    expect(usd.map((account) => account.available_balance.value).sort()).toEqual(["100000", "50000"]);
    expect(spot.USD?.free).toBe(150_000);
    expect(spot.BTC?.free).toBe(1);
    expect(spot.ETH?.free).toBe(10);
    const futures = await exchange.fetchBalance({ type: "future" });
    const summary = (futures.info as { balance_summary?: { cfm_usd_balance?: { value?: string } } })
      .balance_summary;
    expect(summary?.cfm_usd_balance?.value).toBe("50000");
  });

  it("signs with an Ed25519 key in CDP's base64 form (its JWT names the request in `uris`)", async () => {
    const ed = createTestKey("EdDSA");
    sim.addKey(ed);
    const jwk = createPrivateKey(ed.privateKey).export({ format: "jwk" });
    const secret = Buffer.concat([
      Buffer.from(jwk.d ?? "", "base64url"),
      Buffer.from(jwk.x ?? "", "base64url"),
    ]).toString("base64");
    const edExchange = new CcxtCoinbase({ apiKey: ed.name, secret });
    edExchange.urls.api = { ...edExchange.urls.api, rest: sim.restUrl };
    try {
      const balance = await edExchange.fetchBalance({ v3: true });
      expect(balance.BTC?.total).toBe(1);
      const signed = sim.audit.entries({ path: "/accounts" }).filter((entry) => entry.keyName === ed.name);
      expect(signed.map((entry) => entry.status)).toEqual([200]);
    } finally {
      await edExchange.close();
    }
  });

  it("places a limit and a market order, lists, fetches and cancels, and reads the fills", async () => {
    const limit = await exchange.createOrder("BTC/USD", "limit", "buy", 0.001, 1000);
    const limitId = String(limit.id);
    expect(limitId).toMatch(/^[0-9a-f-]{36}$/);
    const resting = await exchange.fetchOrder(limitId, "BTC/USD");
    expect(resting.status).toBe("open");
    expect(resting.type).toBe("limit");
    expect(resting.side).toBe("buy");
    expect(resting.price).toBe(1000);
    expect(resting.amount).toBe(0.001);
    expect(resting.filled).toBe(0);
    expect(resting.clientOrderId).toBe(limit.clientOrderId);
    const held = await exchange.fetchBalance({ v3: true });
    expect(held.USD?.used).toBeGreaterThan(0);

    // ccxt turns a market buy into a quote size (amount × price) as Coinbase wants it.
    const market = await exchange.createOrder("BTC/USD", "market", "buy", 0.001, 60_000);
    const marketId = String(market.id);
    const filled = await exchange.fetchOrder(marketId, "BTC/USD");
    expect(filled.status).toBe("closed");
    expect(filled.filled).toBeGreaterThan(0);
    expect(filled.average).toBeGreaterThan(0);

    const open = await exchange.fetchOpenOrders("BTC/USD");
    expect(open.map((order) => order.id)).toEqual([limitId]);

    const cancelled = await exchange.cancelOrder(limitId, "BTC/USD");
    expect(cancelled.id).toBe(limitId);
    expect((await exchange.fetchOrder(limitId, "BTC/USD")).status).toBe("canceled");
    expect(await exchange.fetchOpenOrders("BTC/USD")).toEqual([]);

    const trades = await exchange.fetchMyTrades("BTC/USD");
    expect(trades.length).toBeGreaterThan(0);
    for (const trade of trades) {
      expect(trade.order).toBe(marketId);
      expect(trade.side).toBe("buy");
      expect(trade.symbol).toBe("BTC/USD");
      expect(trade.price).toBeGreaterThan(0);
      expect(trade.fee?.cost).toBeGreaterThan(0);
    }
    const spent = trades.reduce((sum, trade) => sum + (trade.cost ?? 0), 0);
    expect(spent).toBeCloseTo(60, 0);

    // ccxt's own client order ids reached the exchange once each.
    expect(sim.audit.duplicates()).toEqual([]);
    const ids = sim.audit.clientOrders().map((entry) => entry.clientOrderId);
    expect(ids).toEqual(expect.arrayContaining([limit.clientOrderId, market.clientOrderId]));
  });
});
