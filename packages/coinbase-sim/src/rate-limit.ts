import { CoinbaseSimError } from "./errors.js";

/** The limits the simulator enforces, per second. */
export interface SimRateLimits {
  /** Private requests per second per key; default 30 (Coinbase's documented figure). */
  readonly privatePerSecond?: number;
  /** Public requests per second per client address; default 10. */
  readonly publicPerSecond?: number;
  /**
   * WebSocket messages without a `jwt` a client address may send per second, over all its
   * connections; default 8 (Coinbase's documented figure).
   */
  readonly wsUnauthenticatedPerSecond?: number;
}

/** The buckets: private REST requests per key, public ones and unauthenticated WebSocket messages per address. */
type RateKind = "private" | "public" | "ws";

const RATE_KEYS = ["privatePerSecond", "publicPerSecond", "wsUnauthenticatedPerSecond"] as const;

/** Refuses what `startSimulator`'s `rateLimit` cannot use, naming the field. */
function checkRateLimits(limits: unknown): void {
  if (typeof limits !== "object" || limits === null || Array.isArray(limits))
    throw new CoinbaseSimError("invalid-config", "rateLimit: must be an object or false", {
      field: "rateLimit",
    });
  const value = limits as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(value)) {
    if (!(RATE_KEYS as readonly string[]).includes(key)) {
      const shown = /^[A-Za-z0-9_]{1,40}$/.test(key) ? key : "(a key)";
      throw new CoinbaseSimError("invalid-config", `rateLimit.${shown}: unknown key`, {
        field: `rateLimit.${shown}`,
      });
    }
  }
  for (const key of RATE_KEYS) {
    const rate = value[key];
    if (rate === undefined) continue;
    if (typeof rate !== "number" || !Number.isFinite(rate) || rate <= 0 || rate > 1_000_000) {
      throw new CoinbaseSimError("invalid-config", `rateLimit.${key}: must be a number above 0`, {
        field: `rateLimit.${key}`,
        ...(typeof rate === "number" ? { value: rate } : {}),
      });
    }
  }
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
  readonly #ws: number;

  /** @throws CoinbaseSimError `invalid-config` for an unknown key or a rate that is not a positive number. */
  constructor(limits: SimRateLimits = {}) {
    checkRateLimits(limits);
    this.#private = limits.privatePerSecond ?? 30;
    this.#public = limits.publicPerSecond ?? 10;
    this.#ws = limits.wsUnauthenticatedPerSecond ?? 8;
  }

  /** Takes a token for `caller` from the `kind` bucket at `nowMs`. */
  take(kind: RateKind, caller: string, nowMs: number): RateVerdict {
    const rate = kind === "private" ? this.#private : kind === "public" ? this.#public : this.#ws;
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
