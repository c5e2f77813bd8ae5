/**
 * The `StreamingIndicator` contract, checked uniformly for every indicator: explicit warm-up of
 * exactly `warmUpPeriod` updates, bad input rejected with a typed error and no state change,
 * `reset()` equivalent to a fresh instance, determinism, and no NaN/Infinity in values.
 */
import { describe, expect, it } from "vitest";
import {
  Adx,
  Atr,
  BollingerBands,
  CloseToCloseVolatility,
  EfficiencyRatio,
  Ema,
  GarmanKlassVolatility,
  Macd,
  type OhlcvBar,
  ParkinsonVolatility,
  RangeEfficiencyRatio,
  RegimeError,
  RollingHurst,
  RollingZScore,
  Rsi,
  Sma,
  type StreamingIndicator,
  Vwap,
  WilderAverage,
  Wma,
} from "./index.js";
import { syntheticBars } from "./testing/series.js";

type AnyIndicator = StreamingIndicator<never, unknown>;
interface Case {
  readonly name: string;
  readonly make: () => AnyIndicator;
  /** How to turn a bar into this indicator's input. */
  readonly input: (bar: OhlcvBar) => unknown;
  /** Inputs that must be rejected. */
  readonly bad: readonly unknown[];
}

const close = (b: OhlcvBar): unknown => b.close;
const bar = (b: OhlcvBar): unknown => b;
const badNumbers = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
const badPrices = [...badNumbers, 0, -1];
const goodBar: OhlcvBar = { open: 100, high: 101, low: 99, close: 100.5, volume: 3 };
const badBars: OhlcvBar[] = [
  { ...goodBar, high: Number.NaN },
  { ...goodBar, low: Number.POSITIVE_INFINITY },
  { ...goodBar, close: Number.NaN },
  { ...goodBar, high: 98 },
];

const CASES: readonly Case[] = [
  { name: "Sma", make: () => new Sma({ period: 7 }) as AnyIndicator, input: close, bad: badNumbers },
  { name: "Ema(sma)", make: () => new Ema({ period: 7 }) as AnyIndicator, input: close, bad: badNumbers },
  {
    name: "Ema(first)",
    make: () => new Ema({ period: 7, seed: "first" }) as AnyIndicator,
    input: close,
    bad: badNumbers,
  },
  {
    name: "WilderAverage",
    make: () => new WilderAverage({ period: 5 }) as AnyIndicator,
    input: close,
    bad: badNumbers,
  },
  { name: "Wma", make: () => new Wma({ period: 7 }) as AnyIndicator, input: close, bad: badNumbers },
  { name: "Rsi", make: () => new Rsi({ period: 7 }) as AnyIndicator, input: close, bad: badNumbers },
  { name: "Atr(skip)", make: () => new Atr({ period: 7 }) as AnyIndicator, input: bar, bad: badBars },
  {
    name: "Atr(high-low)",
    make: () => new Atr({ period: 7, firstBar: "high-low" }) as AnyIndicator,
    input: bar,
    bad: badBars,
  },
  { name: "Adx", make: () => new Adx({ period: 7 }) as AnyIndicator, input: bar, bad: badBars },
  {
    name: "BollingerBands",
    make: () => new BollingerBands({ period: 9 }) as AnyIndicator,
    input: close,
    bad: badNumbers,
  },
  {
    name: "Macd",
    make: () => new Macd({ fastPeriod: 3, slowPeriod: 6, signalPeriod: 4 }) as AnyIndicator,
    input: close,
    bad: badNumbers,
  },
  {
    name: "CloseToCloseVolatility",
    make: () => new CloseToCloseVolatility({ period: 8, barsPerYear: 8760 }) as AnyIndicator,
    input: close,
    bad: badPrices,
  },
  {
    name: "CloseToCloseVolatility(zero mean)",
    make: () => new CloseToCloseVolatility({ period: 8, demean: false }) as AnyIndicator,
    input: close,
    bad: badPrices,
  },
  {
    name: "ParkinsonVolatility",
    make: () => new ParkinsonVolatility({ period: 8 }) as AnyIndicator,
    input: bar,
    bad: [...badBars, { ...goodBar, low: 0 }, { ...goodBar, open: -1 }],
  },
  {
    name: "GarmanKlassVolatility",
    make: () => new GarmanKlassVolatility({ period: 8 }) as AnyIndicator,
    input: bar,
    bad: [...badBars, { ...goodBar, low: 0 }, { ...goodBar, open: -1 }],
  },
  {
    name: "RollingZScore",
    make: () => new RollingZScore({ period: 8 }) as AnyIndicator,
    input: close,
    bad: badNumbers,
  },
  {
    name: "EfficiencyRatio",
    make: () => new EfficiencyRatio({ period: 8 }) as AnyIndicator,
    input: close,
    bad: badNumbers,
  },
  {
    name: "RangeEfficiencyRatio",
    make: () => new RangeEfficiencyRatio({ period: 8 }) as AnyIndicator,
    input: bar,
    bad: badBars,
  },
  {
    name: "RollingHurst",
    make: () => new RollingHurst({ window: 12, lags: [1, 2, 4] }) as AnyIndicator,
    input: close,
    bad: badPrices,
  },
  {
    name: "Vwap",
    make: () => new Vwap() as AnyIndicator,
    input: bar,
    bad: [...badBars, { ...goodBar, volume: -1 }, { ...goodBar, volume: Number.NaN }],
  },
  {
    name: "Vwap(window)",
    make: () => new Vwap({ window: 5 }) as AnyIndicator,
    input: bar,
    bad: [...badBars, { ...goodBar, volume: -1 }],
  },
];

const bars = syntheticBars({ count: 200, seed: 7, sigma: 0.01 });

function feed(ind: AnyIndicator, input: (b: OhlcvBar) => unknown, from: number, to: number): unknown[] {
  const out: unknown[] = [];
  const update = ind.update.bind(ind) as (x: unknown) => unknown;
  for (let i = from; i < to; i++) {
    const v = update(input(bars[i] as OhlcvBar));
    out.push(typeof v === "object" && v !== null ? { ...v } : v);
  }
  return out;
}

function finiteDeep(v: unknown): boolean {
  if (typeof v === "number") return Number.isFinite(v);
  if (typeof v === "object" && v !== null) return Object.values(v).every(finiteDeep);
  return false;
}

describe.each(CASES)("$name", ({ make, input, bad }) => {
  it("is undefined for exactly warmUpPeriod - 1 updates, then ready with finite values", () => {
    const ind = make();
    expect(ind.isReady).toBe(false);
    expect(ind.value).toBeUndefined();
    const update = ind.update.bind(ind) as (x: unknown) => unknown;
    for (let i = 0; i < bars.length; i++) {
      const v = update(input(bars[i] as OhlcvBar));
      expect(ind.updateCount).toBe(i + 1);
      if (i < ind.warmUpPeriod - 1) {
        expect(v).toBeUndefined();
        expect(ind.value).toBeUndefined();
        expect(ind.isReady).toBe(false);
      } else {
        expect(ind.isReady).toBe(true);
        expect(v).toBeDefined();
        expect(ind.value).toEqual(v);
        expect(finiteDeep(v)).toBe(true);
      }
    }
  });

  it("rejects bad input with RegimeError(invalid-input) and keeps its state", () => {
    const clean = make();
    const dirty = make();
    const expected = feed(clean, input, 0, 60);
    const got = feed(dirty, input, 0, 30);
    const update = dirty.update.bind(dirty) as (x: unknown) => unknown;
    for (const b of bad) {
      let caught: unknown;
      try {
        update(b);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(RegimeError);
      expect((caught as RegimeError).code).toBe("invalid-input");
      expect((caught as RegimeError).name).toBe("RegimeError");
      expect(typeof (caught as RegimeError).field).toBe("string");
    }
    expect(dirty.updateCount).toBe(30);
    got.push(...feed(dirty, input, 30, 60));
    expect(got).toEqual(expected);
  });

  it("reset() behaves like a fresh instance and the same input gives the same output", () => {
    const a = make();
    feed(a, input, 0, 150);
    a.reset();
    expect(a.isReady).toBe(false);
    expect(a.value).toBeUndefined();
    expect(a.updateCount).toBe(0);
    const fresh = make();
    expect(feed(a, input, 20, 200)).toEqual(feed(fresh, input, 20, 200));
  });
});
