/**
 * The order methods through the whole client (JWT, transport, parsing) against the fixture server
 * serving the recorded payloads of ../shared. Runs under `pnpm test:real`.
 */
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { requireShared } from "@gpt/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CoinbaseClient, createCoinbaseClient } from "../../client.js";
import {
  type FixtureServer,
  recordedFixtureRoutes,
  startFixtureServer,
} from "../../testing/fixture-server.js";

const REST = requireShared("fixtures", "coinbase-advanced-trade", "rest");
const DOCS = requireShared("fixtures", "coinbase-advanced-trade", "doc-examples");

const LIMIT_SELL = {
  product_id: "LTC-BTC",
  side: "SELL",
  order_configuration: { limit_limit_gtc: { base_size: "1", limit_price: "0.0012", post_only: false } },
} as const;

let server: FixtureServer;
let client: CoinbaseClient;

const FAILURE_FILES = [
  `${REST}/POST_orders.failure-insufficient-fund.observed.json`,
  `${REST}/POST_orders.failure-market-sell-quote-size.observed.json`,
  `${DOCS}/POST_orders.failure.docs.json`,
];

const credentials = {
  keyName: "organizations/test/apiKeys/test",
  privateKey: generateKeyPairSync("ec", { namedCurve: "prime256v1" })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString(),
};

beforeAll(async () => {
  server = await startFixtureServer({ fixturesDir: REST, routes: recordedFixtureRoutes() });
  client = createCoinbaseClient({ baseUrl: server.baseUrl, credentials, rateLimit: false });
});

afterAll(async () => {
  await client.close();
  await server.close();
});

describe("orders against the recorded payloads", { timeout: 60_000 }, () => {
  it("createOrder: the recorded success becomes a placed result", async () => {
    const result = await client.createOrder({
      ...LIMIT_SELL,
      client_order_id: "4d760580-6fca-4094-a70b-ebcca8626288",
    });
    expect(result).toMatchObject({
      success: true,
      orderId: "52cfe5e2-0b29-4c19-a245-a6a773de5030",
      clientOrderId: "4d760580-6fca-4094-a70b-ebcca8626288",
      resolvedBy: "response",
    });
    const sent = server.requestsTo("/orders").at(-1);
    expect(JSON.parse(sent?.body ?? "{}")).toEqual({
      ...LIMIT_SELL,
      client_order_id: "4d760580-6fca-4094-a70b-ebcca8626288",
    });
    expect(sent?.headers.authorization).toMatch(/^Bearer /);
  });

  it("createOrder: the recorded refusals (HTTP 200, success false) become typed results", async () => {
    const refusals = FAILURE_FILES.map((file) => JSON.parse(readFileSync(file, "utf8")) as unknown);
    let served = 0;
    const refusing = await startFixtureServer({
      routes: [{ method: "POST", path: "/orders", handle: () => ({ json: refusals[served++] }) }],
    });
    const refused = createCoinbaseClient({ baseUrl: refusing.baseUrl, credentials, rateLimit: false });
    try {
      const reasons = [];
      for (const _ of refusals) {
        const result = await refused.createOrder(LIMIT_SELL);
        reasons.push(result.success ? "placed" : [result.failureReason, result.clientOrderId !== ""]);
      }
      expect(reasons).toEqual([
        ["PREVIEW_INSUFFICIENT_FUND", true],
        ["PREVIEW_INVALID_ORDER_CONFIG", true],
        ["UNSUPPORTED_ORDER_CONFIGURATION", true],
      ]);
      expect(refusing.requests).toHaveLength(3);
    } finally {
      await refused.close();
      await refusing.close();
    }
  });

  it("listFills and iterateFills: the recorded page", async () => {
    const page = await client.listFills({ product_ids: ["ADA-PERP-INTX"] });
    expect(page.fills).toHaveLength(1);
    expect(page.fills[0]).toMatchObject({
      trade_id: "f8e23d3d-29a4-44f9-804d-1c74e4908055",
      size: "20",
      price: "0.6091",
    });
    const all = [];
    for await (const fill of client.iterateFills({ product_ids: ["ADA-PERP-INTX"] })) all.push(fill.trade_id);
    // One fill (fewer than the page size of 100) ends the iteration though the cursor is set.
    expect(all).toEqual(["f8e23d3d-29a4-44f9-804d-1c74e4908055"]);
  });

  it("cancelOrders: the recorded batch result", async () => {
    const { results } = await client.cancelOrders({ order_ids: ["bb8851a3-4fda-4a2c-aa06-9048db0e0f0d"] });
    expect(results).toEqual([
      {
        success: true,
        failure_reason: "UNKNOWN_CANCEL_FAILURE_REASON",
        order_id: "bb8851a3-4fda-4a2c-aa06-9048db0e0f0d",
      },
    ]);
  });
});
