import { createWsJwt } from "@gpt/coinbase-client";
import { ManualClock } from "@gpt/core";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { ecKey } from "../test-keys.js";
import { framesFailingTheClient, openRig, until, type WsRig } from "./test-support.js";

const HOUR = 3_600_000;
/** Hourly ETH bars: flat at 100, then a bar that dips to 90 (a resting bid at 95 fills). */
const CSV = [
  "time,open,high,low,close,volume",
  ...Array.from({ length: 60 }, (_, i) => {
    const t = Date.UTC(2026, 0, 8) / 1000 + i * 3600;
    return i === 50 ? `${t},100,100,90,92,10` : `${t},100,100.5,99.5,100,10`;
  }),
].join("\n");
const BAR50 = Date.UTC(2026, 0, 8) + 50 * HOUR;

let rig: WsRig | undefined;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await rig?.close();
  rig = undefined;
});

type UserOrder = { order_id: string; status: string; cumulative_quantity: string; avg_price: string };

function userOrders(r: WsRig): UserOrder[] {
  return r
    .messages("user", "user")
    .flatMap((m) => (m as { events: { orders: UserOrder[] }[] }).events.flatMap((e) => e.orders));
}

/** A raw client: every frame it received, and how it closed. */
function rawSocket(url: string): {
  socket: WebSocket;
  frames: Record<string, unknown>[];
  closed: { code?: number };
} {
  const socket = new WebSocket(url);
  sockets.push(socket);
  const frames: Record<string, unknown>[] = [];
  const closed: { code?: number } = {};
  socket.on("message", (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
  socket.on("close", (code) => {
    closed.code = code;
  });
  socket.on("error", () => {});
  return { socket, frames, closed };
}

describe("the user feed driven by @gpt/coinbase-client", { timeout: 60_000 }, () => {
  it("sends order updates as REST orders rest and fill, and the client derives the fills", async () => {
    rig = await openRig({ products: ["ETH-USD"], data: { "ETH-USD": CSV }, clock: new ManualClock(BAR50) });
    const { stream, client, clock, sim } = rig;
    stream.subscribe("user");
    await until(() => stream.subscriptions().every((s) => s.status === "confirmed"), "the user ack");
    expect(rig.messages("user", "user")[0]).toMatchObject({ events: [{ type: "snapshot", orders: [] }] });

    const placed = await client.createOrder({
      client_order_id: "dip",
      product_id: "ETH-USD",
      side: "BUY",
      order_configuration: { limit_limit_gtc: { base_size: "1", limit_price: "95", post_only: true } },
    });
    expect(placed.success).toBe(true);
    if (!placed.success) return;
    await until(() => userOrders(rig as WsRig).some((o) => o.status === "OPEN"), "the OPEN update");

    clock.advance(HOUR);
    const fill = await rig.waitFor("fill");
    expect(fill.fill).toMatchObject({
      orderId: placed.orderId,
      clientOrderId: "dip",
      productId: "ETH-USD",
      side: "BUY",
      size: "1",
      status: "FILLED",
    });
    expect(Number(fill.fill.price)).toBe(95);
    expect(userOrders(rig).map((o) => [o.status, o.cumulative_quantity])).toEqual([
      ["PENDING", "0"],
      ["OPEN", "0"],
      ["FILLED", "1"],
    ]);

    // A market order fills at once: OPEN then FILLED, one fill.
    const market = await client.createOrder({
      client_order_id: "mkt",
      product_id: "ETH-USD",
      side: "SELL",
      order_configuration: { market_market_ioc: { base_size: "0.5" } },
    });
    expect(market.success).toBe(true);
    await until(() => (rig?.of("fill").length ?? 0) === 2, "the market order's fill");
    expect(rig.of("fill")[1]?.fill).toMatchObject({ clientOrderId: "mkt", size: "0.5", side: "SELL" });

    // A new subscriber's snapshot holds only open orders; a cancelled one is announced.
    const resting = await client.createOrder({
      client_order_id: "rest",
      product_id: "ETH-USD",
      side: "BUY",
      order_configuration: { limit_limit_gtc: { base_size: "2", limit_price: "50", post_only: false } },
    });
    if (!resting.success) throw new Error("the resting order was refused");
    await client.cancelOrders({ order_ids: [resting.orderId] });
    await until(
      () => userOrders(rig as WsRig).some((o) => o.order_id === resting.orderId && o.status === "CANCELLED"),
      "the CANCELLED update",
    );
    expect(rig.of("error")).toEqual([]);
    expect(framesFailingTheClient(sim)).toEqual([]);
    expect(sim.audit.wsConnections().map((c) => c.endpoint)).toEqual(["user"]);
  });

  it("sends the futures balance summary, then its changes when a position opens", async () => {
    rig = await openRig();
    const { stream, client, sim } = rig;
    stream.subscribe("futures_balance_summary");
    await until(() => rig?.messages("futures_balance_summary").length === 1, "the snapshot");
    const first = rig.messages("futures_balance_summary")[0] as {
      events: { type: string; fcm_balance_summary: Record<string, unknown> }[];
    };
    expect(first.events[0]?.type).toBe("snapshot");
    expect(first.events[0]?.fcm_balance_summary).toMatchObject({
      cfm_usd_balance: "50000",
      initial_margin: "0",
    });
    const rest = await client.getFuturesBalanceSummary();
    expect(first.events[0]?.fcm_balance_summary.total_usd_balance).toBe(
      rest.balance_summary.total_usd_balance?.value,
    );

    const perp = await client.createOrder({
      client_order_id: "bip",
      product_id: "BIP-20DEC30-CDE",
      side: "BUY",
      order_configuration: { market_market_ioc: { base_size: "2" } },
    });
    expect(perp.success).toBe(true);
    await until(() => (rig?.messages("futures_balance_summary").length ?? 0) > 1, "an update");
    const update = rig.messages("futures_balance_summary").at(-1) as {
      events: { type: string; fcm_balance_summary: Record<string, string> }[];
    };
    expect(update.events[0]?.type).toBe("update");
    expect(Number(update.events[0]?.fcm_balance_summary.initial_margin)).toBeGreaterThan(0);
    const after = await client.getFuturesBalanceSummary();
    expect(update.events[0]?.fcm_balance_summary.initial_margin).toBe(
      after.balance_summary.initial_margin?.value,
    );
    expect(rig.of("error")).toEqual([]);
    expect(framesFailingTheClient(sim)).toEqual([]);
  });

  it("lists the open futures positions in the user snapshot (CFM expiring, INTX perpetual)", async () => {
    rig = await openRig({ intx: true });
    const { stream, client } = rig;
    for (const [productId, size] of [
      ["BIP-20DEC30-CDE", "2"],
      ["BTC-PERP-INTX", "0.01"],
    ] as const) {
      const placed = await client.createOrder({
        product_id: productId,
        side: "BUY",
        order_configuration: { market_market_ioc: { base_size: size } },
        leverage: "2",
      });
      expect(placed.success).toBe(true);
    }
    stream.subscribe("user");
    await until(() => rig?.messages("user", "user").length === 1, "the snapshot");
    const snapshot = rig.messages("user", "user")[0] as {
      events: { type: string; positions: Record<string, Record<string, string>[]> }[];
    };
    const positions = snapshot.events[0]?.positions;
    expect(
      positions?.expiring_futures_positions?.map((p) => [p.product_id, p.side, p.number_of_contracts]),
    ).toEqual([["BIP-20DEC30-CDE", "Long", "2"]]);
    expect(
      positions?.perpetual_futures_positions?.map((p) => [p.product_id, p.position_side, p.net_size]),
    ).toEqual([["BTC-PERP-INTX", "Long", "0.01"]]);
    expect(framesFailingTheClient(rig.sim)).toEqual([]);
  });

  it("refuses the user channels without a valid JWT, with an error frame", async () => {
    const stranger = ecKey("stranger");
    rig = await openRig(
      {},
      {
        jwt: createWsJwt({ keyName: stranger.name, privateKey: stranger.privateKey }),
        reconnect: { maxAttempts: 1, initialDelayMs: 5, jitter: 0 },
      },
    );
    rig.stream.subscribe("user");
    const refused = await rig.waitFor("error", (e) => e.error.code === "ws-subscribe-failed");
    expect(refused.error.message).toContain("authentication failure");
    const errors = rig.sim.audit.wsEntries({ endpoint: "user", direction: "sent", channel: "error" });
    expect(errors[0]?.message).toEqual({ type: "error", message: "authentication failure (unknown-key)" });
    // The JWT the client sent is not kept.
    const asked = rig.sim.audit.wsEntries({ endpoint: "user", direction: "received", channel: "user" });
    expect(asked[0]?.message).toMatchObject({ type: "subscribe", channel: "user", jwt: "[redacted]" });

    // No JWT at all, on a raw socket: refused too; market data needs none.
    const raw = rawSocket(rig.sim.wsUserUrl);
    await until(() => raw.socket.readyState === WebSocket.OPEN, "the raw socket");
    raw.socket.send(JSON.stringify({ type: "subscribe", channel: "user" }));
    raw.socket.send(JSON.stringify({ type: "subscribe", channel: "level2", product_ids: ["BTC-USD"] }));
    raw.socket.send(JSON.stringify({ type: "subscribe", channel: "heartbeats" }));
    await until(() => raw.frames.length === 3, "three answers");
    expect(raw.frames).toEqual([
      { type: "error", message: "authentication failure (missing-token)" },
      { type: "error", message: "Failed to subscribe: level2 is not served on the user endpoint" },
      expect.objectContaining({
        channel: "subscriptions",
        sequence_num: 0,
        events: [{ subscriptions: { heartbeats: ["heartbeats"] } }],
      }),
    ]);
  });

  it("closes a connection that sends no subscribe within 5 s (timers injected)", async () => {
    const timers: { callback: () => void; ms: number; cleared: boolean }[] = [];
    rig = await openRig({
      timers: {
        setTimeout: (callback, ms) => {
          const timer = { callback, ms, cleared: false };
          timers.push(timer);
          return timer;
        },
        clearTimeout: (handle) => {
          (handle as { cleared: boolean }).cleared = true;
        },
      },
    });
    const silent = rawSocket(rig.sim.wsUrl);
    await until(() => timers.length === 1, "the deadline of the silent connection");
    expect(timers[0]?.ms).toBe(5_000);
    // The stream subscribes at once: its deadline is cleared.
    rig.stream.subscribe("ticker", ["BTC-USD"]);
    await until(() => timers.length === 2 && timers[1]?.cleared === true, "the stream's deadline cleared");
    // Five seconds pass for the silent one: closed (1008), the subscribed one stays.
    timers[0]?.callback();
    await until(() => silent.closed.code !== undefined, "the close");
    expect(silent.closed.code).toBe(1008);
    expect(rig.sim.audit.wsConnections()).toMatchObject([
      { connection: 1, closedBy: "deadline", closeCode: 1008 },
      { connection: 2, endpoint: "market" },
    ]);
    expect(rig.sim.audit.wsConnections()[1]?.closedAt).toBeUndefined();
    expect(rig.of("disconnected")).toEqual([]);
  });
});
