import { describe, expect, it } from "vitest";
import { EventBuffer } from "./buffer.js";
import type { StreamEvent } from "./stream-types.js";
import type { WsMessage } from "./types.js";

const tick = (productId: string, price: string): StreamEvent => ({
  type: "message",
  connection: "market",
  message: {
    channel: "ticker",
    timestamp: "",
    sequence_num: 0,
    events: [{ type: "update", tickers: [{ type: "ticker", product_id: productId, price }] }],
  } as WsMessage,
});
const user = (id: string): StreamEvent => ({
  type: "message",
  connection: "user",
  message: {
    channel: "user",
    timestamp: "",
    sequence_num: 0,
    events: [{ type: "update", orders: [{ order_id: id, status: "OPEN", cumulative_quantity: "0" }] }],
  } as WsMessage,
});
const trades = (): StreamEvent => ({
  type: "message",
  connection: "market",
  message: { channel: "market_trades", timestamp: "", sequence_num: 0, events: [] } as WsMessage,
});

function drain(buffer: EventBuffer): StreamEvent[] {
  const out: StreamEvent[] = [];
  for (let e = buffer.shift(); e !== undefined; e = buffer.shift()) out.push(e);
  return out;
}

describe("EventBuffer", () => {
  it("keeps order below capacity and conflates tickers per product in place when full", () => {
    const dropped: StreamEvent[] = [];
    const buffer = new EventBuffer(2, (e) => dropped.push(e));
    buffer.push(tick("BTC-USD", "1"));
    buffer.push(tick("ETH-USD", "1"));
    buffer.push(tick("BTC-USD", "2"));
    buffer.push(tick("ETH-USD", "3"));
    const out = drain(buffer);
    expect(out).toEqual([tick("BTC-USD", "2"), tick("ETH-USD", "3")]);
    expect(dropped).toEqual([]);
  });

  it("replaces a run of drops by one overflow event at the place of the first drop", () => {
    const dropped: StreamEvent[] = [];
    const buffer = new EventBuffer(1, (e) => dropped.push(e));
    buffer.push(trades());
    buffer.push(trades());
    buffer.push(tick("BTC-USD", "1"));
    expect(buffer.size).toBe(2);
    expect(drain(buffer)).toEqual([
      trades(),
      { type: "overflow", dropped: 2, channels: ["market_trades", "ticker"], productIds: ["BTC-USD"] },
    ]);
    expect(dropped).toHaveLength(2);
    buffer.push(trades());
    expect(drain(buffer)).toEqual([trades()]);
  });

  it("holds user messages up to twice the capacity before dropping them", () => {
    const dropped: StreamEvent[] = [];
    const buffer = new EventBuffer(2, (e) => dropped.push(e));
    for (let i = 0; i < 5; i++) buffer.push(user(`o${i}`));
    expect(buffer.size).toBe(5);
    expect(dropped).toEqual([user("o4")]);
    expect(drain(buffer).map((e) => e.type)).toEqual([
      "message",
      "message",
      "message",
      "message",
      "overflow",
    ]);
  });

  it("stays bounded under a long burst (memory does not grow with the feed)", () => {
    const buffer = new EventBuffer(100, () => {});
    for (let i = 0; i < 100_000; i++) buffer.push(i % 2 === 0 ? trades() : tick(`P${i % 7}`, String(i)));
    expect(buffer.size).toBe(101);
    let n = 0;
    for (let i = 0; i < 50_000; i++) {
      buffer.push(trades());
      if (buffer.shift() !== undefined) n++;
    }
    expect(n).toBe(50_000);
    expect(buffer.size).toBeLessThanOrEqual(101);
  });
});
