import { afterEach, describe, expect, it, vi } from "vitest";
import { systemClock } from "./clock.js";
import { unixMillis } from "./time.js";

describe("systemClock", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("reads the wall clock", () => {
    const before = Date.now();
    const now = systemClock.now();
    const after = Date.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(after);
    expect(unixMillis(now)).toBe(now);
  });

  it("follows the wall clock forward", () => {
    const start = systemClock.now();
    const spy = vi.spyOn(Date, "now").mockReturnValue(start + 5_000);
    expect(systemClock.now()).toBe(start + 5_000);
    spy.mockReturnValue(start + 5_001);
    expect(systemClock.now()).toBe(start + 5_001);
  });

  it("never goes back when the wall clock is set back", () => {
    const start = systemClock.now();
    const spy = vi.spyOn(Date, "now").mockReturnValue(start + 60_000);
    expect(systemClock.now()).toBe(start + 60_000);
    spy.mockReturnValue(start + 1_000); // an NTP step back
    expect(systemClock.now()).toBe(start + 60_000);
    spy.mockReturnValue(start + 60_002);
    expect(systemClock.now()).toBe(start + 60_002);
  });

  it("is frozen, so nobody can swap its now()", () => {
    expect(Object.isFrozen(systemClock)).toBe(true);
  });
});
