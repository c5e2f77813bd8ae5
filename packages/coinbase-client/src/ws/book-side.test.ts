import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BookSide } from "./book-side.js";
import type { Level } from "./order-book.js";

type Op =
  | { kind: "set"; key: number; size: number }
  | { kind: "delete"; key: number }
  | { kind: "wipe"; from: number; count: number };

// Mostly sets, some deletes, rare wiped runs: a side settles around 450 levels (several leaves),
// and the wipes shrink or empty leaves so they merge.
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant("set" as const),
      key: fc.integer({ min: -2_000, max: 2_000 }),
      size: fc.nat(99),
    }),
    weight: 10,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("delete" as const),
      key: fc.integer({ min: -2_000, max: 2_000 }),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("wipe" as const),
      from: fc.integer({ min: -2_000, max: 2_000 }),
      count: fc.integer({ min: 1, max: 150 }),
    }),
    weight: 1,
  },
);

function level(key: number, size: number): Level {
  return { price: String(key), size: String(size) };
}

/** Applies `ops` to a side and to a plain map; returns both. */
function play(ops: readonly Op[]): { side: BookSide; model: Map<number, Level> } {
  const side = new BookSide();
  const model = new Map<number, Level>();
  for (const o of ops) {
    switch (o.kind) {
      case "set": {
        const l = level(o.key, o.size);
        side.set(o.key, l);
        model.set(o.key, l);
        break;
      }
      case "delete":
        side.delete(o.key);
        model.delete(o.key);
        break;
      case "wipe":
        for (let k = o.from; k < o.from + o.count; k++) {
          side.delete(k);
          model.delete(k);
        }
        break;
    }
  }
  return { side, model };
}

function bestFirst(model: Map<number, Level>): Level[] {
  return [...model.keys()].sort((a, b) => b - a).map((k) => model.get(k) as Level);
}

describe("BookSide", () => {
  it("matches a sorted map through inserts, updates, deletes and wiped runs (leaves split and merge)", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 3_000, size: "max" }), (ops) => {
        const { side, model } = play(ops);
        const expected = bestFirst(model);
        if (ops.length > 2_000) expect(expected.length).toBeGreaterThan(3 * 64); // deep enough to split
        expect(side.length).toBe(expected.length);
        expect(side.top(Number.POSITIVE_INFINITY)).toEqual(expected);
        expect(side.best()).toBe(expected[0] === undefined ? undefined : Number(expected[0].price));
        for (const i of [0, 1, 63, 64, 65, expected.length - 1, expected.length])
          expect(side.at(i)).toBe(expected[i]);
        const walked: Level[] = [];
        side.walk((l) => walked.push(l) < 100);
        expect(walked).toEqual(expected.slice(0, 100));
        // Every key is still found where it belongs: setting it again adds nothing, deleting it
        // (in an order unrelated to the layout) removes exactly one level.
        for (const l of expected) side.set(Number(l.price), l);
        expect(side.length).toBe(expected.length);
        const keys = [...model.keys()].sort((a, b) => ((a * 7919) % 101) - ((b * 7919) % 101) || a - b);
        let left = expected.length;
        for (const k of keys) {
          side.delete(k);
          side.delete(k);
          expect(side.length).toBe(--left);
        }
        expect(side.best()).toBeUndefined();
        expect(side.top(5)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("scales every key exactly, keeping the order, and refuses a factor that leaves safe integers", () => {
    const side = new BookSide();
    for (let k = 1; k <= 300; k++) side.set(k, level(k, 1));
    expect(side.canScale(10)).toBe(true);
    side.scale(10);
    expect(side.best()).toBe(3_000);
    side.set(2_995, level(2_995, 7));
    expect(side.at(1)).toEqual(level(2_995, 7));
    expect(side.length).toBe(301);
    side.set(Number.MAX_SAFE_INTEGER - 1, level(0, 1));
    expect(side.canScale(10)).toBe(false);
  });
});
