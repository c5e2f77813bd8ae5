import { clientOrderId as makeClientOrderId } from "@gpt/core";
import { D } from "@gpt/quantize";
import { type OrderRecord, SIM_STRATEGY, type SimOrderStatus } from "./exchange.js";
import {
  intParam,
  invalid,
  notFound,
  ok,
  type Route,
  type RouteContext,
  type RouteResult,
} from "./http-types.js";
import { placeOrder } from "./order-entry.js";
import { fillView, iso, orderView } from "./views.js";

const DECIMAL = /^\d+(\.\d+)?$/;

function createOrder(context: RouteContext): RouteResult {
  const body = context.body;
  if (typeof body.client_order_id !== "string" || body.client_order_id === "") {
    return invalid("client_order_id is required");
  }
  if (
    typeof body.product_id !== "string" ||
    typeof body.side !== "string" ||
    body.order_configuration === undefined
  ) {
    return invalid("product_id, side and order_configuration are required");
  }
  const outcome = placeOrder(context.exchange, body, context.nowMs);
  if (outcome.ok) {
    const record = outcome.record;
    return ok({
      success: true,
      failure_reason: "UNKNOWN_FAILURE_REASON",
      order_id: record.orderId,
      success_response: {
        order_id: record.orderId,
        product_id: record.productId,
        side: record.side,
        client_order_id: record.clientOrderId,
        ...(record.attachedOrderId === "" ? {} : { attached_order_id: record.attachedOrderId }),
      },
      order_configuration: record.configuration,
    });
  }
  const failure = outcome.failure;
  return ok({
    success: false,
    failure_reason: "UNKNOWN_FAILURE_REASON",
    order_id: "",
    error_response: {
      error: failure.reason,
      message: failure.message,
      error_details: failure.message,
      preview_failure_reason: failure.preview,
      new_order_failure_reason: failure.reason,
    },
    order_configuration: body.order_configuration ?? null,
  });
}

/**
 * `POST /orders/close_position`: a market order against the open futures position (all of it, or
 * `size` contracts), answered like a create; no position is a create-style failure.
 */
function closePosition(context: RouteContext): RouteResult {
  const { client_order_id: clientId, product_id: productId, size } = context.body;
  if (typeof clientId !== "string" || clientId === "" || typeof productId !== "string") {
    return invalid("client_order_id and product_id are required");
  }
  const exchange = context.exchange;
  const spec = exchange.products.get(productId);
  const instrumentId = exchange.instruments.get(productId);
  const position =
    spec === undefined || spec.kind === "spot" || instrumentId === undefined
      ? undefined
      : exchange.engineOf(productId).position(instrumentId);
  const quantity = position?.quantity;
  if (exchange.byClientId.get(clientId) === undefined && (quantity === undefined || quantity.isZero())) {
    return ok({
      success: false,
      failure_reason: "UNKNOWN_FAILURE_REASON",
      order_id: "",
      error_response: {
        error: "INVALID_REQUEST",
        message: "no open position for this product",
        error_details: "no open position for this product",
        new_order_failure_reason: "INVALID_REQUEST",
        preview_failure_reason: "UNKNOWN_PREVIEW_FAILURE_REASON",
      },
      order_configuration: null,
    });
  }
  const baseSize = typeof size === "string" && DECIMAL.test(size) ? size : (quantity?.abs().toFixed() ?? "0");
  return createOrder({
    ...context,
    body: {
      client_order_id: clientId,
      product_id: productId,
      side: quantity?.gt(0) ? "SELL" : "BUY",
      order_configuration: { market_market_ioc: { base_size: baseSize } },
    },
  });
}

const OPEN_STATES = new Set(["PENDING", "OPEN"]);

function cancelOne(context: RouteContext, orderId: unknown): Record<string, unknown> {
  const id = typeof orderId === "string" ? orderId : "";
  const result = (success: boolean, reason: string) => ({ success, failure_reason: reason, order_id: id });
  const record = context.exchange.orders.get(id);
  if (record === undefined) return result(false, "UNKNOWN_CANCEL_ORDER");
  if (record.status === "FILLED") return result(false, "ORDER_IS_FULLY_FILLED");
  if (!OPEN_STATES.has(record.status)) return result(false, "DUPLICATE_CANCEL_REQUEST");
  const engine = context.exchange.engineOf(record.productId);
  const instrumentId = context.exchange.instruments.get(record.productId);
  if (instrumentId === undefined) return result(false, "INVALID_CANCEL_PRODUCT_ID");
  context.exchange.stopWork(record, context.nowMs);
  const outcome = context.exchange.run(() => {
    for (const engineId of record.engineIds) {
      if (engine.order(makeClientOrderId(engineId)) === undefined && record.orderType === "BRACKET") continue;
      if (record.legs !== undefined && !(record.legs.get(engineId)?.gt(0) ?? false)) continue;
      engine.cancelOrder({
        type: "CancelOrder",
        strategyId: SIM_STRATEGY,
        instrumentId,
        clientOrderId: makeClientOrderId(engineId),
        tsInit: context.nowMs,
      });
    }
  });
  // The engine ran synchronously: read the status it left (TypeScript narrowed it above).
  const after: SimOrderStatus = record.status as SimOrderStatus;
  if (after === "CANCELLED") return result(true, "UNKNOWN_CANCEL_FAILURE_REASON");
  if (after === "FILLED") return result(false, "ORDER_IS_FULLY_FILLED");
  return result(
    false,
    outcome.cancelRejected === undefined ? "COMMANDER_REJECTED_CANCEL_ORDER" : "NOT_ALLOWED_TO_CANCEL",
  );
}

function batchCancel(context: RouteContext): RouteResult {
  const ids = context.body.order_ids;
  if (!Array.isArray(ids) || ids.length === 0) return invalid("order_ids is required");
  if (ids.length > 100) return invalid("at most 100 order_ids per request");
  return ok({ results: ids.map((id) => cancelOne(context, id)) });
}

function editFailure(reason: string): RouteResult {
  return ok({
    success: false,
    error_response: {
      error: reason,
      message: reason,
      error_details: reason,
      edit_order_failure_reason: reason,
    },
    errors: [{ edit_failure_reason: reason }],
  });
}

function editOrder(context: RouteContext): RouteResult {
  const { order_id: orderId, price, size } = context.body;
  const record = typeof orderId === "string" ? context.exchange.orders.get(orderId) : undefined;
  if (record === undefined) return editFailure("ORDER_NOT_FOUND");
  if (!OPEN_STATES.has(record.status)) return editFailure("ONLY_OPEN_ORDERS_CAN_BE_EDITED");
  const config = record.configuration.limit_limit_gtc as Record<string, unknown> | undefined;
  if (config === undefined || record.timeInForce !== "GOOD_UNTIL_CANCELLED") {
    return editFailure("ONLY_LIMIT_ORDER_EDITS_SUPPORTED");
  }
  if (record.sizeInQuote) return editFailure("SIZE_IN_QUOTE_EDITS_NOT_ALLOWED");
  if (typeof price !== "string" || !DECIMAL.test(price)) return editFailure("INVALID_EDITED_PRICE");
  if (typeof size !== "string" || !DECIMAL.test(size) || D(size).lte(0))
    return editFailure("INVALID_EDITED_SIZE");
  if (D(size).lt(record.filledSize)) return editFailure("CANNOT_EDIT_TO_BELOW_FILLED_SIZE");
  if (D(size).eq(record.quantity) && D(price).eq(D(String(config.limit_price)))) {
    return editFailure("EDIT_REQUEST_EQUAL_TO_ORIGINAL_REQUEST");
  }
  const instrumentId = context.exchange.instruments.get(record.productId);
  const engineId = record.engineIds[0];
  if (instrumentId === undefined || engineId === undefined) return editFailure("ORDER_NOT_FOUND");
  const outcome = context.exchange.run(() =>
    context.exchange.engineOf(record.productId).modifyOrder({
      type: "ModifyOrder",
      strategyId: SIM_STRATEGY,
      instrumentId,
      clientOrderId: makeClientOrderId(engineId),
      quantity: D(size),
      price: D(price),
      tsInit: context.nowMs,
    }),
  );
  if (outcome.modifyRejected !== undefined) return editFailure("COMMANDER_REJECTED_EDIT_ORDER");
  record.editHistory.push({ price, size, replace_accept_timestamp: iso(context.nowMs) });
  record.quantity = D(size);
  record.configuration = { limit_limit_gtc: { ...config, limit_price: price, base_size: size } };
  return ok({ success: true, success_response: { order_id: record.orderId } });
}

function getOrder(context: RouteContext): RouteResult {
  const record = context.exchange.orders.get(context.params[0] ?? "");
  if (record === undefined) return notFound("order with this orderID was not found");
  return ok({ order: orderView(record, context.exchange.products.get(record.productId)) });
}

function matches(values: readonly string[], value: string): boolean {
  return values.length === 0 || values.includes(value);
}

function listOrders(context: RouteContext): RouteResult {
  const q = context.query;
  const statuses = q.getAll("order_status");
  if (statuses.includes("OPEN") && statuses.length > 1)
    return invalid("OPEN cannot be combined with other statuses");
  const limit = intParam(q, "limit", 100);
  const offset = intParam(q, "cursor", 0);
  if (limit === undefined || offset === undefined) return invalid("limit and cursor must be integers");
  const ids = q.getAll("order_ids");
  const products = q.getAll("product_ids");
  const types = q.getAll("order_types");
  const side = q.get("order_side");
  const productType = q.get("product_type");
  const start = q.get("start_date");
  const end = q.get("end_date");
  const startMs = start === null || statuses.includes("OPEN") ? Number.NEGATIVE_INFINITY : Date.parse(start);
  const endMs = end === null || statuses.includes("OPEN") ? Number.POSITIVE_INFINITY : Date.parse(end);
  const exchange = context.exchange;
  const selected = [...exchange.orderList]
    .reverse()
    .filter(
      (record: OrderRecord) =>
        matches(ids, record.orderId) &&
        matches(products, record.productId) &&
        matches(types, record.orderType) &&
        (statuses.length === 0 || statuses.includes(record.status === "PENDING" ? "OPEN" : record.status)) &&
        (side === null || side === "" || side === record.side) &&
        (productType === null ||
          productType === "" ||
          productType === "UNKNOWN_PRODUCT_TYPE" ||
          (productType === "SPOT") === (exchange.products.get(record.productId)?.kind === "spot")) &&
        record.createdMs >= startMs &&
        record.createdMs <= endMs,
    );
  const size = limit === 0 ? 100 : limit;
  const page = selected.slice(offset, offset + size);
  const hasNext = offset + size < selected.length;
  return ok({
    orders: page.map((record) => orderView(record, exchange.products.get(record.productId))),
    sequence: "0",
    has_next: hasNext,
    cursor: hasNext ? String(offset + size) : "",
  });
}

function listFills(context: RouteContext): RouteResult {
  const q = context.query;
  const limit = intParam(q, "limit", 100);
  const offset = intParam(q, "cursor", 0);
  if (limit === undefined || offset === undefined) return invalid("limit and cursor must be integers");
  const orderIds = q.getAll("order_ids");
  const tradeIds = q.getAll("trade_ids");
  const products = q.getAll("product_ids");
  const start = q.get("start_sequence_timestamp");
  const end = q.get("end_sequence_timestamp");
  const startMs = start === null || start === "" ? Number.NEGATIVE_INFINITY : Date.parse(start);
  const endMs = end === null || end === "" ? Number.POSITIVE_INFINITY : Date.parse(end);
  const selected = [...context.exchange.fills]
    .reverse()
    .filter(
      (fill) =>
        matches(orderIds, fill.orderId) &&
        matches(tradeIds, fill.tradeId) &&
        matches(products, fill.productId) &&
        fill.timeMs >= startMs &&
        fill.timeMs <= endMs,
    );
  const size = limit === 0 ? 100 : limit;
  const page = selected.slice(offset, offset + size);
  const hasNext = offset + size < selected.length;
  // Each fill carries the cursor that resumes after it, as Coinbase's fills do.
  const fills = page.map((fill, i) => ({ ...fillView(fill), cursor: String(offset + i + 1) }));
  return ok({ fills, cursor: hasNext ? String(offset + size) : "" });
}

/** The order routes: create, batch cancel, edit, get, list, fills. */
export const ORDER_ROUTES: readonly Route[] = [
  { method: "POST", pattern: /^\/orders$/, private: true, handler: createOrder },
  { method: "POST", pattern: /^\/orders\/batch_cancel$/, private: true, handler: batchCancel },
  { method: "POST", pattern: /^\/orders\/edit$/, private: true, handler: editOrder },
  { method: "POST", pattern: /^\/orders\/close_position$/, private: true, handler: closePosition },
  { method: "GET", pattern: /^\/orders\/historical\/batch$/, private: true, handler: listOrders },
  { method: "GET", pattern: /^\/orders\/historical\/fills$/, private: true, handler: listFills },
  { method: "GET", pattern: /^\/orders\/historical\/([A-Za-z0-9-]+)$/, private: true, handler: getOrder },
];
