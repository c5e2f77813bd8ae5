/**
 * Walk-forward ML selection (random forest and logistic regression) on real data: Coinbase BTC-USD
 * 1h candles, 2024-04 .. 2026-05 (17,990 bars). Purged, embargoed folds; the out-of-sample accuracy
 * against the majority baseline and the returns are printed; the final model round-trips through
 * JSON and trades as `ml-selector`.
 */
import { type Bar, createBar, HOUR_MS, type InstrumentId, instrumentId } from "@gpt/core";
import { regimePreset } from "@gpt/regime";
import { replayStrategy } from "@gpt/strategies";
import { readCsvRows, requireShared } from "@gpt/testkit";
import { describe, expect, it } from "vitest";
import { loadSelectorModel } from "./model.js";
import { createStrategy } from "./test-support.js";
import { walkForwardTrain } from "./walk-forward.js";

function loadBars(file: string, id: InstrumentId): Bar[] {
  return readCsvRows(requireShared("data", file)).rows.map((r) =>
    createBar({
      instrumentId: id,
      intervalMs: HOUR_MS,
      tsOpen: Number(r[0]) * 1000,
      open: Number(r[1]),
      high: Number(r[2]),
      low: Number(r[3]),
      close: Number(r[4]),
      volume: Number(r[5]),
    }),
  );
}

const BTC = instrumentId("BTC-USD", "COINBASE");
const coinbase = loadBars("coinbase-BTC-USD-1h-2024-2026.csv.gz", BTC);

describe("walk-forward ML strategy selection on Coinbase BTC-USD 1h", () => {
  const candidates = [
    { name: "flat", params: {} },
    { name: "trend-following", params: {} },
    { name: "mean-reversion", params: {} },
    { name: "breakout", params: {} },
  ];

  it.each([
    ["random-forest", { kind: "random-forest", nEstimators: 10, maxDepth: 5, minNumSamples: 10 }, 400],
    ["logistic-regression", { kind: "logistic-regression" }, 1000],
  ] as const)(
    "%s: purged walk-forward, out-of-sample accuracy reported, model round-trips and trades",
    (kind, model, maxTrainSamples) => {
      const started = performance.now();
      const result = walkForwardTrain({
        bars: coinbase,
        candidates,
        horizon: 24,
        trainBars: 4000,
        testBars: 1000,
        purgeBars: 24,
        embargoBars: 24,
        maxTrainSamples,
        model,
        seed: 1,
      });
      const seconds = (performance.now() - started) / 1000;
      const chosen = candidates.map((_, c) => result.decisions.filter((d) => d.candidate === c).length);
      console.log(
        `${kind}: ${result.folds.length} folds in ${seconds.toFixed(1)} s; out-of-sample accuracy ${(100 * result.accuracy).toFixed(1)} % ` +
          `(majority baseline ${(100 * result.baselineAccuracy).toFixed(1)} %, chance ${(100 / candidates.length).toFixed(0)} %); ` +
          `selected log return ${result.selectedLogReturn.toFixed(3)} vs candidates [${result.candidateLogReturns.map((r) => r.toFixed(3)).join(", ")}]; ` +
          `choices ${candidates.map((c, i) => `${c.name} ${chosen[i]}`).join(", ")}`,
      );
      console.log(
        `  per fold accuracy/baseline: ${result.folds.map((f) => `${f.accuracy.toFixed(2)}/${f.baselineAccuracy.toFixed(2)}`).join(" ")}`,
      );
      expect(result.folds.length).toBeGreaterThanOrEqual(12);
      expect(result.decisions.length).toBe(
        coinbase.length - (result.folds[0] as (typeof result.folds)[number]).testStart,
      );
      expect(result.accuracy).toBeGreaterThan(0.15);
      expect(result.accuracy).toBeLessThan(0.9);
      expect(chosen.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
      for (const d of result.decisions) {
        expect(d.probability).toBeGreaterThan(0);
        expect(d.probability).toBeLessThanOrEqual(1);
      }
      // The deployable model: JSON round trip, then trading the last 3,000 bars as a strategy.
      const json = JSON.stringify(result.finalModel?.toJSON());
      const loaded = loadSelectorModel(json, { expectedFeatureSchema: regimePresetFeatures() });
      const strategy = createStrategy("ml-selector", { model: loaded }, { instrumentId: BTC });
      const run = replayStrategy(strategy, coinbase.slice(-3000));
      console.log(
        `  final model: ${json.length} bytes of JSON; ml-selector emitted ${run.intents.length} intents on the last 3000 bars`,
      );
      expect(run.intents.length).toBeGreaterThan(10);
    },
  );
});

/** The default feature parameters (1h regime preset). */
function regimePresetFeatures() {
  return { regime: regimePreset("1h") };
}
