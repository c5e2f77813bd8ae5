import { Decimal as GlobalDecimal } from "decimal.js";
import { describe, expect, it } from "vitest";
import { D, type DecimalInput, parseDecimal } from "./decimal.js";
import { QuantizeError } from "./errors.js";

/** Runs `fn`, expects a QuantizeError, and returns it for further checks. */
function quantizeErrorOf(fn: () => unknown): QuantizeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(QuantizeError);
    return err as QuantizeError;
  }
  throw new Error("expected a QuantizeError, nothing was thrown");
}

describe("parseDecimal accepts", () => {
  it.each([
    ["0.00000001", "0.00000001"],
    ["68923.67", "68923.67"],
    ["-0.28560028286595", "-0.28560028286595"],
    ["267187147.2294696735908216", "267187147.2294696735908216"],
    ["150000000", "150000000"],
    ["1e-8", "0.00000001"],
    ["1E5", "100000"],
    ["+1.5", "1.5"],
    ["1.", "1"],
    [".5", "0.5"],
    ["0", "0"],
    ["1e100", `1${"0".repeat(100)}`],
  ])("%j as %s", (input, expected) => {
    const d = parseDecimal(input);
    expect(d.toString()).toBe(expected);
    expect(d.constructor).toBe(D);
  });

  it("takes a number by its shortest round-trip decimal, so 0.1 is exactly 0.1", () => {
    expect(parseDecimal(0.1).eq(new D("0.1"))).toBe(true);
    expect(parseDecimal(0.1 + 0.2).toString()).toBe("0.30000000000000004");
    expect(parseDecimal(1e-7).toString()).toBe("0.0000001");
    expect(parseDecimal(-0).isZero()).toBe(true);
  });

  it("copies a Decimal of another decimal.js constructor into D", () => {
    const foreign = new GlobalDecimal("12.5");
    const d = parseDecimal(foreign);
    expect(d.constructor).toBe(D);
    expect(d.toString()).toBe("12.5");
  });

  it("counts negative zero as zero, not as negative", () => {
    expect(parseDecimal("-0", { allowNegative: false }).isZero()).toBe(true);
    expect(parseDecimal(-0, { allowNegative: false }).isZero()).toBe(true);
  });
});

describe("parseDecimal rejects, naming the field and the value", () => {
  const bad: readonly [string, unknown][] = [
    ["NaN (number)", Number.NaN],
    ["Infinity (number)", Number.POSITIVE_INFINITY],
    ["-Infinity (number)", Number.NEGATIVE_INFINITY],
    ["a number beyond the exponent bound", 1e300],
    ["a denormal number", 5e-324],
    ['"NaN"', "NaN"],
    ['"Infinity"', "Infinity"],
    ['"-Infinity"', "-Infinity"],
    ["the empty string", ""],
    ['"1e999"', "1e999"],
    ['"1e-999"', "1e-999"],
    ['"1e101"', "1e101"],
    ["an exponent that overflows decimal.js", "1e99999999999999999999"],
    ["an exponent that underflows decimal.js", "1e-99999999999999999999"],
    ["hex", "0x10"],
    ["binary", "0b101"],
    ["octal", "0o17"],
    ["leading space", " 1.5"],
    ["trailing space", "1.5 "],
    ["tab and newline padding", "\t1.5\n"],
    ["only spaces", "   "],
    ["inner space", "1 000"],
    ["comma decimal", "1,5"],
    ["digit separator", "1_000"],
    ["letters", "abc"],
    ["trailing garbage", "0.1f"],
    ["two dots", "1.2.3"],
    ["double sign", "--1"],
    ["mixed signs", "+-1"],
    ["a lone dot", "."],
    ["a lone sign", "-"],
    ["exponent without digits", "1e"],
    ["exponent without mantissa", "e5"],
    ["non-ASCII digits", "١٢"],
    ["a string over 400 characters", "1".repeat(401)],
    ["null", null],
    ["undefined", undefined],
    ["an object", { value: "1" }],
    ["a boolean", true],
    ["a bigint", 10n],
    ["a NaN Decimal", new GlobalDecimal(Number.NaN)],
    ["an infinite Decimal", new D(Number.POSITIVE_INFINITY)],
  ];

  it.each(bad)("%s", (_label, input) => {
    const err = quantizeErrorOf(() => parseDecimal(input as DecimalInput, { field: "limitPrice" }));
    expect(err.code).toBe("invalid-decimal");
    expect(err.field).toBe("limitPrice");
    expect(err.value).toBe(input);
    expect(err.name).toBe("QuantizeError");
    expect(err.message).toMatch(/^limitPrice: /);
  });

  it("quotes a number-shaped offending string in the message", () => {
    const err = quantizeErrorOf(() => parseDecimal("12.3.4", { field: "size" }));
    expect(err.message).toContain('"12.3.4"');
  });

  it("describes any other offending string by its length only (it could be a secret)", () => {
    const err = quantizeErrorOf(() => parseDecimal("12abc", { field: "size" }));
    expect(err.message).toBe("size: not a plain decimal string (got a 5-character string)");
  });

  it("defaults the field name to value", () => {
    expect(quantizeErrorOf(() => parseDecimal("x")).field).toBe("value");
  });

  it("rejects negatives when allowNegative is false", () => {
    for (const input of ["-1", "-0.00000001", -3, new D("-2")]) {
      const err = quantizeErrorOf(() => parseDecimal(input, { field: "size", allowNegative: false }));
      expect(err.code).toBe("negative-not-allowed");
      expect(err.field).toBe("size");
      expect(err.value).toBe(input);
    }
    expect(parseDecimal("-1").toString()).toBe("-1");
  });

  it("rejects zero when allowZero is false", () => {
    for (const input of ["0", "0.000", "-0", 0, "0e5"]) {
      const err = quantizeErrorOf(() => parseDecimal(input, { field: "price", allowZero: false }));
      expect(err.code).toBe("zero-not-allowed");
      expect(err.field).toBe("price");
    }
  });
});

describe("D", () => {
  it("never prints exponent notation", () => {
    expect(new D("1e-8").toString()).toBe("0.00000001");
    expect(new D("1e30").toString()).toBe(`1${"0".repeat(30)}`);
    expect(new D("1").div(3).toString()).toBe(`0.${"3".repeat(40)}`);
  });
});
