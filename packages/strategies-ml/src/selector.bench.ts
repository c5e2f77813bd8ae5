/**
 * Throughput of the `ml-selector` strategy's `onBar`, single thread: bars per second through one
 * instance, which runs its own feature extractor and regime classifier, every candidate, and one
 * model prediction per bar (random forest or logistic regression). The model is trained by
 * walk-forward on the first 3,000 bars of a deterministic synthetic series (seeded random walk with
 * trending, ranging and volatile stretches) and measured on 20,000 bars. No target: the figure is
 * reported next to the rule-based strategies' (`@gpt/strategies` bench).
 */
import { fileURLToPath } from "node:url";
import type { Bar } from "@gpt/core";
import { createStaticContext } from "@gpt/strategies";
import { measure, writeBenchResult } from "@gpt/testkit";
import { BTC, createStrategy, regimeWalkBars, SMALL_FEATURES } from "./test-support.js";
import { walkForwardTrain } from "./walk-forward.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const bars = regimeWalkBars(20_000, 42);
const ctx = createStaticContext();

function bench(params: Record<string, unknown>, label: string, rounds = 3): void {
  let intents = 0;
  const results = measure(() => {
    const strategy = createStrategy("ml-selector", params, { instrumentId: BTC });
    intents = 0;
    for (const bar of bars) intents += strategy.onBar(ctx, bar as Bar).length;
    return bars.length;
  }, rounds);
  const result = writeBenchResult(
    packageDir,
    `on-bar-${label.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}`,
    "bars",
    results,
    { extra: { intents, bars: bars.length } },
  );
  console.log(
    `${label.padEnd(44)} ${Math.round(result.perSecond).toLocaleString("en-US").padStart(12)} bars/s  ${intents} intents / ${bars.length} bars`,
  );
}

const training = bars.slice(0, 3000);
for (const model of [
  { kind: "random-forest", nEstimators: 25, maxDepth: 6 },
  { kind: "logistic-regression" },
] as const) {
  const trained = walkForwardTrain({
    bars: training,
    candidates: [
      { name: "flat", params: {} },
      { name: "trend-following", params: {} },
      { name: "mean-reversion", params: {} },
    ],
    features: SMALL_FEATURES,
    horizon: 12,
    trainBars: 1500,
    testBars: 1000,
    maxTrainSamples: 400,
    model,
  }).finalModel;
  if (trained === undefined) throw new Error("walk-forward gave no final model");
  const label =
    model.kind === "random-forest"
      ? "ml-selector (random forest, 25 trees)"
      : "ml-selector (logistic regression)";
  bench({ model: trained }, label);
}
