/**
 * The pure planning step: what a target asks for, given the instrument's position, its working
 * orders, the trading state and the sizing. No I/O, no clock, no mutation: every function here
 * takes values and returns a plan the trader carries out (`orders.ts`) and logs as decisions.
 */
import { assertNever, type Order, type OrderSide } from "@gpt/core";
import { D, type Decimal, roundPrice, roundSize } from "@gpt/quantize";
import type { Regime } from "@gpt/regime";
import type { TradingState } from "@gpt/risk";
import { SizingError, type SizingResult } from "@gpt/sizing";
import type { TargetPositionIntent } from "@gpt/strategies";
import type { InstrumentSlot } from "./cache.js";
import type { OrderAction } from "./events.js";
import { isLeg } from "./intents.js";
import type { DecisionPolicy } from "./options.js";
import type { SizingHeadroom } from "./order-sizing.js";
import type { KernelSizer } from "./sizing.js";

const ZERO = D(0);

/** What an order decision starts from: the intent, its instrument and the account at that moment. */
export interface OrderBase {
  /** The instrument (read only here). */
  readonly slot: InstrumentSlot;
  /** The target acted on. */
  readonly intent: TargetPositionIntent;
  /** The decision price. */
  readonly price: Decimal;
  /** The ledger equity at the decision. */
  readonly equity: Decimal;
  /** The position quantity at the decision. */
  readonly positionQuantity: Decimal;
}

/** Details of one order decision. */
export interface OrderPlan extends OrderBase {
  /** Order side. */
  readonly side: OrderSide;
  /** Quantity before quantization. */
  readonly quantity: Decimal;
  /** What the order does to the position. */
  readonly action: OrderAction;
  /** Reduce-only (closing) order. */
  readonly reduce: boolean;
  /** The signed target size, for opening and rebalancing orders. */
  readonly targetQuantity?: Decimal;
  /** Send as a bracket when the intent carries both exit prices. */
  readonly bracket: boolean;
}

/** Where a target stands against the instrument's orders and position. */
export type TargetAssessment =
  /** An order of the strategy has an unknown outcome: nothing may be decided until it is known. */
  | { readonly kind: "outcome-unknown"; readonly order: Order }
  /** Position plus working entries already point the target's way: nothing to do. */
  | { readonly kind: "reached" }
  /** Working orders (if any) must go and the position be brought to the target. */
  | { readonly kind: "act" };

/**
 * Steps 1 and 2 of a target (README "Per target"): an unknown outcome blocks; a target already
 * reached by the position plus the working entries (`own`: the strategy's open orders, bracket
 * legs not counted) needs nothing, unless a rebalance threshold asks for sizes to be checked.
 */
export function assessTarget(
  own: readonly Order[],
  position: Decimal,
  direction: TargetPositionIntent["direction"],
  rebalance: number | undefined,
): TargetAssessment {
  for (const order of own) {
    if (order.outcomeUnknown !== undefined) return { kind: "outcome-unknown", order };
  }
  let expected = position;
  let againstTarget = false;
  for (const order of own) {
    if (isLeg(order)) continue;
    expected = order.side === "buy" ? expected.plus(order.leavesQty) : expected.minus(order.leavesQty);
    if (direction === "flat" || (direction === "long") !== (order.side === "buy")) againstTarget = true;
  }
  switch (direction) {
    case "flat":
      if (expected.isZero() && position.isZero() && own.length === 0) return { kind: "reached" };
      break;
    case "long":
      if (expected.gt(0) && !againstTarget && rebalance === undefined) return { kind: "reached" };
      break;
    case "short":
      if (expected.lt(0) && !againstTarget && rebalance === undefined) return { kind: "reached" };
      break;
    default:
      assertNever(direction, "direction");
  }
  return { kind: "act" };
}

/** One step toward a target once the working orders are gone. */
export type TargetMove =
  /** Close the whole position (reduce-only). */
  | { readonly kind: "close"; readonly action: "close" | "flip-close" }
  /** Size and place an opening (or increasing) order; `held` is the quantity already held. */
  | {
      readonly kind: "open";
      readonly long: boolean;
      readonly held: Decimal;
      readonly action: "open" | "flip-open" | "increase";
    };

const NO_MOVES: readonly TargetMove[] = Object.freeze([]);

/**
 * The moves from position `current` to a target direction: flat closes, the opposite side closes
 * then opens, no position opens, the same side trades only with a rebalance threshold.
 */
export function targetMoves(
  direction: TargetPositionIntent["direction"],
  current: Decimal,
  rebalance: number | undefined,
): readonly TargetMove[] {
  switch (direction) {
    case "flat":
      return current.isZero() ? NO_MOVES : [{ kind: "close", action: "close" }];
    case "long":
    case "short": {
      const long = direction === "long";
      if (long ? current.lt(0) : current.gt(0)) {
        return [
          { kind: "close", action: "flip-close" },
          { kind: "open", long, held: ZERO, action: "flip-open" },
        ];
      }
      if (current.isZero()) return [{ kind: "open", long, held: ZERO, action: "open" }];
      // Already on the target's side (e.g. a working exit was just canceled): only a rebalance trades.
      return rebalance === undefined
        ? NO_MOVES
        : [{ kind: "open", long, held: current.abs(), action: "increase" }];
    }
    default:
      return assertNever(direction, "direction");
  }
}

/** The reduce-only order that closes the whole position. */
export function closePlan(base: OrderBase, action: "close" | "flip-close"): OrderPlan {
  const current = base.positionQuantity;
  return {
    ...base,
    side: current.gt(0) ? "sell" : "buy",
    quantity: current.abs(),
    action,
    reduce: true,
    bracket: false,
  };
}

/** What sizing answered: a quantity, or why there is none. */
export type SizeOutcome =
  | { readonly kind: "sized"; readonly quantity: Decimal }
  | {
      readonly kind: "skip";
      readonly reason: string;
      readonly message: string;
      readonly details?: Record<string, string>;
    };

/** The outcome of an opening move: nothing, a decision without an order, or an order to place. */
export type EntryStep =
  /** A rebalance within its threshold: no order and no decision. */
  | { readonly kind: "none" }
  /** Skipped (spot short, no equity, sizing said no). */
  | {
      readonly kind: "skip";
      readonly reason: string;
      readonly message: string;
      readonly details?: Record<string, string>;
    }
  /** Denied before sizing by the risk trading state. */
  | {
      readonly kind: "denied";
      readonly reason: "trading-halted" | "reduce-only";
      readonly message: string;
      readonly side: OrderSide;
    }
  /** An order to quantize, check and place. */
  | { readonly kind: "order"; readonly plan: OrderPlan };

/**
 * Plans an opening (or increasing) move: spot cannot open shorts; in `reducing` and `halted` no
 * order that opens or grows a position can pass `@gpt/risk`, so it is denied before sizing;
 * equity must be positive; then `size()` gives the target quantity, and with `held` (a rebalance)
 * only the difference beyond the threshold trades.
 */
export function planEntry(
  base: OrderBase,
  move: Extract<TargetMove, { kind: "open" }>,
  tradingState: TradingState,
  policy: DecisionPolicy,
  size: (side: OrderSide, held: Decimal) => SizeOutcome,
): EntryStep {
  const { slot, intent, equity } = base;
  const { long, held, action } = move;
  const side: OrderSide = long ? "buy" : "sell";
  if (!long && !slot.derivative) {
    return {
      kind: "skip",
      reason: "spot-short",
      message: `${slot.id} is spot: a short target only closes the long`,
    };
  }
  if (tradingState !== "active") {
    const halted = tradingState === "halted";
    return {
      kind: "denied",
      reason: halted ? "trading-halted" : "reduce-only",
      message: `trading state is ${tradingState}: an order that opens or grows a position is denied before sizing`,
      side,
    };
  }
  if (!equity.gt(0)) {
    return {
      kind: "skip",
      reason: "non-positive-equity",
      message: `equity ${equity.toFixed()} leaves nothing to size`,
    };
  }
  const result = size(side, held);
  if (result.kind === "skip") return result;
  const target = result.quantity;
  let quantity = target;
  if (action === "increase") {
    // Same direction already held: only reached with rebalanceThreshold set.
    const threshold = policy.rebalance ?? 0;
    const diff = target.minus(held);
    if (diff.abs().lte(target.mul(D(threshold))) || diff.isZero()) return { kind: "none" };
    if (diff.lt(0)) {
      return {
        kind: "order",
        plan: {
          ...base,
          side: long ? "sell" : "buy",
          quantity: diff.abs(),
          action: "reduce",
          reduce: true,
          targetQuantity: long ? target : target.neg(),
          bracket: false,
        },
      };
    }
    quantity = diff;
  }
  return {
    kind: "order",
    plan: {
      ...base,
      side,
      quantity,
      action,
      reduce: false,
      targetQuantity: long ? target : target.neg(),
      bracket:
        policy.bracketEntries && intent.stopPrice !== undefined && intent.takeProfitPrice !== undefined,
    },
  };
}

/**
 * What a spot buy can spend: the ledger cash plus the value of what is held, minus what the
 * other instruments' open buys may cost (at their limit, else their latest price).
 */
export function spotSpendable(
  cash: Decimal,
  slots: readonly InstrumentSlot[],
  slot: InstrumentSlot,
  held: Decimal,
  price: Decimal,
): Decimal {
  let spendable = cash.plus(held.mul(price));
  for (const other of slots) {
    if (other === slot) continue;
    for (const order of other.open) {
      if (order.side !== "buy" || other.derivative) continue;
      const p = order.price ?? other.priceAsDecimal();
      if (p !== undefined) spendable = spendable.minus(order.leavesQty.mul(p));
    }
  }
  return spendable;
}

/** Inputs of `sizeEntry` besides the sizer. */
export interface SizeInput {
  readonly slot: InstrumentSlot;
  readonly intent: TargetPositionIntent;
  readonly side: OrderSide;
  readonly equity: Decimal;
  readonly price: Decimal;
  /** Spot buys only: `spotSpendable(...)`; absent otherwise. */
  readonly spendable: Decimal | undefined;
  /** The order-sizing policy (`orderSizing` or `spotBuyHeadroom`), if set. */
  readonly headroom: SizingHeadroom | undefined;
  readonly regimeMultipliers: Readonly<Partial<Record<Regime, number>>> | undefined;
}

/**
 * Asks the sizer for the target quantity under the order-sizing policy: spot buys are sized on
 * equity and spendable cash divided by the instrument's divisor `(1 + buffer)(1 + fee)`;
 * derivative orders carry the `fractionScale` that turns the target's fraction of equity into a
 * notional whose margin and fee fit. The regime reading, its multiplier and the ATR go along
 * when known. A `SizingError` becomes a skip (`missing-observation` for a missing input).
 */
export function sizeEntry(sizer: KernelSizer, input: SizeInput): SizeOutcome {
  const { slot, intent, side, equity, price } = input;
  const rule = input.headroom?.get(slot.id);
  let sizingEquity = equity;
  let availableMargin: Decimal | undefined;
  if (input.spendable !== undefined) {
    let spendable = input.spendable;
    const divisor = rule?.spotBuyDivisor;
    if (divisor !== undefined) {
      sizingEquity = equity.div(divisor);
      spendable = spendable.div(divisor);
    }
    availableMargin = spendable;
  }
  const fractionScale = slot.derivative ? rule?.fractionScale : undefined;
  const reading = slot.classifier?.value;
  const multiplier = reading === undefined ? undefined : input.regimeMultipliers?.[reading.regime];
  const atr = slot.atr?.value;
  let result: SizingResult;
  try {
    result = sizer({
      instrument: slot.instrument,
      intent,
      side,
      equity: sizingEquity,
      price,
      ...(availableMargin === undefined ? {} : { availableMargin }),
      ...(fractionScale === undefined ? {} : { fractionScale }),
      ...(reading === undefined ? {} : { regime: reading }),
      ...(multiplier === undefined ? {} : { regimeMultiplier: multiplier }),
      ...(atr === undefined ? {} : { atr }),
    });
  } catch (error) {
    if (error instanceof SizingError) {
      return {
        kind: "skip",
        reason: error.code === "missing-input" ? "missing-observation" : "sizing-error",
        message: error.message,
        details: { field: error.field },
      };
    }
    throw error;
  }
  if (result.kind === "skip") return { kind: "skip", reason: result.reason, message: result.message };
  return { kind: "sized", quantity: result.quantity };
}

/** An order plan on the instrument's grid: the rounded quantity and the bracket prices, if any. */
export type QuantizedOrder =
  | { readonly kind: "zero"; readonly message: string }
  | {
      readonly kind: "ready";
      readonly quantity: Decimal;
      readonly bracket?: { readonly takeProfit: Decimal; readonly stopLoss: Decimal };
    };

/** Rounds the quantity down to the size step and the bracket prices to the price step (away from the fill). */
export function quantizePlan(plan: OrderPlan): QuantizedOrder {
  const { intent } = plan;
  const instrument = plan.slot.instrument;
  const quantity = plan.quantity.gt(0) ? roundSize(plan.quantity, instrument.sizeIncrement) : ZERO;
  if (quantity.isZero()) {
    return {
      kind: "zero",
      message: `${plan.action}: ${plan.quantity.toFixed()} rounds down to zero on the size step ${instrument.sizeIncrement.toFixed()}`,
    };
  }
  if (plan.bracket && intent.takeProfitPrice !== undefined && intent.stopPrice !== undefined) {
    const legSide: OrderSide = plan.side === "buy" ? "sell" : "buy";
    return {
      kind: "ready",
      quantity,
      bracket: {
        takeProfit: roundPrice(D(intent.takeProfitPrice), instrument.priceIncrement, legSide),
        stopLoss: roundPrice(D(intent.stopPrice), instrument.priceIncrement, legSide),
      },
    };
  }
  return { kind: "ready", quantity };
}

/** The decision message of an order. */
export function orderMessage(plan: OrderPlan, quantity: Decimal): string {
  const target = plan.targetQuantity === undefined ? "" : `, target ${plan.targetQuantity.toFixed()}`;
  return `${plan.action}: ${plan.side} ${quantity.toFixed()} ${plan.slot.id} at ~${plan.price.toFixed()} (position ${plan.positionQuantity.toFixed()}${target}, equity ${plan.equity.toFixed()})`;
}
