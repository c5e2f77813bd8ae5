import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RollingExtremum } from "./rolling.js";

describe("RollingExtremum", () => {
  it("matches a brute-force max/min over the window", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 80 }),
        (window, xs) => {
          const max = new RollingExtremum(window, "max");
          const min = new RollingExtremum(window, "min");
          xs.forEach((x, i) => {
            max.push(x);
            min.push(x);
            const slice = xs.slice(Math.max(0, i + 1 - window), i + 1);
            if (i + 1 < window) {
              expect(max.value).toBeUndefined();
              expect(min.value).toBeUndefined();
            } else {
              expect(max.value).toBe(Math.max(...slice));
              expect(min.value).toBe(Math.min(...slice));
            }
          });
        },
      ),
    );
  });

  it("clear forgets everything", () => {
    const r = new RollingExtremum(2, "max");
    r.push(5);
    r.push(1);
    expect(r.value).toBe(5);
    r.clear();
    expect(r.pushed).toBe(0);
    expect(r.value).toBeUndefined();
    r.push(1);
    r.push(2);
    expect(r.value).toBe(2);
  });
});
