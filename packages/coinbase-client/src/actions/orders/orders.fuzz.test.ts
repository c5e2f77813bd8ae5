/**
 * Bad input for the order methods: whatever params they are given, they either send one request
 * or throw an `invalid-request` error before sending anything, and no error repeats a secret it
 * was fed. Whatever body Coinbase sends, the order and fill readers return or throw
 * `invalid-response`; the fast path never accepts what the zod schema would not.
 */
import { expectTypedOutcome, fuzz, hostile, mutated } from "@gpt/testkit/fuzz";
import { describe, expect } from "vitest";
import { isCoinbaseClientError } from "../../errors.js";
import { parseParams } from "../../internal/validate.js";
import * as z from "../../internal/zod.js";
import { type FieldTable, fastChecker, zodShape } from "../../schemas/field-table.js";
import {
  cancelOrdersParamsSchema,
  createOrderParamsSchema,
  editOrderParamsSchema,
  listFillsParamsSchema,
} from "../../schemas/order-requests.js";
import { readGetOrder, readListFills } from "../../schemas/orders.js";
import { cancelOrders } from "./cancel-orders.js";
import { createOrder } from "./create-order.js";
import { editOrder } from "./edit-order.js";
import { fakeContext, reply } from "./fake-context.js";

const isInvalidRequest = (error: unknown) => isCoinbaseClientError(error) && error.code === "invalid-request";
const isInvalidResponse = (error: unknown) =>
  isCoinbaseClientError(error) && error.code === "invalid-response";

const ORDER = {
  client_order_id: "c-1",
  product_id: "BTC-USD",
  side: "BUY",
  order_configuration: { limit_limit_gtc: { base_size: "0.001", limit_price: "50000", post_only: true } },
  leverage: "2",
  margin_type: "CROSS",
};

const PLACED = { success: true, success_response: { order_id: "o-1" } };

/** Whether `run` returns; an invalid-request error means no; anything else fails the property. */
function isValid(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch (error) {
    expect(isInvalidRequest(error)).toBe(true);
    return false;
  }
}

/** Calls an async action and reports how many requests it issued before its first await. */
function requestsIssued(run: (ctx: ReturnType<typeof fakeContext>) => Promise<unknown>): number {
  const ctx = fakeContext([reply(PLACED)]);
  run(ctx).catch(() => undefined);
  return ctx.requests.length;
}

describe("order params", () => {
  fuzz("createOrder: typed outcome, nothing sent when invalid", [mutated(ORDER)], (params) => {
    let invalid = false;
    expectTypedOutcome(() => {
      try {
        return parseParams(createOrderParamsSchema, params, "createOrder");
      } catch (error) {
        invalid = true;
        throw error;
      }
    }, isInvalidRequest);
    expect(requestsIssued((ctx) => createOrder(ctx, params as never))).toBe(invalid ? 0 : 1);
  });

  fuzz("order_configuration: any value, typed outcome", [hostile()], (config) => {
    expectTypedOutcome(
      () => parseParams(createOrderParamsSchema, { ...ORDER, order_configuration: config }, "createOrder"),
      isInvalidRequest,
    );
  });

  fuzz(
    "editOrder and cancelOrders: one request when valid, none when not",
    [mutated({ order_id: "o-1", price: "1", size: "2" }), hostile()],
    (edit, ids) => {
      const validEdit = isValid(() => parseParams(editOrderParamsSchema, edit, "editOrder"));
      const validCancel = isValid(() =>
        parseParams(cancelOrdersParamsSchema, { order_ids: ids }, "cancelOrders"),
      );
      expect(requestsIssued((ctx) => editOrder(ctx, edit as never))).toBe(validEdit ? 1 : 0);
      expect(requestsIssued((ctx) => cancelOrders(ctx, { order_ids: ids } as never))).toBe(
        validCancel ? 1 : 0,
      );
    },
  );

  fuzz(
    "listFills: typed outcome",
    [mutated({ product_ids: ["BTC-USD"], limit: 100, cursor: "c" })],
    (params) => {
      expectTypedOutcome(() => parseParams(listFillsParamsSchema, params, "listFills"), isInvalidRequest);
    },
  );
});

const FILL = {
  trade_id: "t-1",
  order_id: "o-1",
  price: "1.5",
  size: 2,
  product_id: "BTC-USD",
  trade_time: "",
};
const AN_ORDER = {
  order_id: "o-1",
  product_id: "BTC-USD",
  side: "BUY",
  client_order_id: "c",
  status: "OPEN",
  fee: "",
};

describe("order and fill bodies", () => {
  fuzz("readListFills: returns or throws invalid-response", [mutated(FILL), hostile()], (fill, cursor) => {
    expectTypedOutcome(() => readListFills({ fills: [FILL, fill], cursor }, "listFills"), isInvalidResponse);
  });

  fuzz("readGetOrder: returns or throws invalid-response", [mutated(AN_ORDER)], (order) => {
    expectTypedOutcome(() => readGetOrder({ order }, "getOrder"), isInvalidResponse);
  });

  const table: FieldTable = {
    trade_id: ["id", true],
    price: ["decimal", true],
    size: ["decimal", false],
    trade_time: ["time", false],
    n: ["count", false],
    flag: ["boolean", false],
    echo: ["echo", false],
  };
  const fast = fastChecker(table);
  const slow = z.looseObject(zodShape(table));
  fuzz(
    "the fast checker accepts only with the zod schema's output",
    [mutated({ trade_id: "t", price: "1", size: 2, trade_time: null, n: "3", flag: true, echo: {} })],
    (value) => {
      const out = fast(value);
      if (out === undefined) return;
      const result = z.safeParse(slow, value);
      expect(result.success).toBe(true);
      if (result.success) expect(out).toEqual(result.data);
    },
    { weight: 4 },
  );
});
