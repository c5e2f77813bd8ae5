import { D } from "@gpt/quantize";
import type { TraderEvent } from "./events.js";

/** A JSON value as `serializeEvent` produces it. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** A serialized event: a JSON object with sorted keys and decimals as strings. */
export type SerializedEvent = { readonly [key: string]: JsonValue };

function serializeValue(value: unknown): JsonValue | undefined {
  if (value === null) return null;
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : String(value);
    case "bigint":
      return value.toString();
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
    case "object": {
      if (D.isDecimal(value)) return value.isZero() ? "0" : value.toFixed();
      if (Array.isArray(value)) return value.map((item) => serializeValue(item) ?? null);
      const record = value as Record<string, unknown>;
      const out: Record<string, JsonValue> = {};
      for (const key of Object.keys(record).sort()) {
        const v = serializeValue(record[key]);
        if (v !== undefined) out[key] = v;
      }
      return out;
    }
    default:
      return undefined;
  }
}

/**
 * An event as a plain JSON object: keys sorted (at every depth), `Decimal`s as plain decimal
 * strings (no exponent notation, `"0"` for zero), absent optional fields left out, non-finite
 * numbers as strings. Two runs that made the same decisions serialize to the same objects.
 */
export function serializeEvent(event: TraderEvent): SerializedEvent {
  return serializeValue(event) as SerializedEvent;
}

/** One event as one line of JSON (`serializeEvent` + `JSON.stringify`), without a newline. */
export function toJsonLine(event: TraderEvent): string {
  return JSON.stringify(serializeEvent(event));
}

/** Events as JSONL text: one `toJsonLine` per event, each followed by `\n`. */
export function toJsonLines(events: Iterable<TraderEvent>): string {
  let out = "";
  for (const event of events) out += `${toJsonLine(event)}\n`;
  return out;
}

/** What `compareEventLogs` compares: events, JSON lines, or JSONL text. */
export type EventLogSource = readonly TraderEvent[] | readonly string[] | string;

/** Options of `compareEventLogs`. */
export interface CompareEventLogsOptions {
  /**
   * Field names to drop at every depth before comparing, e.g. `["eventId", "tsInit"]` when the
   * two logs come from different wirings whose ids and creation times legitimately differ.
   */
  readonly ignoreKeys?: readonly string[];
  /** Keep only the events this returns true for (it sees the serialized event), e.g. decisions. */
  readonly filter?: (event: SerializedEvent) => boolean;
}

/** The answer of `compareEventLogs`. */
export type EventLogComparison =
  | {
      /** The logs are identical (after `ignoreKeys` and `filter`). */
      readonly equal: true;
      /** Events compared. */
      readonly count: number;
    }
  | {
      /** The logs differ. */
      readonly equal: false;
      /** Index (among the compared events) of the first event that differs. */
      readonly index: number;
      /** Dotted path of the first differing field inside that event (`""`: one log ended). */
      readonly path: string;
      /** The left event as a JSON line (absent: the left log ended first). */
      readonly left?: string;
      /** The right event as a JSON line (absent: the right log ended first). */
      readonly right?: string;
      /** The left value at `path`, as JSON (absent if the field is missing). */
      readonly leftValue?: string;
      /** The right value at `path`, as JSON (absent if the field is missing). */
      readonly rightValue?: string;
      /** A one-line description of the difference. */
      readonly message: string;
    };

function normalize(source: EventLogSource): SerializedEvent[] {
  if (typeof source === "string") {
    const out: SerializedEvent[] = [];
    for (const line of source.split("\n")) {
      if (line.trim() !== "") out.push(JSON.parse(line) as SerializedEvent);
    }
    return out;
  }
  const out: SerializedEvent[] = [];
  for (const item of source) {
    out.push(typeof item === "string" ? (JSON.parse(item) as SerializedEvent) : serializeEvent(item));
  }
  return out;
}

function strip(value: JsonValue, ignore: ReadonlySet<string>): JsonValue {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return (value as readonly JsonValue[]).map((v) => strip(v, ignore));
  const record = value as { readonly [key: string]: JsonValue };
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(record).sort()) {
    if (ignore.has(key)) continue;
    out[key] = strip(record[key] as JsonValue, ignore);
  }
  return out;
}

function canonical(value: JsonValue): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${(value as readonly JsonValue[]).map(canonical).join(",")}]`;
  const record = value as { readonly [key: string]: JsonValue };
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    parts.push(`${JSON.stringify(key)}:${canonical(record[key] as JsonValue)}`);
  }
  return `{${parts.join(",")}}`;
}

/** The first path where two JSON values differ, or undefined when they are equal. */
function firstDifference(
  a: JsonValue | undefined,
  b: JsonValue | undefined,
  path: string,
): string | undefined {
  if (a === undefined || b === undefined) return a === b ? undefined : path;
  const aObj = a !== null && typeof a === "object";
  const bObj = b !== null && typeof b === "object";
  if (!aObj || !bObj) return canonical(a) === canonical(b) ? undefined : path;
  if (Array.isArray(a) !== Array.isArray(b)) return path;
  if (Array.isArray(a)) {
    const la = a as readonly JsonValue[];
    const lb = b as readonly JsonValue[];
    const n = Math.max(la.length, lb.length);
    for (let i = 0; i < n; i++) {
      const d = firstDifference(la[i], lb[i], path === "" ? String(i) : `${path}.${i}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  const ra = a as { readonly [key: string]: JsonValue };
  const rb = b as { readonly [key: string]: JsonValue };
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort();
  for (const key of keys) {
    const d = firstDifference(ra[key], rb[key], path === "" ? key : `${path}.${key}`);
    if (d !== undefined) return d;
  }
  return undefined;
}

function valueAt(value: JsonValue, path: string): JsonValue | undefined {
  if (path === "") return value;
  let current: JsonValue | undefined = value;
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object" || current === undefined) return undefined;
    current = Array.isArray(current)
      ? (current as readonly JsonValue[])[Number(part)]
      : (current as { readonly [key: string]: JsonValue })[part];
  }
  return current;
}

/**
 * Compares two event logs event by event and reports the first difference: its index, the dotted
 * path of the first differing field, both events as JSON lines and both values. Inputs may be
 * event arrays, arrays of JSON lines, or JSONL text (blank lines ignored), in any mix. This is
 * what a parity test uses: `compareEventLogs(backtestLog, liveShapedLog, { ignoreKeys: ["eventId", "tsInit"] })`.
 */
export function compareEventLogs(
  a: EventLogSource,
  b: EventLogSource,
  options: CompareEventLogsOptions = {},
): EventLogComparison {
  const ignore = new Set(options.ignoreKeys ?? []);
  const prepare = (source: EventLogSource): SerializedEvent[] => {
    let events = normalize(source);
    if (options.filter !== undefined) events = events.filter(options.filter);
    return ignore.size === 0 ? events : events.map((e) => strip(e, ignore) as SerializedEvent);
  };
  const left = prepare(a);
  const right = prepare(b);
  const n = Math.max(left.length, right.length);
  for (let i = 0; i < n; i++) {
    const l = left[i];
    const r = right[i];
    if (l === undefined || r === undefined) {
      const which = l === undefined ? "left" : "right";
      return {
        equal: false,
        index: i,
        path: "",
        ...(l === undefined ? {} : { left: canonical(l) }),
        ...(r === undefined ? {} : { right: canonical(r) }),
        message: `event ${i}: the ${which} log ends (${left.length} vs ${right.length} events)`,
      };
    }
    const path = firstDifference(l, r, "");
    if (path !== undefined) {
      const lv = valueAt(l, path);
      const rv = valueAt(r, path);
      return {
        equal: false,
        index: i,
        path,
        left: canonical(l),
        right: canonical(r),
        ...(lv === undefined ? {} : { leftValue: canonical(lv) }),
        ...(rv === undefined ? {} : { rightValue: canonical(rv) }),
        message: `event ${i} (${String(l.type)}): ${path === "" ? "differs" : path}: ${lv === undefined ? "missing" : canonical(lv)} vs ${rv === undefined ? "missing" : canonical(rv)}`,
      };
    }
  }
  return { equal: true, count: n };
}
