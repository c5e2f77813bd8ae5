/**
 * The no-look-ahead proof for the ML selector (the built-ins have theirs in @gpt/strategies): a
 * decision at event k depends only on events 0..k. For the `ml-selector` strategy and for
 * walk-forward training, changing or removing everything after a random k leaves every intent or
 * decision at or before k identical. Also: determinism (same input, same output).
 */
import type { Bar } from "@gpt/core";
import { type ReplayRecord, replayStrategy, type StrategyEvent } from "@gpt/strategies";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BTC_PERP,
  barsFromCloses,
  createStrategy,
  funding,
  randomWalkCloses,
  SMALL_FEATURES,
} from "./test-support.js";
import { type WalkForwardInput, walkForwardTrain } from "./walk-forward.js";

const N = 480;
const phaseDrift = (i: number) => [0.004, 0, -0.004, 0][Math.floor(i / 60) % 4] as number;
const phaseSigma = (i: number) => (Math.floor(i / 60) % 4 === 3 ? 0.02 : 0.008);
const baseCloses = randomWalkCloses(N, 17, { drift: phaseDrift, sigma: phaseSigma });
const baseRates = randomWalkCloses(Math.ceil(N / 8), 4).map(
  (x, j) => (x / 100 - 1) * 0.01 + (j % 7 === 3 ? 0.002 : 0),
);

/** Bars of the perp, with a funding observation after every 8th bar. */
function eventsFrom(closes: readonly number[], rates: readonly number[]): StrategyEvent[] {
  const bars = barsFromCloses(closes, { instrumentId: BTC_PERP });
  const events: StrategyEvent[] = [];
  bars.forEach((bar, i) => {
    events.push(bar);
    if (i % 8 === 7) events.push(funding(rates[(i - 7) / 8] as number, bar.tsEvent + 1));
  });
  return events;
}

const baseEvents = eventsFrom(baseCloses, baseRates);

/** The same events up to index k; new, random closes and rates after it. */
function perturbAfter(k: number, seed: number): StrategyEvent[] {
  const head = baseEvents.slice(0, k + 1);
  const barsKept = head.filter((e) => e.type === "Bar").length;
  const ratesKept = head.length - barsKept;
  const lastClose = baseCloses[barsKept - 1] as number;
  const tail = randomWalkCloses(N - barsKept, seed, { start: lastClose, sigma: () => 0.03 });
  const newRates = randomWalkCloses(baseRates.length - ratesKept, seed + 1).map((x) => (x / 100 - 1) * 0.02);
  const events = eventsFrom(
    [...baseCloses.slice(0, barsKept), ...tail],
    [...baseRates.slice(0, ratesKept), ...newRates],
  );
  expect(events.slice(0, k + 1)).toEqual(head);
  return events;
}

const regime = SMALL_FEATURES.regime;
const cases: [string, Record<string, unknown>][] = [];

// A fixed model for the ml-selector (trained on another series: a model is an input like a parameter).
const selectorModel = walkForwardTrain({
  bars: barsFromCloses(randomWalkCloses(400, 99, { drift: phaseDrift, sigma: phaseSigma }), {
    instrumentId: BTC_PERP,
  }),
  candidates: [
    { name: "flat", params: {} },
    { name: "trend-following", params: { fast: 5, slow: 20, atrPeriod: 5 } },
    { name: "mean-reversion", params: { period: 10 } },
  ],
  features: SMALL_FEATURES,
  horizon: 5,
  trainBars: 200,
  testBars: 100,
  maxTrainSamples: 100,
  model: { kind: "random-forest", nEstimators: 5, maxDepth: 3 },
}).finalModel;
cases.push(["ml-selector", { model: selectorModel }]);

function run(
  name: string,
  params: Record<string, unknown>,
  events: readonly StrategyEvent[],
): readonly ReplayRecord[] {
  return replayStrategy(createStrategy(name, params, { instrumentId: BTC_PERP }), events, { regime }).intents;
}

const upTo = (records: readonly ReplayRecord[], k: number) => records.filter((r) => r.index <= k);

describe.each(cases)("no look-ahead: %s", (name, params) => {
  const baseline = run(name, params, baseEvents);

  it("emits intents on the base series", () => {
    expect(baseline.length).toBeGreaterThan(2);
  });

  it("intents at or before k do not change when the events after k change", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: baseEvents.length - 2 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (k, seed) => {
          expect(upTo(run(name, params, perturbAfter(k, seed)), k)).toEqual(upTo(baseline, k));
        },
      ),
      { numRuns: 25 },
    );
  });

  it("intents at or before k do not change when the events after k are removed", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: baseEvents.length - 1 }), (k) => {
        expect(run(name, params, baseEvents.slice(0, k + 1))).toEqual(upTo(baseline, k));
      }),
      { numRuns: 25 },
    );
  });

  it("is deterministic: a fresh instance and a reset instance give the same intents", () => {
    expect(run(name, params, baseEvents)).toEqual(baseline);
    const strategy = createStrategy(name, params, { instrumentId: BTC_PERP });
    const first = replayStrategy(strategy, baseEvents, { regime }).intents;
    strategy.reset?.();
    expect(replayStrategy(strategy, baseEvents, { regime }).intents).toEqual(first);
    expect(first).toEqual(baseline);
  });
});

// Each case retrains every fold several times: seconds of CPU, more on a busy machine.
describe("no look-ahead: walk-forward ML selection", { timeout: 60_000 }, () => {
  const bars = baseEvents.filter((e): e is Bar => e.type === "Bar");
  const input: WalkForwardInput = {
    bars,
    candidates: [
      { name: "flat", params: {} },
      { name: "buy-and-hold", params: {} },
      { name: "mean-reversion", params: { period: 10, allowShort: true } },
    ],
    features: SMALL_FEATURES,
    horizon: 5,
    trainBars: 120,
    testBars: 60,
    purgeBars: 6,
    embargoBars: 2,
    maxTrainSamples: 80,
    model: { kind: "random-forest", nEstimators: 5, maxDepth: 3 },
    trainFinalModel: false,
    keepFoldModels: true,
    seed: 11,
  };
  const base = walkForwardTrain(input);
  const decisionsUpTo = (r: typeof base, k: number) =>
    r.decisions.filter((d) => d.index <= k).map(({ label: _label, ...decision }) => decision);
  const firstTest = base.folds[0]!.testStart;
  const replaceAfter = (k: number, seed: number): Bar[] => {
    const tail = randomWalkCloses(N - k - 1, seed, { start: baseCloses[k] as number, sigma: () => 0.03 });
    return barsFromCloses([...baseCloses.slice(0, k + 1), ...tail], { instrumentId: BTC_PERP });
  };

  it("decisions at or before k do not change when later bars change or are removed", () => {
    expect(base.folds.length).toBeGreaterThan(3);
    fc.assert(
      fc.property(
        fc.integer({ min: firstTest, max: N - 2 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (k, seed) => {
          const changed = walkForwardTrain({ ...input, bars: replaceAfter(k, seed) });
          expect(decisionsUpTo(changed, k)).toEqual(decisionsUpTo(base, k));
          const truncated = walkForwardTrain({ ...input, bars: bars.slice(0, k + 1) });
          expect(decisionsUpTo(truncated, k)).toEqual(decisionsUpTo(base, k));
        },
      ),
      { numRuns: 6 },
    );
  });

  it("decisions at each fold's first test bars do not change when the bars after them change", () => {
    // The bars right after a fold starts are where a leaky label or purge would show first.
    for (const fold of base.folds) {
      for (const k of [fold.testStart, fold.testStart + 1]) {
        if (k >= N - 1) continue;
        const changed = walkForwardTrain({ ...input, bars: replaceAfter(k, k) });
        expect(decisionsUpTo(changed, k)).toEqual(decisionsUpTo(base, k));
      }
    }
  });

  it("a fold's model depends only on bars before its cut (test start minus embargo)", () => {
    for (const fold of base.folds.slice(0, 3)) {
      const changed = walkForwardTrain({ ...input, bars: replaceAfter(fold.cut - 1, fold.index + 7) });
      const same = changed.folds[fold.index]!;
      expect(JSON.stringify(same.model?.toJSON())).toEqual(JSON.stringify(fold.model?.toJSON()));
      // ...while the bars from the cut on did change the next fold's model.
      const next = changed.folds[fold.index + 1]!;
      expect(JSON.stringify(next.model?.toJSON())).not.toEqual(
        JSON.stringify(base.folds[fold.index + 1]!.model?.toJSON()),
      );
    }
  });

  it("is deterministic for the same bars and seed", () => {
    const again = walkForwardTrain(input);
    expect(again.decisions).toEqual(base.decisions);
  });
});
