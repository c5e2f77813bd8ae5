import type { CoinbaseClient } from "@gpt/coinbase-client";
import { ManualClock } from "@gpt/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "./server.js";
import { testClient } from "./test-client.js";
import { ecKey, edKey } from "./test-keys.js";

const T0 = Date.UTC(2026, 0, 10, 0, 30);

describe("the simulator driven by @gpt/coinbase-client", { timeout: 60_000 }, () => {
  const key = ecKey();
  const clock = new ManualClock(T0);
  let sim: Simulator;
  let client: CoinbaseClient;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 7, clock, keys: [{ name: key.name, publicKey: key.publicKey }] });
    client = testClient(sim.restUrl, key);
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it("serves the time, products, candles, the book and the ticker", async () => {
    const time = await client.getServerTime();
    expect(time.epochMillis).toBe(String(T0));
    const { products, num_products } = await client.listProducts({});
    expect(num_products).toBe(4);
    expect(products.map((p) => p.product_id)).toEqual([
      "BTC-USD",
      "ETH-USD",
      "BIP-20DEC30-CDE",
      "ETP-20DEC30-CDE",
    ]);
    const bip = await client.getProduct({ product_id: "BIP-20DEC30-CDE" });
    expect(bip.price_increment).toBe("5");
    expect(bip.future_product_details?.contract_size).toBe("0.01");
    const { candles } = await client.getProductCandles({
      product_id: "BTC-USD",
      granularity: "ONE_HOUR",
      start: T0 / 1000 - 10 * 3600,
      end: T0 / 1000,
    });
    // 14:30 → 00:30: the bars opening 15:00 … 23:00 have closed; 00:00's is still running.
    expect(candles.length).toBe(9);
    expect(Number(candles[0]?.start)).toBeGreaterThan(Number(candles[1]?.start));
    const book = await client.getProductBook({ product_id: "BTC-USD", limit: 5 });
    expect(book.pricebook.bids.length).toBe(5);
    expect(Number(book.pricebook.bids[0]?.price)).toBeLessThan(Number(book.pricebook.asks[0]?.price));
    const ticker = await client.getMarketTrades({ product_id: "BTC-USD", limit: 3 });
    expect(ticker.trades.length).toBe(3);
    const pub = await client.getPublicProduct({ product_id: "ETH-USD" });
    expect(pub.product_id).toBe("ETH-USD");
  });

  it("places a market buy, fills it at once, and books the balances and the fill", async () => {
    const before = await client.listAccounts({});
    const usdBefore = before.accounts.find((a) => a.currency === "USD");
    expect(usdBefore?.available_balance.value).toBe("100000");
    const result = await client.createOrder({
      client_order_id: "buy-1",
      product_id: "BTC-USD",
      side: "BUY",
      order_configuration: { market_market_ioc: { quote_size: "1000" } },
    });
    expect(result.success).toBe(true);
    if (!result.success) return;
    const { order } = await client.getOrder({ order_id: result.orderId });
    expect(order.status).toBe("FILLED");
    expect(Number(order.filled_size)).toBeGreaterThan(0);
    const { fills } = await client.listFills({ order_ids: [result.orderId] });
    expect(fills.length).toBeGreaterThan(0);
    expect(fills[0]?.liquidity_indicator).toBe("TAKER");
    const after = await client.listAccounts({});
    const btc = after.accounts.find((a) => a.currency === "BTC");
    expect(Number(btc?.available_balance.value)).toBeGreaterThan(1);
  });

  it("answers a reused client_order_id with the existing order", async () => {
    const body = {
      client_order_id: "limit-1",
      product_id: "BTC-USD",
      side: "BUY" as const,
      order_configuration: { limit_limit_gtc: { base_size: "0.01", limit_price: "1000", post_only: false } },
    };
    const first = await client.createOrder(body);
    const second = await client.createOrder(body);
    expect(first.success && second.success).toBe(true);
    if (!first.success || !second.success) return;
    expect(second.orderId).toBe(first.orderId);
    expect(sim.audit.duplicates()).toEqual([
      { clientOrderId: "limit-1", orderId: first.orderId, requests: 2 },
    ]);
    const open = await client.listOrders({ order_status: ["OPEN"] });
    expect(open.orders.map((o) => o.order_id)).toContain(first.orderId);
    const accounts = await client.listAccounts({});
    expect(accounts.accounts.find((a) => a.currency === "USD")?.hold?.value).not.toBe("0");
    const cancel = await client.cancelOrders({ order_ids: [first.orderId, "no-such-order"] });
    expect(cancel.results.map((r) => [r.success, r.failure_reason])).toEqual([
      [true, "UNKNOWN_CANCEL_FAILURE_REASON"],
      [false, "UNKNOWN_CANCEL_ORDER"],
    ]);
    const { order } = await client.getOrder({ order_id: first.orderId });
    expect(order.status).toBe("CANCELLED");
  });

  it("refuses orders with HTTP 200 and Coinbase's reasons", async () => {
    const tooBig = await client.createOrder({
      client_order_id: "big-1",
      product_id: "BTC-USD",
      side: "BUY",
      order_configuration: { limit_limit_gtc: { base_size: "1000", limit_price: "50000", post_only: false } },
    });
    expect(tooBig.success).toBe(false);
    if (!tooBig.success) expect(tooBig.failureReason).toBe("INSUFFICIENT_FUND");
    const tick = await client.createOrder({
      client_order_id: "tick-1",
      product_id: "BIP-20DEC30-CDE",
      side: "BUY",
      order_configuration: { limit_limit_gtc: { base_size: "1", limit_price: "50001", post_only: false } },
    });
    expect(tick.success).toBe(false);
    if (!tick.success) expect(tick.failureReason).toBe("INVALID_PRICE_PRECISION");
  });

  it("fills a resting limit as maker when the replayed market reaches it, and trades futures", async () => {
    const book = await client.getProductBook({ product_id: "ETH-USD", limit: 1 });
    const bid = Number(book.pricebook.bids[0]?.price);
    const result = await client.createOrder({
      client_order_id: "eth-limit",
      product_id: "ETH-USD",
      side: "BUY",
      order_configuration: {
        limit_limit_gtc: { base_size: "0.5", limit_price: (bid * 1.05).toFixed(2), post_only: false },
      },
    });
    expect(result.success).toBe(true);
    const perp = await client.createOrder({
      client_order_id: "bip-1",
      product_id: "BIP-20DEC30-CDE",
      side: "BUY",
      order_configuration: { market_market_ioc: { base_size: "2" } },
    });
    expect(perp.success).toBe(true);
    const positions = await client.listFuturesPositions();
    expect(positions.positions.map((p) => [p.product_id, p.side, p.number_of_contracts])).toEqual([
      ["BIP-20DEC30-CDE", "LONG", "2"],
    ]);
    const summary = await client.getFuturesBalanceSummary();
    expect(Number(summary.balance_summary.initial_margin?.value)).toBeGreaterThan(0);
    clock.advance(3 * 3_600_000);
    const fees = await client.getTransactionSummary({});
    expect(Number(fees.total_volume)).toBeGreaterThan(0);
  });
});

describe("auth", { timeout: 60_000 }, () => {
  it("accepts ES256 and EdDSA keys and refuses anything else with 401 Unauthorized", async () => {
    const ec = ecKey();
    const ed = edKey();
    const sim = await startSimulator({ clock: new ManualClock(T0) });
    sim.addKey({ name: ec.name, publicKey: ec.publicKey });
    sim.addKey({ name: ed.name, publicKey: ed.publicKey });
    try {
      for (const k of [ec, ed]) {
        const client = testClient(sim.restUrl, k);
        const { accounts } = await client.listAccounts({});
        expect(accounts.length).toBeGreaterThan(0);
        await client.close();
      }
      const stranger = ecKey("9999");
      const bad = testClient(sim.restUrl, stranger);
      await expect(bad.listAccounts({})).rejects.toMatchObject({ status: 401 });
      await bad.close();
      const raw = await fetch(`${sim.restUrl}/api/v3/brokerage/accounts`);
      expect(raw.status).toBe(401);
      expect(await raw.text()).toBe("Unauthorized");
      const open = await fetch(`${sim.restUrl}/api/v3/brokerage/market/products`);
      expect(open.status).toBe(200);
      expect(sim.audit.entries({ status: 401 }).map((e) => e.authFailure)).toEqual([
        "unknown-key",
        "missing-token",
      ]);
    } finally {
      await sim.close();
    }
  });
});
