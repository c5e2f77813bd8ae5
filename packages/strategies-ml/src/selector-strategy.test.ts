import {
  createStaticContext,
  type RegimeSwitchStrategy,
  replayStrategy,
  StrategyError,
} from "@gpt/strategies";
import { describe, expect, it } from "vitest";
import { MlSelectorStrategy } from "./selector-strategy.js";
import {
  BTC,
  barsFromCloses,
  createStrategy,
  randomWalkCloses,
  SMALL_FEATURES,
  targets,
} from "./test-support.js";
import { walkForwardTrain } from "./walk-forward.js";

const drift = (i: number) => (Math.floor(i / 40) % 2 === 0 ? 0.006 : -0.006);
const bars = barsFromCloses(randomWalkCloses(700, 8, { drift, sigma: () => 0.004 }));
const candidates = [
  { name: "flat", params: {} },
  { name: "buy-and-hold", params: { fraction: 0.5 } },
  { name: "regime-switch", params: { trendStrategy: "buy-and-hold", rangeStrategy: "flat" } },
];
const trained = walkForwardTrain({
  bars: bars.slice(0, 500),
  candidates,
  features: SMALL_FEATURES,
  horizon: 5,
  trainBars: 300,
  testBars: 100,
  maxTrainSamples: 120,
  model: { kind: "random-forest", nEstimators: 7, maxDepth: 4 },
});
const model = trained.finalModel!;

describe("ml-selector strategy", () => {
  it("emits the chosen candidate's target with the predicted probability as confidence", () => {
    const strategy = createStrategy("ml-selector", { model }, { instrumentId: BTC }) as MlSelectorStrategy;
    const ctx = createStaticContext();
    const emitted: {
      index: number;
      choice: number;
      probability: number;
      intent: ReturnType<MlSelectorStrategy["onBar"]>[number];
    }[] = [];
    bars.forEach((bar, index) => {
      for (const intent of strategy.onBar(ctx, bar)) {
        emitted.push({
          index,
          choice: strategy.choice,
          probability: strategy.probabilities[strategy.choice]!,
          intent,
        });
      }
    });
    expect(emitted[0]?.index).toBe(strategy.warmUpBars - 1);
    expect(new Set(emitted.map((e) => e.choice)).size).toBeGreaterThan(1);
    for (const e of emitted) {
      if (e.intent.type !== "TargetPosition") throw new Error("unexpected intent");
      expect(e.intent.strategyId).toBe("ml-selector:BTC-USD.COINBASE");
      expect(e.intent.reason).toContain(`chose candidate ${e.choice} (${candidates[e.choice]!.name})`);
      if (e.intent.direction === "flat") expect(e.intent.confidence).toBe(1);
      else expect(e.intent.confidence).toBe(e.probability);
      if (e.choice === 1) expect(e.intent).toMatchObject({ direction: "long", sizeFraction: 0.5 });
      if (e.choice === 0) expect(e.intent.direction).toBe("flat");
    }
  });

  it("reports the larger of the feature and candidate warm-ups, and decides once the features are ready", () => {
    const json = {
      ...model.toJSON(),
      candidates: [...candidates.slice(0, 2), { name: "sma-cross", params: { fast: 5, slow: 60 } }],
    };
    const strategy = createStrategy(
      "ml-selector",
      { model: json },
      { instrumentId: BTC },
    ) as MlSelectorStrategy;
    expect(strategy.warmUpBars).toBe(60);
    const run = replayStrategy(strategy, bars.slice(0, 100));
    expect(run.intents[0]?.index).toBe(20);
  });

  it("gives its candidates its own regime readings", () => {
    const strategy = createStrategy("ml-selector", { model }, { instrumentId: BTC }) as MlSelectorStrategy;
    replayStrategy(strategy, bars.slice(0, 100)); // no kernel classifier: ctx.regime is undefined
    const child = strategy.candidates[2] as RegimeSwitchStrategy;
    expect(child.name).toBe("regime-switch");
    expect(child.id).toBe("ml-selector:BTC-USD.COINBASE/2-regime-switch");
    expect(child.currentTarget).toBeDefined();
  });

  it("stands aside below minConfidence", () => {
    const strict = createStrategy(
      "ml-selector",
      { model: JSON.stringify(model.toJSON()), minConfidence: 1 },
      { instrumentId: BTC },
    );
    const lax = createStrategy("ml-selector", { model }, { instrumentId: BTC });
    const strictRun = targets(replayStrategy(strict, bars).intents);
    const laxRun = targets(replayStrategy(lax, bars).intents);
    expect(
      strictRun.some(
        (t) => t.target.reason === "ml-selector: prediction below minConfidence, standing aside",
      ),
    ).toBe(true);
    expect(strictRun.filter((t) => t.target.direction !== "flat").length).toBeLessThan(
      laxRun.filter((t) => t.target.direction !== "flat").length,
    );
  });

  it("keeps a choice at least minHoldBars bars", () => {
    const strategy = createStrategy(
      "ml-selector",
      { model, minHoldBars: 15 },
      { instrumentId: BTC },
    ) as MlSelectorStrategy;
    const ctx = createStaticContext();
    const choices = bars.map((bar) => {
      strategy.onBar(ctx, bar);
      return strategy.choice;
    });
    let runStart = strategy.warmUpBars - 1;
    let switches = 0;
    for (let t = strategy.warmUpBars; t < choices.length; t++) {
      if (choices[t] !== choices[t - 1]) {
        expect(t - runStart).toBeGreaterThanOrEqual(15);
        runStart = t;
        switches++;
      }
    }
    expect(switches).toBeGreaterThan(0);
  });

  it("resets to a fresh state", () => {
    const strategy = createStrategy("ml-selector", { model }, { instrumentId: BTC });
    const a = replayStrategy(strategy, bars).intents;
    strategy.reset?.();
    expect(replayStrategy(strategy, bars).intents).toEqual(a);
  });

  it("refuses a malformed model with the model-loading error", () => {
    const json = JSON.parse(JSON.stringify(model.toJSON()));
    json.featureSchema.names.reverse();
    expect(() => createStrategy("ml-selector", { model: json }, { instrumentId: BTC })).toThrow(
      StrategyError,
    );
    try {
      createStrategy("ml-selector", { model: json }, { instrumentId: BTC });
    } catch (e) {
      expect(e).toMatchObject({ code: "feature-schema-mismatch" });
    }
    // Candidates come from the factory it is given: one that does not know them is refused.
    const emptyFactory = { create: createStrategy, get: () => undefined };
    expect(
      () =>
        new MlSelectorStrategy(
          { model, minConfidence: 0, minHoldBars: 1 },
          { instrumentId: BTC },
          emptyFactory,
        ),
    ).toThrow(/candidate 0: unknown strategy "flat"/);
  });
});
