import { strategyId } from "@gpt/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { replayStrategy } from "./context.js";
import { defineStrategy } from "./definition.js";
import { StrategyError } from "./errors.js";
import { parseParamArgs } from "./params.js";
import {
  BUILT_IN_STRATEGIES,
  createStrategy,
  createStrategyRegistry,
  defaultStrategyRegistry,
  listStrategies,
} from "./registry.js";
import { FlatStrategy } from "./strategies/baseline.js";
import { BTC, barsFromCloses, directionPath } from "./test-support.js";

function errorOf(fn: () => unknown): StrategyError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StrategyError) return e;
    throw e;
  }
  throw new Error("expected a StrategyError");
}

describe("registry", () => {
  it("lists every built-in with documented parameters", () => {
    expect(listStrategies().map((s) => s.name)).toEqual([
      "sma-cross",
      "trend-following",
      "breakout",
      "mean-reversion",
      "funding-carry",
      "regime-switch",
      "buy-and-hold",
      "flat",
    ]);
    for (const info of listStrategies()) {
      expect(info.description.length).toBeGreaterThan(20);
      for (const p of info.params) expect(p.description.length).toBeGreaterThan(5);
    }
    expect(
      listStrategies()
        .filter((s) => s.usesFunding)
        .map((s) => s.name),
    ).toEqual(["funding-carry"]);
  });

  it("keeps parameter docs in sync with the schemas (names and defaults)", () => {
    for (const d of BUILT_IN_STRATEGIES) {
      const result = d.schema.safeParse({});
      if (!result.success) throw new Error(`${d.name}: defaults do not parse`);
      const parsed = result.data as Record<string, unknown>;
      expect(Object.keys(parsed).sort(), d.name).toEqual(d.params.map((p) => p.name).sort());
      for (const p of d.params) {
        expect(parsed[p.name], `${d.name}.${p.name}`).toEqual(p.default);
      }
    }
  });

  it("creates strategies from command-line strings", () => {
    const s = createStrategy("sma-cross", parseParamArgs(["fast=2", "slow=3", "fraction=0.5"]), {
      instrumentId: BTC,
    });
    expect(s.params).toEqual({ fast: 2, slow: 3, fraction: 0.5 });
    expect(s.id).toBe("sma-cross:BTC-USD.COINBASE");
    expect(s.instruments).toEqual([BTC]);
    const rs = createStrategy(
      "regime-switch",
      parseParamArgs(["trendParams.fast=5", "trendParams.slow=12", "highVolatility=trend"]),
      {
        instrumentId: BTC,
        strategyId: strategyId("rs-1"),
      },
    );
    expect(rs.id).toBe("rs-1");
    expect(rs.params).toMatchObject({ trendParams: { fast: "5", slow: "12" }, highVolatility: "trend" });
  });

  it("refuses an unknown strategy, naming it", () => {
    const e = errorOf(() => createStrategy("moon-shot", {}, { instrumentId: BTC }));
    expect(e).toMatchObject({ name: "StrategyError", code: "unknown-strategy", strategy: "moon-shot" });
    expect(e.message).toContain("moon-shot");
    expect(e.message).toContain("sma-cross");
  });

  it("refuses unknown and invalid parameters, naming strategy, parameter and value", () => {
    const unknown = errorOf(() => createStrategy("sma-cross", { fsat: 3 }, { instrumentId: BTC }));
    expect(unknown).toMatchObject({ code: "invalid-params", strategy: "sma-cross", param: "fsat" });
    const bad = errorOf(() => createStrategy("breakout", { entryPeriod: "twenty" }, { instrumentId: BTC }));
    expect(bad).toMatchObject({
      code: "invalid-params",
      strategy: "breakout",
      param: "entryPeriod",
      value: "twenty",
    });
    expect(bad.message).toContain("(got a 6-character string)");
    expect(bad.message).not.toContain("twenty");
    const low = errorOf(() => createStrategy("breakout", { entryPeriod: "-3" }, { instrumentId: BTC }));
    expect(low.message).toContain("(got -3)");
    const cross = errorOf(() => createStrategy("sma-cross", { fast: 30, slow: 10 }, { instrumentId: BTC }));
    expect(cross.param).toBe("fast");
  });

  it("accepts custom definitions next to the built-ins and refuses duplicates", () => {
    const always = defineStrategy({
      name: "always-flat",
      description: "A custom strategy for the registry test.",
      params: [],
      schema: z.object({}).strict(),
      usesFunding: false,
      create: (params, options) => new FlatStrategy(params, options),
    });
    const registry = createStrategyRegistry([...BUILT_IN_STRATEGIES, always]);
    expect(registry.names()).toContain("always-flat");
    expect(registry.get("always-flat")).toBe(always);
    const rs = registry.create("regime-switch", { rangeStrategy: "always-flat" }, { instrumentId: BTC });
    expect(rs.name).toBe("regime-switch");
    expect(defaultStrategyRegistry.get("always-flat")).toBeUndefined();
    expect(errorOf(() => createStrategyRegistry([always, always])).code).toBe("invalid-input");
  });

  it("baselines: buy-and-hold emits long once, flat emits flat once", () => {
    const bars = barsFromCloses([1, 2, 3]);
    expect(
      directionPath(replayStrategy(createStrategy("buy-and-hold", {}, { instrumentId: BTC }), bars).intents),
    ).toEqual([[0, "long"]]);
    expect(
      directionPath(replayStrategy(createStrategy("flat", {}, { instrumentId: BTC }), bars).intents),
    ).toEqual([[0, "flat"]]);
  });
});
