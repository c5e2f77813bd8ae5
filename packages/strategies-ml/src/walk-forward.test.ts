import { createStaticContext, StrategyError } from "@gpt/strategies";
import { describe, expect, it } from "vitest";
import { MlSelectorStrategy } from "./selector-strategy.js";
import {
  BTC,
  barsFromCloses,
  createStrategy,
  randomWalkCloses,
  regimeWalkBars,
  SMALL_FEATURES,
} from "./test-support.js";
import { type WalkForwardInput, walkForwardTrain } from "./walk-forward.js";

const bars = regimeWalkBars(900, 21);
const base: WalkForwardInput = {
  bars,
  candidates: [
    { name: "flat", params: {} },
    { name: "buy-and-hold", params: {} },
    { name: "trend-following", params: { fast: 5, slow: 20, atrPeriod: 5 } },
  ],
  features: SMALL_FEATURES,
  horizon: 10,
  trainBars: 200,
  testBars: 100,
  purgeBars: 12,
  embargoBars: 5,
  maxTrainSamples: 150,
  model: { kind: "random-forest", nEstimators: 9, maxDepth: 4, minNumSamples: 5 },
  seed: 3,
};

function errorOf(fn: () => unknown): StrategyError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StrategyError) return e;
    throw e;
  }
  throw new Error("expected a StrategyError");
}

describe("walkForwardTrain", () => {
  const result = walkForwardTrain({ ...base, keepFoldModels: true });

  it("lays the folds out with purge and embargo, training only before each cut", () => {
    const firstReady = 20;
    expect(result.folds[0]?.testStart).toBe(firstReady + 200 + 12 + 5);
    result.folds.forEach((f, i) => {
      expect(f.index).toBe(i);
      expect(f.cut).toBe(f.testStart - 5);
      expect(f.trainEnd).toBe(f.cut - 12);
      expect(f.trainStart).toBe(Math.max(firstReady, f.trainEnd - 200));
      expect(f.trainEnd + base.horizon!).toBeLessThan(f.cut); // no label reaches the cut
      expect(f.testEnd).toBe(Math.min(bars.length, f.testStart + 100));
      expect(f.samples).toBeLessThanOrEqual(150);
      expect(f.classCounts.reduce((a, b) => a + b, 0)).toBe(f.samples);
      if (i > 0) expect(f.testStart).toBe(result.folds[i - 1]!.testEnd);
    });
    expect(result.folds.at(-1)?.testEnd).toBe(bars.length);
    expect(result.decisions.map((d) => d.index)).toEqual(
      Array.from(
        { length: bars.length - result.folds[0]!.testStart },
        (_, i) => result.folds[0]!.testStart + i,
      ),
    );
  });

  it("makes decisions with probabilities in [0, 1] and reports out-of-sample accuracy", () => {
    for (const d of result.decisions) {
      expect(d.probability).toBe(Math.max(...d.probabilities));
      expect(d.candidate).toBe(d.probabilities.indexOf(d.probability));
      expect(d.probability).toBeGreaterThan(0);
      expect(d.probability).toBeLessThanOrEqual(1);
      expect(d.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
    const labelled = result.decisions.filter((d) => d.label !== undefined);
    expect(labelled.length).toBe(result.decisions.length - base.horizon!);
    const accuracy = labelled.filter((d) => d.label === d.candidate).length / labelled.length;
    expect(result.accuracy).toBeCloseTo(accuracy, 12);
    expect(result.baselineAccuracy).toBeGreaterThan(0);
    expect(result.candidateLogReturns).toHaveLength(3);
    expect(result.candidateLogReturns[0]).toBe(0);
    expect(Number.isFinite(result.selectedLogReturn)).toBe(true);
  });

  it.each([
    ["random-forest", { kind: "random-forest", nEstimators: 9, maxDepth: 4, minNumSamples: 5 }],
    ["logistic-regression", { kind: "logistic-regression" }],
  ] as const)("learns a predictable structure out of sample (%s)", (_kind, model) => {
    // Alternating 40-bar up and down drifts: momentum features predict the next 5 bars.
    const drift = (i: number) => (Math.floor(i / 40) % 2 === 0 ? 0.006 : -0.006);
    const zigzag = barsFromCloses(randomWalkCloses(900, 5, { drift, sigma: () => 0.004 }));
    const r = walkForwardTrain({
      bars: zigzag,
      candidates: [
        { name: "flat", params: {} },
        { name: "buy-and-hold", params: {} },
      ],
      features: SMALL_FEATURES,
      horizon: 5,
      trainBars: 300,
      testBars: 100,
      maxTrainSamples: 150,
      model,
      trainFinalModel: false,
    });
    expect(r.accuracy).toBeGreaterThan(0.8);
    expect(r.accuracy).toBeGreaterThan(r.baselineAccuracy + 0.3);
    expect(r.selectedLogReturn).toBeGreaterThan(Math.max(...r.candidateLogReturns) + 0.5);
  });

  it("gives the same choices as the ml-selector strategy running the fold's model", () => {
    for (const fold of result.folds.slice(0, 3)) {
      const strategy = createStrategy(
        "ml-selector",
        { model: fold.model },
        { instrumentId: BTC },
      ) as MlSelectorStrategy;
      expect(strategy).toBeInstanceOf(MlSelectorStrategy);
      const ctx = createStaticContext();
      const choices = bars.slice(0, fold.testEnd).map((bar) => {
        strategy.onBar(ctx, bar);
        return strategy.choice;
      });
      const expected = result.decisions.filter((d) => d.fold === fold.index).map((d) => d.candidate);
      expect(choices.slice(fold.testStart, fold.testEnd)).toEqual(expected);
    }
  });

  it("is deterministic and trains a deployable final model", () => {
    const again = walkForwardTrain(base);
    expect(again.decisions).toEqual(result.decisions);
    expect(again.folds.map((f) => f.model)).toEqual(result.folds.map(() => undefined));
    expect(again.finalModel?.training.lastTsEvent).toBe(bars[bars.length - 1 - 12]!.tsEvent);
    expect(JSON.stringify(again.finalModel?.toJSON())).toEqual(JSON.stringify(result.finalModel?.toJSON()));
    expect(walkForwardTrain({ ...base, trainFinalModel: false }).finalModel).toBeUndefined();
  });

  it("supports an expanding window and logistic regression", () => {
    const expanding = walkForwardTrain({
      ...base,
      window: "expanding",
      model: { kind: "logistic-regression", numSteps: 50 },
      trainFinalModel: false,
    });
    for (const f of expanding.folds) expect(f.trainStart).toBe(20);
    expect(expanding.decisions).toHaveLength(result.decisions.length);
  });

  it("validates its options and needs enough bars", () => {
    expect(errorOf(() => walkForwardTrain({ ...base, purgeBars: 5 }))).toMatchObject({
      code: "invalid-params",
      param: "purgeBars",
    });
    expect(errorOf(() => walkForwardTrain({ ...base, testBars: 0 })).param).toBe("testBars");
    expect(errorOf(() => walkForwardTrain({ ...base, bars: bars.slice(0, 230) })).code).toBe("invalid-input");
    expect(
      errorOf(() => walkForwardTrain({ ...base, candidates: [{ name: "flat", params: {} }] })).code,
    ).toBe("invalid-params");
  });
});
