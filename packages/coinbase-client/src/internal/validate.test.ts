import { describe, expect, it } from "vitest";
import { isCoinbaseClientError } from "../errors.js";
import { decimalString, numberish, productId, responseDecimal, timestamp, uuid } from "../schemas/common.js";
import { parseParams, parseResponse } from "./validate.js";
import * as z from "./zod.js";

const paramsSchema = z.memo(() =>
  z.object({ product_id: productId(), size: decimalString(), client_order_id: z.optional(uuid()) }),
);

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("parseParams", () => {
  it("returns valid params", () => {
    expect(parseParams(paramsSchema, { product_id: "BTC-USD", size: "0.01" }, "createOrder")).toEqual({
      product_id: "BTC-USD",
      size: "0.01",
    });
  });

  it("names the operation and field and never repeats a raw string", () => {
    const secret = "-----BEGIN EC PRIVATE KEY-----abc";
    const error = caught(() => parseParams(paramsSchema, { product_id: secret, size: "1" }, "createOrder"));
    expect(isCoinbaseClientError(error)).toBe(true);
    if (!isCoinbaseClientError(error)) return;
    expect(error.code).toBe("invalid-request");
    expect(error.field).toBe("product_id");
    expect(error.operation).toBe("createOrder");
    expect(error.message).toContain("createOrder");
    expect(error.message).toContain("a 33-character string");
    expect(JSON.stringify(error)).not.toContain("BEGIN");
    expect(error.message).not.toContain("BEGIN");
  });

  it("rejects signed and exponent decimals on the request side", () => {
    for (const size of ["-1", "1e5", "1.", ".5", " 1"]) {
      const error = caught(() => parseParams(paramsSchema, { product_id: "BTC-USD", size }, "x"));
      expect(isCoinbaseClientError(error) && error.field).toBe("size");
    }
  });
});

describe("parseResponse and common response schemas", () => {
  const body = z.memo(() =>
    z.looseObject({
      has_next: z.optional(z.boolean()),
      cursor: z.optional(z.string()),
      price: responseDecimal(),
      size: responseDecimal(),
      created: timestamp(),
      done: timestamp(),
      zero: timestamp(),
      fills: numberish(),
    }),
  );

  it("normalises Coinbase's shapes and keeps unknown fields", () => {
    const parsed = parseResponse(
      body,
      {
        has_next: false,
        cursor: "",
        price: "65000.10",
        size: 0.5,
        created: "2024-01-02T03:04:05.123456789Z",
        done: "",
        zero: "0001-01-01T00:00:00Z",
        fills: "3",
        extra: { kept: true },
      },
      "listThings",
    );
    expect(parsed).toEqual({
      has_next: false,
      cursor: "",
      price: "65000.10",
      size: "0.5",
      created: "2024-01-02T03:04:05.123456789Z",
      done: null,
      zero: null,
      fills: 3,
      extra: { kept: true },
    });
  });

  it("names the JSON path of a bad field", () => {
    const error = caught(() =>
      parseResponse(
        body,
        { price: "abc", size: "1", created: null, done: null, zero: null, fills: 1 },
        "listThings",
      ),
    );
    expect(isCoinbaseClientError(error) && error.code).toBe("invalid-response");
    expect(isCoinbaseClientError(error) && error.field).toBe("price");
  });
});
