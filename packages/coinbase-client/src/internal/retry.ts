import type { RetryOptions } from "../config.js";

/** The retry settings after defaults. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Default: 4 attempts in all, backoff from 250 ms doubling to at most 10 s. */
const DEFAULTS: RetryPolicy = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 10_000 };
/** The longest wait a `Retry-After` header can impose. */
const MAX_RETRY_AFTER_MS = 60_000;

/** The policy from `config.retry` (`false`: one attempt, no retries). */
export function retryPolicy(options: false | RetryOptions | undefined): RetryPolicy {
  if (options === false) return { ...DEFAULTS, maxAttempts: 1 };
  return {
    maxAttempts: options?.maxAttempts ?? DEFAULTS.maxAttempts,
    baseDelayMs: options?.baseDelayMs ?? DEFAULTS.baseDelayMs,
    maxDelayMs: options?.maxDelayMs ?? DEFAULTS.maxDelayMs,
  };
}

/**
 * The wait before retry number `retry` (1 for the first retry): exponential backoff with "equal
 * jitter" — half of the capped exponential step, plus a random share of the other half — so
 * clients that failed together do not retry together. A server's `Retry-After` wins when it asks
 * for longer (capped at 60 s).
 */
export function backoffMs(
  policy: RetryPolicy,
  retry: number,
  random: () => number,
  retryAfterSeconds: number | undefined,
): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const jittered = step / 2 + (step / 2) * Math.min(Math.max(random(), 0), 1);
  const asked = retryAfterSeconds === undefined ? 0 : Math.min(retryAfterSeconds * 1000, MAX_RETRY_AFTER_MS);
  return Math.round(Math.max(jittered, asked));
}
