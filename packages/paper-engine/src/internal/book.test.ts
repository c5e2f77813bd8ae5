import { instrumentId } from "@gpt/core";
import { describe, expect, it } from "vitest";
import { Book } from "./book.js";

const id = instrumentId("X-USD", "SIM");

describe("Book", () => {
  it("keeps sides sorted, applies set/delete deltas and consumes liquidity", () => {
    const b = new Book();
    b.snapshot({
      type: "BookSnapshot",
      instrumentId: id,
      bids: [
        { price: 98, size: 2 },
        { price: 99, size: 1 },
        { price: 97, size: 0 },
      ],
      asks: [
        { price: 101, size: 2 },
        { price: 100, size: 1 },
      ],
      tsEvent: 0,
      tsInit: 0,
    });
    expect(b.bestBid()).toBe(99);
    expect(b.bestAsk()).toBe(100);
    expect(b.bids.map((l) => l.price)).toEqual([99, 98]);
    b.delta({
      type: "BookDelta",
      instrumentId: id,
      deltas: [
        { side: "bid", price: 99.5, size: 3, action: "set" },
        { side: "ask", price: 100, size: 0, action: "delete" },
        { side: "ask", price: 100.5, size: 4, action: "set" },
        { side: "bid", price: 98, size: 5, action: "set" },
      ],
      tsEvent: 1,
      tsInit: 1,
    });
    expect(b.bids.map((l) => [l.price, l.size])).toEqual([
      [99.5, 3],
      [99, 1],
      [98, 5],
    ]);
    expect(b.asks.map((l) => l.price)).toEqual([100.5, 101]);
    expect(b.sizeAt(true, 98)).toBe(5);
    expect(b.depthUpTo(true, 100.7)).toBe(4);
    expect(b.depthUpTo(false, 99)).toBe(4);
    b.consume(false, 100.5, 4);
    expect(b.bestAsk()).toBe(101);
    b.consume(true, 99.5, 1);
    expect(b.sizeAt(true, 99.5)).toBe(2);
  });
});
