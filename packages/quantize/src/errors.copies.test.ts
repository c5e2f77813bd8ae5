import { type BuiltCopies, loadBuiltCopies } from "@gpt/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isQuantizeError, QuantizeError } from "./errors.js";

type Module = typeof import("./index.js");

// Builds the package twice (ESM and CommonJS) and loads both: a busy machine can take a while.
const BUILD_TIMEOUT_MS = 120_000;
const BRAND = Symbol.for("@gpt/quantize/error");

describe("QuantizeError across copies of the package (ESM and CommonJS builds in one process)", () => {
  let copies: BuiltCopies<Module>;
  beforeAll(async () => {
    copies = await loadBuiltCopies<Module>(new URL("./index.ts", import.meta.url));
  }, BUILD_TIMEOUT_MS);
  afterAll(() => copies?.dispose());

  it("are two copies: a plain prototype check would fail", () => {
    const { esm, cjs } = copies;
    expect(esm.QuantizeError).not.toBe(cjs.QuantizeError);
    const error = new cjs.QuantizeError("invalid-decimal", "price", "abc", "price: not a decimal");
    expect(Object.prototype.isPrototypeOf.call(esm.QuantizeError.prototype, error)).toBe(false);
  });

  it("the guard and instanceof recognise an error thrown by the other copy, with its code", () => {
    const { esm, cjs } = copies;
    let thrown: unknown;
    try {
      cjs.parseDecimal("abc", { field: "price" });
    } catch (error) {
      thrown = error;
    }
    for (const guard of [esm.isQuantizeError, cjs.isQuantizeError, isQuantizeError])
      expect(guard(thrown)).toBe(true);
    expect(thrown instanceof esm.QuantizeError).toBe(true);
    expect(thrown instanceof QuantizeError).toBe(true);
    expect(thrown instanceof Error).toBe(true);
    if (!esm.isQuantizeError(thrown)) throw new Error("unreachable");
    expect(thrown.code).toBe("invalid-decimal");
    expect(thrown.name).toBe("QuantizeError");

    const fromEsm = new esm.QuantizeError("invalid-decimal", "price", "abc", "price: not a decimal");
    expect(cjs.isQuantizeError(fromEsm)).toBe(true);
    expect(fromEsm instanceof cjs.QuantizeError).toBe(true);
    expect(fromEsm.code).toBe("invalid-decimal");
  });

  it("rejects everything that is not a QuantizeError", () => {
    const { esm } = copies;
    const lookalike = { name: "QuantizeError", code: "invalid-decimal", message: "x" };
    const foreign = Object.assign(new Error("x"), { [Symbol.for("@gpt/other/error")]: true });
    for (const value of [new Error("x"), lookalike, foreign, null, undefined, "QuantizeError", 42]) {
      expect(esm.isQuantizeError(value)).toBe(false);
      expect(value instanceof esm.QuantizeError).toBe(false);
    }
  });
});

describe("QuantizeError brand", () => {
  it("is a non-enumerable Symbol.for property", () => {
    const error = new QuantizeError("invalid-decimal", "price", "abc", "price: not a decimal");
    expect((error as unknown as Record<symbol, unknown>)[BRAND]).toBe(true);
    expect(Object.getOwnPropertyDescriptor(error, BRAND)?.enumerable).toBe(false);
    expect(Object.getOwnPropertySymbols(JSON.parse(JSON.stringify(error)))).toEqual([]);
  });

  it("leaves classes derived outside the package with the plain prototype check", () => {
    class AppError extends QuantizeError {}
    const app = new AppError("invalid-decimal", "price", "abc", "price: not a decimal");
    expect(app instanceof AppError).toBe(true);
    expect(app instanceof QuantizeError).toBe(true);
    expect(isQuantizeError(app)).toBe(true);
    expect(
      new QuantizeError("invalid-decimal", "price", "abc", "price: not a decimal") instanceof AppError,
    ).toBe(false);
  });
});
