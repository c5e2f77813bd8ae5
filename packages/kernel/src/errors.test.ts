import {
  expectErrorHidesSecrets,
  expectNotPrinted,
  expectShown,
  SECRET_MARKERS,
  SECRET_SHAPES,
} from "@gpt/testkit/fuzz";
import { describe, expect, it } from "vitest";
import { KernelError } from "./errors.js";

describe("KernelError never prints a secret input", () => {
  it("renders context values that could be secrets by their description", () => {
    const secrets = [...SECRET_SHAPES, ...SECRET_MARKERS.map((m) => ({ input: m, core: m.slice(3, -3) }))];
    for (const { input, core } of secrets) {
      const context = { field: "account.balance", value: input, extra: { nested: input } };
      const error = new KernelError("invalid-options", "account.balance: must be a decimal", { context });
      expectNotPrinted(error, core);
      expectErrorHidesSecrets(error);
      expect(error.context).toEqual({
        field: "account.balance",
        value: `a ${input.length}-character string`,
        extra: "an object",
      });
      expect(context.value).toBe(input);
    }
  });

  it("keeps ids, numbers and short numeric text as given", () => {
    const error = new KernelError("invalid-options", 'account.balance: must be positive (got "-5")', {
      context: { field: "account.balance", value: "-5", capacity: 0, instrumentId: "BTC-USD.COINBASE" },
    });
    expect(error.context).toEqual({
      field: "account.balance",
      value: "-5",
      capacity: 0,
      instrumentId: "BTC-USD.COINBASE",
    });
    expectShown(error, "-5");
  });
});
