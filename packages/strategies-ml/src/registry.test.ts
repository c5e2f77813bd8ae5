import { BUILT_IN_STRATEGIES, createStrategyRegistry, StrategyError } from "@gpt/strategies";
import { describe, expect, it } from "vitest";
import { mlSelectorDefinition } from "./selector-strategy.js";
import { BTC, createStrategy, mlRegistry } from "./test-support.js";

function errorOf(fn: () => unknown): StrategyError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StrategyError) return e;
    throw e;
  }
  throw new Error("expected a StrategyError");
}

describe("mlSelectorDefinition in a registry", () => {
  it("is not built in, and registers next to the built-ins", () => {
    expect(BUILT_IN_STRATEGIES.map((d) => d.name)).not.toContain("ml-selector");
    expect(mlRegistry.names()).toEqual([...BUILT_IN_STRATEGIES.map((d) => d.name), "ml-selector"]);
    const info = mlRegistry.list().find((s) => s.name === "ml-selector");
    expect(info?.usesFunding).toBe(false);
    expect(info?.description.length).toBeGreaterThan(20);
  });

  it("keeps parameter docs in sync with the schema (names and defaults)", () => {
    const result = mlSelectorDefinition.schema.safeParse({ model: {} });
    if (!result.success) throw new Error("defaults do not parse");
    const parsed = result.data as unknown as Record<string, unknown>;
    expect(Object.keys(parsed).sort()).toEqual(mlSelectorDefinition.params.map((p) => p.name).sort());
    for (const p of mlSelectorDefinition.params) {
      if (p.name === "model") continue;
      expect(parsed[p.name], p.name).toEqual(p.default);
    }
  });

  it("refuses a second registration under the same name", () => {
    expect(() =>
      createStrategyRegistry([...BUILT_IN_STRATEGIES, mlSelectorDefinition, mlSelectorDefinition]),
    ).toThrow(StrategyError);
  });

  it("ml-selector requires a model", () => {
    const e = errorOf(() => createStrategy("ml-selector", {}, { instrumentId: BTC }));
    expect(e).toMatchObject({ code: "invalid-params", param: "model" });
    expect(
      errorOf(() => createStrategy("ml-selector", { model: { format: "x" } }, { instrumentId: BTC })).code,
    ).toBe("invalid-model");
  });
});
