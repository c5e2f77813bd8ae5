/**
 * Bounded recorders for what the report draws: the equity curve (and its drawdown), each
 * instrument's close, the fills, and month-end equity for the monthly-returns table. Memory stays
 * bounded however long the run: when a series grows past twice its budget, every other point is
 * dropped and the sampling stride doubles (the first and the latest points are always kept).
 */

/** A thinned time series of [unix ms, value] pairs. */
export class ThinnedSeries {
  private readonly budget: number;
  private stride = 1;
  private seen = 0;
  readonly times: number[] = [];
  readonly values: number[] = [];
  private lastTime = Number.NaN;
  private lastValue = Number.NaN;

  constructor(budget = 4000) {
    this.budget = budget;
  }

  /** Offers one point; it is kept if it falls on the current stride. */
  push(time: number, value: number): void {
    this.lastTime = time;
    this.lastValue = value;
    if (this.seen++ % this.stride !== 0) return;
    this.times.push(time);
    this.values.push(value);
    if (this.times.length >= 2 * this.budget) {
      let w = 0;
      for (let r = 0; r < this.times.length; r += 2) {
        this.times[w] = this.times[r] as number;
        this.values[w] = this.values[r] as number;
        w++;
      }
      this.times.length = w;
      this.values.length = w;
      this.stride *= 2;
    }
  }

  /** The kept points plus the latest one, as parallel arrays. */
  points(): { times: number[]; values: number[] } {
    const times = [...this.times];
    const values = [...this.values];
    if (this.seen > 0 && times[times.length - 1] !== this.lastTime) {
      times.push(this.lastTime);
      values.push(this.lastValue);
    }
    return { times, values };
  }
}

/** Equity at the end of each calendar month (UTC), for the monthly-returns table. */
export class MonthEndRecorder {
  private readonly months: { year: number; month: number; startEquity: number; endEquity: number }[] = [];
  private current: { year: number; month: number; startEquity: number; endEquity: number } | undefined;
  private previousEquity: number;
  /** The current month is [monthStart, nextMonthStart); outside it the month is recomputed. */
  private monthStart = Number.POSITIVE_INFINITY;
  private nextMonthStart = Number.NEGATIVE_INFINITY;

  constructor(startEquity: number) {
    this.previousEquity = startEquity;
  }

  /** Records equity after a bar at `time` (cheap: a date is built only when the month changes). */
  push(time: number, equity: number): void {
    if (time >= this.nextMonthStart || time < this.monthStart) {
      const d = new Date(time);
      const year = d.getUTCFullYear();
      const month = d.getUTCMonth();
      this.monthStart = Date.UTC(year, month, 1);
      this.nextMonthStart = Date.UTC(year, month + 1, 1);
      if (this.current === undefined || this.current.year !== year || this.current.month !== month) {
        if (this.current !== undefined) this.months.push(this.current);
        this.current = { year, month, startEquity: this.previousEquity, endEquity: equity };
      }
    }
    (this.current as { endEquity: number }).endEquity = equity;
    this.previousEquity = equity;
  }

  /** Each month's return as a fraction. */
  returns(): { year: number; month: number; return: number }[] {
    const all = this.current === undefined ? this.months : [...this.months, this.current];
    return all.map((m) => ({ year: m.year, month: m.month + 1, return: m.endEquity / m.startEquity - 1 }));
  }
}
