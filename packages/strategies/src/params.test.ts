import { describe, expect, it } from "vitest";
import { z } from "zod";
import { StrategyError } from "./errors.js";
import {
  boolParam,
  enumParam,
  intParam,
  numberParam,
  parseParamArgs,
  parseParams,
  positiveParam,
} from "./params.js";

const schema = z
  .object({
    n: intParam(10, 1, 100),
    x: numberParam(0.5, 0, 1),
    p: positiveParam(1, 10),
    b: boolParam(false),
    e: enumParam(["a", "b"] as const, "a"),
  })
  .strict();

function errorOf(fn: () => unknown): StrategyError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StrategyError) return e;
    throw e;
  }
  throw new Error("expected a StrategyError");
}

describe("parseParams", () => {
  it("fills defaults", () => {
    expect(parseParams("s", schema, undefined)).toEqual({ n: 10, x: 0.5, p: 1, b: false, e: "a" });
  });

  it("coerces command-line strings", () => {
    expect(parseParams("s", schema, { n: " 20 ", x: "0.25", p: "2", b: "yes", e: "b" })).toEqual({
      n: 20,
      x: 0.25,
      p: 2,
      b: true,
      e: "b",
    });
    for (const [s, v] of [
      ["true", true],
      ["1", true],
      ["ON", true],
      ["false", false],
      ["0", false],
      ["no", false],
      ["off", false],
    ] as const) {
      expect(parseParams("s", schema, { b: s }).b).toBe(v);
    }
  });

  it.each([
    [{ n: "" }, "n"],
    [{ n: "abc" }, "n"],
    [{ n: "2.5" }, "n"],
    [{ n: 0 }, "n"],
    [{ x: 2 }, "x"],
    [{ p: 0 }, "p"],
    [{ b: "maybe" }, "b"],
    [{ e: "c" }, "e"],
    [{ unknownKey: 1 }, "unknownKey"],
  ])("rejects %o naming %s", (input, param) => {
    const e = errorOf(() => parseParams("my-strategy", schema, input));
    expect(e.code).toBe("invalid-params");
    expect(e.strategy).toBe("my-strategy");
    expect(e.param).toBe(param);
    expect(e.message).toContain("my-strategy");
    expect(e.message).toContain(param);
  });

  it("lists every problem", () => {
    const e = errorOf(() => parseParams("s", schema, { n: -1, x: 9, zzz: 1 }));
    expect(e.issues.map((i) => i.path).sort()).toEqual(["n", "x", "zzz"]);
  });

  it("refuses a non-object", () => {
    expect(errorOf(() => parseParams("s", schema, 5)).param).toBe("(root)");
    expect(errorOf(() => parseParams("s", schema, [])).param).toBe("(root)");
  });
});

describe("parseParamArgs", () => {
  it("builds nested objects of strings", () => {
    expect(parseParamArgs(["fast=10", "trendParams.slow=50", "trendParams.maType=sma", "expr=a=b"])).toEqual({
      fast: "10",
      trendParams: { slow: "50", maType: "sma" },
      expr: "a=b",
    });
    expect(parseParamArgs([])).toEqual({});
    expect(parseParamArgs(["constructor=1"])).toEqual({ constructor: "1" });
  });

  it.each([["noequals"], ["=5"], ["a..b=1"], ["1a=2"], ["__proto__=1"], ["a b=1"]])("rejects %s", (arg) => {
    expect(errorOf(() => parseParamArgs([arg])).code).toBe("invalid-input");
  });

  it("rejects duplicates and value/group conflicts", () => {
    expect(errorOf(() => parseParamArgs(["a=1", "a=2"])).code).toBe("invalid-input");
    expect(errorOf(() => parseParamArgs(["a=1", "a.b=2"])).code).toBe("invalid-input");
    expect(errorOf(() => parseParamArgs(["a.b=2", "a=1"])).code).toBe("invalid-input");
  });
});
