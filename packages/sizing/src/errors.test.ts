import { describe, expect, it } from "vitest";
import { invalidInput, SizingError } from "./errors.js";

describe("SizingError", () => {
  it("carries code, field, value, a default issue and the cause", () => {
    const cause = new Error("inner");
    const err = new SizingError("invalid-input", "equity", "-1", "equity: must not be negative", { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("SizingError");
    expect(err.code).toBe("invalid-input");
    expect(err.cause).toBe(cause);
    expect(err.issues).toEqual([{ field: "equity", message: "equity: must not be negative" }]);
    expect(err.value).toBe("-1");
    expect(err.issues[0]?.value).toBe("-1");
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
