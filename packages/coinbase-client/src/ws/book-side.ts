/**
 * One side of a level-2 book: price levels sorted by an integer key, best last (bids by price, asks
 * by negated price). Levels live in small sorted leaves (at most `LEAF_CAPACITY` each), so an update
 * moves a few dozen entries at most, wherever it lands. A flat sorted array moves every level
 * between the update and the top: with the real capture's 46,000-level BTC-USD snapshot and its
 * updates' median rank of 226 that cost more than parsing the frame. No hash table is touched per
 * update. Internal to the order book.
 */
import type { Level } from "./order-book.js";

/** Levels a leaf holds before it splits in two. */
const LEAF_CAPACITY = 64;
/** A leaf this small after a delete is merged into a neighbour that has room. */
const LEAF_MERGE_BELOW = LEAF_CAPACITY / 4;

interface Leaf {
  /** Keys in `[0, n)`, ascending. */
  keys: Float64Array;
  /** The level of each key, same order. */
  levels: Level[];
  n: number;
}

function newLeaf(): Leaf {
  return { keys: new Float64Array(LEAF_CAPACITY), levels: [], n: 0 };
}

/** A side of the book, keyed by scaled integer prices. */
export class BookSide {
  /** Leaves in ascending key order; the best level is the last key of the last leaf. */
  #leaves: Leaf[] = [];
  #length = 0;

  /** Number of levels. */
  get length(): number {
    return this.#length;
  }

  /** Removes every level. */
  clear(): void {
    this.#leaves = [];
    this.#length = 0;
  }

  /** The best key, or `undefined` when the side is empty. */
  best(): number | undefined {
    const leaf = this.#leaves[this.#leaves.length - 1];
    return leaf === undefined ? undefined : leaf.keys[leaf.n - 1];
  }

  /** Sets the level at `key` (added or replaced). */
  set(key: number, level: Level): void {
    const leaves = this.#leaves;
    if (leaves.length === 0) leaves.push(newLeaf());
    let li = this.#leafFor(key);
    if (li === leaves.length) li--; // above every key: append to the top leaf
    let leaf = leaves[li] as Leaf;
    let i = indexIn(leaf, key);
    if (i < leaf.n && leaf.keys[i] === key) {
      leaf.levels[i] = level;
      return;
    }
    if (leaf.n === LEAF_CAPACITY) {
      const upper = split(leaf);
      leaves.splice(li + 1, 0, upper);
      if (i > leaf.n) {
        i -= leaf.n;
        leaf = upper;
      }
    }
    insertAt(leaf, i, key, level);
    this.#length++;
  }

  /** Removes the level at `key`, if any. */
  delete(key: number): void {
    const leaves = this.#leaves;
    const li = this.#leafFor(key);
    const leaf = leaves[li];
    if (leaf === undefined) return;
    const i = indexIn(leaf, key);
    if (i >= leaf.n || leaf.keys[i] !== key) return;
    removeAt(leaf, i);
    this.#length--;
    if (leaf.n === 0) leaves.splice(li, 1);
    else if (leaf.n < LEAF_MERGE_BELOW) this.#mergeSmall(li);
  }

  /** The `i`-th best level (0 = best). */
  at(i: number): Level | undefined {
    if (i < 0) return undefined;
    let rest = i;
    const leaves = this.#leaves;
    for (let li = leaves.length - 1; li >= 0; li--) {
      const leaf = leaves[li] as Leaf;
      if (rest < leaf.n) return leaf.levels[leaf.n - 1 - rest];
      rest -= leaf.n;
    }
    return undefined;
  }

  /** The best `n` levels, best first. */
  top(n: number): Level[] {
    const out: Level[] = [];
    const leaves = this.#leaves;
    for (let li = leaves.length - 1; li >= 0 && out.length < n; li--) {
      const leaf = leaves[li] as Leaf;
      for (let i = leaf.n - 1; i >= 0 && out.length < n; i--) out.push(leaf.levels[i] as Level);
    }
    return out;
  }

  /** Visits levels best first until `visit` returns `false`. */
  walk(visit: (level: Level) => boolean): void {
    const leaves = this.#leaves;
    for (let li = leaves.length - 1; li >= 0; li--) {
      const leaf = leaves[li] as Leaf;
      for (let i = leaf.n - 1; i >= 0; i--) if (!visit(leaf.levels[i] as Level)) return;
    }
  }

  /** True when every key times `factor` stays an exact (safe) integer. */
  canScale(factor: number): boolean {
    for (const leaf of this.#leaves)
      for (let i = 0; i < leaf.n; i++)
        if (!Number.isSafeInteger((leaf.keys[i] as number) * factor)) return false;
    return true;
  }

  /** Multiplies every key by `factor` (check `canScale` first); the order is unchanged. */
  scale(factor: number): void {
    for (const leaf of this.#leaves)
      for (let i = 0; i < leaf.n; i++) leaf.keys[i] = (leaf.keys[i] as number) * factor;
  }

  /**
   * Index of the first leaf whose last key is ≥ `key` (`leaves.length` when none is), galloping
   * down from the top leaf, where most updates land.
   */
  #leafFor(key: number): number {
    const leaves = this.#leaves;
    const m = leaves.length;
    if (m === 0 || lastKey(leaves[m - 1] as Leaf) < key) return m;
    let hi = m - 1; // lastKey(leaves[hi]) ≥ key
    let lo = hi - 1;
    let step = 1;
    while (lo >= 0 && lastKey(leaves[lo] as Leaf) >= key) {
      hi = lo;
      step *= 2;
      lo = hi - step;
    }
    if (lo < -1) lo = -1; // lastKey(leaves[lo]) < key, or lo = -1
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (lastKey(leaves[mid] as Leaf) >= key) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  /** Merges the small leaf at `li` into a neighbour when the two fit in three quarters of a leaf. */
  #mergeSmall(li: number): void {
    const leaves = this.#leaves;
    const leaf = leaves[li] as Leaf;
    const below = leaves[li - 1];
    const above = leaves[li + 1];
    const limit = (LEAF_CAPACITY * 3) / 4;
    if (below !== undefined && below.n + leaf.n <= limit) {
      for (let i = 0; i < leaf.n; i++)
        insertAt(below, below.n, leaf.keys[i] as number, leaf.levels[i] as Level);
      leaves.splice(li, 1);
    } else if (above !== undefined && above.n + leaf.n <= limit) {
      for (let i = 0; i < above.n; i++)
        insertAt(leaf, leaf.n, above.keys[i] as number, above.levels[i] as Level);
      leaves.splice(li + 1, 1);
    }
  }
}

function lastKey(leaf: Leaf): number {
  return leaf.keys[leaf.n - 1] as number;
}

/** Index of the first key ≥ `key` in `leaf`. */
function indexIn(leaf: Leaf, key: number): number {
  const keys = leaf.keys;
  let lo = 0;
  let hi = leaf.n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as number) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertAt(leaf: Leaf, i: number, key: number, level: Level): void {
  const n = leaf.n;
  const levels = leaf.levels;
  leaf.keys.copyWithin(i + 1, i, n);
  leaf.keys[i] = key;
  for (let j = n; j > i; j--) levels[j] = levels[j - 1] as Level;
  levels[i] = level;
  leaf.n = n + 1;
}

function removeAt(leaf: Leaf, i: number): void {
  const n = leaf.n - 1;
  const levels = leaf.levels;
  leaf.keys.copyWithin(i, i + 1, n + 1);
  for (let j = i; j < n; j++) levels[j] = levels[j + 1] as Level;
  levels.length = n;
  leaf.n = n;
}

/** Moves the upper half of a full `leaf` into a new leaf, which it returns. */
function split(leaf: Leaf): Leaf {
  const half = leaf.n >> 1;
  const upper = newLeaf();
  upper.keys.set(leaf.keys.subarray(half, leaf.n));
  upper.levels = leaf.levels.slice(half, leaf.n);
  upper.n = leaf.n - half;
  leaf.levels.length = half;
  leaf.n = half;
  return upper;
}
