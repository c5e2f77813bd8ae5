/**
 * Coinbase's own TypeScript sample SDK (`@coinbase-sample/advanced-trade-sdk-ts`, loaded from its
 * `dist/index.js`) against the simulator: only the base path changes. The SDK signs with
 * `jsonwebtoken` (ES256) or node:crypto (EdDSA), sends lowerCamelCase query and body names
 * (`productId`, `orderConfiguration.limitLimitGtc.baseSize`) and camelCases every answer.
 */
import {
  AccountsService,
  CoinbaseAdvTradeClient,
  CoinbaseAdvTradeCredentials,
  OrdersService,
  ProductsService,
} from "@coinbase-sample/advanced-trade-sdk-ts/dist/index.js";
import { OrderSide } from "@coinbase-sample/advanced-trade-sdk-ts/dist/model/enums/OrderSide.js";
import { ProductType } from "@coinbase-sample/advanced-trade-sdk-ts/dist/model/enums/ProductType.js";
import { ManualClock } from "@gpt/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestKey } from "../keys.js";
import { type Simulator, startSimulator } from "../server.js";

const T0 = Date.UTC(2026, 0, 10, 0, 30);

/** The SDK resolves to its answer or to an exception object: a test wants the answer. */
async function answer<R>(call: Promise<R>): Promise<Exclude<R, Error>> {
  const result = await call;
  if (result instanceof Error) throw result;
  return result as Exclude<R, Error>;
}

describe("Coinbase's TypeScript sample SDK against the simulator", { timeout: 120_000 }, () => {
  const ecKey = createTestKey("ES256");
  const edKey = createTestKey("EdDSA");
  let sim: Simulator;
  let client: CoinbaseAdvTradeClient;

  const clientFor = (key: { name: string; privateKey: string }) =>
    new CoinbaseAdvTradeClient(
      new CoinbaseAdvTradeCredentials(key.name, key.privateKey),
      `${sim.restUrl}/api/v3/brokerage/`,
    );

  beforeAll(async () => {
    sim = await startSimulator({ seed: 5, clock: new ManualClock(T0), keys: [ecKey, edKey] });
    client = clientFor(ecKey);
  });
  afterAll(async () => {
    await sim.close();
  });

  it("lists products, gets candles and the product book", async () => {
    const products = new ProductsService(client);
    const spot = await answer(products.listProducts({ productType: ProductType.Spot }));
    expect(spot.products.map((product) => product.productId)).toEqual(["BTC-USD", "ETH-USD"]);
    expect(spot.products[0]?.baseIncrement).toBe("0.00000001");
    const some = await answer(products.listProducts({ productIds: ["ETH-USD", "BIP-20DEC30-CDE"] }));
    expect(some.products.map((product) => product.productId)).toEqual(["ETH-USD", "BIP-20DEC30-CDE"]);

    const end = T0 / 1000;
    const { candles } = await answer(
      products.getProductCandles({
        productId: "BTC-USD",
        start: String(end - 6 * 3600),
        end: String(end),
        granularity: "ONE_HOUR",
      }),
    );
    expect(candles?.length).toBe(5);
    expect(Number(candles?.[0]?.start)).toBeGreaterThan(Number(candles?.[1]?.start));

    // `productId` in the query, as the SDK sends it.
    const book = await answer(products.getProductBook({ productId: "ETH-USD", limit: 3 }));
    expect(book.pricebook.productId).toBe("ETH-USD");
    expect(book.pricebook.bids.length).toBe(3);
    expect(Number(book.pricebook.bids[0]?.price)).toBeLessThan(Number(book.pricebook.asks[0]?.price));
  });

  it("lists accounts with an ES256 key and with an EdDSA key", async () => {
    for (const key of [ecKey, edKey]) {
      const { accounts } = await answer(new AccountsService(clientFor(key)).listAccounts({ limit: 10 }));
      const btc = accounts?.find((account) => account.currency === "BTC");
      expect(btc?.availableBalance?.value).toBe("1");
    }
    expect(sim.audit.entries({ path: "/accounts" }).map((entry) => entry.keyName)).toEqual([
      ecKey.name,
      edKey.name,
    ]);
  });

  it("creates, lists and cancels orders, and lists the fills", async () => {
    const orders = new OrdersService(client);
    const limit = await answer(
      orders.createOrder({
        clientOrderId: "sdk-limit-1",
        productId: "BTC-USD",
        side: OrderSide.Buy,
        orderConfiguration: { limitLimitGtc: { baseSize: "0.001", limitPrice: "1000", postOnly: false } },
      }),
    );
    expect(limit.success).toBe(true);
    const limitId = limit.successResponse?.orderId ?? "";
    expect(limit.successResponse?.clientOrderId).toBe("sdk-limit-1");
    expect(limit.orderConfiguration?.limitLimitGtc?.limitPrice).toBe("1000");

    const market = await answer(
      orders.createOrder({
        clientOrderId: "sdk-market-1",
        productId: "BTC-USD",
        side: OrderSide.Buy,
        orderConfiguration: { marketMarketIoc: { quoteSize: "100" } },
      }),
    );
    expect(market.success).toBe(true);
    const marketId = market.successResponse?.orderId ?? "";

    // A reused client order id answers with the existing order (the SDK's body, camelCase).
    const again = await answer(
      orders.createOrder({
        clientOrderId: "sdk-limit-1",
        productId: "BTC-USD",
        side: OrderSide.Buy,
        orderConfiguration: { limitLimitGtc: { baseSize: "0.001", limitPrice: "1000", postOnly: false } },
      }),
    );
    expect(again.successResponse?.orderId).toBe(limitId);
    expect(sim.audit.duplicates().map((entry) => entry.clientOrderId)).toEqual(["sdk-limit-1"]);

    const open = await answer(orders.listOrders({ orderStatus: ["OPEN"], productIds: ["BTC-USD"] }));
    expect(open.orders.map((order) => order.orderId)).toEqual([limitId]);
    // The SDK declares these two answers as the bare `Order` and `CancelOrderResponse`; on the wire
    // (Coinbase's docs, and the simulator) they are `{ order }` and `{ results: [...] }`.
    const byId = (await answer(orders.getOrder({ orderId: marketId }))) as unknown as {
      order?: { status?: string };
    };
    expect(byId.order?.status).toBe("FILLED");

    const cancelled = (await answer(orders.cancelOrders({ orderIds: [limitId] }))) as unknown as {
      results?: unknown[];
    };
    expect(cancelled.results?.[0]).toMatchObject({ success: true, orderId: limitId });
    const after = await answer(orders.listOrders({ orderIds: [limitId] }));
    expect(after.orders[0]?.status).toBe("CANCELLED");

    const { fills } = await answer(orders.listFills({ productIds: ["BTC-USD"] }));
    expect(fills?.length).toBeGreaterThan(0);
    expect(fills?.every((fill) => fill.orderId === marketId && fill.side === "BUY")).toBe(true);
  });
});
