/**
 * Fixed-window building blocks over `Float64Array` ring buffers. Every `push` is O(1) (the
 * monotonic deque is amortised O(1)) and allocates nothing.
 *
 * Float drift. A running sum updated as `sum += x - old` accumulates rounding error without
 * bound over a long stream. `RollingSum` and `RollingMoments` avoid that with a *rebase*: next to
 * the running value they accumulate a fresh value over the inputs pushed since the last rebase;
 * after `window` pushes that fresh value covers exactly the current window, computed from scratch
 * with `window` additions, and it replaces the running one. Each push does one extra addition, so
 * the cost stays O(1) per update (not amortised), and the error of any reported value comes from at
 * most `2 * window` operations however long the stream is.
 */

/** A ring of the last `capacity` numbers. */
export class FloatRing {
  readonly capacity: number;
  private readonly data: Float64Array;
  /** Index where the next push is written (also the index of the oldest value once full). */
  private head = 0;
  private filled = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.data = new Float64Array(capacity);
  }

  /** Number of stored values (at most `capacity`). */
  get size(): number {
    return this.filled;
  }

  /** True once `capacity` values have been pushed. */
  get isFull(): boolean {
    return this.filled === this.capacity;
  }

  /**
   * Stores `x`, overwriting the oldest value when full, and returns the value that fell out of the
   * window (NaN while the ring was not yet full).
   */
  push(x: number): number {
    const h = this.head;
    const evicted = this.filled === this.capacity ? (this.data[h] as number) : Number.NaN;
    this.data[h] = x;
    this.head = h + 1 === this.capacity ? 0 : h + 1;
    if (this.filled < this.capacity) this.filled++;
    return evicted;
  }

  /** The value pushed `k` pushes ago (0 = the latest); `k` must be < size. */
  ago(k: number): number {
    let i = this.head - 1 - k;
    if (i < 0) i += this.capacity;
    return this.data[i] as number;
  }

  /** The oldest stored value (only meaningful when size > 0). */
  get oldest(): number {
    return this.filled === this.capacity ? (this.data[this.head] as number) : (this.data[0] as number);
  }

  /** Forgets every value. */
  clear(): void {
    this.head = 0;
    this.filled = 0;
  }
}

/** Sum of the last `window` values, with a rebase every `window` pushes (see the module note). */
export class RollingSum {
  readonly window: number;
  private readonly ring: FloatRing;
  private running = 0;
  private fresh = 0;
  private freshCount = 0;

  constructor(window: number) {
    this.window = window;
    this.ring = new FloatRing(window);
  }

  /** Number of values currently in the window. */
  get size(): number {
    return this.ring.size;
  }

  /** True once the window holds `window` values. */
  get isFull(): boolean {
    return this.ring.isFull;
  }

  /** The sum of the values in the window. */
  get sum(): number {
    return this.running;
  }

  /** The value pushed `k` pushes ago (0 = latest). */
  ago(k: number): number {
    return this.ring.ago(k);
  }

  /** Adds `x`, dropping the oldest value when the window is full. */
  push(x: number): void {
    const evicted = this.ring.push(x);
    // `evicted` is NaN until the window is full; only subtract a real value.
    this.running = !Number.isNaN(evicted) ? this.running + x - evicted : this.running + x;
    this.fresh += x;
    if (++this.freshCount === this.window) {
      this.running = this.fresh;
      this.fresh = 0;
      this.freshCount = 0;
    }
  }

  /** Forgets every value. */
  clear(): void {
    this.ring.clear();
    this.running = 0;
    this.fresh = 0;
    this.freshCount = 0;
  }
}

/**
 * Mean and sum of squared deviations (M2) of the last `window` values.
 *
 * Filling the window uses Welford's update; once full, replacing `old` by `x` uses the windowed
 * Welford update `mean' = mean + (x - old) / n`, `M2' = M2 + (x - old) * (x - mean' + old - mean)`,
 * which never forms the cancellation-prone `sum(x^2) - n * mean^2`. A fresh Welford accumulator over
 * the last `window` pushes replaces both every `window` pushes (the rebase of the module note).
 */
export class RollingMoments {
  readonly window: number;
  private readonly ring: FloatRing;
  private runningMean = 0;
  private runningM2 = 0;
  private freshMean = 0;
  private freshM2 = 0;
  private freshCount = 0;

  constructor(window: number) {
    this.window = window;
    this.ring = new FloatRing(window);
  }

  /** Number of values currently in the window. */
  get size(): number {
    return this.ring.size;
  }

  /** True once the window holds `window` values. */
  get isFull(): boolean {
    return this.ring.isFull;
  }

  /** Mean of the values in the window. */
  get mean(): number {
    return this.runningMean;
  }

  /** Sum of squared deviations from the mean (clamped at 0 against rounding). */
  get m2(): number {
    return Math.max(this.runningM2, 0);
  }

  /** The value pushed `k` pushes ago (0 = latest). */
  ago(k: number): number {
    return this.ring.ago(k);
  }

  /** Adds `x`, dropping the oldest value when the window is full. */
  push(x: number): void {
    const evicted = this.ring.push(x);
    if (!Number.isNaN(evicted)) {
      const oldMean = this.runningMean;
      const delta = x - evicted;
      const newMean = oldMean + delta / this.window;
      this.runningM2 += delta * (x - newMean + evicted - oldMean);
      this.runningMean = newMean;
    } else {
      const n = this.ring.size;
      const d = x - this.runningMean;
      this.runningMean += d / n;
      this.runningM2 += d * (x - this.runningMean);
    }
    const c = ++this.freshCount;
    const fd = x - this.freshMean;
    this.freshMean += fd / c;
    this.freshM2 += fd * (x - this.freshMean);
    if (c === this.window) {
      this.runningMean = this.freshMean;
      this.runningM2 = this.freshM2;
      this.freshMean = 0;
      this.freshM2 = 0;
      this.freshCount = 0;
    }
  }

  /** Forgets every value. */
  clear(): void {
    this.ring.clear();
    this.runningMean = 0;
    this.runningM2 = 0;
    this.freshMean = 0;
    this.freshM2 = 0;
    this.freshCount = 0;
  }
}

/**
 * Maximum (or minimum) of the last `window` values with a monotonic deque: each value enters and
 * leaves the deque once, so a push is amortised O(1) and never worse than O(window).
 */
export class RollingExtremum {
  readonly window: number;
  private readonly isMax: boolean;
  private readonly values: Float64Array;
  private readonly stamps: Float64Array;
  /** Deque storage is circular: `front` is the index of the first element, `length` its size. */
  private front = 0;
  private length = 0;
  private pushes = 0;

  constructor(window: number, kind: "max" | "min") {
    this.window = window;
    this.isMax = kind === "max";
    this.values = new Float64Array(window);
    this.stamps = new Float64Array(window);
  }

  /** Adds `x` and returns the extremum of the window that now ends with it. */
  push(x: number): number {
    const cap = this.window;
    const stamp = this.pushes++;
    // Drop from the back every value that can no longer be the extremum.
    while (this.length > 0) {
      let back = this.front + this.length - 1;
      if (back >= cap) back -= cap;
      const v = this.values[back] as number;
      if (this.isMax ? v <= x : v >= x) this.length--;
      else break;
    }
    // Drop from the front the value that left the window.
    if (this.length > 0 && (this.stamps[this.front] as number) <= stamp - cap) {
      this.front = this.front + 1 === cap ? 0 : this.front + 1;
      this.length--;
    }
    let slot = this.front + this.length;
    if (slot >= cap) slot -= cap;
    this.values[slot] = x;
    this.stamps[slot] = stamp;
    this.length++;
    return this.values[this.front] as number;
  }

  /** The current extremum (NaN before the first push). */
  get extremum(): number {
    return this.length > 0 ? (this.values[this.front] as number) : Number.NaN;
  }

  /** Forgets every value. */
  clear(): void {
    this.front = 0;
    this.length = 0;
    this.pushes = 0;
  }
}

/**
 * An unbounded running sum with Neumaier's compensation: the rounding error of each addition is
 * collected separately and added back on read, so a cumulative sum over millions of terms keeps
 * about full double precision.
 */
export class CompensatedSum {
  private total = 0;
  private compensation = 0;

  /** Adds `x`. */
  add(x: number): void {
    const t = this.total + x;
    if (Math.abs(this.total) >= Math.abs(x)) this.compensation += this.total - t + x;
    else this.compensation += x - t + this.total;
    this.total = t;
  }

  /** The compensated sum. */
  get value(): number {
    return this.total + this.compensation;
  }

  /** Back to zero. */
  clear(): void {
    this.total = 0;
    this.compensation = 0;
  }
}
