/**
 * The WebSocket frames the simulator sends against a real Coinbase capture
 * (`../shared/data/coinbase-advanced-ws-BTC-USD-ETH-USD-2026-08-09.jsonl.gz`): for every kind of
 * frame in it (channel and event type), ours has every recorded field, with the same JSON type.
 */
import { ManualClock } from "@gpt/core";
import { readJsonl, requireShared } from "@gpt/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { type Simulator, startSimulator } from "../server.js";
import { until } from "./test-support.js";

const CAPTURE = "coinbase-advanced-ws-BTC-USD-ETH-USD-2026-08-09.jsonl.gz";
const PRODUCTS = ["BTC-USD", "ETH-USD"];

type Frame = Record<string, unknown>;

/** `channel/eventType` (`-` for events without a type: heartbeats, acks). */
function kindOf(frame: Frame): string {
  const first = (frame.events as Frame[] | undefined)?.[0];
  return `${String(frame.channel)}/${typeof first?.type === "string" ? first.type : "-"}`;
}

/** Fields of `real` that `ours` lacks or types differently (arrays compared by their first items). */
function shapeGaps(real: unknown, ours: unknown, path = "$"): string[] {
  if (real === null || ours === null) return [];
  if (Array.isArray(real)) {
    if (!Array.isArray(ours)) return [`${path}: expected an array`];
    return real.length === 0 || ours.length === 0 ? [] : shapeGaps(real[0], ours[0], `${path}[0]`);
  }
  if (typeof real !== "object")
    return typeof real === typeof ours ? [] : [`${path}: expected a ${typeof real}`];
  if (typeof ours !== "object" || Array.isArray(ours)) return [`${path}: expected an object`];
  return Object.entries(real as Frame).flatMap(([key, value]) =>
    key in (ours as Frame)
      ? shapeGaps(value, (ours as Frame)[key], `${path}.${key}`)
      : [`${path}.${key}: missing`],
  );
}

describe("WebSocket frame shapes match the real capture", { timeout: 120_000 }, () => {
  const recorded = new Map<string, Frame>();
  const ours = new Map<string, Frame>();
  let sim: Simulator;

  beforeAll(async () => {
    for (const line of readJsonl(requireShared("data", CAPTURE)) as { dir: string; msg: Frame }[]) {
      if (line.dir === "recv" && !recorded.has(kindOf(line.msg))) recorded.set(kindOf(line.msg), line.msg);
    }
    const clock = new ManualClock(Date.UTC(2026, 0, 10, 0, 30));
    sim = await startSimulator({ clock, products: PRODUCTS, ws: { tickMs: 5 } });
    const socket = new WebSocket(sim.wsUrl);
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      if (!ours.has(kindOf(frame))) ours.set(kindOf(frame), frame);
    });
    await until(() => socket.readyState === WebSocket.OPEN, "the socket");
    // What the capture's client sent, in its order.
    for (const channel of ["market_trades", "candles", "ticker", "level2", "heartbeats"])
      socket.send(JSON.stringify({ type: "subscribe", product_ids: PRODUCTS, channel }));
    await until(() => ours.has("l2_data/snapshot") && ours.size >= 5, "the snapshots and acks");
    // Steps of 20 market minutes until every kind of update has been sent.
    await until(() => {
      clock.advance(20 * 60_000);
      return [...recorded.keys()].every((kind) => ours.has(kind));
    }, "every kind of frame of the capture");
    socket.terminate();
  });

  afterAll(async () => {
    await sim?.close();
  });

  it("covers every kind of frame of the capture", () => {
    expect([...recorded.keys()].sort()).toEqual([
      "candles/snapshot",
      "candles/update",
      "heartbeats/-",
      "l2_data/snapshot",
      "l2_data/update",
      "market_trades/snapshot",
      "market_trades/update",
      "subscriptions/-",
      "ticker/snapshot",
      "ticker/update",
    ]);
  });

  it("sends every recorded field with the recorded JSON type", () => {
    const gaps = [...recorded].flatMap(([kind, real]) =>
      shapeGaps(real, ours.get(kind)).map((gap) => `${kind} ${gap}`),
    );
    expect(gaps).toEqual([]);
  });
});
