import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { D, parseDecimal } from "./decimal.js";
import { formatPlain, formatToIncrement, roundAndFormat } from "./format.js";
import { decimalsOf, roundToIncrement } from "./rounding.js";
import { decimalArb, incrementArb, modeArb } from "./testing/oracle.js";

describe("formatToIncrement (strict)", () => {
  it.each([
    ["123.4", "0.01", "123.40"],
    ["123", "0.01", "123.00"],
    ["0.00000001", "0.00000001", "0.00000001"],
    ["1e-8", "0.00000001", "0.00000001"],
    ["0.1", "0.00000001", "0.10000000"],
    ["67895", "5", "67895"],
    ["1.5", "0.5", "1.5"],
    ["123.25", "0.25", "123.25"],
    ["123.5", "0.25", "123.50"],
    ["1200", "100", "1200"],
    ["0", "0.01", "0.00"],
    ["-0", "0.01", "0.00"],
    ["-12.3", "0.1", "-12.3"],
    ["150000000", "0.01", "150000000.00"],
    ["1e30", "1", `1${"0".repeat(30)}`],
  ])("%s on %s → %s", (value, increment, expected) => {
    expect(formatToIncrement(value, increment)).toBe(expected);
  });

  it("accepts Decimals and numbers", () => {
    expect(formatToIncrement(new D("0.3"), "0.01")).toBe("0.30");
    expect(formatToIncrement(0.3, "0.01")).toBe("0.30");
  });

  it.each([
    ["123.456", "0.01"],
    ["0.000000015", "0.00000001"],
    ["67892", "5"],
    ["1.7", "0.25"],
    ["1250", "100"],
  ])("refuses %s, which is not on %s", (value, increment) => {
    expect(() => formatToIncrement(value, increment)).toThrow(
      expect.objectContaining({ name: "QuantizeError", code: "not-on-increment", value }),
    );
  });

  it("refuses a bad increment and a bad value", () => {
    expect(() => formatToIncrement("1", "0")).toThrow(expect.objectContaining({ code: "invalid-increment" }));
    expect(() => formatToIncrement("1e999", "1")).toThrow(
      expect.objectContaining({ code: "invalid-decimal" }),
    );
  });
});

describe("roundAndFormat", () => {
  it.each([
    ["123.456", "0.01", "down", "123.45"],
    ["123.456", "0.01", "up", "123.46"],
    ["123.4", "0.01", "half-even", "123.40"],
    ["7", "5", "half-even", "5"],
    ["0.000000015", "0.00000001", "half-even", "0.00000002"],
    ["-0.001", "0.01", "toward-zero", "0.00"],
    ["1.74", "0.25", "half-up", "1.75"],
  ] as const)("%s to %s %s → %s", (value, increment, mode, expected) => {
    expect(roundAndFormat(value, increment, mode)).toBe(expected);
  });
});

describe("formatPlain", () => {
  it("writes the shortest plain form without decimals given", () => {
    expect(formatPlain("1e-8")).toBe("0.00000001");
    expect(formatPlain("1.500")).toBe("1.5");
    expect(formatPlain("-0")).toBe("0");
    expect(formatPlain("2.5e3")).toBe("2500");
  });

  it("pads to the decimals given and never rounds", () => {
    expect(formatPlain("1.5", 3)).toBe("1.500");
    expect(formatPlain("1.5", 1)).toBe("1.5");
    expect(() => formatPlain("1.2345", 2)).toThrow(expect.objectContaining({ code: "invalid-decimals" }));
  });

  it.each([-1, 1.5, 101, Number.NaN])("refuses decimals = %s", (decimals) => {
    expect(() => formatPlain("1", decimals)).toThrow(
      expect.objectContaining({ code: "invalid-decimals", field: "decimals" }),
    );
  });
});

describe("properties (fast-check)", () => {
  it("formatting a rounded value round-trips through parsing, with exactly the increment's decimals", () => {
    fc.assert(
      fc.property(decimalArb, incrementArb, modeArb, (value, increment, mode) => {
        const rounded = roundToIncrement(value, increment, mode);
        const text = formatToIncrement(rounded, increment);
        expect(text).not.toMatch(/[eE]/);
        expect(text).toMatch(/^-?\d+(\.\d+)?$/);
        expect(text.startsWith("-0") && /^-0(\.0+)?$/.test(text)).toBe(false);
        const decimals = decimalsOf(increment);
        expect(text.split(".")[1]?.length ?? 0).toBe(decimals);
        expect(parseDecimal(text).eq(rounded)).toBe(true);
        expect(roundAndFormat(value, increment, mode)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it("formatPlain round-trips every decimal exactly", () => {
    fc.assert(
      fc.property(decimalArb, (value) => {
        const text = formatPlain(value);
        expect(parseDecimal(text).eq(value)).toBe(true);
        const decimals = value.split(".")[1]?.length ?? 0;
        expect(formatPlain(value, decimals)).toBe(value);
      }),
      { numRuns: 500 },
    );
  });
});
