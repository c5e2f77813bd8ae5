import {
  issuesFromZod,
  type RiskConfig,
  type RiskConfigInput,
  type RiskConfigResult,
  safeParseRiskConfigObject,
} from "./config.js";
import { RiskConfigError, type RiskConfigIssue } from "./errors.js";

/**
 * How an environment variable's text is read before validation:
 * - `fraction`: a decimal fraction (`0.05` = 5 %) or a percentage with `%` (`5%`);
 * - `decimal`: a decimal amount (`250000`, `2.5`);
 * - `integer`: a whole number (`50`);
 * - `number`: a plain decimal read as a float (ratios of market observations);
 * - `boolean`: `true/false`, `1/0`, `yes/no`, `on/off` (any case);
 * - `time`: `HH:MM` (UTC);
 * - `per-symbol`: `SYMBOL:VALUE,SYMBOL:VALUE` (split at the last `:` of each entry) or a JSON object;
 * - `breaker-state`: `reducing` or `halted`.
 */
export type RiskEnvKind =
  | "fraction"
  | "decimal"
  | "integer"
  | "number"
  | "boolean"
  | "time"
  | "per-symbol"
  | "breaker-state";

/** One environment variable `riskConfigFromEnv` reads. */
export interface RiskEnvVariable {
  /** The variable name, `RISK_` + the config path in SCREAMING_SNAKE_CASE. */
  readonly variable: string;
  /** The config field it sets, as a path (`["breakers", "drawdown", "maxPct"]`). */
  readonly path: readonly string[];
  /** How its text is read. */
  readonly kind: RiskEnvKind;
}

function screamingSnake(segment: string): string {
  return segment.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

/** The environment variable for a config path: `RISK_` + each segment in SCREAMING_SNAKE_CASE, joined by `_`. */
export function riskEnvVariableName(path: readonly string[]): string {
  return `RISK_${path.map(screamingSnake).join("_")}`;
}

const SPECS: ReadonlyArray<readonly [readonly string[], RiskEnvKind]> = [
  [["maxDailyLossPct"], "fraction"],
  [["dailyResetUtc"], "time"],
  [["reduceOnlyMode"], "boolean"],
  [["maxLeverage"], "decimal"],
  [["maxLeveragePerSymbol"], "per-symbol"],
  [["maxPositionNotional"], "decimal"],
  [["maxPositionNotionalPerSymbol"], "per-symbol"],
  [["maxTotalNotional"], "decimal"],
  [["maxOrderNotional"], "decimal"],
  [["maxNetLongNotional"], "decimal"],
  [["maxNetShortNotional"], "decimal"],
  [["priceBandPct"], "fraction"],
  [["maxOpenOrders"], "integer"],
  [["maxOrdersPerMinute"], "integer"],
  [["minLiquidationDistancePct"], "fraction"],
  [["staleMarketDataMs"], "integer"],
  [["markFutureToleranceMs"], "integer"],
  [["breakers", "consecutiveLosses", "enabled"], "boolean"],
  [["breakers", "consecutiveLosses", "maxCount"], "integer"],
  [["breakers", "consecutiveLosses", "cooldownMs"], "integer"],
  [["breakers", "consecutiveLosses", "onTrip"], "breaker-state"],
  [["breakers", "drawdown", "enabled"], "boolean"],
  [["breakers", "drawdown", "maxPct"], "fraction"],
  [["breakers", "drawdown", "cooldownMs"], "integer"],
  [["breakers", "drawdown", "onTrip"], "breaker-state"],
  [["breakers", "volatility", "enabled"], "boolean"],
  [["breakers", "volatility", "maxRatio"], "number"],
  [["breakers", "volatility", "cooldownMs"], "integer"],
  [["breakers", "volatility", "onTrip"], "breaker-state"],
  [["breakers", "venueErrors", "enabled"], "boolean"],
  [["breakers", "venueErrors", "maxRate"], "number"],
  [["breakers", "venueErrors", "minRequests"], "integer"],
  [["breakers", "venueErrors", "windowMs"], "integer"],
  [["breakers", "venueErrors", "cooldownMs"], "integer"],
  [["breakers", "venueErrors", "onTrip"], "breaker-state"],
  [["breakers", "rejects", "enabled"], "boolean"],
  [["breakers", "rejects", "maxCount"], "integer"],
  [["breakers", "rejects", "windowMs"], "integer"],
  [["breakers", "rejects", "cooldownMs"], "integer"],
  [["breakers", "rejects", "onTrip"], "breaker-state"],
];

/** Every environment variable `riskConfigFromEnv` reads, with its config path and how it is read. */
export const RISK_ENV_VARIABLES: readonly RiskEnvVariable[] = /* @__PURE__ */ SPECS.map(([path, kind]) => ({
  variable: riskEnvVariableName(path),
  path,
  kind,
}));

/** Names the old Python bot used, with the variable that replaces them (reported as warnings). */
const LEGACY_NAMES: Readonly<Record<string, string>> = {
  RISK_LEVERAGE_MAX_PER_SYMBOL: "RISK_MAX_LEVERAGE_PER_SYMBOL",
  RISK_MAX_NOTIONAL_PER_SYMBOL: "RISK_MAX_POSITION_NOTIONAL_PER_SYMBOL",
  RISK_MAX_POSITION_USD: "RISK_MAX_POSITION_NOTIONAL",
  RISK_MAX_MARK_STALENESS_SECONDS: "RISK_STALE_MARKET_DATA_MS (in milliseconds)",
  RISK_MIN_LIQUIDATION_BUFFER_PCT: "RISK_MIN_LIQUIDATION_DISTANCE_PCT",
  RISK_CB_COOLDOWN_MIN: "RISK_BREAKERS_<BREAKER>_COOLDOWN_MS (per breaker, in milliseconds)",
};

const TRUE_WORDS = new Set(["true", "1", "yes", "on"]);
const FALSE_WORDS = new Set(["false", "0", "no", "off"]);
const INTEGER = /^\+?\d{1,16}$/;
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$/;

type Parsed = { ok: true; value: unknown } | { ok: false; reason: string };

function parsePerSymbol(text: string): Parsed {
  if (text.startsWith("{")) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'not valid JSON; use {"SYMBOL": "VALUE"} or SYMBOL:VALUE,SYMBOL:VALUE' };
    }
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
      return { ok: false, reason: "JSON must be an object of SYMBOL to VALUE" };
    }
    return { ok: true, value: json };
  }
  const out: Record<string, string> = {};
  let position = 0;
  for (const rawEntry of text.split(",")) {
    position += 1;
    const entry = rawEntry.trim();
    if (entry === "") continue;
    const colon = entry.lastIndexOf(":");
    // Entries are named by position, never quoted: the text could be anything, a secret included.
    if (colon <= 0 || colon === entry.length - 1) {
      return { ok: false, reason: `entry ${position} is not SYMBOL:VALUE` };
    }
    const key = entry.slice(0, colon).trim();
    const value = entry.slice(colon + 1).trim();
    if (Object.hasOwn(out, key))
      return { ok: false, reason: `entry ${position} lists a symbol a second time` };
    out[key] = value;
  }
  return { ok: true, value: out };
}

function parseText(kind: RiskEnvKind, text: string): Parsed {
  switch (kind) {
    case "fraction":
    case "decimal":
    case "time":
      return { ok: true, value: text };
    case "integer":
      return INTEGER.test(text) && Number.isSafeInteger(Number(text))
        ? { ok: true, value: Number(text) }
        : { ok: false, reason: "must be a whole number" };
    case "number":
      return PLAIN_NUMBER.test(text) && Number.isFinite(Number(text))
        ? { ok: true, value: Number(text) }
        : { ok: false, reason: "must be a number" };
    case "boolean": {
      const word = text.toLowerCase();
      if (TRUE_WORDS.has(word)) return { ok: true, value: true };
      if (FALSE_WORDS.has(word)) return { ok: true, value: false };
      return { ok: false, reason: "must be true/false, 1/0, yes/no or on/off" };
    }
    case "breaker-state":
      return { ok: true, value: text.toLowerCase() };
    case "per-symbol":
      return parsePerSymbol(text);
    default: {
      const unreachable: never = kind;
      throw new TypeError(`unknown env kind ${String(unreachable)}`);
    }
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    const next = current[key];
    if (next === null || typeof next !== "object") {
      const created: Record<string, unknown> = {};
      current[key] = created;
      current = created;
    } else {
      current = next as Record<string, unknown>;
    }
  }
  current[path[path.length - 1] as string] = value;
}

function deepMerge(base: unknown, override: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> =
    base !== null && typeof base === "object" && !Array.isArray(base) ? { ...(base as object) } : {};
  for (const [key, value] of Object.entries(override)) {
    const existing = out[key];
    out[key] =
      value !== null &&
      typeof value === "object" &&
      !Array.isArray(value) &&
      existing !== null &&
      typeof existing === "object" &&
      !Array.isArray(existing) &&
      !isPerSymbolPath(key)
        ? deepMerge(existing, value as Record<string, unknown>)
        : value;
  }
  return out;
}

function isPerSymbolPath(key: string): boolean {
  return key === "maxLeveragePerSymbol" || key === "maxPositionNotionalPerSymbol";
}

/** Options of `riskConfigFromEnv`. */
export interface RiskConfigFromEnvOptions {
  /** Object-form settings the environment overrides (e.g. from a config file). Default `{}`. */
  readonly base?: RiskConfigInput;
  /**
   * What to do with `RISK_*` variables this package does not know (typos, the old bot's names):
   * `"warn"` (default) lists them in `warnings`, `"error"` makes them issues.
   */
  readonly unknownVariables?: "warn" | "error";
}

/** Why `options` cannot be used, or `undefined` (checked before anything is read). */
function optionsProblem(options: unknown): RiskConfigIssue | undefined {
  if (options === undefined) return undefined;
  if (!isPlainObject(options)) {
    return { path: "", reason: `options must be an object (got ${describeKind(options)})` };
  }
  const { base, unknownVariables } = options as Record<string, unknown>;
  if (unknownVariables !== undefined && unknownVariables !== "warn" && unknownVariables !== "error") {
    return {
      path: "",
      reason: `options.unknownVariables must be "warn" or "error" (got ${describeKind(unknownVariables)})`,
    };
  }
  if (base !== undefined && !isPlainObject(base)) {
    return { path: "", reason: `options.base must be a configuration object (got ${describeKind(base)})` };
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The kind of a value, for messages (never its content). */
function describeKind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `a ${value.length}-character string`;
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Text that is short and number-shaped (amounts, percentages, times): it cannot carry a secret. */
const QUOTABLE = /^[0-9eE.+\-%: ]{1,32}$/;

/**
 * What an issue may show of an environment value: the text itself when it is short and
 * number-shaped (`"abc%"` is not, `"150%"` is), else only its length. Environment variables hold
 * secrets next to settings, and a mistyped name or a pasted key must not end up in a log.
 */
function envValueExcerpt(raw: string): string {
  return QUOTABLE.test(raw) ? raw : `(${raw.length} characters, not shown)`;
}

/**
 * Reads the risk configuration from environment variables (see `RISK_ENV_VARIABLES` and the README
 * table) on top of `options.base`, then validates it with the config schema. Empty or blank values
 * count as unset. Never throws, whatever it is given: `{ ok: false, issues }` names each variable
 * and the reason; an `env` that is not an object of strings (`5`, `[]`, a number as a value) is an
 * issue too, never the defaults.
 *
 * Issues and warnings are safe to log: a value is shown only when it is short and number-shaped
 * (see `envValueExcerpt`), and unknown `RISK_*` variables are listed by name only.
 *
 * @example
 * const result = riskConfigFromEnv(process.env);
 * if (!result.ok) for (const i of result.issues) console.error(`${i.variable ?? i.path}: ${i.reason}`);
 */
export function riskConfigFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  options: RiskConfigFromEnvOptions = {},
): RiskConfigResult {
  try {
    return readEnv(env, options);
  } catch {
    // Only an exotic input gets here (a proxy or getter that throws when read); its error is not
    // copied, as it may quote what it was reading.
    const reason = "the environment or the options could not be read (reading them threw)";
    return { ok: false, issues: [{ path: "", reason }], warnings: [] };
  }
}

function readEnv(env: unknown, options: unknown): RiskConfigResult {
  if (!isPlainObject(env)) {
    const reason = `the environment must be an object of variable names to strings (got ${describeKind(env)})`;
    return { ok: false, issues: [{ path: "", reason }], warnings: [] };
  }
  const badOptions = optionsProblem(options);
  if (badOptions !== undefined) return { ok: false, issues: [badOptions], warnings: [] };
  const opts = (options ?? {}) as RiskConfigFromEnvOptions;
  const issues: RiskConfigIssue[] = [];
  const warnings: RiskConfigIssue[] = [];
  const overrides: Record<string, unknown> = {};
  const known = new Set<string>();
  /** The text of each variable that was set, for the schema's issues below. */
  const texts = new Map<string, string>();

  for (const spec of RISK_ENV_VARIABLES) {
    known.add(spec.variable);
    const raw: unknown = Object.hasOwn(env, spec.variable) ? env[spec.variable] : undefined;
    if (raw === undefined) continue;
    if (typeof raw !== "string") {
      issues.push({
        path: spec.path.join("."),
        variable: spec.variable,
        reason: `must be a string, as environment values are (got ${describeKind(raw)})`,
      });
      continue;
    }
    const text = raw.trim();
    if (text === "") continue;
    texts.set(spec.variable, raw);
    const parsed = parseText(spec.kind, text);
    if (parsed.ok) {
      setPath(overrides, spec.path, parsed.value);
    } else {
      issues.push({
        path: spec.path.join("."),
        variable: spec.variable,
        value: envValueExcerpt(raw),
        reason: parsed.reason,
      });
    }
  }

  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith("RISK_") || known.has(name)) continue;
    const replacement = Object.hasOwn(LEGACY_NAMES, name) ? LEGACY_NAMES[name] : undefined;
    // By name only: an unknown variable's value could be anything (a key pasted under a typo).
    const issue: RiskConfigIssue = {
      path: "",
      variable: name,
      reason:
        replacement === undefined
          ? "unknown RISK_ variable (a typo?); it is not read"
          : `not read any more; use ${replacement}`,
    };
    if (opts.unknownVariables === "error") issues.push(issue);
    else warnings.push(issue);
  }

  const input = deepMerge(opts.base ?? {}, overrides);
  const result = safeParseRiskConfigObject(input);
  if (result.success && issues.length === 0) return { ok: true, config: result.data, warnings };
  if (!result.success) {
    for (const issue of issuesFromZod(result.error, input)) {
      const spec = specFor(issue.path);
      // A value that failed text parsing is already reported; skip the schema's echo of it.
      if (spec !== undefined && issues.some((i) => i.variable === spec.variable)) continue;
      const raw = spec === undefined ? undefined : texts.get(spec.variable);
      if (spec !== undefined && raw !== undefined) {
        issues.push({
          ...entryIssue(issue, spec, overrides),
          variable: spec.variable,
          value: envValueExcerpt(raw),
        });
      } else if (issue.value !== undefined) {
        // A problem in `options.base`: its value meets the same rule as an environment value.
        issues.push({ ...issue, value: envValueExcerpt(issue.value) });
      } else {
        issues.push(issue);
      }
    }
  }
  // Report in the order of RISK_ENV_VARIABLES (then unknown variables, then base-object problems).
  const rank = (issue: RiskConfigIssue): number => {
    const at = RISK_ENV_VARIABLES.findIndex((spec) => spec.variable === issue.variable);
    if (at >= 0) return at;
    return issue.variable === undefined ? RISK_ENV_VARIABLES.length + 1 : RISK_ENV_VARIABLES.length;
  };
  issues.sort((a, b) => rank(a) - rank(b));
  return { ok: false, issues, warnings };
}

/**
 * A problem inside a per-symbol variable is named by the entry's position (`entry 2: …`), not by
 * its symbol: the symbol is text from the environment, and the environment also holds secrets.
 */
function entryIssue(
  issue: RiskConfigIssue,
  spec: RiskEnvVariable,
  overrides: Record<string, unknown>,
): RiskConfigIssue {
  const specPath = spec.path.join(".");
  if (spec.kind !== "per-symbol" || !issue.path.startsWith(`${specPath}.`)) return issue;
  const symbol = issue.path.slice(specPath.length + 1).split(".")[0] ?? "";
  let map: unknown = overrides;
  for (const key of spec.path) map = isPlainObject(map) ? map[key] : undefined;
  const position = isPlainObject(map) ? Object.keys(map).indexOf(symbol) + 1 : 0;
  const entry = position > 0 ? `entry ${position}` : "an entry";
  return { ...issue, path: specPath, reason: `${entry}: ${issue.reason}` };
}

function specFor(path: string): RiskEnvVariable | undefined {
  let best: RiskEnvVariable | undefined;
  for (const spec of RISK_ENV_VARIABLES) {
    const specPath = spec.path.join(".");
    if (path === specPath || path.startsWith(`${specPath}.`)) {
      if (best === undefined || specPath.length > best.path.join(".").length) best = spec;
    }
  }
  return best;
}

/**
 * `riskConfigFromEnv`, throwing instead of returning issues.
 *
 * @throws RiskConfigError listing every issue with its variable name and reason (for any input;
 *   never a `TypeError`).
 */
export function riskConfigFromEnvOrThrow(
  env: Readonly<Record<string, string | undefined>>,
  options: RiskConfigFromEnvOptions = {},
): RiskConfig {
  const result = riskConfigFromEnv(env, options);
  if (!result.ok) throw new RiskConfigError(result.issues);
  return result.config;
}
