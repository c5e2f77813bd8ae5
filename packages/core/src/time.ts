import { CoreError, describeValue } from "./errors.js";

/** Integer milliseconds since the Unix epoch (UTC). */
export type UnixMillis = number;

/** One minute in milliseconds. */
export const MINUTE_MS = 60_000;
/** One hour in milliseconds. */
export const HOUR_MS = 3_600_000;
/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/**
 * Validates a timestamp: a non-negative safe integer number of milliseconds.
 * @throws CoreError (`invalid-value`) naming `field`.
 */
export function unixMillis(value: number, field = "timestamp"): UnixMillis {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    const label =
      typeof field === "string" && /^[A-Za-z_$][\w$.[\]-]{0,63}$/.test(field) ? field : "timestamp";
    throw new CoreError(
      "invalid-value",
      `${label}: must be a non-negative integer of milliseconds (got ${describeValue(value)})`,
      {
        context: { field, value },
      },
    );
  }
  return value;
}

/**
 * The time port. Backtests use a clock driven by the data (`ManualClock`), paper and live
 * trading a wall clock supplied by the app. Pure packages never call `Date.now()`.
 */
export interface Clock {
  /** The current time. Never decreases between calls. */
  now(): UnixMillis;
}

/**
 * A clock that moves only when told to (backtests, tests). It refuses to go backwards.
 */
export class ManualClock implements Clock {
  #now: UnixMillis;

  /** Starts at `start` (default 0). @throws CoreError if `start` is not a valid timestamp. */
  constructor(start: UnixMillis = 0) {
    this.#now = unixMillis(start, "start");
  }

  /** The current time. */
  now(): UnixMillis {
    return this.#now;
  }

  /**
   * Moves to `time`; setting the current time again is allowed.
   * @throws CoreError (`clock-backwards`) if `time` is earlier than now.
   */
  set(time: UnixMillis): void {
    unixMillis(time, "time");
    if (time < this.#now) {
      throw new CoreError("clock-backwards", `clock cannot go back from ${this.#now} to ${time}`, {
        context: { now: this.#now, time },
      });
    }
    this.#now = time;
  }

  /** Moves forward by `ms` (a non-negative integer). @throws CoreError otherwise. */
  advance(ms: number): void {
    if (!Number.isSafeInteger(ms) || ms < 0) {
      throw new CoreError(
        "clock-backwards",
        `advance: ms must be a non-negative integer (got ${describeValue(ms)})`,
        {
          context: { ms },
        },
      );
    }
    this.set(this.#now + ms);
  }
}

/** A source of uniform random numbers in [0, 1). Inject one instead of calling `Math.random()`. */
export interface Rng {
  /** The next number, uniform in [0, 1). */
  next(): number;
}

/**
 * A seeded, deterministic RNG: mulberry32 (32-bit state, period 2^32, passes gjrand/PractRand
 * for the sample sizes a backtest needs; not cryptographic). The same seed always gives the
 * same sequence on every platform (only 32-bit integer maths, `Math.imul`).
 *
 * @param seed any finite number; it is truncated to an unsigned 32-bit integer.
 * @throws CoreError (`invalid-value`) if `seed` is not finite.
 */
export function createSeededRng(seed: number): Rng {
  if (typeof seed !== "number" || !Number.isFinite(seed)) {
    throw new CoreError("invalid-value", `seed: must be a finite number (got ${describeValue(seed)})`, {
      context: { field: "seed", value: seed },
    });
  }
  let state = seed >>> 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}
