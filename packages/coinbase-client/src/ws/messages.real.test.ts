/**
 * Every Coinbase WebSocket frame we hold parses: every received frame of the real capture
 * (`../shared/data/coinbase-advanced-ws-*.jsonl.gz`), every documented example and every recorded
 * subscriptions ack in `../shared/fixtures`. The capture's level-2 stream, applied to books, ends
 * in the book rebuilt offline from the same messages. Runs under `pnpm test:real`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { requireShared } from "@gpt/testkit";
import { describe, expect, it } from "vitest";
import { isL2DataFast } from "./fast-l2.js";
import { OrderBook } from "./order-book.js";
import { parseWsFrame } from "./parse.js";
import { SequenceChecker } from "./sequence.js";
import type { L2DataMessage, WsMessage } from "./types.js";

const DATA = requireShared("data");
const FIXTURES = requireShared("fixtures", "coinbase-advanced-trade");

function captureFrames(): string[] {
  const names = readdirSync(DATA).filter(
    (n) => n.startsWith("coinbase-advanced-ws-") && n.endsWith(".jsonl.gz"),
  );
  expect(names.length).toBeGreaterThan(0);
  return names.flatMap((name) =>
    gunzipSync(readFileSync(join(DATA, name)))
      .toString("utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as { dir: string; msg: unknown })
      .filter((record) => record.dir === "recv")
      .map((record) => JSON.stringify(record.msg)),
  );
}

function parseAll(frames: readonly string[]): WsMessage[] {
  return frames.map((raw, i) => {
    const result = parseWsFrame(raw);
    if (!result.ok) throw new Error(`frame ${i}: ${result.error.message}`);
    return result.message;
  });
}

describe("the real capture", () => {
  const frames = captureFrames();
  const messages = parseAll(frames);

  it("parses every received frame, on every channel it holds", () => {
    expect(frames.length).toBe(1030);
    const channels = new Set(messages.map((m) => m.channel));
    expect([...channels].sort()).toEqual([
      "candles",
      "heartbeats",
      "l2_data",
      "market_trades",
      "subscriptions",
      "ticker",
    ]);
  });

  it("sends every level-2 frame down the fast path (none falls back to zod)", () => {
    const l2 = frames
      .map((raw) => JSON.parse(raw) as Record<string, unknown>)
      .filter((f) => f.channel === "l2_data");
    expect(l2.length).toBe(775);
    expect(l2.filter((f) => !isL2DataFast(f))).toEqual([]);
  });

  it("counts sequence numbers one apart across channels (the acks included)", () => {
    const seq = new SequenceChecker();
    const verdicts = messages.map((m) => (m.channel === "error" ? "ok" : seq.check(m.sequence_num).kind));
    expect(verdicts.filter((k) => k !== "ok")).toEqual([]);
  });

  it("keeps books that equal ones rebuilt offline, never crossed", () => {
    const books = new Map<string, OrderBook>();
    const truth = new Map<string, Map<string, Map<string, string>>>();
    for (const m of messages) {
      if (m.channel !== "l2_data") continue;
      for (const event of (m as L2DataMessage).events) {
        const book = books.get(event.product_id) ?? new OrderBook(event.product_id);
        books.set(event.product_id, book);
        if (event.type === "snapshot") book.applySnapshot(event.updates);
        else book.applyUpdates(event.updates);
        expect(book.isCrossed()).toBe(false);
        const sides =
          truth.get(event.product_id) ??
          new Map([
            ["bid", new Map()],
            ["offer", new Map()],
          ]);
        truth.set(event.product_id, sides);
        if (event.type === "snapshot") for (const side of sides.values()) side.clear();
        for (const u of event.updates) {
          const side = sides.get(u.side) as Map<string, string>;
          if (/^[0.]+$/.test(u.new_quantity)) side.delete(u.price_level);
          else side.set(u.price_level, u.new_quantity);
        }
      }
    }
    expect([...books.keys()].sort()).toEqual(["BTC-USD", "ETH-USD"]);
    for (const [product, book] of books) {
      const sides = truth.get(product) as Map<string, Map<string, string>>;
      // Prices in the capture carry no trailing zeros, so the price text is the key; order by value.
      const sorted = (side: string, dir: number) =>
        [...(sides.get(side) as Map<string, string>)].sort(([a], [b]) => dir * (Number(a) - Number(b)));
      const all = book.depth(Number.POSITIVE_INFINITY);
      expect(all.bids.map((l) => [l.price, l.size])).toEqual(sorted("bid", -1));
      expect(all.asks.map((l) => [l.price, l.size])).toEqual(sorted("offer", 1));
      expect(book.valid).toBe(true);
      expect(all.bids.length).toBeGreaterThan(100);
    }
  });
});

describe("the documented examples and recorded acks", () => {
  it("parses every ws_* doc example", () => {
    const dir = join(FIXTURES, "doc-examples");
    const names = readdirSync(dir).filter((n) => n.startsWith("ws_") && n.endsWith(".json"));
    expect(names.length).toBeGreaterThanOrEqual(9);
    for (const name of names) {
      const result = parseWsFrame(readFileSync(join(dir, name), "utf8"));
      expect(result.ok ? "ok" : `${name}: ${result.error.message}`).toBe("ok");
    }
  });

  it("parses every recorded subscriptions ack", () => {
    const acks = JSON.parse(
      readFileSync(join(FIXTURES, "ws", "subscriptions.acks.jkorf.json"), "utf8"),
    ) as unknown[];
    expect(parseAll(acks.map((a) => JSON.stringify(a))).map((m) => m.channel)).toEqual(
      acks.map(() => "subscriptions"),
    );
  });
});
