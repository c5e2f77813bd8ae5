import { type BuiltCopies, loadBuiltCopies } from "@gpt/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CoinbaseClientError, isCoinbaseClientError } from "./errors.js";

type Client = typeof import("./index.js");

// Builds the package twice (ESM and CommonJS, zod/mini and undici bundled in) and loads both: a busy
// machine can take a while.
const BUILD_TIMEOUT_MS = 180_000;
const BRAND = Symbol.for("@gpt/coinbase-client/error");

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("CoinbaseClientError across copies of the package (ESM and CommonJS builds in one process)", () => {
  let copies: BuiltCopies<Client>;
  beforeAll(async () => {
    copies = await loadBuiltCopies<Client>(new URL("./index.ts", import.meta.url));
  }, BUILD_TIMEOUT_MS);
  afterAll(() => copies?.dispose());

  it("are two copies: a plain prototype check would fail", () => {
    const { esm, cjs } = copies;
    expect(esm.CoinbaseClientError).not.toBe(cjs.CoinbaseClientError);
    const error = new cjs.CoinbaseClientError("timeout", "getOrder: no answer within 10000 ms");
    expect(Object.prototype.isPrototypeOf.call(esm.CoinbaseClientError.prototype, error)).toBe(false);
  });

  it("the guard and instanceof recognise an error thrown by the other copy, with its code", () => {
    const { esm, cjs } = copies;
    const thrown = thrownBy(() => cjs.createCoinbaseContext({ timeoutMs: 0 }));
    for (const guard of [esm.isCoinbaseClientError, cjs.isCoinbaseClientError, isCoinbaseClientError]) {
      expect(guard(thrown)).toBe(true);
    }
    expect(thrown instanceof esm.CoinbaseClientError).toBe(true);
    expect(thrown instanceof CoinbaseClientError).toBe(true);
    expect(thrown instanceof Error).toBe(true);
    if (!esm.isCoinbaseClientError(thrown)) throw new Error("unreachable");
    expect(thrown.code).toBe("invalid-config");
    expect(thrown.name).toBe("CoinbaseClientError");
    expect(thrown.operation).toBe("createCoinbaseClient");

    const fromEsm = thrownBy(() => esm.createCoinbaseContext({ baseUrl: "/api" }));
    expect(cjs.isCoinbaseClientError(fromEsm)).toBe(true);
    expect(fromEsm instanceof cjs.CoinbaseClientError).toBe(true);
    expect(fromEsm instanceof CoinbaseClientError).toBe(true);
  });

  it("rejects everything that is not a CoinbaseClientError", () => {
    const { esm, cjs } = copies;
    const lookalike = { name: "CoinbaseClientError", code: "timeout", message: "x" };
    for (const value of [new Error("x"), lookalike, null, undefined, "CoinbaseClientError", 42]) {
      expect(esm.isCoinbaseClientError(value)).toBe(false);
      expect(cjs.isCoinbaseClientError(value)).toBe(false);
      expect(value instanceof esm.CoinbaseClientError).toBe(false);
    }
  });
});

describe("CoinbaseClientError brand", () => {
  it("is a non-enumerable Symbol.for property that key listings do not show", () => {
    const error = new CoinbaseClientError("http", "getOrder: HTTP 404", { status: 404, path: "/orders/x" });
    expect((error as unknown as Record<symbol, unknown>)[BRAND]).toBe(true);
    expect(Object.getOwnPropertySymbols(error)).toContain(BRAND);
    expect(Object.getOwnPropertyDescriptor(error, BRAND)?.enumerable).toBe(false);
    expect(Object.keys(error)).not.toContain(String(BRAND));
    expect(JSON.parse(JSON.stringify(error))).not.toHaveProperty(String(BRAND));
  });

  it("leaves classes derived outside the package with the plain prototype check", () => {
    class AppError extends CoinbaseClientError {}
    const app = new AppError("network", "app");
    expect(app instanceof AppError).toBe(true);
    expect(app instanceof CoinbaseClientError).toBe(true);
    expect(isCoinbaseClientError(app)).toBe(true);
    expect(new CoinbaseClientError("network", "plain") instanceof AppError).toBe(false);
  });
});
