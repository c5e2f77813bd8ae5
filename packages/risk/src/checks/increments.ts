import { type Decimal, isOnIncrement, roundToIncrement } from "@gpt/quantize";
import { fmt } from "../decimal.js";
import type { PreTradeInput, RiskApproved, RiskDecision } from "../types.js";
import { type Analysis, analyze, deny } from "./analysis.js";

const APPROVED: RiskApproved = Object.freeze({ kind: "approved" as const });

/** The multiples of `increment` on either side of an off-increment `value`, as decimal strings. */
function neighbours(value: Decimal, increment: Decimal): { nearestBelow: string; nearestAbove: string } {
  return {
    nearestBelow: fmt(roundToIncrement(value, increment, "down")),
    nearestAbove: fmt(roundToIncrement(value, increment, "up")),
  };
}

function offTick(a: Analysis, field: "price" | "triggerPrice", price: Decimal): RiskDecision {
  const tick = a.input.instrument.priceIncrement;
  const what = field === "price" ? "limit price" : "trigger price";
  const near = neighbours(price, tick);
  return deny(
    "order-increments",
    "price-off-tick",
    `${what} ${fmt(price)} of ${a.instrumentId} is not a multiple of the tick ${fmt(tick)} ` +
      `(nearest: ${near.nearestBelow} or ${near.nearestAbove})`,
    { actual: fmt(price), limit: fmt(tick), field, priceIncrement: fmt(tick), ...near },
  );
}

/** Internal: `checkOrderIncrements` on an analysis. */
export function orderIncrementsOf(a: Analysis): RiskDecision {
  const instrument = a.input.instrument;
  if (a.price !== undefined && !isOnIncrement(a.price, instrument.priceIncrement)) {
    return offTick(a, "price", a.price);
  }
  if (a.triggerPrice !== undefined && !isOnIncrement(a.triggerPrice, instrument.priceIncrement)) {
    return offTick(a, "triggerPrice", a.triggerPrice);
  }
  const step = instrument.sizeIncrement;
  if (!isOnIncrement(a.quantity, step)) {
    const near = neighbours(a.quantity, step);
    return deny(
      "order-increments",
      "size-off-step",
      `quantity ${fmt(a.quantity)} of ${a.instrumentId} is not a multiple of the size step ${fmt(step)} ` +
        `(nearest: ${near.nearestBelow} or ${near.nearestAbove})`,
      { actual: fmt(a.quantity), limit: fmt(step), field: "quantity", sizeIncrement: fmt(step), ...near },
    );
  }
  return APPROVED;
}

/**
 * The order must already be on the instrument's grid: a limit price (and a stop's trigger price)
 * that is not a multiple of `priceIncrement` is denied with `price-off-tick`, a quantity that is
 * not a multiple of `sizeIncrement` with `size-off-step`. The venue would reject such an order, or
 * worse, round it on its own; quantize first (`roundPrice`, `roundSize` of `@gpt/quantize`).
 * `details` name the `field`, the value (`actual`), the increment (`limit`, and `priceIncrement` or
 * `sizeIncrement`) and the two nearest values on the grid (`nearestBelow`, `nearestAbove`).
 */
export function checkOrderIncrements(input: PreTradeInput): RiskDecision {
  return orderIncrementsOf(analyze(input));
}
