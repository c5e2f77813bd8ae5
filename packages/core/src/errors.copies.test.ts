import { type BuiltCopies, loadBuiltCopies } from "@gpt/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CoreError, InstrumentError, InvalidIdError, isCoreError, OrderStateError } from "./errors.js";

type Core = typeof import("./index.js");

// Builds the package twice (ESM and CommonJS) and loads both: a busy machine can take a while.
const BUILD_TIMEOUT_MS = 120_000;
const BRAND = Symbol.for("@gpt/core/error");

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("CoreError across copies of the package (ESM and CommonJS builds in one process)", () => {
  let copies: BuiltCopies<Core>;
  beforeAll(async () => {
    copies = await loadBuiltCopies<Core>(new URL("./index.ts", import.meta.url));
  }, BUILD_TIMEOUT_MS);
  afterAll(() => copies?.dispose());

  it("are two copies: a plain prototype check would fail", () => {
    const { esm, cjs } = copies;
    expect(esm.CoreError).not.toBe(cjs.CoreError);
    const error = thrownBy(() => cjs.venue("not a venue"));
    expect(Object.prototype.isPrototypeOf.call(esm.CoreError.prototype, error as object)).toBe(false);
  });

  it("the guard and instanceof recognise an error thrown by the other copy, with its code", () => {
    const { esm, cjs } = copies;
    const thrown = thrownBy(() => cjs.venue("not a venue"));
    for (const guard of [esm.isCoreError, cjs.isCoreError, isCoreError]) expect(guard(thrown)).toBe(true);
    expect(thrown instanceof esm.InvalidIdError).toBe(true);
    expect(thrown instanceof esm.CoreError).toBe(true);
    expect(thrown instanceof InvalidIdError).toBe(true);
    expect(thrown instanceof CoreError).toBe(true);
    if (!esm.isCoreError(thrown)) throw new Error("unreachable");
    expect(thrown.code).toBe("invalid-id");
    expect(thrown.name).toBe("InvalidIdError");
    expect(thrown.context).toMatchObject({ field: "venue" });

    const fromEsm = thrownBy(() => esm.unixMillis(-1));
    expect(cjs.isCoreError(fromEsm)).toBe(true);
    expect(fromEsm instanceof cjs.CoreError).toBe(true);
  });

  it("a subclass check matches that subclass (and its ancestors) only", () => {
    const { esm, cjs } = copies;
    const base = thrownBy(() => cjs.unixMillis(-1)); // a plain CoreError
    const id = thrownBy(() => cjs.venue("not a venue")); // an InvalidIdError
    expect(base instanceof esm.CoreError).toBe(true);
    for (const sub of [
      esm.InvalidIdError,
      esm.InstrumentError,
      esm.CommandValidationError,
      esm.OrderStateError,
      esm.PositionError,
    ]) {
      expect(base instanceof sub).toBe(false);
    }
    expect(id instanceof esm.InstrumentError).toBe(false);
    expect(id instanceof InstrumentError).toBe(false);
    expect(id instanceof OrderStateError).toBe(false);
    const state = new esm.OrderStateError("overfill", "O-1", "accepted", "OrderFilled", "too much");
    expect(state instanceof cjs.OrderStateError).toBe(true);
    expect(state instanceof cjs.CoreError).toBe(true);
    expect(state instanceof cjs.PositionError).toBe(false);
  });

  it("rejects everything that is not a CoreError", () => {
    const { esm } = copies;
    const lookalike = { name: "CoreError", code: "invalid-id", context: {}, message: "x" };
    for (const value of [new Error("x"), lookalike, null, undefined, "CoreError", 42]) {
      expect(esm.isCoreError(value)).toBe(false);
      expect(value instanceof esm.CoreError).toBe(false);
      expect(value instanceof esm.InvalidIdError).toBe(false);
    }
  });
});

describe("CoreError brand", () => {
  it("is a non-enumerable Symbol.for property on every CoreError", () => {
    for (const error of [new CoreError("invalid-value", "m"), new InvalidIdError("venue", "x y", "bad")]) {
      expect((error as unknown as Record<symbol, unknown>)[BRAND]).toBe(true);
      expect(Object.getOwnPropertyDescriptor(error, BRAND)?.enumerable).toBe(false);
      expect(Object.getOwnPropertySymbols(JSON.parse(JSON.stringify(error)))).toEqual([]);
    }
  });

  it("leaves classes derived outside the package with the plain prototype check", () => {
    class AppError extends InvalidIdError {}
    const app = new AppError("venue", "x y", "bad");
    expect(app instanceof AppError).toBe(true);
    expect(app instanceof InvalidIdError).toBe(true);
    expect(app instanceof CoreError).toBe(true);
    expect(app instanceof InstrumentError).toBe(false);
    expect(isCoreError(app)).toBe(true);
    expect(new InvalidIdError("venue", "x y", "bad") instanceof AppError).toBe(false);
  });
});
