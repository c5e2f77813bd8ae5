import { assertNever, type InstrumentId, type Order } from "@gpt/core";
import type { Strategy, StrategyIntent } from "@gpt/strategies";
import type { IntentSummary } from "./events.js";

/** The intent as the decision log records it. */
export function summarize(intent: StrategyIntent): IntentSummary {
  switch (intent.type) {
    case "TargetPosition":
      return {
        type: "TargetPosition",
        direction: intent.direction,
        confidence: intent.confidence,
        ...(intent.sizeFraction === undefined ? {} : { sizeFraction: intent.sizeFraction }),
        ...(intent.stopPrice === undefined ? {} : { stopPrice: intent.stopPrice }),
        ...(intent.takeProfitPrice === undefined ? {} : { takeProfitPrice: intent.takeProfitPrice }),
        reason: intent.reason,
        tsEvent: intent.tsEvent,
      };
    case "CancelOrders":
      return { type: "CancelOrders", reason: intent.reason, tsEvent: intent.tsEvent };
    default:
      return assertNever(intent, "intent");
  }
}

const isPositiveFinite = (x: unknown): boolean => typeof x === "number" && Number.isFinite(x) && x > 0;

/** Contract problems of an intent (the kernel's own check; it never trusts a strategy). */
function intentProblem(intent: StrategyIntent): string | undefined {
  const raw = intent as unknown as Record<string, unknown>;
  if (raw.type !== "TargetPosition" && raw.type !== "CancelOrders")
    return `unknown intent type ${String(raw.type)}`;
  if (typeof raw.instrumentId !== "string") return "instrumentId must be a string";
  if (typeof raw.tsEvent !== "number" || !Number.isSafeInteger(raw.tsEvent) || raw.tsEvent < 0) {
    return `tsEvent must be a non-negative integer (got ${String(raw.tsEvent)})`;
  }
  if (typeof raw.reason !== "string") return "reason must be a string";
  if (intent.type === "TargetPosition") {
    if (intent.direction !== "long" && intent.direction !== "short" && intent.direction !== "flat") {
      return `direction must be long, short or flat (got ${String(intent.direction)})`;
    }
    if (typeof intent.confidence !== "number" || !(intent.confidence >= 0 && intent.confidence <= 1)) {
      return `confidence must be in [0, 1] (got ${String(intent.confidence)})`;
    }
    for (const field of ["sizeFraction", "stopPrice", "takeProfitPrice"] as const) {
      const v = intent[field];
      if (v !== undefined && !isPositiveFinite(v))
        return `${field} must be a finite number > 0 (got ${String(v)})`;
    }
  }
  return undefined;
}

/** True for the take-profit and stop-loss legs of a bracket. */
export function isLeg(order: Order): boolean {
  return order.bracket !== undefined && order.bracket.role !== "entry";
}

/** Why an intent is not acted on: its contract is broken, or it is not the strategy's to give. */
export interface IntentRefusal {
  readonly reason: "invalid-intent" | "foreign-strategy" | "foreign-instrument";
  readonly message: string;
}

/**
 * Checks an intent against its strategy: the contract (`intentProblem`), the strategy id it
 * carries, and whether the strategy trades its instrument (`tradedBy`: the strategy that owns the
 * instrument, undefined if none or unknown). Undefined: the intent may be acted on.
 */
export function refuseIntent(
  intent: StrategyIntent,
  strategy: Strategy,
  tradedBy: Strategy | undefined,
): IntentRefusal | undefined {
  const problem = intentProblem(intent);
  if (problem !== undefined) return { reason: "invalid-intent", message: problem };
  if (intent.strategyId !== strategy.id) {
    return {
      reason: "foreign-strategy",
      message: `intent carries strategy id ${String(intent.strategyId)}, not ${strategy.id}`,
    };
  }
  if (tradedBy !== strategy) {
    return {
      reason: "foreign-instrument",
      message: `strategy ${strategy.id} does not trade ${String(intent.instrumentId as InstrumentId)}`,
    };
  }
  return undefined;
}
