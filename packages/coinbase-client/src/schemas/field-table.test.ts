import { describe, expect, it } from "vitest";
import { parseResponse } from "../internal/validate.js";
import * as z from "../internal/zod.js";
import { type FieldKind, type FieldTable, fastArray, fastChecker, zodShape } from "./field-table.js";
import {
  getOrderResponseSchema,
  listFillsResponseSchema,
  listOrdersResponseSchema,
  readGetOrder,
  readListFills,
  readListOrders,
} from "./orders.js";

/** Values of every sort, valid and not, for every kind. */
const SAMPLES: readonly unknown[] = [
  "",
  "abc",
  "0",
  "-1.5",
  "+2",
  "1e-7",
  "1E+21",
  ".5",
  "5.",
  "1.2.3",
  "0x10",
  " 1",
  "NaN",
  "Infinity",
  "12345678901234567",
  "-42",
  "2024-04-09T11:45:50.552204Z",
  "0001-01-01T00:00:00Z",
  "0001-01-01T00:00:00.000Z",
  0,
  -3,
  1.5,
  1e21,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  null,
  [],
  ["a"],
  {},
  { limit_limit_gtc: { base_size: "1" } },
  Object.create(null) as object,
];

const KINDS: readonly FieldKind[] = ["string", "id", "decimal", "time", "count", "boolean", "echo"];

/** What zod makes of `value` for `table`: the data, or `undefined` when it rejects it. */
function viaZod(table: FieldTable, value: unknown): unknown {
  const result = z.safeParse(z.looseObject(zodShape(table)), value);
  return result.success ? result.data : undefined;
}

describe("the fast checker agrees with the zod schema built from the same table", () => {
  it.each(KINDS)("%s: the same verdict and the same output for every sample", (kind) => {
    const disagreements: unknown[] = [];
    for (const required of [true, false]) {
      const table: FieldTable = { f: [kind, required], keep: ["string", false] };
      for (const sample of SAMPLES) {
        const value = { f: sample, extra: { nested: [1] } };
        const fast = fastChecker(table)(value);
        const slow = viaZod(table, value);
        // Accepting is only allowed with zod's exact output; refusing hands the value to zod.
        if (fast !== undefined) expect({ kind, sample, out: slow }).toEqual({ kind, sample, out: fast });
        else if (slow !== undefined) disagreements.push(sample);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it("1,000 seeded random fills: the fast path accepts only with zod's output, and rejects only what zod rejects", () => {
    let seed = 0x5eed;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const table: FieldTable = {
      trade_id: ["string", true],
      price: ["decimal", true],
      size: ["decimal", true],
      trade_time: ["time", false],
      size_in_quote: ["boolean", false],
      n: ["count", false],
      echo: ["echo", false],
    };
    const good: Record<string, readonly unknown[]> = {
      trade_id: ["t-1", ""],
      price: ["0.6091", 12.5, ""],
      size: ["20", 3],
      trade_time: ["2024-04-09T11:45:50.552204Z", null, ""],
      size_in_quote: [true, false],
      n: ["3", 4],
      echo: [null, { a: 1 }],
    };
    const fast = fastChecker(table);
    let accepted = 0;
    for (let i = 0; i < 1000; i++) {
      const value: Record<string, unknown> = {};
      for (const key of Object.keys(table)) {
        const roll = random();
        if (roll < 0.1) continue;
        value[key] = roll < 0.8 ? pick(good[key] ?? []) : pick(SAMPLES);
      }
      if (random() < 0.2) value.unknown = pick(SAMPLES);
      const out = fast(value);
      const slow = viaZod(table, value);
      if (out !== undefined) {
        accepted++;
        expect(out).toEqual(slow);
      } else {
        expect(slow).toBeUndefined();
      }
    }
    expect(accepted).toBeGreaterThan(100);
  });

  it("missing and explicitly undefined fields", () => {
    const table: FieldTable = { a: ["string", true], b: ["decimal", false] };
    const check = fastChecker(table);
    expect(check({ a: "x" })).toEqual({ a: "x" });
    expect(viaZod(table, { a: "x" })).toEqual({ a: "x" });
    expect(check({})).toBeUndefined();
    expect(viaZod(table, {})).toBeUndefined();
    expect(check({ a: "x", b: undefined })).toBeUndefined();
    expect(check({ a: undefined })).toBeUndefined();
  });

  it("keeps unknown fields and never mutates its input", () => {
    const input = { a: 5, other: { deep: true } };
    const out = fastChecker({ a: ["decimal", true] })(input);
    expect(out).toEqual({ a: "5", other: { deep: true } });
    expect(input.a).toBe(5);
  });

  it("rejects what is not a plain object, and arrays item by item", () => {
    const check = fastChecker({ a: ["string", false] });
    for (const value of [null, "x", 1, [], new Date(0)]) expect(check(value)).toBeUndefined();
    expect(fastArray([{ a: "1" }, { a: "2" }], check)).toEqual([{ a: "1" }, { a: "2" }]);
    expect(fastArray([{ a: "1" }, { a: 2 }], check)).toBeUndefined();
    expect(fastArray({ length: 0 }, check)).toBeUndefined();
  });
});

const ORDER = {
  order_id: "0000-000000-000001",
  product_id: "BTC-USD",
  user_id: "2222-000000-000000",
  order_configuration: { limit_limit_gtc: { base_size: "0.01", limit_price: "45000.00", post_only: false } },
  side: "BUY",
  client_order_id: "11111-000000-000001",
  status: "OPEN",
  time_in_force: "GOOD_UNTIL_CANCELLED",
  created_time: "2024-01-15T10:00:00Z",
  completion_percentage: "0",
  filled_size: "0",
  average_filled_price: "0",
  fee: "",
  number_of_fills: "0",
  filled_value: "0",
  pending_cancel: false,
  size_in_quote: false,
  total_fees: "0",
  size_inclusive_of_fees: false,
  total_value_after_fees: "0",
  trigger_status: "INVALID_ORDER_TYPE",
  order_type: "LIMIT",
  reject_reason: "",
  settled: false,
  product_type: "SPOT",
  reject_message: "",
  cancel_message: "",
  order_placement_source: "RETAIL_ADVANCED",
  outstanding_hold_amount: "450.00",
  is_liquidation: false,
  last_fill_time: null,
  edit_history: [],
  leverage: "",
  margin_type: "",
  retail_portfolio_id: "",
  originating_order_id: "",
  attached_order_id: "",
  attached_order_configuration: null,
  last_update_time: "0001-01-01T00:00:00Z",
  some_future_field: { x: 1 },
};

const FILL = {
  entry_id: "88d1e03f8fa6fc46ba8e1fc99545edd7e07f430cfffa2f95d59ce4ff4442f5f7",
  trade_id: "f8e23d3d-29a4-44f9-804d-1c74e4908055",
  order_id: "efed4cba-7395-4b02-b927-0c1dce00e0d8",
  trade_time: "2024-04-09T11:45:50.552204Z",
  trade_type: "FILL",
  price: "0.6091",
  size: 20,
  commission: "0.0036",
  product_id: "ADA-PERP-INTX",
  sequence_timestamp: "",
  liquidity_indicator: "TAKER",
  size_in_quote: false,
  user_id: "dbcb91e7-2bc9-5152-bb6f-72d6677e6727",
  side: "BUY",
  cursor: "244975901",
};

describe("order and fill readers", () => {
  it("read a documented order exactly as the zod schema does", () => {
    const body = { order: ORDER };
    expect(readGetOrder(body, "getOrder")).toEqual(parseResponse(getOrderResponseSchema, body, "getOrder"));
    const { order } = readGetOrder(body, "getOrder");
    expect(order).toMatchObject({
      number_of_fills: 0,
      last_update_time: null,
      last_fill_time: null,
      fee: "",
    });
    expect(order.some_future_field).toEqual({ x: 1 });
  });

  it("read an order page exactly as the zod schema does", () => {
    const body = {
      orders: [ORDER, { ...ORDER, order_id: "2", edit_history: null }],
      sequence: 0,
      has_next: false,
      cursor: "",
    };
    expect(readListOrders(body, "listOrders")).toEqual(
      parseResponse(listOrdersResponseSchema, body, "listOrders"),
    );
  });

  it("read a fill page exactly as the zod schema does", () => {
    const body = { fills: [FILL, { ...FILL, trade_id: "t-2", size: "1.5" }], cursor: "" };
    const read = readListFills(body, "listFills");
    expect(read).toEqual(parseResponse(listFillsResponseSchema, body, "listFills"));
    expect(read.fills.map((f) => [f.size, f.sequence_timestamp])).toEqual([
      ["20", null],
      ["1.5", null],
    ]);
  });

  it("hand an order with an edit history to zod, which converts it", () => {
    const history = [{ price: 1.5, size: "2", replace_accept_timestamp: "" }];
    const { order } = readGetOrder({ order: { ...ORDER, edit_history: history } }, "getOrder");
    expect(order.edit_history).toEqual([{ price: "1.5", size: "2", replace_accept_timestamp: null }]);
  });

  it("name the JSON path of a broken field", () => {
    const cases: [() => unknown, string][] = [
      [() => readListFills({ fills: [FILL, { ...FILL, price: "1,5" }] }, "listFills"), "fills.1.price"],
      [() => readListFills({ fills: [FILL], cursor: 7 }, "listFills"), "cursor"],
      [() => readListFills({ fill: [] }, "listFills"), "fills"],
      [() => readGetOrder({ order: { ...ORDER, order_id: "" } }, "getOrder"), "order.order_id"],
      [() => readGetOrder({ order: { ...ORDER, created_time: 17 } }, "getOrder"), "order.created_time"],
      [() => readListOrders({ orders: [ORDER], has_next: "yes" }, "listOrders"), "has_next"],
      [
        () => readListOrders({ orders: [ORDER, { ...ORDER, status: null }] }, "listOrders"),
        "orders.1.status",
      ],
    ];
    for (const [run, field] of cases) {
      expect(run).toThrow(expect.objectContaining({ code: "invalid-response", field }));
    }
  });
});
