import { readFileSync } from "node:fs";
import { createJwtSigner } from "@gpt/coinbase-client";
import { ManualClock } from "@gpt/core";
import { requireShared } from "@gpt/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestKey } from "./keys.js";
import { type Simulator, startSimulator } from "./server.js";
import { testClient } from "./test-client.js";

/** Product fields only Coinbase's web UI uses; the simulator leaves them out. */
const UI_FIELDS = new Set([
  "base_cbrn",
  "quote_cbrn",
  "product_cbrn",
  "product_group_cbrn",
  "icon_color",
  "icon_url",
  "display_name_overwrite",
  "is_alpha_testing",
  "about_description",
  "contract_code_display_name",
  "region_enabled",
]);

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(requireShared("fixtures", "coinbase-advanced-trade", "rest", name), "utf8"));
}

/**
 * Where `ours` differs in shape from the recorded `real` payload: a field the recording has and
 * we do not send, or a field of another JSON type (null matches anything: Coinbase sends null for
 * unset values). Recurses into objects and the first element of arrays.
 */
function shapeDifferences(real: unknown, ours: unknown, path = "$"): string[] {
  if (real === null || ours === null) return [];
  if (Array.isArray(real)) {
    if (!Array.isArray(ours)) return [`${path}: array expected`];
    if (real.length === 0 || ours.length === 0) return [];
    return shapeDifferences(real[0], ours[0], `${path}[0]`);
  }
  if (typeof real === "object") {
    if (typeof ours !== "object" || Array.isArray(ours)) return [`${path}: object expected`];
    const out: string[] = [];
    for (const [key, value] of Object.entries(real as Record<string, unknown>)) {
      if (UI_FIELDS.has(key)) continue;
      if (!(key in (ours as Record<string, unknown>))) out.push(`${path}.${key}: missing`);
      else out.push(...shapeDifferences(value, (ours as Record<string, unknown>)[key], `${path}.${key}`));
    }
    return out;
  }
  return typeof real === typeof ours ? [] : [`${path}: ${typeof real} expected, got ${typeof ours}`];
}

describe("payload shapes match the recorded Coinbase payloads", { timeout: 120_000 }, () => {
  const key = createTestKey("EdDSA");
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({
      clock: new ManualClock(Date.UTC(2026, 0, 10, 12)),
      keys: [key],
      rateLimit: false,
    });
  });
  afterAll(() => sim.close());

  async function get(path: string): Promise<unknown> {
    const url = `${sim.restUrl}/api/v3/brokerage${path}`;
    const signer = createJwtSigner({ keyName: key.name, privateKey: key.privateKey });
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${signer.signRest("GET", url)}` },
    });
    expect(response.status).toBe(200);
    return response.json();
  }

  it.each([
    ["GET_time.ccxt-comment.json", "/time"],
    ["GET_products_ID.BTC-USD.nautilus.json", "/products/BTC-USD"],
    [
      "GET_products_ID_candles.nautilus.json",
      "/products/BTC-USD/candles?granularity=ONE_HOUR&start=1768000000&end=1768040000",
    ],
    ["GET_product_book.BTC-USD.nautilus.json", "/product_book?product_id=BTC-USD&limit=5"],
    ["GET_products_ID_ticker.BTC-USD.nautilus.json", "/products/BTC-USD/ticker?limit=5"],
    ["GET_accounts.ccxt-comment.json", "/accounts"],
    ["GET_transaction_summary.ccxt-comment.json", "/transaction_summary"],
    ["GET_best_bid_ask.ccxt-comment.json", "/best_bid_ask?product_ids=BTC-USD&product_ids=ETH-USD"],
    ["GET_products.spot.nautilus.json", "/products?product_type=SPOT"],
  ])("%s ↔ GET %s", async (name, path) => {
    expect(shapeDifferences(fixture(name), await get(path))).toEqual([]);
  });

  it("a 400 body matches the recorded INVALID_ARGUMENT body", async () => {
    const response = await fetch(
      `${sim.restUrl}/api/v3/brokerage/market/products/BTC-USD/candles?granularity=NOPE`,
    );
    expect(response.status).toBe(400);
    expect(
      shapeDifferences(fixture("HTTP400_error.invalid-argument.observed.json"), await response.json()),
    ).toEqual([]);
  });

  it("a CFM product matches the recorded BIP-20DEC30-CDE", async () => {
    const recorded = (
      fixture("GET_products.future-cfm.nautilus.json") as { products: { product_id: string }[] }
    ).products;
    const bip = recorded.find((p) => p.product_id === "BIP-20DEC30-CDE");
    expect(shapeDifferences(bip, await get("/products/BIP-20DEC30-CDE"))).toEqual([]);
  });

  it("order answers match the recorded success, failure and cancel bodies", async () => {
    const client = testClient(sim.restUrl, key);
    try {
      const post = async (path: string, body: unknown) => {
        const url = `${sim.restUrl}/api/v3/brokerage${path}`;
        const signer = createJwtSigner({ keyName: key.name, privateKey: key.privateKey });
        const response = await fetch(url, {
          method: "POST",
          headers: { authorization: `Bearer ${signer.signRest("POST", url)}` },
          body: JSON.stringify(body),
        });
        return response.json() as Promise<{ success_response?: { order_id: string } }>;
      };
      const placed = await post("/orders", {
        client_order_id: "shape-1",
        product_id: "BTC-USD",
        side: "BUY",
        order_configuration: {
          limit_limit_gtc: { base_size: "0.001", limit_price: "1000", post_only: false },
        },
      });
      expect(shapeDifferences(fixture("POST_orders.success.ccxt-comment.json"), placed)).toEqual([]);
      const refused = await post("/orders", {
        client_order_id: "shape-2",
        product_id: "BTC-USD",
        side: "BUY",
        order_configuration: { market_market_ioc: { quote_size: "100000000" } },
      });
      expect(
        shapeDifferences(fixture("POST_orders.failure-insufficient-fund.observed.json"), refused),
      ).toEqual([]);
      const cancelled = await post("/orders/batch_cancel", {
        order_ids: [placed.success_response?.order_id],
      });
      expect(shapeDifferences(fixture("POST_orders_batch_cancel.ccxt-comment.json"), cancelled)).toEqual([]);
      const quoteSell = await post("/orders", {
        client_order_id: "shape-3",
        product_id: "BTC-USD",
        side: "SELL",
        order_configuration: { market_market_ioc: { quote_size: "23.56" } },
      });
      expect(
        shapeDifferences(fixture("POST_orders.failure-market-sell-quote-size.observed.json"), quoteSell),
      ).toEqual([]);
      const unsupported = await post("/orders", {
        client_order_id: "shape-4",
        product_id: "BTC-USD",
        side: "BUY",
        // Two configurations where Coinbase wants exactly one.
        order_configuration: {
          limit_limit_gtc: { base_size: "0.001", limit_price: "40000", post_only: false },
          market_market_ioc: { base_size: "0.001" },
        },
      });
      expect(
        shapeDifferences(fixture("POST_orders.failure-unsupported-config.ccxt-comment.json"), unsupported),
      ).toEqual([]);
      await post("/orders", {
        client_order_id: "shape-5",
        product_id: "BTC-USD",
        side: "BUY",
        order_configuration: { market_market_ioc: { quote_size: "50" } },
      });
      const fills = await get("/orders/historical/fills?product_ids=BTC-USD");
      expect(shapeDifferences(fixture("GET_orders_historical_fills.perp-intx.ccxt.json"), fills)).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
