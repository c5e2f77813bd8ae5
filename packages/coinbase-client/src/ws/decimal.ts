/**
 * Exact decimal helpers for the order book: prices become integers scaled by a power of ten
 * (`"65083.66"` at scale 2 → 6508366), exact as long as they stay below 2^53; sums and quotients
 * that can grow past that (VWAP) use bigint. No float ever holds a price or a size.
 */

const POW10: number[] = [];
for (let i = 0, p = 1; i <= 15; i++, p *= 10) POW10.push(p);

/** Fraction digits of a plain decimal string (`"1.250"` → 3). */
export function fractionDigits(text: string): number {
  const dot = text.indexOf(".");
  return dot === -1 ? 0 : text.length - dot - 1;
}

/**
 * `text` (a plain decimal with at most `scale` fraction digits) × 10^scale as an exact integer, or
 * `NaN` when it is not a plain decimal, has more fraction digits, or the result is past
 * `Number.MAX_SAFE_INTEGER`. A digit loop, not `Number(text)`: `"1e5"` or `" 1"` must not pass.
 */
export function toScaled(text: string, scale: number): number {
  const n = text.length;
  if (n === 0 || scale > 15) return Number.NaN;
  let value = 0;
  let frac = -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c >= 0 && c <= 9) {
      value = value * 10 + c;
      if (frac >= 0) frac++;
    } else if (c === -2 && frac === -1 && i > 0 && i < n - 1) frac = 0;
    else return Number.NaN;
  }
  if (frac < 0) frac = 0;
  if (frac > scale) return Number.NaN;
  value *= POW10[scale - frac] as number;
  return Number.isSafeInteger(value) ? value : Number.NaN;
}

/** 10^n for 0 ≤ n ≤ 15 (an exact double). */
export function pow10(n: number): number {
  return POW10[n] as number;
}

/** Renders a scaled integer (number or bigint) as a plain decimal string with trailing zeros dropped. */
export function formatScaled(value: number | bigint, scale: number): string {
  const negative = value < 0;
  let digits = (negative ? -BigInt(value) : BigInt(value)).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, "0");
    const int = digits.slice(0, digits.length - scale);
    const frac = digits.slice(digits.length - scale).replace(/0+$/, "");
    digits = frac === "" ? int : `${int}.${frac}`;
  }
  return negative && digits !== "0" ? `-${digits}` : digits;
}

/** A plain decimal string as a bigint scaled by 10^scale (`scale` ≥ its fraction digits). */
export function toBig(text: string, scale: number): bigint {
  const dot = text.indexOf(".");
  const int = dot === -1 ? text : text.slice(0, dot);
  const frac = dot === -1 ? "" : text.slice(dot + 1);
  return BigInt(int + frac.padEnd(scale, "0"));
}

/** True when a plain decimal string is zero (`"0"`, `"0.00"`). */
export function isZeroDecimal(text: string): boolean {
  if (text === "0") return true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 48 && c !== 46) return false;
  }
  return true;
}

/** `numerator / denominator` (both ≥ 0, denominator > 0) rounded half-up to an integer. */
export function divRound(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}
