import { type BuiltCopies, loadBuiltCopies } from "@gpt/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isStrategyError, StrategyError } from "./errors.js";

type Module = typeof import("./index.js");

// Builds the package twice (ESM and CommonJS) and loads both: a busy machine can take a while.
const BUILD_TIMEOUT_MS = 120_000;
const BRAND = Symbol.for("@gpt/strategies/error");

describe("StrategyError across copies of the package (ESM and CommonJS builds in one process)", () => {
  let copies: BuiltCopies<Module>;
  beforeAll(async () => {
    copies = await loadBuiltCopies<Module>(new URL("./index.ts", import.meta.url));
  }, BUILD_TIMEOUT_MS);
  afterAll(() => copies?.dispose());

  it("are two copies: a plain prototype check would fail", () => {
    const { esm, cjs } = copies;
    expect(esm.StrategyError).not.toBe(cjs.StrategyError);
    const error = new cjs.StrategyError("invalid-input", "bad input");
    expect(Object.prototype.isPrototypeOf.call(esm.StrategyError.prototype, error)).toBe(false);
  });

  it("the guard and instanceof recognise an error thrown by the other copy, with its code", () => {
    const { esm, cjs } = copies;
    let thrown: unknown;
    try {
      cjs.parseParamArgs(["no-equals-sign"]);
    } catch (error) {
      thrown = error;
    }
    for (const guard of [esm.isStrategyError, cjs.isStrategyError, isStrategyError])
      expect(guard(thrown)).toBe(true);
    expect(thrown instanceof esm.StrategyError).toBe(true);
    expect(thrown instanceof StrategyError).toBe(true);
    expect(thrown instanceof Error).toBe(true);
    if (!esm.isStrategyError(thrown)) throw new Error("unreachable");
    expect(thrown.code).toBe("invalid-input");
    expect(thrown.name).toBe("StrategyError");

    const fromEsm = new esm.StrategyError("invalid-input", "bad input");
    expect(cjs.isStrategyError(fromEsm)).toBe(true);
    expect(fromEsm instanceof cjs.StrategyError).toBe(true);
    expect(fromEsm.code).toBe("invalid-input");
  });

  it("rejects everything that is not a StrategyError", () => {
    const { esm } = copies;
    const lookalike = { name: "StrategyError", code: "invalid-input", message: "x" };
    const foreign = Object.assign(new Error("x"), { [Symbol.for("@gpt/other/error")]: true });
    for (const value of [new Error("x"), lookalike, foreign, null, undefined, "StrategyError", 42]) {
      expect(esm.isStrategyError(value)).toBe(false);
      expect(value instanceof esm.StrategyError).toBe(false);
    }
  });
});

describe("StrategyError brand", () => {
  it("is a non-enumerable Symbol.for property", () => {
    const error = new StrategyError("invalid-input", "bad input");
    expect((error as unknown as Record<symbol, unknown>)[BRAND]).toBe(true);
    expect(Object.getOwnPropertyDescriptor(error, BRAND)?.enumerable).toBe(false);
    expect(Object.getOwnPropertySymbols(JSON.parse(JSON.stringify(error)))).toEqual([]);
  });

  it("leaves classes derived outside the package with the plain prototype check", () => {
    class AppError extends StrategyError {}
    const app = new AppError("invalid-input", "bad input");
    expect(app instanceof AppError).toBe(true);
    expect(app instanceof StrategyError).toBe(true);
    expect(isStrategyError(app)).toBe(true);
    expect(new StrategyError("invalid-input", "bad input") instanceof AppError).toBe(false);
  });
});
