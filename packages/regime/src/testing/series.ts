/**
 * Deterministic synthetic series for unit tests and benches (not exported from the package).
 * No `Math.random()`: everything comes from a seeded xorshift generator.
 */
import type { OhlcvBar } from "../types.js";

/** A seeded uniform generator in (0, 1) (xorshift32). */
function seededUniform(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) + 0.5) / 4_294_967_296;
  };
}

/** A seeded standard normal generator (Box-Muller over `seededUniform`). */
export function seededNormal(seed: number): () => number {
  const u = seededUniform(seed);
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** Options of `syntheticBars`. */
export interface SyntheticBarsOptions {
  readonly count: number;
  readonly seed: number;
  readonly start?: number;
  /** Per-bar log drift, constant or per index. */
  readonly drift?: number | ((i: number) => number);
  /** Per-bar log volatility, constant or per index. */
  readonly sigma?: number | ((i: number) => number);
  readonly tsStart?: number;
  readonly tsStep?: number;
}

/** Geometric random-walk bars with consistent OHLC (high >= max(open, close), low <= min). */
export function syntheticBars(options: SyntheticBarsOptions): OhlcvBar[] {
  const normal = seededNormal(options.seed);
  const uniform = seededUniform(options.seed ^ 0x5bd1e995);
  const drift = options.drift ?? 0;
  const sigmaOption = options.sigma ?? 0.001;
  const driftOf = typeof drift === "function" ? drift : () => drift;
  const sigmaOf = typeof sigmaOption === "function" ? sigmaOption : () => sigmaOption;
  const bars: OhlcvBar[] = [];
  let close = options.start ?? 100;
  for (let i = 0; i < options.count; i++) {
    const sigma = sigmaOf(i);
    const open = close;
    close = open * Math.exp(driftOf(i) + sigma * normal());
    const high = Math.max(open, close) * Math.exp(sigma * 0.5 * Math.abs(normal()));
    const low = Math.min(open, close) * Math.exp(-sigma * 0.5 * Math.abs(normal()));
    bars.push({
      open,
      high,
      low,
      close,
      volume: 1 + 9 * uniform(),
      tsEvent: (options.tsStart ?? 0) + (options.tsStep ?? 60) * i,
    });
  }
  return bars;
}
