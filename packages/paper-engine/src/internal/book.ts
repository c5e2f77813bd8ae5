import type { BookDelta, BookLevel, BookSnapshot } from "@gpt/core";

/** A mutable price level of the simulated book. */
export interface Level {
  price: number;
  size: number;
}

/**
 * A level-2 book of the venue's public orders (our own simulated orders are not in it).
 * Bids are kept best (highest) first, asks best (lowest) first. Consuming liquidity (our taker
 * fills) reduces the levels locally until the next snapshot or delta overwrites them.
 */
export class Book {
  bids: Level[] = [];
  asks: Level[] = [];
  active = false;

  snapshot(s: BookSnapshot): void {
    this.bids = s.bids.filter((l) => l.size > 0).map((l: BookLevel) => ({ price: l.price, size: l.size }));
    this.asks = s.asks.filter((l) => l.size > 0).map((l: BookLevel) => ({ price: l.price, size: l.size }));
    this.bids.sort((a, b) => b.price - a.price);
    this.asks.sort((a, b) => a.price - b.price);
    this.active = true;
  }

  delta(d: BookDelta): void {
    for (const e of d.deltas) {
      const side = e.side === "bid" ? this.bids : this.asks;
      const size = e.action === "delete" ? 0 : e.size;
      setLevel(side, e.side === "bid", e.price, size);
    }
  }

  bestBid(): number {
    return this.bids[0]?.price ?? Number.NaN;
  }

  bestAsk(): number {
    return this.asks[0]?.price ?? Number.NaN;
  }

  /** Size resting at exactly `price` on the side (`bid` or `ask`). */
  sizeAt(bid: boolean, price: number): number {
    const side = bid ? this.bids : this.asks;
    const i = find(side, bid, price);
    return i >= 0 ? side[i]!.size : 0;
  }

  /** Total size on the contra side that a buy (`buy`) limited to `limit` could take. */
  depthUpTo(buy: boolean, limit: number): number {
    let total = 0;
    for (const l of buy ? this.asks : this.bids) {
      if (buy ? l.price > limit : l.price < limit) break;
      total += l.size;
    }
    return total;
  }

  /** Removes `size` from the level at `price` (dropping it when empty). */
  consume(bid: boolean, price: number, size: number): void {
    const side = bid ? this.bids : this.asks;
    const i = find(side, bid, price);
    if (i < 0) return;
    const l = side[i]!;
    l.size -= size;
    if (l.size <= 1e-12) side.splice(i, 1);
  }
}

/** Index of the level at `price`, or -1. Binary search over the side's order. */
function find(side: Level[], desc: boolean, price: number): number {
  let lo = 0;
  let hi = side.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = side[mid]!.price;
    if (p === price) return mid;
    if (desc ? p > price : p < price) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function setLevel(side: Level[], desc: boolean, price: number, size: number): void {
  let lo = 0;
  let hi = side.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const p = side[mid]!.price;
    if (desc ? p > price : p < price) lo = mid + 1;
    else hi = mid;
  }
  const existing = side[lo];
  if (existing !== undefined && existing.price === price) {
    if (size > 0) existing.size = size;
    else side.splice(lo, 1);
  } else if (size > 0) {
    side.splice(lo, 0, { price, size });
  }
}
