import { D } from "@gpt/quantize";
import { describe, expect, it } from "vitest";
import {
  assertValidCommand,
  CommandValidationError,
  createBalance,
  createBar,
  createSpotInstrument,
  limitOrder,
  marketOrder,
  type TradingCommand,
  validateCommand,
  validateOrderForInstrument,
  validateOrderSpec,
} from "./index.js";
import { btcUsd, COID, limitSpec, STRAT } from "./test-support.js";

/** Untyped callers (JavaScript, JSON) reach the same functions. */
type AnyFn = (...args: unknown[]) => unknown;
const untyped = (fn: unknown) => fn as AnyFn;

function validationErrorOf(call: () => unknown): CommandValidationError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(CommandValidationError);
    return error as CommandValidationError;
  }
  throw new Error("expected a CommandValidationError");
}

const SECRET = "sk-live-0123456789abcdef";

describe("validate* functions never throw (issue 11)", () => {
  it("validateOrderForInstrument with a string quantity returns an issue", () => {
    const spec = { ...limitSpec(), quantity: "0.5" };
    const issues = untyped(validateOrderForInstrument)(spec, btcUsd) as { field: string; code: string }[];
    expect(issues).toEqual([expect.objectContaining({ field: "order.quantity", code: "not-a-decimal" })]);
  });

  it("validateOrderForInstrument with a malformed instrument returns an issue", () => {
    const issues = untyped(validateOrderForInstrument)(limitSpec(), { id: "X.Y", minSize: "1" });
    expect(issues).toEqual([expect.objectContaining({ field: "instrument", code: "invalid-instrument" })]);
  });

  it('validateCommand({ type: "Nope" }) is an invalid-command-type issue', () => {
    expect(untyped(validateCommand)({ type: "Nope" })).toEqual([
      expect.objectContaining({ field: "type", code: "invalid-command-type" }),
    ]);
  });

  it("validateOrderSpec(null) and validateCommand(null) return not-an-object", () => {
    expect(untyped(validateOrderSpec)(null)).toEqual([
      expect.objectContaining({ field: "order", code: "not-an-object" }),
    ]);
    expect(untyped(validateCommand)(null)).toEqual([
      expect.objectContaining({ field: "command", code: "not-an-object" }),
    ]);
  });

  it("a bracket without legs is reported, not thrown", () => {
    const command = { type: "SubmitBracket", strategyId: STRAT, entry: limitSpec(), tsInit: 1 };
    const codes = (untyped(validateCommand)(command) as { field: string }[]).map((i) => i.field);
    expect(codes).toEqual(["takeProfit", "stopLoss"]);
  });

  it("an input whose getter throws becomes one malformed issue", () => {
    const hostile = Object.defineProperty({ ...limitSpec() }, "side", {
      get() {
        throw new Error(`boom ${SECRET}`);
      },
      enumerable: true,
    });
    const issues = untyped(validateOrderSpec)(hostile) as { code: string; message: string }[];
    expect(issues).toEqual([expect.objectContaining({ code: "malformed" })]);
    expect(issues[0]?.message).not.toContain("sk-live");
  });
});

describe("builders and assertValidCommand reject bad ids with the typed error", () => {
  const base = { side: "buy", quantity: "0.01", price: "50000" } as const;

  it('clientOrderId: "" names the field and the value', () => {
    const err = validationErrorOf(() =>
      untyped(limitOrder)({ ...base, clientOrderId: "", instrumentId: "BTC-USD.COINBASE" }),
    );
    expect(err.issues).toEqual([
      {
        field: "order.clientOrderId",
        code: "invalid-id",
        message: "must not be empty (got an empty string)",
      },
    ]);
  });

  it("instrumentId: 42 names the field and the value", () => {
    const err = validationErrorOf(() =>
      untyped(marketOrder)({ ...base, clientOrderId: COID, instrumentId: 42 }),
    );
    expect(err.issues).toEqual([
      { field: "order.instrumentId", code: "invalid-id", message: "must be a string (got 42)" },
    ]);
  });

  it("a null input is a CommandValidationError", () => {
    expect(validationErrorOf(() => untyped(limitOrder)(null)).issues[0]?.code).toBe("not-an-object");
  });

  it("an empty strategy id is rejected", () => {
    const command = {
      type: "SubmitOrder",
      strategyId: "",
      order: limitSpec(),
      tsInit: 1,
    } as unknown as TradingCommand;
    const err = validationErrorOf(() => assertValidCommand(command));
    expect(err.issues).toEqual([
      { field: "strategyId", code: "invalid-id", message: "must not be empty (got an empty string)" },
    ]);
    expect(err.message).toBe("SubmitOrder is invalid: strategyId: must not be empty (got an empty string)");
  });
});

describe("messages never repeat a value that could be a secret", () => {
  it("in issues, builders, instruments, balances and bars", () => {
    const texts: string[] = [];
    const collect = (call: () => unknown) => {
      try {
        call();
      } catch (error) {
        for (let e: unknown = error; e instanceof Error; e = e.cause) texts.push(e.message);
      }
    };
    collect(() =>
      untyped(limitOrder)({ ...limitSpec(), clientOrderId: SECRET, quantity: SECRET, price: "1" }),
    );
    collect(() => untyped(createSpotInstrument)({ symbol: SECRET, venue: "COINBASE" }));
    collect(() => untyped(createBalance)(SECRET, "1"));
    collect(() => untyped(createBalance)("USD", SECRET));
    collect(() => untyped(createBar)({ instrumentId: SECRET }));
    const issues = untyped(validateOrderSpec)({ ...limitSpec(), side: SECRET, quantity: D(1) }) as {
      message: string;
    }[];
    texts.push(...issues.map((i) => i.message));
    expect(texts.length).toBeGreaterThanOrEqual(6);
    for (const text of texts) expect(text).not.toContain("sk-live");
  });
});
