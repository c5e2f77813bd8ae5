import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { divRound, formatScaled, fractionDigits, isZeroDecimal, toBig, toScaled } from "./decimal.js";

describe("book decimals", () => {
  it("scales plain decimals exactly and refuses anything else", () => {
    expect(toScaled("65083.66", 2)).toBe(6_508_366);
    expect(toScaled("65083.6", 4)).toBe(650_836_000);
    expect(toScaled("0.00000001", 8)).toBe(1);
    expect(toScaled("7", 0)).toBe(7);
    for (const bad of ["1.234", "1e5", "", ".5", "5.", "-1", " 1", "1 ", "1.2.3", "9007199254740993"]) {
      expect([bad, toScaled(bad, 2)]).toEqual([bad, Number.NaN]);
    }
    expect(toScaled("90071992547409.91", 2)).toBe(Number.MAX_SAFE_INTEGER);
    expect(toScaled("90071992547409.92", 2)).toBeNaN(); // 2^53 once scaled: no longer exact
  });

  it("formats scaled integers back, trailing zeros dropped, sign kept", () => {
    expect(formatScaled(6_508_366, 2)).toBe("65083.66");
    expect(formatScaled(650_836_000, 4)).toBe("65083.6");
    expect(formatScaled(1, 8)).toBe("0.00000001");
    expect(formatScaled(-125, 2)).toBe("-1.25");
    expect(formatScaled(-0, 2)).toBe("0");
    expect(formatScaled(123n, 0)).toBe("123");
  });

  it("round-trips any plain decimal through toScaled and formatScaled", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 14n }), fc.integer({ min: 0, max: 8 }), (units, scale) => {
        const text = formatScaled(units, scale);
        expect(toScaled(text, scale)).toBe(Number(units));
        expect(toBig(text, fractionDigits(text))).toBe(units / 10n ** BigInt(scale - fractionDigits(text)));
      }),
    );
  });

  it("knows zero in any spelling and rounds quotients half-up", () => {
    expect(["0", "0.0", "000.000"].map(isZeroDecimal)).toEqual([true, true, true]);
    expect(["0.01", "10", "1"].map(isZeroDecimal)).toEqual([false, false, false]);
    expect([divRound(5n, 2n), divRound(4n, 3n), divRound(5n, 3n), divRound(0n, 7n)]).toEqual([
      3n,
      1n,
      2n,
      0n,
    ]);
  });
});
