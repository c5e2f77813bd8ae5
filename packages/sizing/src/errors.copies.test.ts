import { type BuiltCopies, loadBuiltCopies } from "@gpt/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSizingError, SizingError } from "./errors.js";

type Module = typeof import("./index.js");

// Builds the package twice (ESM and CommonJS) and loads both: a busy machine can take a while.
const BUILD_TIMEOUT_MS = 120_000;
const BRAND = Symbol.for("@gpt/sizing/error");

describe("SizingError across copies of the package (ESM and CommonJS builds in one process)", () => {
  let copies: BuiltCopies<Module>;
  beforeAll(async () => {
    copies = await loadBuiltCopies<Module>(new URL("./index.ts", import.meta.url));
  }, BUILD_TIMEOUT_MS);
  afterAll(() => copies?.dispose());

  it("are two copies: a plain prototype check would fail", () => {
    const { esm, cjs } = copies;
    expect(esm.SizingError).not.toBe(cjs.SizingError);
    const error = new cjs.SizingError("invalid-input", "equity", -1, "equity: must be >= 0");
    expect(Object.prototype.isPrototypeOf.call(esm.SizingError.prototype, error)).toBe(false);
  });

  it("the guard and instanceof recognise an error thrown by the other copy, with its code", () => {
    const { esm, cjs } = copies;
    let thrown: unknown;
    try {
      cjs.parseSizingConfig({ bogus: 1 });
    } catch (error) {
      thrown = error;
    }
    for (const guard of [esm.isSizingError, cjs.isSizingError, isSizingError])
      expect(guard(thrown)).toBe(true);
    expect(thrown instanceof esm.SizingError).toBe(true);
    expect(thrown instanceof SizingError).toBe(true);
    expect(thrown instanceof Error).toBe(true);
    if (!esm.isSizingError(thrown)) throw new Error("unreachable");
    expect(thrown.code).toBe("invalid-config");
    expect(thrown.name).toBe("SizingError");

    const fromEsm = new esm.SizingError("invalid-input", "equity", -1, "equity: must be >= 0");
    expect(cjs.isSizingError(fromEsm)).toBe(true);
    expect(fromEsm instanceof cjs.SizingError).toBe(true);
    expect(fromEsm.code).toBe("invalid-input");
  });

  it("rejects everything that is not a SizingError", () => {
    const { esm } = copies;
    const lookalike = { name: "SizingError", code: "invalid-config", message: "x" };
    const foreign = Object.assign(new Error("x"), { [Symbol.for("@gpt/other/error")]: true });
    for (const value of [new Error("x"), lookalike, foreign, null, undefined, "SizingError", 42]) {
      expect(esm.isSizingError(value)).toBe(false);
      expect(value instanceof esm.SizingError).toBe(false);
    }
  });
});

describe("SizingError brand", () => {
  it("is a non-enumerable Symbol.for property", () => {
    const error = new SizingError("invalid-input", "equity", -1, "equity: must be >= 0");
    expect((error as unknown as Record<symbol, unknown>)[BRAND]).toBe(true);
    expect(Object.getOwnPropertyDescriptor(error, BRAND)?.enumerable).toBe(false);
    expect(Object.getOwnPropertySymbols(JSON.parse(JSON.stringify(error)))).toEqual([]);
  });

  it("leaves classes derived outside the package with the plain prototype check", () => {
    class AppError extends SizingError {}
    const app = new AppError("invalid-input", "equity", -1, "equity: must be >= 0");
    expect(app instanceof AppError).toBe(true);
    expect(app instanceof SizingError).toBe(true);
    expect(isSizingError(app)).toBe(true);
    expect(new SizingError("invalid-input", "equity", -1, "equity: must be >= 0") instanceof AppError).toBe(
      false,
    );
  });
});
