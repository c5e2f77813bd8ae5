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

/** The fields every builder reads. */
const BASE_FIELDS = [
  "clientOrderId",
  "instrumentId",
  "side",
  "quantity",
  "expireTime",
  "reduceOnly",
  "leverage",
  "marginType",
  "timeInForce",
] as const;

/**
 * The builders' input must be an object before any field is read; each of `fields` is then read
 * once into a plain copy, so a getter or Proxy trap that throws becomes a `CommandValidationError`
 * naming the field (the thrown error kept as `cause`), and the checks never read the caller's
 * object again.
 */
function readInput<T>(input: T, extra: readonly string[] = []): T {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new CommandValidationError("OrderSpec", [
      {
        field: "order",
        code: "not-an-object",
        message: `must be an order input object (got ${describeValue(input)})`,
      },
    ]);
  }
  const copy: Record<string, unknown> = {};
  for (const field of [...BASE_FIELDS, ...extra]) {
    try {
      copy[field] = (input as Record<string, unknown>)[field];
    } catch (cause) {
      throw new CommandValidationError(
        "OrderSpec",
        [{ field: `order.${field}`, code: "unreadable", message: "could not be read (reading it threw)" }],
        { cause },
      );
    }
  }
  return copy as T;
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
export function marketOrder(raw: OrderInputBase & { readonly timeInForce?: "IOC" | "FOK" }): MarketOrderSpec {
  const input = readInput(raw);
  return finish({ type: "market", ...baseFields(input, "IOC", input.timeInForce) });
}

/**
 * Builds a validated limit order spec (default `GTC`, or `GTD` when `expireTime` is given;
 * `postOnly` default false).
 * @throws CommandValidationError listing every problem (an empty or malformed `clientOrderId`, an
 *   `instrumentId` that is not `SYMBOL.VENUE`, a bad amount, …), never a `TypeError`.
 */
export function limitOrder(
  raw: OrderInputBase & {
    readonly price: DecimalLike;
    readonly postOnly?: boolean;
    readonly timeInForce?: TimeInForce;
  },
): LimitOrderSpec {
  const input = readInput(raw, ["price", "postOnly"]);
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
  raw: OrderInputBase & { readonly triggerPrice: DecimalLike; readonly timeInForce?: "GTC" | "GTD" },
): StopOrderSpec {
  const input = readInput(raw, ["triggerPrice"]);
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
  raw: OrderInputBase & {
    readonly price: DecimalLike;
    readonly triggerPrice: DecimalLike;
    readonly timeInForce?: "GTC" | "GTD";
  },
): StopLimitOrderSpec {
  const input = readInput(raw, ["price", "triggerPrice"]);
  return finish({
    type: "stop-limit",
    ...baseFields(input, "GTC", input.timeInForce),
    price: parseField("price", input.price),
    triggerPrice: parseField("triggerPrice", input.triggerPrice),
  });
}
