/**
 * The pieces the multi-leg order entries share (`order-entry-legs.ts`, `order-entry-twap.ts`): the
 * record of such an order, leg checks, submitting and cancelling engine legs, fault injection.
 */
import {
  type ClientOrderId,
  limitOrder,
  type MarginType,
  clientOrderId as makeClientOrderId,
  type OrderSpec,
} from "@gpt/core";
import { D, type Decimal } from "@gpt/quantize";
import { type Exchange, type OrderRecord, SIM_STRATEGY } from "./exchange.js";
import { applyOrderFaults } from "./faults-rest.js";
import {
  decimal,
  fail,
  failureOf,
  failureOfError,
  type OrderFailure,
  type PlaceOutcome,
} from "./order-entry-common.js";
import type { SimProductSpec } from "./products.js";

/** A create-order request of one of `LEG_CONFIGS`, already checked for product and side. */
export interface LegOrderInput {
  readonly clientId: string;
  readonly productId: string;
  readonly side: "BUY" | "SELL";
  readonly kind: string;
  readonly fields: Record<string, unknown>;
  readonly body: Record<string, unknown>;
}

/** One engine order of a multi-leg order, before it is built. */
export interface LegPlan {
  readonly quantity: Decimal;
  readonly price: Decimal;
  readonly postOnly: boolean;
  readonly expireMs?: number;
}

export const TERMINAL = new Set(["FILLED", "CANCELLED", "EXPIRED", "FAILED"]);

export function newRecord(
  exchange: Exchange,
  spec: SimProductSpec,
  input: LegOrderInput,
  shape: Pick<OrderRecord, "orderType" | "timeInForce" | "quantity" | "sizeInQuote" | "triggerStatus">,
  nowMs: number,
): OrderRecord {
  const isDerivative = spec.kind !== "spot";
  const margin = input.body.margin_type;
  return {
    orderId: exchange.uuid(),
    clientOrderId: input.clientId,
    productId: input.productId,
    side: input.side,
    configuration: { [input.kind]: structuredClone(input.fields) },
    createdMs: nowMs,
    status: "PENDING",
    filledSize: D(0),
    filledValue: D(0),
    fees: D(0),
    numberOfFills: 0,
    lastUpdateMs: nowMs,
    rejectMessage: "",
    cancelMessage: "",
    leverage: isDerivative ? (decimal(input.body.leverage)?.toString() ?? "1") : "",
    marginType: !isDerivative
      ? "UNKNOWN_MARGIN_TYPE"
      : margin === "ISOLATED" || margin === "CROSS"
        ? margin
        : "UNKNOWN_MARGIN_TYPE",
    attachedOrderId: "",
    originatingOrderId: "",
    editHistory: [],
    engineIds: [],
    liveLegs: 0,
    legs: new Map(),
    ...shape,
  };
}

/** Leverage and margin type for the engine legs of a futures order. */
export function derivativeFields(record: OrderRecord): { leverage?: Decimal; marginType?: MarginType } {
  if (record.leverage === "") return {};
  return {
    leverage: D(record.leverage),
    ...(record.marginType === "CROSS"
      ? { marginType: "cross" as const }
      : record.marginType === "ISOLATED"
        ? { marginType: "isolated" as const }
        : {}),
  };
}

/** Checks a leg against the product's increments and minimum before anything is placed. */
export function checkLeg(spec: SimProductSpec, plan: LegPlan): OrderFailure | undefined {
  if (!plan.price.mod(D(spec.priceIncrement)).isZero()) {
    return failureOf(
      "not-on-price-increment",
      `price ${plan.price.toFixed()} is not on ${spec.priceIncrement}`,
    );
  }
  if (!plan.quantity.mod(D(spec.baseIncrement)).isZero()) {
    return failureOf(
      "not-on-size-increment",
      `size ${plan.quantity.toFixed()} is not on ${spec.baseIncrement}`,
    );
  }
  if (plan.quantity.lt(D(spec.baseMinSize))) {
    return failureOf("below-min-size", `size ${plan.quantity.toFixed()} is below ${spec.baseMinSize}`);
  }
  return undefined;
}

/** Submits one engine leg of `record`; the refusal when the engine rejects it at once. */
export function submitLeg(
  exchange: Exchange,
  record: OrderRecord,
  build: (id: ClientOrderId) => OrderSpec,
  quantity: Decimal,
  tsInit: number,
): OrderFailure | undefined {
  const id = makeClientOrderId(exchange.nextEngineId());
  let order: OrderSpec;
  try {
    order = build(id);
  } catch (error) {
    return failureOfError(error);
  }
  exchange.addLeg(record, id, quantity);
  const engine = exchange.engineOf(record.productId);
  const outcome = exchange.run(() =>
    engine.submitOrder({ type: "SubmitOrder", strategyId: SIM_STRATEGY, order, tsInit }),
  );
  return outcome.rejected === undefined
    ? undefined
    : failureOf(outcome.rejected.code, outcome.rejected.reason);
}

export function limitLeg(exchange: Exchange, record: OrderRecord, plan: LegPlan, tsInit: number) {
  const instrumentId = exchange.instruments.get(record.productId);
  if (instrumentId === undefined) {
    return failureOf("UNKNOWN_INSTRUMENT", `no instrument for ${record.productId}`);
  }
  return submitLeg(
    exchange,
    record,
    (id) =>
      limitOrder({
        clientOrderId: id,
        instrumentId,
        side: record.side === "BUY" ? "buy" : "sell",
        quantity: plan.quantity,
        price: plan.price,
        postOnly: plan.postOnly,
        ...(plan.expireMs === undefined
          ? { timeInForce: "GTC" as const }
          : { timeInForce: "GTD" as const, expireTime: plan.expireMs }),
        ...derivativeFields(record),
      }),
    plan.quantity,
    tsInit,
  );
}

/** Cancels the live legs of `record` (used to take back a refused order). */
export function cancelLegs(exchange: Exchange, record: OrderRecord, tsInit: number): void {
  const instrumentId = exchange.instruments.get(record.productId);
  if (instrumentId === undefined) return;
  const engine = exchange.engineOf(record.productId);
  for (const [id, left] of record.legs ?? []) {
    if (left.lte(0)) continue;
    exchange.run(() =>
      engine.cancelOrder({
        type: "CancelOrder",
        strategyId: SIM_STRATEGY,
        instrumentId,
        clientOrderId: makeClientOrderId(id),
        tsInit,
      }),
    );
  }
}

export function faultOf(
  exchange: Exchange,
  input: LegOrderInput,
  quantity: Decimal,
  price: Decimal,
  nowMs: number,
): PlaceOutcome | undefined {
  const faulted = applyOrderFaults(
    exchange,
    {
      productId: input.productId,
      side: input.side,
      configuration: input.kind,
      limitPrice: price,
      postOnly: false,
      quantity,
    },
    nowMs,
  );
  return faulted === undefined ? undefined : { ok: false, failure: faulted };
}

/** Base units of a quote amount at `price`, rounded down to the size step. */
export function baseOf(spec: SimProductSpec, quote: Decimal, price: Decimal): Decimal {
  const step = D(spec.baseIncrement);
  return quote
    .div(price)
    .div(D(spec.contractSize ?? "1"))
    .div(step)
    .floor()
    .times(step);
}

export const config = (message: string): PlaceOutcome =>
  fail("UNSUPPORTED_ORDER_CONFIGURATION", "PREVIEW_INVALID_ORDER_CONFIG", message);
