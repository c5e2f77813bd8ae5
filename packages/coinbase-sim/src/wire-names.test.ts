import { describe, expect, it } from "vitest";
import { snakeKeys, snakeName, snakeQuery } from "./wire-names.js";

describe("request names in either spelling", () => {
  it("renames lowerCamelCase names and keeps snake_case ones", () => {
    expect(snakeName("productId")).toBe("product_id");
    expect(snakeName("limitLimitGtc")).toBe("limit_limit_gtc");
    expect(snakeName("product_id")).toBe("product_id");
    expect(snakeName("limit")).toBe("limit");
  });

  it("renames query parameter names, repeated ones included, and keeps the values", () => {
    const query = snakeQuery(
      new URLSearchParams("productIds=BTC-USD&productIds=ETH-USD&limit=5&start_date=x"),
    );
    expect(query.getAll("product_ids")).toEqual(["BTC-USD", "ETH-USD"]);
    expect(query.get("limit")).toBe("5");
    expect(query.get("start_date")).toBe("x");
    expect(query.has("productIds")).toBe(false);
  });

  it("renames body keys at every depth without touching values or the input", () => {
    const body = {
      clientOrderId: "abc",
      orderConfiguration: { limitLimitGtc: { baseSize: "0.001", limitPrice: "1000", postOnly: false } },
      orderIds: ["keepMe"],
    };
    const copy = structuredClone(body);
    expect(snakeKeys(body)).toEqual({
      client_order_id: "abc",
      order_configuration: { limit_limit_gtc: { base_size: "0.001", limit_price: "1000", post_only: false } },
      order_ids: ["keepMe"],
    });
    expect(body).toEqual(copy);
  });

  it("lets the snake_case spelling win when a body carries both", () => {
    expect(snakeKeys({ productId: "ETH-USD", product_id: "BTC-USD" })).toEqual({ product_id: "BTC-USD" });
  });
});
