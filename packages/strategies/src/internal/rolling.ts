/**
 * Highest (or lowest) of the last `window` values: a monotonic deque over fixed-size typed arrays.
 * `push` is amortised O(1) and allocates nothing.
 */
export class RollingExtremum {
  private readonly values: Float64Array;
  private readonly indexes: Float64Array;
  private head = 0;
  private size = 0;
  private count = 0;

  constructor(
    /** Window length (integer >= 1). */
    readonly window: number,
    /** `max` keeps the highest value, `min` the lowest. */
    readonly kind: "max" | "min",
  ) {
    this.values = new Float64Array(window);
    this.indexes = new Float64Array(window);
  }

  /** Adds a value (the oldest one leaves the window once it is full). */
  push(x: number): void {
    const cap = this.window;
    const expired = this.count - cap;
    while (this.size > 0 && (this.indexes[this.head] as number) <= expired) {
      this.head = this.head + 1 === cap ? 0 : this.head + 1;
      this.size--;
    }
    const isMax = this.kind === "max";
    while (this.size > 0) {
      const back = (this.head + this.size - 1) % cap;
      const v = this.values[back] as number;
      if (isMax ? v <= x : v >= x) this.size--;
      else break;
    }
    const pos = (this.head + this.size) % cap;
    this.values[pos] = x;
    this.indexes[pos] = this.count;
    this.size++;
    this.count++;
  }

  /** The extremum of the last `window` values, undefined until `window` values were pushed. */
  get value(): number | undefined {
    return this.count >= this.window ? (this.values[this.head] as number) : undefined;
  }

  /** Values pushed since construction or `clear()`. */
  get pushed(): number {
    return this.count;
  }

  /** Forgets every value. */
  clear(): void {
    this.head = 0;
    this.size = 0;
    this.count = 0;
  }
}
