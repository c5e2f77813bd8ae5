/**
 * The recorded payloads of ../shared for the C2 endpoints (accounts, products, market data, time,
 * fees, portfolios, INTX positions): each parses through its schema, the fixture server serves them
 * by endpoint to the real client, and the requests our actions build match the URLs ccxt recorded.
 * Runs under `pnpm test:real`.
 */
import { generateKeyPairSync } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { requireShared } from "@gpt/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAccount, listAccounts } from "../actions/accounts/accounts.js";
import { listPerpetualsPositions } from "../actions/perpetuals/perpetuals.js";
import {
  getBestBidAsk,
  getMarketTrades,
  getProductBook,
  getProductCandles,
  listProducts,
} from "../actions/products/products.js";
import { createCoinbaseClient } from "../client.js";
import type { ClientContext, RequestSpec } from "../internal/context.js";
import { parseResponse } from "../internal/validate.js";
import type * as z from "../internal/zod.js";
import { type FixtureServer, recordedFixtureRoutes, startFixtureServer } from "../testing/fixture-server.js";
import { listAccountsResponseSchema } from "./accounts.js";
import { getTransactionSummaryResponseSchema } from "./fees.js";
import {
  getBestBidAskResponseSchema,
  getMarketTradesResponseSchema,
  getProductBookResponseSchema,
  getServerTimeResponseSchema,
} from "./market.js";
import { listPerpetualsPositionsResponseSchema } from "./perpetuals.js";
import { movePortfolioFundsResponseSchema } from "./portfolios.js";
import { getProductCandlesResponseSchema, listProductsResponseSchema, productSchema } from "./products.js";

const REST = requireShared("fixtures", "coinbase-advanced-trade", "rest");

function load(name: string): unknown {
  return JSON.parse(readFileSync(join(REST, name), "utf8")) as unknown;
}

/** Each C2 fixture and the schema its endpoint's response goes through. */
const C2_FIXTURES: Record<string, () => z.ZodMiniType<unknown>> = {
  "GET_accounts.ccxt-comment.json": listAccountsResponseSchema,
  "GET_best_bid_ask.ccxt-comment.json": getBestBidAskResponseSchema,
  "GET_intx_positions_PORTFOLIO.ccxt.json": listPerpetualsPositionsResponseSchema,
  "GET_product_book.BTC-USD.nautilus.json": getProductBookResponseSchema,
  "GET_products.future-cfm.nautilus.json": listProductsResponseSchema,
  "GET_products.item-expiring-cfm.ccxt-comment.json": productSchema,
  "GET_products.item-perp-intx.ccxt-comment.json": productSchema,
  "GET_products.item-spot-TONE-USD.ccxt-comment.json": productSchema,
  "GET_products.spot.nautilus.json": listProductsResponseSchema,
  "GET_products_ID.BTC-USD.nautilus.json": productSchema,
  "GET_products_ID_candles.nautilus.json": getProductCandlesResponseSchema,
  "GET_products_ID_ticker.BTC-USD.nautilus.json": getMarketTradesResponseSchema,
  "GET_time.ccxt-comment.json": getServerTimeResponseSchema,
  "GET_transaction_summary.ccxt-comment.json": getTransactionSummaryResponseSchema,
  "POST_portfolios_move_funds.ccxt.json": movePortfolioFundsResponseSchema,
};

/** Fixtures other parts of the client test (orders: C3; error bodies: the transport; the request list below). */
const OTHERS = /^(POST_orders|GET_orders_|HTTP\d{3}_error|_requests\.)/;

describe("recorded C2 payloads parse", () => {
  it("every fixture in rest/ is claimed by a test", () => {
    const unclaimed = readdirSync(REST).filter((name) => !(name in C2_FIXTURES) && !OTHERS.test(name));
    expect(unclaimed).toEqual([]);
  });

  for (const [name, schema] of Object.entries(C2_FIXTURES)) {
    it(name, () => {
      const body = load(name);
      const parsed = parseResponse(schema, body, name);
      // Nothing is dropped: every recorded key is still there.
      expect(Object.keys(parsed as object).sort()).toEqual(Object.keys(body as object).sort());
    });
  }

  it("keeps the values users rely on, as strings", () => {
    const btc = parseResponse(productSchema, load("GET_products_ID.BTC-USD.nautilus.json"), "t");
    expect([btc.price_increment, btc.base_increment, btc.base_min_size]).toEqual([
      "0.01",
      "0.00000001",
      "0.00000001",
    ]);
    const tone = parseResponse(productSchema, load("GET_products.item-spot-TONE-USD.ccxt-comment.json"), "t");
    expect(tone.base_min_size).toBe("26.7187147229469674");
    const futures = parseResponse(
      listProductsResponseSchema,
      load("GET_products.future-cfm.nautilus.json"),
      "t",
    );
    const bip = futures.products.find((p) => p.product_id === "BIP-20DEC30-CDE");
    expect(bip?.future_product_details?.funding_interval).toBe("3600s");
    expect(bip?.future_product_details?.perpetual_details?.funding_time).toBeNull();
    expect(futures.num_products).toBe(2);
    const summary = parseResponse(
      getTransactionSummaryResponseSchema,
      load("GET_transaction_summary.ccxt-comment.json"),
      "t",
    );
    expect(summary.fee_tier?.taker_fee_rate).toBe("0.008");
    expect(summary.total_balance).toBe("");
    const accounts = parseResponse(listAccountsResponseSchema, load("GET_accounts.ccxt-comment.json"), "t");
    expect(accounts.accounts[0]?.deleted_at).toBeNull();
    expect(accounts.size).toBe(9);
  });
});

describe("the fixture server plays the recordings to the real client", { timeout: 60_000 }, () => {
  let server: FixtureServer;
  let client: ReturnType<typeof createCoinbaseClient>;

  beforeAll(async () => {
    server = await startFixtureServer({ fixturesDir: REST, routes: recordedFixtureRoutes() });
    const privateKey = generateKeyPairSync("ec", { namedCurve: "prime256v1" })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    client = createCoinbaseClient({
      baseUrl: server.baseUrl,
      rateLimit: false,
      credentials: { keyName: "organizations/org/apiKeys/key", privateKey },
    });
  });

  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it("answers every recorded C2 endpoint", async () => {
    const uuid = "018ebd63-1f6d-7c8e-ada9-0761c5a2235f";
    const results = await Promise.all([
      client.getServerTime(),
      client.listAccounts(),
      client.getBestBidAsk({ product_ids: ["TRAC-EUR"] }),
      client.getProductBook({ product_id: "BTC-USD" }),
      client.getPublicProductBook({ product_id: "BTC-USD" }),
      client.listProducts(),
      client.listPublicProducts({ product_type: "FUTURE" }),
      client.getProduct({ product_id: "BTC-USD" }),
      client.getPublicProduct({ product_id: "BTC-USD" }),
      client.getProductCandles({
        product_id: "BTC-USD",
        granularity: "ONE_HOUR",
        start: 1712188800,
        end: 1712192400,
      }),
      client.getPublicProductCandles({
        product_id: "BTC-USD",
        granularity: "ONE_HOUR",
        start: 1712188800,
        end: 1712192400,
      }),
      client.getMarketTrades({ product_id: "BTC-USD", limit: 3 }),
      client.getPublicMarketTrades({ product_id: "BTC-USD", limit: 3 }),
      client.getTransactionSummary(),
      client.listPerpetualsPositions({ portfolio_uuid: uuid }),
      client.movePortfolioFunds({
        funds: { value: "1", currency: "USDC" },
        source_portfolio_uuid: "8bfc20d7-f7c6-4422-bf07-8243ca4169fe",
        target_portfolio_uuid: "1f9a3c22-0a11-4b6d-9f2e-2b7d5e0a1c88",
      }),
    ]);
    expect(results).toHaveLength(16);
    const [time, , , , , spot, futures] = results;
    expect(time).toMatchObject({ epochSeconds: "1709005034" });
    expect(spot.products).toHaveLength(2);
    expect(futures.products[0]?.product_venue).toBe("FCM");
    expect(
      server.requests
        .filter((r) => r.path.startsWith("/market/"))
        .every((r) => r.headers.authorization === undefined),
    ).toBe(true);
    expect(
      server.requests
        .filter((r) => !r.path.startsWith("/market/") && r.path !== "/time")
        .every((r) => r.headers.authorization?.startsWith("Bearer ")),
    ).toBe(true);
  });
});

describe("our requests match the URLs ccxt recorded", () => {
  const recorded = (load("_requests.ccxt.json") as { method: string; url: string }[]).map(
    (r) => new URL(r.url),
  );

  /** Builds the request of `call` and renders it as a URL under the real host. */
  async function urlOf(call: (ctx: ClientContext) => Promise<unknown>): Promise<URL> {
    let seen: RequestSpec | undefined;
    const ctx: ClientContext = {
      newId: () => "id",
      request: async (spec) => {
        seen = spec;
        throw new Error("stop");
      },
    };
    await call(ctx).catch(() => undefined);
    if (seen === undefined) throw new Error("no request");
    const url = new URL(`https://api.coinbase.com/api/v3/brokerage${seen.path}`);
    for (const [key, value] of Object.entries(seen.query ?? {})) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(one));
    }
    return url;
  }

  const sameRequest = (a: URL, b: URL) =>
    a.pathname === b.pathname &&
    [...a.searchParams].sort().join("&") === [...b.searchParams].sort().join("&");

  const calls: [string, (ctx: ClientContext) => Promise<unknown>][] = [
    ["accounts?limit=250", (ctx) => listAccounts(ctx, { limit: 250 })],
    [
      "products/BTC-USDT/ticker",
      (ctx) =>
        getMarketTrades(ctx, { product_id: "BTC-USDT", start: 1678012344, limit: 15, end: 1678012744 }),
    ],
    [
      "products/BTC-USDT/candles",
      (ctx) =>
        getProductCandles(ctx, {
          product_id: "BTC-USDT",
          granularity: "ONE_MINUTE",
          start: 1678012344,
          end: 1678013544,
        }),
    ],
    ["best_bid_ask", (ctx) => getBestBidAsk(ctx, { product_ids: ["BTC-USDT", "ETH-USDT"] })],
    ["products?product_ids", (ctx) => listProducts(ctx, { product_ids: ["BTC-USDT", "ETH-USDT"] })],
    ["product_book", (ctx) => getProductBook(ctx, { product_id: "BTC-USD" })],
    [
      "intx/positions/{uuid}",
      (ctx) => listPerpetualsPositions(ctx, { portfolio_uuid: "018ebd63-1f6d-7c8e-ada9-0761c5a2235f" }),
    ],
  ];

  for (const [what, call] of calls) {
    it(what, async () => {
      const ours = await urlOf(call);
      expect(recorded.some((theirs) => sameRequest(ours, theirs))).toBe(true);
    });
  }

  it("builds the account path like the reference", async () => {
    const ours = await urlOf((ctx) =>
      getAccount(ctx, { account_uuid: "8bfc20d7-f7c6-4422-bf07-8243ca4169fe" }),
    );
    expect(ours.pathname).toBe("/api/v3/brokerage/accounts/8bfc20d7-f7c6-4422-bf07-8243ca4169fe");
  });
});
