import { D } from "@gpt/quantize";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { FillRecord } from "../exchange.js";
import { SIM_PRODUCTS } from "../products.js";
import { ownTrade } from "./market-frames.js";
import { framesFailingTheClient, openRig, until, type WsRig } from "./test-support.js";

let rig: WsRig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

interface TradesMessage {
  readonly events: readonly {
    readonly type: string;
    readonly trades: readonly {
      trade_id: string;
      product_id: string;
      price: string;
      size: string;
      side: string;
      time: string;
    }[];
  }[];
}

describe("market_trades carries the simulator's own fills", { timeout: 60_000 }, () => {
  it("sends a market order's fills as trades to the product's subscribers only", async () => {
    rig = await openRig();
    const { stream, client, sim } = rig;
    stream.subscribe("market_trades", ["BTC-USD"]);
    stream.subscribe("level2", ["ETH-USD"]);
    await until(
      () => stream.subscriptions().every((s) => s.status === "confirmed"),
      "the subscriptions acknowledged",
    );
    const placed = await client.createOrder({
      product_id: "BTC-USD",
      side: "BUY",
      order_configuration: { market_market_ioc: { quote_size: "5000" } },
    });
    if (!placed.success) throw new Error("the order was refused");
    const { fills } = await client.listFills({ order_ids: [placed.orderId] });
    expect(fills.length).toBeGreaterThan(0);
    const ids = new Set(fills.map((f) => f.trade_id));
    const sent = () =>
      rig
        ?.messages("market_trades")
        .flatMap((m) =>
          (m as unknown as TradesMessage).events.flatMap((e) =>
            e.type === "update" ? e.trades.filter((t) => ids.has(t.trade_id)) : [],
          ),
        ) ?? [];
    await until(() => sent().length === ids.size, "every fill on market_trades");
    for (const fill of fills) {
      const trade = sent().find((t) => t.trade_id === fill.trade_id);
      // A taker buy lifted offers: the makers sold.
      expect(trade).toMatchObject({ product_id: "BTC-USD", side: "SELL" });
      expect(Number(trade?.price)).toBe(Number(fill.price));
      expect(Number(trade?.size)).toBe(Number(fill.size));
    }
    // Each fill went out once; nothing for ETH-USD, whose trades nobody holds.
    expect(sent().length).toBe(ids.size);
    expect(
      sim.audit
        .wsEntries({ channel: "market_trades", direction: "sent" })
        .map((e) => JSON.stringify(e.message)),
    ).not.toContainEqual(expect.stringContaining("ETH-USD"));
    expect(rig.of("error")).toEqual([]);

    // A later subscriber finds them in its snapshot, among the path's prints, newest first.
    const socket = new WebSocket(sim.wsUrl);
    const frames: TradesMessage[] = [];
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data)) as { channel?: string };
      if (frame.channel === "market_trades") frames.push(frame as unknown as TradesMessage);
    });
    try {
      await until(() => socket.readyState === WebSocket.OPEN, "the socket");
      socket.send(JSON.stringify({ type: "subscribe", channel: "market_trades", product_ids: ["BTC-USD"] }));
      await until(() => frames.length > 0, "the snapshot");
      const snapshot = frames[0]?.events[0];
      expect(snapshot?.type).toBe("snapshot");
      const trades = snapshot?.trades ?? [];
      expect(trades.filter((t) => ids.has(t.trade_id))).toHaveLength(ids.size);
      expect(trades.length).toBeGreaterThan(ids.size);
      expect(trades.length).toBeLessThanOrEqual(100);
      const times = trades.map((t) => Date.parse(t.time));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    } finally {
      socket.terminate();
    }
    expect(framesFailingTheClient(sim)).toEqual([]);
  });

  it("gives the maker's side: the order's own when it rested, the other when it took", () => {
    const spec = SIM_PRODUCTS["BTC-USD"];
    if (spec === undefined) throw new Error("no BTC-USD");
    const fill = (liquidity: "MAKER" | "TAKER", side: "BUY" | "SELL"): FillRecord => ({
      seq: 1,
      entryId: "e",
      tradeId: "t-1",
      orderId: "o-1",
      productId: "BTC-USD",
      timeMs: Date.UTC(2026, 0, 10, 1),
      price: D("60000.1"),
      size: D("0.0015"),
      commission: D("0.5"),
      liquidity,
      side,
    });
    expect(ownTrade(spec, fill("MAKER", "BUY"))).toEqual({
      trade_id: "t-1",
      product_id: "BTC-USD",
      price: "60000.10",
      size: "0.00150000",
      side: "BUY",
      time: "2026-01-10T01:00:00.000Z",
    });
    expect(ownTrade(spec, fill("TAKER", "BUY")).side).toBe("SELL");
    expect(ownTrade(spec, fill("MAKER", "SELL")).side).toBe("SELL");
    expect(ownTrade(spec, fill("TAKER", "SELL")).side).toBe("BUY");
  });
});
