import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seededNormal } from "../testing/series.js";
import { CompensatedSum, FloatRing, RollingExtremum, RollingMoments, RollingSum } from "./rolling.js";

function exactSum(xs: readonly number[]): number {
  // Sum of doubles, error-free for the short windows used here (two-sum accumulation).
  let s = 0;
  let c = 0;
  for (const x of xs) {
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return s + c;
}

describe("FloatRing", () => {
  it("keeps the last capacity values and reports evictions", () => {
    const r = new FloatRing(3);
    expect(Number.isNaN(r.push(1))).toBe(true);
    r.push(2);
    r.push(3);
    expect(r.isFull).toBe(true);
    expect(r.push(4)).toBe(1);
    expect([r.ago(0), r.ago(1), r.ago(2)]).toEqual([4, 3, 2]);
    expect(r.oldest).toBe(2);
    r.clear();
    expect(r.size).toBe(0);
    r.push(9);
    expect(r.oldest).toBe(9);
  });
});

describe("RollingSum", () => {
  it("equals the sum of the last window values on arbitrary streams", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(
          fc.integer({ min: -1e9, max: 1e9 }).map((i) => i / 1000),
          { minLength: 1, maxLength: 80 },
        ),
        (window, xs) => {
          const s = new RollingSum(window);
          xs.forEach((x, i) => {
            s.push(x);
            const expected = exactSum(xs.slice(Math.max(0, i + 1 - window), i + 1));
            // Between rebases the running sum carries the rounding of at most 2 * window updates.
            const scale = xs
              .slice(Math.max(0, i + 1 - 2 * window), i + 1)
              .reduce((a, b) => a + Math.abs(b), 0);
            expect(Math.abs(s.sum - expected)).toBeLessThanOrEqual(1e-12 * scale);
          });
        },
      ),
    );
  });

  it("does not drift over a long stream (rebase)", () => {
    // Large level, small moves: a naive running sum accumulates error over a million updates.
    const normal = seededNormal(11);
    const window = 50;
    const s = new RollingSum(window);
    let naive = 0;
    const ring: number[] = [];
    for (let i = 0; i < 1_000_000; i++) {
      const x = 1e8 + normal() * 1e-3 + (i % 7) * 0.1;
      s.push(x);
      ring.push(x);
      naive += x;
      if (ring.length > window) naive -= ring.shift() as number;
    }
    const exact = exactSum(ring);
    expect(Math.abs(s.sum - exact) / exact).toBeLessThan(1e-15);
    // The naive running sum really does drift, so the check above is meaningful.
    expect(Math.abs(naive - exact) / exact).toBeGreaterThan(Math.abs(s.sum - exact) / exact);
  });
});

describe("RollingMoments", () => {
  it("matches a two-pass mean and M2", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.array(
          fc.integer({ min: -1e6, max: 1e6 }).map((i) => i / 1000),
          { minLength: 1, maxLength: 60 },
        ),
        (window, xs) => {
          const m = new RollingMoments(window);
          xs.forEach((x, i) => {
            m.push(x);
            const win = xs.slice(Math.max(0, i + 1 - window), i + 1);
            const mean = win.reduce((a, b) => a + b, 0) / win.length;
            const m2 = win.reduce((a, b) => a + (b - mean) * (b - mean), 0);
            expect(m.mean).toBeCloseTo(mean, 8);
            expect(Math.abs(m.m2 - m2)).toBeLessThanOrEqual(1e-9 * (1 + m2) + 1e-6);
          });
        },
      ),
    );
  });

  it("stays exact for a constant window after a volatile stretch", () => {
    const m = new RollingMoments(20);
    const normal = seededNormal(3);
    for (let i = 0; i < 10_000; i++) m.push(60_000 + 500 * normal());
    for (let i = 0; i < 40; i++) m.push(61_234.5);
    expect(m.mean).toBe(61_234.5);
    expect(m.m2).toBe(0);
  });
});

describe("RollingExtremum", () => {
  it("matches max/min of the last window values", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 100 }),
        (window, xs) => {
          const hi = new RollingExtremum(window, "max");
          const lo = new RollingExtremum(window, "min");
          xs.forEach((x, i) => {
            const win = xs.slice(Math.max(0, i + 1 - window), i + 1);
            expect(hi.push(x)).toBe(Math.max(...win));
            expect(lo.push(x)).toBe(Math.min(...win));
          });
        },
      ),
    );
  });

  it("is NaN before the first push and after clear", () => {
    const hi = new RollingExtremum(3, "max");
    expect(Number.isNaN(hi.extremum)).toBe(true);
    hi.push(2);
    hi.clear();
    expect(Number.isNaN(hi.extremum)).toBe(true);
  });
});

describe("CompensatedSum", () => {
  it("keeps small terms that a naive sum loses", () => {
    const s = new CompensatedSum();
    let naive = 0;
    s.add(1e16);
    naive += 1e16;
    for (let i = 0; i < 1000; i++) {
      s.add(1);
      naive += 1;
    }
    s.add(-1e16);
    naive -= 1e16;
    expect(s.value).toBe(1000);
    expect(naive).not.toBe(1000);
    s.clear();
    expect(s.value).toBe(0);
  });
});
