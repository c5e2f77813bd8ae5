import { afterEach, describe, expect, it } from "vitest";
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
});
