import { type Decimal, parseDecimal, QuantizeError } from "@gpt/quantize";
import { CommandValidationError, describeValue } from "./errors.js";
import type { ClientOrderId, InstrumentId } from "./ids.js";
import type { DecimalLike } from "./instruments.js";
import { validateOrderSpec } from "./order-validation.js";
import type {
  LimitOrderSpec,
  MarginType,
  MarketOrderSpec,
  OrderSide,
  OrderSpec,
  StopLimitOrderSpec,
  StopOrderSpec,
  TimeInForce,
} from "./orders.js";
import type { UnixMillis } from "./time.js";

// Builders: convenient, validated construction from strings, numbers or Decimals. Each throws a
// `CommandValidationError` listing every problem, for any input (untyped callers included).

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
        [{ field: `order.${field}`, code: "not-a-decimal", message: cause.message }],
        { cause },
      );
    }
    throw cause;
  }
}

/** The builders' input must be an object before any field is read. */
function checkInput(input: unknown): void {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new CommandValidationError("OrderSpec", [
      {
        field: "order",
        code: "not-an-object",
        message: `must be an order input object (got ${describeValue(input)})`,
      },
    ]);
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
 * @throws CommandValidationError listing every problem (an empty or malformed `clientOrderId`, an
 *   `instrumentId` that is not `SYMBOL.VENUE`, a bad amount, …), never a `TypeError`.
 */
export function marketOrder(
  input: OrderInputBase & { readonly timeInForce?: "IOC" | "FOK" },
): MarketOrderSpec {
  checkInput(input);
  return finish({ type: "market", ...baseFields(input, "IOC", input.timeInForce) });
}

/**
 * Builds a validated limit order spec (default `GTC`, or `GTD` when `expireTime` is given;
 * `postOnly` default false).
 * @throws CommandValidationError listing every problem (an empty or malformed `clientOrderId`, an
 *   `instrumentId` that is not `SYMBOL.VENUE`, a bad amount, …), never a `TypeError`.
 */
export function limitOrder(
  input: OrderInputBase & {
    readonly price: DecimalLike;
    readonly postOnly?: boolean;
    readonly timeInForce?: TimeInForce;
  },
): LimitOrderSpec {
  checkInput(input);
  return finish({
    type: "limit",
    ...baseFields(input, "GTC", input.timeInForce),
    price: parseField("price", input.price),
    postOnly: input.postOnly ?? false,
  });
}

/**
 * Builds a validated stop-market order spec (default `GTC`, or `GTD` when `expireTime` is given).
 * @throws CommandValidationError listing every problem (an empty or malformed `clientOrderId`, an
 *   `instrumentId` that is not `SYMBOL.VENUE`, a bad amount, …), never a `TypeError`.
 */
export function stopOrder(
  input: OrderInputBase & { readonly triggerPrice: DecimalLike; readonly timeInForce?: "GTC" | "GTD" },
): StopOrderSpec {
  checkInput(input);
  return finish({
    type: "stop",
    ...baseFields(input, "GTC", input.timeInForce),
    triggerPrice: parseField("triggerPrice", input.triggerPrice),
  });
}

/**
 * Builds a validated stop-limit order spec (default `GTC`, or `GTD` when `expireTime` is given).
 * @throws CommandValidationError listing every problem (an empty or malformed `clientOrderId`, an
 *   `instrumentId` that is not `SYMBOL.VENUE`, a bad amount, …), never a `TypeError`.
 */
export function stopLimitOrder(
  input: OrderInputBase & {
    readonly price: DecimalLike;
    readonly triggerPrice: DecimalLike;
    readonly timeInForce?: "GTC" | "GTD";
  },
): StopLimitOrderSpec {
  checkInput(input);
  return finish({
    type: "stop-limit",
    ...baseFields(input, "GTC", input.timeInForce),
    price: parseField("price", input.price),
    triggerPrice: parseField("triggerPrice", input.triggerPrice),
  });
}
