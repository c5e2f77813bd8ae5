import { describe, expect, it } from "vitest";
import { CoinbaseClientError, isCoinbaseClientError } from "../../errors.js";
import { cancelOrders } from "./cancel-orders.js";
import { closePosition } from "./close-position.js";
import { createOrder } from "./create-order.js";
import { editOrder, editOrderPreview } from "./edit-order.js";
import { fail, fakeContext, reply } from "./fake-context.js";
import { getOrder } from "./get-order.js";
import { iterateFills, listFills } from "./list-fills.js";
import { iterateOrders, listOrders } from "./list-orders.js";
import { previewOrders } from "./preview-orders.js";

const LIMIT_BUY = {
  product_id: "BTC-USD",
  side: "BUY",
  order_configuration: { limit_limit_gtc: { base_size: "0.001", limit_price: "10000.00", post_only: false } },
} as const;

const PLACED = {
  success: true,
  success_response: {
    order_id: "11111-00000-000000",
    product_id: "BTC-USD",
    side: "BUY",
    client_order_id: "generated-id-1",
  },
  order_configuration: LIMIT_BUY.order_configuration,
};

function anOrder(orderId: string, clientOrderId: string, extra: Record<string, unknown> = {}) {
  return {
    order_id: orderId,
    product_id: "BTC-USD",
    side: "BUY",
    client_order_id: clientOrderId,
    status: "OPEN",
    created_time: "2024-01-15T10:00:00Z",
    filled_size: "0",
    fee: "",
    number_of_fills: "0",
    last_fill_time: null,
    ...extra,
  };
}

function aFill(n: number) {
  return {
    trade_id: `t-${n}`,
    order_id: "o-1",
    price: "0.6091",
    size: 20,
    product_id: "ADA-PERP-INTX",
    side: "BUY",
  };
}

async function rejected(run: () => Promise<unknown>): Promise<CoinbaseClientError> {
  try {
    await run();
  } catch (error) {
    if (isCoinbaseClientError(error)) return error;
    throw error;
  }
  throw new Error("expected a CoinbaseClientError");
}

describe("createOrder", () => {
  it("sends the body with a generated client_order_id and returns a placed result", async () => {
    const ctx = fakeContext([reply(PLACED)]);
    const result = await createOrder(ctx, LIMIT_BUY);
    expect(ctx.requests).toEqual([
      {
        operation: "createOrder",
        method: "POST",
        path: "/orders",
        body: { ...LIMIT_BUY, client_order_id: "generated-id-1" },
        auth: "private",
        retry: "never",
      },
    ]);
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.orderId).toBe("11111-00000-000000");
    expect(result.clientOrderId).toBe("generated-id-1");
    expect(result.resolvedBy).toBe("response");
  });

  it("keeps the caller's client_order_id", async () => {
    const ctx = fakeContext([reply(PLACED)]);
    const result = await createOrder(ctx, { ...LIMIT_BUY, client_order_id: "mine-7" });
    expect(ctx.requests[0]?.body).toMatchObject({ client_order_id: "mine-7" });
    expect(result.clientOrderId).toBe("mine-7");
  });

  it("sends nothing when the params are invalid", async () => {
    const ctx = fakeContext([reply(PLACED)]);
    const error = await rejected(() =>
      createOrder(ctx, {
        ...LIMIT_BUY,
        order_configuration: { limit_limit_gtc: { base_size: "1e-3", limit_price: "1" } },
      }),
    );
    expect(error.code).toBe("invalid-request");
    expect(error.field).toBe("order_configuration.limit_limit_gtc.base_size");
    expect(ctx.requests).toHaveLength(0);
  });

  it("turns HTTP 200 success:false into a typed result", async () => {
    const ctx = fakeContext([
      reply({
        success: false,
        failure_reason: "UNKNOWN_FAILURE_REASON",
        order_id: "",
        error_response: {
          error: "INSUFFICIENT_FUND",
          message: "Insufficient balance in source account",
          error_details: "",
          preview_failure_reason: "PREVIEW_INSUFFICIENT_FUND",
        },
        order_configuration: { market_market_ioc: { quote_size: "1" } },
      }),
    ]);
    const result = await createOrder(ctx, {
      product_id: "BTC-USD",
      side: "BUY",
      order_configuration: { market_market_ioc: { quote_size: "1" } },
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.failureReason).toBe("PREVIEW_INSUFFICIENT_FUND");
    expect(result.message).toBe("Insufficient balance in source account");
    expect(result.error_response?.error).toBe("INSUFFICIENT_FUND");
    expect(result.clientOrderId).toBe("generated-id-1");
  });

  it("prefers new_order_failure_reason and keeps unknown reasons as sent", async () => {
    const ctx = fakeContext([
      reply({
        success: false,
        error_response: { error: "X", new_order_failure_reason: "UNSUPPORTED_ORDER_CONFIGURATION" },
      }),
      reply({ success: false, error_response: { new_order_failure_reason: "SOMETHING_NEW_2027" } }),
      reply({ success: false }),
    ]);
    const reasons = [];
    for (let i = 0; i < 3; i++) {
      const result = await createOrder(ctx, LIMIT_BUY);
      reasons.push(result.success ? "placed" : result.failureReason);
    }
    expect(reasons).toEqual([
      "UNSUPPORTED_ORDER_CONFIGURATION",
      "SOMETHING_NEW_2027",
      "UNKNOWN_FAILURE_REASON",
    ]);
  });

  it("accepts the older top-level order_id form", async () => {
    const ctx = fakeContext([
      reply({
        success: true,
        failure_reason: "UNKNOWN_FAILURE_REASON",
        order_id: "abc",
        order_configuration: null,
      }),
    ]);
    const result = await createOrder(ctx, LIMIT_BUY);
    expect(result.success && result.orderId).toBe("abc");
  });

  it("names the path of a broken success body", async () => {
    const ctx = fakeContext([
      reply({ success: true, success_response: { order_id: 42 } }),
      reply({ orders: [] }),
    ]);
    const error = await rejected(() => createOrder(ctx, LIMIT_BUY, { maxResends: 0 }));
    expect(error.code).toBe("invalid-response");
    expect(error.message).toContain("generated-id-1");
    // The garbled 2xx counts as a lost response: the order was looked up, not resent.
    expect(ctx.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /orders",
      "GET /orders/historical/batch",
    ]);
  });

  it("on a timeout, finds the order by client_order_id and does not resend", async () => {
    const timeout = new CoinbaseClientError("timeout", "createOrder: no answer in 10 ms", {
      operation: "createOrder",
      path: "/orders",
      retryable: true,
    });
    const ctx = fakeContext([
      fail(timeout),
      reply({ orders: [anOrder("other", "someone-else")], has_next: true, cursor: "c1" }),
      reply({ orders: [anOrder("found-1", "generated-id-1")], has_next: false, cursor: "" }),
    ]);
    const result = await createOrder(ctx, LIMIT_BUY);
    expect(result).toMatchObject({
      success: true,
      orderId: "found-1",
      clientOrderId: "generated-id-1",
      resolvedBy: "lookup",
    });
    expect(ctx.requests.map((r) => [r.method, r.path, r.query])).toEqual([
      ["POST", "/orders", undefined],
      ["GET", "/orders/historical/batch", { product_ids: ["BTC-USD"], limit: 100 }],
      ["GET", "/orders/historical/batch", { product_ids: ["BTC-USD"], limit: 100, cursor: "c1" }],
    ]);
  });

  it("on a 5xx, resends with the same client_order_id only after the lookup proves the order absent", async () => {
    const bad = new CoinbaseClientError("http", "createOrder: HTTP 503", {
      status: 503,
      operation: "createOrder",
      path: "/orders",
    });
    const ctx = fakeContext([fail(bad), reply({ orders: [], has_next: false, cursor: "" }), reply(PLACED)]);
    const result = await createOrder(ctx, LIMIT_BUY);
    expect(result).toMatchObject({ success: true, resolvedBy: "response", clientOrderId: "generated-id-1" });
    const posts = ctx.requests.filter((r) => r.method === "POST");
    expect(posts).toHaveLength(2);
    expect(posts[0]?.body).toEqual(posts[1]?.body);
  });

  it("reports a found FAILED order as refused", async () => {
    const network = new CoinbaseClientError("network", "socket hang up", {
      operation: "createOrder",
      path: "/orders",
    });
    const ctx = fakeContext([
      fail(network),
      reply({
        orders: [
          anOrder("f-1", "generated-id-1", {
            status: "FAILED",
            reject_reason: "HOLD_FAILURE",
            reject_message: "hold",
          }),
        ],
      }),
    ]);
    const result = await createOrder(ctx, LIMIT_BUY);
    expect(result).toMatchObject({
      success: false,
      failureReason: "HOLD_FAILURE",
      message: "hold",
      resolvedBy: "lookup",
    });
  });

  it("gives up after maxResends with an error naming the client_order_id", async () => {
    const network = new CoinbaseClientError("network", "createOrder: connection reset", {
      operation: "createOrder",
      path: "/orders",
      retryable: true,
    });
    const ctx = fakeContext([
      (spec) => (spec.method === "POST" ? fail(network)(spec) : { orders: [], has_next: false }),
    ]);
    const error = await rejected(() => createOrder(ctx, LIMIT_BUY, { maxResends: 1 }));
    expect(error.code).toBe("network");
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("outcome is unknown");
    expect(error.message).toContain("generated-id-1");
    expect(error.cause).toBe(network);
    expect(ctx.requests.filter((r) => r.method === "POST")).toHaveLength(2);
  });

  it("reports an unknown outcome when the lookup fails too", async () => {
    const timeout = new CoinbaseClientError("timeout", "createOrder: timed out", {
      operation: "createOrder",
      path: "/orders",
    });
    const down = new CoinbaseClientError("network", "listOrders: refused", { operation: "listOrders" });
    const ctx = fakeContext([fail(timeout), fail(down)]);
    const error = await rejected(() => createOrder(ctx, LIMIT_BUY));
    expect(error.code).toBe("timeout");
    expect(error.message).toContain("lookup by client_order_id failed");
    expect(ctx.requests).toHaveLength(2);
  });

  it.each([
    ["a 4xx", new CoinbaseClientError("http", "HTTP 400", { status: 400 })],
    ["a 429", new CoinbaseClientError("rate-limited", "HTTP 429", { status: 429 })],
  ])("passes %s through without a lookup", async (_what, error) => {
    const ctx = fakeContext([fail(error)]);
    expect(await rejected(() => createOrder(ctx, LIMIT_BUY))).toBe(error);
    expect(ctx.requests).toHaveLength(1);
  });

  it("on the caller's abort, looks nothing up but names the client_order_id", async () => {
    const abort = new CoinbaseClientError("aborted", "createOrder: aborted", { operation: "createOrder" });
    const ctx = fakeContext([fail(abort)]);
    const error = await rejected(() => createOrder(ctx, LIMIT_BUY));
    expect(error.code).toBe("aborted");
    expect(error.message).toContain("generated-id-1");
    expect(error.cause).toBe(abort);
    expect(ctx.requests).toHaveLength(1);
  });

  it("an abort during the lookup is reported as an abort", async () => {
    const timeout = new CoinbaseClientError("timeout", "createOrder: timed out", {
      operation: "createOrder",
    });
    const abort = new CoinbaseClientError("aborted", "listOrders: aborted", { operation: "listOrders" });
    const ctx = fakeContext([fail(timeout), fail(abort)]);
    const error = await rejected(() => createOrder(ctx, LIMIT_BUY));
    expect(error.code).toBe("aborted");
    expect(error.message).toContain("generated-id-1");
  });

  it("bounds the lookup by lookupDepth", async () => {
    const timeout = new CoinbaseClientError("timeout", "t", { operation: "createOrder" });
    const ctx = fakeContext([
      fail(timeout),
      reply({ orders: [anOrder("a", "x")], has_next: true, cursor: "c1" }),
      reply({ orders: [anOrder("b", "y")], has_next: true, cursor: "c2" }),
    ]);
    const error = await rejected(() => createOrder(ctx, LIMIT_BUY, { maxResends: 0, lookupDepth: 2 }));
    expect(error.code).toBe("timeout");
    expect(ctx.requests.map((r) => r.query?.limit)).toEqual([undefined, 2, 1]);
  });
});

describe("closePosition", () => {
  it("sends client_order_id, product and size to /orders/close_position", async () => {
    const ctx = fakeContext([reply({ success: true, success_response: { order_id: "c-1" } })]);
    const result = await closePosition(ctx, { product_id: "BIP-20DEC30-CDE", size: "1" });
    expect(ctx.requests[0]).toMatchObject({
      path: "/orders/close_position",
      body: { product_id: "BIP-20DEC30-CDE", size: "1", client_order_id: "generated-id-1" },
    });
    expect(result.success && result.orderId).toBe("c-1");
  });
});

describe("previewOrders, editOrder, editOrderPreview, cancelOrders", () => {
  it("previews without a client_order_id and keeps unknown fields", async () => {
    const ctx = fakeContext([
      reply({
        order_total: "10.06",
        commission_total: 0.06,
        errs: [],
        preview_id: "p-1",
        pnl_configuration: {},
      }),
    ]);
    const preview = await previewOrders(ctx, LIMIT_BUY);
    expect(ctx.requests[0]).toMatchObject({ path: "/orders/preview", body: LIMIT_BUY, retry: "safe" });
    expect(preview).toMatchObject({
      order_total: "10.06",
      commission_total: "0.06",
      preview_id: "p-1",
      pnl_configuration: {},
    });
    await expect(previewOrders(ctx, { ...LIMIT_BUY, client_order_id: "x" } as never)).rejects.toThrow(
      /client_order_id/,
    );
  });

  it("edits, and types a refused edit", async () => {
    const ctx = fakeContext([
      reply({ success: true, success_response: { order_id: "o-1" } }),
      reply({
        success: false,
        error_response: { error: "UNKNOWN", message: "below filled" },
        errors: [
          {
            edit_failure_reason: "CANNOT_EDIT_TO_BELOW_FILLED_SIZE",
            preview_failure_reason: "UNKNOWN_PREVIEW_FAILURE_REASON",
          },
        ],
      }),
    ]);
    const params = { order_id: "o-1", price: "0.08", size: "20" };
    expect((await editOrder(ctx, params)).success).toBe(true);
    const refused = await editOrder(ctx, params);
    expect(refused).toMatchObject({
      success: false,
      failureReason: "CANNOT_EDIT_TO_BELOW_FILLED_SIZE",
      message: "below filled",
    });
    expect(ctx.requests[0]).toMatchObject({ method: "POST", path: "/orders/edit", body: params });
    expect(ctx.requests[0]?.retry).toBeUndefined();
  });

  it("previews an edit", async () => {
    const ctx = fakeContext([
      reply({ errors: [], slippage: "0", order_total: "1.68", best_bid: "0.2", best_ask: "0.21" }),
    ]);
    const preview = await editOrderPreview(ctx, { order_id: "o-1", price: "0.21", size: "4" });
    expect(ctx.requests[0]?.path).toBe("/orders/edit_preview");
    expect(preview.order_total).toBe("1.68");
  });

  it("cancels and reports per order", async () => {
    const ctx = fakeContext([
      reply({
        results: [
          { success: true, failure_reason: "UNKNOWN_CANCEL_FAILURE_REASON", order_id: "a" },
          { success: false, failure_reason: "ORDER_IS_FULLY_FILLED", order_id: "b" },
        ],
      }),
    ]);
    const { results } = await cancelOrders(ctx, { order_ids: ["a", "b"] });
    expect(ctx.requests[0]).toMatchObject({ path: "/orders/batch_cancel", body: { order_ids: ["a", "b"] } });
    expect(results.map((r) => [r.order_id, r.success, r.failure_reason])).toEqual([
      ["a", true, "UNKNOWN_CANCEL_FAILURE_REASON"],
      ["b", false, "ORDER_IS_FULLY_FILLED"],
    ]);
  });
});

describe("getOrder and listOrders", () => {
  it("encodes the order id in the path and normalises unset timestamps", async () => {
    const ctx = fakeContext([
      reply({ order: anOrder("a b", "c", { last_fill_time: "0001-01-01T00:00:00Z", edit_history: [] }) }),
    ]);
    await expect(getOrder(ctx, { order_id: "a b" })).rejects.toThrow(/order_id/);
    const { order } = await getOrder(ctx, { order_id: "id:1.2" });
    expect(ctx.requests[0]?.path).toBe("/orders/historical/id%3A1.2");
    expect(order.last_fill_time).toBeNull();
    expect(order.number_of_fills).toBe(0);
    expect(order.fee).toBe("");
  });

  it("names the JSON path of a broken order", async () => {
    const ctx = fakeContext([
      reply({ orders: [anOrder("a", "b"), anOrder("c", "d", { filled_size: "lots" })], has_next: false }),
    ]);
    const error = await rejected(() => listOrders(ctx, { product_ids: ["BTC-USD"] }));
    expect(error.code).toBe("invalid-response");
    expect(error.field).toBe("orders.1.filled_size");
  });

  it("iterates every page and stops at has_next false", async () => {
    const ctx = fakeContext([
      reply({ orders: [anOrder("1", "a"), anOrder("2", "b")], has_next: true, cursor: "c1" }),
      reply({ orders: [anOrder("3", "c")], has_next: false, cursor: "" }),
    ]);
    const ids = [];
    for await (const order of iterateOrders(ctx, { order_status: ["FILLED"], limit: 2 }))
      ids.push(order.order_id);
    expect(ids).toEqual(["1", "2", "3"]);
    expect(ctx.requests.map((r) => r.query)).toEqual([
      { order_status: ["FILLED"], limit: 2 },
      { order_status: ["FILLED"], limit: 2, cursor: "c1" },
    ]);
  });

  it("refuses to follow a repeated cursor", async () => {
    const ctx = fakeContext([reply({ orders: [anOrder("1", "a")], has_next: true, cursor: "same" })]);
    const iterator = iterateOrders(ctx);
    const error = await rejected(async () => {
      for await (const _ of iterator) {
        // drain
      }
    });
    expect(error.code).toBe("invalid-response");
    expect(ctx.requests).toHaveLength(2);
  });
});

describe("listFills and iterateFills", () => {
  it("sends the filters as a query and keeps numeric sizes as strings", async () => {
    const ctx = fakeContext([reply({ fills: [aFill(1)], cursor: "" })]);
    const page = await listFills(ctx, { order_ids: ["o-1"], limit: 10 });
    expect(ctx.requests[0]).toMatchObject({
      method: "GET",
      path: "/orders/historical/fills",
      query: { order_ids: ["o-1"], limit: 10 },
    });
    expect(page.fills[0]?.size).toBe("20");
  });

  it("stops when the cursor is empty", async () => {
    const ctx = fakeContext([
      reply({ fills: [aFill(1), aFill(2)], cursor: "c1" }),
      reply({ fills: [aFill(3), aFill(4)], cursor: "" }),
    ]);
    const ids = [];
    for await (const fill of iterateFills(ctx, { limit: 2 })) ids.push(fill.trade_id);
    expect(ids).toEqual(["t-1", "t-2", "t-3", "t-4"]);
    expect(ctx.requests).toHaveLength(2);
  });

  it("stops when a page is short, even with a cursor", async () => {
    const ctx = fakeContext([
      reply({ fills: [aFill(1), aFill(2)], cursor: "c1" }),
      reply({ fills: [aFill(3)], cursor: "c2" }),
    ]);
    const ids = [];
    for await (const fill of iterateFills(ctx, { limit: 2 })) ids.push(fill.trade_id);
    expect(ids).toEqual(["t-1", "t-2", "t-3"]);
    expect(ctx.requests.map((r) => r.query?.cursor)).toEqual([undefined, "c1"]);
  });

  it("compares with Coinbase's default page of 100 when no limit is given", async () => {
    const full = Array.from({ length: 100 }, (_, i) => aFill(i));
    const ctx = fakeContext([
      reply({ fills: full, cursor: "c1" }),
      reply({ fills: [aFill(100)], cursor: "c2" }),
    ]);
    let count = 0;
    for await (const _ of iterateFills(ctx)) count++;
    expect(count).toBe(101);
    expect(ctx.requests).toHaveLength(2);
  });

  it("requests a page only when the previous one is consumed", async () => {
    const ctx = fakeContext([reply({ fills: [aFill(1), aFill(2)], cursor: "c1" })]);
    for await (const _ of iterateFills(ctx, { limit: 2 })) break;
    expect(ctx.requests).toHaveLength(1);
  });
});
