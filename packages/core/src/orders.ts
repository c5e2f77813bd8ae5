import { type Decimal, parseDecimal, QuantizeError } from "@gpt/quantize";
import { CommandValidationError, type ValidationIssue } from "./errors.js";
import type { ClientOrderId, InstrumentId, StrategyId, VenueOrderId } from "./ids.js";
import { contractMultiplier, type DecimalLike, type Instrument, isDerivative } from "./instruments.js";
import type { UnixMillis } from "./time.js";
import { assertNever } from "./util.js";

/** Buy or sell. */
export type OrderSide = "buy" | "sell";
/** Every `OrderSide`, for validation and iteration. */
export const ORDER_SIDES: readonly OrderSide[] = ["buy", "sell"];

/**
 * The order types.
 * - `market`: execute now at the best available prices (IOC or FOK).
 * - `limit`: execute at `price` or better; rests on the book per its time in force.
 * - `stop`: a stop-market order: dormant until the last trade crosses `triggerPrice`
 *   (buy: price >= trigger, sell: price <= trigger), then a market order.
 * - `stop-limit`: like `stop`, but becomes a limit order at `price` once triggered.
 */
export type OrderType = "market" | "limit" | "stop" | "stop-limit";
/** Every `OrderType`. */
export const ORDER_TYPES: readonly OrderType[] = ["market", "limit", "stop", "stop-limit"];

/**
 * Time in force.
 * - `GTC` good till canceled; `GTD` good till `expireTime`;
 * - `IOC` immediate or cancel (fill what you can now, cancel the rest);
 * - `FOK` fill or kill (fill all now, or nothing).
 */
export type TimeInForce = "GTC" | "GTD" | "IOC" | "FOK";
/** Every `TimeInForce`. */
export const TIME_IN_FORCES: readonly TimeInForce[] = ["GTC", "GTD", "IOC", "FOK"];

/** Margin mode of a derivative order/position. */
export type MarginType = "cross" | "isolated";
/** Every `MarginType`. */
export const MARGIN_TYPES: readonly MarginType[] = ["cross", "isolated"];

/** Whether a fill added liquidity (maker) or took it (taker). */
export type LiquiditySide = "maker" | "taker";

/**
 * Fields of every order spec. Booked values are `Decimal`. `quantity` is in the instrument's size
 * unit (base currency for spot, contracts for derivatives) and is always positive; the direction
 * is `side`.
 */
export interface OrderSpecBase {
  /** Our id for the order, generated before the first send (the venue's idempotency key). */
  readonly clientOrderId: ClientOrderId;
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** Direction. */
  readonly side: OrderSide;
  /** Quantity in the instrument's size unit, > 0. */
  readonly quantity: Decimal;
  /** Time in force. */
  readonly timeInForce: TimeInForce;
  /** Expiry for `GTD`; required for `GTD`, forbidden otherwise. */
  readonly expireTime?: UnixMillis;
  /** Only reduce an existing position (derivatives only). */
  readonly reduceOnly: boolean;
  /** Requested leverage (derivatives only), >= 1. */
  readonly leverage?: Decimal;
  /** Requested margin mode (derivatives only). */
  readonly marginType?: MarginType;
}

/** A market order: `IOC` or `FOK`. */
export interface MarketOrderSpec extends OrderSpecBase {
  /** Discriminant. */
  readonly type: "market";
}

/** A limit order. `postOnly` orders that would take liquidity are rejected (never with IOC/FOK). */
export interface LimitOrderSpec extends OrderSpecBase {
  /** Discriminant. */
  readonly type: "limit";
  /** Limit price, > 0. */
  readonly price: Decimal;
  /** Only add liquidity. */
  readonly postOnly: boolean;
}

/** A stop-market order (`GTC` or `GTD`). */
export interface StopOrderSpec extends OrderSpecBase {
  /** Discriminant. */
  readonly type: "stop";
  /** Trigger price, > 0. */
  readonly triggerPrice: Decimal;
}

/** A stop-limit order (`GTC` or `GTD`). */
export interface StopLimitOrderSpec extends OrderSpecBase {
  /** Discriminant. */
  readonly type: "stop-limit";
  /** Limit price once triggered, > 0. */
  readonly price: Decimal;
  /** Trigger price, > 0. */
  readonly triggerPrice: Decimal;
}

/** What an order is; switch on `type`. */
export type OrderSpec = MarketOrderSpec | LimitOrderSpec | StopOrderSpec | StopLimitOrderSpec;

/** Submit one order. */
export interface SubmitOrder {
  /** Discriminant. */
  readonly type: "SubmitOrder";
  /** The strategy that owns the order. */
  readonly strategyId: StrategyId;
  /** The order. */
  readonly order: OrderSpec;
  /** When the command was created. */
  readonly tsInit: UnixMillis;
}

/**
 * Submit an entry with an attached take-profit and stop-loss (a bracket, like Coinbase's
 * `attached_order_configuration: trigger_bracket_gtc`).
 *
 * Semantics (every `ExecutionPort` must implement them this way):
 * - Three orders are created at once: the entry (`bracket.role = "entry"`), the take-profit
 *   (a reduce-only limit at `takeProfit.price`) and the stop-loss (a reduce-only stop, or a
 *   stop-limit when `stopLoss.price` is given), both on the opposite side. `bracketLegs()` derives
 *   the two leg specs.
 * - The legs are inactive (status `initialized`) until the entry fills. From the entry's first
 *   fill they work for the entry's *cumulative filled* quantity (they are updated as more fills
 *   arrive).
 * - The legs are one-cancels-other: a fill on one leg reduces the other to the same remaining
 *   quantity; when one leg is completely filled the other is canceled.
 * - If the entry is canceled, rejected, denied or expires without any fill, both legs are
 *   canceled. If it is canceled after a partial fill, the legs stay working for the filled part.
 * - Canceling a leg cancels only that leg.
 * - Legs are `GTC`, or `GTD` with `legExpireTime`.
 */
export interface SubmitBracket {
  /** Discriminant. */
  readonly type: "SubmitBracket";
  /** The strategy that owns the three orders. */
  readonly strategyId: StrategyId;
  /** The entry order (market or limit). */
  readonly entry: MarketOrderSpec | LimitOrderSpec;
  /** The take-profit leg: a limit order at `price`. */
  readonly takeProfit: { readonly clientOrderId: ClientOrderId; readonly price: Decimal };
  /**
   * The stop-loss leg: triggers at `triggerPrice`; a stop-market order, or a stop-limit order at
   * `price` if given.
   */
  readonly stopLoss: {
    readonly clientOrderId: ClientOrderId;
    readonly triggerPrice: Decimal;
    readonly price?: Decimal;
  };
  /** If given, the legs are `GTD` with this expiry; otherwise `GTC`. */
  readonly legExpireTime?: UnixMillis;
  /** When the command was created. */
  readonly tsInit: UnixMillis;
}

/** Cancel one order. */
export interface CancelOrder {
  /** Discriminant. */
  readonly type: "CancelOrder";
  /** The strategy asking. */
  readonly strategyId: StrategyId;
  /** The order's instrument. */
  readonly instrumentId: InstrumentId;
  /** The order. */
  readonly clientOrderId: ClientOrderId;
  /** The venue's id, if known (some venues cancel by venue id only). */
  readonly venueOrderId?: VenueOrderId;
  /** When the command was created. */
  readonly tsInit: UnixMillis;
}

/** Change a working order's quantity and/or prices (at least one of them). */
export interface ModifyOrder {
  /** Discriminant. */
  readonly type: "ModifyOrder";
  /** The strategy asking. */
  readonly strategyId: StrategyId;
  /** The order's instrument. */
  readonly instrumentId: InstrumentId;
  /** The order. */
  readonly clientOrderId: ClientOrderId;
  /** The venue's id, if known. */
  readonly venueOrderId?: VenueOrderId;
  /** New total quantity (> 0; must stay above the filled quantity). */
  readonly quantity?: Decimal;
  /** New limit price (> 0). */
  readonly price?: Decimal;
  /** New trigger price (> 0). */
  readonly triggerPrice?: Decimal;
  /** When the command was created. */
  readonly tsInit: UnixMillis;
}

/** Cancel every open order of one instrument (or of all instruments), optionally one side only. */
export interface CancelAllOrders {
  /** Discriminant. */
  readonly type: "CancelAllOrders";
  /** The strategy asking. */
  readonly strategyId: StrategyId;
  /** Only this instrument; every instrument if absent. */
  readonly instrumentId?: InstrumentId;
  /** Only this side; both if absent. */
  readonly side?: OrderSide;
  /** When the command was created. */
  readonly tsInit: UnixMillis;
}

/** Every command an `ExecutionPort` accepts; switch on `type`. */
export type TradingCommand = SubmitOrder | SubmitBracket | CancelOrder | ModifyOrder | CancelAllOrders;

// ---------------------------------------------------------------------------------------------
// Validation. Convention: `validate*` functions return the problems as data (an empty array means
// valid) and never throw on bad commands; `assert*` and the `*Order` builders throw a
// `CommandValidationError` listing every problem.
// ---------------------------------------------------------------------------------------------

function issue(field: string, code: string, message: string): ValidationIssue {
  return { field, code, message };
}

function isDecimalValue(value: unknown): value is Decimal {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Decimal).isFinite === "function" &&
    typeof (value as Decimal).gt === "function"
  );
}

function checkPositive(issues: ValidationIssue[], field: string, value: unknown): boolean {
  if (!isDecimalValue(value) || !value.isFinite()) {
    issues.push(issue(field, "not-a-decimal", "must be a finite Decimal"));
    return false;
  }
  if (!value.gt(0)) {
    issues.push(issue(field, "not-positive", `must be > 0 (got ${value.toString()})`));
    return false;
  }
  return true;
}

function checkTimestamp(issues: ValidationIssue[], field: string, value: unknown): boolean {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    issues.push(
      issue(field, "invalid-timestamp", `must be a non-negative integer of ms (got ${String(value)})`),
    );
    return false;
  }
  return true;
}

/**
 * Checks an order spec on its own (no instrument needed). Rules:
 * - `side`, `type`, `timeInForce`, `marginType` are known values; `quantity` > 0;
 * - `limit`/`stop-limit` need `price` > 0; `stop`/`stop-limit` need `triggerPrice` > 0;
 * - `GTD` needs `expireTime`; other time-in-force values must not have one;
 * - `market` orders are `IOC` or `FOK`; `stop`/`stop-limit` orders are `GTC` or `GTD`;
 * - `postOnly` only on `limit` orders, and never with `IOC`/`FOK`;
 * - `leverage` (if given) >= 1.
 *
 * @param path prefix for issue field names (default `"order"`).
 * @returns every problem found; empty if the spec is valid.
 */
export function validateOrderSpec(spec: OrderSpec, path = "order"): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const f = (name: string) => `${path}.${name}`;
  const loose = spec as unknown as Record<string, unknown>;
  if (!ORDER_SIDES.includes(spec.side)) {
    issues.push(issue(f("side"), "invalid-side", `must be buy or sell (got ${String(spec.side)})`));
  }
  checkPositive(issues, f("quantity"), spec.quantity);
  if (!TIME_IN_FORCES.includes(spec.timeInForce)) {
    issues.push(
      issue(f("timeInForce"), "invalid-time-in-force", `unknown (got ${String(spec.timeInForce)})`),
    );
  }
  if (spec.timeInForce === "GTD") {
    if (spec.expireTime === undefined) {
      issues.push(issue(f("expireTime"), "gtd-without-expire-time", "GTD orders need an expireTime"));
    } else {
      checkTimestamp(issues, f("expireTime"), spec.expireTime);
    }
  } else if (spec.expireTime !== undefined) {
    issues.push(issue(f("expireTime"), "expire-time-without-gtd", `only GTD orders take an expireTime`));
  }
  if (typeof spec.reduceOnly !== "boolean") {
    issues.push(issue(f("reduceOnly"), "not-a-boolean", "must be true or false"));
  }
  if (
    spec.leverage !== undefined &&
    checkPositive(issues, f("leverage"), spec.leverage) &&
    spec.leverage.lt(1)
  ) {
    issues.push(issue(f("leverage"), "leverage-below-one", `must be >= 1 (got ${spec.leverage.toString()})`));
  }
  if (spec.marginType !== undefined && !MARGIN_TYPES.includes(spec.marginType)) {
    issues.push(
      issue(
        f("marginType"),
        "invalid-margin-type",
        `must be cross or isolated (got ${String(spec.marginType)})`,
      ),
    );
  }
  if (spec.type !== "limit" && loose.postOnly === true) {
    issues.push(
      issue(
        f("postOnly"),
        "post-only-not-limit",
        `postOnly is only for limit orders (got ${String(spec.type)})`,
      ),
    );
  }
  switch (spec.type) {
    case "market":
      if (spec.timeInForce !== "IOC" && spec.timeInForce !== "FOK") {
        issues.push(
          issue(
            f("timeInForce"),
            "market-not-immediate",
            `market orders are IOC or FOK (got ${spec.timeInForce})`,
          ),
        );
      }
      break;
    case "limit":
      checkPositive(issues, f("price"), spec.price);
      if (typeof spec.postOnly !== "boolean") {
        issues.push(issue(f("postOnly"), "not-a-boolean", "must be true or false"));
      } else if (spec.postOnly && (spec.timeInForce === "IOC" || spec.timeInForce === "FOK")) {
        issues.push(issue(f("postOnly"), "post-only-immediate", `postOnly cannot be ${spec.timeInForce}`));
      }
      break;
    case "stop":
      checkPositive(issues, f("triggerPrice"), spec.triggerPrice);
      break;
    case "stop-limit":
      checkPositive(issues, f("price"), spec.price);
      checkPositive(issues, f("triggerPrice"), spec.triggerPrice);
      break;
    default:
      issues.push(
        issue(
          f("type"),
          "invalid-type",
          `unknown order type (got ${String((spec as { type: unknown }).type)})`,
        ),
      );
      return issues;
  }
  if (
    (spec.type === "stop" || spec.type === "stop-limit") &&
    spec.timeInForce !== "GTC" &&
    spec.timeInForce !== "GTD"
  ) {
    issues.push(
      issue(f("timeInForce"), "stop-not-resting", `stop orders are GTC or GTD (got ${spec.timeInForce})`),
    );
  }
  return issues;
}

function isMultiple(value: Decimal, increment: Decimal): boolean {
  return value.mod(increment).isZero();
}

/**
 * Checks an order spec against its instrument: same instrument id; `leverage`, `marginType` and
 * `reduceOnly` only on derivatives; leverage <= `maxLeverage`; quantity within
 * [`minSize`, `maxSize`] and on `sizeIncrement`; prices on `priceIncrement`; notional
 * (quantity × price × contract multiplier, using the limit price, else the trigger price) within
 * [`minNotional`, `maxNotional`] when a price is known. Run `validateOrderSpec` first; this one
 * assumes well-formed decimals.
 *
 * @returns every problem found; empty if the spec fits the instrument.
 */
export function validateOrderForInstrument(
  spec: OrderSpec,
  instrument: Instrument,
  path = "order",
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const f = (name: string) => `${path}.${name}`;
  if (spec.instrumentId !== instrument.id) {
    issues.push(
      issue(
        f("instrumentId"),
        "instrument-mismatch",
        `order is for ${spec.instrumentId}, not ${instrument.id}`,
      ),
    );
    return issues;
  }
  if (isDerivative(instrument)) {
    if (spec.leverage?.gt(instrument.maxLeverage)) {
      issues.push(
        issue(
          f("leverage"),
          "leverage-above-max",
          `must be <= ${instrument.maxLeverage.toString()} (got ${spec.leverage.toString()})`,
        ),
      );
    }
  } else {
    if (spec.leverage !== undefined)
      issues.push(issue(f("leverage"), "derivative-only", "spot orders take no leverage"));
    if (spec.marginType !== undefined)
      issues.push(issue(f("marginType"), "derivative-only", "spot orders take no margin type"));
    if (spec.reduceOnly)
      issues.push(issue(f("reduceOnly"), "derivative-only", "spot orders cannot be reduce-only"));
  }
  const q = spec.quantity;
  if (q.lt(instrument.minSize)) {
    issues.push(
      issue(
        f("quantity"),
        "below-min-size",
        `must be >= ${instrument.minSize.toString()} (got ${q.toString()})`,
      ),
    );
  }
  if (q.gt(instrument.maxSize)) {
    issues.push(
      issue(
        f("quantity"),
        "above-max-size",
        `must be <= ${instrument.maxSize.toString()} (got ${q.toString()})`,
      ),
    );
  }
  if (!isMultiple(q, instrument.sizeIncrement)) {
    issues.push(
      issue(
        f("quantity"),
        "not-on-size-increment",
        `must be a multiple of ${instrument.sizeIncrement.toString()} (got ${q.toString()})`,
      ),
    );
  }
  let refPrice: Decimal | undefined;
  if (spec.type === "limit" || spec.type === "stop-limit") {
    refPrice = spec.price;
    if (!isMultiple(spec.price, instrument.priceIncrement)) {
      issues.push(
        issue(
          f("price"),
          "not-on-price-increment",
          `must be a multiple of ${instrument.priceIncrement.toString()} (got ${spec.price.toString()})`,
        ),
      );
    }
  }
  if (spec.type === "stop" || spec.type === "stop-limit") {
    refPrice ??= spec.triggerPrice;
    if (!isMultiple(spec.triggerPrice, instrument.priceIncrement)) {
      issues.push(
        issue(
          f("triggerPrice"),
          "not-on-price-increment",
          `must be a multiple of ${instrument.priceIncrement.toString()} (got ${spec.triggerPrice.toString()})`,
        ),
      );
    }
  }
  if (refPrice !== undefined) {
    const notional = q.mul(refPrice).mul(contractMultiplier(instrument));
    if (notional.lt(instrument.minNotional)) {
      issues.push(
        issue(
          f("quantity"),
          "below-min-notional",
          `notional ${notional.toString()} < ${instrument.minNotional.toString()}`,
        ),
      );
    }
    if (instrument.maxNotional !== undefined && notional.gt(instrument.maxNotional)) {
      issues.push(
        issue(
          f("quantity"),
          "above-max-notional",
          `notional ${notional.toString()} > ${instrument.maxNotional.toString()}`,
        ),
      );
    }
  }
  return issues;
}

function checkExpiryAfter(
  issues: ValidationIssue[],
  field: string,
  expireTime: UnixMillis | undefined,
  tsInit: UnixMillis,
) {
  if (expireTime !== undefined && Number.isSafeInteger(expireTime) && expireTime <= tsInit) {
    issues.push(issue(field, "expire-time-in-past", `must be after tsInit ${tsInit} (got ${expireTime})`));
  }
}

/**
 * Checks a command on its own (no instrument, no order state). Beyond `validateOrderSpec`:
 * `tsInit` is a valid timestamp and any `expireTime` lies after it; for `SubmitBracket`, the entry
 * is market or limit, the three client order ids differ, leg prices are positive and ordered
 * (buy entry: take-profit price > stop trigger, and for a limit entry take-profit > entry price >
 * stop trigger; mirrored for a sell entry); `ModifyOrder` changes at least one positive value;
 * `CancelAllOrders.side` is a known side.
 *
 * @returns every problem found; empty if the command is valid.
 */
export function validateCommand(command: TradingCommand): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  checkTimestamp(issues, "tsInit", command.tsInit);
  switch (command.type) {
    case "SubmitOrder":
      issues.push(...validateOrderSpec(command.order, "order"));
      checkExpiryAfter(issues, "order.expireTime", command.order.expireTime, command.tsInit);
      break;
    case "SubmitBracket":
      validateBracket(command, issues);
      break;
    case "CancelOrder":
      break;
    case "ModifyOrder": {
      if (
        command.quantity === undefined &&
        command.price === undefined &&
        command.triggerPrice === undefined
      ) {
        issues.push(issue("quantity", "nothing-to-modify", "give a new quantity, price or triggerPrice"));
      }
      if (command.quantity !== undefined) checkPositive(issues, "quantity", command.quantity);
      if (command.price !== undefined) checkPositive(issues, "price", command.price);
      if (command.triggerPrice !== undefined) checkPositive(issues, "triggerPrice", command.triggerPrice);
      break;
    }
    case "CancelAllOrders":
      if (command.side !== undefined && !ORDER_SIDES.includes(command.side)) {
        issues.push(issue("side", "invalid-side", `must be buy or sell (got ${String(command.side)})`));
      }
      break;
    default:
      return assertNever(command, "command");
  }
  return issues;
}

function validateBracket(command: SubmitBracket, issues: ValidationIssue[]): void {
  const entry = command.entry;
  if (entry.type !== "market" && entry.type !== "limit") {
    issues.push(
      issue(
        "entry.type",
        "bracket-entry-type",
        `bracket entries are market or limit (got ${String((entry as { type: unknown }).type)})`,
      ),
    );
    return;
  }
  issues.push(...validateOrderSpec(entry, "entry"));
  checkExpiryAfter(issues, "entry.expireTime", entry.expireTime, command.tsInit);
  const tpOk = checkPositive(issues, "takeProfit.price", command.takeProfit.price);
  const slOk = checkPositive(issues, "stopLoss.triggerPrice", command.stopLoss.triggerPrice);
  if (command.stopLoss.price !== undefined) checkPositive(issues, "stopLoss.price", command.stopLoss.price);
  if (command.legExpireTime !== undefined && checkTimestamp(issues, "legExpireTime", command.legExpireTime)) {
    checkExpiryAfter(issues, "legExpireTime", command.legExpireTime, command.tsInit);
  }
  const ids = [entry.clientOrderId, command.takeProfit.clientOrderId, command.stopLoss.clientOrderId];
  if (new Set(ids).size !== ids.length) {
    issues.push(
      issue(
        "takeProfit.clientOrderId",
        "duplicate-client-order-id",
        "entry and legs need three different client order ids",
      ),
    );
  }
  if (!tpOk || !slOk) return;
  const tp = command.takeProfit.price;
  const sl = command.stopLoss.triggerPrice;
  const buy = entry.side === "buy";
  if (buy ? !tp.gt(sl) : !tp.lt(sl)) {
    issues.push(
      issue(
        "takeProfit.price",
        "bracket-price-order",
        `for a ${entry.side} entry the take-profit must be ${buy ? "above" : "below"} the stop trigger`,
      ),
    );
  }
  if (entry.type === "limit" && isDecimalValue(entry.price) && entry.price.isFinite()) {
    const p = entry.price;
    if (buy ? !(tp.gt(p) && sl.lt(p)) : !(tp.lt(p) && sl.gt(p))) {
      issues.push(
        issue(
          "entry.price",
          "bracket-price-order",
          buy
            ? "a buy limit entry must lie between the stop trigger and the take-profit"
            : "a sell limit entry must lie between the take-profit and the stop trigger",
        ),
      );
    }
  }
}

/**
 * Throws if `validateCommand` finds a problem.
 * @throws CommandValidationError listing every issue.
 */
export function assertValidCommand(command: TradingCommand): void {
  const issues = validateCommand(command);
  if (issues.length > 0) throw new CommandValidationError(command.type, issues);
}

/** The opposite side. */
export function oppositeSide(side: OrderSide): OrderSide {
  return side === "buy" ? "sell" : "buy";
}

/** +1 for buy, -1 for sell. */
export function sideSign(side: OrderSide): 1 | -1 {
  return side === "buy" ? 1 : -1;
}

/**
 * The full specs of a bracket's two legs: opposite side, entry quantity, reduce-only, `GTC`
 * (or `GTD` at `legExpireTime`), the entry's leverage and margin type. The take-profit is a
 * limit order (not post-only); the stop-loss a stop order, or a stop-limit order when
 * `stopLoss.price` is given. (Leg quantities shrink to the entry's filled quantity while it fills;
 * see `SubmitBracket`.)
 */
export function bracketLegs(command: SubmitBracket): {
  takeProfit: LimitOrderSpec;
  stopLoss: StopOrderSpec | StopLimitOrderSpec;
} {
  const e = command.entry;
  const common = {
    instrumentId: e.instrumentId,
    side: oppositeSide(e.side),
    quantity: e.quantity,
    reduceOnly: true,
    ...(command.legExpireTime === undefined
      ? { timeInForce: "GTC" as const }
      : { timeInForce: "GTD" as const, expireTime: command.legExpireTime }),
    ...(e.leverage === undefined ? {} : { leverage: e.leverage }),
    ...(e.marginType === undefined ? {} : { marginType: e.marginType }),
  };
  const takeProfit: LimitOrderSpec = {
    ...common,
    type: "limit",
    clientOrderId: command.takeProfit.clientOrderId,
    price: command.takeProfit.price,
    postOnly: false,
  };
  const stopLoss: StopOrderSpec | StopLimitOrderSpec =
    command.stopLoss.price === undefined
      ? {
          ...common,
          type: "stop",
          clientOrderId: command.stopLoss.clientOrderId,
          triggerPrice: command.stopLoss.triggerPrice,
        }
      : {
          ...common,
          type: "stop-limit",
          clientOrderId: command.stopLoss.clientOrderId,
          triggerPrice: command.stopLoss.triggerPrice,
          price: command.stopLoss.price,
        };
  return { takeProfit, stopLoss };
}

// ---------------------------------------------------------------------------------------------
// Builders: convenient, validated construction from strings/numbers.
// ---------------------------------------------------------------------------------------------

/** Common input of the order builders; decimals may be strings, numbers or Decimals. */
export interface OrderInputBase {
  /** Client order id. */
  readonly clientOrderId: ClientOrderId;
  /** Instrument. */
  readonly instrumentId: InstrumentId;
  /** Direction. */
  readonly side: OrderSide;
  /** Quantity (> 0). */
  readonly quantity: DecimalLike;
  /** Expiry; giving one makes the order `GTD` unless `timeInForce` says otherwise. */
  readonly expireTime?: UnixMillis;
  /** Reduce-only (default false). */
  readonly reduceOnly?: boolean;
  /** Leverage (derivatives). */
  readonly leverage?: DecimalLike;
  /** Margin type (derivatives). */
  readonly marginType?: MarginType;
}

function parseField(field: string, value: DecimalLike): Decimal {
  try {
    return parseDecimal(value, { field });
  } catch (cause) {
    if (cause instanceof QuantizeError) {
      throw new CommandValidationError(
        "OrderSpec",
        [issue(`order.${field}`, "not-a-decimal", cause.message)],
        { cause },
      );
    }
    throw cause;
  }
}

function finish<T extends OrderSpec>(spec: T): T {
  const issues = validateOrderSpec(spec);
  if (issues.length > 0) throw new CommandValidationError("OrderSpec", issues);
  return spec;
}

function baseFields(input: OrderInputBase, defaultTif: TimeInForce, tif: TimeInForce | undefined) {
  const timeInForce = tif ?? (input.expireTime !== undefined ? "GTD" : defaultTif);
  return {
    clientOrderId: input.clientOrderId,
    instrumentId: input.instrumentId,
    side: input.side,
    quantity: parseField("quantity", input.quantity),
    timeInForce,
    reduceOnly: input.reduceOnly ?? false,
    ...(input.expireTime === undefined ? {} : { expireTime: input.expireTime }),
    ...(input.leverage === undefined ? {} : { leverage: parseField("leverage", input.leverage) }),
    ...(input.marginType === undefined ? {} : { marginType: input.marginType }),
  };
}

/**
 * Builds a validated market order spec (default `IOC`).
 * @throws CommandValidationError listing every problem.
 */
export function marketOrder(
  input: OrderInputBase & { readonly timeInForce?: "IOC" | "FOK" },
): MarketOrderSpec {
  return finish({ type: "market", ...baseFields(input, "IOC", input.timeInForce) });
}

/**
 * Builds a validated limit order spec (default `GTC`, or `GTD` when `expireTime` is given;
 * `postOnly` default false).
 * @throws CommandValidationError listing every problem.
 */
export function limitOrder(
  input: OrderInputBase & {
    readonly price: DecimalLike;
    readonly postOnly?: boolean;
    readonly timeInForce?: TimeInForce;
  },
): LimitOrderSpec {
  return finish({
    type: "limit",
    ...baseFields(input, "GTC", input.timeInForce),
    price: parseField("price", input.price),
    postOnly: input.postOnly ?? false,
  });
}

/**
 * Builds a validated stop-market order spec (default `GTC`, or `GTD` when `expireTime` is given).
 * @throws CommandValidationError listing every problem.
 */
export function stopOrder(
  input: OrderInputBase & { readonly triggerPrice: DecimalLike; readonly timeInForce?: "GTC" | "GTD" },
): StopOrderSpec {
  return finish({
    type: "stop",
    ...baseFields(input, "GTC", input.timeInForce),
    triggerPrice: parseField("triggerPrice", input.triggerPrice),
  });
}

/**
 * Builds a validated stop-limit order spec (default `GTC`, or `GTD` when `expireTime` is given).
 * @throws CommandValidationError listing every problem.
 */
export function stopLimitOrder(
  input: OrderInputBase & {
    readonly price: DecimalLike;
    readonly triggerPrice: DecimalLike;
    readonly timeInForce?: "GTC" | "GTD";
  },
): StopLimitOrderSpec {
  return finish({
    type: "stop-limit",
    ...baseFields(input, "GTC", input.timeInForce),
    price: parseField("price", input.price),
    triggerPrice: parseField("triggerPrice", input.triggerPrice),
  });
}
