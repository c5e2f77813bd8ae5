import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startWsServer, testJwt, type WsServer } from "./ws-server.js";

/** A bare `ws` client that keeps every frame it receives. */
async function rawClient(
  url: string,
): Promise<{ socket: WebSocket; frames: string[]; closed: Promise<number> }> {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  const frames: string[] = [];
  socket.on("message", (data) => frames.push(String(data)));
  const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  return { socket, frames, closed };
}

function parsed(frames: readonly string[]): Record<string, unknown>[] {
  return frames.map((f) => JSON.parse(f) as Record<string, unknown>);
}

let server: WsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("startWsServer", () => {
  it("acks a subscribe, sends the truth book as a snapshot and numbers frames per connection", async () => {
    server = await startWsServer({ heartbeatIntervalMs: 0 });
    server.setBook("BTC-USD", [
      { side: "bid", price_level: "99.5", new_quantity: "1" },
      { side: "bid", price_level: "100", new_quantity: "2" },
      { side: "offer", price_level: "101", new_quantity: "3" },
    ]);
    const c = await rawClient(server.url);
    c.socket.send(JSON.stringify({ type: "subscribe", channel: "level2", product_ids: ["BTC-USD"] }));
    await server.waitFor(() => c.frames.length === 2);
    const [snap, ack] = parsed(c.frames);
    expect(snap?.channel).toBe("l2_data");
    expect(snap?.sequence_num).toBe(0);
    const ev = (snap?.events ?? []) as Record<string, unknown>[];
    expect(ev[0]?.type).toBe("snapshot");
    expect(((ev[0]?.updates ?? []) as { price_level: string }[]).map((u) => u.price_level)).toEqual([
      "100",
      "99.5",
      "101",
    ]);
    expect(ack).toMatchObject({
      channel: "subscriptions",
      sequence_num: 1,
      events: [{ subscriptions: { level2: ["BTC-USD"] } }],
    });

    server.l2Update("BTC-USD", [{ side: "bid", price_level: "100", new_quantity: "0" }]);
    await server.waitFor(() => c.frames.length === 3);
    expect(parsed(c.frames)[2]).toMatchObject({ channel: "l2_data", sequence_num: 2 });
    expect(server.book("BTC-USD").bids).toEqual([["99.5", "1"]]);

    // A second connection starts its own numbering at 0.
    const d = await rawClient(server.url);
    d.socket.send(JSON.stringify({ type: "subscribe", channel: "heartbeats" }));
    await server.waitFor(() => d.frames.length === 1);
    server.heartbeat();
    await server.waitFor(() => d.frames.length === 2);
    expect(parsed(d.frames).map((f) => f.sequence_num)).toEqual([0, 1]);
    expect(parsed(d.frames)[1]).toMatchObject({ channel: "heartbeats", events: [{ heartbeat_counter: 0 }] });
    c.socket.close();
    d.socket.close();
  });

  it("scripts gap, duplicate, out-of-order and malformed frames", async () => {
    server = await startWsServer({ heartbeatIntervalMs: 0 });
    const c = await rawClient(server.url);
    c.socket.send(JSON.stringify({ type: "subscribe", channel: "ticker", product_ids: ["ETH-USD"] }));
    await server.waitFor(() => c.frames.length === 1); // ack, seq 0
    server.faults.gap(3);
    server.ticker("ETH-USD"); // seq 4
    server.faults.duplicateLast(); // seq 4 again
    server.faults.swapNext();
    server.ticker("ETH-USD", { price: "1" }); // seq 5, held
    server.ticker("ETH-USD", { price: "2" }); // seq 6, sent before 5
    server.faults.raw("{not json");
    await server.waitFor(() => c.frames.length === 6);
    expect(c.frames[5]).toBe("{not json");
    expect(parsed(c.frames.slice(0, 5)).map((f) => f.sequence_num)).toEqual([0, 4, 4, 6, 5]);
    c.socket.close();
  });

  it("refuses user without a JWT or with an expired one, with Coinbase's error frame", async () => {
    const now = Date.UTC(2026, 7, 9, 21, 0, 0);
    server = await startWsServer({ heartbeatIntervalMs: 0, now: () => now });
    const c = await rawClient(server.url);
    c.socket.send(JSON.stringify({ type: "subscribe", channel: "user" }));
    c.socket.send(JSON.stringify({ type: "subscribe", channel: "user", jwt: testJwt(now / 1000 - 1) }));
    c.socket.send(JSON.stringify({ type: "subscribe", channel: "user", jwt: testJwt(now / 1000 + 100) }));
    await server.waitFor(() => c.frames.length === 4);
    const [a, b, snap, ack] = parsed(c.frames);
    expect(a).toEqual({ type: "error", message: "authentication failure" });
    expect(b).toEqual({ type: "error", message: "jwt expired" });
    expect(snap).toMatchObject({
      channel: "user",
      sequence_num: 0,
      events: [{ type: "snapshot", orders: [] }],
    });
    expect(ack).toMatchObject({ channel: "subscriptions", events: [{ subscriptions: { user: ["user"] } }] });
    c.socket.close();
  });

  it("closes with the scripted codes, and 1006 without a close frame", async () => {
    server = await startWsServer({ heartbeatIntervalMs: 0 });
    for (const code of [1000, 1001, 1006]) {
      const c = await rawClient(server.url);
      await server.waitFor(() => server?.connections.at(-1)?.open === true);
      server.faults.disconnect(code, server.connections.at(-1));
      expect(await c.closed).toBe(code);
    }
  });

  it("drops a connection that sends no subscribe within the deadline", async () => {
    server = await startWsServer({ heartbeatIntervalMs: 0, subscribeDeadlineMs: 50 });
    const c = await rawClient(server.url);
    expect(await c.closed).toBe(1008);
  });

  it("replays recorded envelopes with fresh sequence numbers and keeps the truth book", async () => {
    server = await startWsServer({ heartbeatIntervalMs: 0 });
    const c = await rawClient(server.url);
    c.socket.send(JSON.stringify({ type: "subscribe", channel: "level2", product_ids: ["BTC-USD"] }));
    await server.waitFor(() => c.frames.length === 2);
    server.replay([
      { channel: "subscriptions", sequence_num: 7, events: [{ subscriptions: {} }] },
      {
        channel: "l2_data",
        sequence_num: 8,
        events: [
          {
            type: "snapshot",
            product_id: "BTC-USD",
            updates: [
              { side: "bid", price_level: "10", new_quantity: "1", event_time: "x" },
              { side: "offer", price_level: "11", new_quantity: "1", event_time: "x" },
            ],
          },
        ],
      },
      {
        channel: "ticker",
        sequence_num: 9,
        events: [{ type: "update", tickers: [{ product_id: "ETH-USD" }] }],
      },
    ]);
    await server.waitFor(() => c.frames.length === 3);
    expect(parsed(c.frames)[2]).toMatchObject({ channel: "l2_data", sequence_num: 2 });
    expect(server.book("BTC-USD")).toEqual({ bids: [["10", "1"]], offers: [["11", "1"]] });
    c.socket.close();
  });
});
