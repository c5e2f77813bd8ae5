import { type BuiltCopies, loadBuiltCopies } from "@gpt/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isKernelError, KernelError } from "./errors.js";

type Module = typeof import("./index.js");

// Builds the package twice (ESM and CommonJS) and loads both: a busy machine can take a while.
const BUILD_TIMEOUT_MS = 120_000;
const BRAND = Symbol.for("@gpt/kernel/error");

describe("KernelError across copies of the package (ESM and CommonJS builds in one process)", () => {
  let copies: BuiltCopies<Module>;
  beforeAll(async () => {
    copies = await loadBuiltCopies<Module>(new URL("./index.ts", import.meta.url));
  }, BUILD_TIMEOUT_MS);
  afterAll(() => copies?.dispose());

  it("are two copies: a plain prototype check would fail", () => {
    const { esm, cjs } = copies;
    expect(esm.KernelError).not.toBe(cjs.KernelError);
    const error = new cjs.KernelError("invalid-options", "bad options");
    expect(Object.prototype.isPrototypeOf.call(esm.KernelError.prototype, error)).toBe(false);
  });

  it("the guard and instanceof recognise an error thrown by the other copy, with its code", () => {
    const { esm, cjs } = copies;
    let thrown: unknown;
    try {
      throw new cjs.KernelError("stopped", "the trader is stopped");
    } catch (error) {
      thrown = error;
    }
    for (const guard of [esm.isKernelError, cjs.isKernelError, isKernelError])
      expect(guard(thrown)).toBe(true);
    expect(thrown instanceof esm.KernelError).toBe(true);
    expect(thrown instanceof KernelError).toBe(true);
    expect(thrown instanceof Error).toBe(true);
    if (!esm.isKernelError(thrown)) throw new Error("unreachable");
    expect(thrown.code).toBe("stopped");
    expect(thrown.name).toBe("KernelError");

    const fromEsm = new esm.KernelError("invalid-options", "bad options");
    expect(cjs.isKernelError(fromEsm)).toBe(true);
    expect(fromEsm instanceof cjs.KernelError).toBe(true);
    expect(fromEsm.code).toBe("invalid-options");
  });

  it("rejects everything that is not a KernelError", () => {
    const { esm } = copies;
    const lookalike = { name: "KernelError", code: "stopped", message: "x" };
    const foreign = Object.assign(new Error("x"), { [Symbol.for("@gpt/other/error")]: true });
    for (const value of [new Error("x"), lookalike, foreign, null, undefined, "KernelError", 42]) {
      expect(esm.isKernelError(value)).toBe(false);
      expect(value instanceof esm.KernelError).toBe(false);
    }
  });
});

describe("KernelError brand", () => {
  it("is a non-enumerable Symbol.for property", () => {
    const error = new KernelError("invalid-options", "bad options");
    expect((error as unknown as Record<symbol, unknown>)[BRAND]).toBe(true);
    expect(Object.getOwnPropertyDescriptor(error, BRAND)?.enumerable).toBe(false);
    expect(Object.getOwnPropertySymbols(JSON.parse(JSON.stringify(error)))).toEqual([]);
  });

  it("leaves classes derived outside the package with the plain prototype check", () => {
    class AppError extends KernelError {}
    const app = new AppError("invalid-options", "bad options");
    expect(app instanceof AppError).toBe(true);
    expect(app instanceof KernelError).toBe(true);
    expect(isKernelError(app)).toBe(true);
    expect(new KernelError("invalid-options", "bad options") instanceof AppError).toBe(false);
  });
});
