import { createSeededRng } from "@gpt/core";
import type { SimBar, SimSeries } from "./bars.js";
import type { SimProductSpec } from "./products.js";

/** A point of the replayed price path. */
export interface PathPoint {
  /** Unix milliseconds. */
  readonly time: number;
  /** The price. */
  readonly price: number;
  /** The bar's volume share at this point (base units). */
  readonly size: number;
}

/** One level of the synthetic book. */
export interface SimLevel {
  /** Price, on the tick. */
  readonly price: number;
  /** Size, on the size step (contracts for futures). */
  readonly size: number;
}

/** How many levels a side of the synthetic book has. */
const BOOK_DEPTH = 20;

/**
 * The replayed market of one product: the bar series walked as open → nearer extreme → farther
 * extreme → close (the paper engine's intrabar path), the price at any time on that path, the
 * completed bars, and a synthetic L2 book around the current price, all deterministic for a seed.
 */
export class ProductMarket {
  readonly spec: SimProductSpec;
  readonly series: SimSeries;
  readonly #intervalMs: number;
  readonly #tick: number;
  readonly #step: number;
  readonly #contract: number;
  readonly #seed: number;

  constructor(spec: SimProductSpec, series: SimSeries, seed: number) {
    this.spec = spec;
    this.series = series;
    this.#intervalMs = series.intervalSeconds * 1000;
    this.#tick = Number(spec.priceIncrement);
    this.#step = Number(spec.baseIncrement);
    this.#contract = Number(spec.contractSize ?? "1");
    this.#seed = seed;
  }

  /** The bar length in milliseconds. */
  get intervalMs(): number {
    return this.#intervalMs;
  }

  /** The open of the first bar, Unix milliseconds. */
  get startMs(): number {
    return (this.series.bars[0]?.time ?? 0) * 1000;
  }

  /** The index of the bar containing `timeMs` (the last bar that opened at or before it), or -1. */
  barIndexAt(timeMs: number): number {
    const bars = this.series.bars;
    let lo = 0;
    let hi = bars.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((bars[mid]?.time ?? 0) * 1000 <= timeMs) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** The four path points of a bar, at 0, ⅓, ⅔ and the end (minus 1 ms) of its interval. */
  #vertices(bar: SimBar): PathPoint[] {
    const t0 = bar.time * 1000;
    const lowFirst = Math.abs(bar.open - bar.low) <= Math.abs(bar.high - bar.open);
    const [first, second] = lowFirst ? [bar.low, bar.high] : [bar.high, bar.low];
    const size = this.#sizeOf(bar.volume / 4, bar.close);
    return [
      { time: t0, price: bar.open, size },
      { time: t0 + Math.floor(this.#intervalMs / 3), price: first, size },
      { time: t0 + Math.floor((2 * this.#intervalMs) / 3), price: second, size },
      { time: t0 + this.#intervalMs - 1, price: bar.close, size },
    ];
  }

  /** Base volume → size on the step (contracts for futures), at least one step. */
  #sizeOf(baseVolume: number, _price: number): number {
    const units = baseVolume / this.#contract;
    const steps = Math.max(1, Math.floor(units / this.#step));
    return Number((steps * this.#step).toFixed(decimalsOf(this.spec.baseIncrement)));
  }

  /** The path points in `(fromMs, toMs]`, oldest first. */
  pathBetween(fromMs: number, toMs: number): PathPoint[] {
    const points: PathPoint[] = [];
    const first = Math.max(0, this.barIndexAt(fromMs));
    const last = this.barIndexAt(toMs);
    for (let i = first; i <= last; i++) {
      const bar = this.series.bars[i];
      if (bar === undefined) continue;
      for (const point of this.#vertices(bar)) {
        if (point.time > fromMs && point.time <= toMs) points.push(point);
      }
    }
    return points;
  }

  /** The price at `timeMs` on the path (linear between points); undefined before the first bar. */
  priceAt(timeMs: number): number | undefined {
    const index = this.barIndexAt(timeMs);
    const bar = this.series.bars[index];
    if (bar === undefined) return undefined;
    if (timeMs >= bar.time * 1000 + this.#intervalMs) return bar.close;
    const points = this.#vertices(bar);
    for (let i = points.length - 1; i >= 0; i--) {
      const a = points[i];
      if (a === undefined || a.time > timeMs) continue;
      const b = points[i + 1];
      if (b === undefined) return a.price;
      const share = (timeMs - a.time) / (b.time - a.time);
      return a.price + (b.price - a.price) * share;
    }
    return bar.open;
  }

  /** The bars that closed at or before `nowMs`. */
  completedBars(nowMs: number): readonly SimBar[] {
    const index = this.barIndexAt(nowMs - this.#intervalMs);
    return this.series.bars.slice(0, index + 1);
  }

  /**
   * The synthetic book at `nowMs`: the best bid one tick-spacing under the path price, the best
   * ask one above, `BOOK_DEPTH` levels a side, sizes from a generator seeded by the seed and the
   * second, so the same time always shows the same book.
   */
  book(nowMs: number): { readonly bids: SimLevel[]; readonly asks: SimLevel[] } | undefined {
    const price = this.priceAt(nowMs);
    if (price === undefined) return undefined;
    const tick = this.#tick;
    const spacing = Math.max(tick, Math.ceil((price * 0.00005) / tick) * tick);
    const mid = Math.round(price / tick) * tick;
    const rng = createSeededRng((this.#seed ^ Math.floor(nowMs / 1000)) >>> 0);
    const bids: SimLevel[] = [];
    const asks: SimLevel[] = [];
    const decimals = decimalsOf(this.spec.priceIncrement);
    for (let i = 0; i < BOOK_DEPTH; i++) {
      const notional = 20_000 * (0.5 + rng.next()) * (1 + i / 4);
      const size = this.#sizeOf(notional / price, price);
      const bid = Number((mid - spacing * (i + 1)).toFixed(decimals));
      const ask = Number((mid + spacing * (i + 1)).toFixed(decimals));
      if (bid > 0) bids.push({ price: bid, size });
      asks.push({
        price: ask,
        size: this.#sizeOf((20_000 * (0.5 + rng.next()) * (1 + i / 4)) / price, price),
      });
    }
    return { bids, asks };
  }
}

/** The number of decimal places of a plain decimal string. */
export function decimalsOf(increment: string): number {
  const dot = increment.indexOf(".");
  return dot < 0 ? 0 : increment.length - dot - 1;
}
