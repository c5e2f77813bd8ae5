import { afterEach, describe, expect, it } from "vitest";
import { CoinbaseSimError } from "../errors.js";
import { parseSimFaults } from "../faults.js";
import { startSimulator } from "../server.js";
import { parseWsFaults, WsFaultRun } from "./faults.js";
import { framesFailingTheClient, numericLevels, openRig, until, type WsRig } from "./test-support.js";

let rig: WsRig | undefined;

afterEach(async () => {
  const r = rig;
  rig = undefined;
  if (r === undefined) return;
  await r.close();
  // Whatever the fault, every frame sent was one the client could read, and it reported no error.
  expect(framesFailingTheClient(r.sim)).toEqual([]);
  expect(r.of("error").map((e) => e.error.message)).toEqual([]);
});

/** Resolves once the stream's book equals the REST book of the market time now (the clock held still). */
async function bookEqualsRest(r: WsRig, productId: string): Promise<void> {
  const rest = await r.client.getProductBook({ product_id: productId, limit: 50 });
  const expected = JSON.stringify([numericLevels(rest.pricebook.bids), numericLevels(rest.pricebook.asks)]);
  await until(() => {
    const book = r.stream.book(productId);
    if (book?.valid !== true) return false;
    const depth = book.depth(50);
    return JSON.stringify([numericLevels(depth.bids), numericLevels(depth.asks)]) === expected;
  }, `the ${productId} book to equal the REST book`);
}

/** A rig on BTC-USD level2 with a valid book. */
async function level2Rig(streamOptions = {}): Promise<WsRig> {
  const r = await openRig({}, streamOptions);
  r.stream.subscribe("level2", ["BTC-USD"]);
  await bookEqualsRest(r, "BTC-USD");
  return r;
}

describe("parseWsFaults", () => {
  it("accepts a whole script and returns a copy", () => {
    const script = {
      drop: { code: 1001, endpoint: "user", afterMessages: 3, times: 2 },
      gap: { skip: 2 },
      duplicate: {},
      reorder: { afterMessages: 1 },
      stale: { heartbeats: true },
      userReplay: 5,
    } as const;
    const parsed = parseWsFaults(script);
    expect(parsed).toEqual(script);
    expect(parsed.drop).not.toBe(script.drop);
    expect(parseSimFaults({ ws: { gap: {} } })).toEqual({ ws: { gap: {} } });
  });

  it.each([
    [{ nope: 1 }, "faults.ws.nope"],
    [{ drop: { code: 1000 } }, "faults.ws.drop.code"],
    [{ gap: { skip: 0 } }, "faults.ws.gap.skip"],
    [{ duplicate: { times: -1 } }, "faults.ws.duplicate.times"],
    [{ reorder: { afterMessages: 1.5 } }, "faults.ws.reorder.afterMessages"],
    [{ stale: { endpoint: "both" } }, "faults.ws.stale.endpoint"],
    [{ stale: { heartbeats: "yes" } }, "faults.ws.stale.heartbeats"],
    [{ userReplay: "3" }, "faults.ws.userReplay"],
    [[], "faults.ws"],
  ])("refuses %j naming %s", (value, field) => {
    let caught: unknown;
    try {
      parseWsFaults(value);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CoinbaseSimError);
    expect(caught).toMatchObject({ code: "invalid-config", context: { field } });
  });

  it("is what startSimulator and setFaults check the ws part with", async () => {
    await expect(startSimulator({ faults: { ws: { gap: { skip: -1 } } } })).rejects.toMatchObject({
      code: "invalid-config",
      context: { field: "faults.ws.gap.skip" },
    });
    const sim = await startSimulator();
    try {
      expect(() => sim.setFaults({ ws: { drop: { code: 4000 as 1006 } } })).toThrow(/faults\.ws\.drop\.code/);
    } finally {
      await sim.close();
    }
  });
});

describe("WsFaultRun", () => {
  it("fires a counted fault after afterMessages, on its endpoint, times times in all", () => {
    const run = new WsFaultRun({ gap: { endpoint: "user", afterMessages: 2, times: 2 } });
    expect(run.take("gap", "market", 5)).toBe(false);
    expect(run.take("gap", "user", 1)).toBe(false);
    expect(run.take("gap", "user", 2)).toBe(true);
    expect(run.take("gap", "user", 3)).toBe(true);
    expect(run.take("gap", "user", 4)).toBe(false);
    expect(run.take("drop", "user", 9)).toBe(false);
  });

  it("keeps heartbeats going in a stale spell only when asked", () => {
    const quiet = new WsFaultRun({ stale: {} });
    expect([quiet.stale("market", false), quiet.stale("market", true)]).toEqual([true, true]);
    const beating = new WsFaultRun({ stale: { endpoint: "market", heartbeats: true } });
    expect([beating.stale("market", false), beating.stale("market", true)]).toEqual([true, false]);
    expect(beating.stale("user", false)).toBe(false);
    expect(new WsFaultRun({}).stale("market", false)).toBe(false);
  });
});

describe("WebSocket faults as the client sees them", { timeout: 60_000 }, () => {
  it.each([1006, 1001] as const)(
    "a drop (%i): disconnected, reconnected, the book resynced",
    async (code) => {
      rig = await level2Rig();
      const { sim, clock } = rig;
      sim.setFaults({ ws: { drop: { code } } });
      const down = await rig.waitFor("disconnected");
      expect(down.code).toBe(code);
      await rig.waitFor("reconnected");
      clock.advance(3_000);
      await bookEqualsRest(rig, "BTC-USD");
      expect(sim.audit.wsConnections()).toMatchObject([
        { connection: 1, closedBy: "fault", closeCode: code },
        { connection: 2, endpoint: "market" },
      ]);
      expect(rig.of("resync").map((e) => e.reason)).toEqual(["reconnect"]);
      expect(framesFailingTheClient(sim)).toEqual([]);
    },
  );

  it("a gap: the client's gap event, a level-2 resync, the book right again", async () => {
    rig = await level2Rig();
    const { sim, clock } = rig;
    sim.setFaults({ ws: { gap: { skip: 2 } } });
    clock.advance(2_000);
    const gap = await rig.waitFor("gap");
    expect(gap.got - gap.expected).toBe(2);
    await rig.waitFor("resync", (e) => e.reason === "gap");
    await bookEqualsRest(rig, "BTC-USD");
    expect(sim.audit.wsEntries({ direction: "sent" }).filter((e) => e.fault === "gap")).toHaveLength(1);
    // The resync went out as an unsubscribe and a subscribe on the same connection.
    const asked = sim.audit.wsEntries({ connection: 1, direction: "received", channel: "level2" });
    expect(asked.map((e) => (e.message as { type: string }).type)).toEqual([
      "subscribe",
      "unsubscribe",
      "subscribe",
    ]);
  });

  it("a duplicate: the client's duplicate event, and the message is not applied twice", async () => {
    rig = await level2Rig();
    const { sim, clock } = rig;
    rig.stream.subscribe("ticker", ["BTC-USD"]);
    await until(() => rig?.messages("ticker").length === 1, "the ticker snapshot");
    sim.setFaults({ ws: { duplicate: { afterMessages: 0 } } });
    clock.advance(2_000);
    const duplicate = await rig.waitFor("duplicate");
    const twice = sim.audit.wsEntries({ direction: "sent" }).filter((e) => e.fault === "duplicate");
    expect(twice).toHaveLength(1);
    expect((twice[0]?.message as { sequence_num?: number } | undefined)?.sequence_num).toBe(duplicate.seq);
    await bookEqualsRest(rig, "BTC-USD");
    expect(rig.of("gap")).toEqual([]);
  });

  it("a reorder: a gap then the late message out of order, the book right again", async () => {
    rig = await level2Rig();
    const { sim, clock } = rig;
    rig.stream.subscribe("ticker", ["BTC-USD"]);
    await until(() => rig?.messages("ticker").length === 1, "the ticker snapshot");
    sim.setFaults({ ws: { reorder: {} } });
    clock.advance(2_000);
    const late = await rig.waitFor("out-of-order");
    const gap = await rig.waitFor("gap");
    expect([gap.expected, gap.got]).toEqual([late.got, late.got + 1]);
    clock.advance(1_000);
    await bookEqualsRest(rig, "BTC-USD");
  });

  it("a stale feed: the socket stays, nothing comes, the client's watchdog reconnects", async () => {
    rig = await level2Rig({ staleAfterMs: 300 });
    const { sim, clock } = rig;
    sim.setFaults({ ws: { stale: {} } });
    const before = sim.audit.wsEntries({ connection: 1, direction: "sent" }).length;
    // The market keeps moving; connection 1 is sent nothing until the client gives up on it.
    await until(() => {
      clock.advance(1_000);
      return (rig?.of("stale").length ?? 0) > 0;
    }, "the client's stale event");
    expect(rig.of("stale")[0]).toMatchObject({ connection: "market", scope: "connection" });
    expect(sim.audit.wsEntries({ connection: 1, direction: "sent" }).length).toBe(before);
    await until(() => sim.audit.wsConnections()[0]?.closedBy === "client", "the client closing connection 1");
    sim.setFaults({});
    await until(() => {
      clock.advance(1_000);
      return rig?.stream.book("BTC-USD")?.valid === true;
    }, "a valid book after the stale spell");
    await bookEqualsRest(rig, "BTC-USD");
  });

  it("a user-channel replay after a reconnect: the client counts no fill twice", async () => {
    rig = await openRig();
    const { sim, stream, client } = rig;
    stream.subscribe("user");
    await until(() => stream.subscriptions().every((s) => s.status === "confirmed"), "the user ack");
    const placed = await client.createOrder({
      client_order_id: "once",
      product_id: "BTC-USD",
      side: "BUY",
      order_configuration: { market_market_ioc: { quote_size: "500" } },
    });
    expect(placed.success).toBe(true);
    await rig.waitFor("fill");
    sim.setFaults({ ws: { userReplay: 10, drop: { endpoint: "user", code: 1001 } } });
    await rig.waitFor("reconnected", (e) => e.connection === "user");
    // The new connection was sent the snapshot and then the recent updates again.
    const replayed = () =>
      sim.audit
        .wsEntries({ connection: 2, direction: "sent", channel: "user" })
        .map((e) => (e.message as { events: { type: string; orders: unknown[] }[] }).events[0]);
    await until(() => replayed().length === 2, "the snapshot and the replay");
    expect(replayed()[0]).toMatchObject({ type: "snapshot", orders: [] });
    expect(replayed()[1]?.type).toBe("update");
    expect(replayed()[1]?.orders.length).toBeGreaterThanOrEqual(2);
    // One more order after the replay: its fill arrives, and the first is still counted once.
    await client.createOrder({
      client_order_id: "twice",
      product_id: "BTC-USD",
      side: "BUY",
      order_configuration: { market_market_ioc: { quote_size: "500" } },
    });
    await until(() => rig?.of("fill").length === 2, "the second fill");
    expect(rig.of("fill").map((e) => e.fill.clientOrderId)).toEqual(["once", "twice"]);
    expect(rig.of("error")).toEqual([]);
    expect(framesFailingTheClient(sim)).toEqual([]);
  });
});
