import { CoinbaseClientError } from "../errors.js";
import { describeValue } from "./describe.js";

/** The origin and base path of a checked `baseUrl`. */
export interface CheckedBase {
  /** `https://api.coinbase.com` or `http://127.0.0.1:8080`. */
  readonly origin: string;
  /** `host[:port]` as the JWT `uri` claim names it. */
  readonly host: string;
  /** A path prefix before `/api/v3/brokerage` (usually `""`). */
  readonly basePath: string;
}

/**
 * What an option must be: `fn` a function, `fn!` a required function, `timeout` a timer length in
 * ms (> 0), `ms` a delay (>= 0), `rate` a positive rate, `burst` a count >= 1, `attempts` an integer
 * 1..20, `bytes` an integer 1..2^31 - 1, `object` any object, or a nested shape (`false` also accepted when `orFalse`).
 */
type Rule =
  | "fn"
  | "fn!"
  | "timeout"
  | "ms"
  | "rate"
  | "burst"
  | "attempts"
  | "bytes"
  | "object"
  | "url"
  | Shape;
interface Shape {
  readonly fields: Readonly<Record<string, Rule>>;
  readonly orFalse?: boolean;
  /** Other keys allowed (a logger or timers object with more methods than we call). */
  readonly open?: boolean;
}

/** The options of `createCoinbaseClient` and their rules (unknown keys are reported: typos). */
const CONFIG: Shape = {
  fields: {
    credentials: "object",
    baseUrl: "url",
    timeoutMs: "timeout",
    maxResponseBytes: "bytes",
    fetch: "fn",
    logger: { fields: { warn: "fn" }, open: true },
    rateLimit: {
      fields: { privatePerSecond: "rate", publicPerSecond: "rate", burst: "burst" },
      orFalse: true,
    },
    retry: { fields: { maxAttempts: "attempts", baseDelayMs: "ms", maxDelayMs: "ms" }, orFalse: true },
    random: "fn",
    timers: { fields: { now: "fn!", setTimeout: "fn!", clearTimeout: "fn!" }, open: true },
    newId: "fn",
  },
};
/** The largest response cap accepted (2^31 - 1 bytes). */
const MAX_BYTES = 2_147_483_647;
/** The longest timer Node accepts (2^31 - 1 ms, about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Checks `createCoinbaseClient`'s options and returns the parsed base URL.
 *
 * @throws CoinbaseClientError `invalid-config` naming the option (values are described, never quoted).
 */
export function checkConfig(config: unknown): CheckedBase {
  checkShape("config", config, CONFIG);
  const retry = (config as { retry?: { baseDelayMs?: number; maxDelayMs?: number } }).retry;
  if (retry && (retry.maxDelayMs ?? Number.POSITIVE_INFINITY) < (retry.baseDelayMs ?? 0)) {
    throw configError("retry.maxDelayMs", "must not be below retry.baseDelayMs");
  }
  return parseBaseUrl((config as { baseUrl?: string }).baseUrl);
}

function checkShape(path: string, value: unknown, shape: Shape): void {
  if (shape.orFalse && value === false) return;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw configError(
      path,
      `must be ${shape.orFalse ? "false or " : ""}an object (got ${describeValue(value)})`,
    );
  }
  const record = value as Record<string, unknown>;
  for (const key of shape.open ? [] : Object.keys(record)) {
    if (!Object.hasOwn(shape.fields, key)) throw configError(join(path, key), "is not a known option");
  }
  for (const [key, rule] of Object.entries(shape.fields)) {
    const field = join(path, key);
    const v = record[key];
    if (v === undefined) {
      if (rule === "fn!") throw configError(field, "must be a function");
      continue;
    }
    if (typeof rule === "object") checkShape(field, v, rule);
    else if (!passes(rule, v)) throw configError(field, `must be ${WANTED[rule]} (got ${describeValue(v)})`);
  }
}

const WANTED: Readonly<Record<Exclude<Rule, Shape>, string>> = {
  fn: "a function",
  "fn!": "a function",
  timeout: `a number of milliseconds from 1 to ${MAX_TIMER_MS}`,
  ms: `a number of milliseconds from 0 to ${MAX_TIMER_MS}`,
  rate: "a positive number up to 1000000",
  burst: "a number from 1 to 1000000",
  attempts: "an integer from 1 to 20",
  bytes: `an integer number of bytes from 1 to ${MAX_BYTES}`,
  object: "an object",
  url: "a string",
};

function passes(rule: Exclude<Rule, Shape>, v: unknown): boolean {
  if (rule === "fn" || rule === "fn!") return typeof v === "function";
  if (rule === "object") return typeof v === "object" && v !== null;
  if (rule === "url") return typeof v === "string";
  if (typeof v !== "number" || !Number.isFinite(v)) return false;
  if (rule === "attempts") return Number.isInteger(v) && v >= 1 && v <= 20;
  if (rule === "bytes") return Number.isInteger(v) && v >= 1 && v <= MAX_BYTES;
  if (rule === "rate") return v > 0 && v <= 1_000_000;
  if (rule === "burst") return v >= 1 && v <= 1_000_000;
  return (rule === "ms" ? v >= 0 : v > 0) && v <= MAX_TIMER_MS;
}

function parseBaseUrl(value: string | undefined): CheckedBase {
  if (value === undefined)
    return { origin: "https://api.coinbase.com", host: "api.coinbase.com", basePath: "" };
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw configError("baseUrl", "is not an absolute http(s) URL such as https://api.coinbase.com");
  }
  if (url.search || url.hash || url.username || url.password) {
    throw configError("baseUrl", "must not carry a query string, fragment or user info");
  }
  return { origin: url.origin, host: url.host, basePath: url.pathname.replace(/\/+$/, "") };
}

const join = (path: string, key: string): string => (path === "config" ? key : `${path}.${key}`);

function configError(field: string, why: string): CoinbaseClientError {
  return new CoinbaseClientError("invalid-config", `createCoinbaseClient: ${field} ${why}`, {
    operation: "createCoinbaseClient",
    field,
  });
}
