import { describe, expect, it } from "vitest";
import { isCoinbaseClientError } from "../errors.js";
import { parseParams } from "../internal/validate.js";
import type { OrderConfiguration } from "./order-configuration.js";
import {
  cancelOrdersParamsSchema,
  closePositionParamsSchema,
  createOrderParamsSchema,
  editOrderParamsSchema,
  listFillsParamsSchema,
  listOrdersParamsSchema,
} from "./order-requests.js";

/** One valid example of every order configuration of the reference. */
const EVERY_CONFIGURATION: Record<string, OrderConfiguration> = {
  market_market_ioc: { market_market_ioc: { quote_size: "10.00" } },
  market_market_fok: { market_market_fok: { base_size: "0.001", rfq_disabled: true } },
  sor_limit_ioc: { sor_limit_ioc: { base_size: "10", limit_price: "0.05" } },
  limit_limit_gtc: { limit_limit_gtc: { base_size: "0.001", limit_price: "10000.00", post_only: false } },
  limit_limit_gtd: {
    limit_limit_gtd: {
      base_size: "0.001",
      limit_price: "10000.00",
      end_time: "2026-05-31T09:59:59.000Z",
      post_only: true,
    },
  },
  limit_limit_fok: { limit_limit_fok: { quote_size: "10.00", limit_price: "10000.00" } },
  twap_limit_gtd: {
    twap_limit_gtd: {
      base_size: "0.01",
      start_time: "2026-05-31T07:59:59Z",
      end_time: "2026-05-31T09:59:59Z",
      limit_price: "10000.00",
      number_buckets: "5",
      bucket_size: "0.002",
      bucket_duration: "300s",
    },
  },
  stop_limit_stop_limit_gtc: {
    stop_limit_stop_limit_gtc: {
      base_size: "10",
      limit_price: "0.25",
      stop_price: "0.2",
      stop_direction: "STOP_DIRECTION_STOP_DOWN",
    },
  },
  stop_limit_stop_limit_gtd: {
    stop_limit_stop_limit_gtd: {
      base_size: "0.001",
      limit_price: "10000.00",
      stop_price: "20000.00",
      end_time: "2026-05-31T09:59:59Z",
      stop_direction: "STOP_DIRECTION_STOP_UP",
    },
  },
  trigger_bracket_gtc: {
    trigger_bracket_gtc: { base_size: "0.001", limit_price: "10000.00", stop_trigger_price: "9000" },
  },
  trigger_bracket_gtd: {
    trigger_bracket_gtd: {
      base_size: "0.001",
      limit_price: "10000.00",
      stop_trigger_price: "9000",
      end_time: "2026-05-31T09:59:59+02:00",
    },
  },
  scaled_limit_gtc: {
    scaled_limit_gtc: {
      base_size: "1",
      num_orders: 5,
      min_price: "90000",
      max_price: "95000",
      price_distribution: "FLAT",
      size_distribution: "LINEAR_INCREASING",
    },
  },
};

function order(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    product_id: "BTC-USD",
    side: "BUY",
    order_configuration: EVERY_CONFIGURATION.limit_limit_gtc,
    ...overrides,
  };
}

/** The `field` and message of the invalid-request error `run` throws. */
function rejection(run: () => unknown): { field: string | undefined; message: string } {
  try {
    run();
  } catch (error) {
    if (!isCoinbaseClientError(error)) throw error;
    expect(error.code).toBe("invalid-request");
    return { field: error.field, message: error.message };
  }
  throw new Error("expected an invalid-request error");
}

const create = (input: unknown) => parseParams(createOrderParamsSchema, input, "createOrder");

describe("createOrder params", () => {
  it.each(Object.entries(EVERY_CONFIGURATION))("accepts %s", (_kind, config) => {
    expect(create(order({ order_configuration: config })).order_configuration).toEqual(config);
  });

  it("accepts the derivatives and optional fields of the reference", () => {
    const params = order({
      client_order_id: "my-order-1",
      product_id: "BTC-PERP-INTX",
      leverage: "2.0",
      margin_type: "CROSS",
      retail_portfolio_id: "11111111-1111-1111-1111-111111111111",
      preview_id: "b40bbff9-17ce-4726-8b64-9de7ae57ad26",
      attached_order_configuration: {
        trigger_bracket_gtc: { limit_price: "11000", stop_trigger_price: "9000" },
      },
      sor_preference: "SOR_PREFERENCE_UNSPECIFIED",
      cost_basis_method: "COST_BASIS_METHOD_UNSPECIFIED",
      self_trade_prevention_id: "stp-1",
    });
    expect(create(params)).toEqual(params);
  });

  it("names a bad product id", () => {
    expect(rejection(() => create(order({ product_id: "btc usd" }))).field).toBe("product_id");
  });

  it.each([
    ["a number", 0.001],
    ["an exponent", "1e-3"],
    ["two points", "0.1.2"],
    ["a sign", "-1"],
    ["zero", "0.000"],
    ["empty", ""],
  ])("names a size that is %s", (_what, size) => {
    const config = { limit_limit_gtc: { base_size: size, limit_price: "100" } };
    expect(rejection(() => create(order({ order_configuration: config }))).field).toBe(
      "order_configuration.limit_limit_gtc.base_size",
    );
  });

  it("names a missing field", () => {
    expect(
      rejection(() =>
        create({ product_id: "BTC-USD", order_configuration: EVERY_CONFIGURATION.market_market_ioc }),
      ).field,
    ).toBe("side");
    const noPrice = { limit_limit_gtc: { base_size: "1" } };
    expect(rejection(() => create(order({ order_configuration: noPrice }))).field).toBe(
      "order_configuration.limit_limit_gtc.limit_price",
    );
    const noDirection = { stop_limit_stop_limit_gtc: { base_size: "1", limit_price: "2", stop_price: "3" } };
    expect(rejection(() => create(order({ order_configuration: noDirection }))).field).toBe(
      "order_configuration.stop_limit_stop_limit_gtc.stop_direction",
    );
  });

  it("wants exactly one of base_size and quote_size", () => {
    const both = { market_market_ioc: { base_size: "1", quote_size: "10" } };
    const neither = { limit_limit_fok: { limit_price: "1" } };
    expect(rejection(() => create(order({ order_configuration: both }))).field).toBe(
      "order_configuration.market_market_ioc.base_size",
    );
    expect(rejection(() => create(order({ order_configuration: neither }))).field).toBe(
      "order_configuration.limit_limit_fok.base_size",
    );
  });

  it("wants exactly one order type key", () => {
    const two = { ...EVERY_CONFIGURATION.market_market_ioc, ...EVERY_CONFIGURATION.limit_limit_gtc };
    expect(rejection(() => create(order({ order_configuration: two }))).field).toBe("order_configuration");
    expect(rejection(() => create(order({ order_configuration: {} }))).field).toBe("order_configuration");
  });

  it("refuses unknown and misspelt fields", () => {
    expect(rejection(() => create(order({ clientOrderId: "x" }))).message).toContain("clientOrderId");
    const typo = { limit_limit_gtc: { base_size: "1", limit_price: "2", postOnly: true } };
    expect(rejection(() => create(order({ order_configuration: typo }))).field).toBe(
      "order_configuration.limit_limit_gtc",
    );
    expect(
      rejection(() => create(order({ order_configuration: { limit_limit_gtx: {} } }))).message,
    ).toContain("limit_limit_gtx");
  });

  it("refuses reduce_only, which Advanced Trade's create-order body does not have", () => {
    expect(rejection(() => create(order({ reduce_only: true }))).message).toContain("reduce_only");
  });

  it("refuses a quote-sized market sell (Coinbase rejects it)", () => {
    const sell = order({ side: "SELL", order_configuration: EVERY_CONFIGURATION.market_market_ioc });
    expect(rejection(() => create(sell)).field).toBe("order_configuration");
    const baseSell = order({
      side: "SELL",
      order_configuration: { market_market_ioc: { base_size: "0.1" } },
    });
    expect(create(baseSell).side).toBe("SELL");
  });

  it("checks timestamps, enums, TWAP buckets and brackets", () => {
    const gtd = { limit_limit_gtd: { base_size: "1", limit_price: "2", end_time: "tomorrow" } };
    expect(rejection(() => create(order({ order_configuration: gtd }))).field).toBe(
      "order_configuration.limit_limit_gtd.end_time",
    );
    expect(rejection(() => create(order({ side: "buy" }))).field).toBe("side");
    expect(rejection(() => create(order({ margin_type: "cross" }))).field).toBe("margin_type");
    expect(rejection(() => create(order({ leverage: "2x" }))).field).toBe("leverage");
    const twap = EVERY_CONFIGURATION.twap_limit_gtd as unknown as { twap_limit_gtd: Record<string, unknown> };
    const badBuckets = { twap_limit_gtd: { ...twap.twap_limit_gtd, bucket_duration: "5m" } };
    expect(rejection(() => create(order({ order_configuration: badBuckets }))).field).toBe(
      "order_configuration.twap_limit_gtd.bucket_duration",
    );
    const sized = { trigger_bracket_gtc: { base_size: "1", limit_price: "2", stop_trigger_price: "1" } };
    expect(rejection(() => create(order({ attached_order_configuration: sized }))).field).toBe(
      "attached_order_configuration.trigger_bracket_gtc",
    );
  });

  it("wants a scaled order's legs or its ladder", () => {
    const legs = {
      scaled_limit_gtc: {
        orders: [
          { base_size: "0.5", limit_price: "90000" },
          { base_size: "0.5", limit_price: "91000", post_only: true },
        ],
      },
    };
    expect(create(order({ order_configuration: legs })).order_configuration).toEqual(legs);
    const half = { scaled_limit_gtc: { num_orders: 3, min_price: "1" } };
    expect(rejection(() => create(order({ order_configuration: half }))).field).toBe(
      "order_configuration.scaled_limit_gtc.orders",
    );
  });

  it("bounds client_order_id", () => {
    expect(rejection(() => create(order({ client_order_id: "" }))).field).toBe("client_order_id");
    expect(rejection(() => create(order({ client_order_id: "x".repeat(129) }))).field).toBe(
      "client_order_id",
    );
  });

  it("never quotes a rejected string in the message", () => {
    const secretish = "organizations/abc/apiKeys/def";
    const { message } = rejection(() => create(order({ product_id: secretish })));
    expect(message).not.toContain(secretish);
  });
});

describe("other order params", () => {
  it("edit: price and size are positive decimal strings", () => {
    const edit = (input: unknown) => parseParams(editOrderParamsSchema, input, "editOrder");
    expect(edit({ order_id: "abc-1", price: "1.5", size: "2" })).toEqual({
      order_id: "abc-1",
      price: "1.5",
      size: "2",
    });
    expect(rejection(() => edit({ order_id: "abc-1", price: 1.5, size: "2" })).field).toBe("price");
    expect(rejection(() => edit({ order_id: "a/b", price: "1", size: "2" })).field).toBe("order_id");
  });

  it("cancel: 1 to 100 ids", () => {
    const cancel = (input: unknown) => parseParams(cancelOrdersParamsSchema, input, "cancelOrders");
    expect(rejection(() => cancel({ order_ids: [] })).field).toBe("order_ids");
    const many = Array.from({ length: 101 }, (_, i) => `id-${i}`);
    expect(rejection(() => cancel({ order_ids: many })).field).toBe("order_ids");
    expect(cancel({ order_ids: many.slice(0, 100) }).order_ids).toHaveLength(100);
  });

  it("close position: product and optional size", () => {
    const close = (input: unknown) => parseParams(closePositionParamsSchema, input, "closePosition");
    expect(close({ product_id: "BIP-20DEC30-CDE" })).toEqual({ product_id: "BIP-20DEC30-CDE" });
    expect(rejection(() => close({ product_id: "BIP-20DEC30-CDE", size: "all" })).field).toBe("size");
  });

  it("list orders: OPEN stands alone, dates are RFC 3339, limit is a positive integer", () => {
    const list = (input: unknown) => parseParams(listOrdersParamsSchema, input, "listOrders");
    expect(list({ order_status: ["OPEN"], product_ids: ["BTC-USD"] }).order_status).toEqual(["OPEN"]);
    expect(list({ order_status: ["FILLED", "CANCELLED"] }).order_status).toEqual(["FILLED", "CANCELLED"]);
    expect(rejection(() => list({ order_status: ["OPEN", "FILLED"] })).field).toBe("order_status");
    expect(rejection(() => list({ order_status: ["PARTIALLY_FILLED"] })).field).toBe("order_status.0");
    expect(rejection(() => list({ start_date: "2026-01-01" })).field).toBe("start_date");
    expect(rejection(() => list({ limit: 0 })).field).toBe("limit");
    expect(rejection(() => list({ limit: 2.5 })).field).toBe("limit");
  });

  it("list fills: filters", () => {
    const list = (input: unknown) => parseParams(listFillsParamsSchema, input, "listFills");
    expect(list({ product_ids: ["BTC-USD"], limit: 100, sort_by: "TRADE_TIME" }).limit).toBe(100);
    expect(rejection(() => list({ product_ids: ["BTC_USD"] })).field).toBe("product_ids.0");
    expect(rejection(() => list({ end_sequence_timestamp: 1 })).field).toBe("end_sequence_timestamp");
  });
});
