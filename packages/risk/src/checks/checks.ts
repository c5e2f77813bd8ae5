import type { UnixMillis } from "@gpt/core";
import { type Decimal, type DecimalInput, roundSize } from "@gpt/quantize";
import { perSymbolValue } from "../config.js";
import { fmt, fmtRatio, ONE, pct, toDecimal, toMillis, ZERO } from "../decimal.js";
import type { OrderRateWindow, PreTradeInput, RiskApproved, RiskDecision } from "../types.js";
import { type Analysis, analyze, deny, missingMark } from "./analysis.js";

const APPROVED: RiskApproved = Object.freeze({ kind: "approved" as const });

/** Length of the order-rate window: `maxOrdersPerMinute` counts orders in any sliding 60 s. */
export const ORDER_RATE_WINDOW_MS = 60_000;

function orderLabel(a: Analysis): string {
  return `${a.side} ${fmt(a.quantity)} ${a.instrumentId}`;
}

/** True when `after` shrinks the position `before` without flipping it (and `before` is not flat). */
export function isReducingPosition(before: Decimal, after: Decimal): boolean {
  if (before.isZero()) return false;
  if (!after.isZero() && after.isNegative() !== before.isNegative()) return false;
  return after.abs().lt(before.abs());
}

// ---------------------------------------------------------------- trading state

/** Internal: `checkTradingHalted` on an analysis. */
export function tradingHaltedOf(a: Analysis): RiskDecision {
  if (a.tradingState !== "halted") return APPROVED;
  return deny("trading-halted", "trading-halted", `trading is halted: ${orderLabel(a)} is not allowed`, {
    actual: "halted",
    limit: "active or reducing",
    tradingState: a.tradingState,
  });
}

/**
 * Denies every order while the trading state is `halted` (kill switch or a halting breaker).
 * Reason `trading-halted`.
 */
export function checkTradingHalted(input: PreTradeInput): RiskDecision {
  return tradingHaltedOf(analyze(input));
}

/** Limits of `checkReduceOnly`. */
export interface ReduceOnlyLimits {
  /** Reduce-only mode from the configuration (default false). */
  readonly reduceOnlyMode?: boolean;
}

/** Internal: `checkReduceOnly` on an analysis. */
export function reduceOnlyOf(a: Analysis, limits: ReduceOnlyLimits): RiskDecision {
  let why: string | undefined;
  if (a.tradingState === "reducing" || a.tradingState === "halted")
    why = `trading state is ${a.tradingState}`;
  else if (limits.reduceOnlyMode === true) why = "reduce-only mode is on";
  else if (a.reduceOnly) why = "the order is reduce-only";
  if (why === undefined || isReducingPosition(a.preQuantity, a.postQuantity)) return APPROVED;
  return deny(
    "reduce-only",
    "reduce-only",
    `${why}: ${orderLabel(a)} would take the position from ${fmt(a.preQuantity)} to ${fmt(a.postQuantity)}; ` +
      "only orders that shrink a position without flipping it are allowed",
    {
      actual: fmt(a.postQuantity),
      limit: fmt(a.preQuantity),
      positionQuantity: fmt(a.preQuantity),
      orderQuantity: fmt(a.signedQuantity),
      tradingState: a.tradingState,
    },
  );
}

/**
 * In the `reducing` (or `halted`) state, in reduce-only mode, or for an order flagged
 * `reduceOnly`, allows only orders that shrink the existing position without flipping it:
 * the position must not be flat, and the result must have the same sign (or be flat) and a
 * smaller size. Reason `reduce-only`; `actual` is the resulting position, `limit` the current one.
 */
export function checkReduceOnly(input: PreTradeInput, limits: ReduceOnlyLimits = {}): RiskDecision {
  return reduceOnlyOf(analyze(input), limits);
}

// ---------------------------------------------------------------- market data

/** How far a mark may be dated after `now` (clock skew) by default: one second. */
export const DEFAULT_MARK_FUTURE_TOLERANCE_MS = 1_000;

/** Limits of `checkStaleMarketData`. */
export interface StaleMarketDataLimits {
  /** Oldest acceptable mark, in ms. */
  readonly staleMarketDataMs: number;
  /**
   * How far the mark may be dated after `now`, in ms, before it is denied as `mark-in-future`
   * (default `DEFAULT_MARK_FUTURE_TOLERANCE_MS`). A mark within it counts as fresh.
   */
  readonly markFutureToleranceMs?: number;
}

/** Internal: `checkStaleMarketData` on an analysis. */
export function staleMarketDataOf(a: Analysis, limits: StaleMarketDataLimits): RiskDecision {
  if (a.mark === undefined) return missingMark("stale-market-data", a);
  if (a.tsMark === undefined) {
    return deny(
      "stale-market-data",
      "missing-mark-price",
      `stale-market-data: the mark of ${a.instrumentId} has no timestamp, so its age is unknown`,
      { actual: "unknown", limit: String(limits.staleMarketDataMs), instrumentId: a.instrumentId },
    );
  }
  const toleranceMs = limits.markFutureToleranceMs ?? DEFAULT_MARK_FUTURE_TOLERANCE_MS;
  const aheadMs = a.tsMark - a.now;
  if (aheadMs > toleranceMs) {
    return deny(
      "stale-market-data",
      "mark-in-future",
      `the mark of ${a.instrumentId} is dated ${aheadMs} ms after now, more than the tolerance of ` +
        `${toleranceMs} ms: a clock or feed fault, so its age cannot be trusted`,
      { actual: String(aheadMs), limit: String(toleranceMs), tsMark: String(a.tsMark), now: String(a.now) },
    );
  }
  // A mark stamped slightly in the future (clock skew within the tolerance) counts as fresh.
  const ageMs = Math.max(0, -aheadMs);
  if (ageMs <= limits.staleMarketDataMs) return APPROVED;
  return deny(
    "stale-market-data",
    "stale-market-data",
    `the mark of ${a.instrumentId} is ${ageMs} ms old, older than the limit of ${limits.staleMarketDataMs} ms`,
    {
      actual: String(ageMs),
      limit: String(limits.staleMarketDataMs),
      tsMark: String(a.tsMark),
      now: String(a.now),
    },
  );
}

/**
 * Denies when there is no mark price (`missing-mark-price`), when it is dated after `now` by more
 * than `markFutureToleranceMs` (`mark-in-future`; `actual` is how far ahead, in ms), or when it is
 * older than `staleMarketDataMs` (`stale-market-data`; exactly at the limit is still fresh).
 * `actual` and `limit` are ages in ms.
 */
export function checkStaleMarketData(input: PreTradeInput, limits: StaleMarketDataLimits): RiskDecision {
  return staleMarketDataOf(analyze(input), limits);
}

/** Limits of `checkPriceBand`. */
export interface PriceBandLimits {
  /** Largest |limit price − mark| / mark, a fraction. */
  readonly priceBandPct: Decimal;
}

/** Internal: `checkPriceBand` on an analysis. */
export function priceBandOf(a: Analysis, limits: PriceBandLimits): RiskDecision {
  if (a.price === undefined) return APPROVED;
  if (a.mark === undefined) return missingMark("price-band", a);
  const deviation = a.price.minus(a.mark).abs().div(a.mark);
  if (deviation.lte(limits.priceBandPct)) return APPROVED;
  const direction = a.price.gt(a.mark) ? "above" : "below";
  return deny(
    "price-band",
    "price-band",
    `limit price ${fmt(a.price)} is ${pct(deviation)} ${direction} the mark ${fmt(a.mark)}, ` +
      `outside the band of ${pct(limits.priceBandPct)}`,
    {
      actual: fmtRatio(deviation),
      limit: fmt(limits.priceBandPct),
      price: fmt(a.price),
      markPrice: fmt(a.mark),
      direction,
    },
  );
}

/**
 * Fat-finger guard: a limit price may be at most `priceBandPct` (a fraction) away from the mark,
 * either side. Market orders (no price) pass. Reason `price-band`; `actual` is |price − mark| / mark.
 */
export function checkPriceBand(input: PreTradeInput, limits: PriceBandLimits): RiskDecision {
  return priceBandOf(analyze(input), limits);
}

// ---------------------------------------------------------------- order

/** Internal: `checkMinOrderSize` on an analysis. */
export function minOrderSizeOf(a: Analysis): RiskDecision {
  const instrument = a.input.instrument;
  const quantized = roundSize(a.quantity, instrument.sizeIncrement);
  if (quantized.lt(instrument.minSize)) {
    return deny(
      "min-order-size",
      "below-min-size",
      `${orderLabel(a)}: the quantity rounded down to the step ${fmt(instrument.sizeIncrement)} is ` +
        `${fmt(quantized)}, below the minimum ${fmt(instrument.minSize)}`,
      {
        actual: fmt(quantized),
        limit: fmt(instrument.minSize),
        requestedQuantity: fmt(a.quantity),
        sizeIncrement: fmt(instrument.sizeIncrement),
      },
    );
  }
  if (quantized.gt(instrument.maxSize)) {
    return deny(
      "min-order-size",
      "above-max-size",
      `${orderLabel(a)}: the quantity ${fmt(quantized)} is above the maximum ${fmt(instrument.maxSize)}`,
      {
        actual: fmt(quantized),
        limit: fmt(instrument.maxSize),
        requestedQuantity: fmt(a.quantity),
        sizeIncrement: fmt(instrument.sizeIncrement),
      },
    );
  }
  if (instrument.minNotional.gt(0)) {
    if (a.refPrice === undefined) return missingMark("min-order-size", a);
    const notional = quantized.times(a.refPrice).times(a.multiplier);
    if (notional.lt(instrument.minNotional)) {
      return deny(
        "min-order-size",
        "below-min-notional",
        `${orderLabel(a)}: notional ${fmt(notional)} (quantized size × price ${fmt(a.refPrice)}) is below ` +
          `the minimum ${fmt(instrument.minNotional)}`,
        {
          actual: fmt(notional),
          limit: fmt(instrument.minNotional),
          quantizedQuantity: fmt(quantized),
          price: fmt(a.refPrice),
        },
      );
    }
  }
  return APPROVED;
}

/**
 * Rounds the quantity down onto the instrument's size step (`roundSize` of `@gpt/quantize`) and
 * checks the result against the instrument's `minSize` (`below-min-size`), `maxSize`
 * (`above-max-size`) and `minNotional` at the reference price (`below-min-notional`). A quantity
 * that rounds to zero is below the minimum. The other checks use the requested quantity, which is
 * never smaller than the quantized one.
 */
export function checkMinOrderSize(input: PreTradeInput): RiskDecision {
  return minOrderSizeOf(analyze(input));
}

/** Limits of `checkMaxOrderNotional`. */
export interface MaxOrderNotionalLimits {
  /** Largest order notional in the quote currency; unset means no cap. */
  readonly maxOrderNotional?: Decimal | undefined;
}

/** Internal: `checkMaxOrderNotional` on an analysis. */
export function maxOrderNotionalOf(a: Analysis, limits: MaxOrderNotionalLimits): RiskDecision {
  const limit = limits.maxOrderNotional;
  if (limit === undefined) return APPROVED;
  if (a.refPrice === undefined) return missingMark("max-order-notional", a);
  const notional = a.quantity.times(a.refPrice).times(a.multiplier);
  if (notional.lte(limit)) return APPROVED;
  return deny(
    "max-order-notional",
    "max-order-notional",
    `${orderLabel(a)}: order notional ${fmt(notional)} is above the cap ${fmt(limit)}`,
    { actual: fmt(notional), limit: fmt(limit), price: fmt(a.refPrice) },
  );
}

/**
 * Caps one order's notional: quantity × reference price (limit price, else mark) × contract size.
 * Applies to every order, exits included (a fat-finger guard; split large exits). Reason
 * `max-order-notional`.
 */
export function checkMaxOrderNotional(input: PreTradeInput, limits: MaxOrderNotionalLimits): RiskDecision {
  return maxOrderNotionalOf(analyze(input), limits);
}

/** Limits of `checkMaxOpenOrders`. */
export interface MaxOpenOrdersLimits {
  /** Most orders open at once. */
  readonly maxOpenOrders: number;
}

/** Internal: `checkMaxOpenOrders` on an analysis. */
export function maxOpenOrdersOf(a: Analysis, limits: MaxOpenOrdersLimits): RiskDecision {
  const after = a.openOrderCount + 1;
  if (after <= limits.maxOpenOrders) return APPROVED;
  return deny(
    "max-open-orders",
    "max-open-orders",
    `${a.openOrderCount} orders are open; one more would exceed the cap of ${limits.maxOpenOrders}`,
    { actual: String(after), limit: String(limits.maxOpenOrders), openOrderCount: String(a.openOrderCount) },
  );
}

/**
 * Denies an order that would make more than `maxOpenOrders` orders open. `actual` is the count
 * with this order.
 */
export function checkMaxOpenOrders(input: PreTradeInput, limits: MaxOpenOrdersLimits): RiskDecision {
  return maxOpenOrdersOf(analyze(input), limits);
}

/** An empty order-rate window. */
export function emptyOrderRateWindow(): OrderRateWindow {
  return { timestamps: [] };
}

/**
 * How many recorded orders fall in the sliding window `(now − 60 s, now]`.
 * @throws RiskError if `now` is not a valid timestamp.
 */
export function ordersInWindow(window: OrderRateWindow, now: UnixMillis): number {
  toMillis(now, "now");
  const from = now - ORDER_RATE_WINDOW_MS;
  let count = 0;
  for (const ts of window.timestamps) if (ts > from && ts <= now) count += 1;
  return count;
}

/**
 * Returns a new window with an order submitted at `now` added and entries older than 60 s before
 * `now` dropped. The input window is not modified. Timestamps stay sorted even if `now` is older
 * than the last entry.
 *
 * @throws RiskError if `now` is not a valid timestamp.
 */
export function recordOrder(window: OrderRateWindow, now: UnixMillis): OrderRateWindow {
  toMillis(now, "now");
  const from = now - ORDER_RATE_WINDOW_MS;
  const kept = window.timestamps.filter((ts) => ts > from);
  let at = kept.length;
  while (at > 0 && (kept[at - 1] as number) > now) at -= 1;
  kept.splice(at, 0, now);
  return { timestamps: kept };
}

/** Limits of `checkOrderRate`. */
export interface OrderRateLimits {
  /** Most orders in any sliding 60-second window. */
  readonly maxOrdersPerMinute: number;
}

/** Internal: `checkOrderRate` on an analysis. */
export function orderRateOf(a: Analysis, limits: OrderRateLimits): RiskDecision {
  const window = a.orderRate ?? emptyOrderRateWindow();
  const count = ordersInWindow(window, a.now);
  if (count + 1 <= limits.maxOrdersPerMinute) return APPROVED;
  const from = a.now - ORDER_RATE_WINDOW_MS;
  const oldest = window.timestamps.find((ts) => ts > from && ts <= a.now) ?? a.now;
  const retryAfterMs = oldest + ORDER_RATE_WINDOW_MS - a.now;
  return deny(
    "order-rate",
    "order-rate",
    `${count} orders in the last minute; one more would exceed ${limits.maxOrdersPerMinute} per minute ` +
      `(retry in ${retryAfterMs} ms)`,
    {
      actual: String(count + 1),
      limit: String(limits.maxOrdersPerMinute),
      windowMs: String(ORDER_RATE_WINDOW_MS),
      retryAfterMs: String(retryAfterMs),
    },
  );
}

/**
 * Sliding-window order rate: counts the orders in `input.orderRate` within `(now − 60 s, now]`
 * and denies if one more would exceed `maxOrdersPerMinute`. Pure: the window is a value the
 * caller keeps (`recordOrder` after each submission). `retryAfterMs` says when a slot frees up.
 */
export function checkOrderRate(input: PreTradeInput, limits: OrderRateLimits): RiskDecision {
  return orderRateOf(analyze(input), limits);
}

// ---------------------------------------------------------------- exposure

/** Limits of `checkMaxPositionNotional`. */
export interface PositionNotionalLimits {
  /** Default per-symbol cap on |position| × mark × contract size. */
  readonly maxPositionNotional?: Decimal | undefined;
  /** Per-symbol caps, by instrument id or symbol (override the default). */
  readonly maxPositionNotionalPerSymbol?: Readonly<Record<string, Decimal>>;
  /** Cap on the gross notional of all positions. */
  readonly maxTotalNotional?: Decimal | undefined;
}

/** Internal: `checkMaxPositionNotional` on an analysis. */
export function maxPositionNotionalOf(a: Analysis, limits: PositionNotionalLimits): RiskDecision {
  const symbolLimit =
    perSymbolValue(limits.maxPositionNotionalPerSymbol ?? {}, a.instrumentId) ?? limits.maxPositionNotional;
  const totalLimit = limits.maxTotalNotional;
  if (symbolLimit === undefined && totalLimit === undefined) return APPROVED;
  if (a.mark === undefined) return missingMark("max-position-notional", a);
  const unit = a.mark.times(a.multiplier);
  const before = a.preQuantity.abs().times(unit);
  const after = a.postQuantity.abs().times(unit);
  if (symbolLimit !== undefined && after.gt(symbolLimit) && after.gt(before)) {
    return deny(
      "max-position-notional",
      "max-position-notional",
      `${orderLabel(a)}: position notional would be ${fmt(after)}, above the cap ${fmt(symbolLimit)}`,
      { actual: fmt(after), limit: fmt(symbolLimit), current: fmt(before), markPrice: fmt(a.mark) },
    );
  }
  if (totalLimit !== undefined) {
    const totalBefore = a.otherGross.plus(before);
    const totalAfter = a.otherGross.plus(after);
    if (totalAfter.gt(totalLimit) && totalAfter.gt(totalBefore)) {
      return deny(
        "max-position-notional",
        "max-total-notional",
        `${orderLabel(a)}: gross notional of all positions would be ${fmt(totalAfter)}, above the cap ` +
          `${fmt(totalLimit)}`,
        {
          actual: fmt(totalAfter),
          limit: fmt(totalLimit),
          current: fmt(totalBefore),
          markPrice: fmt(a.mark),
        },
      );
    }
  }
  return APPROVED;
}

/**
 * Caps the position's notional after the order (|position| × mark × contract size) per symbol
 * (`max-position-notional`), and the gross notional of all positions (`max-total-notional`).
 * An order that does not increase the measured notional passes even above a cap, so exits are
 * never blocked.
 */
export function checkMaxPositionNotional(input: PreTradeInput, limits: PositionNotionalLimits): RiskDecision {
  return maxPositionNotionalOf(analyze(input), limits);
}

/** Limits of `checkMaxLeverage`. */
export interface LeverageLimits {
  /** Account cap on gross notional / equity; also the default per-symbol cap. */
  readonly maxLeverage: Decimal;
  /** Per-symbol caps on position notional / equity, by instrument id or symbol. */
  readonly maxLeveragePerSymbol?: Readonly<Record<string, Decimal>>;
}

/** Internal: `checkMaxLeverage` on an analysis. */
export function maxLeverageOf(a: Analysis, limits: LeverageLimits): RiskDecision {
  if (a.mark === undefined) return missingMark("max-leverage", a);
  const unit = a.mark.times(a.multiplier);
  const before = a.preQuantity.abs().times(unit);
  const after = a.postQuantity.abs().times(unit);
  const grossBefore = a.otherGross.plus(before);
  const grossAfter = a.otherGross.plus(after);
  const symbolGrows = after.gt(before);
  const grossGrows = grossAfter.gt(grossBefore);
  if (!a.equity.gt(0)) {
    if (!symbolGrows && !grossGrows) return APPROVED;
    return deny(
      "max-leverage",
      "non-positive-equity",
      `${orderLabel(a)} adds exposure while equity is ${fmt(a.equity)}`,
      { actual: fmt(a.equity), limit: "0", positionNotional: fmt(after), grossNotional: fmt(grossAfter) },
    );
  }
  const instrument = a.input.instrument;
  const instrumentCap = instrument.kind === "spot" ? ONE : instrument.maxLeverage;
  const configured = perSymbolValue(limits.maxLeveragePerSymbol ?? {}, a.instrumentId) ?? limits.maxLeverage;
  const symbolCap = configured.lt(instrumentCap) ? configured : instrumentCap;
  const symbolLeverage = after.div(a.equity);
  if (symbolGrows && symbolLeverage.gt(symbolCap)) {
    return deny(
      "max-leverage",
      "max-symbol-leverage",
      `${orderLabel(a)}: ${a.instrumentId} leverage would be ${fmtRatio(symbolLeverage)}x, above the cap ` +
        `${fmt(symbolCap)}x`,
      {
        actual: fmtRatio(symbolLeverage),
        limit: fmt(symbolCap),
        positionNotional: fmt(after),
        equity: fmt(a.equity),
        capSource: configured.lt(instrumentCap) ? "config" : "instrument",
      },
    );
  }
  const accountLeverage = grossAfter.div(a.equity);
  if (grossGrows && accountLeverage.gt(limits.maxLeverage)) {
    return deny(
      "max-leverage",
      "max-account-leverage",
      `${orderLabel(a)}: account leverage would be ${fmtRatio(accountLeverage)}x, above the cap ` +
        `${fmt(limits.maxLeverage)}x`,
      {
        actual: fmtRatio(accountLeverage),
        limit: fmt(limits.maxLeverage),
        grossNotional: fmt(grossAfter),
        equity: fmt(a.equity),
      },
    );
  }
  return APPROVED;
}

/**
 * Leverage after the order, per symbol (position notional / equity against the per-symbol cap,
 * the account cap, and the instrument's own `maxLeverage`, 1 for spot: `max-symbol-leverage`)
 * and for the account (gross notional / equity against `maxLeverage`: `max-account-leverage`).
 * With zero or negative equity any order that adds exposure is denied (`non-positive-equity`).
 * Orders that do not increase the measured notional pass.
 */
export function checkMaxLeverage(input: PreTradeInput, limits: LeverageLimits): RiskDecision {
  return maxLeverageOf(analyze(input), limits);
}

/** Limits of `checkSideExposure`. */
export interface SideExposureLimits {
  /** Cap on the net long notional (sum of signed notionals, when positive). */
  readonly maxNetLongNotional?: Decimal | undefined;
  /** Cap on the net short notional (a positive amount). */
  readonly maxNetShortNotional?: Decimal | undefined;
}

/** Internal: `checkSideExposure` on an analysis. */
export function sideExposureOf(a: Analysis, limits: SideExposureLimits): RiskDecision {
  const { maxNetLongNotional: longCap, maxNetShortNotional: shortCap } = limits;
  if (longCap === undefined && shortCap === undefined) return APPROVED;
  if (a.mark === undefined) return missingMark("side-exposure", a);
  const unit = a.mark.times(a.multiplier);
  const netBefore = a.otherNet.plus(a.preQuantity.times(unit));
  const netAfter = a.otherNet.plus(a.postQuantity.times(unit));
  if (longCap !== undefined && netAfter.gt(longCap) && netAfter.gt(netBefore)) {
    return deny(
      "side-exposure",
      "max-side-exposure",
      `${orderLabel(a)}: net long exposure would be ${fmt(netAfter)}, above the cap ${fmt(longCap)}`,
      { actual: fmt(netAfter), limit: fmt(longCap), current: fmt(netBefore), side: "long" },
    );
  }
  if (shortCap !== undefined && netAfter.neg().gt(shortCap) && netAfter.lt(netBefore)) {
    return deny(
      "side-exposure",
      "max-side-exposure",
      `${orderLabel(a)}: net short exposure would be ${fmt(netAfter.neg())}, above the cap ${fmt(shortCap)}`,
      { actual: fmt(netAfter.neg()), limit: fmt(shortCap), current: fmt(netBefore.neg()), side: "short" },
    );
  }
  return APPROVED;
}

/**
 * Caps the net exposure to one side across all instruments: the sum of signed notionals after the
 * order against `maxNetLongNotional` (when long) or `maxNetShortNotional` (when short). Orders that
 * move the net exposure toward zero pass. Reason `max-side-exposure`, with `side`.
 */
export function checkSideExposure(input: PreTradeInput, limits: SideExposureLimits): RiskDecision {
  return sideExposureOf(analyze(input), limits);
}

// ---------------------------------------------------------------- liquidation

/** Input of `estimateLiquidationPrice`. */
export interface LiquidationEstimateInput {
  /** Signed position quantity in size units (+ long, − short). */
  readonly quantity: DecimalInput;
  /** Current mark price (> 0). */
  readonly markPrice: DecimalInput;
  /** Account equity now (may be zero or negative). */
  readonly equity: DecimalInput;
  /** Maintenance margin fraction of the instrument, in (0, 1). */
  readonly maintenanceMarginFraction: DecimalInput;
  /** Base units per size unit (default 1). */
  readonly contractSize?: DecimalInput;
  /** Maintenance margin required by the account's other positions (default 0). */
  readonly otherMaintenanceMargin?: DecimalInput;
}

/**
 * Estimates the mark price at which a cross-margined position is liquidated: the price where
 * equity (moving with this position's PnL, everything else fixed) equals the maintenance margin
 * (this position's at that price plus `otherMaintenanceMargin`). With `n` = |quantity| × contract
 * size, equity `E`, mark `P`, fraction `m` and other margin `O`:
 * long `(n·P + O − E) / (n·(1 − m))`, short `(E + n·P − O) / (n·(1 + m))`.
 * A long that cannot be liquidated above zero returns 0; a position that is under-margined at every
 * price returns the mark (liquidated now). Returns `undefined` for a flat position.
 *
 * @throws RiskError on NaN or out-of-range inputs.
 */
export function estimateLiquidationPrice(input: LiquidationEstimateInput): Decimal | undefined {
  const quantity = toDecimal(input.quantity, "quantity");
  if (quantity.isZero()) return undefined;
  const mark = toDecimal(input.markPrice, "markPrice", "positive");
  const equity = toDecimal(input.equity, "equity");
  const mmr = toDecimal(input.maintenanceMarginFraction, "maintenanceMarginFraction", "non-negative");
  const size =
    input.contractSize === undefined ? ONE : toDecimal(input.contractSize, "contractSize", "positive");
  const other =
    input.otherMaintenanceMargin === undefined
      ? ZERO
      : toDecimal(input.otherMaintenanceMargin, "otherMaintenanceMargin", "non-negative");
  const n = quantity.abs().times(size);
  if (quantity.gt(0)) {
    const denominator = n.times(ONE.minus(mmr));
    // A maintenance fraction of 1 or more: liquidated as soon as anything moves.
    if (!denominator.gt(0)) return mark;
    const price = n.times(mark).plus(other).minus(equity).div(denominator);
    return price.gt(0) ? price : ZERO;
  }
  const price = equity
    .plus(n.times(mark))
    .minus(other)
    .div(n.times(ONE.plus(mmr)));
  // No positive solution: the short is under-margined at every price, liquidated now.
  return price.gt(0) ? price : mark;
}

function distanceTo(liquidation: Decimal, mark: Decimal, long: boolean): Decimal {
  return (long ? mark.minus(liquidation) : liquidation.minus(mark)).div(mark);
}

/** Limits of `checkLiquidationDistance`. */
export interface LiquidationDistanceLimits {
  /** Least distance from mark to liquidation, a fraction of the mark; 0 switches the check off. */
  readonly minLiquidationDistancePct: Decimal;
}

/** Internal: `checkLiquidationDistance` on an analysis. */
export function liquidationDistanceOf(a: Analysis, limits: LiquidationDistanceLimits): RiskDecision {
  const instrument = a.input.instrument;
  if (!limits.minLiquidationDistancePct.gt(0) || instrument.kind === "spot") return APPROVED;
  if (a.postQuantity.isZero() || isReducingPosition(a.preQuantity, a.postQuantity)) return APPROVED;
  if (a.mark === undefined) return missingMark("liquidation-distance", a);
  const mmr = instrument.maintenanceMarginFraction;
  const currentMargin = a.preQuantity.abs().times(a.mark).times(a.multiplier).times(mmr);
  const other =
    a.maintenanceMargin === undefined
      ? ZERO
      : a.maintenanceMargin.minus(currentMargin).gt(0)
        ? a.maintenanceMargin.minus(currentMargin)
        : ZERO;
  const long = a.postQuantity.gt(0);
  const estimate = estimateLiquidationPrice({
    quantity: a.postQuantity,
    markPrice: a.mark,
    equity: a.equity,
    maintenanceMarginFraction: mmr,
    contractSize: a.multiplier,
    otherMaintenanceMargin: other,
  }) as Decimal;
  let liquidation = estimate;
  let distance = distanceTo(estimate, a.mark, long);
  let source = "estimate";
  const sameSide = !a.preQuantity.isZero() && a.preQuantity.gt(0) === long;
  const venueLiquidation = a.liquidationPrice;
  if (sameSide && venueLiquidation?.gt(0)) {
    const venueDistance = distanceTo(venueLiquidation, a.mark, long);
    if (venueDistance.lt(distance)) {
      liquidation = venueLiquidation;
      distance = venueDistance;
      source = "venue";
    }
  }
  if (distance.gte(limits.minLiquidationDistancePct)) return APPROVED;
  return deny(
    "liquidation-distance",
    "liquidation-distance",
    `${orderLabel(a)}: liquidation at ${fmt(liquidation)} (${source}) would be ${pct(distance)} from the mark ` +
      `${fmt(a.mark)}, closer than ${pct(limits.minLiquidationDistancePct)}`,
    {
      actual: fmtRatio(distance),
      limit: fmt(limits.minLiquidationDistancePct),
      liquidationPrice: fmt(liquidation),
      markPrice: fmt(a.mark),
      source,
    },
  );
}

/**
 * For derivatives, an order that opens, grows or flips a position must leave the liquidation
 * price at least `minLiquidationDistancePct` (fraction of the mark) away from the mark. The
 * liquidation price is the closer of `estimateLiquidationPrice` for the position after the order
 * (cross margin, using `portfolio.maintenanceMargin` for the other positions when given) and the
 * venue's liquidation price of the current position (when the order does not flip it). Spot
 * orders and orders that shrink a position pass. Reason `liquidation-distance`.
 */
export function checkLiquidationDistance(
  input: PreTradeInput,
  limits: LiquidationDistanceLimits,
): RiskDecision {
  return liquidationDistanceOf(analyze(input), limits);
}
