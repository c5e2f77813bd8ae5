import { describe, expect, it } from "vitest";
import { CoreError } from "./errors.js";
import { createSeededRng, DAY_MS, HOUR_MS, ManualClock, MINUTE_MS, unixMillis } from "./time.js";

describe("unixMillis", () => {
  it("accepts non-negative integers", () => {
    expect(unixMillis(0)).toBe(0);
    expect(unixMillis(1_700_000_000_000)).toBe(1_700_000_000_000);
    expect(DAY_MS).toBe(24 * HOUR_MS);
    expect(HOUR_MS).toBe(60 * MINUTE_MS);
  });
  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60])("rejects %s", (bad) => {
    expect(() => unixMillis(bad, "tsEvent")).toThrow(/tsEvent/);
  });
});

describe("ManualClock", () => {
  it("starts where told, moves forward with set and advance", () => {
    const clock = new ManualClock(1000);
    expect(clock.now()).toBe(1000);
    clock.advance(500);
    expect(clock.now()).toBe(1500);
    clock.set(1500);
    clock.set(2000);
    expect(clock.now()).toBe(2000);
    expect(new ManualClock().now()).toBe(0);
  });

  it("refuses to go backwards", () => {
    const clock = new ManualClock(1000);
    try {
      clock.set(999);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CoreError);
      expect((error as CoreError).code).toBe("clock-backwards");
    }
    expect(() => clock.advance(-1)).toThrow(CoreError);
    expect(() => clock.advance(0.5)).toThrow(CoreError);
    expect(clock.now()).toBe(1000);
  });

  it("refuses invalid times", () => {
    expect(() => new ManualClock(-5)).toThrow(/start/);
    expect(() => new ManualClock(0).set(Number.NaN)).toThrow(CoreError);
  });
});

describe("createSeededRng", () => {
  it("is deterministic per seed", () => {
    const a = createSeededRng(42);
    const b = createSeededRng(42);
    const xs = Array.from({ length: 100 }, () => a.next());
    const ys = Array.from({ length: 100 }, () => b.next());
    expect(xs).toEqual(ys);
    const c = createSeededRng(43);
    expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(xs);
  });

  it("matches the reference mulberry32 output for seed 1", () => {
    // First output of the canonical mulberry32 (bryc's PRNG collection) for seed 1.
    expect(createSeededRng(1).next()).toBe(0.6270739405881613);
  });

  it("stays in [0, 1) and is roughly uniform", () => {
    const rng = createSeededRng(7);
    let sum = 0;
    const buckets = new Array<number>(10).fill(0);
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const x = rng.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      sum += x;
      buckets[Math.floor(x * 10)]! += 1;
    }
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
    for (const count of buckets) expect(Math.abs(count - n / 10)).toBeLessThan(n / 10 / 5);
  });

  it("rejects non-finite seeds", () => {
    expect(() => createSeededRng(Number.NaN)).toThrow(CoreError);
    expect(() => createSeededRng(Number.POSITIVE_INFINITY)).toThrow(/seed/);
  });
});
