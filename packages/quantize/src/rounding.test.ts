import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { D, type DecimalInput } from "./decimal.js";
import { QuantizeError } from "./errors.js";
import {
  decimalsOf,
  isOnIncrement,
  type OrderSide,
  parseIncrement,
  ROUNDING_MODES,
  type RoundingMode,
  roundPrice,
  roundSize,
  roundToIncrement,
} from "./rounding.js";
import {
  decimalArb,
  incrementArb,
  modeArb,
  nonNegativeDecimalArb,
  oracleRound,
  toScaled,
} from "./testing/oracle.js";

const RUNS = { numRuns: 500 };

function round(value: string, increment: string, mode: RoundingMode): string {
  return roundToIncrement(value, increment, mode).toFixed();
}

describe("roundToIncrement: modes on the number line (increment 1)", () => {
  const table: readonly [string, Record<RoundingMode, string>][] = [
    ["2.5", { down: "2", up: "3", "toward-zero": "2", "half-even": "2", "half-up": "3" }],
    ["3.5", { down: "3", up: "4", "toward-zero": "3", "half-even": "4", "half-up": "4" }],
    ["2.4", { down: "2", up: "3", "toward-zero": "2", "half-even": "2", "half-up": "2" }],
    ["2.6", { down: "2", up: "3", "toward-zero": "2", "half-even": "3", "half-up": "3" }],
    ["-2.5", { down: "-3", up: "-2", "toward-zero": "-2", "half-even": "-2", "half-up": "-2" }],
    ["-3.5", { down: "-4", up: "-3", "toward-zero": "-3", "half-even": "-4", "half-up": "-3" }],
    ["-2.4", { down: "-3", up: "-2", "toward-zero": "-2", "half-even": "-2", "half-up": "-2" }],
    ["-2.6", { down: "-3", up: "-2", "toward-zero": "-2", "half-even": "-3", "half-up": "-3" }],
    ["7", { down: "7", up: "7", "toward-zero": "7", "half-even": "7", "half-up": "7" }],
  ];
  for (const [value, expected] of table) {
    for (const mode of ROUNDING_MODES) {
      it(`${value} ${mode} → ${expected[mode]}`, () => {
        expect(round(value, "1", mode)).toBe(expected[mode]);
      });
    }
  }

  it("never returns negative zero", () => {
    for (const mode of ROUNDING_MODES) {
      const r = roundToIncrement("-0.001", "0.01", mode);
      if (r.isZero()) expect(r.isNegative()).toBe(false);
    }
    expect(roundToIncrement("-0", "0.01", "down").isNegative()).toBe(false);
  });
});

describe("roundToIncrement: increments that are not powers of ten", () => {
  it.each([
    ["123.456", "0.01", "down", "123.45"],
    ["123.456", "0.01", "up", "123.46"],
    ["0.123456789", "0.00000001", "down", "0.12345678"],
    ["0.000000015", "0.00000001", "half-even", "0.00000002"],
    ["0.000000025", "0.00000001", "half-even", "0.00000002"],
    ["67892", "5", "down", "67890"],
    ["67892", "5", "up", "67895"],
    ["67892.5", "5", "half-even", "67890"],
    ["67897.5", "5", "half-even", "67900"],
    ["67892.5", "5", "half-up", "67895"],
    ["1.74", "0.5", "down", "1.5"],
    ["1.75", "0.5", "half-even", "2"],
    ["1.25", "0.5", "half-even", "1"],
    ["123.456", "0.25", "half-even", "123.5"],
    ["123.374", "0.25", "down", "123.25"],
    ["123.376", "0.25", "up", "123.5"],
    ["0.004", "0.01", "up", "0.01"],
    ["0.004", "0.01", "down", "0"],
    ["-0.004", "0.01", "down", "-0.01"],
    ["0.004", "10", "up", "10"],
    ["1234", "100", "half-up", "1200"],
    ["1", "0.3", "down", "0.9"],
    ["1", "0.3", "up", "1.2"],
  ] as const)("%s to %s %s → %s", (value, increment, mode, expected) => {
    expect(round(value, increment, mode)).toBe(expected);
  });

  it("takes numbers by their shortest decimal (0.1 + 0.2 is 0.30000000000000004)", () => {
    expect(round(String(0.1 + 0.2), "0.01", "up")).toBe("0.31");
    expect(roundToIncrement(0.1 + 0.2, "0.01", "down").toFixed()).toBe("0.3");
    expect(roundToIncrement(68923.675, "0.01", "half-even").toFixed()).toBe("68923.68");
  });

  it("returns D instances", () => {
    expect(roundToIncrement("1.5", "1", "down").constructor).toBe(D);
    expect(roundToIncrement("1", "1", "down").constructor).toBe(D);
    expect(roundToIncrement("1.5", "0.25", "down").constructor).toBe(D);
  });
});

describe("invalid increments", () => {
  const bad: readonly [string, unknown][] = [
    ["zero", "0"],
    ["zero number", 0],
    ["negative zero", "-0"],
    ["negative", "-0.01"],
    ["negative D", new D("-5")],
    ["zero D", new D(0)],
    ["garbage", "0.0l"],
    ["empty", ""],
    ["NaN", Number.NaN],
    ["Infinity", "Infinity"],
    ["huge exponent", "1e999"],
    ["padded", " 0.01"],
    ["null", null],
  ];
  it.each(bad)("%s is a QuantizeError invalid-increment naming the field", (_label, increment) => {
    const inc = increment as DecimalInput;
    for (const call of [
      () => parseIncrement(inc, "priceIncrement"),
      () => roundToIncrement("1", inc, "down"),
      () => roundPrice("1", inc, "buy"),
      () => roundSize("1", inc),
      () => isOnIncrement("1", inc),
      () => decimalsOf(inc),
    ]) {
      let caught: unknown;
      try {
        call();
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(QuantizeError);
      const err = caught as QuantizeError;
      expect(err.code).toBe("invalid-increment");
      expect(err.value).toBe(increment);
    }
    expect(() => parseIncrement(inc, "priceIncrement")).toThrow(/priceIncrement/);
  });

  it("a bad value (not increment) is invalid-decimal", () => {
    expect(() => roundToIncrement("abc", "0.01", "down")).toThrow(
      expect.objectContaining({ code: "invalid-decimal" }),
    );
  });

  it("parseIncrement returns a valid D increment as is", () => {
    const inc = new D("0.01");
    expect(parseIncrement(inc)).toBe(inc);
    expect(parseIncrement("1e-8").toFixed()).toBe("0.00000001");
  });
});

describe("roundPrice and roundSize", () => {
  it("rounds a buy down and a sell up", () => {
    expect(roundPrice("68923.678", "0.01", "buy").toFixed()).toBe("68923.67");
    expect(roundPrice("68923.671", "0.01", "sell").toFixed()).toBe("68923.68");
    expect(roundPrice("68923.67", "0.01", "sell").toFixed()).toBe("68923.67");
    expect(roundPrice("67892", "5", "buy").toFixed()).toBe("67890");
    expect(roundPrice("67892", "5", "sell").toFixed()).toBe("67895");
  });

  it("rounds a size down and refuses a negative size", () => {
    expect(roundSize("0.123456789", "0.00000001").toFixed()).toBe("0.12345678");
    expect(roundSize("26.99", "1").toFixed()).toBe("26");
    expect(roundSize("0.000000009", "0.00000001").toFixed()).toBe("0");
    expect(() => roundSize("-1", "1")).toThrow(
      expect.objectContaining({ code: "negative-not-allowed", field: "size" }),
    );
  });

  it("refuses a side or mode that is not one of the allowed strings (untyped callers)", () => {
    expect(() => roundPrice("1.005", "0.01", "BUY" as unknown as OrderSide)).toThrow(
      expect.objectContaining({ code: "invalid-option", field: "side", value: "BUY" }),
    );
    expect(() => roundToIncrement("1.005", "0.01", "nearest" as unknown as RoundingMode)).toThrow(
      expect.objectContaining({ code: "invalid-option", field: "mode", value: "nearest" }),
    );
  });

  it("names the price field in errors", () => {
    expect(() => roundPrice("x", "0.01", "buy")).toThrow(expect.objectContaining({ field: "price" }));
  });
});

describe("isOnIncrement and decimalsOf", () => {
  it.each([
    ["1.75", "0.25", true],
    ["1.7", "0.25", false],
    ["123.40", "0.01", true],
    ["123.401", "0.01", false],
    ["67895", "5", true],
    ["67896", "5", false],
    ["0", "0.3", true],
    ["-0.9", "0.3", true],
    ["1200", "100", true],
    ["1250", "100", false],
  ] as const)("%s on %s: %s", (value, increment, expected) => {
    expect(isOnIncrement(value, increment)).toBe(expected);
  });

  it.each([
    ["0.01", 2],
    ["0.00000001", 8],
    ["1e-8", 8],
    ["0.25", 2],
    ["0.5", 1],
    ["5", 0],
    ["10", 0],
    ["0.010", 2],
  ] as const)("decimalsOf(%s) = %i", (increment, expected) => {
    expect(decimalsOf(increment)).toBe(expected);
  });
});

describe("properties (fast-check)", () => {
  it("agrees with an independent BigInt oracle for every mode", () => {
    fc.assert(
      fc.property(decimalArb, incrementArb, modeArb, (value, increment, mode) => {
        const got = toScaled(round(value, increment, mode));
        expect(got).toBe(oracleRound(toScaled(value), toScaled(increment), mode));
      }),
      RUNS,
    );
  });

  it("gives a multiple of the increment, within one increment of the input", () => {
    fc.assert(
      fc.property(decimalArb, incrementArb, modeArb, (value, increment, mode) => {
        const r = toScaled(round(value, increment, mode));
        const inc = toScaled(increment);
        const v = toScaled(value);
        expect(r % inc).toBe(0n);
        const distance = r > v ? r - v : v - r;
        expect(distance < inc).toBe(true);
        if (mode === "half-even" || mode === "half-up") expect(2n * distance <= inc).toBe(true);
        if (mode === "down") expect(r <= v).toBe(true);
        if (mode === "up") expect(r >= v).toBe(true);
        if (mode === "toward-zero") {
          expect(r * v >= 0n).toBe(true);
          expect((r < 0n ? -r : r) <= (v < 0n ? -v : v)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(decimalArb, incrementArb, modeArb, (value, increment, mode) => {
        const once = roundToIncrement(value, increment, mode);
        const twice = roundToIncrement(once, increment, mode);
        expect(twice.eq(once)).toBe(true);
        expect(isOnIncrement(once, increment)).toBe(true);
      }),
      RUNS,
    );
  });

  it("is monotonic", () => {
    fc.assert(
      fc.property(decimalArb, decimalArb, incrementArb, modeArb, (a, b, increment, mode) => {
        const [lo, hi] = new D(a).lte(b) ? [a, b] : [b, a];
        const rLo = roundToIncrement(lo, increment, mode);
        const rHi = roundToIncrement(hi, increment, mode);
        expect(rLo.lte(rHi)).toBe(true);
      }),
      RUNS,
    );
  });

  it("rounds prices passively: a buy never goes up, a sell never goes down", () => {
    fc.assert(
      fc.property(nonNegativeDecimalArb, incrementArb, (price, increment) => {
        const buy = roundPrice(price, increment, "buy");
        const sell = roundPrice(price, increment, "sell");
        expect(buy.lte(price)).toBe(true);
        expect(sell.gte(price)).toBe(true);
        expect(sell.minus(buy).lte(increment)).toBe(true);
        expect(isOnIncrement(buy, increment) && isOnIncrement(sell, increment)).toBe(true);
      }),
      RUNS,
    );
  });

  it("rounds sizes down onto the step", () => {
    fc.assert(
      fc.property(nonNegativeDecimalArb, incrementArb, (size, increment) => {
        const r = roundSize(size, increment);
        expect(r.lte(size) && r.gt(new D(size).minus(increment))).toBe(true);
        expect(isOnIncrement(r, increment)).toBe(true);
      }),
      RUNS,
    );
  });
});
