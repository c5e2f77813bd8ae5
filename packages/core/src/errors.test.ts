import { D } from "@gpt/quantize";
import { describe, expect, it } from "vitest";
import {
  CommandValidationError,
  CoreError,
  describeValue,
  InstrumentError,
  InvalidIdError,
  OrderStateError,
  PositionError,
} from "./errors.js";

describe("error classes", () => {
  it("carry a literal name, a code, context and cause", () => {
    const cause = new Error("root");
    const errors: [CoreError, string, string][] = [
      [new CoreError("invalid-value", "m", { context: { a: 1 }, cause }), "CoreError", "invalid-value"],
      [new InvalidIdError("venue", "x y", "bad", { cause }), "InvalidIdError", "invalid-id"],
      [new InstrumentError("minSize", "-1", "bad", { cause }), "InstrumentError", "invalid-instrument"],
      [
        new CommandValidationError("SubmitOrder", [{ field: "f", code: "c", message: "m" }], { cause }),
        "CommandValidationError",
        "invalid-command",
      ],
      [
        new OrderStateError("overfill", "O-1", "accepted", "OrderFilled", "too much", { cause }),
        "OrderStateError",
        "overfill",
      ],
      [new PositionError("invalid-fill", "m", { cause }), "PositionError", "invalid-fill"],
    ];
    for (const [error, name, code] of errors) {
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(CoreError);
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
      expect(error.cause).toBe(cause);
    }
    expect(new CoreError("invalid-value", "m").cause).toBeUndefined();
    expect(new CoreError("invalid-value", "m").context).toEqual({});
  });

  it("name the field, value and states in messages and context", () => {
    const id = new InvalidIdError("clientOrderId", "a b", "no whitespace");
    expect(id.message).toBe("clientOrderId: no whitespace (got a 3-character string)");
    expect(id.context).toEqual({ field: "clientOrderId", value: "a b" });
    const state = new OrderStateError("illegal-transition", "O-9", "filled", "OrderCanceled", "not allowed");
    expect(state.message).toBe("order O-9: OrderCanceled in status filled: not allowed");
    expect(state.context).toMatchObject({
      clientOrderId: "O-9",
      fromStatus: "filled",
      eventType: "OrderCanceled",
    });
  });

  it("describeValue renders each kind of value", () => {
    expect(describeValue("abc")).toBe("a 3-character string");
    expect(describeValue("-1.5e3")).toBe('"-1.5e3"');
    expect(describeValue("")).toBe("an empty string");
    expect(describeValue(Number.NaN)).toBe("NaN");
    expect(describeValue(true)).toBe("true");
    expect(describeValue(10n)).toBe("10n");
    expect(describeValue(null)).toBe("null");
    expect(describeValue(undefined)).toBe("undefined");
    expect(describeValue({ toFixed: () => "", toString: () => "1.5" })).toBe("Decimal(1.5)");
    expect(describeValue({ a: 1 })).toBe("an object");
    expect(describeValue([1])).toBe("an array");
    expect(describeValue(Symbol("s"))).toBe("a symbol");
  });

  it("describeValue renders values briefly", () => {
    expect(describeValue("x".repeat(100))).toBe("a 100-character string");
    expect(describeValue("9".repeat(30))).toBe("a 30-character string");
    expect(describeValue(D("1.5"))).toBe("Decimal(1.5)");
    expect(describeValue(3)).toBe("3");
    expect(describeValue(null)).toBe("null");
    expect(describeValue(undefined)).toBe("undefined");
    expect(describeValue({})).toBe("an object");
  });
});
