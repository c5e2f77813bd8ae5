import { D, type Decimal, parseDecimal } from "@gpt/quantize";
import { PositionError } from "./errors.js";
import type { EventBase, OrderFilled } from "./events.js";
import type { InstrumentId, PositionId, TradeId } from "./ids.js";
import type { DecimalLike } from "./instruments.js";
import type { UnixMillis } from "./time.js";

/** Direction of a position. */
export type PositionSide = "long" | "short" | "flat";

/**
 * A netting position: one per instrument (and account). Immutable; produced by `applyFill`.
 *
 * Accounting is average-cost. The position keeps its exact *cost basis* (`costBasis`, the signed
 * sum of quantity × price of the open amount); `avgEntryPrice = costBasis / quantity` is derived
 * for display. Closing part of a position removes the proportional cost, rounded half-even to
 * `COST_BASIS_DECIMALS` decimal places, and books the difference to `realizedPnl`, so that, exactly
 * (no rounding drift, ever):
 *
 *     realizedPnl + unrealizedPnl(mark) - commissions
 *       = Σ over fills (-signedQty × price × contractSize - commission) + quantity × mark × contractSize
 *
 * `realizedPnl` is gross (before fees); `commissions` and `funding` are kept apart.
 * Realized PnL, commissions and funding accumulate over the life of the record, across closes
 * and flips.
 */
export interface Position {
  /** Instrument. */
  readonly instrumentId: InstrumentId;
  /** Position id, if the caller assigns one. */
  readonly positionId?: PositionId;
  /** Direction. */
  readonly side: PositionSide;
  /** Signed quantity in the instrument's size unit (long > 0, short < 0, flat 0). */
  readonly quantity: Decimal;
  /** Signed cost of the open quantity, Σ qty × price (same sign as `quantity`; 0 when flat). */
  readonly costBasis: Decimal;
  /** Average entry price, `costBasis / quantity` (40 significant digits); 0 when flat. */
  readonly avgEntryPrice: Decimal;
  /** Base units per unit of quantity (`contractSize`; 1 for spot). */
  readonly contractSize: Decimal;
  /** Settlement currency of PnL, commissions and funding. */
  readonly currency: string;
  /** Realized PnL before fees, in `currency`. */
  readonly realizedPnl: Decimal;
  /** Commissions paid (negative: net rebates), in `currency`. */
  readonly commissions: Decimal;
  /** Net funding received (negative: paid), in `currency`. */
  readonly funding: Decimal;
  /** Fills applied. */
  readonly fillCount: number;
  /** Quantity bought (unsigned sum). */
  readonly buyQty: Decimal;
  /** Quantity sold (unsigned sum). */
  readonly sellQty: Decimal;
  /** When the current exposure was opened (from flat or by a flip); absent while flat. */
  readonly tsOpened?: UnixMillis;
  /** When the position last went flat; absent if it never did or is open again. */
  readonly tsClosed?: UnixMillis;
  /** `tsEvent` of the latest fill or funding payment. */
  readonly tsLastEvent: UnixMillis;
  /** Trade id of the latest fill, if known. */
  readonly lastTradeId?: TradeId;
}

/** What `applyFill` needs from a fill (an `OrderFilled` event fits as is). */
export type PositionFill = Pick<
  OrderFilled,
  "instrumentId" | "side" | "lastQty" | "lastPrice" | "commission" | "commissionCurrency" | "tsEvent"
> & { readonly tradeId?: TradeId };

/** Options of `applyFill` when it opens a new position record. */
export interface NewPositionOptions {
  /** Base units per unit of quantity (default 1). Must equal the position's if one is given. */
  readonly contractSize?: DecimalLike;
  /** Settlement currency (default: the fill's `commissionCurrency`). */
  readonly currency?: string;
  /** Position id to assign. */
  readonly positionId?: PositionId;
}

/** Decimal places kept when the proportional cost of a partial close is removed from `costBasis`. */
export const COST_BASIS_DECIMALS = 18;

const ZERO = D(0);

function sideOf(quantity: Decimal): PositionSide {
  return quantity.isZero() ? "flat" : quantity.isNegative() ? "short" : "long";
}

function positiveContractSize(value: DecimalLike): Decimal {
  try {
    return parseDecimal(value, { field: "contractSize", allowNegative: false, allowZero: false });
  } catch (cause) {
    throw new PositionError(
      "invalid-value",
      `contractSize must be a positive decimal (got ${String(value)})`,
      {
        cause,
        context: { field: "contractSize", value },
      },
    );
  }
}

/**
 * A flat position record (no fills yet), e.g. to carry a position id or contract size.
 * @throws PositionError if `contractSize` is not positive.
 */
export function flatPosition(
  instrumentId: InstrumentId,
  currency: string,
  tsEvent: UnixMillis,
  options: Omit<NewPositionOptions, "currency"> = {},
): Position {
  const contractSize = positiveContractSize(options.contractSize ?? "1");
  return {
    instrumentId,
    ...(options.positionId === undefined ? {} : { positionId: options.positionId }),
    side: "flat",
    quantity: ZERO,
    costBasis: ZERO,
    avgEntryPrice: ZERO,
    contractSize,
    currency,
    realizedPnl: ZERO,
    commissions: ZERO,
    funding: ZERO,
    fillCount: 0,
    buyQty: ZERO,
    sellQty: ZERO,
    tsLastEvent: tsEvent,
  };
}

/**
 * Books one fill on a position and returns the new position (inputs are never mutated).
 *
 * - Opening or adding (same direction, or from flat): quantity and cost basis grow; the average
 *   entry price is the quantity-weighted average.
 * - Reducing: realized PnL += (closed qty × fill price − removed cost) × contractSize, with the
 *   removed cost proportional to the closed share of the cost basis.
 * - Closing exactly: all cost is removed; the position is flat.
 * - Flipping through zero: the old position is closed at the fill price, and the rest of the fill
 *   opens a new position in the other direction at the fill price.
 * - The commission is added to `commissions` (negative commissions are rebates).
 *
 * @param position the current position, or `undefined` for a new record (see `options`).
 * @throws PositionError if the fill is for another instrument, has a non-positive quantity or
 *   price, or a non-zero commission in another currency than the position's.
 */
export function applyFill(
  position: Position | undefined,
  fill: PositionFill,
  options: NewPositionOptions = {},
): Position {
  const current =
    position ??
    flatPosition(fill.instrumentId, options.currency ?? fill.commissionCurrency, fill.tsEvent, options);
  if (
    position !== undefined &&
    options.contractSize !== undefined &&
    !positiveContractSize(options.contractSize).eq(position.contractSize)
  ) {
    throw new PositionError(
      "event-mismatch",
      `contractSize ${String(options.contractSize)} differs from the position's ${position.contractSize.toString()}`,
      {
        context: { instrumentId: position.instrumentId },
      },
    );
  }
  if (fill.instrumentId !== current.instrumentId) {
    throw new PositionError(
      "event-mismatch",
      `fill for ${fill.instrumentId} applied to position in ${current.instrumentId}`,
      {
        context: { fillInstrumentId: fill.instrumentId, instrumentId: current.instrumentId },
      },
    );
  }
  if (!fill.lastQty.gt(0)) {
    throw new PositionError("invalid-fill", `fill lastQty must be > 0 (got ${fill.lastQty.toString()})`, {
      context: { field: "lastQty", value: fill.lastQty.toString() },
    });
  }
  if (!fill.lastPrice.gt(0)) {
    throw new PositionError("invalid-fill", `fill lastPrice must be > 0 (got ${fill.lastPrice.toString()})`, {
      context: { field: "lastPrice", value: fill.lastPrice.toString() },
    });
  }
  if (!fill.commission.isZero() && fill.commissionCurrency !== current.currency) {
    throw new PositionError(
      "invalid-fill",
      `commission in ${fill.commissionCurrency} cannot be booked on a position settled in ${current.currency}`,
      { context: { commissionCurrency: fill.commissionCurrency, currency: current.currency } },
    );
  }

  const price = fill.lastPrice;
  const cs = current.contractSize;
  const signed = fill.side === "buy" ? fill.lastQty : fill.lastQty.neg();
  const q = current.quantity;
  let quantity: Decimal;
  let costBasis: Decimal;
  let realized = current.realizedPnl;
  let opened = current.tsOpened;

  if (q.isZero() || q.isNegative() === signed.isNegative()) {
    // Open or add.
    quantity = q.plus(signed);
    costBasis = current.costBasis.plus(signed.mul(price));
    if (q.isZero()) opened = fill.tsEvent;
  } else if (signed.abs().lt(q.abs())) {
    // Partial close: remove the proportional (rounded) cost, book the difference.
    const closed = signed.neg(); // same sign as q
    const removed = current.costBasis
      .mul(closed)
      .div(q)
      .toDecimalPlaces(COST_BASIS_DECIMALS, D.ROUND_HALF_EVEN);
    realized = realized.plus(closed.mul(price).minus(removed).mul(cs));
    quantity = q.plus(signed);
    costBasis = current.costBasis.minus(removed);
  } else {
    // Full close, possibly flipping: close everything at the fill price, open the rest there.
    realized = realized.plus(q.mul(price).minus(current.costBasis).mul(cs));
    quantity = q.plus(signed);
    costBasis = quantity.mul(price);
    opened = quantity.isZero() ? undefined : fill.tsEvent;
  }

  const side = sideOf(quantity);
  const next: Position = {
    instrumentId: current.instrumentId,
    ...(current.positionId === undefined ? {} : { positionId: current.positionId }),
    side,
    quantity,
    costBasis,
    avgEntryPrice: quantity.isZero() ? ZERO : costBasis.div(quantity),
    contractSize: cs,
    currency: current.currency,
    realizedPnl: realized,
    commissions: current.commissions.plus(fill.commission),
    funding: current.funding,
    fillCount: current.fillCount + 1,
    buyQty: fill.side === "buy" ? current.buyQty.plus(fill.lastQty) : current.buyQty,
    sellQty: fill.side === "sell" ? current.sellQty.plus(fill.lastQty) : current.sellQty,
    ...(opened === undefined ? {} : { tsOpened: opened }),
    ...(side === "flat" ? { tsClosed: fill.tsEvent } : {}),
    tsLastEvent: fill.tsEvent,
    ...(fill.tradeId === undefined ? {} : { lastTradeId: fill.tradeId }),
  };
  return next;
}

function price(value: DecimalLike, field: string): Decimal {
  try {
    return parseDecimal(value, { field, allowNegative: false });
  } catch (cause) {
    throw new PositionError("invalid-value", `${field} must be a decimal >= 0 (got ${String(value)})`, {
      cause,
      context: { field, value },
    });
  }
}

/**
 * Unrealized PnL at `markPrice`: `(quantity × mark − costBasis) × contractSize`
 * (equals `quantity × (mark − avgEntryPrice) × contractSize` up to the display rounding of
 * `avgEntryPrice`). Zero when flat.
 * @throws PositionError if `markPrice` is not a decimal >= 0.
 */
export function unrealizedPnl(position: Position, markPrice: DecimalLike): Decimal {
  const mark = price(markPrice, "markPrice");
  return position.quantity.mul(mark).minus(position.costBasis).mul(position.contractSize);
}

/** Absolute notional value at `markPrice`: `|quantity| × price × contractSize`. @throws PositionError */
export function notional(position: Position, markPrice: DecimalLike): Decimal {
  return position.quantity.abs().mul(price(markPrice, "price")).mul(position.contractSize);
}

/**
 * Total PnL at `markPrice` net of everything: `realizedPnl + unrealizedPnl − commissions + funding`.
 * @throws PositionError
 */
export function netPnl(position: Position, markPrice: DecimalLike): Decimal {
  return position.realizedPnl
    .plus(unrealizedPnl(position, markPrice))
    .minus(position.commissions)
    .plus(position.funding);
}

/**
 * The funding payment for one interval: `−quantity × contractSize × markPrice × rate`
 * (a long pays a positive rate, a short receives it). Positive means received.
 * @throws PositionError on bad inputs.
 */
export function fundingPayment(position: Position, markPrice: DecimalLike, rate: DecimalLike): Decimal {
  let r: Decimal;
  try {
    r = parseDecimal(rate, { field: "rate" });
  } catch (cause) {
    throw new PositionError("invalid-value", `rate must be a decimal (got ${String(rate)})`, { cause });
  }
  return position.quantity.mul(position.contractSize).mul(price(markPrice, "markPrice")).mul(r).neg();
}

/** Books a funding payment (positive: received) and returns the new position. */
export function applyFunding(position: Position, payment: Decimal, tsEvent: UnixMillis): Position {
  return { ...position, funding: position.funding.plus(payment), tsLastEvent: tsEvent };
}

/** Fields of every position event. */
export interface PositionEventBase extends EventBase {
  /** Instrument. */
  readonly instrumentId: InstrumentId;
  /** The position after the change. */
  readonly position: Position;
  /** Realized PnL (gross) booked by this change. */
  readonly realizedPnlChange: Decimal;
  /** Trade id of the fill that caused the change, if any. */
  readonly tradeId?: TradeId;
}

/** A position went from flat to long or short. */
export interface PositionOpened extends PositionEventBase {
  /** Discriminant. */
  readonly type: "PositionOpened";
}

/** A position changed size (added, reduced, or flipped from long to short or back). */
export interface PositionChanged extends PositionEventBase {
  /** Discriminant. */
  readonly type: "PositionChanged";
}

/** A position became flat. */
export interface PositionClosed extends PositionEventBase {
  /** Discriminant. */
  readonly type: "PositionClosed";
}

/** Every position event; switch on `type`. */
export type PositionEvent = PositionOpened | PositionChanged | PositionClosed;

/**
 * The event describing `before → after` (as returned by `applyFill`): `PositionOpened` from flat,
 * `PositionClosed` to flat, `PositionChanged` otherwise (including flips).
 */
export function createPositionEvent(
  before: Position | undefined,
  after: Position,
  meta: Pick<EventBase, "eventId" | "tsInit"> & { readonly tsEvent?: UnixMillis },
): PositionEvent {
  const wasFlat = before === undefined || before.quantity.isZero();
  const type = after.quantity.isZero() ? "PositionClosed" : wasFlat ? "PositionOpened" : "PositionChanged";
  return {
    type,
    eventId: meta.eventId,
    tsEvent: meta.tsEvent ?? after.tsLastEvent,
    tsInit: meta.tsInit,
    instrumentId: after.instrumentId,
    position: after,
    realizedPnlChange: after.realizedPnl.minus(before?.realizedPnl ?? ZERO),
    ...(after.lastTradeId === undefined ? {} : { tradeId: after.lastTradeId }),
  };
}
