/**
 * The stream's recovery against the loopback fault server: close codes 1000/1001/1006 mid-stream,
 * silence (connection and product watchdogs), an expired JWT, the user channel's replay after a
 * reconnect, and a slow consumer. Each asserts what the consumer sees, in order, and that books
 * end equal to a book rebuilt from scratch from the server's truth.
 */
import { afterEach, describe, expect, it } from "vitest";
import { bookMatchesServer, type LoopbackStream, loopbackStream } from "../testing/ws-loopback.js";
import { startWsServer, testJwt, type WsServer } from "../testing/ws-server.js";
import type { CoinbaseStreamOptions, StreamEvent } from "./stream-types.js";

let server: WsServer | undefined;
let loop: LoopbackStream | undefined;

afterEach(async () => {
  await loop?.stream.close();
  await server?.close();
  loop = undefined;
  server = undefined;
});

async function setup(
  serverOptions: Parameters<typeof startWsServer>[0] = {},
  streamOptions: CoinbaseStreamOptions = {},
): Promise<{ s: WsServer; l: LoopbackStream }> {
  server = await startWsServer({ heartbeatIntervalMs: 0, ...serverOptions });
  server.setBook("BTC-USD", [
    { side: "bid", price_level: "100", new_quantity: "1" },
    { side: "bid", price_level: "99.5", new_quantity: "2" },
    { side: "offer", price_level: "100.5", new_quantity: "3" },
    { side: "offer", price_level: "101", new_quantity: "4" },
  ]);
  loop = loopbackStream(server, streamOptions);
  return { s: server, l: loop };
}

/** The life-cycle events of the market connection, as short strings. */
function lifecycle(events: readonly StreamEvent[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    if (e.type === "open") out.push("open");
    else if (e.type === "disconnected") out.push(`disconnected ${e.code}`);
    else if (e.type === "reconnecting") out.push(`reconnecting ${e.attempt}`);
    else if (e.type === "reconnected") out.push("reconnected");
    else if (e.type === "resync") out.push(`resync ${e.channel} ${e.reason}`);
    else if (e.type === "stale") out.push(`stale ${e.scope}`);
  }
  return out;
}

function userOrder(orderId: string, status: string, cumulative: string, avg: string): Record<string, string> {
  return {
    order_id: orderId,
    client_order_id: `c-${orderId}`,
    product_id: "BTC-USD",
    order_side: "BUY",
    order_type: "LIMIT",
    status,
    cumulative_quantity: cumulative,
    avg_price: avg,
    leaves_quantity: "0",
    total_fees: "0",
  };
}

describe("stream recovery on the loopback server", () => {
  it.each([1000, 1001, 1006])(
    "reconnects after close code %i, restores every subscription and resyncs the book",
    async (code) => {
      const { s, l } = await setup();
      l.stream.subscribe("level2", ["BTC-USD"]);
      l.stream.subscribe("ticker", ["BTC-USD"]);
      await bookMatchesServer(s, l, "BTC-USD");
      await s.waitFor(() => s.subscribers("ticker", "BTC-USD").length === 1);
      s.faults.disconnect(code);
      await l.waitForEvent("disconnected");
      // The market moves while the client is away: the book must come back with these changes.
      s.l2Update("BTC-USD", [
        { side: "bid", price_level: "100", new_quantity: "0" },
        { side: "offer", price_level: "100.25", new_quantity: "0.5" },
      ]);
      const reconnected = await l.waitForEvent("reconnected");
      expect(reconnected.restored).toEqual([
        { channel: "level2", productIds: ["BTC-USD"] },
        { channel: "ticker", productIds: ["BTC-USD"] },
      ]);
      await bookMatchesServer(s, l, "BTC-USD");
      expect(lifecycle(l.events)).toEqual([
        "open",
        `disconnected ${code}`,
        "resync level2 reconnect",
        "reconnecting 1",
        "open",
        "reconnected",
      ]);
      // The new connection asked for everything again, heartbeats first.
      expect(s.connections[1]?.received.map((m) => `${m.type} ${m.channel}`)).toEqual([
        "subscribe heartbeats",
        "subscribe level2",
        "subscribe ticker",
      ]);
      s.ticker("BTC-USD", { price: "100.4" });
      await s.waitFor(() =>
        l
          .of("message")
          .some((e) => e.message.channel === "ticker" && e.message.events[0]?.tickers[0]?.price === "100.4"),
      );
    },
  );

  it("drops a silent connection (stale), reconnects and resyncs", async () => {
    const { s, l } = await setup({}, { staleAfterMs: 300 });
    l.stream.subscribe("level2", ["BTC-USD"]);
    await bookMatchesServer(s, l, "BTC-USD");
    s.faults.silence();
    const stale = await l.waitForEvent("stale");
    expect(stale).toMatchObject({ connection: "market", scope: "connection" });
    expect(stale.silentMs).toBeGreaterThanOrEqual(300);
    s.faults.resume();
    await l.waitForEvent("reconnected");
    await bookMatchesServer(s, l, "BTC-USD");
    expect(lifecycle(l.events).slice(0, 5)).toEqual([
      "open",
      "stale connection",
      "disconnected 4000",
      "resync level2 reconnect",
      "reconnecting 1",
    ]);
  });

  it("reports a product with no update as stale while heartbeats keep the connection alive", async () => {
    const { s, l } = await setup(
      { heartbeatIntervalMs: 25 },
      { staleAfterMs: 5_000, productStaleAfterMs: 400 },
    );
    l.stream.subscribe("ticker", ["ETH-USD"]);
    const stale = await l.waitForEvent("stale");
    expect(stale).toMatchObject({ scope: "product", productId: "ETH-USD" });
    expect(l.of("message").filter((e) => e.message.channel === "heartbeats").length).toBeGreaterThan(3);
    await l.waitForEvent("reconnected");
    expect(s.connections.length).toBe(2);
  });

  it("an expired JWT is refused with Coinbase's error; the reconnect subscribes with fresh JWTs", async () => {
    const now = Date.now();
    let calls = 0;
    const jwt = (): string => {
      calls++;
      return calls <= 2
        ? testJwt(Math.floor(now / 1000) - 10 - calls)
        : testJwt(Math.floor(now / 1000) + 120 + calls);
    };
    const { s, l } = await setup({ closeAfterError: true }, { jwt });
    l.stream.subscribe("user");
    const error = await l.waitForEvent("error");
    expect(error).toMatchObject({ connection: "user" });
    expect(error.error.code).toBe("ws-subscribe-failed");
    expect(error.error.message).toContain("jwt expired");
    const reconnected = await l.waitForEvent("reconnected");
    expect(reconnected).toMatchObject({
      connection: "user",
      restored: [{ channel: "user", productIds: [] }],
    });
    await s.waitFor(() => l.of("message").some((e) => e.message.channel === "user"));
    // One JWT per message, never reused; none of them leaks into an error message.
    const sent = s.connections.flatMap((c) => c.received.map((m) => m.jwt));
    expect(sent.every((j) => typeof j === "string")).toBe(true);
    expect(new Set(sent).size).toBe(sent.length);
    for (const e of l.of("error")) for (const j of sent) expect(e.error.message).not.toContain(j);
  });

  it("an expired JWT refused while the socket stays open: the user subscribe is retried with a fresh JWT on the same socket", async () => {
    const now = Date.now();
    let calls = 0;
    // Call 1 is the heartbeats subscribe, call 2 the user subscribe (expired), call 3 its retry.
    const jwt = (): string => {
      calls++;
      return testJwt(Math.floor(now / 1000) + (calls === 2 ? -10 : 120 + calls));
    };
    const { s, l } = await setup({ closeAfterError: false }, { jwt });
    l.stream.subscribe("user");
    const error = await l.waitForEvent("error");
    expect(error).toMatchObject({ connection: "user" });
    expect(error.error).toMatchObject({ code: "ws-subscribe-failed", field: "user" });
    expect(error.error.message).toContain("jwt expired");
    await s.waitFor(() => l.stream.subscriptions().some((x) => x.status === "confirmed"));
    expect(l.stream.subscriptions()).toEqual([{ channel: "user", productIds: [], status: "confirmed" }]);
    // The same socket: no disconnect, no reconnect; the server now holds the user channel.
    expect(s.connections).toHaveLength(1);
    expect(s.connections[0]?.subscriptions.has("user")).toBe(true);
    expect(l.of("disconnected")).toHaveLength(0);
    await s.waitFor(() => l.of("message").some((e) => e.message.channel === "user"));
    const sent = s.connections[0]?.received.map((m) => m.jwt) ?? [];
    expect(sent).toHaveLength(3);
    expect(new Set(sent).size).toBe(3);
  }, 30_000);

  it("a level2 subscribe refused once while the socket stays open is retried; the book equals the server's", async () => {
    let refusals = 0;
    const { s, l } = await setup({
      rejectSubscribe: (request) =>
        request.type === "subscribe" && request.channel === "level2" && refusals++ === 0
          ? "Failed to subscribe to level2"
          : undefined,
    });
    l.stream.subscribe("level2", ["BTC-USD"]);
    const error = await l.waitForEvent("error");
    expect(error.error).toMatchObject({ code: "ws-subscribe-failed", field: "level2" });
    expect(error.error.message).toContain("subscribe level2 BTC-USD");
    expect(l.stream.subscriptions()).toEqual([
      { channel: "level2", productIds: ["BTC-USD"], status: "pending" },
    ]);
    await bookMatchesServer(s, l, "BTC-USD");
    expect(l.stream.subscriptions()).toEqual([
      { channel: "level2", productIds: ["BTC-USD"], status: "confirmed" },
    ]);
    expect(s.connections).toHaveLength(1);
    expect(refusals).toBe(2);
  }, 30_000);

  it("drops the user channel's replay after a reconnect and derives each fill once", async () => {
    const { s, l } = await setup(
      { userReplay: 3 },
      { jwt: () => testJwt(Math.floor(Date.now() / 1000) + 120) },
    );
    l.stream.subscribe("user");
    await s.waitFor(() => s.subscribers("user").length === 1);
    s.userOrder(userOrder("o1", "OPEN", "0", "0"));
    s.userOrder(userOrder("o1", "OPEN", "0.4", "100"));
    s.userOrder(userOrder("o1", "FILLED", "1", "101"));
    s.userOrder(userOrder("o2", "OPEN", "0", "0"));
    await s.waitFor(() => l.of("fill").length === 2);
    s.faults.disconnect(1006);
    await l.waitForEvent("reconnected");
    // The server re-sends the open orders (o2) and replays the last 3 updates, then acks.
    await s.waitFor(() => l.of("message").filter((e) => e.message.channel === "subscriptions").length >= 3);
    s.userOrder(userOrder("o2", "OPEN", "0.25", "99"));
    await s.waitFor(() => l.of("fill").length === 3);
    expect(l.of("fill").map((e) => `${e.fill.orderId} ${e.fill.size} ${e.fill.status}`)).toEqual([
      "o1 0.4 OPEN",
      "o1 0.6 FILLED",
      "o2 0.25 OPEN",
    ]);
    expect(l.of("fill")[1]?.fill.price).toBe("101.66666667");
    // No replayed order state reached the consumer twice.
    const states = l
      .of("message")
      .flatMap((e) => (e.message.channel === "user" ? e.message.events.flatMap((ev) => ev.orders) : []))
      .map((o) => `${o.order_id} ${o.cumulative_quantity} ${o.status}`);
    expect(new Set(states).size).toBe(states.length);
  });

  it("futures_balance_summary goes to the user endpoint with a JWT and its balances arrive as strings", async () => {
    const { s, l } = await setup({}, { jwt: () => testJwt(Math.floor(Date.now() / 1000) + 120) });
    l.stream.subscribe("futures_balance_summary");
    await s.waitFor(() => s.subscribers("futures_balance_summary").length === 1);
    s.publish("futures_balance_summary", [
      { type: "update", fcm_balance_summary: { futures_buying_power: "100.5", unrealized_pnl: "-2.25" } },
    ]);
    const message = await l.waitForEvent("message", (e) => e.message.channel === "futures_balance_summary");
    expect(message.connection).toBe("user");
    expect(message.message.channel === "futures_balance_summary" && message.message.events[0]).toMatchObject({
      fcm_balance_summary: { futures_buying_power: "100.5", unrealized_pnl: "-2.25" },
    });
    expect(s.connections[0]?.received.map((m) => `${m.channel} ${typeof m.jwt}`)).toEqual([
      "heartbeats string",
      "futures_balance_summary string",
    ]);
  });

  it("a gap on the user connection resubscribes the user channel; the fresh snapshot adds no fill twice", async () => {
    const { s, l } = await setup(
      { userReplay: 2 },
      { jwt: () => testJwt(Math.floor(Date.now() / 1000) + 120) },
    );
    l.stream.subscribe("user");
    await s.waitFor(() => s.subscribers("user").length === 1);
    s.userOrder(userOrder("o7", "OPEN", "0", "0"));
    s.userOrder(userOrder("o7", "OPEN", "0.5", "10"));
    await s.waitFor(() => l.of("fill").length === 1);
    s.faults.gap(5);
    s.userOrder(userOrder("o7", "OPEN", "0.75", "10"));
    const resync = await l.waitForEvent("resync");
    expect(resync).toMatchObject({ connection: "user", channel: "user", reason: "gap" });
    await s.waitFor(() => s.connections[0]?.received.filter((m) => m.type === "unsubscribe").length === 1);
    // After the resubscribe the server re-sends o7 (open) and replays its last two updates.
    await s.waitFor(() => l.of("message").filter((e) => e.message.channel === "subscriptions").length >= 3);
    s.userOrder(userOrder("o7", "FILLED", "1", "10"));
    await s.waitFor(() => l.of("fill").some((e) => e.fill.status === "FILLED"));
    expect(l.of("fill").map((e) => `${e.fill.orderId} ${e.fill.size}`)).toEqual([
      "o7 0.5",
      "o7 0.25",
      "o7 0.25",
    ]);
    expect(l.of("disconnected")).toEqual([]);
  });

  it("a slow consumer gets tickers conflated, an overflow marker, and a resynced book", async () => {
    const { s, l } = await setup();
    const iterator = l.stream.events({ capacity: 16 });
    l.stream.subscribe("level2", ["BTC-USD"]);
    l.stream.subscribe("ticker", ["BTC-USD"]);
    await bookMatchesServer(s, l, "BTC-USD");
    await s.waitFor(() => s.subscribers("ticker", "BTC-USD").length === 1);
    // A burst the consumer does not read: 300 tickers and 100 book updates.
    for (let i = 1; i <= 100; i++) {
      s.ticker("BTC-USD", { price: `100.${String(3 * i - 2).padStart(3, "0")}` });
      s.l2Update("BTC-USD", [
        { side: "bid", price_level: `99.${String(i).padStart(3, "0")}`, new_quantity: `${i}` },
      ]);
      s.ticker("BTC-USD", { price: `100.${String(3 * i - 1).padStart(3, "0")}` });
      s.ticker("BTC-USD", { price: `100.${String(3 * i).padStart(3, "0")}` });
    }
    await s.waitFor(() => l.of("message").filter((e) => e.message.channel === "ticker").length === 300);
    // Books dropped from the iterator are resynced: the live book comes back equal to the truth.
    const resync = await l.waitForEvent("resync", (e) => e.reason === "overflow");
    expect(resync.productId).toBe("BTC-USD");
    await bookMatchesServer(s, l, "BTC-USD");
    await l.stream.close();
    const seen: StreamEvent[] = [];
    for await (const event of iterator) seen.push(event);
    const tickers = seen.flatMap((e) =>
      e.type === "message" && e.message.channel === "ticker"
        ? e.message.events.flatMap((ev) => ev.tickers)
        : [],
    );
    expect(tickers.length).toBeLessThan(300);
    expect(tickers.at(-1)?.price).toBe("100.300");
    const overflow = seen.find((e) => e.type === "overflow");
    expect(overflow).toBeDefined();
    expect(overflow?.type === "overflow" && overflow.dropped).toBeGreaterThan(0);
    expect(seen.at(-1)).toEqual({ type: "closed" });
  });
});
