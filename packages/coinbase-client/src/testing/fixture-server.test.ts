/**
 * The fixture server, and the C2 actions end to end through the real client (JWT, transport,
 * validation) against it. Inline payloads only: runs without ../shared.
 */
import { generateKeyPairSync } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createCoinbaseClient } from "../client.js";
import { isCoinbaseClientError } from "../errors.js";
import { type FixtureServer, startFixtureServer } from "./fixture-server.js";

const servers: FixtureServer[] = [];
const clients: { close(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(...routes: Parameters<typeof startFixtureServer>[0]["routes"]): Promise<FixtureServer> {
  const server = await startFixtureServer({ routes });
  servers.push(server);
  return server;
}

function client(server: FixtureServer, withKey = false) {
  const privateKey = generateKeyPairSync("ec", { namedCurve: "prime256v1" })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();
  const created = createCoinbaseClient({
    baseUrl: server.baseUrl,
    rateLimit: false,
    retry: false,
    ...(withKey ? { credentials: { keyName: "organizations/org/apiKeys/key", privateKey } } : {}),
  });
  clients.push(created);
  return created;
}

describe("fixture server", { timeout: 30_000 }, () => {
  it("serves by method and path pattern, records requests, captures path params", async () => {
    const server = await serve(
      { method: "GET", path: "/market/products/{product_id}", reply: { json: { product_id: "ETH-USD" } } },
      { method: "GET", path: "/time", reply: { json: { iso: "x", epochSeconds: "1", epochMillis: "1000" } } },
    );
    const cb = client(server);
    await expect(cb.getPublicProduct({ product_id: "ETH-USD" })).resolves.toMatchObject({
      product_id: "ETH-USD",
    });
    await expect(cb.getServerTime()).resolves.toMatchObject({ epochSeconds: "1" });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /market/products/ETH-USD",
      "GET /time",
    ]);
    expect(server.requests[0]?.params).toEqual({ product_id: "ETH-USD" });
  });

  it("matches routes on query values, first match wins", async () => {
    const server = await serve(
      {
        method: "GET",
        path: "/market/products",
        query: { product_type: "FUTURE" },
        reply: { json: { products: [{ product_id: "BIP-20DEC30-CDE" }] } },
      },
      { method: "GET", path: "/market/products", reply: { json: { products: [{ product_id: "BTC-USD" }] } } },
    );
    const cb = client(server);
    const futures = await cb.listPublicProducts({ product_type: "FUTURE" });
    const all = await cb.listPublicProducts();
    expect(futures.products[0]?.product_id).toBe("BIP-20DEC30-CDE");
    expect(all.products[0]?.product_id).toBe("BTC-USD");
  });

  it("answers an unknown route with a Coinbase-style 404", async () => {
    const server = await serve();
    const error = await client(server)
      .getPublicProduct({ product_id: "BTC-USD" })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isCoinbaseClientError(error)).toBe(true);
    if (!isCoinbaseClientError(error)) return;
    expect(error.code).toBe("http");
    expect(error.status).toBe(404);
    expect(error.coinbaseCode).toBe("NOT_FOUND");
    expect(error.operation).toBe("getPublicProduct");
  });

  it("runs scripted handlers (status sequences, raw bodies)", async () => {
    let calls = 0;
    const server = await serve({
      method: "GET",
      path: "/time",
      handle: () => {
        calls += 1;
        return calls === 1
          ? { status: 503, raw: "<html><head><title>Coinbase</title></head></html>" }
          : {
              json: { iso: "2024-02-27T03:37:14Z", epochSeconds: "1709005034", epochMillis: "1709005034333" },
            };
      },
    });
    const cb = client(server);
    await expect(cb.getServerTime()).rejects.toMatchObject({ code: "http", status: 503 });
    await expect(cb.getServerTime()).resolves.toMatchObject({ epochMillis: "1709005034333" });
  });
});

describe("C2 actions through the real client", { timeout: 30_000 }, () => {
  it("public calls send no JWT and honour noCache", async () => {
    const server = await serve({
      method: "GET",
      path: "/market/products/{product_id}/ticker",
      reply: { json: { trades: [], best_bid: "1", best_ask: "2" } },
    });
    await client(server, true).getPublicMarketTrades({ product_id: "BTC-USD", limit: 5 }, { noCache: true });
    const seen = server.requests[0];
    expect(seen?.headers.authorization).toBeUndefined();
    expect(seen?.headers["cache-control"]).toBe("no-cache");
    expect(seen?.query.get("limit")).toBe("5");
  });

  it("private calls carry a JWT; arrays go as repeated keys; bodies as JSON", async () => {
    const server = await serve(
      { method: "GET", path: "/best_bid_ask", reply: { json: { pricebooks: [] } } },
      {
        method: "POST",
        path: "/portfolios/move_funds",
        reply: {
          json: {
            source_portfolio_uuid: "8bfc20d7-f7c6-4422-bf07-8243ca4169fe",
            target_portfolio_uuid: "1f9a3c22-0a11-4b6d-9f2e-2b7d5e0a1c88",
          },
        },
      },
    );
    const cb = client(server, true);
    await cb.getBestBidAsk({ product_ids: ["BTC-USD", "ETH-USD"] });
    await cb.movePortfolioFunds({
      funds: { value: "1.5", currency: "USDC" },
      source_portfolio_uuid: "8bfc20d7-f7c6-4422-bf07-8243ca4169fe",
      target_portfolio_uuid: "1f9a3c22-0a11-4b6d-9f2e-2b7d5e0a1c88",
    });
    const [bba, move] = server.requests;
    expect(bba?.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(bba?.query.getAll("product_ids")).toEqual(["BTC-USD", "ETH-USD"]);
    expect(move?.method).toBe("POST");
    expect(JSON.parse(move?.body ?? "null")).toEqual({
      funds: { value: "1.5", currency: "USDC" },
      source_portfolio_uuid: "8bfc20d7-f7c6-4422-bf07-8243ca4169fe",
      target_portfolio_uuid: "1f9a3c22-0a11-4b6d-9f2e-2b7d5e0a1c88",
    });
  });

  it("downloads a candle range over HTTP: 1000 minutes in 3 requests, oldest first", async () => {
    const server = await serve({
      method: "GET",
      path: "/market/products/{product_id}/candles",
      handle: (request) => {
        const start = Number(request.query.get("start"));
        const end = Number(request.query.get("end"));
        const candles = [];
        for (let t = Math.ceil(start / 60) * 60; t <= end; t += 60) {
          candles.unshift({ start: String(t), low: "1", high: "1", open: "1", close: "1", volume: "0" });
        }
        return { json: { candles } };
      },
    });
    const candles = await client(server).getPublicProductCandlesRange({
      product_id: "BTC-USD",
      granularity: "ONE_MINUTE",
      start: 1_704_067_200,
      end: 1_704_067_200 + 1000 * 60,
    });
    expect(server.requests).toHaveLength(3);
    expect(candles).toHaveLength(1000);
    expect(candles[0]?.start).toBe("1704067200");
    expect(candles[999]?.start).toBe(String(1_704_067_200 + 999 * 60));
  });

  it("sends nothing when params are invalid", async () => {
    const server = await serve();
    await expect(client(server, true).getProduct({ product_id: "not a product" })).rejects.toMatchObject({
      code: "invalid-request",
      field: "product_id",
    });
    expect(server.requests).toHaveLength(0);
  });
});

/** Every C2 method of the client (the table in the README). */
const C2_METHODS = [
  "listAccounts",
  "iterateAccounts",
  "getAccount",
  "getBestBidAsk",
  "getProductBook",
  "listProducts",
  "iterateProducts",
  "getProduct",
  "getProductCandles",
  "iterateProductCandles",
  "getProductCandlesRange",
  "getMarketTrades",
  "getServerTime",
  "getPublicProductBook",
  "listPublicProducts",
  "iteratePublicProducts",
  "getPublicProduct",
  "getPublicProductCandles",
  "iteratePublicProductCandles",
  "getPublicProductCandlesRange",
  "getPublicMarketTrades",
  "listPortfolios",
  "createPortfolio",
  "getPortfolioBreakdown",
  "editPortfolio",
  "deletePortfolio",
  "movePortfolioFunds",
  "getFuturesBalanceSummary",
  "listFuturesPositions",
  "getFuturesPosition",
  "listFuturesSweeps",
  "scheduleFuturesSweep",
  "cancelPendingFuturesSweep",
  "getIntradayMarginSetting",
  "setIntradayMarginSetting",
  "getCurrentMarginWindow",
  "allocatePortfolio",
  "getPerpetualsPortfolioSummary",
  "listPerpetualsPositions",
  "getPerpetualsPosition",
  "getPortfolioBalances",
  "optInOutMultiAssetCollateral",
  "getTransactionSummary",
  "createConvertQuote",
  "getConvertTrade",
  "commitConvertTrade",
  "listPaymentMethods",
  "getPaymentMethod",
  "getApiKeyPermissions",
] as const;

describe("the client binds every C2 action", { timeout: 30_000 }, () => {
  it("has a method for each", async () => {
    const server = await serve();
    const cb = client(server);
    expect(C2_METHODS.filter((name) => typeof cb[name] !== "function")).toEqual([]);
    expect(C2_METHODS).toHaveLength(49);
  });
});
