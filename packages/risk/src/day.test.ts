import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tradingDayStart, utcTimeOfDayMs } from "./day.js";
import { RiskError } from "./errors.js";

describe("utcTimeOfDayMs", () => {
  it("converts HH:MM to milliseconds after midnight", () => {
    expect(utcTimeOfDayMs("00:00")).toBe(0);
    expect(utcTimeOfDayMs("13:30")).toBe(48_600_000);
    expect(utcTimeOfDayMs("23:59")).toBe(86_340_000);
  });

  it("rejects anything else", () => {
    for (const bad of ["24:00", "7:00", "07:60", "0700", "", "07:00Z"]) {
      expect(() => utcTimeOfDayMs(bad)).toThrow(RiskError);
    }
  });
});

describe("tradingDayStart", () => {
  it("is midnight UTC for 00:00", () => {
    expect(tradingDayStart(Date.UTC(2026, 2, 2, 15, 4), "00:00")).toBe(Date.UTC(2026, 2, 2));
    expect(tradingDayStart(Date.UTC(2026, 2, 2), "00:00")).toBe(Date.UTC(2026, 2, 2));
    expect(tradingDayStart(Date.UTC(2026, 2, 2) - 1, "00:00")).toBe(Date.UTC(2026, 2, 1));
  });

  it("is yesterday's reset time before today's, today's from it on", () => {
    expect(tradingDayStart(Date.UTC(2026, 2, 2, 10), "13:30")).toBe(Date.UTC(2026, 2, 1, 13, 30));
    expect(tradingDayStart(Date.UTC(2026, 2, 2, 13, 29, 59, 999), "13:30")).toBe(
      Date.UTC(2026, 2, 1, 13, 30),
    );
    expect(tradingDayStart(Date.UTC(2026, 2, 2, 13, 30), "13:30")).toBe(Date.UTC(2026, 2, 2, 13, 30));
  });

  it("property: the start is at most a day before now, on the reset time", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (now, h, m) => {
          const reset = `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
          const start = tradingDayStart(now, reset);
          const d = new Date(start);
          return (
            start <= now &&
            now - start < 86_400_000 &&
            (start < 0 || (d.getUTCHours() === h && d.getUTCMinutes() === m && d.getUTCSeconds() === 0))
          );
        },
      ),
    );
  });
});
