import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isCoinbaseClientError } from "../errors.js";
import { createCoinbaseStream } from "./stream.js";
import type { CoinbaseStreamOptions, StreamEvent } from "./stream-types.js";
import { FakeSocket, FakeTimers, heartbeat, l2, ticker, userOrder } from "./test-doubles.js";

let timers: FakeTimers;
let jwtCalls: number;

function setup(options: CoinbaseStreamOptions = {}) {
  const events: StreamEvent[] = [];
  const stream = createCoinbaseStream({
    url: "ws://market.test",
    userUrl: "ws://user.test",
    WebSocket: FakeSocket,
    timers,
    reconnect: { initialDelayMs: 100, maxDelayMs: 1_000, jitter: 0.5, random: () => 0 },
    ...options,
  });
  stream.onAny((event) => events.push(event));
  const of = <T extends StreamEvent["type"]>(type: T) =>
    events.filter((e): e is Extract<StreamEvent, { type: T }> => e.type === type);
  return { stream, events, of };
}

beforeEach(() => {
  FakeSocket.all = [];
  timers = new FakeTimers();
  jwtCalls = 0;
});

afterEach(() => {
  FakeSocket.all = [];
});

const jwt = () => `jwt-${++jwtCalls}`;

describe("connecting and subscribing", () => {
  it("connects on the first subscribe and sends heartbeats and the subscription as soon as it opens", () => {
    const { stream } = setup();
    expect(FakeSocket.all).toHaveLength(0);
    stream.subscribe("ticker", ["BTC-USD", "ETH-USD"]);
    const socket = FakeSocket.last;
    expect(socket.url).toBe("ws://market.test");
    expect(socket.options).toEqual({ perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    socket.open();
    expect(socket.sent).toEqual([
      { type: "subscribe", channel: "heartbeats" },
      { type: "subscribe", channel: "ticker", product_ids: ["BTC-USD", "ETH-USD"] },
    ]);
    stream.subscribe("ticker", ["SOL-USD", "BTC-USD"]);
    expect(socket.sent[2]).toEqual({ type: "subscribe", channel: "ticker", product_ids: ["SOL-USD"] });
    stream.unsubscribe("ticker", ["ETH-USD"]);
    expect(socket.sent[3]).toEqual({ type: "unsubscribe", channel: "ticker", product_ids: ["ETH-USD"] });
    // Nothing acknowledged yet: every subscription is pending.
    expect(stream.subscriptions()).toEqual([
      { channel: "ticker", productIds: ["BTC-USD", "SOL-USD"], status: "pending" },
    ]);
  });

  it("puts a fresh JWT in every subscribe and unsubscribe, and routes user channels to the user URL", () => {
    const { stream } = setup({ jwt });
    stream.subscribe("user");
    const user = FakeSocket.last;
    expect(user.url).toBe("ws://user.test");
    user.open();
    stream.subscribe("futures_balance_summary");
    expect(user.sent.map((m) => [m.type, m.channel, m.jwt])).toEqual([
      ["subscribe", "heartbeats", "jwt-1"],
      ["subscribe", "user", "jwt-2"],
      ["subscribe", "futures_balance_summary", "jwt-3"],
    ]);
    stream.subscribe("level2", ["BTC-USD"]);
    expect(FakeSocket.last.url).toBe("ws://market.test");
  });

  it("refuses a user channel without a jwt, an unknown channel and bad product ids", () => {
    const { stream } = setup();
    for (const call of [
      () => stream.subscribe("user"),
      () => stream.subscribe("orders" as never, ["BTC-USD"]),
      () => stream.subscribe("ticker", ["" as string]),
      () => stream.subscribe("ticker", "BTC-USD" as never),
    ]) {
      let caught: unknown;
      try {
        call();
      } catch (error) {
        caught = error;
      }
      expect(isCoinbaseClientError(caught) && caught.code).toBe("invalid-request");
    }
    expect(FakeSocket.all).toHaveLength(0);
  });

  it("rejects unusable options", () => {
    for (const options of [
      { url: "https://x.test" },
      { staleAfterMs: -1 },
      { reconnect: { jitter: 2 } },
      { reconnect: { maxDelayMs: 1, initialDelayMs: 5 } },
      { buffer: { capacity: 0 } },
    ]) {
      let caught: unknown;
      try {
        createCoinbaseStream(options as CoinbaseStreamOptions);
      } catch (error) {
        caught = error;
      }
      expect(isCoinbaseClientError(caught) && caught.code).toBe("invalid-config");
    }
  });

  it("reports a frame that does not validate, with the raw frame, and goes on", () => {
    const { stream, of } = setup();
    stream.subscribe("ticker", ["BTC-USD"]);
    FakeSocket.last.open();
    FakeSocket.last.receive("{not json");
    FakeSocket.last.receive(ticker(1, "BTC-USD", "100"));
    const [error] = of("error");
    expect(error?.error.code).toBe("ws-message-invalid");
    expect(error?.raw).toBe("{not json");
    expect(of("message")).toHaveLength(1);
  });

  it("reports Coinbase's error messages with their text", () => {
    const { stream, of } = setup();
    stream.subscribe("ticker", ["BTC-USD"]);
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: "error", message: "failure to subscribe" });
    const [error] = of("error");
    expect(error?.error.code).toBe("ws-subscribe-failed");
    expect(error?.error.coinbaseMessage).toBe("failure to subscribe");
  });

  it("reports an error message that answers no waiting request as ws-server-error, retrying nothing", () => {
    const { stream, of } = setup({ heartbeats: false });
    stream.subscribe("ticker", ["BTC-USD"]);
    FakeSocket.last.open();
    FakeSocket.last.receive({
      channel: "subscriptions",
      client_id: "",
      timestamp: "2026-08-09T21:05:48.228846629Z",
      sequence_num: 0,
      events: [{ subscriptions: { ticker: ["BTC-USD"] } }],
    });
    const socket = FakeSocket.last;
    const sentBefore = socket.sent.length;
    socket.receive({ type: "error", message: "internal error" });
    timers.advance(5_000); // well past a retry's backoff (100 ms to 1 s here)
    const [error] = of("error");
    expect(error?.error.code).toBe("ws-server-error");
    expect(error?.error.coinbaseMessage).toBe("internal error");
    expect(socket.sent).toHaveLength(sentBefore);
    expect(FakeSocket.last).toBe(socket);
    expect(stream.subscriptions()).toEqual([
      { channel: "ticker", productIds: ["BTC-USD"], status: "confirmed" },
    ]);
  });

  it("decodes binary frames", () => {
    const { stream, of } = setup();
    stream.subscribe("ticker", ["BTC-USD"]);
    FakeSocket.last.open();
    FakeSocket.last.receive(new TextEncoder().encode(JSON.stringify(ticker(1, "BTC-USD", "100"))));
    expect(of("message")).toHaveLength(1);
  });
});

describe("reconnecting", () => {
  it("reconnects with exponential backoff after 1000, 1001 and 1006 closes and restores every subscription", () => {
    const { stream, of } = setup({ jwt });
    stream.subscribe("ticker", ["BTC-USD"]);
    stream.subscribe("level2", ["ETH-USD"]);
    FakeSocket.last.open();
    const delays: number[] = [];
    for (const code of [1000, 1001, 1006]) {
      FakeSocket.last.drop(code);
      const reconnecting = of("reconnecting").at(-1);
      expect(reconnecting?.reason).toBe(`closed with code ${code}`);
      delays.push(reconnecting?.delayMs ?? -1);
      const before = FakeSocket.all.length;
      timers.advance((reconnecting?.delayMs ?? 0) - 1);
      expect(FakeSocket.all).toHaveLength(before);
      timers.advance(1);
      expect(FakeSocket.all).toHaveLength(before + 1);
      FakeSocket.last.open();
    }
    // random() = 0: no jitter taken off; doubling from 100 ms.
    expect(delays).toEqual([100, 200, 400]);
    expect(of("disconnected").map((e) => e.code)).toEqual([1000, 1001, 1006]);
    const reconnected = of("reconnected");
    expect(reconnected).toHaveLength(3);
    expect(reconnected[2]?.restored).toEqual([
      { channel: "ticker", productIds: ["BTC-USD"] },
      { channel: "level2", productIds: ["ETH-USD"] },
    ]);
    const jwts = FakeSocket.all.flatMap((s) => s.sent.map((m) => m.jwt));
    expect(new Set(jwts).size).toBe(jwts.length);
    expect(FakeSocket.last.sent.map((m) => m.channel)).toEqual(["heartbeats", "ticker", "level2"]);
  });

  it("caps the delay, applies jitter from the injected random, and starts over after a good frame", () => {
    const draws = [0.5, 1, 0];
    const { stream, of } = setup({
      reconnect: { initialDelayMs: 100, maxDelayMs: 250, jitter: 0.5, random: () => draws.shift() ?? 0 },
    });
    stream.subscribe("ticker", ["BTC-USD"]);
    for (let i = 0; i < 3; i++) {
      FakeSocket.last.drop(1006);
      timers.advance(of("reconnecting").at(-1)?.delayMs ?? 0);
    }
    // 100·(1−0.25), 200·(1−0.5), min(400, 250)·1
    expect(of("reconnecting").map((e) => [e.attempt, e.delayMs])).toEqual([
      [1, 75],
      [2, 100],
      [3, 250],
    ]);
    FakeSocket.last.open();
    FakeSocket.last.receive(heartbeat(1));
    FakeSocket.last.drop(1006);
    expect(of("reconnecting").at(-1)?.attempt).toBe(1);
  });

  it("gives up after maxAttempts with a ws-closed error", () => {
    const { stream, of } = setup({
      reconnect: { initialDelayMs: 10, maxDelayMs: 10, maxAttempts: 2, random: () => 0 },
    });
    stream.subscribe("ticker", ["BTC-USD"]);
    FakeSocket.last.drop(1006);
    timers.advance(10);
    FakeSocket.last.drop(1006);
    timers.advance(10);
    FakeSocket.last.drop(1006, "gone");
    const [error] = of("error");
    expect(error?.error.code).toBe("ws-closed");
    expect(error?.error.status).toBe(1006);
    timers.advance(10_000);
    expect(FakeSocket.all).toHaveLength(3);
  });

  it("stops for good on close(): sockets closed with 1000, no reconnect, iterators end", async () => {
    const { stream, of } = setup();
    stream.subscribe("ticker", ["BTC-USD"]);
    FakeSocket.last.open();
    const iterator = stream.events();
    const pending = iterator.next();
    await stream.close();
    expect(FakeSocket.last.closedWith).toEqual({ code: 1000, reason: "client closed" });
    expect(await pending).toEqual({ value: { type: "closed" }, done: false });
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    timers.advance(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(of("reconnecting")).toHaveLength(0);
    expect(timers.pending).toBe(0);
  });
});

describe("the stale watchdog", () => {
  it("reconnects a connection silent for staleAfterMs, and not one that keeps talking", () => {
    const { stream, of } = setup({ staleAfterMs: 5_000 });
    stream.subscribe("ticker", ["BTC-USD"]);
    FakeSocket.last.open();
    for (let seq = 1; seq <= 10; seq++) {
      timers.advance(1_000);
      FakeSocket.last.receive(heartbeat(seq));
    }
    expect(of("stale")).toHaveLength(0);
    timers.advance(4_999);
    expect(of("stale")).toHaveLength(0);
    timers.advance(1);
    expect(of("stale")).toEqual([
      { type: "stale", connection: "market", scope: "connection", silentMs: 5_000 },
    ]);
    expect(FakeSocket.all[0]?.closedWith?.code).toBe(4000);
    expect(of("reconnecting")[0]?.reason).toBe("no message for 5000 ms");
    timers.advance(100);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it("treats a socket that never opens as stale", () => {
    const { stream, of } = setup({ staleAfterMs: 3_000 });
    stream.subscribe("ticker", ["BTC-USD"]);
    timers.advance(3_000);
    expect(of("stale")).toHaveLength(1);
  });

  it("reconnects when one subscribed product stays silent for productStaleAfterMs", () => {
    const { stream, of } = setup({ staleAfterMs: 10_000, productStaleAfterMs: 4_000 });
    stream.subscribe("ticker", ["BTC-USD", "ETH-USD"]);
    FakeSocket.last.open();
    for (let seq = 1; seq <= 6; seq++) {
      timers.advance(1_000);
      FakeSocket.last.receive(ticker(seq, "BTC-USD", "100"));
    }
    const stale = of("stale");
    expect(stale).toHaveLength(1);
    expect(stale[0]).toMatchObject({ scope: "product", productId: "ETH-USD", silentMs: 4_000 });
  });
});

describe("sequence numbers and books", () => {
  function bookSetup() {
    const t = setup();
    t.stream.subscribe("level2", ["BTC-USD"]);
    FakeSocket.last.open();
    FakeSocket.last.receive(
      l2(1, "snapshot", "BTC-USD", [
        ["bid", "100", "1"],
        ["offer", "101", "2"],
      ]),
    );
    return t;
  }

  it("keeps the book from the snapshot and updates", () => {
    const { stream, of } = bookSetup();
    FakeSocket.last.receive(l2(2, "update", "BTC-USD", [["bid", "100.5", "3"]]));
    const book = stream.book("BTC-USD");
    expect(book?.valid).toBe(true);
    expect(book?.bestBid()).toEqual({ price: "100.5", size: "3" });
    expect(of("book")).toHaveLength(2);
  });

  it("on a gap: reports it, resubscribes level2 for a fresh snapshot and ignores updates until it comes", () => {
    const { stream, of } = bookSetup();
    const socket = FakeSocket.last;
    socket.receive(l2(5, "update", "BTC-USD", [["bid", "99", "1"]]));
    expect(of("gap")).toEqual([{ type: "gap", connection: "market", expected: 2, got: 5 }]);
    expect(of("resync")).toEqual([
      { type: "resync", connection: "market", channel: "level2", productId: "BTC-USD", reason: "gap" },
    ]);
    expect(socket.sent.slice(-2)).toEqual([
      { type: "unsubscribe", channel: "level2", product_ids: ["BTC-USD"] },
      { type: "subscribe", channel: "level2", product_ids: ["BTC-USD"] },
    ]);
    const book = stream.book("BTC-USD");
    expect(book?.valid).toBe(false);
    socket.receive(l2(6, "update", "BTC-USD", [["bid", "98", "1"]]));
    expect(book?.valid).toBe(false);
    socket.receive(
      l2(7, "snapshot", "BTC-USD", [
        ["bid", "97", "1"],
        ["offer", "98", "1"],
      ]),
    );
    expect(book?.valid).toBe(true);
    expect(book?.depth(5)).toEqual({
      bids: [{ price: "97", size: "1" }],
      asks: [{ price: "98", size: "1" }],
    });
  });

  it("drops a duplicate and resyncs the book a late (out-of-order) update was for", () => {
    const { of } = bookSetup();
    const socket = FakeSocket.last;
    socket.receive(heartbeat(1));
    expect(of("duplicate")).toEqual([{ type: "duplicate", connection: "market", seq: 1 }]);
    expect(of("message")).toHaveLength(1);
    socket.receive(heartbeat(3));
    socket.receive(l2(2, "update", "BTC-USD", [["bid", "99", "1"]]));
    expect(of("out-of-order")).toEqual([{ type: "out-of-order", connection: "market", expected: 4, got: 2 }]);
    expect(of("resync").map((e) => e.reason)).toEqual(["gap"]);
  });

  it("treats a crossed book as an error and resyncs it", () => {
    const { stream, of } = bookSetup();
    FakeSocket.last.receive(l2(2, "update", "BTC-USD", [["bid", "102", "1"]]));
    expect(of("error")[0]?.error.code).toBe("ws-book-invalid");
    expect(of("resync")[0]?.reason).toBe("crossed");
    expect(stream.book("BTC-USD")?.valid).toBe(false);
  });

  it("marks books invalid when the connection drops, and restores them from the new snapshot", () => {
    const { stream, of } = bookSetup();
    FakeSocket.last.drop(1006);
    expect(of("resync")[0]).toMatchObject({ productId: "BTC-USD", reason: "reconnect" });
    expect(stream.book("BTC-USD")?.valid).toBe(false);
    timers.advance(100);
    FakeSocket.last.open();
    FakeSocket.last.receive(l2(1, "snapshot", "BTC-USD", [["bid", "100", "1"]]));
    expect(stream.book("BTC-USD")?.valid).toBe(true);
    expect(of("gap")).toHaveLength(0);
  });
});

describe("the user channel", () => {
  it("drops orders replayed after a reconnect and derives fills from cumulative quantities", () => {
    const { stream, of } = setup({ jwt });
    stream.subscribe("user");
    FakeSocket.last.open();
    FakeSocket.last.receive(userOrder(1, "snapshot", "A", "OPEN", "0", "0"));
    FakeSocket.last.receive(userOrder(2, "update", "A", "OPEN", "0.5", "100"));
    FakeSocket.last.drop(1006);
    timers.advance(100);
    FakeSocket.last.open();
    FakeSocket.last.receive(userOrder(1, "snapshot", "A", "OPEN", "0.5", "100"));
    FakeSocket.last.receive(userOrder(2, "update", "A", "FILLED", "1", "101"));
    const fills = of("fill").map((e) => e.fill);
    expect(fills.map((f) => [f.orderId, f.size, f.price, f.status])).toEqual([
      ["A", "0.5", "100", "OPEN"],
      ["A", "0.5", "102", "FILLED"],
    ]);
    const orders = of("message").flatMap((e) =>
      e.message.channel === "user" ? e.message.events.flatMap((ev) => ev.orders) : [],
    );
    expect(orders.map((o) => o.cumulative_quantity)).toEqual(["0", "0.5", "1"]);
  });
});

describe("handlers and iterators", () => {
  it("reports a handler that throws as a ws-handler-failed error and keeps going", () => {
    const { stream, of } = setup();
    stream.on("message", () => {
      throw new Error("boom");
    });
    stream.subscribe("ticker", ["BTC-USD"]);
    FakeSocket.last.open();
    FakeSocket.last.receive(ticker(1, "BTC-USD", "1"));
    FakeSocket.last.receive(ticker(2, "BTC-USD", "2"));
    expect(of("error").map((e) => e.error.code)).toEqual(["ws-handler-failed", "ws-handler-failed"]);
    expect(of("message")).toHaveLength(2);
  });

  it("on() filters by type and returns a remover", () => {
    const { stream } = setup();
    const prices: string[] = [];
    const off = stream.on("message", ({ message }) => {
      if (message.channel === "ticker") prices.push(message.events[0]?.tickers[0]?.price ?? "");
    });
    stream.subscribe("ticker", ["BTC-USD"]);
    FakeSocket.last.open();
    FakeSocket.last.receive(ticker(1, "BTC-USD", "1"));
    off();
    FakeSocket.last.receive(ticker(2, "BTC-USD", "2"));
    expect(prices).toEqual(["1"]);
  });

  it("conflates tickers for a slow iterator and never drops level-2 messages silently", async () => {
    const { stream } = setup();
    stream.subscribe("ticker", ["BTC-USD"]);
    stream.subscribe("level2", ["ETH-USD"]);
    const socket = FakeSocket.last;
    const iterator = stream.events({ capacity: 3 });
    socket.open(); // "open" event: 1 queued
    socket.receive(l2(1, "snapshot", "ETH-USD", [["bid", "10", "1"]])); // message + book: 3 queued
    for (let seq = 2; seq <= 5; seq++) socket.receive(ticker(seq, "BTC-USD", String(seq))); // full: dropped, then merged
    socket.receive(l2(6, "update", "ETH-USD", [["bid", "10", "2"]])); // dropped: resync
    const seen: StreamEvent[] = [];
    for (let i = 0; i < 5; i++) seen.push((await iterator.next()).value as StreamEvent);
    expect(seen.map((e) => e.type)).toEqual(["open", "message", "book", "overflow", "resync"]);
    const overflow = seen[3] as Extract<StreamEvent, { type: "overflow" }>;
    expect(overflow).toEqual({
      type: "overflow",
      dropped: 5,
      channels: ["level2", "ticker"],
      productIds: ["BTC-USD", "ETH-USD"],
    });
    expect(seen[4]).toMatchObject({ type: "resync", productId: "ETH-USD", reason: "overflow" });
    expect(socket.sent.slice(-2)).toEqual([
      { type: "unsubscribe", channel: "level2", product_ids: ["ETH-USD"] },
      { type: "subscribe", channel: "level2", product_ids: ["ETH-USD"] },
    ]);
    expect(stream.book("ETH-USD")?.valid).toBe(false);
    await iterator.return?.();
  });
});

describe("edges", () => {
  it("reports a jwt function that throws, without sending that message", () => {
    const { stream, of } = setup({
      jwt: () => {
        throw new Error("key store down");
      },
    });
    stream.subscribe("ticker", ["BTC-USD"]);
    FakeSocket.last.open();
    expect(FakeSocket.last.sent).toEqual([]);
    expect(of("error").map((e) => e.error.code)).toEqual(["ws-subscribe-failed", "ws-subscribe-failed"]);
    expect(of("error")[0]?.error.cause).toBeInstanceOf(Error);
  });

  it("passes no options object to the browser's own WebSocket constructor", () => {
    const global = globalThis as { WebSocket?: unknown };
    const saved = global.WebSocket;
    global.WebSocket = FakeSocket;
    try {
      const { stream } = setup();
      stream.subscribe("ticker", ["BTC-USD"]);
      expect(FakeSocket.last.options).toBeUndefined();
    } finally {
      global.WebSocket = saved;
    }
  });

  it("close() during a reconnect wait cancels the reconnect", async () => {
    const { stream, of } = setup();
    stream.subscribe("ticker", ["BTC-USD"]);
    FakeSocket.last.drop(1006);
    expect(of("reconnecting")).toHaveLength(1);
    await stream.close();
    timers.advance(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(timers.pending).toBe(0);
    expect(() => stream.subscribe("ticker", ["ETH-USD"])).toThrow(/closed/);
  });

  it("keeps the product watchdog off the user connection", () => {
    const { stream, of } = setup({ jwt, staleAfterMs: 0, productStaleAfterMs: 1_000 });
    stream.subscribe("user", ["BTC-USD"]);
    FakeSocket.last.open();
    timers.advance(10_000);
    expect(of("stale")).toHaveLength(0);
  });

  it("unsubscribing level2 forgets the book", () => {
    const { stream } = setup();
    stream.subscribe("level2", ["BTC-USD", "ETH-USD"]);
    FakeSocket.last.open();
    stream.unsubscribe("level2", ["ETH-USD"]);
    expect(stream.book("ETH-USD")).toBeUndefined();
    expect(stream.book("BTC-USD")).toBeDefined();
    stream.unsubscribe("level2");
    expect(stream.book("BTC-USD")).toBeUndefined();
    expect(FakeSocket.last.sent.at(-1)).toEqual({ type: "unsubscribe", channel: "level2" });
  });
  it("closes a connection that opens with nothing to subscribe (heartbeats off), and reconnects on the next subscribe", () => {
    const { stream, of } = setup({ heartbeats: false });
    stream.subscribe("ticker", ["BTC-USD"]);
    stream.unsubscribe("ticker");
    FakeSocket.last.open();
    expect(FakeSocket.last.sent).toEqual([]);
    expect(FakeSocket.last.closedWith).toEqual({ code: 1000, reason: "nothing to subscribe" });
    expect(of("reconnecting")).toHaveLength(0);
    stream.subscribe("ticker", ["ETH-USD"]);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.last.open();
    expect(FakeSocket.last.sent).toEqual([
      { type: "subscribe", channel: "ticker", product_ids: ["ETH-USD"] },
    ]);
  });
});
