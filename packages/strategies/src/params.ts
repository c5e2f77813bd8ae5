import { describeValue, type ParseIssue, type ParseSchema } from "@gpt/core";
import * as z from "@gpt/core/validation";
import { StrategyError, type StrategyIssue } from "./errors.js";

/**
 * The documentation of one strategy parameter, as `listStrategies()` reports it (the backtester CLI
 * prints it for `--param k=v`).
 */
export interface ParamDoc {
  /** Parameter name (the key in the params object; nested parameters are objects). */
  readonly name: string;
  /** Value kind. Strings are coerced: `"20"` to 20, `"true"`/`"false"`/`"1"`/`"0"`/`"yes"`/`"no"` to booleans. */
  readonly type: "integer" | "number" | "boolean" | "enum" | "strategy" | "object" | "model";
  /** The default (absent when the parameter is required). */
  readonly default?: unknown;
  /** Allowed values of an enum. */
  readonly values?: readonly string[];
  /** Inclusive lower bound of a number, when one applies. */
  readonly min?: number;
  /** Inclusive upper bound of a number, when one applies. */
  readonly max?: number;
  /** What it does, with units. */
  readonly description: string;
}

/**
 * Strings from a command line become numbers: trimmed, non-empty, `Number()`; anything else passes
 * through unchanged (for the schema to reject). The coercion of every built-in numeric parameter.
 */
export function coerceNumberParam(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const s = value.trim();
  if (s === "") return value;
  const n = Number(s);
  return Number.isNaN(n) ? value : n;
}

/**
 * Strings from a command line become booleans: true/false, 1/0, yes/no, on/off (any case); anything
 * else passes through unchanged. The coercion of every built-in boolean parameter.
 */
export function coerceBooleanParam(value: unknown): unknown {
  if (typeof value !== "string") return value;
  switch (value.trim().toLowerCase()) {
    case "true":
    case "1":
    case "yes":
    case "on":
      return true;
    case "false":
    case "0":
    case "no":
    case "off":
      return false;
    default:
      return value;
  }
}

/** An integer parameter in [min, max] with a default; accepts numeric strings. */
export function intParam(fallback: number, min: number, max: number) {
  return z._default(
    z.pipe(z.transform(coerceNumberParam), z.int().check(z.minimum(min), z.maximum(max))),
    fallback,
  );
}

/** A finite number parameter in [min, max] with a default; accepts numeric strings. */
export function numberParam(fallback: number, min: number, max: number) {
  return z._default(
    z.pipe(z.transform(coerceNumberParam), z.number().check(z.minimum(min), z.maximum(max))),
    fallback,
  );
}

/** A number parameter in (min, max] (exclusive lower bound) with a default; accepts numeric strings. */
export function positiveParam(fallback: number, max: number, min = 0) {
  return z._default(
    z.pipe(z.transform(coerceNumberParam), z.number().check(z.gt(min), z.maximum(max))),
    fallback,
  );
}

/** A boolean parameter with a default; accepts `"true"`, `"false"`, `"1"`, `"0"`, `"yes"`, `"no"`. */
export function boolParam(fallback: boolean) {
  return z._default(z.pipe(z.transform(coerceBooleanParam), z.boolean()), fallback);
}

/** An enum parameter with a default. */
export function enumParam<const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) {
  return z._default(z.enum(values), fallback as never);
}

/** A parse issue as validators report it: zod 4 adds `code`, `keys` (unknown keys) and `input`. */
type DetailedIssue = ParseIssue & {
  readonly code?: unknown;
  readonly keys?: unknown;
  readonly input?: unknown;
};

/**
 * Maps the issues of a failed `safeParse` to `StrategyIssue`s with dotted paths; unknown keys (zod's
 * `unrecognized_keys`) are reported one by one at the key. `prefix` is prepended to every path.
 */
export function issuesOf(error: { readonly issues: readonly ParseIssue[] }, prefix = ""): StrategyIssue[] {
  const out: StrategyIssue[] = [];
  for (const issue of error.issues as readonly DetailedIssue[]) {
    const base = issue.path.map(String);
    if (issue.code === "unrecognized_keys" && Array.isArray(issue.keys)) {
      for (const key of issue.keys as unknown[]) {
        out.push({
          path: prefix + [...base, String(key)].join("."),
          message: "unknown parameter",
          value: key,
        });
      }
      continue;
    }
    const path = base.length > 0 ? prefix + base.join(".") : prefix === "" ? "(root)" : prefix.slice(0, -1);
    out.push({ path, message: issue.message, value: issue.input });
  }
  return out;
}

/** Throws the `invalid-params` error for a list of issues. */
export function throwInvalidParams(strategy: string, issues: readonly StrategyIssue[]): never {
  const first = issues[0];
  const list = issues.map((i) => `${i.path}: ${i.message}${describe(i.value)}`).join("; ");
  throw new StrategyError("invalid-params", `invalid parameters for strategy "${strategy}": ${list}`, {
    strategy,
    ...(first === undefined ? {} : { param: first.path, value: first.value }),
    issues,
  });
}

/**
 * The ` (got …)` suffix of an issue in a message: numbers and booleans as they are, strings only
 * when short and number-shaped (else by their length, see `describeValue`), nothing for other values.
 */
function describe(value: unknown): string {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return ` (got ${describeValue(value)})`;
  }
  return "";
}

/**
 * Validates raw parameters (`undefined` means all defaults) with a strategy's schema; returns the
 * parsed, defaulted parameters. @throws StrategyError (`invalid-params`) naming the strategy, the
 * first bad parameter and its value, and listing every problem.
 */
export function parseParams<P>(strategy: string, schema: ParseSchema<P>, input: unknown): P {
  const raw = input === undefined ? {} : input;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throwInvalidParams(strategy, [{ path: "(root)", message: "parameters must be an object", value: raw }]);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throwInvalidParams(strategy, issuesOf(parsed.error));
  return parsed.data;
}

const KEY = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)*$/;

/**
 * Turns command-line `key=value` arguments into a (nested) parameters object whose values stay
 * strings, for `createStrategy` to coerce: `["fast=10", "trendParams.slow=50"]` gives
 * `{ fast: "10", trendParams: { slow: "50" } }`. The value is everything after the first `=`.
 *
 * @throws StrategyError (`invalid-input`) for a missing `=`, a bad key, a key given twice, or a key
 * that is both a value and a group (`a=1` with `a.b=2`).
 */
export function parseParamArgs(args: readonly string[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  const fail = (arg: string, why: string): never => {
    // The argument's value may be anything a user typed (a secret included): the message names the
    // key only when it is a well-formed key, and the value only when short and number-shaped.
    const eq = arg.indexOf("=");
    const key = eq > 0 ? arg.slice(0, eq).trim() : "";
    const known = KEY.test(key);
    const label = known ? `"${key}" (value ${describeValue(arg.slice(eq + 1))})` : describeValue(arg);
    throw new StrategyError("invalid-input", `bad parameter argument ${label}: ${why}`, {
      ...(known ? { param: key } : {}),
      value: arg,
    });
  };
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq <= 0) fail(arg, "expected key=value");
    const key = arg.slice(0, eq).trim();
    const value = arg.slice(eq + 1);
    if (!KEY.test(key)) fail(arg, "keys are names separated by dots");
    const parts = key.split(".");
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i] as string;
      const next = Object.hasOwn(node, part) ? node[part] : undefined;
      if (next === undefined) {
        const child: Record<string, unknown> = {};
        node[part] = child;
        node = child;
      } else if (typeof next === "object" && next !== null) {
        node = next as Record<string, unknown>;
      } else {
        fail(arg, `"${parts.slice(0, i + 1).join(".")}" is already a value`);
      }
    }
    const leaf = parts[parts.length - 1] as string;
    if (Object.hasOwn(node, leaf)) fail(arg, `"${key}" is given twice or is a group`);
    node[leaf] = value;
  }
  return root;
}
