import { createWsJwt } from "@gpt/coinbase-client";
import { ManualClock } from "@gpt/core";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { type Simulator, type SimulatorOptions, startSimulator } from "../server.js";
import { ecKey } from "../test-keys.js";
import { framesFailingTheClient, until } from "./test-support.js";

const LIMITED = "rate limit exceeded: too many unauthenticated messages";
const HEARTBEATS = JSON.stringify({ type: "subscribe", channel: "heartbeats" });

interface Raw {
  readonly socket: WebSocket;
  readonly frames: Record<string, unknown>[];
  acks(): number;
  errors(): unknown[];
}

async function connect(sim: Simulator): Promise<Raw> {
  const socket = new WebSocket(sim.wsUrl);
  const frames: Record<string, unknown>[] = [];
  socket.on("message", (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
  await until(() => socket.readyState === WebSocket.OPEN, "the socket");
  return {
    socket,
    frames,
    acks: () => frames.filter((f) => f.channel === "subscriptions").length,
    errors: () => frames.filter((f) => f.type === "error").map((f) => f.message),
  };
}

const open: { sockets: WebSocket[]; sims: Simulator[] } = { sockets: [], sims: [] };
afterEach(async () => {
  for (const socket of open.sockets) socket.terminate();
  for (const sim of open.sims) await sim.close();
  open.sockets = [];
  open.sims = [];
});

async function start(options: SimulatorOptions): Promise<Simulator> {
  const sim = await startSimulator({ clock: new ManualClock(Date.UTC(2026, 0, 10)), ...options });
  open.sims.push(sim);
  return sim;
}

async function raw(sim: Simulator): Promise<Raw> {
  const connection = await connect(sim);
  open.sockets.push(connection.socket);
  return connection;
}

describe("the limit of unauthenticated WebSocket messages", { timeout: 60_000 }, () => {
  it("answers the ninth message without a JWT in a second with an error, per client address", async () => {
    const key = ecKey();
    const authClock = new ManualClock(Date.now());
    const sim = await start({ authClock, keys: [key] });
    const a = await raw(sim);
    for (let i = 0; i < 9; i += 1) a.socket.send(HEARTBEATS);
    await until(() => a.acks() + a.errors().length === 9, "nine answers");
    expect(a.acks()).toBe(8);
    expect(a.errors()).toEqual([LIMITED]);

    // A second connection from the same address shares the bucket.
    const b = await raw(sim);
    b.socket.send(HEARTBEATS);
    await until(() => b.errors().length === 1, "the error on the second connection");
    expect(b.acks()).toBe(0);

    // A message with a JWT is not counted.
    const jwt = createWsJwt({ keyName: key.name, privateKey: key.privateKey })();
    b.socket.send(JSON.stringify({ type: "subscribe", channel: "futures_balance_summary", jwt }));
    await until(() => b.acks() === 1, "the authenticated subscribe acknowledged");
    expect(b.errors()).toEqual([LIMITED]);

    // A second later (on authClock) the bucket holds eight again.
    authClock.advance(1_000);
    for (let i = 0; i < 8; i += 1) b.socket.send(HEARTBEATS);
    await until(() => b.acks() === 9, "eight more acks");
    expect(b.errors()).toEqual([LIMITED]);
    // The refused messages are in the audit log as received; the connection stays open.
    expect(sim.audit.wsEntries({ direction: "received" })).toHaveLength(19);
    expect(b.socket.readyState).toBe(WebSocket.OPEN);
    expect(framesFailingTheClient(sim)).toEqual([]);
  });

  it("takes its rate from rateLimit.wsUnauthenticatedPerSecond, and none with rateLimit: false", async () => {
    const two = await raw(
      await start({ authClock: new ManualClock(Date.now()), rateLimit: { wsUnauthenticatedPerSecond: 2 } }),
    );
    for (let i = 0; i < 3; i += 1) two.socket.send(HEARTBEATS);
    await until(() => two.acks() + two.errors().length === 3, "three answers");
    expect(two.acks()).toBe(2);

    const free = await raw(await start({ rateLimit: false }));
    for (let i = 0; i < 30; i += 1) free.socket.send(HEARTBEATS);
    await until(() => free.acks() === 30, "thirty acks");
    expect(free.errors()).toEqual([]);
  });
});
