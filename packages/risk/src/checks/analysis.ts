import { contractMultiplier, type InstrumentId, type OrderSide, type UnixMillis } from "@gpt/core";
import type { Decimal } from "@gpt/quantize";
import { ONE, toDecimal, toMillis, ZERO } from "../decimal.js";
import { RiskError } from "../errors.js";
import {
  type OrderRateWindow,
  type PreTradeCheckName,
  type PreTradeInput,
  type RiskDenialDetails,
  type RiskDenied,
  type RiskReasonCode,
  TRADING_STATES,
  type TradingState,
} from "../types.js";

/**
 * Internal: a pre-trade input parsed and validated once, with the post-trade numbers every check
 * shares. Not exported from the package index.
 */
export interface Analysis {
  readonly input: PreTradeInput;
  readonly instrumentId: InstrumentId;
  readonly side: OrderSide;
  /** Order quantity (>= 0). */
  readonly quantity: Decimal;
  /** Order quantity signed by side: + buy, − sell. */
  readonly signedQuantity: Decimal;
  /** Limit price, if any (> 0). */
  readonly price: Decimal | undefined;
  /** Stop trigger price, if any (> 0). */
  readonly triggerPrice: Decimal | undefined;
  readonly reduceOnly: boolean;
  /** Base units per size unit of the order's instrument. */
  readonly multiplier: Decimal;
  /** Mark of the order's instrument from the market snapshot (> 0), if any. */
  readonly mark: Decimal | undefined;
  /** The order's reference price: its limit price, else the mark. */
  readonly refPrice: Decimal | undefined;
  readonly equity: Decimal;
  /** Signed position in the instrument before and after the order (size units). */
  readonly preQuantity: Decimal;
  readonly postQuantity: Decimal;
  /** The venue's liquidation price of the current position, if given. */
  readonly liquidationPrice: Decimal | undefined;
  /** Sum of |notional| and of signed notional of the other instruments' positions. */
  readonly otherGross: Decimal;
  readonly otherNet: Decimal;
  readonly maintenanceMargin: Decimal | undefined;
  readonly openOrderCount: number;
  readonly now: UnixMillis;
  readonly tsMark: UnixMillis | undefined;
  readonly tradingState: TradingState;
  readonly orderRate: OrderRateWindow | undefined;
}

/** Internal: validates a pre-trade input and computes the shared numbers. @throws RiskError */
export function analyze(input: PreTradeInput): Analysis {
  const { order, instrument, market, portfolio } = input;
  if (order.instrumentId !== instrument.id) {
    throw new RiskError(
      "invalid-input",
      `order.instrumentId: ${String(order.instrumentId)} is not the instrument given (${instrument.id})`,
      { field: "order.instrumentId", value: order.instrumentId },
    );
  }
  if (order.side !== "buy" && order.side !== "sell") {
    throw new RiskError("invalid-input", `order.side: must be "buy" or "sell" (got ${String(order.side)})`, {
      field: "order.side",
      value: order.side,
    });
  }
  const tradingState = input.tradingState ?? "active";
  if (!TRADING_STATES.includes(tradingState)) {
    throw new RiskError("invalid-input", `tradingState: unknown state ${String(tradingState)}`, {
      field: "tradingState",
      value: tradingState,
    });
  }
  const quantity = toDecimal(order.quantity, "order.quantity", "non-negative");
  const signedQuantity = order.side === "buy" ? quantity : quantity.neg();
  const price = order.price === undefined ? undefined : toDecimal(order.price, "order.price", "positive");
  const triggerPrice =
    order.triggerPrice === undefined
      ? undefined
      : toDecimal(order.triggerPrice, "order.triggerPrice", "positive");
  const mark =
    market.markPrice === undefined ? undefined : toDecimal(market.markPrice, "market.markPrice", "positive");
  const tsMark = market.tsMark === undefined ? undefined : toMillis(market.tsMark, "market.tsMark");
  const now = toMillis(input.now, "now");
  const equity = toDecimal(portfolio.equity, "portfolio.equity");
  if (!Number.isSafeInteger(portfolio.openOrderCount) || portfolio.openOrderCount < 0) {
    throw new RiskError(
      "invalid-input",
      `portfolio.openOrderCount: must be a non-negative integer (got ${String(portfolio.openOrderCount)})`,
      { field: "portfolio.openOrderCount", value: portfolio.openOrderCount },
    );
  }
  const maintenanceMargin =
    portfolio.maintenanceMargin === undefined
      ? undefined
      : toDecimal(portfolio.maintenanceMargin, "portfolio.maintenanceMargin", "non-negative");

  let preQuantity = ZERO;
  let liquidationPrice: Decimal | undefined;
  let otherGross = ZERO;
  let otherNet = ZERO;
  const seen = new Set<string>();
  for (let i = 0; i < portfolio.positions.length; i++) {
    const position = portfolio.positions[i];
    if (position === undefined) continue;
    const field = `portfolio.positions[${i}]`;
    if (seen.has(position.instrumentId)) {
      throw new RiskError("invalid-input", `${field}: a second position for ${position.instrumentId}`, {
        field: `${field}.instrumentId`,
        value: position.instrumentId,
      });
    }
    seen.add(position.instrumentId);
    const q = toDecimal(position.quantity, `${field}.quantity`);
    const positionMark = toDecimal(position.markPrice, `${field}.markPrice`, "positive");
    const liq =
      position.liquidationPrice === undefined
        ? undefined
        : toDecimal(position.liquidationPrice, `${field}.liquidationPrice`, "non-negative");
    if (position.instrumentId === instrument.id) {
      preQuantity = q;
      liquidationPrice = liq;
      continue;
    }
    const size =
      position.contractSize === undefined
        ? ONE
        : toDecimal(position.contractSize, `${field}.contractSize`, "positive");
    const signed = q.times(positionMark).times(size);
    otherNet = otherNet.plus(signed);
    otherGross = otherGross.plus(signed.abs());
  }

  return {
    input,
    instrumentId: instrument.id,
    side: order.side,
    quantity,
    signedQuantity,
    price,
    triggerPrice,
    reduceOnly: order.reduceOnly === true,
    multiplier: contractMultiplier(instrument),
    mark,
    refPrice: price ?? mark,
    equity,
    preQuantity,
    postQuantity: preQuantity.plus(signedQuantity),
    liquidationPrice,
    otherGross,
    otherNet,
    maintenanceMargin,
    openOrderCount: portfolio.openOrderCount,
    now,
    tsMark,
    tradingState,
    orderRate: input.orderRate,
  };
}

/** Internal: builds a denial. */
export function deny(
  check: PreTradeCheckName,
  reason: RiskReasonCode,
  message: string,
  details: RiskDenialDetails,
): RiskDenied {
  return { kind: "denied", check, reason, message, details };
}

/** Internal: the denial for a check that needs a mark price and has none. */
export function missingMark(check: PreTradeCheckName, a: Analysis): RiskDenied {
  return deny(
    check,
    "missing-mark-price",
    `${check}: no mark price for ${a.instrumentId}, so the order cannot be valued`,
    { actual: "none", limit: "a mark price", instrumentId: a.instrumentId },
  );
}
