/**
 * Bad WebSocket frames through the public `parseWsFrame` (`@gpt/coinbase-client/ws`): any text or
 * bytes, any JSON value, and valid frames of every channel with any object inside them mutated
 * (fields replaced by hostile values, removed, unknown ones added). It never throws; a frame is
 * either a message or `ws-message-invalid`, and the error's message never repeats a secret it was
 * fed. (The frame itself stays attached as `raw`, by design.) This file sits outside `src/ws/` and
 * uses only the entry's public function.
 */
import { expectNoSecret, fuzz, hostile, mutated, secretArb } from "@gpt/testkit/fuzz";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseWsFrame } from "./ws/index.js";

const envelope = (channel: string, events: unknown[]) => ({
  channel,
  client_id: "",
  timestamp: "2023-02-09T20:32:50.714964855Z",
  sequence_num: 3,
  events,
});

/** One valid frame per channel, shaped like Coinbase's documented examples. */
const FRAMES: readonly Record<string, unknown>[] = [
  envelope("heartbeats", [
    { current_time: "2023-06-23 20:31:56.121961769 +0000 UTC", heartbeat_counter: "3049" },
  ]),
  envelope("candles", [
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
  envelope("ticker", [
    {
      type: "snapshot",
      tickers: [
        {
          type: "ticker",
          product_id: "BTC-USD",
          price: "21932.98",
          best_bid: "21931.98",
          best_ask: "21933.98",
        },
      ],
    },
  ]),
  envelope("l2_data", [
    {
      type: "update",
      product_id: "BTC-USD",
      updates: [
        {
          side: "bid",
          event_time: "2023-02-09T20:32:50.714964855Z",
          price_level: "21921.73",
          new_quantity: "0.06",
        },
        {
          side: "offer",
          event_time: "2023-02-09T20:32:50.714964855Z",
          price_level: "21922.3",
          new_quantity: "0",
        },
      ],
    },
  ]),
  envelope("market_trades", [
    {
      type: "update",
      trades: [
        {
          trade_id: "1",
          product_id: "ETH-USD",
          price: "1260.01",
          size: "0.3",
          side: "BUY",
          time: "2019-08-14T20:42:27.265Z",
        },
      ],
    },
  ]),
  envelope("user", [
    {
      type: "update",
      orders: [
        {
          avg_price: "50000",
          client_order_id: "c-1",
          cumulative_quantity: "0.01",
          leaves_quantity: "0",
          order_id: "o-1",
          order_side: "BUY",
          order_type: "Limit",
          product_id: "BTC-USD",
          status: "FILLED",
          total_fees: "2",
          creation_time: "2024-06-21T18:29:13.909347Z",
        },
      ],
    },
  ]),
  envelope("subscriptions", [{ subscriptions: { heartbeats: ["heartbeats"], level2: ["BTC-USD"] } }]),
  { type: "error", message: "failure to subscribe" },
];

/** The paths (keys and indexes) of every object with at least one key inside `value`. */
function objectPaths(value: unknown, path: readonly (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => objectPaths(item, [...path, i]));
  if (typeof value !== "object" || value === null) return [];
  const inner = Object.entries(value).flatMap(([key, item]) => objectPaths(item, [...path, key]));
  return Object.keys(value).length > 0 ? [[...path], ...inner] : inner;
}

function at(value: unknown, path: readonly (string | number)[]): Record<string, unknown> {
  let current = value;
  for (const key of path) current = (current as Record<string | number, unknown>)[key];
  return current as Record<string, unknown>;
}

/** `frame` with the object at `path` replaced (a copy). */
function replacedAt(
  frame: Record<string, unknown>,
  path: readonly (string | number)[],
  replacement: Record<string, unknown>,
): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(frame);
  const parent = at(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path[path.length - 1] as string | number] = replacement;
  return copy;
}

/** JSON text of `value`, or of `{}` when it cannot be written as JSON (a BigInt, a cycle). */
function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "null";
  } catch {
    return "{}";
  }
}

/** The frame's outcome must be a message or a `ws-message-invalid` error with a clean message. */
function expectFrameOutcome(raw: string | Uint8Array): void {
  const result = parseWsFrame(raw);
  if (result.ok) {
    expect(typeof result.message.channel).toBe("string");
    return;
  }
  expect(result.error.code).toBe("ws-message-invalid");
  expectNoSecret(result.error.message);
  expectNoSecret(String(result.error.field ?? ""), "field");
}

const mutatedFrame = fc
  .constantFrom(...FRAMES)
  .chain((frame) =>
    fc
      .constantFrom(...objectPaths(frame))
      .chain((path) => mutated(at(frame, path)).map((replacement) => replacedAt(frame, path, replacement))),
  );

describe("parseWsFrame on hostile frames", () => {
  it("accepts every sample frame (the mutations start from valid frames)", () => {
    for (const frame of FRAMES) expect(parseWsFrame(JSON.stringify(frame)).ok, jsonText(frame)).toBe(true);
  });

  fuzz(
    "a valid frame with any object in it mutated: a message or ws-message-invalid, never a throw",
    [mutatedFrame],
    (frame) => expectFrameOutcome(jsonText(frame)),
    { weight: 2 },
  );

  fuzz(
    "any text, bytes or JSON value: a message or ws-message-invalid, never a throw",
    [
      fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.string({ unit: "binary", maxLength: 300 }),
        secretArb(),
        hostile().map(jsonText),
        fc.uint8Array({ maxLength: 300 }),
      ),
    ],
    (raw) => expectFrameOutcome(raw),
  );
});
