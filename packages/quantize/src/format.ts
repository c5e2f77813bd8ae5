import { type Decimal, type DecimalInput, describeValue, toDecimal } from "./decimal.js";
import { QuantizeError } from "./errors.js";
import { isOnParsed, parseIncrement, type RoundingMode, roundToIncrement } from "./rounding.js";

/** Most decimal places a formatter writes (the same bound `parseDecimal` puts on exponents). */
const MAX_DECIMALS = 100;

/**
 * Writes a value the way the exchange wants it: a plain decimal string with exactly the
 * increment's number of decimals (`"0.01"` → `"123.40"`, `"0.00000001"` → 8 decimals, `"5"` → none),
 * never exponent notation, never `"-0"`.
 *
 * Strict: it does **not** round. A value that is not already a multiple of the increment is a
 * `QuantizeError` with code `not-on-increment` (round first with `roundPrice` / `roundSize` /
 * `roundToIncrement`, or use `roundAndFormat`).
 *
 * @example
 * formatToIncrement("123.4", "0.01") // "123.40"
 * formatToIncrement("0.00000001", "0.00000001") // "0.00000001"
 * formatToIncrement("123.456", "0.01") // throws QuantizeError { code: "not-on-increment" }
 */
export function formatToIncrement(value: DecimalInput, increment: DecimalInput): string {
  const v = toDecimal(value, "value");
  const inc = parseIncrement(increment);
  if (!isOnParsed(v, inc)) {
    throw new QuantizeError(
      "not-on-increment",
      "value",
      value,
      `value ${v.toFixed()} is not a multiple of increment ${inc.toFixed()}; round it first`,
    );
  }
  return v.toFixed(inc.decimalPlaces());
}

/**
 * Rounds `value` to the increment with `mode`, then formats it like `formatToIncrement`. Use this
 * when rounding at the formatting step is intended; use `formatToIncrement` to catch an amount
 * that should already have been rounded.
 *
 * @example
 * roundAndFormat("123.456", "0.01", "down") // "123.45"
 * roundAndFormat("7", "5", "half-even") // "5"
 */
export function roundAndFormat(value: DecimalInput, increment: DecimalInput, mode: RoundingMode): string {
  const inc = parseIncrement(increment);
  return roundToIncrement(value, inc, mode).toFixed(inc.decimalPlaces());
}

/**
 * A plain decimal string (no exponent notation, no `"-0"`), independent of any increment.
 *
 * Without `decimals` it writes the shortest exact form (`"0.00000001"`, `"150000000"`). With
 * `decimals` it pads with zeros to exactly that many decimals, and refuses (code
 * `invalid-decimals`) when the value has more decimals than that: it never rounds silently.
 *
 * @example
 * formatPlain("1e-8") // "0.00000001"
 * formatPlain("1.5", 3) // "1.500"
 * formatPlain("1.2345", 2) // throws QuantizeError { code: "invalid-decimals" }
 */
export function formatPlain(value: DecimalInput, decimals?: number): string {
  const v: Decimal = toDecimal(value, "value");
  if (decimals === undefined) return v.toFixed();
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > MAX_DECIMALS) {
    throw new QuantizeError(
      "invalid-decimals",
      "decimals",
      decimals,
      `decimals must be an integer in 0..${MAX_DECIMALS} (got ${describeValue(decimals)})`,
    );
  }
  if (v.decimalPlaces() > decimals) {
    throw new QuantizeError(
      "invalid-decimals",
      "value",
      value,
      `value ${v.toFixed()} has more than ${decimals} decimals; round it first`,
    );
  }
  return v.toFixed(decimals);
}
