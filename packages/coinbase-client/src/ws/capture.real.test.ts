/**
 * The real capture (`../shared/data/coinbase-advanced-ws-*.jsonl.gz`: 24.7 s of BTC-USD and ETH-USD
 * level2, ticker, market_trades, candles and heartbeats, with 5 MB and 2.5 MB first snapshots)
 * replayed by the loopback server through a real stream: every frame arrives validated and in
 * order, and each book equals one rebuilt offline from the capture, also after a disconnect in the
 * middle of the replay.
 */
import { readdirSync } from "node:fs";
import { readJsonl, requireShared } from "@gpt/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { bookMatchesServer, type LoopbackStream, levelsOf, loopbackStream } from "../testing/ws-loopback.js";
import { startWsServer, type WsServer } from "../testing/ws-server.js";
import { OrderBook } from "./order-book.js";
import type { L2Update } from "./types.js";

const PRODUCTS = ["BTC-USD", "ETH-USD"];
const CHANNELS = ["level2", "ticker", "market_trades", "candles"] as const;

type Frame = Readonly<Record<string, unknown>>;

function captureFrames(): Frame[] {
  const dir = requireShared("data");
  const name = readdirSync(dir).find((f) => /^coinbase-advanced-ws-.*\.jsonl\.gz$/.test(f));
  if (name === undefined) throw new Error(`no coinbase-advanced-ws-*.jsonl.gz in ${dir}`);
  const lines = readJsonl(`${dir}/${name}`) as { dir: string; msg: Frame }[];
  return lines.filter((l) => l.dir === "recv").map((l) => l.msg);
}

/** A book per product rebuilt offline from the capture's level-2 events. */
function offlineBooks(frames: readonly Frame[]): Map<string, OrderBook> {
  const books = new Map<string, OrderBook>();
  for (const f of frames) {
    if (f.channel !== "l2_data") continue;
    for (const e of f.events as { type: string; product_id: string; updates: L2Update[] }[]) {
      let book = books.get(e.product_id);
      if (book === undefined) {
        book = new OrderBook(e.product_id);
        books.set(e.product_id, book);
      }
      if (e.type === "snapshot") book.applySnapshot(e.updates);
      else book.applyUpdates(e.updates);
    }
  }
  return books;
}

function countByChannel(frames: readonly Frame[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of frames) {
    const c = String(f.channel);
    if (c !== "subscriptions") out[c] = (out[c] ?? 0) + 1;
  }
  return out;
}

let server: WsServer | undefined;
let loop: LoopbackStream | undefined;

afterEach(async () => {
  await loop?.stream.close();
  await server?.close();
  loop = undefined;
  server = undefined;
});

async function subscribed(): Promise<{ s: WsServer; l: LoopbackStream }> {
  server = await startWsServer({ heartbeatIntervalMs: 0 });
  loop = loopbackStream(server);
  for (const channel of CHANNELS) loop.stream.subscribe(channel, PRODUCTS);
  const s = server;
  await s.waitFor(() => CHANNELS.every((c) => PRODUCTS.every((p) => s.subscribers(c, p).length === 1)));
  await s.waitFor(() => s.subscribers("heartbeats").length === 1);
  // Every ack (heartbeats and the four channels) has reached the stream: the replay starts clean.
  const l = loop;
  await s.waitFor(() => l.of("message").filter((e) => e.message.channel === "subscriptions").length === 5);
  return { s, l };
}

describe("the real capture through the loopback server", () => {
  const frames = captureFrames();
  const expected = offlineBooks(frames);

  it("arrives complete, validated and in order; the books equal offline rebuilds", async () => {
    const { s, l } = await subscribed();
    const before = l.of("message").length;
    s.replay(frames);
    const counts = countByChannel(frames);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    await s.waitFor(() => l.of("message").length - before >= total, 60_000);
    const got: Record<string, number> = {};
    for (const e of l.of("message").slice(before)) got[e.message.channel] = (got[e.message.channel] ?? 0) + 1;
    expect(got).toEqual(counts);
    expect(l.of("error")).toEqual([]);
    expect(
      l.events.filter((e) => e.type === "gap" || e.type === "duplicate" || e.type === "out-of-order"),
    ).toEqual([]);
    for (const p of PRODUCTS) {
      await bookMatchesServer(s, l, p);
      const book = l.stream.book(p);
      expect(book?.valid).toBe(true);
      expect(levelsOf(book ?? expect.unreachable())).toEqual(
        levelsOf(expected.get(p) ?? expect.unreachable()),
      );
      expect(book?.isCrossed()).toBe(false);
    }
    expect(s.connections[0]?.sent.largestFrame).toBeGreaterThan(4_000_000);
  }, 120_000);

  it("survives a drop (1006) in the middle of the replay: resubscribes and ends on the same books", async () => {
    const { s, l } = await subscribed();
    const half = Math.floor(frames.length / 2);
    const before = l.of("message").length;
    s.replay(frames.slice(0, half));
    const firstHalf = Object.values(countByChannel(frames.slice(0, half))).reduce((a, b) => a + b, 0);
    await s.waitFor(() => l.of("message").length - before >= firstHalf, 60_000);
    s.faults.disconnect(1006);
    const reconnected = await l.waitForEvent("reconnected");
    expect(reconnected.restored.map((r) => r.channel).sort()).toEqual([...CHANNELS].sort());
    // The new connection's level2 subscribe brings a snapshot of the server's book at the cut.
    for (const p of PRODUCTS) await bookMatchesServer(s, l, p);
    s.replay(frames.slice(half));
    for (const p of PRODUCTS) {
      await s.waitFor(() => {
        const book = l.stream.book(p);
        return (
          book?.valid === true &&
          JSON.stringify(levelsOf(book)) === JSON.stringify(levelsOf(expected.get(p) ?? expect.unreachable()))
        );
      }, 60_000);
    }
    expect(l.of("error")).toEqual([]);
    expect(l.of("resync").map((e) => `${e.productId} ${e.reason}`)).toEqual([
      "BTC-USD reconnect",
      "ETH-USD reconnect",
    ]);
  }, 120_000);
});
