import { type BuiltCopies, loadBuiltCopies } from "@gpt/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRegimeError, RegimeError } from "./errors.js";

type Module = typeof import("./index.js");

// Builds the package twice (ESM and CommonJS) and loads both: a busy machine can take a while.
const BUILD_TIMEOUT_MS = 120_000;
const BRAND = Symbol.for("@gpt/regime/error");

describe("RegimeError across copies of the package (ESM and CommonJS builds in one process)", () => {
  let copies: BuiltCopies<Module>;
  beforeAll(async () => {
    copies = await loadBuiltCopies<Module>(new URL("./index.ts", import.meta.url));
  }, BUILD_TIMEOUT_MS);
  afterAll(() => copies?.dispose());

  it("are two copies: a plain prototype check would fail", () => {
    const { esm, cjs } = copies;
    expect(esm.RegimeError).not.toBe(cjs.RegimeError);
    const error = new cjs.RegimeError("invalid-input", "close", Number.NaN, "close: not finite");
    expect(Object.prototype.isPrototypeOf.call(esm.RegimeError.prototype, error)).toBe(false);
  });

  it("the guard and instanceof recognise an error thrown by the other copy, with its code", () => {
    const { esm, cjs } = copies;
    let thrown: unknown;
    try {
      new cjs.Sma({ period: 0 });
    } catch (error) {
      thrown = error;
    }
    for (const guard of [esm.isRegimeError, cjs.isRegimeError, isRegimeError])
      expect(guard(thrown)).toBe(true);
    expect(thrown instanceof esm.RegimeError).toBe(true);
    expect(thrown instanceof RegimeError).toBe(true);
    expect(thrown instanceof Error).toBe(true);
    if (!esm.isRegimeError(thrown)) throw new Error("unreachable");
    expect(thrown.code).toBe("invalid-parameter");
    expect(thrown.name).toBe("RegimeError");

    const fromEsm = new esm.RegimeError("invalid-input", "close", Number.NaN, "close: not finite");
    expect(cjs.isRegimeError(fromEsm)).toBe(true);
    expect(fromEsm instanceof cjs.RegimeError).toBe(true);
    expect(fromEsm.code).toBe("invalid-input");
  });

  it("rejects everything that is not a RegimeError", () => {
    const { esm } = copies;
    const lookalike = { name: "RegimeError", code: "invalid-parameter", message: "x" };
    const foreign = Object.assign(new Error("x"), { [Symbol.for("@gpt/other/error")]: true });
    for (const value of [new Error("x"), lookalike, foreign, null, undefined, "RegimeError", 42]) {
      expect(esm.isRegimeError(value)).toBe(false);
      expect(value instanceof esm.RegimeError).toBe(false);
    }
  });
});

describe("RegimeError brand", () => {
  it("is a non-enumerable Symbol.for property", () => {
    const error = new RegimeError("invalid-input", "close", Number.NaN, "close: not finite");
    expect((error as unknown as Record<symbol, unknown>)[BRAND]).toBe(true);
    expect(Object.getOwnPropertyDescriptor(error, BRAND)?.enumerable).toBe(false);
    expect(Object.getOwnPropertySymbols(JSON.parse(JSON.stringify(error)))).toEqual([]);
  });

  it("leaves classes derived outside the package with the plain prototype check", () => {
    class AppError extends RegimeError {}
    const app = new AppError("invalid-input", "close", Number.NaN, "close: not finite");
    expect(app instanceof AppError).toBe(true);
    expect(app instanceof RegimeError).toBe(true);
    expect(isRegimeError(app)).toBe(true);
    expect(
      new RegimeError("invalid-input", "close", Number.NaN, "close: not finite") instanceof AppError,
    ).toBe(false);
  });
});
