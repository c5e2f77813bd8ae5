/**
 * The order-sizing policy (`orderSizing`, or the older `spotBuyHeadroom`): how much room an order
 * leaves for what the venue reserves when it accepts it, resolved once per traded instrument. The
 * planning step (`sizeEntry` in `planning.ts`) applies it; nothing here runs per bar.
 */
import { type DecimalLike, describeValue, type Instrument, type InstrumentId } from "@gpt/core";
import { D, type Decimal, parseDecimal } from "@gpt/quantize";
import { KernelError } from "./errors.js";

/**
 * The `orderSizing` option: the venue's reservation rule, so the kernel sizes every opening order
 * to fit it. A venue holds, for a market order, the decision price plus `priceBuffer`, and the
 * taker fee; the kernel sizes:
 *
 * - spot buys on `equity / ((1 + priceBuffer) × (1 + takerFeeRate))` (and the spendable cash the
 *   same way), so a fraction-1 buy fits the venue's hold;
 * - derivative orders with the target's fraction of equity (`sizeFraction`, default 1) taken as
 *   the margin committed: the fraction is multiplied by
 *   `leverage / ((1 + priceBuffer) × (1 + takerFeeRate × leverage))`, so the margin
 *   `notional × (1 + priceBuffer) / leverage` plus the fee `notional × (1 + priceBuffer) ×
 *   takerFeeRate` fits in that fraction of equity.
 *
 * A live bot passes the same numbers as its backtest, so both size alike.
 */
export interface OrderSizingOptions {
  /**
   * The fraction the venue adds to the decision price when it reserves cash or margin for a
   * market order (the paper engine's `marketOrderBuffer`), ≥ 0. Default 0.
   */
  readonly priceBuffer?: DecimalLike;
  /** The taker fee rate the venue charges, in [0, 1). Default: each instrument's `takerFee`. */
  readonly takerFeeRate?: DecimalLike;
  /**
   * The leverage of derivative positions, > 0: one value for every derivative, or a function
   * giving it per instrument (called once per traded derivative when the trader is built).
   * Default 1. Spot instruments ignore it.
   */
  readonly leverage?: DecimalLike | ((instrument: Instrument) => DecimalLike);
}

/** @internal What the policy asks of one instrument's opening orders. */
interface InstrumentSizing {
  /** Spot buys: equity and spendable cash are divided by this (> 1). */
  readonly spotBuyDivisor?: Decimal;
  /** Derivatives: the target's fraction of equity is multiplied by this (a float, like the fraction). */
  readonly fractionScale?: number;
}

/** @internal The resolved policy: per traded instrument, or undefined when no rule applies. */
export type SizingHeadroom = ReadonlyMap<InstrumentId, InstrumentSizing>;

const ONE = D(1);

/** A decimal option field checked against a range. @throws KernelError invalid-options */
function decimalField(
  field: string,
  value: DecimalLike,
  check: (x: Decimal) => boolean,
  expected: string,
  instrumentId?: InstrumentId,
): Decimal {
  let parsed: Decimal | undefined;
  try {
    parsed = parseDecimal(value, { allowNegative: true });
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || !parsed.isFinite() || !check(parsed)) {
    throw new KernelError(
      "invalid-options",
      `${field}: must be ${expected}${instrumentId === undefined ? "" : ` for ${instrumentId}`} (got ${describeValue(value)})`,
      { context: { field, value, ...(instrumentId === undefined ? {} : { instrumentId }) } },
    );
  }
  return parsed;
}

/**
 * Resolves `orderSizing` (or `spotBuyHeadroom`, a spot-only rule with the divisor
 * `1 + spotBuyHeadroom`) for the instruments the strategies trade. Undefined when neither applies.
 * @throws KernelError (`invalid-options`) naming the field and the value.
 */
export function resolveOrderSizing(
  orderSizing: OrderSizingOptions | undefined,
  spotBuyHeadroom: number,
  instruments: readonly Instrument[],
): SizingHeadroom | undefined {
  if (orderSizing === undefined) {
    if (spotBuyHeadroom === 0) return undefined;
    const divisor = ONE.plus(D(spotBuyHeadroom));
    const map = new Map<InstrumentId, InstrumentSizing>();
    for (const instrument of instruments) {
      if (instrument.kind === "spot") map.set(instrument.id, { spotBuyDivisor: divisor });
    }
    return map;
  }
  if (typeof orderSizing !== "object" || orderSizing === null) {
    throw new KernelError(
      "invalid-options",
      `orderSizing: must be an object { priceBuffer?, takerFeeRate?, leverage? } (got ${describeValue(orderSizing)})`,
      { context: { field: "orderSizing", value: orderSizing } },
    );
  }
  if (spotBuyHeadroom !== 0) {
    throw new KernelError(
      "invalid-options",
      "spotBuyHeadroom: give orderSizing or spotBuyHeadroom, not both (orderSizing sizes spot buys too)",
      { context: { field: "spotBuyHeadroom", value: spotBuyHeadroom } },
    );
  }
  for (const key of Object.keys(orderSizing)) {
    if (key !== "priceBuffer" && key !== "takerFeeRate" && key !== "leverage") {
      throw new KernelError(
        "invalid-options",
        `orderSizing.${key}: unknown key (priceBuffer, takerFeeRate, leverage)`,
        { context: { field: `orderSizing.${key}` } },
      );
    }
  }
  const priceBuffer =
    orderSizing.priceBuffer === undefined
      ? D(0)
      : decimalField("orderSizing.priceBuffer", orderSizing.priceBuffer, (x) => x.gte(0), "a decimal >= 0");
  const buffer = ONE.plus(priceBuffer);
  const fixedTaker =
    orderSizing.takerFeeRate === undefined
      ? undefined
      : decimalField(
          "orderSizing.takerFeeRate",
          orderSizing.takerFeeRate,
          (x) => x.gte(0) && x.lt(1),
          "a decimal in [0, 1)",
        );
  const leverage = orderSizing.leverage;
  const fixedLeverage =
    leverage === undefined || typeof leverage === "function"
      ? undefined
      : decimalField("orderSizing.leverage", leverage, (x) => x.gt(0), "a decimal > 0");
  const map = new Map<InstrumentId, InstrumentSizing>();
  for (const instrument of instruments) {
    const taker = fixedTaker ?? instrument.takerFee;
    if (instrument.kind === "spot") {
      map.set(instrument.id, { spotBuyDivisor: buffer.mul(ONE.plus(taker)) });
      continue;
    }
    let lev = fixedLeverage ?? ONE;
    if (typeof leverage === "function") {
      lev = decimalField(
        "orderSizing.leverage",
        leverage(instrument),
        (x) => x.gt(0),
        "a decimal > 0",
        instrument.id,
      );
    }
    // A float factor on a float fraction (`sizeFraction` is a number), not a booked amount.
    const l = lev.toNumber();
    const scale = l / ((1 + priceBuffer.toNumber()) * (1 + taker.toNumber() * l));
    map.set(instrument.id, { fractionScale: scale });
  }
  return map;
}
