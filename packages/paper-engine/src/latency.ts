import { createSeededRng } from "@gpt/core";
import { PaperEngineError } from "./errors.js";

/**
 * Delays in simulated milliseconds between a request and the moment it takes effect at the
 * simulated venue. Must be deterministic (seed any randomness).
 *
 * - `submitDelayMs`: `OrderSubmitted` is emitted at once; the order is accepted (or rejected) and
 *   becomes live this much later.
 * - `cancelDelayMs` / `modifyDelayMs`: `OrderPendingCancel` / `OrderPendingUpdate` at once; the
 *   cancel or modify takes effect this much later. The order can still fill in between.
 */
export interface LatencyModel {
  /** A short name for reports. */
  readonly name: string;
  /** Delay before a new order is live (integer ms >= 0). */
  submitDelayMs(): number;
  /** Delay before a cancel takes effect (integer ms >= 0). */
  cancelDelayMs(): number;
  /** Delay before a modify takes effect (integer ms >= 0). */
  modifyDelayMs(): number;
}

function ms(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new PaperEngineError("invalid-config", `${field}: must be an integer >= 0 (got ${value})`, {
      context: { field, value },
    });
  }
  return value;
}

/** Everything takes effect immediately (the default). */
export function noLatency(): LatencyModel {
  return { name: "none", submitDelayMs: () => 0, cancelDelayMs: () => 0, modifyDelayMs: () => 0 };
}

/**
 * Fixed delays. `cancelMs` and `modifyMs` default to `submitMs`.
 * @throws PaperEngineError (`invalid-config`).
 */
export function fixedLatency(options: {
  readonly submitMs: number;
  readonly cancelMs?: number;
  readonly modifyMs?: number;
}): LatencyModel {
  const s = ms("submitMs", options.submitMs);
  const c = ms("cancelMs", options.cancelMs ?? s);
  const m = ms("modifyMs", options.modifyMs ?? c);
  return { name: "fixed", submitDelayMs: () => s, cancelDelayMs: () => c, modifyDelayMs: () => m };
}

/**
 * Uniformly random integer delays in `[minMs, maxMs]` from a seeded generator.
 * @throws PaperEngineError (`invalid-config`).
 */
export function randomLatency(options: {
  readonly minMs: number;
  readonly maxMs: number;
  readonly seed: number;
}): LatencyModel {
  const lo = ms("minMs", options.minMs);
  const hi = ms("maxMs", options.maxMs);
  if (hi < lo) throw new PaperEngineError("invalid-config", "maxMs: must be >= minMs");
  const rng = createSeededRng(options.seed);
  const draw = () => lo + Math.floor(rng.next() * (hi - lo + 1));
  return { name: "random", submitDelayMs: draw, cancelDelayMs: draw, modifyDelayMs: draw };
}
