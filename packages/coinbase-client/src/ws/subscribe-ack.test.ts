import { beforeEach, describe, expect, it } from "vitest";
import { createCoinbaseStream } from "./stream.js";
import type { CoinbaseStreamOptions, StreamEvent } from "./stream-types.js";
import { FakeSocket, FakeTimers } from "./test-doubles.js";

let timers: FakeTimers;
let jwtCalls: number;
let seq: number;

const jwt = () => `jwt-${++jwtCalls}`;

function setup(options: CoinbaseStreamOptions = {}) {
  const events: StreamEvent[] = [];
  const stream = createCoinbaseStream({
    url: "ws://market.test",
    userUrl: "ws://user.test",
    WebSocket: FakeSocket,
    timers,
    staleAfterMs: 0,
    reconnect: { initialDelayMs: 100, maxDelayMs: 1_000, jitter: 0, random: () => 0 },
    ...options,
  });
  stream.onAny((event) => events.push(event));
  const errors = () =>
    events
      .flatMap((e) => (e.type === "error" ? [e.error] : []))
      .filter((e) => e.code === "ws-subscribe-failed");
  return { stream, events, errors };
}

/** The server's `subscriptions` ack listing everything it holds. */
function ack(subscriptions: Record<string, string[]>): unknown {
  return {
    channel: "subscriptions",
    client_id: "",
    timestamp: "2026-08-09T12:00:00.123456789Z",
    sequence_num: seq++,
    events: [{ subscriptions }],
  };
}

const refuse = (message: string) => ({ type: "error", message });

beforeEach(() => {
  FakeSocket.all = [];
  timers = new FakeTimers();
  jwtCalls = 0;
  seq = 0;
});

describe("a subscription is confirmed only by a subscriptions ack", () => {
  it("lists subscriptions as pending until an ack lists them, product by product", () => {
    const { stream } = setup();
    stream.subscribe("ticker", ["BTC-USD", "ETH-USD"]);
    const socket = FakeSocket.last;
    socket.open();
    socket.receive(ack({ heartbeats: ["heartbeats"] }));
    expect(stream.subscriptions()).toEqual([
      { channel: "ticker", productIds: ["BTC-USD", "ETH-USD"], status: "pending" },
    ]);
    socket.receive(ack({ heartbeats: ["heartbeats"], ticker: ["BTC-USD", "ETH-USD"] }));
    expect(stream.subscriptions()).toEqual([
      { channel: "ticker", productIds: ["BTC-USD", "ETH-USD"], status: "confirmed" },
    ]);
    stream.subscribe("ticker", ["SOL-USD"]);
    expect(stream.subscriptions()).toEqual([
      { channel: "ticker", productIds: ["BTC-USD", "ETH-USD"], status: "confirmed" },
      { channel: "ticker", productIds: ["SOL-USD"], status: "pending" },
    ]);
    // After a reconnect nothing is confirmed until the new socket's ack.
    socket.drop(1006);
    timers.advance(1_000);
    FakeSocket.last.open();
    expect(stream.subscriptions().map((s) => s.status)).toEqual(["pending"]);
  });

  it("retries a subscribe refused by an error frame on an open socket, with a fresh JWT, until confirmed", () => {
    const { stream, errors } = setup({ jwt });
    stream.subscribe("user");
    const socket = FakeSocket.last;
    socket.open();
    expect(socket.sent.map((m) => [m.type, m.channel])).toEqual([
      ["subscribe", "heartbeats"],
      ["subscribe", "user"],
    ]);
    socket.receive(ack({ heartbeats: ["heartbeats"] }));
    socket.receive(refuse("jwt expired"));
    // The consumer is told which subscribe failed, and the subscription is not confirmed.
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toMatchObject({ field: "user", coinbaseMessage: "jwt expired", retryable: true });
    expect(errors()[0]?.message).toContain("subscribe user");
    expect(stream.subscriptions()).toEqual([{ channel: "user", productIds: [], status: "pending" }]);
    // After the backoff the same socket gets the subscribe again, with a JWT never sent before.
    timers.advance(1_000);
    expect(FakeSocket.all).toHaveLength(1);
    const retry = socket.sent[2];
    expect(retry).toMatchObject({ type: "subscribe", channel: "user" });
    expect(new Set(socket.sent.map((m) => m.jwt)).size).toBe(3);
    socket.receive(ack({ heartbeats: ["heartbeats"], user: ["user-uuid"] }));
    expect(stream.subscriptions()).toEqual([{ channel: "user", productIds: [], status: "confirmed" }]);
    timers.advance(10_000);
    expect(socket.sent).toHaveLength(3);
  });

  it("names the channel and products of a refused subscribe, and retries only the products still pending", () => {
    const { stream, errors } = setup();
    stream.subscribe("ticker", ["BTC-USD"]);
    const socket = FakeSocket.last;
    socket.open();
    socket.receive(ack({ heartbeats: ["heartbeats"] }));
    socket.receive(ack({ heartbeats: ["heartbeats"], ticker: ["BTC-USD"] }));
    stream.subscribe("level2", ["ETH-USD", "DOGE-USD"]);
    socket.receive(refuse("Failed to subscribe"));
    expect(errors()[0]).toMatchObject({ field: "level2" });
    expect(errors()[0]?.message).toContain("subscribe level2 ETH-USD,DOGE-USD");
    stream.unsubscribe("level2", ["DOGE-USD"]);
    socket.receive(ack({ heartbeats: ["heartbeats"], ticker: ["BTC-USD"] }));
    timers.advance(1_000);
    expect(socket.sent.at(-1)).toEqual({ type: "subscribe", channel: "level2", product_ids: ["ETH-USD"] });
  });

  it("treats an ack that does not list a subscribe as a refusal", () => {
    const { stream, errors } = setup({ heartbeats: false });
    stream.subscribe("ticker", ["BTC-USD", "ETH-USD"]);
    const socket = FakeSocket.last;
    socket.open();
    socket.receive(ack({ ticker: ["BTC-USD"] }));
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toMatchObject({ field: "ticker" });
    expect(errors()[0]?.message).toContain("does not list subscribe ticker ETH-USD");
    expect(stream.subscriptions()).toEqual([
      { channel: "ticker", productIds: ["BTC-USD"], status: "confirmed" },
      { channel: "ticker", productIds: ["ETH-USD"], status: "pending" },
    ]);
    timers.advance(1_000);
    expect(socket.sent.at(-1)).toEqual({ type: "subscribe", channel: "ticker", product_ids: ["ETH-USD"] });
    socket.receive(ack({ ticker: ["BTC-USD", "ETH-USD"] }));
    expect(stream.subscriptions().map((s) => s.status)).toEqual(["confirmed"]);
  });

  it("recycles the connection after maxAttempts refusals in a row", () => {
    const { stream, events } = setup({
      heartbeats: false,
      reconnect: { initialDelayMs: 100, maxDelayMs: 1_000, jitter: 0, maxAttempts: 2 },
    });
    stream.subscribe("ticker", ["BTC-USD"]);
    const socket = FakeSocket.last;
    socket.open();
    socket.receive(refuse("nope"));
    timers.advance(1_000);
    socket.receive(refuse("nope"));
    timers.advance(1_000);
    expect(FakeSocket.all).toHaveLength(1);
    socket.receive(refuse("nope"));
    expect(socket.closedWith?.code).toBe(4000);
    expect(events.find((e) => e.type === "reconnecting")).toMatchObject({
      reason: "subscribe ticker BTC-USD refused 3 times",
    });
    timers.advance(1_000);
    const fresh = FakeSocket.last;
    expect(fresh).not.toBe(socket);
    fresh.open();
    expect(fresh.sent).toEqual([{ type: "subscribe", channel: "ticker", product_ids: ["BTC-USD"] }]);
  });

  it("reports an error frame answering an unsubscribe with its channel, and does not retry it", () => {
    const { stream, errors } = setup({ heartbeats: false });
    stream.subscribe("ticker", ["BTC-USD"]);
    const socket = FakeSocket.last;
    socket.open();
    socket.receive(ack({ ticker: ["BTC-USD"] }));
    stream.unsubscribe("ticker");
    socket.receive(refuse("Failed to unsubscribe"));
    expect(errors()[0]).toMatchObject({ field: "ticker" });
    expect(errors()[0]?.message).toContain("unsubscribe ticker");
    timers.advance(10_000);
    expect(socket.sent).toHaveLength(2);
    expect(stream.subscriptions()).toEqual([]);
  });
});
