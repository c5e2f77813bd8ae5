/** The REST limits the simulator enforces, per second. */
export interface SimRateLimits {
  /** Private requests per second per key; default 30 (Coinbase's documented figure). */
  readonly privatePerSecond?: number;
  /** Public requests per second per client address; default 10. */
  readonly publicPerSecond?: number;
}

/** The verdict for one request, with the `x-ratelimit-*` header values. */
export interface RateVerdict {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the bucket is full again. */
  readonly resetSeconds: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * Token buckets per caller (a key name or an address): `rate` tokens a second, at most one
 * second's worth stored. Time comes from the caller (the wall clock the JWTs are checked on).
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #private: number;
  readonly #public: number;

  constructor(limits: SimRateLimits = {}) {
    this.#private = limits.privatePerSecond ?? 30;
    this.#public = limits.publicPerSecond ?? 10;
  }

  /** Takes a token for `caller` (`private` or `public` bucket) at `nowMs`. */
  take(kind: "private" | "public", caller: string, nowMs: number): RateVerdict {
    const rate = kind === "private" ? this.#private : this.#public;
    const id = `${kind}:${caller}`;
    const bucket = this.#buckets.get(id) ?? { tokens: rate, updatedMs: nowMs };
    bucket.tokens = Math.min(rate, bucket.tokens + ((nowMs - bucket.updatedMs) / 1000) * rate);
    bucket.updatedMs = nowMs;
    this.#buckets.set(id, bucket);
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    return {
      allowed,
      limit: rate,
      remaining: Math.floor(bucket.tokens),
      resetSeconds: Math.ceil((rate - bucket.tokens) / rate),
    };
  }
}
