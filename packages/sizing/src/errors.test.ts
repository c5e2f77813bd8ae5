import { D } from "@gpt/quantize";
import { describe, expect, it } from "vitest";
import { describeValue, invalidInput, SizingError } from "./errors.js";

describe("SizingError", () => {
  it("carries code, field, value, a default issue and the cause", () => {
    const cause = new Error("inner");
    const err = new SizingError("invalid-input", "equity", "-1", "equity: must not be negative", { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("SizingError");
    expect(err.code).toBe("invalid-input");
    expect(err.cause).toBe(cause);
    expect(err.issues).toEqual([{ field: "equity", value: "-1", message: "equity: must not be negative" }]);
  });

  it("has no cause property when none is given", () => {
    const err = new SizingError("missing-input", "atr", undefined, "atr: required");
    expect("cause" in err).toBe(false);
  });

  it("invalidInput formats field, reason and value", () => {
    expect(() => invalidInput("caps.maxLeverage", 0, "must be greater than zero")).toThrow(
      "caps.maxLeverage: must be greater than zero (got 0)",
    );
  });
});

describe("describeValue", () => {
  it("renders each kind of value", () => {
    expect(describeValue("abc")).toBe('"abc"');
    expect(describeValue("x".repeat(80))).toBe(`"${"x".repeat(64)}…"`);
    expect(describeValue(Number.NaN)).toBe("NaN");
    expect(describeValue(D("1.5"))).toBe("Decimal(1.5)");
    expect(describeValue(null)).toBe("null");
    expect(describeValue(undefined)).toBe("undefined");
    expect(describeValue({ a: 1 })).toBe("object");
  });
});
