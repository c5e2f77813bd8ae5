import { type BuiltCopies, loadBuiltCopies } from "@gpt/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRiskError, RiskConfigError, RiskError } from "./errors.js";

type Risk = typeof import("./index.js");

// Builds the package twice (ESM and CommonJS) and loads both: a busy machine can take a while.
const BUILD_TIMEOUT_MS = 120_000;

describe("RiskError across copies of the package (ESM and CommonJS builds in one process)", () => {
  let copies: BuiltCopies<Risk>;
  beforeAll(async () => {
    copies = await loadBuiltCopies<Risk>(new URL("./index.ts", import.meta.url));
  }, BUILD_TIMEOUT_MS);
  afterAll(() => copies?.dispose());

  it("are two copies: plain prototype checks would fail", () => {
    const { esm, cjs } = copies;
    expect(esm.RiskError).not.toBe(cjs.RiskError);
    const error = new cjs.RiskError("invalid-input", "bad");
    expect(Object.prototype.isPrototypeOf.call(esm.RiskError.prototype, error)).toBe(false);
  });

  it("the guard and instanceof recognise an error thrown by the other copy, with its code", () => {
    const { esm, cjs } = copies;
    let thrown: unknown;
    try {
      cjs.parseRiskConfig({ maxLeverage: "abc" });
    } catch (error) {
      thrown = error;
    }
    for (const guard of [esm.isRiskError, cjs.isRiskError, isRiskError]) expect(guard(thrown)).toBe(true);
    expect(thrown instanceof esm.RiskConfigError).toBe(true);
    expect(thrown instanceof esm.RiskError).toBe(true);
    expect(thrown instanceof RiskConfigError).toBe(true);
    expect(thrown instanceof Error).toBe(true);
    if (!esm.isRiskError(thrown)) throw new Error("unreachable");
    expect(thrown.code).toBe("invalid-config");
    expect(thrown.name).toBe("RiskConfigError");

    const fromEsm = new esm.RiskError("invalid-input", "bad", { field: "order.quantity" });
    expect(cjs.isRiskError(fromEsm)).toBe(true);
    expect(fromEsm instanceof cjs.RiskError).toBe(true);
    expect(fromEsm instanceof RiskError).toBe(true);
  });

  it("a subclass check matches that subclass only", () => {
    const { esm, cjs } = copies;
    const base = new cjs.RiskError("invalid-state", "bad state");
    expect(base instanceof esm.RiskError).toBe(true);
    expect(base instanceof esm.RiskConfigError).toBe(false);
    expect(base instanceof RiskConfigError).toBe(false);
    const config = new esm.RiskConfigError([{ path: "maxLeverage", reason: "not a decimal number" }]);
    expect(config instanceof cjs.RiskConfigError).toBe(true);
    expect(config instanceof cjs.RiskError).toBe(true);
  });

  it("rejects everything that is not a RiskError", () => {
    const { esm } = copies;
    const lookalike = { name: "RiskError", code: "invalid-input", message: "x" };
    for (const value of [new Error("x"), lookalike, null, undefined, "RiskError", 42]) {
      expect(esm.isRiskError(value)).toBe(false);
      expect(value instanceof esm.RiskError).toBe(false);
    }
  });
});

describe("RiskError brand", () => {
  it("is a non-enumerable Symbol.for property that JSON and key listings do not show", () => {
    const error = new RiskError("invalid-input", "bad", { field: "f", value: 1 });
    expect((error as unknown as Record<symbol, unknown>)[Symbol.for("@gpt/risk/error")]).toBe(true);
    expect(Object.keys(error)).not.toContain(Symbol.for("@gpt/risk/error"));
    expect(Object.getOwnPropertyDescriptor(error, Symbol.for("@gpt/risk/error"))?.enumerable).toBe(false);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: "RiskError",
      code: "invalid-input",
      field: "f",
    });
    expect(error.value).toBe(1);
  });

  it("leaves classes derived outside the package with the plain prototype check", () => {
    class AppError extends RiskError {}
    const app = new AppError("invalid-input", "app");
    expect(app instanceof AppError).toBe(true);
    expect(app instanceof RiskError).toBe(true);
    expect(isRiskError(app)).toBe(true);
    expect(new RiskError("invalid-input", "plain") instanceof AppError).toBe(false);
  });
});
