import { type Bar, instrumentId } from "@gpt/core";
import { defaultStrategyRegistry, StrategyError } from "@gpt/strategies";
import { describe, expect, it } from "vitest";
import { buildSelectorDataset, checkBars, createCandidates, forwardScores, labelAt } from "./dataset.js";
import { createFeatureSchema } from "./features.js";
import { BTC, barsFromCloses, SMALL_FEATURES } from "./test-support.js";

const schema = createFeatureSchema(SMALL_FEATURES);
const flatAndHold = [
  { name: "flat", params: {} },
  { name: "buy-and-hold", params: {} },
];

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof StrategyError) return e.code;
    throw e;
  }
  return "no error";
}

describe("buildSelectorDataset", () => {
  const closes = [
    ...Array.from({ length: 40 }, (_, i) => 100 * 1.01 ** i),
    ...Array.from({ length: 40 }, (_, i) => 100 * 1.01 ** 39 * 0.99 ** (i + 1)),
  ];
  const bars = barsFromCloses(closes);
  const ds = buildSelectorDataset(bars, schema, flatAndHold, defaultStrategyRegistry);

  it("records each candidate's standing direction and cumulative log return", () => {
    expect(Array.from(ds.directions[0]!)).toEqual(new Array(80).fill(0));
    expect(Array.from(ds.directions[1]!)).toEqual(new Array(80).fill(1));
    for (const t of [0, 1, 10, 79]) {
      expect(ds.cumulativeReturn[1]![t]).toBeCloseTo(Math.log(closes[t]! / closes[0]!), 10);
      expect(ds.cumulativeReturn[0]![t]).toBe(0);
    }
    expect(ds.ready.indexOf(1)).toBe(20);
    expect(ds.featureCount).toBe(schema.names.length);
  });

  it("labels with the best forward candidate: hold in the rise, flat in the fall", () => {
    const scratch = new Float64Array(2);
    expect(labelAt(ds, 25, 5, 0, 80, scratch)).toBe(1);
    expect(labelAt(ds, 50, 5, 0, 80, scratch)).toBe(0);
    // Never a label that needs a bar at or after the cut, nor one before the features are ready.
    expect(labelAt(ds, 25, 5, 0, 30, scratch)).toBe(-1);
    expect(labelAt(ds, 25, 5, 0, 31, scratch)).toBe(1);
    expect(labelAt(ds, 10, 5, 0, 80, scratch)).toBe(-1);
    expect(labelAt(ds, 76, 5, 0, 80, scratch)).toBe(-1);
    const scores = forwardScores(ds, 25, 5, 0, scratch);
    expect(scores[1]).toBeCloseTo(Math.log(closes[30]! / closes[25]!), 12);
    expect(scores[0]).toBe(0);
  });

  it("charges turnover inside the label window", () => {
    const zigzag = barsFromCloses(
      Array.from({ length: 60 }, (_, i) => 100 + (Math.floor(i / 3) % 2 === 0 ? i * 0.01 : -i * 0.01)),
    );
    const d = buildSelectorDataset(
      zigzag,
      schema,
      [
        { name: "flat", params: {} },
        { name: "sma-cross", params: { fast: 1, slow: 2 } },
      ],
      defaultStrategyRegistry,
    );
    const dir = d.directions[1]!;
    let flips = 0;
    for (let t = 31; t < 40; t++) flips += Math.abs(dir[t]! - dir[t - 1]!);
    expect(flips).toBeGreaterThan(0);
    const free = forwardScores(d, 30, 10, 0, new Float64Array(2))[1]!;
    const costly = forwardScores(d, 30, 10, 0.01, new Float64Array(2))[1]!;
    expect(free - costly).toBeCloseTo(0.01 * flips, 12);
  });
});

describe("dataset inputs", () => {
  it("refuses empty, unordered and mixed bars", () => {
    const bars = barsFromCloses([1, 2, 3]);
    expect(codeOf(() => checkBars([]))).toBe("invalid-input");
    expect(codeOf(() => checkBars([bars[1]!, bars[0]!]))).toBe("invalid-input");
    const eth: Bar = { ...bars[2]!, instrumentId: instrumentId("ETH-USD", "COINBASE") };
    expect(codeOf(() => checkBars([bars[0]!, bars[1]!, eth]))).toBe("invalid-input");
    expect(checkBars(bars)).toBe(BTC);
  });

  it("refuses funding-driven, unknown or too few candidates", () => {
    const reg = defaultStrategyRegistry;
    expect(codeOf(() => createCandidates(reg, [{ name: "flat", params: {} }], BTC, "p"))).toBe(
      "invalid-params",
    );
    expect(
      codeOf(() => createCandidates(reg, [...flatAndHold, { name: "funding-carry", params: {} }], BTC, "p")),
    ).toBe("invalid-params");
    expect(
      codeOf(() => createCandidates(reg, [...flatAndHold, { name: "nope", params: {} }], BTC, "p")),
    ).toBe("invalid-params");
    expect(
      codeOf(() =>
        createCandidates(reg, [...flatAndHold, { name: "sma-cross", params: { fast: 0 } }], BTC, "p"),
      ),
    ).toBe("invalid-params");
    expect(createCandidates(reg, flatAndHold, BTC, "p").map((s) => s.id)).toEqual([
      "p/0-flat",
      "p/1-buy-and-hold",
    ]);
  });
});
