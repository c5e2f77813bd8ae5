import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRunOptions } from "../cli/options.js";
import { generateSyntheticBars } from "../data/synthetic.js";
import { BacktestError } from "../errors.js";
import { instrumentForSymbol } from "../instruments.js";
import { runBacktest } from "../run.js";
import { METRIC_NAMES, metricValue, type PointStats, parseMetric, rankByMetric } from "./metric.js";

/** Stats with only the fields a ranking test needs set meaningfully. */
function stats(sharpe: number | null, maxDrawdown = 0.1): PointStats {
  return { sharpe, maxDrawdown } as unknown as PointStats;
}

describe("parseMetric", () => {
  it("takes the natural order of the metric unless --order says otherwise", () => {
    expect(parseMetric("sharpe")).toEqual({ name: "sharpe", order: "desc" });
    expect(parseMetric("maxDrawdown")).toEqual({ name: "maxDrawdown", order: "asc" });
    expect(parseMetric("totalReturn", "asc")).toEqual({ name: "totalReturn", order: "asc" });
  });

  it("rejects unknown metrics and orders as bad arguments", () => {
    for (const [name, order] of [
      ["nope", undefined],
      ["elapsedMs", undefined],
      ["sampleWarnings", undefined],
      ["startTime", undefined],
      ["sharpe", "up"],
    ] as const) {
      let caught: unknown;
      try {
        parseMetric(name, order);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(BacktestError);
      expect((caught as BacktestError).code).toBe("bad-argument");
    }
  });

  it("covers exactly the numeric keys of a real run's stats.json (except the wall time)", () => {
    const id = instrumentForSymbol("BTC-USD").id;
    const data = {
      series: [generateSyntheticBars({ instrumentId: id, seed: 3, bars: 300 })],
      funding: new Map(),
    };
    const result = runBacktest(parseRunOptions({ param: ["fast=3", "slow=8"], progress: false }), data);
    const numeric = Object.entries(result.stats)
      .filter(([k, v]) => k !== "elapsedMs" && (typeof v === "number" || v === null))
      .map(([k]) => k);
    expect([...METRIC_NAMES].sort()).toEqual(numeric.sort());
  });
});

describe("metricValue", () => {
  it("treats NaN and infinities as undefined", () => {
    expect(metricValue(stats(1.5), "sharpe")).toBe(1.5);
    expect(metricValue(stats(null), "sharpe")).toBeNull();
    expect(metricValue(stats(Number.NaN), "sharpe")).toBeNull();
    expect(metricValue(stats(Number.POSITIVE_INFINITY), "sharpe")).toBeNull();
  });
});

describe("rankByMetric", () => {
  it("ranks best first, nulls last, ties and nulls by input position", () => {
    const items = [stats(0.5), stats(null), stats(2), stats(0.5), stats(null), stats(-1)];
    const ranked = rankByMetric(items, (s) => s, parseMetric("sharpe"));
    expect(ranked.map((r) => r.index)).toEqual([2, 0, 3, 5, 1, 4]);
    expect(ranked.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ranked.map((r) => r.value)).toEqual([2, 0.5, 0.5, -1, null, null]);
    const asc = rankByMetric(items, (s) => s, parseMetric("sharpe", "asc"));
    expect(asc.map((r) => r.index)).toEqual([5, 0, 3, 2, 1, 4]);
  });

  it("ranks a lower-is-better metric ascending", () => {
    const items = [stats(1, 0.3), stats(1, 0.1), stats(1, 0.2)];
    expect(rankByMetric(items, (s) => s, parseMetric("maxDrawdown")).map((r) => r.index)).toEqual([1, 2, 0]);
  });

  it("does not modify its input", () => {
    const items = [stats(1), stats(3), stats(2)];
    const copy = [...items];
    rankByMetric(items, (s) => s, parseMetric("sharpe"));
    expect(items).toEqual(copy);
  });

  it("is a permutation: defined values sorted, ties by position, nulls last by position (property)", () => {
    const value = fc.option(fc.integer({ min: -5, max: 5 }), { nil: null });
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 30 }), fc.boolean(), (values, desc) => {
        const ranked = rankByMetric(
          values.map((v) => stats(v)),
          (s) => s,
          parseMetric("sharpe", desc ? "desc" : "asc"),
        );
        expect(ranked.map((r) => r.index).sort((a, b) => a - b)).toEqual(values.map((_, i) => i));
        for (let i = 1; i < ranked.length; i++) {
          const a = ranked[i - 1] as (typeof ranked)[number];
          const b = ranked[i] as (typeof ranked)[number];
          if (a.value === null) {
            expect(b.value).toBeNull();
            expect(a.index).toBeLessThan(b.index);
          } else if (b.value !== null) {
            expect(desc ? a.value >= b.value : a.value <= b.value).toBe(true);
            if (a.value === b.value) expect(a.index).toBeLessThan(b.index);
          }
        }
      }),
    );
  });
});
