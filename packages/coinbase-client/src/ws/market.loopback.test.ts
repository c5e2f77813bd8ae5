/**
 * The market connection against the loopback fault server: tickers and books in order, and what the
 * consumer sees on a sequence gap, a duplicate, an out-of-order frame, a malformed frame, an
 * oversized snapshot and a subscribe error. Every book test ends with the stream's book equal to a
 * book rebuilt from scratch from the server's truth.
 */
import { afterEach, describe, expect, it } from "vitest";
import { bookMatchesServer, type LoopbackStream, levelsOf, loopbackStream } from "../testing/ws-loopback.js";
import { startWsServer, type WsL2Change, type WsServer, type WsServerOptions } from "../testing/ws-server.js";

const SEED_BOOK: WsL2Change[] = [
  { side: "bid", price_level: "64999.99", new_quantity: "0.5" },
  { side: "bid", price_level: "64999.5", new_quantity: "1.25" },
  { side: "bid", price_level: "64998", new_quantity: "3" },
  { side: "offer", price_level: "65000.01", new_quantity: "0.4" },
  { side: "offer", price_level: "65000.5", new_quantity: "2" },
  { side: "offer", price_level: "65002", new_quantity: "7.5" },
];

let server: WsServer | undefined;
let loop: LoopbackStream | undefined;

afterEach(async () => {
  await loop?.stream.close();
  await server?.close();
  loop = undefined;
  server = undefined;
});

async function setup(
  serverOptions: WsServerOptions = {},
): Promise<{ server: WsServer; loop: LoopbackStream }> {
  server = await startWsServer({ heartbeatIntervalMs: 0, ...serverOptions });
  server.setBook("BTC-USD", SEED_BOOK);
  loop = loopbackStream(server);
  return { server, loop };
}

/** Subscribes level2 BTC-USD and waits for the first valid book. */
async function withBook(s: WsServer, l: LoopbackStream): Promise<void> {
  l.stream.subscribe("level2", ["BTC-USD"]);
  await bookMatchesServer(s, l, "BTC-USD");
}

function sequenceEvents(l: LoopbackStream): string[] {
  return l.events
    .filter(
      (e) => e.type === "gap" || e.type === "duplicate" || e.type === "out-of-order" || e.type === "resync",
    )
    .map((e) => {
      if (e.type === "gap" || e.type === "out-of-order") return `${e.type} ${e.expected}->${e.got}`;
      if (e.type === "duplicate") return `duplicate ${e.seq}`;
      return `resync ${e.channel} ${e.productId ?? ""} ${e.reason}`;
    });
}

describe("market stream on the loopback server", () => {
  it("delivers tickers in order, subscribes heartbeats itself, and sends its first subscribe at once", async () => {
    const { server: s, loop: l } = await setup({ subscribeDeadlineMs: 5000 });
    l.stream.subscribe("ticker", ["BTC-USD", "ETH-USD"]);
    await s.waitFor(() => s.subscribers("ticker", "ETH-USD").length === 1);
    const conn = s.connections[0];
    expect(conn?.received.map((m) => m.channel)).toEqual(["heartbeats", "ticker"]);
    for (const price of ["65000.01", "65000.02", "65000.03"]) s.ticker("BTC-USD", { price });
    s.ticker("ETH-USD", { price: "3100.5" });
    await s.waitFor(() => l.of("message").filter((e) => e.message.channel === "ticker").length === 4);
    const prices = l
      .of("message")
      .flatMap((e) => (e.message.channel === "ticker" ? e.message.events.flatMap((ev) => ev.tickers) : []))
      .map((t) => `${t.product_id} ${t.price}`);
    expect(prices).toEqual(["BTC-USD 65000.01", "BTC-USD 65000.02", "BTC-USD 65000.03", "ETH-USD 3100.5"]);
    expect(l.events[0]).toEqual({ type: "open", connection: "market" });
    expect(l.of("error")).toEqual([]);
    expect(sequenceEvents(l)).toEqual([]);
  });

  it("keeps a level-2 book from the snapshot and updates, equal to a book rebuilt from scratch", async () => {
    const { server: s, loop: l } = await setup();
    await withBook(s, l);
    s.l2Update("BTC-USD", [
      { side: "bid", price_level: "64999.99", new_quantity: "0" },
      { side: "bid", price_level: "64999.995", new_quantity: "0.1" },
      { side: "offer", price_level: "65000.01", new_quantity: "1.4" },
    ]);
    s.l2Update("BTC-USD", [{ side: "offer", price_level: "65001", new_quantity: "0.2" }]);
    await bookMatchesServer(s, l, "BTC-USD");
    const book = l.stream.book("BTC-USD");
    expect(book?.bestBid()).toEqual({ price: "64999.995", size: "0.1" });
    expect(book?.bestAsk()).toEqual({ price: "65000.01", size: "1.4" });
    expect(book?.spread()).toBe("0.015");
    expect(l.of("book").length).toBeGreaterThanOrEqual(3);
    expect(sequenceEvents(l)).toEqual([]);
  });

  it("on a sequence gap: reports it, resyncs the book from a fresh snapshot, and never serves the holed book", async () => {
    const { server: s, loop: l } = await setup();
    await withBook(s, l); // seq 0 heartbeats ack, 1 snapshot, 2 level2 ack
    const invalidSeen: boolean[] = [];
    l.stream.on("book", ({ book }) => invalidSeen.push(book.valid));
    s.faults.gap(2);
    s.l2Update("BTC-USD", [{ side: "bid", price_level: "64998", new_quantity: "9" }]);
    await l.waitForEvent("gap");
    await l.waitForEvent("resync");
    // The resubscribe reaches the server and its snapshot restores the book.
    await s.waitFor(() => s.connections[0]?.received.filter((m) => m.type === "unsubscribe").length === 1);
    await bookMatchesServer(s, l, "BTC-USD");
    expect(sequenceEvents(l)).toEqual(["gap 3->5", "resync level2 BTC-USD gap"]);
    expect(invalidSeen.every((v) => v)).toBe(true);
    expect(levelsOf(l.stream.book("BTC-USD") ?? expect.unreachable()).bids[2]).toEqual(["64998", "9"]);
  });

  it("on a duplicate frame: reports it, drops it and resyncs the product", async () => {
    const { server: s, loop: l } = await setup();
    await withBook(s, l);
    s.l2Update("BTC-USD", [{ side: "offer", price_level: "65000.5", new_quantity: "2.5" }]);
    s.faults.duplicateLast();
    await l.waitForEvent("duplicate");
    await bookMatchesServer(s, l, "BTC-USD");
    expect(sequenceEvents(l)).toEqual(["duplicate 3", "resync level2 BTC-USD duplicate"]);
  });

  it("on out-of-order frames: reports the jump and the late frame, and resyncs", async () => {
    const { server: s, loop: l } = await setup();
    await withBook(s, l);
    s.faults.swapNext();
    s.l2Update("BTC-USD", [{ side: "bid", price_level: "64999.5", new_quantity: "0" }]); // seq 3, held
    s.l2Update("BTC-USD", [{ side: "bid", price_level: "64997", new_quantity: "1" }]); // seq 4, sent first
    await l.waitForEvent("out-of-order");
    await bookMatchesServer(s, l, "BTC-USD");
    const seen = sequenceEvents(l);
    expect(seen[0]).toBe("gap 3->4");
    expect(seen[1]).toBe("resync level2 BTC-USD gap");
    expect(seen).toContain("out-of-order 5->3");
  });

  it("reports a malformed frame and a frame that breaks the schema with the raw text, and goes on", async () => {
    const { server: s, loop: l } = await setup();
    l.stream.subscribe("ticker", ["BTC-USD"]);
    await s.waitFor(() => s.subscribers("ticker", "BTC-USD").length === 1);
    s.faults.raw('{"channel":"ticker","sequence_num":');
    s.publish(
      "ticker",
      [{ type: "update", tickers: [{ type: "ticker", product_id: "BTC-USD" }] }],
      "BTC-USD",
    );
    s.ticker("BTC-USD", { price: "1.5" });
    await s.waitFor(() => l.of("message").some((e) => e.message.channel === "ticker"));
    const errors = l.of("error");
    expect(errors.map((e) => e.error.code)).toEqual(["ws-message-invalid", "ws-message-invalid"]);
    expect(errors[0]?.raw).toBe('{"channel":"ticker","sequence_num":');
    expect(errors[1]?.raw).toContain('"product_id":"BTC-USD"');
    expect(errors[1]?.error.message).toMatch(/price/);
    const ticker = l.of("message").find((e) => e.message.channel === "ticker");
    expect(ticker?.message.channel === "ticker" && ticker.message.events[0]?.tickers[0]?.price).toBe("1.5");
  });

  it("accepts an oversized first snapshot (several MB) and keeps the book exact", async () => {
    const { server: s, loop: l } = await setup();
    s.faults.oversizedSnapshot("BTC-USD", 40_000); // the truth before anyone subscribes
    l.stream.subscribe("level2", ["BTC-USD"]);
    await bookMatchesServer(s, l, "BTC-USD", 50_000);
    expect(s.connections[0]?.sent.largestFrame).toBeGreaterThan(5_000_000);
    expect(l.stream.book("BTC-USD")?.size()).toEqual({ bids: 40_000, asks: 40_000 });
    expect(l.of("error")).toEqual([]);
  }, 60_000);

  it("reports a subscribe error as an error event and keeps the other subscriptions streaming", async () => {
    const { server: s, loop: l } = await setup({
      rejectSubscribe: (m) =>
        m.channel === "candles" ? "Failed to subscribe to candles: rate limit" : undefined,
    });
    l.stream.subscribe("ticker", ["BTC-USD"]);
    l.stream.subscribe("candles", ["BTC-USD"]);
    const error = await l.waitForEvent("error");
    expect(error.error.code).toBe("ws-subscribe-failed");
    expect(error.error.message).toContain("Failed to subscribe to candles: rate limit");
    s.ticker("BTC-USD", { price: "2" });
    await s.waitFor(() => l.of("message").some((e) => e.message.channel === "ticker"));
    expect(l.of("disconnected")).toEqual([]);
  });
});
