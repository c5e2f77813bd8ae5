/**
 * Flat response objects described once, as a table of fields, from which we build both the zod
 * schema (the definition, and the source of every error message with its JSON path) and a fast
 * checker for the hot endpoints (orders, fills: a 100-fill page is 1,600 fields).
 *
 * zod/mini spends about a microsecond per field on these objects; the fast checker does the same
 * checks and conversions in a plain loop. It is only ever stricter than the zod schema: whatever
 * it does not recognise (a wrong type, an unexpected shape) it hands to zod, which either accepts
 * it or throws the error naming the path. `field-table.test.ts` holds the two to the same outputs.
 */
import * as z from "../internal/zod.js";
import { numberish, responseDecimal, timestamp } from "./common.js";

/**
 * How a field is checked:
 * - `string`: any string; `id`: a non-empty string;
 * - `decimal`: a decimal string, `""`, or a JSON number (kept as a string);
 * - `time`: an RFC 3339 string kept as sent, or `null`/`""`/zero time (→ `null`);
 * - `count`: a JSON number or integer text (→ number);
 * - `boolean`; `echo`: a JSON object or `null` (an echoed order configuration).
 */
export type FieldKind = "string" | "id" | "decimal" | "time" | "count" | "boolean" | "echo";

/** Field name → [kind, required]. */
export type FieldTable = Readonly<Record<string, readonly [FieldKind, boolean]>>;

function zodFor(kind: FieldKind): z.ZodMiniType<unknown> {
  switch (kind) {
    case "string":
      return z.string();
    case "id":
      return z.string().check(z.minLength(1, "expected a non-empty id"));
    case "decimal":
      return responseDecimal();
    case "time":
      return timestamp();
    case "count":
      return numberish();
    case "boolean":
      return z.boolean();
    case "echo":
      return z.nullable(z.record(z.string(), z.unknown()));
  }
}

/** The zod shape of a table, to spread into `z.looseObject({...})`. */
export function zodShape(table: FieldTable): Record<string, z.ZodMiniType<unknown>> {
  const shape: Record<string, z.ZodMiniType<unknown>> = {};
  for (const [key, [kind, required]] of Object.entries(table)) {
    shape[key] = required ? zodFor(kind) : z.exactOptional(zodFor(kind));
  }
  return shape;
}

// The same rules as `./common.ts` (held together by field-table.test.ts).
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const ZERO_TIME = /^0001-01-01T00:00:00(\.0+)?Z$/;
const INTEGER_TEXT = /^-?\d{1,15}$/;

/** Marks a value the fast checker does not accept. */
const REJECT: unique symbol = Symbol("reject");

/** The checked (and possibly converted) value, or `REJECT`. */
function check(kind: FieldKind, value: unknown): unknown {
  switch (kind) {
    case "string":
      return typeof value === "string" ? value : REJECT;
    case "id":
      return typeof value === "string" && value !== "" ? value : REJECT;
    case "decimal":
      if (typeof value === "string") return value === "" || DECIMAL.test(value) ? value : REJECT;
      return typeof value === "number" && Number.isFinite(value) ? String(value) : REJECT;
    case "time":
      if (value === null) return null;
      if (typeof value !== "string") return REJECT;
      return value === "" || ZERO_TIME.test(value) ? null : value;
    case "count":
      if (typeof value === "number") return Number.isFinite(value) ? value : REJECT;
      return typeof value === "string" && INTEGER_TEXT.test(value) ? Number(value) : REJECT;
    case "boolean":
      return typeof value === "boolean" ? value : REJECT;
    case "echo":
      return value === null || isPlainObject(value) ? value : REJECT;
  }
}

/** A plain JSON object (what `JSON.parse` makes), not an array or a class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A table compiled for the fast checker: it returns the parsed object (a shallow copy, converted
 * fields replaced, unknown fields kept), or `undefined` when it does not recognise the value (the
 * caller then parses with zod).
 */
export type FastChecker = (value: unknown) => Record<string, unknown> | undefined;

/** Compiles a table into a fast checker. */
export function fastChecker(table: FieldTable): FastChecker {
  const entries = Object.entries(table);
  const keys = entries.map(([key]) => key);
  const kinds = entries.map(([, [kind]]) => kind);
  const required = entries.map(([, [, isRequired]]) => isRequired);
  const count = keys.length;
  return (value) => {
    if (!isPlainObject(value)) return undefined;
    const out: Record<string, unknown> = { ...value };
    for (let i = 0; i < count; i++) {
      const key = keys[i] as string;
      const raw = value[key];
      if (raw === undefined) {
        if (required[i] === true || Object.hasOwn(value, key)) return undefined;
        continue;
      }
      const checked = check(kinds[i] as FieldKind, raw);
      if (checked === REJECT) return undefined;
      if (checked !== raw) out[key] = checked;
    }
    return out;
  };
}

/** Checks every item of an array with `item`; `undefined` if it is not an array or an item fails. */
export function fastArray(value: unknown, item: FastChecker): Record<string, unknown>[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out = new Array<Record<string, unknown>>(value.length);
  for (let i = 0; i < value.length; i++) {
    const parsed = item(value[i]);
    if (parsed === undefined) return undefined;
    out[i] = parsed;
  }
  return out;
}
