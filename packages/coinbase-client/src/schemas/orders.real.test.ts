/**
 * Every recorded order, cancel and fill payload in ../shared parses through our schemas and turns
 * into the typed result our methods return. Runs under `pnpm test:real`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { requireShared } from "@gpt/testkit";
import { describe, expect, it } from "vitest";
import { cancelOrders } from "../actions/orders/cancel-orders.js";
import { createOrder } from "../actions/orders/create-order.js";
import { fakeContext, reply } from "../actions/orders/fake-context.js";
import { listFills } from "../actions/orders/list-fills.js";
import { parseResponse } from "../internal/validate.js";
import { cancelOrdersResponseSchema, createOrderResponseSchema } from "./order-results.js";
import { listFillsResponseSchema } from "./orders.js";

const ROOT = requireShared("fixtures", "coinbase-advanced-trade");

function fixtures(prefix: string): { name: string; body: unknown }[] {
  return ["rest", "doc-examples"].flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .filter((name) => name.startsWith(prefix) && name.endsWith(".json"))
      .map((name) => ({
        name: `${dir}/${name}`,
        body: JSON.parse(readFileSync(join(ROOT, dir, name), "utf8")) as unknown,
      })),
  );
}

const ORDER_BODIES = fixtures("POST_orders.");
const CANCEL_BODIES = fixtures("POST_orders_batch_cancel.");
const FILL_BODIES = fixtures("GET_orders_historical_fills.");

const ANY_ORDER = {
  product_id: "BTC-USD",
  side: "BUY",
  order_configuration: { market_market_ioc: { base_size: "1" } },
} as const;

describe("recorded order payloads", () => {
  it("finds the fixtures", () => {
    expect(ORDER_BODIES.length).toBeGreaterThanOrEqual(6);
    expect(CANCEL_BODIES.length).toBeGreaterThanOrEqual(2);
    expect(FILL_BODIES.length).toBeGreaterThanOrEqual(1);
  });

  it.each(ORDER_BODIES)("POST /orders $name parses and keeps every field", ({ body }) => {
    const parsed = parseResponse(createOrderResponseSchema, body, "createOrder");
    expect(parsed).toEqual(body);
  });

  it.each(ORDER_BODIES)("POST /orders $name becomes a typed result", async ({ body }) => {
    const result = await createOrder(fakeContext([reply(body)]), ANY_ORDER);
    const sent = body as { success: boolean; success_response?: { order_id: string } };
    expect(result.success).toBe(sent.success);
    if (result.success) expect(result.orderId).toBe(sent.success_response?.order_id);
    else expect(result.failureReason).toMatch(/^[A-Z_]+$/);
  });

  it("types the recorded refusals with the most specific reason", async () => {
    const reasons = new Map<string, string>();
    for (const { name, body } of ORDER_BODIES) {
      const result = await createOrder(fakeContext([reply(body)]), ANY_ORDER);
      if (!result.success) reasons.set(name, result.failureReason);
    }
    expect(reasons.get("rest/POST_orders.failure-insufficient-fund.observed.json")).toBe(
      "PREVIEW_INSUFFICIENT_FUND",
    );
    expect(reasons.get("rest/POST_orders.failure-market-sell-quote-size.observed.json")).toBe(
      "PREVIEW_INVALID_ORDER_CONFIG",
    );
    expect(reasons.get("rest/POST_orders.failure-unsupported-config.ccxt-comment.json")).toBe(
      "UNSUPPORTED_ORDER_CONFIGURATION",
    );
    expect(reasons.get("doc-examples/POST_orders.failure.docs.json")).toBe("UNSUPPORTED_ORDER_CONFIGURATION");
  });

  it.each(CANCEL_BODIES)("POST /orders/batch_cancel $name", async ({ body }) => {
    expect(parseResponse(cancelOrdersResponseSchema, body, "cancelOrders")).toEqual(body);
    const { results } = await cancelOrders(fakeContext([reply(body)]), { order_ids: ["x"] });
    expect(results[0]?.success).toBe(true);
  });

  it.each(FILL_BODIES)("GET /orders/historical/fills $name", async ({ body }) => {
    expect(parseResponse(listFillsResponseSchema, body, "listFills")).toEqual(body);
    const page = await listFills(fakeContext([reply(body)]));
    expect(page.fills[0]).toMatchObject({ price: "0.6091", size: "20", liquidity_indicator: "TAKER" });
  });
});
