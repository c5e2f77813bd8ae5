/**
 * The JSON encoding of snapshot values: plain JSON, except that a `Decimal` becomes
 * `{ "$decimal": "1.5" }` and a number JSON cannot hold (`NaN`, `±Infinity`) becomes
 * `{ "$number": "NaN" }`, so `decodeValue(JSON.parse(JSON.stringify(encodeValue(x))))` gives `x`
 * back with its Decimals and its non-finite numbers. Absent (`undefined`) fields are left out.
 */
import { D } from "@gpt/quantize";
import { KernelError } from "./errors.js";
import type { JsonValue } from "./serialize.js";

const DECIMAL_KEY = "$decimal";
const NUMBER_KEY = "$number";

/** Encodes a value of the cache (orders, positions, commands, intents) as JSON-safe data. */
export function encodeValue(value: unknown): JsonValue {
  if (value === null) return null;
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : { [NUMBER_KEY]: String(value) };
    case "object": {
      if (D.isDecimal(value)) return { [DECIMAL_KEY]: value.toFixed() };
      if (Array.isArray(value)) return value.map((item) => encodeValue(item));
      const out: Record<string, JsonValue> = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (item !== undefined) out[key] = encodeValue(item);
      }
      return out;
    }
    default:
      throw new KernelError("invalid-state", `a snapshot cannot hold a ${typeof value}`, {
        context: { type: typeof value },
      });
  }
}

/**
 * Decodes what `encodeValue` produced (after any JSON round trip).
 * @throws KernelError (`invalid-state`) for a tagged value that does not parse.
 */
export function decodeValue(value: JsonValue): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item: JsonValue) => decodeValue(item));
  const record = value as { readonly [key: string]: JsonValue };
  const keys = Object.keys(record);
  if (keys.length === 1) {
    const tagged = record[DECIMAL_KEY];
    if (typeof tagged === "string") {
      try {
        return D(tagged);
      } catch (cause) {
        throw new KernelError("invalid-state", "a snapshot decimal does not parse", { cause });
      }
    }
    const number = record[NUMBER_KEY];
    if (number === "NaN" || number === "Infinity" || number === "-Infinity") return Number(number);
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = decodeValue(record[key] as JsonValue);
  return out;
}
