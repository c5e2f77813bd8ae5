/**
 * `createOrder` through the real client (JWT signing, undici transport, timeouts) against a
 * loopback venue that loses responses: the order is placed exactly once.
 */
import { generateKeyPairSync } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CoinbaseClient, createCoinbaseClient } from "../../client.js";
import { isCoinbaseClientError } from "../../errors.js";
import { type OrderVenue, startOrderVenue } from "./order-venue.js";

const KEY_NAME = "organizations/test-org/apiKeys/test-key";
const PRIVATE_KEY = generateKeyPairSync("ec", { namedCurve: "prime256v1" })
  .privateKey.export({ type: "pkcs8", format: "pem" })
  .toString();

const LIMIT_BUY = {
  product_id: "BTC-USD",
  side: "BUY",
  order_configuration: { limit_limit_gtc: { base_size: "0.001", limit_price: "50000", post_only: true } },
} as const;

let venue: OrderVenue;
let client: CoinbaseClient;
let ids: number;

beforeEach(async () => {
  venue = await startOrderVenue();
  ids = 0;
  client = createCoinbaseClient({
    credentials: { keyName: KEY_NAME, privateKey: PRIVATE_KEY },
    baseUrl: venue.url,
    timeoutMs: 2_000,
    rateLimit: false,
    retry: false,
    newId: () => `cid-${++ids}`,
  });
});

afterEach(async () => {
  await client.close();
  await venue.close();
});

const posts = () => venue.requests.filter((r) => r.method === "POST");
const lookups = () => venue.requests.filter((r) => r.method === "GET");

describe("createOrder against a venue that loses responses", { timeout: 60_000 }, () => {
  it("places an order, signed, with a generated client_order_id", async () => {
    const result = await client.createOrder(LIMIT_BUY);
    expect(result).toMatchObject({ success: true, clientOrderId: "cid-1", resolvedBy: "response" });
    expect(posts()).toHaveLength(1);
    expect(posts()[0]?.body).toEqual({ ...LIMIT_BUY, client_order_id: "cid-1" });
    expect(posts()[0]?.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it("response dropped after the order was booked: found by lookup, not resent", async () => {
    venue.faults("book-then-drop");
    const result = await client.createOrder(LIMIT_BUY);
    expect(result).toMatchObject({ success: true, clientOrderId: "cid-1", resolvedBy: "lookup" });
    expect(posts()).toHaveLength(1);
    expect(lookups()).toHaveLength(1);
    expect(lookups()[0]?.query.getAll("product_ids")).toEqual(["BTC-USD"]);
    expect(venue.orders.size).toBe(1);
    expect(result.success && result.orderId).toBe(venue.orders.get("cid-1")?.order_id);
  });

  it("request dropped before booking: resent once with the same client_order_id", async () => {
    venue.faults("drop");
    const result = await client.createOrder(LIMIT_BUY);
    expect(result).toMatchObject({ success: true, clientOrderId: "cid-1", resolvedBy: "response" });
    expect(posts().map((r) => r.body)).toEqual([
      { ...LIMIT_BUY, client_order_id: "cid-1" },
      { ...LIMIT_BUY, client_order_id: "cid-1" },
    ]);
    expect(venue.requests.map((r) => r.method)).toEqual(["POST", "GET", "POST"]);
    expect(venue.orders.size).toBe(1);
  });

  it("503 without booking: resent after the lookup", async () => {
    venue.faults("503");
    const result = await client.createOrder(LIMIT_BUY);
    expect(result.success).toBe(true);
    expect(venue.requests.map((r) => r.method)).toEqual(["POST", "GET", "POST"]);
    expect(venue.orders.size).toBe(1);
  });

  it("timeout after booking: found by lookup", async () => {
    venue.faults("book-then-hang");
    const result = await client.createOrder(LIMIT_BUY, { timeoutMs: 1_000 });
    expect(result).toMatchObject({ success: true, resolvedBy: "lookup" });
    expect(posts()).toHaveLength(1);
    expect(venue.orders.size).toBe(1);
  });

  it("every response lost: one order at most, and the error names the client_order_id", async () => {
    venue.faults("drop", "drop", "drop");
    let caught: unknown;
    try {
      await client.createOrder({ ...LIMIT_BUY, client_order_id: "mine-9" }, { maxResends: 2 });
    } catch (error) {
      caught = error;
    }
    expect(isCoinbaseClientError(caught)).toBe(true);
    if (!isCoinbaseClientError(caught)) return;
    expect(caught.code).toBe("network");
    expect(caught.message).toContain("mine-9");
    expect(posts()).toHaveLength(3);
    expect(new Set(posts().map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(venue.orders.size).toBe(0);
  });

  it("the caller aborts while the response hangs: the error names the client_order_id", async () => {
    venue.faults("book-then-hang");
    const controller = new AbortController();
    const pending = client.createOrder(LIMIT_BUY, { signal: controller.signal });
    await venue.received(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({
      code: "aborted",
      message: expect.stringContaining("cid-1"),
    });
    expect(venue.requests).toHaveLength(1);
  });

  it("sends nothing for invalid params", async () => {
    await expect(client.createOrder({ ...LIMIT_BUY, product_id: "not a product" })).rejects.toMatchObject({
      code: "invalid-request",
      field: "product_id",
    });
    await expect(
      client.createOrder({
        ...LIMIT_BUY,
        order_configuration: { limit_limit_gtc: { base_size: "0,001", limit_price: "50000" } },
      }),
    ).rejects.toMatchObject({
      code: "invalid-request",
      field: "order_configuration.limit_limit_gtc.base_size",
    });
    await expect(client.createOrder({ product_id: "BTC-USD", side: "BUY" } as never)).rejects.toMatchObject({
      code: "invalid-request",
      field: "order_configuration",
    });
    expect(venue.requests).toHaveLength(0);
  });
});
