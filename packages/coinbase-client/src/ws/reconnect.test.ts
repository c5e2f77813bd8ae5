import { describe, expect, it } from "vitest";
import { isCoinbaseClientError } from "../errors.js";
import { backoffDelay, reconnectPolicy } from "./reconnect.js";

describe("backoffDelay", () => {
  it("doubles from initialDelayMs up to maxDelayMs, without jitter when random() is 0", () => {
    const policy = reconnectPolicy({ initialDelayMs: 250, maxDelayMs: 5_000, random: () => 0 });
    expect([1, 2, 3, 4, 5, 6, 100, 5000].map((n) => backoffDelay(policy, n))).toEqual([
      250, 500, 1000, 2000, 4000, 5000, 5000, 5000,
    ]);
  });

  it("takes up to `jitter` of each delay off, from the injected random", () => {
    let x = 0.1;
    const policy = reconnectPolicy({
      initialDelayMs: 1_000,
      maxDelayMs: 1_000,
      jitter: 0.4,
      random: () => x,
    });
    expect(backoffDelay(policy, 1)).toBe(960);
    x = 0.999;
    expect(backoffDelay(policy, 1)).toBe(600);
    const seeded = reconnectPolicy({ jitter: 1, random: mulberry32(7) });
    for (let attempt = 1; attempt < 40; attempt++) {
      const delay = backoffDelay(seeded, attempt);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(Math.min(30_000, 500 * 2 ** (attempt - 1)));
    }
  });

  it("rejects unusable options as invalid-config", () => {
    for (const options of [
      { initialDelayMs: -1 },
      { maxDelayMs: Number.NaN },
      { jitter: 1.5 },
      { maxAttempts: 0 },
    ]) {
      let caught: unknown;
      try {
        reconnectPolicy(options);
      } catch (error) {
        caught = error;
      }
      expect(isCoinbaseClientError(caught) && caught.code).toBe("invalid-config");
    }
  });
});

/** A small seeded random in [0, 1) for repeatable tests. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
