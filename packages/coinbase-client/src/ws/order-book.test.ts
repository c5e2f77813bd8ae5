import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCoinbaseClientError } from "../errors.js";
import { type Level, OrderBook } from "./order-book.js";
import type { L2Update } from "./types.js";

const u = (side: "bid" | "offer", price: string, size: string): L2Update => ({
  side,
  event_time: "2026-08-09T21:05:48.170326Z",
  price_level: price,
  new_quantity: size,
});

function book(...updates: L2Update[]): OrderBook {
  const b = new OrderBook("BTC-USD");
  b.applySnapshot(updates);
  return b;
}

/** Compares two plain decimal strings exactly (bigint on a common scale). */
function compareDecimal(a: string, b: string): number {
  const [ai = "", af = ""] = a.split(".");
  const [bi = "", bf = ""] = b.split(".");
  const scale = Math.max(af.length, bf.length);
  const x = BigInt(ai + af.padEnd(scale, "0"));
  const y = BigInt(bi + bf.padEnd(scale, "0"));
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The reference: a book rebuilt from scratch, by folding every message into a map keyed by the exact price. */
function rebuild(messages: readonly (readonly L2Update[])[]): { bids: Level[]; asks: Level[] } {
  const sides = { bid: new Map<string, Level>(), offer: new Map<string, Level>() };
  const canonical = (p: string) => {
    const [i = "", f = ""] = p.split(".");
    const int = i.replace(/^0+(?=\d)/, "");
    const frac = f.replace(/0+$/, "");
    return frac === "" ? int : `${int}.${frac}`;
  };
  for (const message of messages) {
    for (const up of message) {
      const key = canonical(up.price_level);
      if (/^[0.]+$/.test(up.new_quantity)) sides[up.side].delete(key);
      else sides[up.side].set(key, { price: up.price_level, size: up.new_quantity });
    }
  }
  const bids = [...sides.bid.values()].sort((x, y) => compareDecimal(y.price, x.price));
  const asks = [...sides.offer.values()].sort((x, y) => compareDecimal(x.price, y.price));
  return { bids, asks };
}

describe("OrderBook", () => {
  it("keeps both sides sorted best first, with best bid/ask and spread", () => {
    const b = book(
      u("bid", "100.5", "1"),
      u("bid", "101", "2"),
      u("offer", "102.25", "3"),
      u("offer", "103", "4"),
    );
    expect(b.valid).toBe(true);
    expect(b.bestBid()).toEqual({ price: "101", size: "2" });
    expect(b.bestAsk()).toEqual({ price: "102.25", size: "3" });
    expect(b.spread()).toBe("1.25");
    expect(b.depth(5)).toEqual({
      bids: [
        { price: "101", size: "2" },
        { price: "100.5", size: "1" },
      ],
      asks: [
        { price: "102.25", size: "3" },
        { price: "103", size: "4" },
      ],
    });
    expect(b.depth(1).bids).toHaveLength(1);
    expect(b.size()).toEqual({ bids: 2, asks: 2 });
  });

  it("replaces a level's size, removes it on zero, and treats 1.50 and 1.5 as one price", () => {
    const b = book(u("bid", "1.5", "1"));
    b.applyUpdates([u("bid", "1.50", "7"), u("bid", "1.4", "2")]);
    expect(b.depth(9).bids).toEqual([
      { price: "1.50", size: "7" },
      { price: "1.4", size: "2" },
    ]);
    b.applyUpdates([u("bid", "1.5", "0.000"), u("bid", "9", "0")]);
    expect(b.depth(9).bids).toEqual([{ price: "1.4", size: "2" }]);
  });

  it("rescales exactly when a finer price arrives (no float rounding)", () => {
    const b = book(u("bid", "0.3", "1"), u("offer", "0.30000001", "1"));
    expect(b.scale).toBe(8);
    expect(b.spread()).toBe("0.00000001");
    b.applyUpdates([u("bid", "0.1", "1"), u("bid", "0.2", "1"), u("bid", "0.30000000", "5")]);
    expect(b.bestBid()).toEqual({ price: "0.30000000", size: "5" });
    expect(b.isCrossed()).toBe(false);
  });

  it("detects a crossed book", () => {
    const b = book(u("bid", "100", "1"), u("offer", "101", "1"));
    expect(b.isCrossed()).toBe(false);
    b.applyUpdates([u("bid", "101", "1")]);
    expect(b.isCrossed()).toBe(true);
    expect(b.spread()).toBe("0");
  });

  it("computes the VWAP to fill a size exactly, or undefined when the side is too thin", () => {
    const b = book(
      u("offer", "100", "1"),
      u("offer", "101", "2"),
      u("bid", "99", "0.5"),
      u("bid", "98", "0.5"),
    );
    expect(b.vwap("buy", "1")).toBe("100");
    expect(b.vwap("buy", "2")).toBe("100.5");
    expect(b.vwap("buy", "3")).toBe("100.66666667"); // 302 / 3, rounded to 8 digits
    expect(b.vwap("buy", "3.0001")).toBeUndefined();
    expect(b.vwap("sell", "0.75")).toBe("98.66666667"); // (49.5 + 24.5) / 0.75
    expect(b.vwap("sell", "0.000000001")).toBe("99");
    for (const bad of ["0", "-1", "1e3", ""]) {
      expect(() => b.vwap("buy", bad)).toThrowError(
        expect.objectContaining({ code: "invalid-request", field: "size" }),
      );
    }
    try {
      b.vwap("buy", "x");
    } catch (error) {
      expect(isCoinbaseClientError(error)).toBe(true);
    }
  });

  it("is invalid until a snapshot and after invalidate, and a snapshot starts over", () => {
    const b = new OrderBook("ETH-USD");
    expect(b.valid).toBe(false);
    expect(b.invalidReason).toBe("no snapshot yet");
    b.applySnapshot([u("bid", "1", "1")]);
    b.invalidate("sequence gap");
    expect(b.valid).toBe(false);
    expect(b.invalidReason).toBe("sequence gap");
    b.applySnapshot([u("offer", "2", "1")]);
    expect(b.valid).toBe(true);
    expect(b.depth(5)).toEqual({ bids: [], asks: [{ price: "2", size: "1" }] });
    expect(b.productId).toBe("ETH-USD");
  });

  it("invalidates itself on a price it cannot hold exactly", () => {
    const b = book(u("bid", "123456789", "1"));
    b.applyUpdates([u("bid", "1.0000000000000001", "1")]);
    expect(b.valid).toBe(false);
    expect(b.depth(5).bids).toEqual([{ price: "123456789", size: "1" }]);
  });

  it("never mutates the updates it is given", () => {
    const updates = Object.freeze([Object.freeze(u("bid", "1", "1")), Object.freeze(u("bid", "1", "0"))]);
    const b = new OrderBook("X");
    b.applySnapshot(updates);
    expect(b.bestBid()).toBeUndefined();
  });

  it("snapshot + random updates equals a book rebuilt from scratch from the same messages", () => {
    const price = fc
      .tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 3 }), fc.boolean())
      .map(([n, scale, pad]) => {
        const text = (n / 10 ** scale).toFixed(scale);
        return pad && scale > 0 ? `${text}0` : text;
      });
    const size = fc.oneof(
      fc.constantFrom("0", "0.0"),
      fc.integer({ min: 1, max: 10_000 }).map((n) => (n / 1000).toString()),
    );
    const update = fc.record({
      side: fc.constantFrom("bid" as const, "offer" as const),
      event_time: fc.constant(""),
      price_level: price,
      new_quantity: size,
    });
    fc.assert(
      fc.property(
        fc.array(update, { maxLength: 40 }),
        fc.array(fc.array(update, { maxLength: 8 }), { maxLength: 30 }),
        (snapshot, messages) => {
          const b = new OrderBook("BTC-USD");
          b.applySnapshot(snapshot);
          for (const m of messages) b.applyUpdates(m);
          const truth = rebuild([snapshot, ...messages]);
          // Both keep the text of the latest update at each price, so the levels compare as they are.
          expect(b.depth(Number.POSITIVE_INFINITY)).toEqual(truth);
          expect(b.size()).toEqual({ bids: truth.bids.length, asks: truth.asks.length });
          expect(b.valid).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
  it("stays equal to a rebuilt book through deep snapshots and heavy churn (leaves split and merge)", () => {
    // Deep enough for a side to span many 64-level leaves; removals frequent enough to empty and
    // merge them. Checked after every message, with the best levels and a VWAP walk.
    const update = fc.record({
      side: fc.constantFrom("bid" as const, "offer" as const),
      event_time: fc.constant(""),
      price_level: fc.integer({ min: 1, max: 1_500 }).map(String),
      new_quantity: fc.oneof(fc.constant("0"), fc.integer({ min: 1, max: 99 }).map(String)),
    });
    // A message removing a run of prices on one side, so leaves empty out or shrink and merge.
    const wipe = fc
      .tuple(
        fc.constantFrom("bid" as const, "offer" as const),
        fc.integer({ min: 1, max: 1_500 }),
        fc.integer({ min: 1, max: 300 }),
      )
      .map(([side, from, count]) =>
        Array.from(
          { length: count },
          (_, i): L2Update => ({
            side,
            event_time: "",
            price_level: String(from + i),
            new_quantity: "0",
          }),
        ),
      );
    fc.assert(
      fc.property(
        fc.array(update, { minLength: 200, maxLength: 1_200, size: "max" }),
        fc.array(fc.oneof(fc.array(update, { maxLength: 60, size: "max" }), wipe), {
          maxLength: 25,
          size: "max",
        }),
        (snapshot, messages) => {
          const b = new OrderBook("BTC-USD");
          b.applySnapshot(snapshot);
          const seen: L2Update[][] = [snapshot];
          for (const m of messages) {
            b.applyUpdates(m);
            seen.push(m);
            const truth = rebuild(seen);
            expect(b.depth(Number.POSITIVE_INFINITY)).toEqual(truth);
            expect(b.bestBid()).toEqual(truth.bids[0]);
            expect(b.bestAsk()).toEqual(truth.asks[0]);
            const total = truth.asks.reduce((sum, level) => sum + Number(level.size), 0);
            if (total > 0) expect(b.vwap("buy", String(total))).toBeDefined();
            expect(b.vwap("buy", String(total + 1))).toBeUndefined();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("OrderBook input checks", () => {
  it("refuses a price that is not a plain decimal (no exponent, no spaces), invalidating the book", () => {
    for (const bad of ["1e5", " 1", "1.", ".5", "-1", ""]) {
      const b = book(u("bid", "1", "1"));
      b.applyUpdates([u("bid", bad, "1")]);
      expect([bad, b.valid, b.size().bids]).toEqual([bad, false, 1]);
    }
  });
});
