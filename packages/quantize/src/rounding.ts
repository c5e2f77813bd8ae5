import { Decimal as DecimalJs } from "decimal.js";
import { checkFieldName, D, type Decimal, type DecimalInput, describeValue, toDecimal } from "./decimal.js";
import { QuantizeError } from "./errors.js";

/**
 * How a value that is not a multiple of the increment is moved onto one. Directions are on the
 * number line, so they stay meaningful for negative values:
 *
 * | mode | meaning | `2.5` → | `-2.5` → | `-2.4` → |
 * | --- | --- | --- | --- | --- |
 * | `"down"` | toward −∞ (floor) | 2 | −3 | −3 |
 * | `"up"` | toward +∞ (ceiling) | 3 | −2 | −2 |
 * | `"toward-zero"` | truncate | 2 | −2 | −2 |
 * | `"half-even"` | nearest; ties to the even multiple (banker's rounding) | 2 | −2 | −2 |
 * | `"half-up"` | nearest; ties toward +∞ | 3 | −2 | −2 |
 *
 * (Examples use increment 1.) Note that `"half-up"` sends ties toward +∞, not away from zero as
 * decimal.js `ROUND_HALF_UP` does; for positive values the two agree.
 */
export type RoundingMode = "down" | "up" | "toward-zero" | "half-even" | "half-up";

/** Every `RoundingMode`, in a fixed order (for option validation and tests). */
export const ROUNDING_MODES: readonly RoundingMode[] = Object.freeze([
  "down",
  "up",
  "toward-zero",
  "half-even",
  "half-up",
]);

/** The side of an order, for passive price rounding. */
export type OrderSide = "buy" | "sell";

/** The decimal.js rounding constant for a mode (exhaustive). */
function rmOf(mode: RoundingMode): DecimalJs.Rounding {
  switch (mode) {
    case "down":
      return DecimalJs.ROUND_FLOOR;
    case "up":
      return DecimalJs.ROUND_CEIL;
    case "toward-zero":
      return DecimalJs.ROUND_DOWN;
    case "half-even":
      return DecimalJs.ROUND_HALF_EVEN;
    case "half-up":
      return DecimalJs.ROUND_HALF_CEIL;
    default: {
      const never: never = mode;
      throw new QuantizeError(
        "invalid-option",
        "mode",
        never,
        `mode: unknown rounding mode (got ${describeValue(never)})`,
      );
    }
  }
}

/** Largest decimal exponent an increment may have (same bound as `parseDecimal`). */
const MAX_ABS_EXPONENT = 100;

/**
 * Parses and validates an increment (price tick, size step): a finite decimal strictly greater
 * than zero. Anything else is a `QuantizeError` with code `invalid-increment` naming `field`.
 * A `D` instance that is already valid is returned as is (no allocation), so callers on hot paths
 * can parse their increments once and pass the `Decimal` around.
 *
 * @example
 * parseIncrement("0.01").toString() // "0.01"
 * parseIncrement("0") // throws QuantizeError { code: "invalid-increment" }
 */
export function parseIncrement(increment: DecimalInput, field = "increment"): Decimal {
  if (
    typeof increment === "object" &&
    increment !== null &&
    increment.constructor === D &&
    increment.d !== null &&
    increment.s > 0 &&
    increment.d[0] !== 0 &&
    increment.e <= MAX_ABS_EXPONENT &&
    increment.e >= -MAX_ABS_EXPONENT
  ) {
    return increment;
  }
  if (field !== "increment") checkFieldName(field);
  let parsed: Decimal;
  try {
    parsed = toDecimal(increment, field);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new QuantizeError("invalid-increment", field, increment, `invalid increment: ${why}`, { cause });
  }
  if (parsed.isZero() || parsed.isNegative()) {
    throw new QuantizeError(
      "invalid-increment",
      field,
      increment,
      `${field}: an increment must be greater than zero (got ${parsed.toString()})`,
    );
  }
  return parsed;
}

/** decimal.js stores digits in base-1e7 words; a power of ten is one word that is a power of ten. */
function isPowerOfTen(x: Decimal): boolean {
  if (x.d.length !== 1) return false;
  const w = x.d[0];
  return w === 1 || w === 10 || w === 100 || w === 1000 || w === 10000 || w === 100000 || w === 1000000;
}

/** A positive zero for any zero result, so `-0` never reaches a formatter or a comparison. */
const ZERO = new D(0);

/** Rounds an already validated value to an already validated increment. */
function roundParsed(value: Decimal, inc: Decimal, rm: DecimalJs.Rounding): Decimal {
  let out: Decimal;
  if (inc.e <= 0 && isPowerOfTen(inc)) {
    // 1, 0.1, 0.01, …: rounding to decimal places is the same thing and cheaper.
    const dp = -inc.e;
    if (value.decimalPlaces() <= dp) return value.isZero() ? ZERO : value;
    out = value.toDecimalPlaces(dp, rm);
  } else {
    // toNearest divides to an integer with the rounding mode and multiplies back, exactly
    // (decimal.js documents it as not affected by `precision`).
    out = value.toNearest(inc, rm);
  }
  return out.isZero() ? ZERO : out;
}

/**
 * Rounds `value` to a multiple of `increment` with the given mode (see `RoundingMode` for what
 * each mode does with negatives). Works for any positive increment: `"0.01"`, `"0.00000001"`,
 * `"5"`, `"0.5"`, `"0.25"`. The result is exact, a `D` instance, and never negative zero.
 *
 * Numbers are taken by their shortest round-trip decimal (`0.1` is exactly 0.1), which is the one
 * place where a float observation becomes a booked amount.
 *
 * @throws QuantizeError `invalid-decimal` for a bad value, `invalid-increment` for a bad increment.
 * @example
 * roundToIncrement("123.456", "0.25", "half-even").toString() // "123.5"
 * roundToIncrement("-1.5", "1", "down").toString() // "-2"
 */
export function roundToIncrement(value: DecimalInput, increment: DecimalInput, mode: RoundingMode): Decimal {
  return roundParsed(toDecimal(value, "value"), parseIncrement(increment), rmOf(mode));
}

/** Passive direction for a side: a buy rounds down, a sell up (exhaustive). */
function passiveRm(side: OrderSide): DecimalJs.Rounding {
  switch (side) {
    case "buy":
      return DecimalJs.ROUND_FLOOR;
    case "sell":
      return DecimalJs.ROUND_CEIL;
    default: {
      const never: never = side;
      throw new QuantizeError(
        "invalid-option",
        "side",
        never,
        `side: expected "buy" or "sell" (got ${describeValue(never)})`,
      );
    }
  }
}

/**
 * Rounds a limit price onto the price tick on the passive side: a buy rounds down (never pays
 * more than asked), a sell rounds up (never sells for less than asked). The result never crosses
 * the input: `buy <= price`, `sell >= price`.
 *
 * @example
 * roundPrice("68923.678", "0.01", "buy").toString() // "68923.67"
 * roundPrice("68923.671", "0.01", "sell").toString() // "68923.68"
 */
export function roundPrice(price: DecimalInput, priceIncrement: DecimalInput, side: OrderSide): Decimal {
  return roundParsed(
    toDecimal(price, "price"),
    parseIncrement(priceIncrement, "priceIncrement"),
    passiveRm(side),
  );
}

/**
 * Rounds an order size down onto the size step (base increment), so an order never exceeds the
 * size that was asked for (or the balance it was computed from). Sizes are magnitudes: a negative
 * size is a `QuantizeError` (`negative-not-allowed`).
 *
 * @example
 * roundSize("0.123456789", "0.00000001").toString() // "0.12345678"
 */
export function roundSize(size: DecimalInput, baseIncrement: DecimalInput): Decimal {
  return roundParsed(
    toDecimal(size, "size", false),
    parseIncrement(baseIncrement, "baseIncrement"),
    DecimalJs.ROUND_FLOOR,
  );
}

/**
 * Whether `value` is an exact multiple of `increment` (zero is a multiple of everything).
 *
 * @example
 * isOnIncrement("1.75", "0.25") // true
 * isOnIncrement("1.7", "0.25") // false
 */
export function isOnIncrement(value: DecimalInput, increment: DecimalInput): boolean {
  return isOnParsed(toDecimal(value, "value"), parseIncrement(increment));
}

/** `isOnIncrement` for already validated inputs. */
export function isOnParsed(value: Decimal, inc: Decimal): boolean {
  if (inc.e <= 0 && isPowerOfTen(inc)) return value.decimalPlaces() <= -inc.e;
  return value.toNearest(inc, DecimalJs.ROUND_DOWN).eq(value);
}

/**
 * The number of decimal places an increment has, which is the number of decimals an exchange
 * string for it carries: `"0.01"` → 2, `"0.00000001"` → 8, `"0.25"` → 2, `"5"` → 0, `"10"` → 0.
 * Trailing zeros do not count (`"0.010"` is the increment 0.01).
 */
export function decimalsOf(increment: DecimalInput): number {
  return parseIncrement(increment).decimalPlaces();
}
