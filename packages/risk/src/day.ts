import { DAY_MS, type UnixMillis } from "@gpt/core";
import { RiskError } from "./errors.js";

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * Milliseconds after UTC midnight for a `"HH:MM"` time of day (`"13:30"` → 48 600 000).
 * @throws RiskError (`invalid-input`) for anything but 00:00–23:59.
 */
export function utcTimeOfDayMs(text: string): number {
  const match = TIME_OF_DAY.exec(text);
  if (match === null) {
    throw new RiskError(
      "invalid-input",
      `dailyResetUtc: must be "HH:MM" from 00:00 to 23:59 (got ${JSON.stringify(text)})`,
      {
        field: "dailyResetUtc",
        value: text,
      },
    );
  }
  return (Number(match[1]) * 60 + Number(match[2])) * 60_000;
}

let lastResetText: string | undefined;
let lastResetMs = 0;

/**
 * The start of the trading day that contains `now`, for a day that begins at `dailyResetUtc`
 * (UTC, `"HH:MM"`): the latest reset time at or before `now`.
 *
 * @example tradingDayStart(Date.UTC(2026, 0, 2, 10), "13:30") === Date.UTC(2026, 0, 1, 13, 30)
 */
export function tradingDayStart(now: UnixMillis, dailyResetUtc: string): UnixMillis {
  // Every risk input asks for the day start; parse the (rarely changing) reset time only once.
  let offset: number;
  if (dailyResetUtc === lastResetText) {
    offset = lastResetMs;
  } else {
    offset = utcTimeOfDayMs(dailyResetUtc);
    lastResetText = dailyResetUtc;
    lastResetMs = offset;
  }
  return Math.floor((now - offset) / DAY_MS) * DAY_MS + offset;
}
