import { strategyId } from "@gpt/core";
import { describe, expect, it } from "vitest";
import { StrategyError } from "./errors.js";
import { assertValidIntent, NO_INTENTS, sameTarget, targetPosition, validateIntent } from "./intents.js";
import { TargetTracker } from "./internal/target.js";
import { BTC } from "./test-support.js";
import type { StrategyIntent, TargetPositionIntent } from "./types.js";

const SID = strategyId("s-1");

function target(overrides: Partial<Record<keyof TargetPositionIntent, unknown>> = {}): StrategyIntent {
  return {
    type: "TargetPosition",
    strategyId: SID,
    instrumentId: BTC,
    direction: "long",
    confidence: 0.7,
    reason: "test",
    tsEvent: 1000,
    ...overrides,
  } as StrategyIntent;
}

describe("validateIntent", () => {
  it("accepts a valid target and a valid cancel", () => {
    expect(validateIntent(target({ sizeFraction: 0.5, stopPrice: 90, takeProfitPrice: 120 }))).toEqual([]);
    expect(
      validateIntent({ type: "CancelOrders", strategyId: SID, instrumentId: BTC, reason: "r", tsEvent: 0 }),
    ).toEqual([]);
  });

  it.each([
    ["confidence", -0.01],
    ["confidence", 1.01],
    ["confidence", Number.NaN],
    ["direction", "up"],
    ["stopPrice", 0],
    ["stopPrice", Number.POSITIVE_INFINITY],
    ["takeProfitPrice", -1],
    ["sizeFraction", 0],
    ["tsEvent", -1],
    ["tsEvent", 1.5],
    ["strategyId", ""],
    ["reason", 5],
  ])("reports a bad %s (%s)", (field, value) => {
    const issues = validateIntent(target({ [field]: value }));
    expect(issues.map((i) => i.path)).toContain(field);
  });

  it("reports an unknown type and stops there", () => {
    const issues = validateIntent({ type: "Buy" } as unknown as StrategyIntent);
    expect(issues).toEqual([{ path: "type", message: expect.any(String), value: "Buy" }]);
  });

  it("assertValidIntent throws a typed error naming the first field", () => {
    const error = (() => {
      try {
        assertValidIntent(target({ confidence: 2 }));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(StrategyError);
    expect(error).toMatchObject({
      name: "StrategyError",
      code: "invalid-intent",
      param: "confidence",
      value: 2,
    });
  });
});

describe("targetPosition", () => {
  it("leaves absent optional fields out", () => {
    const t = targetPosition({
      strategyId: SID,
      instrumentId: BTC,
      direction: "flat",
      confidence: 1,
      sizeFraction: undefined,
      reason: "r",
      tsEvent: 5,
    });
    expect(Object.keys(t)).not.toContain("sizeFraction");
    expect(Object.keys(t)).not.toContain("stopPrice");
  });

  it("validates", () => {
    expect(() =>
      targetPosition({
        strategyId: SID,
        instrumentId: BTC,
        direction: "long",
        confidence: 3,
        reason: "r",
        tsEvent: 5,
      }),
    ).toThrow(StrategyError);
  });

  it("sameTarget compares what matters, not reason or time", () => {
    const a = target() as TargetPositionIntent;
    expect(sameTarget(a, { ...a, reason: "other", tsEvent: 99 })).toBe(true);
    expect(sameTarget(a, { ...a, confidence: 0.5 })).toBe(false);
    expect(sameTarget(a, { ...a, stopPrice: 1 })).toBe(false);
    expect(sameTarget(a, { ...a, direction: "short" })).toBe(false);
  });
});

describe("TargetTracker (emission on change)", () => {
  it("emits the first target, then only changes", () => {
    const t = new TargetTracker(SID, BTC);
    expect(t.direction).toBe("flat");
    const first = t.propose("long", 1, "a", 1, 1);
    expect(first).toHaveLength(1);
    expect(t.propose("long", 1, "b", 2, 1)).toBe(NO_INTENTS);
    expect(t.propose("long", 1, "c", 3, 1, 95)).toHaveLength(1);
    expect(t.propose("long", 0.9, "d", 4, 1, 95)).toHaveLength(1);
    expect(t.propose("flat", 1, "e", 5, 1, 95)[0]).toEqual({
      type: "TargetPosition",
      strategyId: SID,
      instrumentId: BTC,
      direction: "flat",
      confidence: 1,
      reason: "e",
      tsEvent: 5,
    });
    expect(t.propose("flat", 1, "f", 6)).toBe(NO_INTENTS);
    expect(t.current?.reason).toBe("e");
    t.reset();
    expect(t.current).toBeUndefined();
    expect(t.propose("flat", 1, "g", 7)).toHaveLength(1);
  });

  it("adopt keeps the child's stop and size and appends its reason", () => {
    const t = new TargetTracker(SID, BTC);
    const child = {
      ...(target({ stopPrice: 90, sizeFraction: 0.5, reason: "child" }) as TargetPositionIntent),
    };
    const [intent] = t.adopt(child, 0.3, "meta", 10);
    expect(intent).toMatchObject({
      direction: "long",
      confidence: 0.3,
      stopPrice: 90,
      sizeFraction: 0.5,
      reason: "meta: child",
    });
  });

  it("NO_INTENTS is frozen", () => {
    expect(Object.isFrozen(NO_INTENTS)).toBe(true);
  });
});
