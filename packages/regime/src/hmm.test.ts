import { describe, expect, it } from "vitest";
import {
  fitHmmRegimeModel,
  HmmRegimeClassifier,
  type HmmRegimeModel,
  type OhlcvBar,
  REGIMES,
  RegimeError,
  type RegimeReading,
  snapshotReading,
} from "./index.js";
import { syntheticBars } from "./testing/series.js";

const CONFIG = { barsPerYear: 8760, longVolHalfLife: 100 } as const;

/** Segments of 300 bars cycling calm, up-trend, calm, down-trend, volatile, crash-and-rebound. */
const segment = (i: number): number => Math.floor(i / 300) % 6;
const bars: OhlcvBar[] = syntheticBars({
  count: 7200,
  seed: 31,
  sigma: (i) => [0.004, 0.004, 0.004, 0.004, 0.012, 0.01][segment(i)] as number,
  drift: (i) => {
    const s = segment(i);
    if (s === 1) return 0.002;
    if (s === 3) return -0.002;
    if (s === 5) return i % 300 < 40 ? -0.012 : 0.0016;
    return 0;
  },
});

function run(classifier: HmmRegimeClassifier, input: readonly OhlcvBar[]): (RegimeReading | undefined)[] {
  return input.map((b) => {
    const r = classifier.update(b);
    return r === undefined ? undefined : snapshotReading(r);
  });
}

describe("fitHmmRegimeModel", () => {
  const model = fitHmmRegimeModel(bars, CONFIG);

  it("increases the log-likelihood at every EM iteration", () => {
    const h = model.logLikelihoodHistory;
    expect(h.length).toBeGreaterThan(2);
    for (let i = 1; i < h.length; i++)
      expect(h[i] as number).toBeGreaterThanOrEqual((h[i - 1] as number) - 1e-6);
  });

  it("produces a valid, fully named model", () => {
    expect([...model.stateRegimes].sort()).toEqual([...REGIMES].sort());
    for (const row of model.transition) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(model.initial.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const row of model.variances) for (const v of row) expect(v).toBeGreaterThanOrEqual(1e-3);
    expect(model.observations).toBe(bars.length - 100);
  });

  it("is deterministic", () => {
    expect(fitHmmRegimeModel(bars, CONFIG)).toEqual(model);
  });

  it("names the crash state crisis and the calm ones otherwise", () => {
    const crisis = model.stateRegimes.indexOf("crisis");
    const range = model.stateRegimes.indexOf("range");
    // Crisis state: the deepest drawdown and a high volatility ratio; range: the calmest.
    const means = model.means as number[][];
    expect(means[crisis]?.[2]).toBe(Math.min(...means.map((m) => m[2] as number)));
    expect(means[crisis]?.[1] as number).toBeGreaterThan(means[range]?.[1] as number);
  });

  it("rejects too little data and bad options", () => {
    expect(() => fitHmmRegimeModel(bars.slice(0, 120), CONFIG)).toThrowError(
      expect.objectContaining({ code: "invalid-input", field: "bars" }),
    );
    expect(() => fitHmmRegimeModel(bars, CONFIG, { selfTransition: 1 })).toThrowError(
      expect.objectContaining({ field: "selfTransition" }),
    );
    expect(() => fitHmmRegimeModel(bars, { barsPerYear: -1 })).toThrowError(RegimeError);
  });
});

describe("HmmRegimeClassifier", () => {
  const model = fitHmmRegimeModel(bars.slice(0, 3600), CONFIG);

  it("reads crashes mostly as crisis, trends as trends, and calm stretches never as crisis", () => {
    const readings = run(new HmmRegimeClassifier(model), bars);
    const tally = (keep: (i: number) => boolean, ...regimes: string[]): number => {
      let hit = 0;
      let n = 0;
      for (let i = 600; i < bars.length; i++) {
        if (!keep(i)) continue;
        n++;
        if (regimes.includes(readings[i]?.regime as string)) hit++;
      }
      return hit / n;
    };
    const crash = (i: number) => segment(i) === 5 && i % 300 >= 10 && i % 300 < 40;
    expect(tally(crash, "crisis")).toBeGreaterThan(0.5);
    // The rest of a crash reads high volatility or trend-down (a steep fall is also a down trend).
    expect(tally(crash, "crisis", "high-volatility", "trend-down")).toBeGreaterThan(0.95);
    const settled = (s: number) => (i: number) => segment(i) === s && i % 300 >= 60;
    expect(tally(settled(1), "trend-up")).toBeGreaterThan(0.9);
    expect(tally(settled(3), "trend-down")).toBeGreaterThan(0.9);
    expect(tally(settled(0), "crisis")).toBe(0);
  });

  it("keeps confidence and posteriors in range, switches only on a confident posterior", () => {
    const c = new HmmRegimeClassifier(model, { switchProbability: 0.8, minDwellBars: 3 });
    let previous: RegimeReading | undefined;
    for (const b of bars) {
      const r = c.update(b);
      if (r === undefined) continue;
      const probs = c.regimeProbabilities;
      expect(probs.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 9);
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
      expect(r.confidence).toBe(probs[REGIMES.indexOf(r.regime)]);
      if (previous !== undefined && previous.regime !== r.regime) {
        expect(r.confidence).toBeGreaterThanOrEqual(0.8);
        expect(previous.barsInRegime).toBeGreaterThanOrEqual(3);
      }
      previous = snapshotReading(r);
    }
  });

  it("gives the same readings from a JSON round trip of the model, and after reset()", () => {
    const a = new HmmRegimeClassifier(model);
    const first = run(a, bars);
    const b = new HmmRegimeClassifier(JSON.parse(JSON.stringify(model)) as unknown);
    expect(run(b, bars)).toEqual(first);
    a.reset();
    expect(a.isReady).toBe(false);
    expect(run(a, bars)).toEqual(first);
    expect(first.findIndex((r) => r !== undefined)).toBe(a.warmUpPeriod - 1);
  });

  it("rejects a malformed model naming the field", () => {
    const broken = { ...model, transition: model.transition.map((row, i) => (i === 2 ? row.slice(1) : row)) };
    expect(() => new HmmRegimeClassifier(broken)).toThrowError(
      expect.objectContaining({ code: "invalid-config", field: "transition.2" }),
    );
    const negative: HmmRegimeModel = { ...model, variances: [[-1, 1, 1], ...model.variances.slice(1)] };
    expect(() => new HmmRegimeClassifier(negative)).toThrowError(
      expect.objectContaining({ field: "variances.0.0", value: -1 }),
    );
    expect(() => new HmmRegimeClassifier(model, { switchProbability: 0.4 })).toThrowError(
      expect.objectContaining({ field: "switchProbability" }),
    );
  });
});
