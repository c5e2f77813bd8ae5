import { type BuiltCopies, loadBuiltCopies } from "@gpt/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPaperEngineError, PaperEngineError } from "./errors.js";

type Module = typeof import("./index.js");

// Builds the package twice (ESM and CommonJS) and loads both: a busy machine can take a while.
const BUILD_TIMEOUT_MS = 120_000;
const BRAND = Symbol.for("@gpt/paper-engine/error");

describe("PaperEngineError across copies of the package (ESM and CommonJS builds in one process)", () => {
  let copies: BuiltCopies<Module>;
  beforeAll(async () => {
    copies = await loadBuiltCopies<Module>(new URL("./index.ts", import.meta.url));
  }, BUILD_TIMEOUT_MS);
  afterAll(() => copies?.dispose());

  it("are two copies: a plain prototype check would fail", () => {
    const { esm, cjs } = copies;
    expect(esm.PaperEngineError).not.toBe(cjs.PaperEngineError);
    const error = new cjs.PaperEngineError("invalid-config", "bad config");
    expect(Object.prototype.isPrototypeOf.call(esm.PaperEngineError.prototype, error)).toBe(false);
  });

  it("the guard and instanceof recognise an error thrown by the other copy, with its code", () => {
    const { esm, cjs } = copies;
    let thrown: unknown;
    try {
      throw new cjs.PaperEngineError("unknown-instrument", "no such instrument");
    } catch (error) {
      thrown = error;
    }
    for (const guard of [esm.isPaperEngineError, cjs.isPaperEngineError, isPaperEngineError])
      expect(guard(thrown)).toBe(true);
    expect(thrown instanceof esm.PaperEngineError).toBe(true);
    expect(thrown instanceof PaperEngineError).toBe(true);
    expect(thrown instanceof Error).toBe(true);
    if (!esm.isPaperEngineError(thrown)) throw new Error("unreachable");
    expect(thrown.code).toBe("unknown-instrument");
    expect(thrown.name).toBe("PaperEngineError");

    const fromEsm = new esm.PaperEngineError("invalid-config", "bad config");
    expect(cjs.isPaperEngineError(fromEsm)).toBe(true);
    expect(fromEsm instanceof cjs.PaperEngineError).toBe(true);
    expect(fromEsm.code).toBe("invalid-config");
  });

  it("rejects everything that is not a PaperEngineError", () => {
    const { esm } = copies;
    const lookalike = { name: "PaperEngineError", code: "unknown-instrument", message: "x" };
    const foreign = Object.assign(new Error("x"), { [Symbol.for("@gpt/other/error")]: true });
    for (const value of [new Error("x"), lookalike, foreign, null, undefined, "PaperEngineError", 42]) {
      expect(esm.isPaperEngineError(value)).toBe(false);
      expect(value instanceof esm.PaperEngineError).toBe(false);
    }
  });
});

describe("PaperEngineError brand", () => {
  it("is a non-enumerable Symbol.for property", () => {
    const error = new PaperEngineError("invalid-config", "bad config");
    expect((error as unknown as Record<symbol, unknown>)[BRAND]).toBe(true);
    expect(Object.getOwnPropertyDescriptor(error, BRAND)?.enumerable).toBe(false);
    expect(Object.getOwnPropertySymbols(JSON.parse(JSON.stringify(error)))).toEqual([]);
  });

  it("leaves classes derived outside the package with the plain prototype check", () => {
    class AppError extends PaperEngineError {}
    const app = new AppError("invalid-config", "bad config");
    expect(app instanceof AppError).toBe(true);
    expect(app instanceof PaperEngineError).toBe(true);
    expect(isPaperEngineError(app)).toBe(true);
    expect(new PaperEngineError("invalid-config", "bad config") instanceof AppError).toBe(false);
  });
});
