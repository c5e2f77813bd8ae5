import { describe, expect, it } from "vitest";
import { CoinbaseSimError } from "./errors.js";
import { RateLimiter, type SimRateLimits } from "./rate-limit.js";

describe("RateLimiter", () => {
  it("keeps one bucket per kind and caller, refilled by the time given", () => {
    const limiter = new RateLimiter({ wsUnauthenticatedPerSecond: 2 });
    const take = (kind: "private" | "public" | "ws", caller: string, at: number) =>
      limiter.take(kind, caller, at).allowed;
    expect([take("ws", "a", 0), take("ws", "a", 0), take("ws", "a", 0)]).toEqual([true, true, false]);
    expect(take("ws", "b", 0)).toBe(true);
    expect(take("public", "a", 0)).toBe(true);
    expect(take("ws", "a", 499)).toBe(false);
    expect(take("ws", "a", 500)).toBe(true);
    const eight = new RateLimiter();
    expect(Array.from({ length: 9 }, () => eight.take("ws", "a", 0).allowed).filter(Boolean)).toHaveLength(8);
  });

  it("refuses unknown keys and rates that are not positive numbers, naming the field", () => {
    const cases: [unknown, string][] = [
      [{ wsUnauthenticatedPerSecond: 0 }, "rateLimit.wsUnauthenticatedPerSecond"],
      [{ privatePerSecond: -1 }, "rateLimit.privatePerSecond"],
      [{ publicPerSecond: "10" }, "rateLimit.publicPerSecond"],
      [{ publicPerSecond: Number.NaN }, "rateLimit.publicPerSecond"],
      [{ perSecond: 5 }, "rateLimit.perSecond"],
      [{ "sk-secret value": 1 }, "rateLimit.(a key)"],
      [null, "rateLimit"],
    ];
    for (const [limits, field] of cases) {
      let thrown: unknown;
      try {
        new RateLimiter(limits as SimRateLimits);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(CoinbaseSimError);
      expect(thrown).toMatchObject({ code: "invalid-config", context: { field } });
      expect((thrown as Error).message).not.toContain("secret");
    }
  });
});
