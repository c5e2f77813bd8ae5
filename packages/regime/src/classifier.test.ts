import { describe, expect, it } from "vitest";
import {
  createRegimeClassifier,
  type OhlcvBar,
  REGIMES,
  type Regime,
  RegimeError,
  type RegimeReading,
  RuleBasedRegimeClassifier,
  snapshotReading,
} from "./index.js";
import { seededNormal, syntheticBars } from "./testing/series.js";

/** Hourly defaults with a shorter long-run half-life so synthetic tests stay small. */
const CONFIG = { barsPerYear: 8760, longVolHalfLife: 200 } as const;

function classify(bars: readonly OhlcvBar[], config: object = CONFIG): (RegimeReading | undefined)[] {
  const c = new RuleBasedRegimeClassifier({ ...CONFIG, ...config });
  return bars.map((b) => {
    const r = c.update(b);
    return r === undefined ? undefined : snapshotReading(r);
  });
}

function share(
  readings: readonly (RegimeReading | undefined)[],
  from: number,
  to: number,
  ...regimes: Regime[]
) {
  let hit = 0;
  for (let i = from; i < to; i++) if (regimes.includes(readings[i]?.regime as Regime)) hit++;
  return hit / (to - from);
}

function meanReverting(count: number, seed: number): OhlcvBar[] {
  const normal = seededNormal(seed);
  const bars: OhlcvBar[] = [];
  let x = 0;
  let previous = 100;
  for (let i = 0; i < count; i++) {
    x = 0.8 * x + 0.005 * normal();
    const close = 100 * Math.exp(x);
    bars.push({
      open: previous,
      high: Math.max(previous, close) * 1.001,
      low: Math.min(previous, close) * 0.999,
      close,
      volume: 1,
    });
    previous = close;
  }
  return bars;
}

describe("RuleBasedRegimeClassifier on synthetic series", () => {
  it("calls a steady rise trend-up and a steady fall trend-down", () => {
    const up = classify(
      syntheticBars({ count: 800, seed: 1, sigma: 0.005, drift: (i) => (i < 400 ? 0 : 0.003) }),
    );
    expect(share(up, 450, 800, "trend-up")).toBeGreaterThan(0.9);
    const down = classify(
      syntheticBars({ count: 800, seed: 2, sigma: 0.005, drift: (i) => (i < 400 ? 0 : -0.003) }),
    );
    expect(share(down, 450, 800, "trend-down")).toBeGreaterThan(0.9);
  });

  it("calls a mean-reverting series range", () => {
    const r = classify(meanReverting(1500, 5));
    expect(share(r, 400, 1500, "range")).toBeGreaterThan(0.9);
  });

  it("calls a volatility burst high-volatility, and a crash crisis", () => {
    const burst = classify(
      syntheticBars({
        count: 580,
        seed: 1,
        sigma: (i) => (i < 500 ? 0.004 : 0.012),
        drift: (i) => (i < 500 ? 0 : 0.004),
      }),
    );
    expect(share(burst, 510, 580, "high-volatility")).toBeGreaterThan(0.9);
    expect(share(burst, 300, 495, "high-volatility", "crisis")).toBe(0);

    const crash = classify(
      syntheticBars({
        count: 560,
        seed: 4,
        sigma: (i) => (i < 500 ? 0.004 : 0.01),
        drift: (i) => (i < 500 ? 0 : -0.012),
      }),
    );
    expect(share(crash, 505, 560, "crisis")).toBeGreaterThan(0.9);
    expect(share(crash, 300, 495, "crisis")).toBe(0);
  });

  it("is silent for warmUpPeriod - 1 bars, then reads on every bar", () => {
    const c = new RuleBasedRegimeClassifier(CONFIG);
    const bars = syntheticBars({ count: 300, seed: 9 });
    expect(c.warmUpPeriod).toBe(201);
    bars.forEach((b, i) => {
      const r = c.update(b);
      expect(r === undefined).toBe(i < c.warmUpPeriod - 1);
      expect(c.isReady).toBe(i >= c.warmUpPeriod - 1);
    });
    expect(c.updateCount).toBe(300);
  });
});

describe("hysteresis, confidence and bookkeeping", () => {
  const bars = syntheticBars({
    count: 6000,
    seed: 12,
    sigma: (i) => (Math.floor(i / 700) % 4 === 3 ? 0.012 : 0.004),
    drift: (i) => [0, 0.002, 0, -0.002, 0, -0.008][Math.floor(i / 500) % 6] as number,
    tsStart: 1_000_000,
    tsStep: 3600,
  });
  const readings = classify(bars);

  it("switches less often than the raw regime and only after dwell + confirmation (crisis excepted)", () => {
    const { minDwellBars, confirmBars } = new RuleBasedRegimeClassifier(CONFIG).config.hysteresis;
    let switches = 0;
    let rawSwitches = 0;
    for (let i = 1; i < readings.length; i++) {
      const prev = readings[i - 1];
      const cur = readings[i];
      if (prev === undefined || cur === undefined) continue;
      if (cur.rawRegime !== prev.rawRegime) rawSwitches++;
      if (cur.regime === prev.regime) {
        expect(cur.barsInRegime).toBe(prev.barsInRegime + 1);
        expect(cur.since).toBe(prev.since);
        continue;
      }
      switches++;
      expect(cur.barsInRegime).toBe(1);
      expect(cur.since).toBe(i);
      expect(cur.sinceTsEvent).toBe(bars[i]?.tsEvent);
      expect(cur.rawRegime).toBe(cur.regime);
      if (cur.regime !== "crisis") {
        expect(prev.barsInRegime).toBeGreaterThanOrEqual(minDwellBars);
        for (let k = 1; k < confirmBars; k++) expect(readings[i - k]?.rawRegime).toBe(cur.regime);
      }
    }
    expect(switches).toBeGreaterThan(5);
    expect(switches).toBeLessThan(rawSwitches);
  });

  it("visits every regime on a series that has every kind of stretch", () => {
    const seen = new Set(readings.map((r) => r?.regime).filter((r) => r !== undefined));
    expect([...seen].sort()).toEqual([...REGIMES].sort());
  });

  it("keeps confidence in [0, 1] and every feature finite", () => {
    for (const r of readings) {
      if (r === undefined) continue;
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
      for (const v of Object.values(r.features)) expect(Number.isFinite(v)).toBe(true);
      expect(r.features.drawdown).toBeLessThanOrEqual(0);
    }
    const confidences = readings.filter((r) => r !== undefined).map((r) => r.confidence);
    expect(Math.max(...confidences)).toBe(1);
    expect(Math.min(...confidences)).toBeLessThan(0.5);
  });

  it("is deterministic", () => {
    expect(classify(bars)).toEqual(readings);
  });

  it("reset() behaves like a fresh classifier", () => {
    const c = new RuleBasedRegimeClassifier(CONFIG);
    for (const b of bars.slice(0, 3000)) c.update(b);
    c.reset();
    expect(c.isReady).toBe(false);
    expect(c.value).toBeUndefined();
    const again = bars.map((b) => {
      const r = c.update(b);
      return r === undefined ? undefined : snapshotReading(r);
    });
    expect(again).toEqual(readings);
  });
});

describe("inputs and outputs", () => {
  it("rejects a bad bar with RegimeError and keeps its state", () => {
    const bars = syntheticBars({ count: 400, seed: 3 });
    const clean = classify(bars);
    const c = createRegimeClassifier(CONFIG);
    const out: (RegimeReading | undefined)[] = [];
    bars.forEach((b, i) => {
      if (i === 250) {
        for (const bad of [
          { ...b, close: Number.NaN },
          { ...b, high: b.low - 1 },
          { ...b, low: 0 },
        ]) {
          expect(() => c.update(bad)).toThrowError(RegimeError);
        }
      }
      const r = c.update(b);
      out.push(r === undefined ? undefined : snapshotReading(r));
    });
    expect(out).toEqual(clean);
  });

  it("rejects an invalid config with a typed error", () => {
    expect(() => new RuleBasedRegimeClassifier({ barsPerYear: 0 })).toThrowError(
      expect.objectContaining({ code: "invalid-config", field: "barsPerYear", value: 0 }),
    );
  });

  it("reuses one reading object; snapshotReading detaches a copy", () => {
    const c = new RuleBasedRegimeClassifier(CONFIG);
    const bars = syntheticBars({ count: 260, seed: 4 });
    let first: RegimeReading | undefined;
    let copy: RegimeReading | undefined;
    for (const b of bars) {
      const r = c.update(b);
      if (r !== undefined && first === undefined) {
        first = r;
        copy = snapshotReading(r);
      }
    }
    expect(c.value).toBe(first);
    expect(copy?.features).not.toBe(first?.features);
    expect(copy?.since).toBe(200);
    expect(copy?.barsInRegime).toBe(1);
  });

  it("without crisisImmediate, a crisis waits for confirmation like any regime", () => {
    const bars = syntheticBars({
      count: 560,
      seed: 4,
      sigma: (i) => (i < 500 ? 0.004 : 0.01),
      drift: (i) => (i < 500 ? 0 : -0.012),
    });
    const immediate = classify(bars);
    const delayed = classify(bars, {
      hysteresis: { crisisImmediate: false, confirmBars: 5, minDwellBars: 1 },
    });
    const firstCrisis = (rs: (RegimeReading | undefined)[]) => rs.findIndex((r) => r?.regime === "crisis");
    expect(firstCrisis(immediate)).toBeGreaterThan(0);
    expect(firstCrisis(delayed)).toBeGreaterThanOrEqual(firstCrisis(immediate) + 4);
  });
});
