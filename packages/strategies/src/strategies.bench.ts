/**
 * Throughput of each strategy's `onBar`, single thread: bars per second through one strategy
 * instance (indicators, decision, intent emission on change), with a static context.
 *
 * Input: a deterministic synthetic series (seeded random walk with trending, ranging and volatile
 * stretches). `regime-switch` gets per-bar readings of `@gpt/regime`'s classifier precomputed, so
 * only the strategy is measured (`ml-selector` has its bench in @gpt/strategies-ml). Target:
 * 1,000,000 bars/s (the kernel's whole pipeline aims at about that).
 */
import { fileURLToPath } from "node:url";
import type { Bar } from "@gpt/core";
import { type Regime, type RegimeReading, RuleBasedRegimeClassifier, snapshotReading } from "@gpt/regime";
import { measure, writeBenchResult } from "@gpt/testkit";
import { createStaticContext } from "./context.js";
import { createStrategy } from "./registry.js";
import { BTC, regimeWalkBars } from "./test-support.js";
import type { StrategyContext } from "./types.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const TARGET = 1_000_000;
const bars = regimeWalkBars(200_000, 42);

// Regime readings per bar, precomputed: one snapshot per regime, and the regime of each bar.
const classifier = new RuleBasedRegimeClassifier({ barsPerYear: 8760, longVolHalfLife: 200 });
const readings = new Map<Regime, RegimeReading>();
const regimeOf: (Regime | undefined)[] = bars.map((bar) => {
  const r = classifier.update(bar);
  if (r !== undefined && !readings.has(r.regime)) readings.set(r.regime, snapshotReading(r));
  return r?.regime;
});
let cursor = 0;
const ctx: StrategyContext = {
  ...createStaticContext(),
  regime: () => {
    const r = regimeOf[cursor];
    return r === undefined ? undefined : readings.get(r);
  },
};

function bench(
  name: string,
  params: Record<string, unknown>,
  series: readonly Bar[],
  label = name,
  rounds = 5,
): void {
  let intents = 0;
  const results = measure(() => {
    const strategy = createStrategy(name, params, { instrumentId: BTC });
    intents = 0;
    for (let i = 0; i < series.length; i++) {
      cursor = i;
      intents += strategy.onBar(ctx, series[i] as Bar).length;
    }
    return series.length;
  }, rounds);
  const result = writeBenchResult(
    packageDir,
    `on-bar-${label.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}`,
    "bars",
    results,
    {
      target: TARGET,
      extra: { intents, bars: series.length },
    },
  );
  const verdict = result.target === undefined ? "" : result.metTarget ? "  (target met)" : "  (BELOW target)";
  console.log(
    `${label.padEnd(44)} ${Math.round(result.perSecond).toLocaleString("en-US").padStart(12)} bars/s  ${intents} intents / ${series.length} bars${verdict}`,
  );
}

bench("sma-cross", { fast: 10, slow: 30 }, bars);
bench("trend-following", {}, bars);
bench("breakout", {}, bars);
bench("mean-reversion", {}, bars);
bench("regime-switch", {}, bars);
bench("buy-and-hold", {}, bars);
