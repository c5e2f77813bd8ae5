/**
 * The no-look-ahead proof: a decision at event k depends only on events 0..k. For every built-in
 * strategy, changing or removing everything after a random k
 * leaves every intent emitted at or before k identical. Also: determinism (same input, same output).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ReplayRecord, replayStrategy, type StrategyEvent } from "./context.js";
import { createStrategy } from "./registry.js";
import { BTC_PERP, barsFromCloses, funding, randomWalkCloses, SMALL_FEATURES } from "./test-support.js";

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
const cases: [string, Record<string, unknown>][] = [
  ["sma-cross", { fast: 5, slow: 20 }],
  ["trend-following", { fast: 5, slow: 20, atrPeriod: 5, allowShort: true }],
  ["breakout", { entryPeriod: 10, exitPeriod: 5, atrPeriod: 5, atrMultiplier: 1, allowShort: true }],
  ["mean-reversion", { period: 10, entryZ: 1.5, exitZ: 0.3, stopZ: 3, allowShort: true }],
  ["funding-carry", { window: 2, entryAnnualized: 0.2, exitAnnualized: 0.05, trendPeriod: 10 }],
  [
    "regime-switch",
    {
      trendParams: { fast: 5, slow: 20, atrPeriod: 5 },
      rangeParams: { period: 10 },
      highVolatility: "range",
    },
  ],
  ["buy-and-hold", {}],
  ["flat", {}],
];

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
    expect(baseline.length).toBeGreaterThan(name === "buy-and-hold" || name === "flat" ? 0 : 2);
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
