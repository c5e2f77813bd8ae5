import { describeValue, type InstrumentId, type StrategyId, type UnixMillis } from "@gpt/core";
import { StrategyError, type StrategyIssue } from "./errors.js";
import type { Direction, StrategyIntent, TargetPositionIntent } from "./types.js";

/** The shared, frozen "nothing to do" result. Strategies return it instead of allocating `[]`. */
export const NO_INTENTS: readonly StrategyIntent[] = Object.freeze([]);

const isPositiveFinite = (x: unknown): boolean =>
  typeof x === "number" && x > 0 && x !== Number.POSITIVE_INFINITY;

/**
 * Checks an intent against the contract and returns the problems (empty when valid); never throws.
 * Rules: a known `type`; non-empty ids; a known direction; `confidence` a number in [0, 1];
 * `sizeFraction`, `stopPrice` and `takeProfitPrice`, when present, finite and > 0; `reason` a
 * string; `tsEvent` a non-negative integer.
 */
export function validateIntent(intent: StrategyIntent): StrategyIssue[] {
  const issues: StrategyIssue[] = [];
  const bad = (path: string, message: string, value: unknown): void => {
    issues.push({ path, message, value });
  };
  const raw = intent as unknown as Record<string, unknown>;
  if (raw.type !== "TargetPosition" && raw.type !== "CancelOrders") {
    bad("type", "must be TargetPosition or CancelOrders", raw.type);
    return issues;
  }
  if (typeof raw.strategyId !== "string" || raw.strategyId === "") {
    bad("strategyId", "must be a non-empty string", raw.strategyId);
  }
  if (typeof raw.instrumentId !== "string" || raw.instrumentId === "") {
    bad("instrumentId", "must be a non-empty string", raw.instrumentId);
  }
  if (typeof raw.reason !== "string") bad("reason", "must be a string", raw.reason);
  if (typeof raw.tsEvent !== "number" || !Number.isSafeInteger(raw.tsEvent) || raw.tsEvent < 0) {
    bad("tsEvent", "must be a non-negative integer of milliseconds", raw.tsEvent);
  }
  if (intent.type === "TargetPosition") {
    if (intent.direction !== "long" && intent.direction !== "short" && intent.direction !== "flat") {
      bad("direction", "must be long, short or flat", intent.direction);
    }
    const c = intent.confidence;
    if (typeof c !== "number" || !(c >= 0 && c <= 1)) bad("confidence", "must be a number in [0, 1]", c);
    for (const field of ["sizeFraction", "stopPrice", "takeProfitPrice"] as const) {
      const v = intent[field];
      if (v !== undefined && !isPositiveFinite(v)) bad(field, "must be a finite number > 0", v);
    }
  }
  return issues;
}

/**
 * Throws `StrategyError` (`invalid-intent`, `param` = the first bad field) unless the intent is valid.
 * The kernel calls this on every intent it receives from a strategy it did not write.
 */
export function assertValidIntent(intent: StrategyIntent): void {
  const issues = validateIntent(intent);
  const first = issues[0];
  if (first !== undefined) {
    throw new StrategyError(
      "invalid-intent",
      `invalid intent: ${issues.map((i) => `${i.path}: ${i.message} (got ${describeValue(i.value)})`).join("; ")}`,
      { param: first.path, value: first.value, issues },
    );
  }
}

/** Input of `targetPosition`: a target without its discriminant. */
export interface TargetPositionInput {
  /** The strategy. */
  readonly strategyId: StrategyId;
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** Wanted direction. */
  readonly direction: Direction;
  /** Confidence in [0, 1]. */
  readonly confidence: number;
  /** Optional size hint (fraction of equity, > 0). */
  readonly sizeFraction?: number | undefined;
  /** Optional stop price (> 0). */
  readonly stopPrice?: number | undefined;
  /** Optional take-profit price (> 0). */
  readonly takeProfitPrice?: number | undefined;
  /** Why. */
  readonly reason: string;
  /** Event time of the decision. */
  readonly tsEvent: UnixMillis;
}

/**
 * Builds a validated `TargetPosition` intent (absent optional fields are left out, not set to
 * `undefined`). @throws StrategyError (`invalid-intent`).
 */
export function targetPosition(input: TargetPositionInput): TargetPositionIntent {
  const intent: TargetPositionIntent = {
    type: "TargetPosition",
    strategyId: input.strategyId,
    instrumentId: input.instrumentId,
    direction: input.direction,
    confidence: input.confidence,
    ...(input.sizeFraction === undefined ? {} : { sizeFraction: input.sizeFraction }),
    ...(input.stopPrice === undefined ? {} : { stopPrice: input.stopPrice }),
    ...(input.takeProfitPrice === undefined ? {} : { takeProfitPrice: input.takeProfitPrice }),
    reason: input.reason,
    tsEvent: input.tsEvent,
  };
  assertValidIntent(intent);
  return intent;
}

/**
 * True when two targets ask for the same thing: same strategy, instrument, direction, confidence,
 * size hint, stop and take-profit (the reason and time are not compared).
 */
export function sameTarget(a: TargetPositionIntent, b: TargetPositionIntent): boolean {
  return (
    a.direction === b.direction &&
    a.confidence === b.confidence &&
    a.sizeFraction === b.sizeFraction &&
    a.stopPrice === b.stopPrice &&
    a.takeProfitPrice === b.takeProfitPrice &&
    a.instrumentId === b.instrumentId &&
    a.strategyId === b.strategyId
  );
}
