import {
  expectErrorHidesSecrets,
  expectNotPrinted,
  expectShown,
  SECRET_MARKERS,
  SECRET_SHAPES,
} from "@gpt/testkit/fuzz";
import { describe, expect, it } from "vitest";
import { barsPerYear24x7, parseRegimeConfig } from "./config.js";
import { RegimeError } from "./errors.js";
import { HmmRegimeClassifier } from "./hmm.js";

function thrown(call: () => unknown): RegimeError {
  try {
    call();
  } catch (error) {
    if (error instanceof RegimeError) return error;
    throw error;
  }
  throw new Error("expected a RegimeError");
}

describe("RegimeError never prints a secret input", () => {
  it("keeps the raw value reachable but out of inspect, JSON.stringify and String", () => {
    const secrets = [...SECRET_SHAPES, ...SECRET_MARKERS.map((m) => ({ input: m, core: m.slice(3, -3) }))];
    for (const { input, core } of secrets) {
      const errors = [
        new RegimeError("invalid-input", "price", input, "price: must be a finite number > 0"),
        thrown(() => parseRegimeConfig({ trend: { adxEnter: input } })),
        thrown(() => barsPerYear24x7(input as never)),
        thrown(() => new HmmRegimeClassifier({ format: input })),
      ];
      for (const error of errors) {
        expectNotPrinted(error, core);
        expectErrorHidesSecrets(error);
        expect(Object.keys(error)).not.toContain("value");
      }
      expect(errors[0]?.value).toBe(input);
    }
  });

  it("still shows short numeric inputs", () => {
    expectShown(
      thrown(() => barsPerYear24x7(-60)),
      "-60",
    );
  });
});
