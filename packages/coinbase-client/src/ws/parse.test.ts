import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeParse } from "../internal/zod.js";
import { isL2DataFast, plainDecimalRule } from "./fast-l2.js";
import { parseWsFrame } from "./parse.js";
import { wsMessageSchema } from "./schemas.js";

const env = (channel: string, events: unknown[], seq = 0) => ({
  channel,
  client_id: "",
  timestamp: "2023-02-09T20:32:50.714964855Z",
  sequence_num: seq,
  events,
});

/** One inline frame per channel, shaped like Coinbase's documented examples. */
const FRAMES: Record<string, unknown> = {
  heartbeats: env("heartbeats", [
    { current_time: "2023-06-23 20:31:56.121961769 +0000 UTC m=+91717.525857105", heartbeat_counter: "3049" },
  ]),
  candles: env("candles", [
    {
      type: "snapshot",
      candles: [
        {
          start: "1688998200",
          high: "1867.72",
          low: "1865.63",
          open: "1867.38",
          close: "1866.81",
          volume: "0.20269406",
          product_id: "ETH-USD",
        },
      ],
    },
  ]),
  status: env("status", [
    {
      type: "snapshot",
      products: [
        {
          product_type: "SPOT",
          id: "BTC-USD",
          base_currency: "BTC",
          quote_currency: "USD",
          base_increment: "0.00000001",
          quote_increment: "0.01",
          display_name: "BTC/USD",
          status: "online",
          status_message: "",
          min_market_funds: "1",
        },
      ],
    },
  ]),
  ticker: env("ticker", [
    {
      type: "snapshot",
      tickers: [
        {
          type: "ticker",
          product_id: "BTC-USD",
          price: "21932.98",
          volume_24_h: "16038.28770938",
          low_24_h: "21835.29",
          high_24_h: "23011.18",
          low_52_w: "15460",
          high_52_w: "48240",
          price_percent_chg_24_h: "-4.15775596190603",
          best_bid: "21931.98",
          best_bid_quantity: "8000.21",
          best_ask: "21933.98",
          best_ask_quantity: "8038.07770938",
        },
      ],
    },
  ]),
  ticker_batch: env("ticker_batch", [
    {
      type: "update",
      tickers: [{ type: "ticker", product_id: "BTC-USD", price: "21932.98", low_52_w: "15460" }],
    },
  ]),
  l2_data: env("l2_data", [
    {
      type: "snapshot",
      product_id: "BTC-USD",
      updates: [
        {
          side: "bid",
          event_time: "1970-01-01T00:00:00Z",
          price_level: "21921.73",
          new_quantity: "0.06317902",
        },
        { side: "offer", event_time: "1970-01-01T00:00:00Z", price_level: "21922.3", new_quantity: "0.02" },
      ],
    },
  ]),
  market_trades: env("market_trades", [
    {
      type: "snapshot",
      trades: [
        {
          trade_id: "000000000",
          product_id: "ETH-USD",
          price: "1260.01",
          size: "0.3",
          side: "BUY",
          time: "2019-08-14T20:42:27.265Z",
        },
      ],
    },
  ]),
  user: env("user", [
    {
      type: "snapshot",
      orders: [
        {
          avg_price: "50000",
          cancel_reason: "",
          client_order_id: "XXX",
          completion_percentage: "100.00",
          cumulative_quantity: "0.01",
          filled_value: "500",
          leaves_quantity: "0",
          limit_price: "50000",
          number_of_fills: "1",
          order_id: "YYY",
          order_side: "BUY",
          order_type: "Limit",
          post_only: "false",
          product_id: "BTC-USD",
          status: "FILLED",
          stop_price: "",
          total_fees: "2",
          creation_time: "2024-06-21T18:29:13.909347Z",
          end_time: "0001-01-01T00:00:00Z",
        },
      ],
      positions: { perpetual_futures_positions: [], expiring_futures_positions: [] },
    },
  ]),
  futures_balance_summary: env("futures_balance_summary", [
    { type: "snapshot", fcm_balance_summary: { futures_buying_power: "100.00", unrealized_pnl: "600.00" } },
  ]),
  subscriptions: env(
    "subscriptions",
    [{ subscriptions: { heartbeats: ["heartbeats"], level2: ["BTC-USD"] } }],
    1,
  ),
};

describe("parseWsFrame", () => {
  it.each(Object.entries(FRAMES))("accepts a %s message", (channel, frame) => {
    const result = parseWsFrame(JSON.stringify(frame));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.message.channel).toBe(channel);
  });

  it("reads a heartbeat counter sent as a number or as text, both as a number", () => {
    const asText = parseWsFrame(JSON.stringify(FRAMES.heartbeats));
    const asNumber = parseWsFrame(
      JSON.stringify(env("heartbeats", [{ current_time: "x", heartbeat_counter: 41691 }], 35)),
    );
    expect(
      asText.ok && asText.message.channel === "heartbeats" && asText.message.events[0]?.heartbeat_counter,
    ).toBe(3049);
    expect(
      asNumber.ok &&
        asNumber.message.channel === "heartbeats" &&
        asNumber.message.events[0]?.heartbeat_counter,
    ).toBe(41691);
  });

  it("accepts a frame without client_id and an empty timestamp (live traffic)", () => {
    const { client_id: _, ...rest } = FRAMES.l2_data as Record<string, unknown>;
    expect(parseWsFrame(JSON.stringify({ ...rest, timestamp: "" })).ok).toBe(true);
  });

  it("accepts bytes as well as text", () => {
    const bytes = new TextEncoder().encode(JSON.stringify(FRAMES.ticker));
    expect(parseWsFrame(bytes).ok).toBe(true);
  });

  it("parses an error frame to channel error with Coinbase's text", () => {
    const result = parseWsFrame('{"type":"error","message":"failure to subscribe"}');
    expect(result).toMatchObject({
      ok: true,
      message: { channel: "error", message: "failure to subscribe" },
    });
  });

  it("names the JSON path of a bad field and attaches the raw frame", () => {
    const frame = structuredClone(FRAMES.l2_data) as { events: { updates: { price_level: string }[] }[] };
    (frame.events[0]?.updates[1] as { price_level: string }).price_level = "1e5";
    const raw = JSON.stringify(frame);
    const result = parseWsFrame(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.raw).toBe(raw);
    expect(result.error.code).toBe("ws-message-invalid");
    expect(result.error.field).toBe("events.0.updates.1.price_level");
    expect(result.error.message).toContain("events.0.updates.1.price_level");
    expect(result.error.message).not.toContain("1e5");
  });

  it("rejects a missing field, a wrong side and a negative sequence number by path", () => {
    const cases: [unknown, string][] = [
      [{ ...(FRAMES.ticker as object), sequence_num: -1 }, "sequence_num"],
      [
        env("market_trades", [
          {
            type: "update",
            trades: [{ trade_id: "1", product_id: "X", price: "1", size: "1", side: "buy", time: "" }],
          },
        ]),
        "events.0.trades.0.side",
      ],
      [
        env("user", [{ type: "update", orders: [{ order_id: "A", status: "OPEN" }] }]),
        "events.0.orders.0.cumulative_quantity",
      ],
      [env("candles", [{ type: "partial", candles: [] }]), "events.0.type"],
    ];
    for (const [frame, field] of cases) {
      const result = parseWsFrame(JSON.stringify(frame));
      expect(result.ok ? "accepted" : result.error.field).toBe(field);
    }
  });

  it("reports text that is not JSON, a JSON array and an unknown channel", () => {
    for (const [raw, field] of [
      ["{not json", ""],
      ["[1,2]", ""],
      ['{"channel":"level3","events":[]}', "channel"],
      ['{"events":[]}', "channel"],
    ] as const) {
      const result = parseWsFrame(raw);
      expect(result.ok ? "accepted" : result.error.field).toBe(field);
      if (!result.ok) expect(result.raw).toBe(raw);
    }
  });

  it("keeps the frame's text out of the error (only `raw` carries it), even for text that is not JSON", () => {
    const raw = '{"channel":"user","jwt":"eyJsecret-token-x"';
    const result = parseWsFrame(raw);
    if (result.ok) throw new Error("expected a refusal");
    expect(result.error.cause).toBeUndefined();
    expect(inspect(result.error, { depth: 5 })).not.toContain("secret-token");
    expect(result.raw).toBe(raw);
  });
});

describe("the fast l2 checker is held to the zod schema", () => {
  const decimalish = fc.oneof(
    fc.stringMatching(/^\d{1,6}(\.\d{1,8})?$/),
    fc.constantFrom("", ".", "1.", ".5", "-1", "1e3", "0x10", " 1", "1.2.3", "１"),
    fc.string({ maxLength: 6 }),
    fc.integer(),
    fc.constant(null),
  );
  const update = fc.record(
    {
      side: fc.oneof(fc.constantFrom("bid", "offer"), fc.constantFrom("ask", "BID", "", 1)),
      event_time: fc.oneof(fc.constant("2026-08-09T21:05:48.170326Z"), fc.constant(""), fc.integer()),
      price_level: decimalish,
      new_quantity: decimalish,
      extra: fc.anything(),
    },
    { requiredKeys: [] },
  );
  const event = fc.record(
    {
      type: fc.oneof(fc.constantFrom("snapshot", "update"), fc.constantFrom("delta", 0)),
      product_id: fc.oneof(fc.constant("BTC-USD"), fc.integer()),
      updates: fc.oneof(fc.array(update, { maxLength: 4 }), fc.constant({}), fc.constant(null)),
    },
    { requiredKeys: [] },
  );
  const frame = fc.record(
    {
      channel: fc.oneof(fc.constant("l2_data"), fc.constantFrom("l2", "ticker")),
      client_id: fc.oneof(fc.constant(""), fc.integer()),
      timestamp: fc.oneof(fc.constant(""), fc.constant("2026-08-09T21:05:48Z"), fc.constant(null)),
      sequence_num: fc.oneof(fc.nat(), fc.integer({ min: -3, max: -1 }), fc.double(), fc.constant("5")),
      events: fc.oneof(fc.array(event, { maxLength: 3 }), fc.constant("x")),
    },
    { requiredKeys: [] },
  );

  it("never accepts what zod rejects, and what it accepts equals zod's output", () => {
    const schema = wsMessageSchema("l2_data");
    if (schema === undefined) throw new Error("no l2_data schema");
    let accepted = 0;
    fc.assert(
      fc.property(frame, (value) => {
        const zod = safeParse(schema, value);
        if (isL2DataFast(value as Record<string, unknown>)) {
          accepted++;
          expect(zod.success).toBe(true);
          if (zod.success) expect(zod.data).toEqual(value);
        }
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(0);
  });

  it("accepts every valid frame zod accepts among well-formed ones (the fast path is taken)", () => {
    expect(isL2DataFast(FRAMES.l2_data as Record<string, unknown>)).toBe(true);
  });

  it("its decimal rule matches the schema's regex on any string", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 8 }), fc.stringMatching(/^[\d.]{0,8}$/)), (text) => {
        expect(plainDecimalRule.fast(text)).toBe(plainDecimalRule.regex.test(text));
      }),
      { numRuns: 3000 },
    );
  });
});

describe("heartbeat counters", () => {
  it("refuses a negative or fractional counter in either spelling", () => {
    for (const counter of ["-1", -1, "1.5", 1.5, ""]) {
      const result = parseWsFrame(
        JSON.stringify(env("heartbeats", [{ current_time: "", heartbeat_counter: counter }])),
      );
      expect([counter, result.ok ? "accepted" : result.error.field]).toEqual([
        counter,
        "events.0.heartbeat_counter",
      ]);
    }
  });
});
