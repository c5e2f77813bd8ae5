import type { CoinbaseClientConfig } from "../config.js";
import { CoinbaseClientError } from "../errors.js";
import { describeValue } from "./describe.js";

/** The keys `createCoinbaseClient` accepts; anything else is a typo we report. */
const KNOWN_KEYS = new Set([
  "credentials",
  "baseUrl",
  "timeoutMs",
  "fetch",
  "logger",
  "rateLimit",
  "retry",
  "random",
  "timers",
  "newId",
]);
/** The longest timer Node accepts (2^31 - 1 ms, about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;

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
 * Checks `createCoinbaseClient`'s options and returns the parsed base URL.
 *
 * @throws CoinbaseClientError `invalid-config` naming the option (values are described, never quoted).
 */
export function checkConfig(config: unknown): CheckedBase {
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw configError("config", `must be an object (got ${describeValue(config)})`);
  }
  const c = config as Record<string, unknown>;
  for (const key of Object.keys(c)) {
    if (!KNOWN_KEYS.has(key)) throw configError(key, "is not an option of createCoinbaseClient");
  }
  const typed = c as CoinbaseClientConfig;
  if (typed.credentials !== undefined) {
    if (typeof typed.credentials !== "object" || typed.credentials === null) {
      throw configError("credentials", "must be an object { keyName, privateKey }");
    }
  }
  checkPositive("timeoutMs", c.timeoutMs, MAX_TIMER_MS);
  checkFunction("fetch", c.fetch);
  checkFunction("random", c.random);
  checkFunction("newId", c.newId);
  if (c.logger !== undefined) {
    if (typeof c.logger !== "object" || c.logger === null) throw configError("logger", "must be an object");
    checkFunction("logger.debug", (c.logger as Record<string, unknown>).debug);
    checkFunction("logger.warn", (c.logger as Record<string, unknown>).warn);
  }
  if (c.timers !== undefined) {
    if (typeof c.timers !== "object" || c.timers === null) throw configError("timers", "must be an object");
    for (const name of ["now", "setTimeout", "clearTimeout"]) {
      const fn = (c.timers as Record<string, unknown>)[name];
      if (typeof fn !== "function") throw configError(`timers.${name}`, "must be a function");
    }
  }
  checkRateLimit(c.rateLimit);
  checkRetry(c.retry);
  return checkBaseUrl(c.baseUrl);
}

function checkBaseUrl(value: unknown): CheckedBase {
  if (value === undefined)
    return { origin: "https://api.coinbase.com", host: "api.coinbase.com", basePath: "" };
  if (typeof value !== "string")
    throw configError("baseUrl", `must be a string (got ${describeValue(value)})`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw configError("baseUrl", "is not an absolute URL such as https://api.coinbase.com");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw configError("baseUrl", "must be http(s)");
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    throw configError("baseUrl", "must not carry a query string, fragment or user info");
  }
  return { origin: url.origin, host: url.host, basePath: url.pathname.replace(/\/+$/, "") };
}

function checkRateLimit(value: unknown): void {
  if (value === undefined || value === false) return;
  if (typeof value !== "object" || value === null)
    throw configError("rateLimit", "must be false or an object");
  const r = value as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (key !== "privatePerSecond" && key !== "publicPerSecond" && key !== "burst") {
      throw configError(`rateLimit.${key}`, "is not a rate-limit option");
    }
  }
  checkPositive("rateLimit.privatePerSecond", r.privatePerSecond, 1_000_000);
  checkPositive("rateLimit.publicPerSecond", r.publicPerSecond, 1_000_000);
  checkPositive("rateLimit.burst", r.burst, 1_000_000);
  if (r.burst !== undefined && (r.burst as number) < 1)
    throw configError("rateLimit.burst", "must be at least 1");
}

function checkRetry(value: unknown): void {
  if (value === undefined || value === false) return;
  if (typeof value !== "object" || value === null) throw configError("retry", "must be false or an object");
  const r = value as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (key !== "maxAttempts" && key !== "baseDelayMs" && key !== "maxDelayMs") {
      throw configError(`retry.${key}`, "is not a retry option");
    }
  }
  if (
    r.maxAttempts !== undefined &&
    !(Number.isInteger(r.maxAttempts) && (r.maxAttempts as number) >= 1 && (r.maxAttempts as number) <= 20)
  ) {
    throw configError(
      "retry.maxAttempts",
      `must be an integer from 1 to 20 (got ${describeValue(r.maxAttempts)})`,
    );
  }
  checkNonNegative("retry.baseDelayMs", r.baseDelayMs);
  checkNonNegative("retry.maxDelayMs", r.maxDelayMs);
  if (typeof r.baseDelayMs === "number" && typeof r.maxDelayMs === "number" && r.maxDelayMs < r.baseDelayMs) {
    throw configError("retry.maxDelayMs", "must not be below retry.baseDelayMs");
  }
}

function checkPositive(field: string, value: unknown, max: number): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > max) {
    throw configError(field, `must be a positive number up to ${max} (got ${describeValue(value)})`);
  }
}

function checkNonNegative(field: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > MAX_TIMER_MS) {
    throw configError(field, `must be a number of milliseconds >= 0 (got ${describeValue(value)})`);
  }
}

function checkFunction(field: string, value: unknown): void {
  if (value !== undefined && typeof value !== "function") {
    throw configError(field, `must be a function (got ${describeValue(value)})`);
  }
}

function configError(field: string, why: string): CoinbaseClientError {
  return new CoinbaseClientError("invalid-config", `createCoinbaseClient: ${field} ${why}`, {
    operation: "createCoinbaseClient",
    field,
  });
}
