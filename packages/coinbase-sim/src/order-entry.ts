import {
  type LimitOrderSpec,
  limitOrder,
  type MarginType,
  type MarketOrderSpec,
  clientOrderId as makeClientOrderId,
  marketOrder,
  type OrderSpec,
  stopLimitOrder,
} from "@gpt/core";
import { D } from "@gpt/quantize";
import { type Exchange, type OrderRecord, SIM_STRATEGY } from "./exchange.js";
import { applyOrderFaults } from "./faults-rest.js";
import {
  CONFIGS,
  decimal,
  fail,
  failureOf,
  failureOfError,
  isRecord,
  type PlaceOutcome,
} from "./order-entry-common.js";
import { LEG_CONFIGS, placeLegOrder } from "./order-entry-legs.js";

interface Parsed {
  readonly kind: string;
  readonly fields: Record<string, unknown>;
}

function parseConfiguration(value: unknown): Parsed | undefined {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  const kind = keys[0];
  const fields = kind === undefined ? undefined : value[kind];
  if (keys.length !== 1 || kind === undefined || !isRecord(fields)) return undefined;
  return { kind, fields };
}

/**
 * Places an order from a `POST /orders` body: checks it as Coinbase does (configuration, product,
 * side, sizes, a quote-sized market sell), answers a reused `client_order_id` with the existing
 * order, and submits it to the product's engine. Quote-sized orders are converted to a base size
 * at the current best price, rounded down to the size step.
 */
export function placeOrder(exchange: Exchange, body: Record<string, unknown>, nowMs: number): PlaceOutcome {
  const clientId = typeof body.client_order_id === "string" ? body.client_order_id : "";
  const existing = exchange.byClientId.get(clientId);
  if (existing !== undefined) return { ok: true, record: existing, duplicate: true };
  const productId = typeof body.product_id === "string" ? body.product_id : "";
  const spec = exchange.products.get(productId);
  const instrument = exchange.instruments.get(productId);
  if (spec === undefined || instrument === undefined) {
    return fail("INVALID_PRODUCT_ID", "PREVIEW_INVALID_PRODUCT_ID", "ProductID is invalid");
  }
  if (body.side !== "BUY" && body.side !== "SELL")
    return fail("INVALID_SIDE", "PREVIEW_INVALID_SIDE", "Invalid side");
  const side = body.side;
  const config = parseConfiguration(body.order_configuration);
  if (config === undefined || !CONFIGS.has(config.kind)) {
    return fail(
      "UNSUPPORTED_ORDER_CONFIGURATION",
      "PREVIEW_INVALID_ORDER_CONFIG",
      "Unsupported order configuration",
    );
  }
  if (LEG_CONFIGS.has(config.kind)) {
    return placeLegOrder(
      exchange,
      { clientId, productId, side, kind: config.kind, fields: config.fields, body },
      nowMs,
    );
  }
  const f = config.fields;
  const market = exchange.markets.get(productId);
  const book = market?.book(nowMs);
  const quoteSize = decimal(f.quote_size);
  let baseSize = decimal(f.base_size);
  if (quoteSize !== undefined && baseSize !== undefined) {
    return fail(
      "UNSUPPORTED_ORDER_CONFIGURATION",
      "PREVIEW_INVALID_ORDER_CONFIG",
      "Give base_size or quote_size, not both",
    );
  }
  if (quoteSize !== undefined) {
    if (side === "SELL" && config.kind.startsWith("market_")) {
      return fail(
        "UNSUPPORTED_ORDER_CONFIGURATION",
        "PREVIEW_INVALID_ORDER_CONFIG",
        "rpc error: code = InvalidArgument desc = Market sells must be parameterized in base currency",
      );
    }
    const limit = decimal(f.limit_price);
    const best = side === "BUY" ? book?.asks[0]?.price : book?.bids[0]?.price;
    const price = limit ?? (best === undefined ? undefined : D(best));
    if (price === undefined)
      return fail("INVALID_NO_LIQUIDITY", "PREVIEW_INVALID_NO_LIQUIDITY", "No price for the product");
    const step = D(spec.baseIncrement);
    const units = quoteSize.div(price).div(D(spec.contractSize ?? "1"));
    baseSize = units.div(step).floor().times(step);
    if (baseSize.lte(0))
      return fail(
        "INVALID_SIZE_PRECISION",
        "PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL",
        "quote_size is too small",
      );
  }
  if (baseSize === undefined || baseSize.lte(0)) {
    return fail(
      "INVALID_SIZE_PRECISION",
      "PREVIEW_INVALID_SIZE_PRECISION",
      "base_size must be a positive decimal string",
    );
  }
  const isDerivative = spec.kind !== "spot";
  const leverage = isDerivative ? decimal(body.leverage) : undefined;
  const marginType: MarginType | undefined = !isDerivative
    ? undefined
    : body.margin_type === "ISOLATED"
      ? "isolated"
      : body.margin_type === "CROSS"
        ? "cross"
        : undefined;
  const engineId = makeClientOrderId(exchange.nextEngineId());
  const common = {
    clientOrderId: engineId,
    instrumentId: instrument,
    side: side === "BUY" ? ("buy" as const) : ("sell" as const),
    quantity: baseSize,
    ...(leverage === undefined ? {} : { leverage }),
    ...(marginType === undefined ? {} : { marginType }),
  };
  let order: OrderSpec;
  let orderType: OrderRecord["orderType"];
  let timeInForce: OrderRecord["timeInForce"];
  try {
    const limitPrice = decimal(f.limit_price);
    const endMs = typeof f.end_time === "string" ? Date.parse(f.end_time) : Number.NaN;
    const gtd = config.kind.endsWith("_gtd");
    if (gtd && !(endMs > nowMs))
      return fail("INVALID_REQUEST", "PREVIEW_INVALID_END_TIME", "end_time must be in the future");
    if (config.kind.startsWith("market_")) {
      orderType = "MARKET";
      timeInForce = config.kind === "market_market_fok" ? "FILL_OR_KILL" : "IMMEDIATE_OR_CANCEL";
      order = marketOrder({ ...common, timeInForce: timeInForce === "FILL_OR_KILL" ? "FOK" : "IOC" });
    } else if (limitPrice === undefined) {
      return fail(
        "INVALID_LIMIT_PRICE",
        "PREVIEW_INVALID_LIMIT_PRICE",
        "limit_price must be a positive decimal string",
      );
    } else if (config.kind.startsWith("stop_limit_")) {
      const stopPrice = decimal(f.stop_price);
      if (stopPrice === undefined)
        return fail("INVALID_REQUEST", "PREVIEW_INVALID_STOP_PRICE", "stop_price is required");
      orderType = "STOP_LIMIT";
      timeInForce = gtd ? "GOOD_UNTIL_DATE_TIME" : "GOOD_UNTIL_CANCELLED";
      order = stopLimitOrder({
        ...common,
        price: limitPrice,
        triggerPrice: stopPrice,
        timeInForce: gtd ? "GTD" : "GTC",
        ...(gtd ? { expireTime: endMs } : {}),
      });
    } else {
      orderType = "LIMIT";
      const tif =
        config.kind === "limit_limit_fok"
          ? "FOK"
          : config.kind === "sor_limit_ioc"
            ? "IOC"
            : gtd
              ? "GTD"
              : "GTC";
      timeInForce =
        tif === "FOK"
          ? "FILL_OR_KILL"
          : tif === "IOC"
            ? "IMMEDIATE_OR_CANCEL"
            : tif === "GTD"
              ? "GOOD_UNTIL_DATE_TIME"
              : "GOOD_UNTIL_CANCELLED";
      order = limitOrder({
        ...common,
        price: limitPrice,
        postOnly: f.post_only === true,
        timeInForce: tif,
        ...(gtd ? { expireTime: endMs } : {}),
      });
    }
  } catch (error) {
    return { ok: false, failure: failureOfError(error) };
  }
  const faulted = applyOrderFaults(
    exchange,
    {
      productId,
      side,
      configuration: config.kind,
      limitPrice: decimal(f.limit_price),
      postOnly: f.post_only === true,
      quantity: baseSize,
    },
    nowMs,
  );
  if (faulted !== undefined) return { ok: false, failure: faulted };
  const attached = parseConfiguration(body.attached_order_configuration);
  const record: OrderRecord = {
    orderId: exchange.uuid(),
    clientOrderId: clientId,
    productId,
    side,
    configuration: { [config.kind]: { ...f } },
    orderType,
    timeInForce,
    createdMs: nowMs,
    sizeInQuote: quoteSize !== undefined,
    quantity: baseSize,
    status: "PENDING",
    filledSize: D(0),
    filledValue: D(0),
    fees: D(0),
    numberOfFills: 0,
    lastUpdateMs: nowMs,
    triggerStatus: orderType === "STOP_LIMIT" ? "STOP_PENDING" : "INVALID_ORDER_TYPE",
    rejectMessage: "",
    cancelMessage: "",
    leverage: isDerivative ? (leverage?.toString() ?? "1") : "",
    marginType:
      marginType === "isolated" ? "ISOLATED" : marginType === "cross" ? "CROSS" : "UNKNOWN_MARGIN_TYPE",
    attachedOrderId: "",
    originatingOrderId: "",
    editHistory: [],
    engineIds: [engineId],
    liveLegs: 1,
  };
  if (attached !== undefined) {
    return placeBracket(exchange, record, order, attached, nowMs);
  }
  exchange.register(record);
  const engine = exchange.engineOf(productId);
  const outcome = exchange.run(() =>
    engine.submitOrder({ type: "SubmitOrder", strategyId: SIM_STRATEGY, order, tsInit: nowMs }),
  );
  if (outcome.rejected !== undefined) {
    exchange.unregister(record);
    return { ok: false, failure: failureOf(outcome.rejected.code, outcome.rejected.reason) };
  }
  return { ok: true, record, duplicate: false };
}

/** An entry with `attached_order_configuration: { trigger_bracket_gtc }`: the engine's bracket. */
function placeBracket(
  exchange: Exchange,
  entryRecord: OrderRecord,
  entry: OrderSpec,
  attached: { readonly kind: string; readonly fields: Record<string, unknown> },
  nowMs: number,
): PlaceOutcome {
  const takeProfit = decimal(attached.fields.limit_price);
  const stopTrigger = decimal(attached.fields.stop_trigger_price);
  if (attached.kind !== "trigger_bracket_gtc" || attached.fields.base_size !== undefined) {
    return fail(
      "UNSUPPORTED_ORDER_CONFIGURATION",
      "PREVIEW_INVALID_ORDER_CONFIG",
      "Only trigger_bracket_gtc without a size",
    );
  }
  if (takeProfit === undefined || stopTrigger === undefined) {
    return fail(
      "INVALID_REQUEST",
      "PREVIEW_INVALID_BRACKET_PRICES",
      "limit_price and stop_trigger_price are required",
    );
  }
  if (entry.type !== "market" && entry.type !== "limit") {
    return fail(
      "UNSUPPORTED_ORDER_CONFIGURATION",
      "PREVIEW_INVALID_ORDER_CONFIG",
      "Brackets attach to market or limit entries",
    );
  }
  const tpId = makeClientOrderId(exchange.nextEngineId());
  const slId = makeClientOrderId(exchange.nextEngineId());
  const legs: OrderRecord = {
    ...entryRecord,
    orderId: exchange.uuid(),
    clientOrderId: `${entryRecord.clientOrderId}:attached`,
    side: entryRecord.side === "BUY" ? "SELL" : "BUY",
    configuration: {
      trigger_bracket_gtc: { ...attached.fields, base_size: entryRecord.quantity.toString() },
    },
    orderType: "BRACKET",
    timeInForce: "GOOD_UNTIL_CANCELLED",
    sizeInQuote: false,
    triggerStatus: "STOP_PENDING",
    originatingOrderId: entryRecord.orderId,
    engineIds: [tpId, slId],
    liveLegs: 2,
    editHistory: [],
  };
  entryRecord.attachedOrderId = legs.orderId;
  entryRecord.attachedConfiguration = { trigger_bracket_gtc: { ...attached.fields } };
  exchange.register(entryRecord);
  exchange.register(legs);
  const engine = exchange.engineOf(entryRecord.productId);
  const outcome = exchange.run(() =>
    engine.submitBracket({
      type: "SubmitBracket",
      strategyId: SIM_STRATEGY,
      entry: entry as MarketOrderSpec | LimitOrderSpec,
      takeProfit: { clientOrderId: tpId, price: takeProfit },
      stopLoss: { clientOrderId: slId, triggerPrice: stopTrigger },
      tsInit: nowMs,
    }),
  );
  if (outcome.rejected !== undefined) {
    exchange.unregister(legs);
    exchange.unregister(entryRecord);
    return { ok: false, failure: failureOf(outcome.rejected.code, outcome.rejected.reason) };
  }
  return { ok: true, record: entryRecord, duplicate: false };
}
