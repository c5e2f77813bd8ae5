/**
 * `POST /orders/preview` and `POST /orders/edit_preview`: the checks an order or an edit would
 * fail and its totals at the current book, without placing or changing anything.
 */
import { D, type Decimal, isOnIncrement } from "@gpt/quantize";
import { spotFunds } from "./account-state.js";
import type { Exchange } from "./exchange.js";
import { invalid, ok, type Route, type RouteContext, type RouteResult } from "./http-types.js";
import { instrumentOf, type SimProductSpec } from "./products.js";

const DECIMAL = /^\d+(\.\d+)?$/;
const OPEN_STATES = new Set(["PENDING", "OPEN"]);
const CONFIGS = new Set([
  "market_market_ioc",
  "market_market_fok",
  "sor_limit_ioc",
  "limit_limit_gtc",
  "limit_limit_gtd",
  "limit_limit_fok",
  "stop_limit_stop_limit_gtc",
  "stop_limit_stop_limit_gtd",
]);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const decimal = (value: unknown): Decimal | undefined =>
  typeof value === "string" && DECIMAL.test(value) ? D(value) : undefined;

/** Best bid and ask of a product now, and the levels to walk. */
function bookOf(exchange: Exchange, productId: string, nowMs: number) {
  const book = exchange.markets.get(productId)?.book(nowMs);
  return {
    bids: book?.bids ?? [],
    asks: book?.asks ?? [],
    bid: book?.bids[0] === undefined ? undefined : D(book.bids[0].price),
    ask: book?.asks[0] === undefined ? undefined : D(book.asks[0].price),
  };
}

/** The average price of taking `size` from `levels` (the last level's price covers any rest). */
function walk(levels: readonly { price: number; size: number }[], size: Decimal): Decimal | undefined {
  let left = size;
  let cost = D(0);
  let last: Decimal | undefined;
  for (const level of levels) {
    last = D(level.price);
    const take = smaller(left, D(level.size));
    cost = cost.plus(take.times(last));
    left = left.minus(take);
    if (left.lte(0)) break;
  }
  if (last === undefined) return undefined;
  if (left.gt(0)) cost = cost.plus(left.times(last));
  return size.gt(0) ? cost.div(size) : last;
}

function smaller(a: Decimal, b: Decimal): Decimal {
  return a.lt(b) ? a : b;
}

const text = (value: Decimal): string => value.toFixed();

interface Totals {
  readonly size: Decimal;
  readonly price: Decimal;
  readonly notional: Decimal;
  readonly commission: Decimal;
  readonly total: Decimal;
  readonly slippage: Decimal;
}

function totals(
  spec: SimProductSpec,
  side: "BUY" | "SELL",
  size: Decimal,
  price: Decimal,
  taker: boolean,
  reference?: Decimal,
): Totals {
  const instrument = instrumentOf(spec);
  const rate = taker ? instrument.takerFee : instrument.makerFee;
  const notional = size.times(price).times(D(spec.contractSize ?? "1"));
  const commission = notional.times(rate);
  const slippage =
    reference === undefined || reference.isZero() ? D(0) : price.minus(reference).abs().div(reference);
  return {
    size,
    price,
    notional,
    commission,
    total: side === "BUY" ? notional.plus(commission) : notional.minus(commission),
    slippage,
  };
}

/** The funds check of an order of `t` on `spec`: the preview reason when funds fall short. */
function fundsShortfall(
  exchange: Exchange,
  spec: SimProductSpec,
  side: "BUY" | "SELL",
  t: Totals,
  leverage: Decimal,
): string | undefined {
  if (spec.kind === "spot") {
    if (side === "BUY") {
      return spotFunds(exchange, spec.quoteCurrency).free.lt(t.total)
        ? "PREVIEW_INSUFFICIENT_FUND"
        : undefined;
    }
    return spotFunds(exchange, spec.baseCurrency).free.lt(t.size) ? "PREVIEW_INSUFFICIENT_FUND" : undefined;
  }
  const free = exchange.engineOf(spec.productId).snapshot().freeMargin;
  return free.lt(t.notional.div(leverage).plus(t.commission)) ? "PREVIEW_INSUFFICIENT_FUND" : undefined;
}

function previewOrder(context: RouteContext): RouteResult {
  const body = context.body;
  if (
    typeof body.product_id !== "string" ||
    typeof body.side !== "string" ||
    body.order_configuration === undefined
  ) {
    return invalid("product_id, side and order_configuration are required");
  }
  const exchange = context.exchange;
  const errs: string[] = [];
  const empty = (reason: string) =>
    ok({
      order_total: "0",
      commission_total: "0",
      errs: [reason],
      warning: [],
      quote_size: "0",
      base_size: "0",
      best_bid: "0",
      best_ask: "0",
      is_max: false,
      slippage: "0",
    });
  const spec = exchange.products.get(body.product_id);
  if (spec === undefined) return empty("PREVIEW_INVALID_PRODUCT_ID");
  if (body.side !== "BUY" && body.side !== "SELL") return empty("PREVIEW_INVALID_SIDE");
  const side = body.side;
  const configuration = body.order_configuration;
  const keys = isRecord(configuration) ? Object.keys(configuration) : [];
  const fields: unknown =
    isRecord(configuration) && keys.length === 1 && keys[0] !== undefined
      ? configuration[keys[0]]
      : undefined;
  if (keys[0] === undefined || !CONFIGS.has(keys[0]) || !isRecord(fields)) {
    return empty("PREVIEW_INVALID_ORDER_CONFIG");
  }
  const kind = keys[0];
  const book = bookOf(exchange, spec.productId, context.nowMs);
  const best = side === "BUY" ? book.ask : book.bid;
  const quoteSize = decimal(fields.quote_size);
  let baseSize = decimal(fields.base_size);
  const limitPrice = decimal(fields.limit_price);
  const market = kind.startsWith("market_");
  if ((quoteSize === undefined) === (baseSize === undefined)) return empty("PREVIEW_INVALID_ORDER_CONFIG");
  if (quoteSize !== undefined && side === "SELL" && market) return empty("PREVIEW_INVALID_ORDER_CONFIG");
  if (!market && limitPrice === undefined) return empty("PREVIEW_INVALID_LIMIT_PRICE");
  const sizingPrice = limitPrice ?? best;
  if (sizingPrice === undefined) return empty("PREVIEW_INVALID_NO_LIQUIDITY");
  const contract = D(spec.contractSize ?? "1");
  const step = D(spec.baseIncrement);
  if (quoteSize !== undefined)
    baseSize = quoteSize.div(sizingPrice).div(contract).div(step).floor().times(step);
  const size = baseSize ?? D(0);
  if (size.lte(0))
    errs.push(
      quoteSize === undefined ? "PREVIEW_INVALID_SIZE_PRECISION" : "PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL",
    );
  else if (!isOnIncrement(size, step)) errs.push("PREVIEW_INVALID_SIZE_PRECISION");
  else if (size.lt(D(spec.baseMinSize))) errs.push("PREVIEW_INVALID_BASE_SIZE_TOO_SMALL");
  else if (size.gt(D(spec.baseMaxSize))) errs.push("PREVIEW_INVALID_BASE_SIZE_TOO_LARGE");
  if (limitPrice !== undefined && !isOnIncrement(limitPrice, D(spec.priceIncrement))) {
    errs.push("PREVIEW_INVALID_PRICE_PRECISION");
  }
  if (kind.startsWith("stop_limit_") && decimal(fields.stop_price) === undefined)
    errs.push("PREVIEW_INVALID_STOP_PRICE");
  if (kind.endsWith("_gtd")) {
    const end = typeof fields.end_time === "string" ? Date.parse(fields.end_time) : Number.NaN;
    if (!(end > context.nowMs)) errs.push("PREVIEW_INVALID_END_TIME");
  }
  const crosses =
    limitPrice !== undefined &&
    !kind.startsWith("stop_limit_") &&
    (side === "BUY"
      ? book.ask !== undefined && limitPrice.gte(book.ask)
      : book.bid !== undefined && limitPrice.lte(book.bid));
  if (fields.post_only === true && crosses) errs.push("PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY");
  const derivative = spec.kind !== "spot";
  const leverage = derivative ? (decimal(body.leverage) ?? D(1)) : D(1);
  const maxLeverage = D(spec.maxLeverage ?? "1");
  if (derivative && (leverage.lt(1) || leverage.gt(maxLeverage))) errs.push("PREVIEW_INVALID_LEVERAGE");
  const levels = side === "BUY" ? book.asks : book.bids;
  const fillPrice = market ? (walk(levels, size) ?? sizingPrice) : sizingPrice;
  const t = totals(spec, side, size, fillPrice, market || crosses, market ? best : undefined);
  if (errs.length === 0) {
    const short = fundsShortfall(exchange, spec, side, t, leverage);
    if (short !== undefined) errs.push(short);
  }
  const result: Record<string, unknown> = {
    order_total: text(t.total),
    commission_total: text(t.commission),
    errs,
    warning: [],
    quote_size: text(t.notional),
    base_size: text(t.size),
    best_bid: book.bid === undefined ? "0" : text(book.bid),
    best_ask: book.ask === undefined ? "0" : text(book.ask),
    is_max: false,
    slippage: text(t.slippage),
  };
  if (derivative) {
    const snapshot = exchange.engineOf(spec.productId).snapshot();
    const buffer = snapshot.equity.minus(snapshot.maintenanceMargin);
    const maintenance = t.notional.times(D(spec.marginRate ?? "0.1")).div(2);
    Object.assign(result, {
      order_margin_total: text(t.notional.div(leverage)),
      leverage: text(leverage),
      long_leverage: text(leverage),
      short_leverage: text(leverage),
      max_leverage: text(maxLeverage),
      current_liquidation_buffer: text(buffer),
      projected_liquidation_buffer: text(buffer.minus(maintenance).minus(t.commission)),
    });
  }
  if (errs.length === 0) {
    result.preview_id = exchange.uuid();
  }
  return ok(result);
}

function editPreview(context: RouteContext): RouteResult {
  const { order_id: orderId, price, size } = context.body;
  if (typeof orderId !== "string" || orderId === "") return invalid("order_id is required");
  const exchange = context.exchange;
  const record = exchange.orders.get(orderId);
  const spec = record === undefined ? undefined : exchange.products.get(record.productId);
  const book = bookOf(exchange, record?.productId ?? "", context.nowMs);
  const failures: { edit_failure_reason: string; preview_failure_reason?: string }[] = [];
  const fail = (reason: string, preview?: string) =>
    failures.push(
      preview === undefined
        ? { edit_failure_reason: reason }
        : { edit_failure_reason: reason, preview_failure_reason: preview },
    );
  const newPrice = decimal(price);
  const newSize = decimal(size);
  const config = record?.configuration.limit_limit_gtc as Record<string, unknown> | undefined;
  if (record === undefined || spec === undefined) fail("ORDER_NOT_FOUND");
  else if (!OPEN_STATES.has(record.status)) fail("ONLY_OPEN_ORDERS_CAN_BE_EDITED");
  else if (config === undefined || record.timeInForce !== "GOOD_UNTIL_CANCELLED")
    fail("ONLY_LIMIT_ORDER_EDITS_SUPPORTED");
  else if (record.sizeInQuote) fail("SIZE_IN_QUOTE_EDITS_NOT_ALLOWED");
  else if (newPrice === undefined || newPrice.lte(0)) fail("INVALID_EDITED_PRICE");
  else if (!isOnIncrement(newPrice, D(spec.priceIncrement)))
    fail("INVALID_EDITED_PRICE", "PREVIEW_INVALID_PRICE_PRECISION");
  else if (newSize === undefined || newSize.lte(0)) fail("INVALID_EDITED_SIZE");
  else if (!isOnIncrement(newSize, D(spec.baseIncrement)))
    fail("INVALID_EDITED_SIZE", "PREVIEW_INVALID_SIZE_PRECISION");
  else if (newSize.lt(record.filledSize)) fail("CANNOT_EDIT_TO_BELOW_FILLED_SIZE");
  else if (newSize.eq(record.quantity) && newPrice.eq(D(String(config.limit_price)))) {
    fail("EDIT_REQUEST_EQUAL_TO_ORIGINAL_REQUEST");
  }
  const result: Record<string, unknown> = {
    errors: failures,
    slippage: "0",
    order_total: "0",
    commission_total: "0",
    quote_size: "0",
    base_size: "0",
    best_bid: book.bid === undefined ? "0" : text(book.bid),
    best_ask: book.ask === undefined ? "0" : text(book.ask),
    average_filled_price: "0",
  };
  if (record !== undefined && spec !== undefined) {
    const average = record.filledSize.gt(0)
      ? record.filledValue.div(record.filledSize).div(D(spec.contractSize ?? "1"))
      : D(0);
    result.average_filled_price = text(average);
    if (failures.length === 0 && newPrice !== undefined && newSize !== undefined) {
      const t = totals(spec, record.side, newSize, newPrice, false);
      const extra = totals(spec, record.side, newSize.minus(record.quantity), newPrice, false);
      if (newSize.gt(record.quantity)) {
        const short = fundsShortfall(
          exchange,
          spec,
          record.side,
          extra,
          D(record.leverage === "" ? "1" : record.leverage),
        );
        if (short !== undefined) fail("COMMANDER_REJECTED_EDIT_ORDER", short);
      }
      Object.assign(result, {
        order_total: text(t.total),
        commission_total: text(t.commission),
        quote_size: text(t.notional),
        base_size: text(t.size),
      });
    }
  }
  return ok(result);
}

/** The preview routes. */
export const PREVIEW_ROUTES: readonly Route[] = [
  { method: "POST", pattern: /^\/orders\/preview$/, private: true, handler: previewOrder },
  { method: "POST", pattern: /^\/orders\/edit_preview$/, private: true, handler: editPreview },
];
