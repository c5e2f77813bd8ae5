import { CoinbaseClientError } from "../errors.js";

/** How a stream waits between reconnect attempts: exponential backoff with jitter. */
export interface ReconnectOptions {
  /** The delay before the first reconnect attempt, in ms; default 500. */
  readonly initialDelayMs?: number;
  /** The largest delay, in ms; default 30,000. */
  readonly maxDelayMs?: number;
  /**
   * The share of each delay that is random, 0 to 1; default 0.5 (a delay of 4 s becomes 2 to 4 s).
   * Jitter keeps many clients that lost the same server from coming back at the same instant.
   */
  readonly jitter?: number;
  /** Attempts in a row before the stream gives up on a connection; default `Infinity`. */
  readonly maxAttempts?: number;
  /** A random number in [0, 1); default `Math.random` (pass a seeded one for repeatable delays). */
  readonly random?: () => number;
}

/** `ReconnectOptions` with every default filled in. */
export interface ReconnectPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly jitter: number;
  readonly maxAttempts: number;
  readonly random: () => number;
}

/**
 * Checks reconnect options and fills in the defaults.
 *
 * @throws CoinbaseClientError `invalid-config` for a negative or non-numeric delay, a jitter outside
 *   0..1, or a `maxAttempts` below 1.
 */
export function reconnectPolicy(options: ReconnectOptions = {}): ReconnectPolicy {
  const initialDelayMs = options.initialDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const jitter = options.jitter ?? 0.5;
  const maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
  const bad = (field: string, rule: string): never => {
    throw new CoinbaseClientError("invalid-config", `reconnect.${field} must be ${rule}`, {
      operation: "createCoinbaseStream",
      field: `reconnect.${field}`,
    });
  };
  if (!isFiniteAtLeast(initialDelayMs, 0)) bad("initialDelayMs", "a finite number >= 0");
  if (!isFiniteAtLeast(maxDelayMs, initialDelayMs)) bad("maxDelayMs", "a finite number >= initialDelayMs");
  if (!isFiniteAtLeast(jitter, 0) || jitter > 1) bad("jitter", "a number from 0 to 1");
  if (typeof maxAttempts !== "number" || Number.isNaN(maxAttempts) || maxAttempts < 1) {
    bad("maxAttempts", "a number >= 1");
  }
  if (options.random !== undefined && typeof options.random !== "function") bad("random", "a function");
  return { initialDelayMs, maxDelayMs, jitter, maxAttempts, random: options.random ?? Math.random };
}

/**
 * The wait before reconnect attempt `attempt` (1 for the first): `initialDelayMs · 2^(attempt−1)`,
 * capped at `maxDelayMs`, then shortened by up to `jitter` of itself at random.
 */
export function backoffDelay(policy: ReconnectPolicy, attempt: number): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 52);
  const full = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** exponent);
  const draw = Math.min(Math.max(policy.random(), 0), 1);
  return Math.round(full * (1 - policy.jitter * draw));
}

function isFiniteAtLeast(value: unknown, min: number): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= min;
}
