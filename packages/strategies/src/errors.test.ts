import {
  expectErrorHidesSecrets,
  expectNotPrinted,
  expectShown,
  SECRET_MARKERS,
  SECRET_SHAPES,
} from "@gpt/testkit/fuzz";
import { describe, expect, it } from "vitest";
import { StrategyError } from "./errors.js";
import { assertValidIntent } from "./intents.js";
import { parseParamArgs } from "./params.js";
import { createStrategy } from "./registry.js";
import { BTC } from "./test-support.js";
import type { StrategyIntent } from "./types.js";

function thrown(call: () => unknown): StrategyError {
  try {
    call();
  } catch (error) {
    if (error instanceof StrategyError) return error;
    throw error;
  }
  throw new Error("expected a StrategyError");
}

const breakout = (entryPeriod: unknown) => () =>
  createStrategy("breakout", { entryPeriod }, { instrumentId: BTC });
const secrets = [
  ...SECRET_SHAPES.map((s) => ({ input: s.input, core: s.core })),
  ...SECRET_MARKERS.map((m) => ({ input: m, core: m.slice(3, -3) })),
];

describe("StrategyError never prints a secret input", () => {
  it("hides the raw value, issue values and context from inspect, JSON.stringify and String", () => {
    for (const { input, core } of secrets) {
      const errors = [
        new StrategyError("invalid-params", "m", {
          value: input,
          issues: [{ path: "fast", message: "bad", value: input }],
          context: { index: 3, detail: input },
        }),
        thrown(breakout(input)),
        thrown(() => parseParamArgs([`fast=${input}`, `fast=1`])),
        thrown(() => parseParamArgs([input, input])),
        thrown(() =>
          assertValidIntent({
            type: "TargetPosition",
            strategyId: input,
            direction: input,
          } as unknown as StrategyIntent),
        ),
      ];
      for (const error of errors) {
        expectNotPrinted(error, core);
        expectErrorHidesSecrets(error);
      }
      expect(errors[0]?.value).toBe(input);
      expect(errors[0]?.issues[0]?.value).toBe(input);
    }
  });

  it("still shows short numeric inputs and the parameter names", () => {
    const low = thrown(breakout("-500"));
    expectShown(low, "(got -500)");
    expect(low.param).toBe("entryPeriod");
    const twice = thrown(() => parseParamArgs(["fast=12", "fast=13"]));
    expectShown(twice, '"fast" (value "13")');
    expect(twice.param).toBe("fast");
    const context = new StrategyError("invalid-input", "m", { context: { index: 7, name: "sma-cross" } });
    expect(context.context).toEqual({ index: 7, name: "sma-cross" });
  });
});
