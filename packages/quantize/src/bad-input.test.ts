import { Decimal as GlobalDecimal } from "decimal.js";
import { describe, expect, it } from "vitest";
import {
  checkOrderAgainstRules,
  createProductRules,
  D,
  formatPlain,
  parseDecimal,
  parseIncrement,
  QuantizeError,
  roundPrice,
  roundToIncrement,
} from "./index.js";

/** Untyped callers (JavaScript, JSON) reach the same functions: cast through unknown. */
type AnyFn = (...args: unknown[]) => unknown;
const untyped = (fn: unknown) => fn as AnyFn;

function errorOf(call: () => unknown): QuantizeError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(QuantizeError);
    return error as QuantizeError;
  }
  throw new Error("expected a QuantizeError");
}

const RULES = createProductRules({ baseIncrement: "0.00000001", quoteIncrement: "0.01" });

describe("bad input from untyped callers is a QuantizeError, never a TypeError (issue 11)", () => {
  it("null arguments", () => {
    expect(errorOf(() => untyped(parseDecimal)("1", null)).code).toBe("invalid-option");
    expect(errorOf(() => untyped(createProductRules)(null)).code).toBe("invalid-rules");
    expect(errorOf(() => untyped(checkOrderAgainstRules)(null, RULES)).code).toBe("invalid-order");
    expect(errorOf(() => untyped(checkOrderAgainstRules)({ size: "1" }, null)).code).toBe("invalid-rules");
    expect(errorOf(() => untyped(roundToIncrement)(null, "0.01", "down")).code).toBe("invalid-decimal");
  });

  it("a BigInt (or a symbol) as a rounding mode or side", () => {
    const mode = errorOf(() => untyped(roundToIncrement)("1.5", "1", 10n));
    expect(mode.code).toBe("invalid-option");
    expect(mode.message).toBe("mode: unknown rounding mode (got the BigInt 10n)");
    expect(errorOf(() => untyped(roundPrice)("1.5", "1", Symbol("x"))).message).toBe(
      'side: expected "buy" or "sell" (got a symbol)',
    );
  });

  it("objects that pose as Decimals, and ones whose toString throws", () => {
    const fake = { toStringTag: "[object Decimal]" };
    expect(errorOf(() => untyped(parseDecimal)(fake)).code).toBe("invalid-decimal");
    const exploding = {
      toStringTag: "[object Decimal]",
      toString(): string {
        throw new Error("boom");
      },
    };
    expect(errorOf(() => untyped(parseDecimal)(exploding)).code).toBe("invalid-decimal");
    expect(errorOf(() => untyped(formatPlain)("1", exploding)).code).toBe("invalid-decimals");
  });

  it("reads a Decimal of another decimal.js copy through its text", () => {
    const foreign = { toStringTag: "[object Decimal]", toString: () => "12.5" };
    expect(untyped(parseDecimal)(foreign)).toEqual(new D("12.5"));
    expect(parseDecimal(new GlobalDecimal("0.1")).toString()).toBe("0.1");
  });

  it("checks options and field names", () => {
    expect(errorOf(() => untyped(parseDecimal)("1", { allowZero: "no" })).field).toBe("allowZero");
    expect(errorOf(() => untyped(parseDecimal)("1", { field: Symbol("f") })).field).toBe("field");
    expect(errorOf(() => untyped(parseIncrement)("0", 42)).code).toBe("invalid-option");
  });

  it("rejects rules that did not come from createProductRules", () => {
    const err = errorOf(() => untyped(checkOrderAgainstRules)({ size: "1" }, { baseIncrement: "0.1" }));
    expect(err.code).toBe("invalid-rules");
    expect(err.field).toBe("baseIncrement");
  });
});

describe("messages never repeat a value that could be a secret", () => {
  const secret = "sk-live-0123456789abcdef";

  it.each([
    ["parseDecimal", () => parseDecimal(secret, { field: "price" })],
    ["parseIncrement", () => parseIncrement(secret)],
    ["roundToIncrement mode", () => untyped(roundToIncrement)("1", "1", secret)],
    ["createProductRules", () => createProductRules({ baseIncrement: secret, quoteIncrement: "0.01" })],
  ])("%s", (_name, call) => {
    const err = errorOf(call);
    for (let e: unknown = err; e instanceof Error; e = e.cause) expect(e.message).not.toContain("sk-live");
  });
});
