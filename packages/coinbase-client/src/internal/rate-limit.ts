import type { ClientTimers, RateLimitOptions } from "../config.js";
import { wait } from "./timers.js";

/** Coinbase's documented REST limits (docs §4): 30/s per key for private endpoints, 10/s per IP for public ones. */
const DEFAULT_PRIVATE_PER_SECOND = 30;
/** See `DEFAULT_PRIVATE_PER_SECOND`. */
const DEFAULT_PUBLIC_PER_SECOND = 10;

/**
 * A token bucket that makes callers wait for their turn instead of sending a request Coinbase would
 * answer with 429. Turns are handed out in call order: each caller reserves a token (the count may
 * go below zero, a queue of reservations) and waits until the refill covers it.
 */
export class TokenBucket {
  readonly #capacity: number;
  readonly #perMs: number;
  readonly #timers: ClientTimers;
  #tokens: number;
  #last: number;

  constructor(perSecond: number, burst: number, timers: ClientTimers) {
    this.#capacity = burst;
    this.#perMs = perSecond / 1000;
    this.#timers = timers;
    this.#tokens = burst;
    this.#last = timers.now();
  }

  /** Milliseconds the next caller would wait now (0 when a token is free). */
  waitMs(): number {
    this.#refill();
    return this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) / this.#perMs);
  }

  /** Takes a token, waiting for it when none is free; an abort gives the reservation back. */
  async take(signal: AbortSignal | undefined): Promise<void> {
    const delay = this.waitMs();
    this.#tokens -= 1;
    if (delay === 0) return;
    try {
      await wait(this.#timers, delay, signal);
    } catch (error) {
      this.#tokens += 1;
      throw error;
    }
  }

  #refill(): void {
    const now = this.#timers.now();
    const elapsed = Math.max(0, now - this.#last);
    this.#last = now;
    this.#tokens = Math.min(this.#capacity, this.#tokens + elapsed * this.#perMs);
  }
}

/** The two buckets of a client, or none when rate limiting is off. */
export interface RateLimiter {
  take(auth: "private" | "public", signal: AbortSignal | undefined): Promise<void>;
  /** Milliseconds a request of that kind would wait now (for logs). */
  waitMs(auth: "private" | "public"): number;
}

/** Builds the limiter from `config.rateLimit` (`false`: never waits). */
export function createRateLimiter(
  options: false | RateLimitOptions | undefined,
  timers: ClientTimers,
): RateLimiter {
  if (options === false) return { take: async () => {}, waitMs: () => 0 };
  const privateRate = options?.privatePerSecond ?? DEFAULT_PRIVATE_PER_SECOND;
  const publicRate = options?.publicPerSecond ?? DEFAULT_PUBLIC_PER_SECOND;
  const buckets = {
    private: new TokenBucket(privateRate, options?.burst ?? privateRate, timers),
    public: new TokenBucket(publicRate, options?.burst ?? publicRate, timers),
  };
  return {
    take: (auth, signal) => buckets[auth].take(signal),
    waitMs: (auth) => buckets[auth].waitMs(),
  };
}
