import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BacktestError } from "../errors.js";
import {
  enumerateGrid,
  type ParamAxis,
  parseGridArg,
  parseSearchSpec,
  parseSpaceArg,
  pointKey,
  sampleRandom,
  searchSize,
} from "./spec.js";

function expectBad(fn: () => unknown, text: string, code = "bad-argument"): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(BacktestError);
  expect((caught as BacktestError).code).toBe(code);
  expect((caught as Error).message).toContain(text);
}

describe("parseGridArg", () => {
  it("reads a list as given", () => {
    expect(parseGridArg("fast=5,10,20")).toEqual({ kind: "values", name: "fast", values: ["5", "10", "20"] });
    expect(parseGridArg("mode=a")).toEqual({ kind: "values", name: "mode", values: ["a"] });
    expect(parseGridArg("trend.slow=-1,2")).toEqual({
      kind: "values",
      name: "trend.slow",
      values: ["-1", "2"],
    });
  });

  it("expands start:stop:step, stop included when a step lands on it", () => {
    expect(parseGridArg("slow=50:200:50")).toEqual({
      kind: "values",
      name: "slow",
      values: ["50", "100", "150", "200"],
    });
    expect(parseGridArg("slow=50:199:50")).toMatchObject({ values: ["50", "100", "150"] });
    expect(parseGridArg("x=7:7:1")).toMatchObject({ values: ["7"] });
  });

  it("keeps decimal ranges free of float noise", () => {
    expect(parseGridArg("fraction=0.1:0.5:0.1")).toMatchObject({
      values: ["0.1", "0.2", "0.3", "0.4", "0.5"],
    });
    expect(parseGridArg("k=-1:1:0.5")).toMatchObject({ values: ["-1", "-0.5", "0", "0.5", "1"] });
  });

  it("rejects bad lists and ranges", () => {
    expectBad(() => parseGridArg("fast"), "expected NAME=VALUES");
    expectBad(() => parseGridArg("fast="), "expected NAME=VALUES");
    expectBad(() => parseGridArg("=5"), "expected NAME=VALUES");
    expectBad(() => parseGridArg("1fast=5"), "parameter names");
    expectBad(() => parseGridArg("fast=5,,10"), "empty");
    expectBad(() => parseGridArg("fast=5, 10"), "padded");
    expectBad(() => parseGridArg("fast=5,5"), "given twice");
    expectBad(() => parseGridArg("slow=50:200"), "three numbers");
    expectBad(() => parseGridArg("slow=a:200:5"), "three numbers");
    expectBad(() => parseGridArg("slow=50:200:0"), "step must be positive");
    expectBad(() => parseGridArg("slow=50:200:-5"), "step must be positive");
    expectBad(() => parseGridArg("slow=200:50:10"), "start must not be above stop");
    expectBad(() => parseGridArg("slow=1:1000000:1"), "more than");
  });
});

describe("parseSpaceArg", () => {
  it("reads integer and real ranges and lists", () => {
    expect(parseSpaceArg("fast=5..50")).toEqual({
      kind: "range",
      name: "fast",
      min: 5,
      max: 50,
      integer: true,
    });
    expect(parseSpaceArg("f=0.5..2")).toEqual({ kind: "range", name: "f", min: 0.5, max: 2, integer: false });
    expect(parseSpaceArg("f=1..2.0")).toMatchObject({ integer: false });
    expect(parseSpaceArg("mode=a,b")).toEqual({ kind: "values", name: "mode", values: ["a", "b"] });
  });

  it("rejects bad ranges", () => {
    expectBad(() => parseSpaceArg("fast=50..5"), "min must be below max");
    expectBad(() => parseSpaceArg("fast=5..5"), "min must be below max");
    expectBad(() => parseSpaceArg("fast=5..x"), "two numbers");
    expectBad(() => parseSpaceArg("fast=1..2..3"), "two numbers");
  });
});

describe("parseSearchSpec", () => {
  it("is a grid without --random", () => {
    const spec = parseSearchSpec({ grid: ["fast=5,10", "slow=50:100:50"] }, {}, 1);
    expect(spec.mode).toBe("grid");
    expect(spec.axes.map((a) => a.name)).toEqual(["fast", "slow"]);
  });

  it("is a random search with --random, seeded by --search-seed or else the run seed", () => {
    expect(parseSearchSpec({ random: "20", space: ["fast=5..50"] }, {}, 3)).toMatchObject({
      mode: "random",
      samples: 20,
      seed: 3,
    });
    expect(parseSearchSpec({ random: "5", space: ["fast=5..50"], searchSeed: "9" }, {}, 3)).toMatchObject({
      seed: 9,
    });
    // --grid axes join a random search as lists to draw from.
    expect(parseSearchSpec({ random: "5", grid: ["fast=5,10"] }, {}, 1).axes).toHaveLength(1);
  });

  it("rejects empty, conflicting and malformed searches", () => {
    expectBad(() => parseSearchSpec({}, {}, 1), "nothing to search");
    expectBad(() => parseSearchSpec({ grid: [] }, {}, 1), "nothing to search");
    expectBad(() => parseSearchSpec({ random: "5" }, {}, 1), "--random needs");
    expectBad(() => parseSearchSpec({ space: ["fast=5..50"] }, {}, 1), "ranges need --random");
    expectBad(() => parseSearchSpec({ grid: ["fast=5"], searchSeed: "2" }, {}, 1), "--random only");
    expectBad(() => parseSearchSpec({ grid: ["fast=5", "fast=10"] }, {}, 1), "searched twice");
    expectBad(() => parseSearchSpec({ grid: ["fast=5"], space: ["fast=1..9"], random: "3" }, {}, 1), "twice");
    expectBad(() => parseSearchSpec({ grid: ["fast=5"] }, { fast: "7" }, 1), "also fixed with --param");
    expectBad(() => parseSearchSpec({ random: "0", space: ["fast=5..50"] }, {}, 1), "whole number");
    expectBad(() => parseSearchSpec({ random: "2.5", space: ["fast=5..50"] }, {}, 1), "whole number");
    expectBad(
      () => parseSearchSpec({ random: "3", space: ["fast=5..50"], searchSeed: "-1" }, {}, 1),
      "--search-seed",
    );
    expectBad(
      () => parseSearchSpec({ grid: ["a=1:400:1", "b=1:400:1"] }, {}, 1),
      "the grid has more than 100000 points",
    );
  });
});

describe("searchSize", () => {
  it("counts grid combinations, or the random samples", () => {
    expect(searchSize(parseSearchSpec({ grid: ["fast=5,10,20", "slow=50:200:50"] }, {}, 1))).toBe(12);
    expect(searchSize(parseSearchSpec({ random: "7", space: ["fast=5..50"] }, {}, 1))).toBe(7);
  });
});

describe("enumerateGrid", () => {
  it("varies the first axis slowest", () => {
    const axes: ParamAxis[] = [parseGridArg("fast=5,10"), parseGridArg("slow=50,100,150")];
    expect(enumerateGrid(axes)).toEqual([
      { fast: "5", slow: "50" },
      { fast: "5", slow: "100" },
      { fast: "5", slow: "150" },
      { fast: "10", slow: "50" },
      { fast: "10", slow: "100" },
      { fast: "10", slow: "150" },
    ]);
  });

  it("gives the product of the axis sizes, every point distinct (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }), (sizes) => {
        const axes: ParamAxis[] = sizes.map((n, i) => ({
          kind: "values",
          name: `p${i}`,
          values: Array.from({ length: n }, (_, k) => String(k)),
        }));
        const points = enumerateGrid(axes);
        expect(points).toHaveLength(sizes.reduce((a, b) => a * b, 1));
        expect(new Set(points.map(pointKey)).size).toBe(points.length);
      }),
    );
  });

  it("refuses range axes", () => {
    expectBad(() => enumerateGrid([parseSpaceArg("fast=5..50")]), "use --random");
  });
});

describe("sampleRandom", () => {
  const axes: ParamAxis[] = [
    parseSpaceArg("fast=5..50"),
    parseSpaceArg("f=0.5..2"),
    parseSpaceArg("mode=a,b,c"),
  ];

  it("is determined by the seed", () => {
    expect(sampleRandom(axes, 25, 42)).toEqual(sampleRandom(axes, 25, 42));
    expect(sampleRandom(axes, 25, 42)).not.toEqual(sampleRandom(axes, 25, 43));
  });

  it("draws distinct points inside the ranges, integers for integer bounds (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 1, max: 40 }),
        (seed, count) => {
          const points = sampleRandom(axes, count, seed);
          expect(points).toHaveLength(count);
          expect(new Set(points.map(pointKey)).size).toBe(count);
          for (const p of points) {
            const fast = Number(p.fast);
            expect(Number.isInteger(fast) && fast >= 5 && fast <= 50).toBe(true);
            const f = Number(p.f);
            expect(f >= 0.5 && f <= 2).toBe(true);
            expect(["a", "b", "c"]).toContain(p.mode);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it("draws again when a point is refused, and stops when the space runs out", () => {
    const small: ParamAxis[] = [parseSpaceArg("fast=1..4"), parseSpaceArg("slow=1..4")];
    const valid = sampleRandom(small, 100, 7, (p) => Number(p.fast) < Number(p.slow));
    expect(valid).toHaveLength(6); // (1,2) (1,3) (1,4) (2,3) (2,4) (3,4)
    expect(valid.every((p) => Number(p.fast) < Number(p.slow))).toBe(true);
    expect(sampleRandom(small, 3, 7, (p) => Number(p.fast) < Number(p.slow))).toHaveLength(3);
  });
});
