import type { CoinbaseClient } from "@gpt/coinbase-client";
import { ManualClock } from "@gpt/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "./server.js";
import { testClient } from "./test-client.js";
import { signedFetch } from "./test-http.js";
import { ecKey } from "./test-keys.js";

const T0 = Date.UTC(2026, 0, 10, 0, 30);

describe("order and edit previews", { timeout: 60_000 }, () => {
  const key = ecKey();
  let sim: Simulator;
  let client: CoinbaseClient;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 7, clock: new ManualClock(T0), keys: [key] });
    client = testClient(sim.restUrl, key);
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it("previews a market buy with its totals and a preview_id, and places nothing", async () => {
    const preview = await client.previewOrders({
      product_id: "BTC-USD",
      side: "BUY",
      order_configuration: { market_market_ioc: { quote_size: "1000" } },
    });
    expect(preview.errs).toEqual([]);
    expect(preview.preview_id).toMatch(/^[0-9a-f-]{36}$/);
    const notional = Number(preview.quote_size);
    expect(notional).toBeGreaterThan(990);
    expect(notional).toBeLessThanOrEqual(1001);
    expect(Number(preview.commission_total)).toBeCloseTo(notional * 0.006, 6);
    expect(Number(preview.order_total)).toBeCloseTo(notional * 1.006, 6);
    expect(Number(preview.best_bid)).toBeLessThan(Number(preview.best_ask));
    expect((await client.listOrders({})).orders).toEqual([]);
    const placed = await client.createOrder({
      product_id: "BTC-USD",
      side: "BUY",
      order_configuration: { market_market_ioc: { quote_size: "1000" } },
      preview_id: preview.preview_id ?? "",
    });
    expect(placed.success).toBe(true);
  });

  it("lists the checks an order would fail", async () => {
    const errsOf = async (params: Parameters<typeof client.previewOrders>[0]) =>
      (await client.previewOrders(params)).errs;
    expect(
      await errsOf({
        product_id: "BTC-USD",
        side: "SELL",
        order_configuration: { market_market_ioc: { base_size: "5" } },
      }),
    ).toEqual(["PREVIEW_INSUFFICIENT_FUND"]);
    expect(
      await errsOf({
        product_id: "BTC-USD",
        side: "BUY",
        order_configuration: { limit_limit_gtc: { base_size: "0.01", limit_price: "50000.001" } },
      }),
    ).toContain("PREVIEW_INVALID_PRICE_PRECISION");
    expect(
      await errsOf({
        product_id: "BTC-USD",
        side: "BUY",
        order_configuration: {
          limit_limit_gtc: { base_size: "0.01", limit_price: "900000", post_only: true },
        },
      }),
    ).toContain("PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY");
    expect(
      await errsOf({
        product_id: "DOGE-USD",
        side: "BUY",
        order_configuration: { market_market_ioc: { quote_size: "10" } },
      }),
    ).toEqual(["PREVIEW_INVALID_PRODUCT_ID"]);
    // The client refuses a quote-sized market sell itself: send it raw.
    const raw = await signedFetch(sim.restUrl, key, "POST", "/orders/preview", {
      product_id: "BTC-USD",
      side: "SELL",
      order_configuration: { market_market_ioc: { quote_size: "10" } },
    });
    expect(raw).toMatchObject({ status: 200, body: { errs: ["PREVIEW_INVALID_ORDER_CONFIG"] } });
    expect(
      await errsOf({
        product_id: "BIP-20DEC30-CDE",
        side: "BUY",
        order_configuration: { market_market_ioc: { base_size: "1" } },
        leverage: "20",
      }),
    ).toEqual(["PREVIEW_INVALID_LEVERAGE"]);
  });

  it("previews a futures order's margin at a leverage", async () => {
    const preview = await client.previewOrders({
      product_id: "BIP-20DEC30-CDE",
      side: "BUY",
      order_configuration: { market_market_ioc: { base_size: "2" } },
      leverage: "5",
      margin_type: "CROSS",
    });
    expect(preview.errs).toEqual([]);
    expect(Number(preview.order_margin_total)).toBeCloseTo(Number(preview.quote_size) / 5, 6);
    expect([preview.leverage, preview.max_leverage]).toEqual(["5", "10"]);
    expect(Number(preview.projected_liquidation_buffer)).toBeLessThan(
      Number(preview.current_liquidation_buffer),
    );
    expect((await client.listFuturesPositions()).positions).toEqual([]);
  });

  it("previews an edit without changing the order", async () => {
    const book = await client.getBestBidAsk({ product_ids: ["BTC-USD"] });
    const bid = Number(book.pricebooks[0]?.bids[0]?.price);
    const price = (Math.floor(bid * 0.9 * 100) / 100).toFixed(2);
    const placed = await client.createOrder({
      product_id: "BTC-USD",
      side: "BUY",
      order_configuration: { limit_limit_gtc: { base_size: "0.01", limit_price: price } },
    });
    if (!placed.success) throw new Error("the resting buy was refused");
    const lower = (Number(price) - 1).toFixed(2);
    const preview = await client.editOrderPreview({ order_id: placed.orderId, price: lower, size: "0.02" });
    expect(preview.errors).toEqual([]);
    expect(preview.base_size).toBe("0.02");
    expect(Number(preview.quote_size)).toBeCloseTo(Number(lower) * 0.02, 6);
    const same = await client.editOrderPreview({ order_id: placed.orderId, price, size: "0.01" });
    expect(same.errors?.map((e) => e.edit_failure_reason)).toEqual([
      "EDIT_REQUEST_EQUAL_TO_ORIGINAL_REQUEST",
    ]);
    const offTick = await client.editOrderPreview({
      order_id: placed.orderId,
      price: "100.001",
      size: "0.01",
    });
    expect(offTick.errors?.[0]?.preview_failure_reason).toBe("PREVIEW_INVALID_PRICE_PRECISION");
    const missing = await client.editOrderPreview({
      order_id: "00000000-0000-4000-8000-000000000000",
      price,
      size: "0.01",
    });
    expect(missing.errors?.map((e) => e.edit_failure_reason)).toEqual(["ORDER_NOT_FOUND"]);
    const { order } = await client.getOrder({ order_id: placed.orderId });
    expect(order.order_configuration).toMatchObject({ limit_limit_gtc: { limit_price: price } });
    expect(order.edit_history ?? []).toEqual([]);
  });

  it("answers a body without the required fields with 400 INVALID_ARGUMENT (raw HTTP)", async () => {
    for (const path of ["/orders/preview", "/orders/edit_preview"]) {
      const answer = await signedFetch(sim.restUrl, key, "POST", path, { side: "BUY" });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: "INVALID_ARGUMENT" });
    }
  });
});
