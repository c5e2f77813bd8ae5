/**
 * Orders the simulator works itself as several engine orders under one Coinbase order id: the
 * standalone `trigger_bracket_gtc`/`_gtd` (a take-profit limit leg and a stop trigger watched on
 * the replayed prints), `scaled_limit_gtc` (a ladder of GTC limit legs) and `twap_limit_gtd`
 * (one limit slice per bucket, placed on the market clock, in `order-entry-twap.ts`). Every fill
 * comes from the engines.
 */
import { marketOrder } from "@gpt/core";
import { D, type Decimal } from "@gpt/quantize";
import type { Exchange, OrderRecord, WorkingOrder } from "./exchange.js";
import { decimal, fail, isRecord, type PlaceOutcome } from "./order-entry-common.js";
import {
  baseOf,
  cancelLegs,
  checkLeg,
  config,
  derivativeFields,
  faultOf,
  type LegOrderInput,
  type LegPlan,
  limitLeg,
  newRecord,
  submitLeg,
  TERMINAL,
} from "./order-entry-leg-kit.js";
import { placeTwap } from "./order-entry-twap.js";
import type { SimProductSpec } from "./products.js";

/** The configurations this module places. */
export const LEG_CONFIGS = new Set([
  "trigger_bracket_gtc",
  "trigger_bracket_gtd",
  "scaled_limit_gtc",
  "twap_limit_gtd",
]);

/** The most legs a generated scaled order may have (the simulator's own bound). */
const MAX_SCALED_LEGS = 50;

/** Places a standalone bracket, a scaled or a TWAP order. */
export function placeLegOrder(exchange: Exchange, input: LegOrderInput, nowMs: number): PlaceOutcome {
  const spec = exchange.products.get(input.productId);
  if (spec === undefined) {
    return fail("INVALID_PRODUCT_ID", "PREVIEW_INVALID_PRODUCT_ID", "ProductID is invalid");
  }
  if (input.kind === "scaled_limit_gtc") return placeScaled(exchange, spec, input, nowMs);
  if (input.kind === "twap_limit_gtd") return placeTwap(exchange, spec, input, nowMs);
  return placeStandaloneBracket(exchange, spec, input, nowMs);
}

// ---- standalone bracket ----

function placeStandaloneBracket(
  exchange: Exchange,
  spec: SimProductSpec,
  input: LegOrderInput,
  nowMs: number,
): PlaceOutcome {
  const f = input.fields;
  if (f.quote_size !== undefined) {
    return fail(
      "UNSUPPORTED_ORDER_CONFIGURATION",
      "PREVIEW_QUOTE_SIZE_NOT_ALLOWED_FOR_BRACKET",
      "A bracket order is sized in base_size",
    );
  }
  const baseSize = decimal(f.base_size);
  if (baseSize === undefined || baseSize.lte(0)) {
    return fail(
      "INVALID_SIZE_PRECISION",
      "PREVIEW_INVALID_SIZE_PRECISION",
      "base_size must be a positive decimal string",
    );
  }
  const takeProfit = decimal(f.limit_price);
  const stopTrigger = decimal(f.stop_trigger_price);
  if (takeProfit === undefined || stopTrigger === undefined) {
    return fail(
      "INVALID_REQUEST",
      "PREVIEW_INVALID_BRACKET_PRICES",
      "limit_price and stop_trigger_price are required",
    );
  }
  const sell = input.side === "SELL";
  if (sell ? !takeProfit.gt(stopTrigger) : !takeProfit.lt(stopTrigger)) {
    return fail(
      "INVALID_REQUEST",
      "PREVIEW_INVALID_BRACKET_PRICES",
      `limit_price must be ${sell ? "above" : "below"} stop_trigger_price for a ${input.side} bracket`,
    );
  }
  const last = exchange.markets.get(input.productId)?.priceAt(nowMs);
  if (last !== undefined && (sell ? stopTrigger.gte(last) : stopTrigger.lte(last))) {
    return fail(
      "INVALID_REQUEST",
      "PREVIEW_INVALID_BRACKET_STOP_TRIGGER_PRICE",
      `stop_trigger_price must be ${sell ? "below" : "above"} the last price for a ${input.side} bracket`,
    );
  }
  const gtd = input.kind === "trigger_bracket_gtd";
  const endMs = typeof f.end_time === "string" ? Date.parse(f.end_time) : Number.NaN;
  if (gtd && !(endMs > nowMs)) {
    return fail("INVALID_REQUEST", "PREVIEW_INVALID_END_TIME", "end_time must be in the future");
  }
  const plan: LegPlan = {
    quantity: baseSize,
    price: takeProfit,
    postOnly: false,
    ...(gtd ? { expireMs: endMs } : {}),
  };
  const bad = checkLeg(spec, plan);
  if (bad !== undefined) return { ok: false, failure: bad };
  const faulted = faultOf(exchange, input, baseSize, takeProfit, nowMs);
  if (faulted !== undefined) return faulted;
  const record = newRecord(
    exchange,
    spec,
    input,
    {
      orderType: "BRACKET",
      timeInForce: gtd ? "GOOD_UNTIL_DATE_TIME" : "GOOD_UNTIL_CANCELLED",
      quantity: baseSize,
      sizeInQuote: false,
      triggerStatus: "STOP_PENDING",
    },
    nowMs,
  );
  exchange.register(record);
  const refused = limitLeg(exchange, record, plan, nowMs);
  if (refused !== undefined) {
    exchange.unregister(record);
    return { ok: false, failure: refused };
  }
  exchange.watch(bracketWork(exchange, record, stopTrigger, gtd ? endMs : Number.POSITIVE_INFINITY));
  return { ok: true, record, duplicate: false };
}

/**
 * The stop side of a standalone bracket: on a print at or through the trigger (down for a sell,
 * up for a buy) the take-profit leg is cancelled and a market leg closes what is left.
 */
function bracketWork(exchange: Exchange, record: OrderRecord, trigger: Decimal, endMs: number): WorkingOrder {
  let armed = true;
  const sell = record.side === "SELL";
  return {
    record,
    pending: () => armed && !TERMINAL.has(record.status),
    stop: () => {
      armed = false;
    },
    beforePrint: (timeMs) => {
      if (timeMs >= endMs) armed = false;
    },
    afterPrint: (price, timeMs) => {
      if (!armed || TERMINAL.has(record.status)) return;
      if (sell ? trigger.lt(price) : trigger.gt(price)) return;
      record.triggerStatus = "STOP_TRIGGERED";
      cancelLegs(exchange, record, timeMs);
      exchange.refreshBook(record.productId, timeMs);
      const left = record.quantity.minus(record.filledSize);
      const instrumentId = exchange.instruments.get(record.productId);
      if (left.gt(0) && instrumentId !== undefined) {
        const refused = submitLeg(
          exchange,
          record,
          (id) =>
            marketOrder({
              clientOrderId: id,
              instrumentId,
              side: sell ? "sell" : "buy",
              quantity: left,
              timeInForce: "IOC",
              ...derivativeFields(record),
            }),
          left,
          timeMs,
        );
        if (refused !== undefined) record.rejectMessage = refused.message;
      }
      armed = false;
    },
  };
}

// ---- scaled ----

/** Leg weights of a size distribution, lowest price first. */
function weights(distribution: unknown, n: number): number[] | undefined {
  const flat = distribution === undefined || distribution === "FLAT";
  if (flat) return Array.from({ length: n }, () => 1);
  if (distribution === "LINEAR_INCREASING") return Array.from({ length: n }, (_, i) => i + 1);
  if (distribution === "LINEAR_DECREASING") return Array.from({ length: n }, (_, i) => n - i);
  return undefined;
}

/** The legs of a scaled order: the explicit `orders[]`, or the ladder the fields describe. */
function scaledPlans(spec: SimProductSpec, f: Record<string, unknown>): LegPlan[] | PlaceOutcome {
  if (f.size_diff !== undefined || f.size_ratio !== undefined) {
    return config("size_diff and size_ratio are not supported by the simulator");
  }
  if (Array.isArray(f.orders)) {
    const plans: LegPlan[] = [];
    for (const leg of f.orders) {
      const price = isRecord(leg) ? decimal(leg.limit_price) : undefined;
      if (!isRecord(leg) || price === undefined || price.lte(0)) {
        return fail("INVALID_LIMIT_PRICE", "PREVIEW_INVALID_LIMIT_PRICE", "each leg needs a limit_price");
      }
      const base = decimal(leg.base_size);
      const quote = decimal(leg.quote_size);
      if ((base === undefined) === (quote === undefined)) {
        return config("each leg needs exactly one of base_size and quote_size");
      }
      const quantity = base ?? baseOf(spec, quote ?? D(0), price);
      plans.push({ quantity, price, postOnly: leg.post_only === true });
    }
    if (plans.length === 0) return config("orders must hold at least one leg");
    if (plans.length > MAX_SCALED_LEGS) return config(`at most ${MAX_SCALED_LEGS} legs`);
    return plans;
  }
  const n = f.num_orders;
  const min = decimal(f.min_price);
  const max = decimal(f.max_price);
  const base = decimal(f.base_size);
  const quote = decimal(f.quote_size);
  if (typeof n !== "number" || !Number.isInteger(n) || n < 2 || n > MAX_SCALED_LEGS) {
    return config(`num_orders must be an integer from 2 to ${MAX_SCALED_LEGS}`);
  }
  if (min === undefined || max === undefined || !min.lt(max) || min.lte(0)) {
    return fail("INVALID_LIMIT_PRICE", "PREVIEW_INVALID_LIMIT_PRICE", "min_price must be below max_price");
  }
  if ((base === undefined) === (quote === undefined)) {
    return config("give exactly one of base_size and quote_size");
  }
  if (f.price_distribution === "CUSTOM" || f.size_distribution === "CUSTOM") {
    return config("a CUSTOM distribution needs the legs in orders");
  }
  if (f.price_distribution !== undefined && weights(f.price_distribution, n) === undefined) {
    return config("unknown price_distribution");
  }
  const w = weights(f.size_distribution, n);
  if (w === undefined) return config("unknown size_distribution");
  const tick = D(spec.priceIncrement);
  const step = D(spec.baseIncrement);
  const total = w.reduce((sum, x) => sum + x, 0);
  const gap = max.minus(min).div(n - 1);
  const plans: LegPlan[] = [];
  let used = D(0);
  for (let i = 0; i < n; i++) {
    const price = i === n - 1 ? max : min.plus(gap.times(i)).div(tick).floor().times(tick);
    const weight = w[i] ?? 1;
    let quantity: Decimal;
    if (base !== undefined) {
      quantity = i === n - 1 ? base.minus(used) : base.times(weight).div(total).div(step).floor().times(step);
      used = used.plus(quantity);
    } else {
      quantity = baseOf(spec, (quote ?? D(0)).times(weight).div(total), price);
    }
    plans.push({ quantity, price, postOnly: false });
  }
  return plans;
}

function placeScaled(
  exchange: Exchange,
  spec: SimProductSpec,
  input: LegOrderInput,
  nowMs: number,
): PlaceOutcome {
  const plans = scaledPlans(spec, input.fields);
  if (!Array.isArray(plans)) return plans;
  for (const plan of plans) {
    const bad = checkLeg(spec, plan);
    if (bad !== undefined) return { ok: false, failure: bad };
  }
  const quantity = plans.reduce((sum, plan) => sum.plus(plan.quantity), D(0));
  const faulted = faultOf(exchange, input, quantity, plans[0]?.price ?? D(0), nowMs);
  if (faulted !== undefined) return faulted;
  const record = newRecord(
    exchange,
    spec,
    input,
    {
      orderType: "SCALED",
      timeInForce: "GOOD_UNTIL_CANCELLED",
      quantity,
      sizeInQuote: input.fields.quote_size !== undefined,
      triggerStatus: "INVALID_ORDER_TYPE",
    },
    nowMs,
  );
  exchange.register(record);
  for (const [index, plan] of plans.entries()) {
    const refused = limitLeg(exchange, record, plan, nowMs);
    if (refused === undefined) continue;
    if (record.filledSize.gt(0)) {
      // Legs already traded: the order stands with the legs that went in.
      record.rejectMessage = refused.message;
      record.quantity = plans.slice(0, index).reduce((sum, leg) => sum.plus(leg.quantity), D(0));
      exchange.settleLegs(record, nowMs);
      return { ok: true, record, duplicate: false };
    }
    cancelLegs(exchange, record, nowMs);
    exchange.unregister(record);
    return { ok: false, failure: refused };
  }
  return { ok: true, record, duplicate: false };
}
