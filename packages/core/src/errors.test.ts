import { D } from "@gpt/quantize";
import { expectNotPrinted, expectShown, SECRET_SHAPES } from "@gpt/testkit/fuzz";
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
import { createPerpetualInstrument, createSpotInstrument } from "./instruments.js";
import { limitOrder, marketOrder } from "./order-builders.js";

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
    expect(id.context).toEqual({ field: "clientOrderId", value: "a 3-character string" });
    expect(id.value).toBe("a b");
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

describe("printing an error never shows a secret input", () => {
  const errorsFor = (value: unknown): CoreError[] => [
    new InvalidIdError("clientOrderId", value, "bad"),
    new InstrumentError("minSize", value, "bad"),
    new CoreError("invalid-value", `ts: bad (got ${describeValue(value)})`, {
      context: { field: "ts", value, ms: value, tsOpen: value },
    }),
    new OrderStateError("invalid-fill", "O-1", "accepted", "OrderFilled", "bad", { context: { value } }),
  ];

  it("keeps the raw value reachable but out of inspect, JSON.stringify and String", () => {
    for (const { input, core } of SECRET_SHAPES) {
      for (const error of errorsFor(input)) {
        expectNotPrinted(error, core);
        expect(Object.keys(error)).not.toContain("value");
      }
      const id = new InvalidIdError("venue", input, "bad");
      expect(id.value).toBe(input);
      expect(id.context.value).toBe(`a ${input.length}-character string`);
    }
  });

  it("still shows short numeric inputs", () => {
    for (const error of errorsFor("-12.5")) expect(JSON.stringify(error)).toContain("-12.5");
    expectShown(new InstrumentError("minSize", "-12.5", "must be positive"), "-12.5");
    expect(new CoreError("invalid-value", "m", { context: { ms: -3 } }).context).toEqual({ ms: -3 });
  });

  it("turns a field whose read throws into the typed error, cause kept", () => {
    const cause = new Error("getter exploded");
    const hostile = {
      clientOrderId: "c-1",
      instrumentId: "BTC-USD.COINBASE",
      side: "buy",
      get quantity(): never {
        throw cause;
      },
    };
    let thrown: unknown;
    try {
      marketOrder(hostile as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CommandValidationError);
    expect((thrown as CommandValidationError).issues[0]?.field).toBe("order.quantity");
    expect((thrown as Error).cause).toBe(cause);

    const proxy = new Proxy(
      { symbol: "BTC-USD" },
      {
        get: () => {
          throw cause;
        },
      },
    );
    for (const make of [createSpotInstrument, createPerpetualInstrument, () => limitOrder(proxy as never)]) {
      let error: unknown;
      try {
        make(proxy as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CoreError);
      expect((error as Error).cause).toBe(cause);
    }
  });
});
