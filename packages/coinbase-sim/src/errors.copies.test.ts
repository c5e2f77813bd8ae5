import { type BuiltCopies, loadBuiltCopies } from "@gpt/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CoinbaseSimError, isCoinbaseSimError } from "./errors.js";

type Sim = typeof import("./index.js");

// Builds the package twice (ESM and CommonJS) and loads both: a busy machine can take a while.
const BUILD_TIMEOUT_MS = 180_000;
const BRAND = Symbol.for("@gpt/coinbase-sim/error");

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("CoinbaseSimError across copies of the package (ESM and CommonJS builds in one process)", () => {
  let copies: BuiltCopies<Sim>;
  beforeAll(async () => {
    copies = await loadBuiltCopies<Sim>(new URL("./index.ts", import.meta.url));
  }, BUILD_TIMEOUT_MS);
  afterAll(() => copies?.dispose());

  it("are two copies: a plain prototype check would fail", () => {
    const { esm, cjs } = copies;
    expect(esm.CoinbaseSimError).not.toBe(cjs.CoinbaseSimError);
    const error = new cjs.CoinbaseSimError("invalid-config", "speed: must be a positive number");
    expect(Object.prototype.isPrototypeOf.call(esm.CoinbaseSimError.prototype, error)).toBe(false);
  });

  it("the guard and instanceof recognise an error thrown by the other copy, with its code", async () => {
    const { esm, cjs } = copies;
    const thrown = await rejectionOf(cjs.startSimulator({ speed: -1 }));
    for (const guard of [esm.isCoinbaseSimError, cjs.isCoinbaseSimError, isCoinbaseSimError]) {
      expect(guard(thrown)).toBe(true);
    }
    expect(thrown instanceof esm.CoinbaseSimError).toBe(true);
    expect(thrown instanceof CoinbaseSimError).toBe(true);
    expect(thrown instanceof Error).toBe(true);
    if (!esm.isCoinbaseSimError(thrown)) throw new Error("unreachable");
    expect(thrown.code).toBe("invalid-config");
    expect(thrown.name).toBe("CoinbaseSimError");
    expect(thrown.context.field).toBe("speed");

    const fromEsm = await rejectionOf(esm.startSimulator({ port: 1.5 }));
    expect(cjs.isCoinbaseSimError(fromEsm)).toBe(true);
    expect(fromEsm instanceof cjs.CoinbaseSimError).toBe(true);
    expect(fromEsm instanceof CoinbaseSimError).toBe(true);
  });

  it("rejects everything that is not a CoinbaseSimError", () => {
    const { esm, cjs } = copies;
    const lookalike = { name: "CoinbaseSimError", code: "invalid-config", message: "x" };
    for (const value of [new Error("x"), lookalike, null, undefined, "CoinbaseSimError", 42]) {
      expect(esm.isCoinbaseSimError(value)).toBe(false);
      expect(cjs.isCoinbaseSimError(value)).toBe(false);
      expect(value instanceof esm.CoinbaseSimError).toBe(false);
    }
  });
});

describe("CoinbaseSimError brand", () => {
  it("is a non-enumerable Symbol.for property that key listings do not show", () => {
    const error = new CoinbaseSimError("start-failed", "could not listen on port 1", { field: "port" });
    expect((error as unknown as Record<symbol, unknown>)[BRAND]).toBe(true);
    expect(Object.getOwnPropertyDescriptor(error, BRAND)?.enumerable).toBe(false);
    expect(Object.keys(error)).not.toContain(String(BRAND));
    expect(JSON.parse(JSON.stringify(error))).not.toHaveProperty(String(BRAND));
  });

  it("leaves classes derived outside the package with the plain prototype check", () => {
    class AppError extends CoinbaseSimError {}
    const app = new AppError("invalid-data", "app");
    expect(app instanceof AppError).toBe(true);
    expect(app instanceof CoinbaseSimError).toBe(true);
    expect(isCoinbaseSimError(app)).toBe(true);
    expect(new CoinbaseSimError("invalid-data", "plain") instanceof AppError).toBe(false);
  });
});
