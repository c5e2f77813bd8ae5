import type { Clock, UnixMillis } from "./time.js";

/** The latest time `systemClock` has returned, so it never goes back when the wall clock does. */
let lastNow: UnixMillis = 0;

/**
 * The wall clock: `now()` is `Date.now()`, held at its highest value so far, so the `Clock`
 * promise (never decreasing) survives the system clock being set back (NTP steps, manual changes).
 * While the wall clock is behind, `now()` repeats the last time it returned.
 *
 * This is the one part of `@gpt/core` that reads the wall clock. Pass it where a `Clock` is asked
 * for in paper and live trading; backtests and tests use `ManualClock`, so their results never
 * depend on when they run.
 *
 * @example
 * const trader = createTrader({ clock: systemClock, ... });
 * systemClock.now(); // e.g. 1767225600000
 */
export const systemClock: Clock = Object.freeze({
  now(): UnixMillis {
    const wall = Date.now();
    if (wall > lastNow) lastNow = wall;
    return lastNow;
  },
});
