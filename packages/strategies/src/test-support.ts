// Shared fixtures for this package's tests and bench (not exported from the package index).
import {
  type Bar,
  createBar,
  createSeededRng,
  type FundingRate,
  HOUR_MS,
  type InstrumentId,
  instrumentId,
} from "@gpt/core";
import type { ReplayRecord } from "./context.js";
import type { Direction, TargetPositionIntent } from "./types.js";

/** BTC-USD on Coinbase. */
export const BTC: InstrumentId = instrumentId("BTC-USD", "COINBASE");
/** A perpetual-style instrument id. */
export const BTC_PERP: InstrumentId = instrumentId("BIP-20DEC30-CDE", "COINBASE");
/** 2024-01-01T00:00:00Z. */
export const T0 = Date.UTC(2024, 0, 1);

/** Options of the bar builders. */
export interface BarOptions {
  readonly instrumentId?: InstrumentId;
  readonly intervalMs?: number;
  readonly start?: number;
  /** High/low extend this fraction beyond max/min(open, close) (default 0.001). */
  readonly spread?: number;
}

/** Bars whose closes are the given series (open = previous close). */
export function barsFromCloses(closes: readonly number[], options: BarOptions = {}): Bar[] {
  const id = options.instrumentId ?? BTC;
  const interval = options.intervalMs ?? HOUR_MS;
  const start = options.start ?? T0;
  const spread = options.spread ?? 0.001;
  return closes.map((close, i) => {
    const open = i === 0 ? close : (closes[i - 1] as number);
    return createBar({
      instrumentId: id,
      intervalMs: interval,
      tsOpen: start + i * interval,
      open,
      high: Math.max(open, close) * (1 + spread),
      low: Math.min(open, close) * (1 - spread),
      close,
      volume: 1,
    });
  });
}

/** Bars from explicit [open, high, low, close] rows. */
export function barsFromOhlc(
  rows: readonly (readonly [number, number, number, number])[],
  options: BarOptions = {},
): Bar[] {
  const id = options.instrumentId ?? BTC;
  const interval = options.intervalMs ?? HOUR_MS;
  const start = options.start ?? T0;
  return rows.map(([open, high, low, close], i) =>
    createBar({
      instrumentId: id,
      intervalMs: interval,
      tsOpen: start + i * interval,
      open,
      high,
      low,
      close,
      volume: 1,
    }),
  );
}

/** A seeded geometric random walk (with optional per-bar drift and volatility). */
export function randomWalkCloses(
  count: number,
  seed: number,
  options: { start?: number; drift?: (i: number) => number; sigma?: (i: number) => number } = {},
): number[] {
  const rng = createSeededRng(seed);
  const normal = (): number => {
    const u = 1 - rng.next();
    const v = rng.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const out: number[] = [];
  let close = options.start ?? 100;
  for (let i = 0; i < count; i++) {
    close *= Math.exp((options.drift?.(i) ?? 0) + (options.sigma?.(i) ?? 0.01) * normal());
    out.push(close);
  }
  return out;
}

/** A random walk with alternating trending and ranging stretches (good for regime-driven tests). */
export function regimeWalkBars(count: number, seed: number, options: BarOptions = {}): Bar[] {
  const closes = randomWalkCloses(count, seed, {
    drift: (i) => {
      const phase = Math.floor(i / 150) % 4;
      return phase === 0 ? 0.004 : phase === 2 ? -0.004 : 0;
    },
    sigma: (i) => (Math.floor(i / 150) % 4 === 3 ? 0.02 : 0.008),
  });
  return barsFromCloses(closes, options);
}

/** A funding observation. */
export function funding(
  rate: number,
  tsEvent: number,
  options: { instrumentId?: InstrumentId; intervalMs?: number } = {},
): FundingRate {
  const intervalMs = options.intervalMs ?? 8 * HOUR_MS;
  return {
    type: "FundingRate",
    instrumentId: options.instrumentId ?? BTC_PERP,
    rate,
    intervalMs,
    fundingTime: tsEvent,
    tsEvent,
    tsInit: tsEvent,
  };
}

/** The TargetPosition intents of a replay with their event index. */
export function targets(records: readonly ReplayRecord[]): { index: number; target: TargetPositionIntent }[] {
  return records.flatMap((r) =>
    r.intent.type === "TargetPosition" ? [{ index: r.index, target: r.intent }] : [],
  );
}

/** `[index, direction]` pairs of a replay's targets. */
export function directionPath(records: readonly ReplayRecord[]): [number, Direction][] {
  return targets(records).map(({ index, target }) => [index, target.direction]);
}

/** Small feature windows so ML tests warm up in ~20 bars (regime classifier windows of 5-20 bars). */
export const SMALL_FEATURES = {
  regime: {
    barsPerYear: 8760,
    adxPeriod: 5,
    efficiencyPeriod: 5,
    emaFastPeriod: 5,
    emaSlowPeriod: 10,
    shortVolWindow: 5,
    longVolHalfLife: 20,
    drawdownWindow: 5,
  },
  returnLookbacks: [1, 3],
  zScorePeriod: 5,
  rsiPeriod: 5,
  atrPeriod: 5,
} as const;
