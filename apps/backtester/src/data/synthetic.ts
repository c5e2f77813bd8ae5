import { createSeededRng, type InstrumentId, type Rng } from "@gpt/core";
import { BacktestError } from "../errors.js";
import type { BarSeries } from "./series.js";

/** Settings of the synthetic series. Every field has a default; all are deterministic given `seed`. */
export interface SyntheticOptions {
  /** The instrument the bars are for. */
  readonly instrumentId: InstrumentId;
  /** Seed of the generator; the same seed gives the same bars. */
  readonly seed: number;
  /** Number of bars (default 20,000). */
  readonly bars?: number;
  /** Bar length in ms (default one hour). */
  readonly intervalMs?: number;
  /** Open time of the first bar, unix ms (default 2024-01-01T00:00:00Z). */
  readonly startMs?: number;
  /** First open price (default 50,000). */
  readonly startPrice?: number;
  /** Price tick the prices are rounded to (default 0.01). */
  readonly tick?: number;
}

/**
 * The hidden market states. Each has a drift and a long-run volatility per hour; the chain stays in
 * a state for many bars, so trends, ranges and turbulent spells alternate as in real markets.
 */
const STATES = [
  { name: "calm", driftPerHour: 0, volPerHour: 0.004 },
  { name: "bull", driftPerHour: 0.0006, volPerHour: 0.006 },
  { name: "bear", driftPerHour: -0.0007, volPerHour: 0.008 },
  { name: "turbulent", driftPerHour: -0.0002, volPerHour: 0.018 },
] as const;
/** Probability per hour of leaving the current state (mean stay about 10 days). */
const LEAVE_PER_HOUR = 1 / 240;
/** GARCH(1,1) weights: shocks feed the next bar's variance, which decays back to the state's level. */
const GARCH_ALPHA = 0.08;
const GARCH_BETA = 0.9;
/** Jumps: probability per hour, and mean absolute size as a multiple of the current volatility. */
const JUMP_PER_HOUR = 0.004;
const JUMP_SIZE_SIGMAS = 6;

function normal(rng: Rng): number {
  // Box–Muller; 1 - u keeps the log argument in (0, 1].
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * A seeded, realistic bar series: a four-state Markov chain (calm, bull, bear, turbulent) sets the
 * drift and the long-run volatility, GARCH(1,1) adds volatility clustering, rare jumps add fat
 * tails (mostly downward), intrabar highs and lows spread around open and close by the bar's
 * volatility, and volume rises with the size of the move. Prices are rounded to `tick` and every
 * bar satisfies `low <= min(open, close) <= max(open, close) <= high`.
 *
 * Rates are given per hour and scaled to `intervalMs`, so 1-minute and 1-day series look alike in
 * character. The result has no gaps.
 */
export function generateSyntheticBars(options: SyntheticOptions): BarSeries {
  const n = options.bars ?? 20_000;
  const intervalMs = options.intervalMs ?? 3_600_000;
  const tick = options.tick ?? 0.01;
  if (!Number.isInteger(n) || n < 1)
    throw new BacktestError("bad-argument", `bars must be a positive integer, got ${n}`);
  if (!Number.isInteger(intervalMs) || intervalMs <= 0) {
    throw new BacktestError("bad-argument", `intervalMs must be a positive integer, got ${intervalMs}`);
  }
  const rng = createSeededRng(options.seed);
  const hours = intervalMs / 3_600_000;
  const sqrtHours = Math.sqrt(hours);
  const leave = 1 - (1 - LEAVE_PER_HOUR) ** hours;
  const jumpChance = 1 - (1 - JUMP_PER_HOUR) ** hours;
  const roundTick = (p: number): number => Math.max(tick, Math.round(p / tick) * tick);

  const tsOpen = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);

  let state = 0;
  let price = options.startPrice ?? 50_000;
  const start = options.startMs ?? Date.UTC(2024, 0, 1);
  let variance = (STATES[0].volPerHour * sqrtHours) ** 2;
  let lastShock = 0;
  for (let i = 0; i < n; i++) {
    if (rng.next() < leave)
      state = (state + 1 + Math.floor(rng.next() * (STATES.length - 1))) % STATES.length;
    const s = STATES[state] as (typeof STATES)[number];
    const longRun = (s.volPerHour * sqrtHours) ** 2;
    variance =
      longRun * (1 - GARCH_ALPHA - GARCH_BETA) + GARCH_ALPHA * lastShock * lastShock + GARCH_BETA * variance;
    const sigma = Math.sqrt(variance);
    let shock = sigma * normal(rng);
    if (rng.next() < jumpChance) {
      const size = JUMP_SIZE_SIGMAS * sigma * (0.5 + rng.next());
      shock += rng.next() < 0.7 ? -size : size;
    }
    lastShock = shock;
    const ret = s.driftPerHour * hours - 0.5 * variance + shock;
    const o = roundTick(price);
    const c = roundTick(o * Math.exp(ret));
    const up = Math.abs(normal(rng)) * sigma * 0.6;
    const down = Math.abs(normal(rng)) * sigma * 0.6;
    tsOpen[i] = start + i * intervalMs;
    open[i] = o;
    close[i] = c;
    high[i] = Math.max(roundTick(Math.max(o, c) * Math.exp(up)), o, c);
    low[i] = Math.min(roundTick(Math.min(o, c) * Math.exp(-down)), o, c);
    volume[i] =
      Math.round(
        100 * hours * (1 + (4 * Math.abs(shock)) / (sigma || 1)) * Math.exp(0.3 * normal(rng)) * 1e4,
      ) / 1e4;
    price = c;
  }
  return {
    instrumentId: options.instrumentId,
    source: `synthetic(seed=${options.seed})`,
    intervalMs,
    length: n,
    tsOpen,
    open,
    high,
    low,
    close,
    volume,
    gaps: [],
  };
}
