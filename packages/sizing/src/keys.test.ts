import { describe, expect, it } from "vitest";
import { SizingError } from "./errors.js";
import { sizeByAtr, sizeByKelly, sizePosition } from "./size.js";
import { BTC_USD_NO_FEES } from "./testing/instruments.js";

/** Untyped callers (JavaScript, JSON) reach the same functions. */
type AnyFn = (input: unknown) => unknown;
const untyped = (fn: unknown) => fn as AnyFn;

function errorOf(call: () => unknown): SizingError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(SizingError);
    return error as SizingError;
  }
  throw new Error("expected a SizingError");
}

const base = {
  equity: "10000",
  price: "50000",
  instrument: BTC_USD_NO_FEES,
  method: { kind: "fixed-fraction", fraction: 0.5 },
};

describe("unknown keys are rejected, naming the key (issue 11)", () => {
  it("availableMargin at the top level instead of in caps", () => {
    const err = errorOf(() => untyped(sizePosition)({ ...base, availableMargin: "100" }));
    expect(err.code).toBe("invalid-input");
    expect(err.field).toBe("availableMargin");
    expect(err.value).toBe("100");
    expect(err.message).toBe(
      'input: unknown key "availableMargin" (it belongs in caps); allowed: equity, price, instrument, caps, confidence, confidenceCurve, regimeMultiplier, method',
    );
  });

  it("a typo in caps, method, the Kelly estimate and the confidence curve", () => {
    expect(errorOf(() => untyped(sizePosition)({ ...base, caps: { maxNotinal: "5" } })).field).toBe(
      "caps.maxNotinal",
    );
    expect(
      errorOf(() =>
        untyped(sizePosition)({ ...base, method: { kind: "fixed-fraction", fraction: 0.5, atr: 3 } }),
      ).field,
    ).toBe("method.atr");
    const kelly = { kind: "kelly", estimate: { winRate: 0.5, payoffRatio: 2, variance: 1 } };
    expect(errorOf(() => untyped(sizePosition)({ ...base, method: kelly })).field).toBe(
      "method.estimate.variance",
    );
    expect(
      errorOf(() =>
        untyped(sizePosition)({ ...base, confidence: 0.5, confidenceCurve: { kind: "power", exponant: 2 } }),
      ).field,
    ).toBe("confidenceCurve.exponant");
  });

  it("sizeBy* accept the context and their own parameters only", () => {
    const { method: _method, ...context } = base;
    const err = errorOf(() =>
      untyped(sizeByAtr)({ ...context, atr: 100, riskFraction: 0.01, fraction: 0.1 }),
    );
    expect(err.field).toBe("fraction");
    expect(err.message).toContain("(a method parameter)");
    expect(
      errorOf(() => untyped(sizeByKelly)({ ...context, estimate: { winRate: 0.5, payofRatio: 2 } })).field,
    ).toBe("estimate.payofRatio");
  });

  it("long keys are quoted shortened and escaped", () => {
    const key = `${"k".repeat(60)}\n`;
    const err = errorOf(() => untyped(sizePosition)({ ...base, [key]: 1 }));
    expect(err.message).toContain(`"${"k".repeat(40)}…"`);
    expect(err.message).not.toContain("\n");
  });

  it("valid inputs still size", () => {
    expect(
      (untyped(sizePosition)({ ...base, caps: { availableMargin: "100" } }) as { kind: string }).kind,
    ).toBe("sized");
  });
});
