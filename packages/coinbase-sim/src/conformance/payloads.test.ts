/**
 * Every Advanced Trade endpoint the simulator serves, called through `@gpt/coinbase-client`'s
 * actions, which validate each answer against their zod schemas: a payload the client cannot
 * parse rejects with `invalid-response`. Order refusals, cancel and edit failures (HTTP 200
 * bodies) are validated too. Last, the audit log proves every route of the market, order and
 * account groups answered 200 at least once here.
 */
import type { CoinbaseClient } from "@gpt/coinbase-client";
import { ManualClock } from "@gpt/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Route } from "../http-types.js";
import { createTestKey } from "../keys.js";
import { ACCOUNT_ROUTES } from "../routes-accounts.js";
import { MARKET_ROUTES } from "../routes-market.js";
import { ORDER_ROUTES } from "../routes-orders.js";
import { type Simulator, startSimulator } from "../server.js";
import { testClient } from "../test-client.js";

const T0 = Date.UTC(2026, 0, 10, 0, 30);
const BIP = "BIP-20DEC30-CDE";

describe("every simulator payload validates against @gpt/coinbase-client's schemas", {
  timeout: 120_000,
}, () => {
  const key = createTestKey();
  let sim: Simulator;
  let client: CoinbaseClient;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 3, clock: new ManualClock(T0), keys: [key], rateLimit: false });
    client = testClient(sim.restUrl, key);
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it("market data, private and public", async () => {
    const end = T0 / 1000;
    const candles = { granularity: "ONE_HOUR", start: end - 6 * 3600, end } as const;
    expect((await client.getServerTime()).epochMillis).toBe(String(T0));
    expect((await client.listProducts({})).products.length).toBe(4);
    expect((await client.listProducts({ product_type: "FUTURE" })).products.length).toBe(2);
    expect((await client.getProduct({ product_id: "BTC-USD" })).product_id).toBe("BTC-USD");
    expect((await client.getProduct({ product_id: BIP })).future_product_details?.contract_size).toBe("0.01");
    expect((await client.getProductCandles({ product_id: "ETH-USD", ...candles })).candles.length).toBe(5);
    expect((await client.getMarketTrades({ product_id: "BTC-USD", limit: 5 })).trades.length).toBe(5);
    expect((await client.getProductBook({ product_id: BIP, limit: 3 })).pricebook.bids.length).toBe(3);
    const best = await client.getBestBidAsk({ product_ids: ["BTC-USD", "ETH-USD"] });
    expect(best.pricebooks.map((book) => book.product_id)).toEqual(["BTC-USD", "ETH-USD"]);
    expect((await client.listPublicProducts({})).products.length).toBe(4);
    expect((await client.getPublicProduct({ product_id: "ETH-USD" })).product_id).toBe("ETH-USD");
    const publicCandles = await client.getPublicProductCandles({ product_id: "BTC-USD", ...candles });
    expect(publicCandles.candles.length).toBe(5);
    expect((await client.getPublicMarketTrades({ product_id: "ETH-USD", limit: 2 })).trades.length).toBe(2);
    expect(
      (await client.getPublicProductBook({ product_id: "BTC-USD", limit: 2 })).pricebook.asks.length,
    ).toBe(2);
  });

  it("accounts, orders, fills, edits, cancels, futures and fees", async () => {
    const { accounts } = await client.listAccounts({});
    const btc = accounts.find((account) => account.currency === "BTC");
    expect(btc).toBeDefined();
    const one = await client.getAccount({ account_uuid: btc?.uuid ?? "" });
    expect(one.account.uuid).toBe(btc?.uuid);

    const limit = await client.createOrder({
      product_id: "BTC-USD",
      side: "BUY",
      order_configuration: { limit_limit_gtc: { base_size: "0.01", limit_price: "1000.00" } },
    });
    expect(limit.success).toBe(true);
    const limitId = limit.success_response?.order_id ?? "";
    const stop = await client.createOrder({
      product_id: "ETH-USD",
      side: "SELL",
      order_configuration: {
        stop_limit_stop_limit_gtc: {
          base_size: "0.1",
          limit_price: "100.00",
          stop_price: "110.00",
          stop_direction: "STOP_DIRECTION_STOP_DOWN",
        },
      },
    });
    expect(stop.success).toBe(true);
    const bracket = await client.createOrder({
      product_id: "BTC-USD",
      side: "BUY",
      order_configuration: { market_market_ioc: { base_size: "0.001" } },
      attached_order_configuration: {
        trigger_bracket_gtc: { limit_price: "90000.00", stop_trigger_price: "30000.00" },
      },
    });
    expect(bracket.success).toBe(true);
    const market = await client.createOrder({
      product_id: "BTC-USD",
      side: "BUY",
      order_configuration: { market_market_ioc: { quote_size: "100" } },
    });
    expect(market.success).toBe(true);
    const refused = await client.createOrder({
      product_id: "BTC-USD",
      side: "BUY",
      order_configuration: { market_market_ioc: { quote_size: "10000000" } },
    });
    expect(refused.success).toBe(false);
    expect(refused.error_response?.new_order_failure_reason).toBe("INSUFFICIENT_FUND");

    const edited = await client.editOrder({ order_id: limitId, price: "1001.00", size: "0.01" });
    expect(edited.success).toBe(true);
    const badEdit = await client.editOrder({
      order_id: "00000000-0000-0000-0000-000000000000",
      price: "1",
      size: "1",
    });
    expect(badEdit.success).toBe(false);

    const order = await client.getOrder({ order_id: limitId });
    expect(order.order.edit_history?.length).toBe(1);
    const open = await client.listOrders({ order_status: ["OPEN"] });
    expect(open.orders.map((o) => o.order_id)).toEqual(expect.arrayContaining([limitId]));
    const all = await client.listOrders({ limit: 2 });
    expect(all.orders.length).toBe(2);
    expect(all.has_next).toBe(true);
    const next = await client.listOrders({ limit: 2, cursor: all.cursor ?? "" });
    expect(next.orders.length).toBeGreaterThan(0);
    const fills = await client.listFills({ product_ids: ["BTC-USD"] });
    expect(fills.fills.length).toBeGreaterThan(0);

    const cancelled = await client.cancelOrders({ order_ids: [limitId, "not-an-order"] });
    expect(cancelled.results.map((r) => r.success)).toEqual([true, false]);

    const perp = await client.createOrder({
      product_id: BIP,
      side: "BUY",
      order_configuration: { market_market_ioc: { base_size: "2" } },
      leverage: "2",
      margin_type: "CROSS",
    });
    expect(perp.success).toBe(true);
    expect((await client.listFuturesPositions()).positions.map((p) => p.product_id)).toEqual([BIP]);
    expect((await client.getFuturesPosition({ product_id: BIP })).position.number_of_contracts).toBe("2");
    const summary = await client.getFuturesBalanceSummary();
    expect(summary.balance_summary.initial_margin).toBeDefined();
    const closed = await client.closePosition({ product_id: BIP });
    expect(closed.success).toBe(true);
    const nothingToClose = await client.closePosition({ product_id: BIP });
    expect(nothingToClose.success).toBe(false);

    const fees = await client.getTransactionSummary({});
    expect(fees.fee_tier?.taker_fee_rate).toBe("0.006");
  });

  it("answered 200 on every market, order and account route", () => {
    const ok = sim.audit.entries({ status: 200 });
    const missed = [...MARKET_ROUTES, ...ORDER_ROUTES, ...ACCOUNT_ROUTES].filter(
      (route: Route) => !ok.some((entry) => entry.method === route.method && route.pattern.test(entry.path)),
    );
    expect(missed.map((route) => `${route.method} ${route.pattern.source}`)).toEqual([]);
    expect(sim.audit.entries().filter((entry) => entry.status !== 200)).toEqual([]);
  });
});
