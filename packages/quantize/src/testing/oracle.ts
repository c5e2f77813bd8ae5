/**
 * Test-only helpers: an independent BigInt oracle for rounding to an increment, and fast-check
 * arbitraries for decimal strings and increments. Not exported from the package index.
 */
import fc from "fast-check";
import type { RoundingMode } from "../rounding.js";

/** Scale every oracle value to this many decimals (generators stay well below it). */
const SCALE = 24;
const TEN = 10n;

/** A plain decimal string of `mantissa × 10^-decimals` (decimals may be negative). */
function decimalString(mantissa: bigint, decimals: number): string {
  if (decimals <= 0) return (mantissa * TEN ** BigInt(-decimals)).toString();
  const negative = mantissa < 0n;
  const digits = (negative ? -mantissa : mantissa).toString().padStart(decimals + 1, "0");
  const body = `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return negative ? `-${body}` : body;
}

/** Parses a plain decimal string (no exponent) into an integer scaled by 10^SCALE. */
export function toScaled(text: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text);
  if (match === null) throw new Error(`oracle: not a plain decimal: ${text}`);
  const frac = match[3] ?? "";
  if (frac.length > SCALE) throw new Error(`oracle: too many decimals: ${text}`);
  const magnitude = BigInt((match[2] ?? "0") + frac.padEnd(SCALE, "0"));
  return match[1] === "-" ? -magnitude : magnitude;
}

/** Floor division for BigInt (BigInt `/` truncates toward zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** The oracle: rounds a scaled value to a multiple of a scaled positive increment. */
export function oracleRound(value: bigint, increment: bigint, mode: RoundingMode): bigint {
  const q = floorDiv(value, increment);
  const r = value - q * increment; // 0 <= r < increment
  let k: bigint;
  switch (mode) {
    case "down":
      k = q;
      break;
    case "up":
      k = r === 0n ? q : q + 1n;
      break;
    case "toward-zero":
      k = value < 0n && r !== 0n ? q + 1n : q;
      break;
    case "half-even":
      k = 2n * r < increment ? q : 2n * r > increment ? q + 1n : q % 2n === 0n ? q : q + 1n;
      break;
    case "half-up":
      k = 2n * r < increment ? q : q + 1n;
      break;
    default: {
      const never: never = mode;
      throw new Error(`oracle: unknown mode ${String(never)}`);
    }
  }
  return k * increment;
}

/** Decimal strings with up to 12 decimals and up to 18 integer digits, either sign. */
export const decimalArb: fc.Arbitrary<string> = fc
  .tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 12 }))
  .map(([m, d]) => decimalString(m, d));

/** Non-negative decimal strings (sizes, prices). */
export const nonNegativeDecimalArb: fc.Arbitrary<string> = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.integer({ min: 0, max: 12 }))
  .map(([m, d]) => decimalString(m, d));

/** Positive increments: the usual exchange ones plus arbitrary `m × 10^k` (m up to 1000, 10^-10..10^3). */
export const incrementArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("0.01", "0.00000001", "5", "0.5", "0.25", "1", "10", "0.0001", "0.00001"),
  fc
    .tuple(
      fc.oneof(fc.constantFrom(1n, 2n, 5n, 25n), fc.bigInt({ min: 1n, max: 1000n })),
      fc.integer({ min: -3, max: 10 }),
    )
    .map(([m, d]) => decimalString(m, d)),
);

/** Every rounding mode. */
export const modeArb: fc.Arbitrary<RoundingMode> = fc.constantFrom(
  "down",
  "up",
  "toward-zero",
  "half-even",
  "half-up",
);
