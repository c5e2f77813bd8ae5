import { createProductRules, D, type Decimal, type ProductRules } from "@gpt/quantize";
import type { Instrument } from "./instruments.js";

/**
 * A wide-precision clone of `D` for the notional bounds: one division (rounded far below the
 * notional grid, then corrected exactly) and multiplications that never round at these sizes.
 */
const WIDE = D.clone({ precision: 1000 });

/**
 * The notional bound `limit / contractSize` on the grid of `places` decimals, rounded up for a
 * minimum and down for a maximum: the bound `x ≥ (or ≤) result` on a notional `x = size × price`
 * that lies on that grid is then exactly `x × contractSize ≥ (or ≤) limit`.
 */
function perUnitBound(limit: Decimal, contractSize: Decimal, places: number, up: boolean): Decimal {
  const step = new WIDE(10).pow(-places);
  let bound = new WIDE(limit).div(contractSize).toDecimalPlaces(places, up ? D.ROUND_UP : D.ROUND_DOWN);
  // The division rounded at 1000 digits; step onto the exact grid point if that ever mattered.
  if (up) {
    while (bound.times(contractSize).lt(limit)) bound = bound.plus(step);
    while (bound.minus(step).times(contractSize).gte(limit) && bound.gt(0)) bound = bound.minus(step);
  } else {
    while (bound.times(contractSize).gt(limit)) bound = bound.minus(step);
    while (bound.plus(step).times(contractSize).lte(limit)) bound = bound.plus(step);
  }
  return new D(bound);
}

/**
 * The `@gpt/quantize` `ProductRules` of an instrument, so `checkOrderAgainstRules`,
 * `roundPrice` and friends can be used with a core `Instrument`:
 *
 * | ProductRules | from the instrument |
 * | --- | --- |
 * | `priceIncrement` | `priceIncrement` |
 * | `baseIncrement` | `sizeIncrement` (size units: base units for spot, contracts for derivatives) |
 * | `quoteIncrement` | `quoteIncrement`, else `priceIncrement` |
 * | `baseMinSize`, `baseMaxSize` | `minSize`, `maxSize` |
 * | `quoteMinSize`, `quoteMaxSize` | `minNotional` (left out when zero), `maxNotional` (when set) |
 *
 * `checkOrderAgainstRules({ size, price }, rules)` then accepts exactly the limit orders
 * `validateOrderForInstrument` accepts (same ticks, steps and inclusive limits). The instrument's
 * notional is `size × price × contractSize`, the rules' is `size × price`, so for a derivative
 * whose contract size is not 1 the notional limits are divided by the contract size and rounded
 * onto the grid the notional of an on-step, on-tick order lies on (the decimals of the size step
 * plus those of the tick): up for the minimum, down for the maximum. That keeps the agreement
 * exact; it also means a quote-denominated `quoteSize` has no meaning for such an instrument.
 *
 * When no notional on that grid fits between the limits (a maximum below the smallest order, or
 * limits closer together than one grid step), both bounds become the same point between two grid
 * points, so every order breaks them, as every order breaks the instrument's limits.
 * @example
 * const rules = productRulesFor(btcUsd);
 * checkOrderAgainstRules({ size: "0.0105", price: "60000.05" }, rules); // { kind: "violation", rule: "priceIncrement", ... }
 */
export function productRulesFor(instrument: Instrument): ProductRules {
  const contractSize = instrument.kind === "spot" ? undefined : instrument.contractSize;
  const scaled = contractSize !== undefined && !contractSize.eq(1);
  const places = instrument.sizeIncrement.decimalPlaces() + instrument.priceIncrement.decimalPlaces();
  let quoteMinSize: Decimal | undefined;
  if (instrument.minNotional.gt(0)) {
    quoteMinSize = scaled
      ? perUnitBound(instrument.minNotional, contractSize, places, true)
      : instrument.minNotional;
  }
  let quoteMaxSize: Decimal | undefined;
  if (instrument.maxNotional !== undefined) {
    quoteMaxSize = scaled
      ? perUnitBound(instrument.maxNotional, contractSize, places, false)
      : instrument.maxNotional;
    if (quoteMaxSize.isZero() || quoteMinSize?.gt(quoteMaxSize)) {
      // No on-grid notional fits (the limits fall between two grid points, or the maximum is below
      // the smallest order). A bound half a step above the last grid point keeps that true while
      // giving rules whose minimum does not exceed their maximum.
      quoteMaxSize = quoteMaxSize.plus(new D(10).pow(-places).div(2));
      if (quoteMinSize !== undefined) quoteMinSize = quoteMaxSize;
    }
  }
  return createProductRules({
    baseIncrement: instrument.sizeIncrement,
    quoteIncrement: instrument.quoteIncrement ?? instrument.priceIncrement,
    priceIncrement: instrument.priceIncrement,
    baseMinSize: instrument.minSize,
    baseMaxSize: instrument.maxSize,
    ...(quoteMinSize === undefined ? {} : { quoteMinSize }),
    ...(quoteMaxSize === undefined ? {} : { quoteMaxSize }),
  });
}
