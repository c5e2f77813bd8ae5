/**
 * `twap_limit_gtd`: one limit slice per bucket between `start_time` and `end_time`, each placed
 * when the market clock reaches its bucket and expiring when the bucket ends.
 */
import { D } from "@gpt/quantize";
import type { Exchange, OrderRecord, WorkingOrder } from "./exchange.js";
import { decimal, fail, type PlaceOutcome } from "./order-entry-common.js";
import {
  baseOf,
  checkLeg,
  config,
  faultOf,
  type LegOrderInput,
  type LegPlan,
  limitLeg,
  newRecord,
  TERMINAL,
} from "./order-entry-leg-kit.js";
import type { SimProductSpec } from "./products.js";

/** The most buckets a TWAP order may have (the simulator's own bound). */
const MAX_TWAP_BUCKETS = 1000;

const DURATION = /^(\d+(?:\.\d+)?)s$/;

/** Places a TWAP order: checks the plan, then places the buckets due now and watches the rest. */
export function placeTwap(
  exchange: Exchange,
  spec: SimProductSpec,
  input: LegOrderInput,
  nowMs: number,
): PlaceOutcome {
  const f = input.fields;
  const startMs = typeof f.start_time === "string" ? Date.parse(f.start_time) : Number.NaN;
  const endMs = typeof f.end_time === "string" ? Date.parse(f.end_time) : Number.NaN;
  if (Number.isNaN(startMs))
    return fail("INVALID_REQUEST", "UNKNOWN_PREVIEW_FAILURE_REASON", "start_time is required");
  if (!(endMs > nowMs) || !(endMs > startMs)) {
    return fail(
      "INVALID_REQUEST",
      "PREVIEW_INVALID_END_TIME",
      "end_time must be in the future and after start_time",
    );
  }
  const price = decimal(f.limit_price);
  if (price === undefined || price.lte(0)) {
    return fail(
      "INVALID_LIMIT_PRICE",
      "PREVIEW_INVALID_LIMIT_PRICE",
      "limit_price must be a positive decimal string",
    );
  }
  const n =
    typeof f.number_buckets === "string" && /^\d+$/.test(f.number_buckets) ? Number(f.number_buckets) : 0;
  const duration = typeof f.bucket_duration === "string" ? DURATION.exec(f.bucket_duration) : null;
  const durationMs = duration === null ? 0 : Math.round(Number(duration[1]) * 1000);
  const bucket = decimal(f.bucket_size);
  const base = decimal(f.base_size);
  const quote = decimal(f.quote_size);
  if (n < 1 || n > MAX_TWAP_BUCKETS || durationMs <= 0 || bucket === undefined || bucket.lte(0)) {
    return config(`number_buckets (1 to ${MAX_TWAP_BUCKETS}), bucket_size and bucket_duration are required`);
  }
  if ((base === undefined) === (quote === undefined))
    return config("give exactly one of base_size and quote_size");
  const first = Math.max(startMs, nowMs);
  if (first + (n - 1) * durationMs >= endMs) {
    return config("number_buckets × bucket_duration does not fit between start_time and end_time");
  }
  const total = base ?? quote ?? D(0);
  const last = total.minus(bucket.times(n - 1));
  if (last.lte(0)) return config("bucket_size × (number_buckets − 1) must be below the order size");
  const plans: (LegPlan & { startMs: number })[] = [];
  for (let i = 0; i < n; i++) {
    const amount = i === n - 1 ? last : bucket;
    const quantity = base !== undefined ? amount : baseOf(spec, amount, price);
    const bucketStart = first + i * durationMs;
    const expireMs = i === n - 1 ? endMs : bucketStart + durationMs;
    plans.push({ quantity, price, postOnly: false, expireMs, startMs: bucketStart });
  }
  for (const plan of plans) {
    const bad = checkLeg(spec, plan);
    if (bad !== undefined) return { ok: false, failure: bad };
  }
  const quantity = plans.reduce((sum, plan) => sum.plus(plan.quantity), D(0));
  const faulted = faultOf(exchange, input, quantity, price, nowMs);
  if (faulted !== undefined) return faulted;
  const record = newRecord(
    exchange,
    spec,
    input,
    {
      orderType: "TWAP",
      timeInForce: "GOOD_UNTIL_DATE_TIME",
      quantity,
      sizeInQuote: quote !== undefined,
      triggerStatus: "INVALID_ORDER_TYPE",
    },
    nowMs,
  );
  record.status = "OPEN";
  exchange.register(record);
  const work = twapWork(exchange, record, plans);
  exchange.watch(work);
  work.beforePrint(nowMs);
  exchange.settleLegs(record, nowMs);
  return { ok: true, record, duplicate: false };
}

/** Places each TWAP bucket when the market clock reaches its start. */
function twapWork(
  exchange: Exchange,
  record: OrderRecord,
  plans: readonly (LegPlan & { startMs: number })[],
): WorkingOrder {
  let next = 0;
  return {
    record,
    pending: () => next < plans.length && !TERMINAL.has(record.status),
    stop: () => {
      next = plans.length;
    },
    beforePrint: (timeMs) => {
      while (next < plans.length && !TERMINAL.has(record.status)) {
        const plan = plans[next];
        if (plan === undefined || plan.startMs > timeMs) return;
        next += 1;
        if (plan.startMs > exchange.now) exchange.refreshBook(record.productId, plan.startMs);
        const refused = limitLeg(exchange, record, plan, plan.startMs);
        if (refused !== undefined) record.rejectMessage = refused.message;
      }
    },
    afterPrint: () => {},
  };
}
