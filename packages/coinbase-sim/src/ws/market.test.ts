import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startSimulator } from "../server.js";
import { framesFailingTheClient, numericLevels, openRig, until, type WsRig } from "./test-support.js";

let rig: WsRig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe("the market-data feed driven by @gpt/coinbase-client", { timeout: 60_000 }, () => {
  it("serves ticker, level2, market_trades, candles, status and heartbeats as the clock steps", async () => {
    rig = await openRig();
    const { stream, client, clock, sim } = rig;
    for (const channel of ["level2", "ticker", "ticker_batch", "market_trades", "candles", "status"] as const)
      stream.subscribe(channel, ["BTC-USD"]);
    await until(
      () =>
        stream.subscriptions().every((s) => s.status === "confirmed") &&
        stream.book("BTC-USD")?.valid === true,
      "every subscription acknowledged and the book valid",
    );

    // The level-2 book equals the REST book of the same market time, level for level.
    const rest = await client.getProductBook({ product_id: "BTC-USD", limit: 50 });
    const book = stream.book("BTC-USD");
    expect(book?.valid).toBe(true);
    const depth = book?.depth(50) ?? { bids: [], asks: [] };
    expect(numericLevels(depth.bids)).toEqual(numericLevels(rest.pricebook.bids));
    expect(numericLevels(depth.asks)).toEqual(numericLevels(rest.pricebook.asks));
    expect(depth.bids.length).toBe(20);

    // Snapshots: the ticker at the REST product's price, 100 five-minute candles, recent trades.
    const product = await client.getProduct({ product_id: "BTC-USD" });
    const ticker = rig.messages("ticker")[0] as { events: { type: string; tickers: { price: string }[] }[] };
    expect(ticker.events[0]?.type).toBe("snapshot");
    expect(ticker.events[0]?.tickers[0]?.price).toBe(product.price);
    const candles = rig.messages("candles")[0] as { events: { candles: { start: string }[] }[] };
    const starts = candles.events[0]?.candles.map((c) => Number(c.start)) ?? [];
    expect(starts.length).toBe(100);
    expect(starts.every((s, i) => i === 0 || s - (starts[i - 1] ?? 0) === 300)).toBe(true);
    expect(rig.messages("market_trades")[0]).toMatchObject({ events: [{ type: "snapshot" }] });
    const status = rig.messages("status")[0] as { events: { products: { id: string; status: string }[] }[] };
    expect(status.events[0]?.products).toMatchObject([{ id: "BTC-USD", status: "online" }]);

    // Twenty minutes later: a print of the replayed path, a new ticker, candles, book updates, heartbeats.
    clock.advance(20 * 60_000);
    const moved = (await client.getProduct({ product_id: "BTC-USD" })).price;
    await until(
      () =>
        rig?.messages("ticker").some((m) => JSON.stringify(m).includes(`"price":"${moved}"`)) === true &&
        rig.messages("market_trades").length > 1 &&
        rig.messages("heartbeats").length > 0,
      "the ticker, trades and heartbeat of the step",
    );
    const trades = rig.messages("market_trades")[1] as { events: { type: string; trades: unknown[] }[] };
    expect(trades.events[0]?.type).toBe("update");
    expect(trades.events[0]?.trades.length).toBeGreaterThan(0);
    expect(rig.messages("candles").length).toBeGreaterThan(1);
    const restAfter = await client.getProductBook({ product_id: "BTC-USD", limit: 50 });
    const after = stream.book("BTC-USD")?.depth(50) ?? { bids: [], asks: [] };
    expect(numericLevels(after.bids)).toEqual(numericLevels(restAfter.pricebook.bids));
    expect(numericLevels(after.asks)).toEqual(numericLevels(restAfter.pricebook.asks));

    // One connection, numbered from 0 without a hole; nothing the client could not parse.
    expect(rig.of("error")).toEqual([]);
    expect(rig.of("gap")).toEqual([]);
    const seqs = rig.of("message").map((e) => ("sequence_num" in e.message ? e.message.sequence_num : -1));
    expect(seqs).toEqual(seqs.map((_, i) => i));
    expect(framesFailingTheClient(sim)).toEqual([]);
    // The audit log holds what the connection was sent, in order, and what it sent.
    const sent = sim.audit.wsEntries({ connection: 1, direction: "sent" });
    expect(sent.map((e) => (e.message as { sequence_num: number }).sequence_num)).toEqual(seqs);
    const received = sim.audit.wsEntries({ connection: 1, direction: "received" });
    expect(received.map((e) => e.channel)).toEqual([
      "heartbeats",
      "level2",
      "ticker",
      "ticker_batch",
      "market_trades",
      "candles",
      "status",
    ]);
    expect(sim.audit.wsConnections()).toMatchObject([{ connection: 1, endpoint: "market" }]);
  });

  it("sends the same frames for the same seed and clock steps", async () => {
    const run = async (): Promise<unknown[]> => {
      const r = await openRig({}, { heartbeats: false });
      try {
        r.stream.subscribe("level2", ["ETH-USD"]);
        r.stream.subscribe("ticker", ["ETH-USD"]);
        await until(() => r.stream.subscriptions().every((s) => s.status === "confirmed"), "the acks");
        for (let i = 1; i <= 3; i++) {
          r.clock.advance(7 * 60_000);
          await until(() => r.messages("ticker").length > i, `step ${i}`);
        }
        return r.sim.audit.wsEntries({ direction: "sent" }).map((e) => e.message);
      } finally {
        await r.close();
      }
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    expect(first.length).toBeGreaterThan(6);
  });

  it("answers bad requests with error frames and acknowledges unsubscribes", async () => {
    rig = await openRig();
    const socket = new WebSocket(rig.sim.wsUrl);
    const frames: Record<string, unknown>[] = [];
    socket.on("message", (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
    try {
      await until(() => socket.readyState === WebSocket.OPEN, "the socket");
      for (const request of [
        "not json",
        { type: "subscribe", channel: "level3", product_ids: ["BTC-USD"] },
        { type: "subscribe", channel: "ticker" },
        { type: "subscribe", channel: "ticker", product_ids: ["DOGE-USD"] },
        { type: "subscribe", channel: "heartbeats", product_ids: ["BTC-USD"] },
        { type: "subscribe", channel: "ticker", product_ids: ["ETH-USD"] },
        { type: "unsubscribe", channel: "ticker" },
      ])
        socket.send(typeof request === "string" ? request : JSON.stringify(request));
      await until(() => frames.filter((f) => f.channel === "subscriptions").length === 3, "three acks");
      expect(frames.filter((f) => f.type === "error").map((f) => f.message)).toEqual([
        "malformed message: not JSON",
        "Failed to subscribe: unknown channel",
        "Failed to subscribe: ticker needs product_ids",
        "Failed to subscribe: unknown product id DOGE-USD",
      ]);
      const acks = frames.filter((f) => f.channel === "subscriptions");
      expect(acks.map((f) => (f.events as { subscriptions: unknown }[])[0]?.subscriptions)).toEqual([
        { heartbeats: ["heartbeats"] },
        { heartbeats: ["heartbeats"], ticker: ["ETH-USD"] },
        { heartbeats: ["heartbeats"] },
      ]);
      // Error frames carry no sequence number; everything else counts 0, 1, 2, …
      const seqs = frames.filter((f) => f.type !== "error").map((f) => f.sequence_num);
      expect(seqs).toEqual(seqs.map((_, i) => i));
      expect(framesFailingTheClient(rig.sim)).toEqual([]);
      // What was not JSON is kept by its length only (it could have held a token).
      expect(rig.sim.audit.wsEntries({ direction: "received" })[0]?.message).toBe("(not JSON, 8 characters)");
    } finally {
      socket.terminate();
    }
  });

  it("follows the real-time replay clock on its own (no ManualClock): heartbeats tick", async () => {
    const sim = await startSimulator({ speed: 60, ws: { tickMs: 10 } });
    const socket = new WebSocket(sim.wsUrl);
    const beats: { heartbeat_counter: number; current_time: string }[] = [];
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data)) as { channel: string; events: typeof beats };
      if (frame.channel === "heartbeats") beats.push(...frame.events);
    });
    try {
      await until(() => socket.readyState === WebSocket.OPEN, "the socket");
      socket.send(JSON.stringify({ type: "subscribe", channel: "heartbeats" }));
      await until(() => beats.length >= 3, "three heartbeats");
      expect(beats.slice(0, 3).map((b) => b.heartbeat_counter)).toEqual([0, 1, 2]);
      expect(beats[0]?.current_time).toMatch(
        /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} \+0000 UTC m=\+\d+\.\d{9}$/,
      );
      expect(framesFailingTheClient(sim)).toEqual([]);
    } finally {
      socket.terminate();
      await sim.close();
    }
  });
});
