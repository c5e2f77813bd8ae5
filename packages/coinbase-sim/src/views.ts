import { D, type Decimal } from "@gpt/quantize";
import { DEFAULT_PORTFOLIO_UUID } from "./account-state.js";
import type { SimBar } from "./bars.js";
import type { FillRecord, OrderRecord } from "./exchange.js";
import { decimalsOf, type ProductMarket } from "./market.js";
import { CFM_EXPIRY_MS, FUNDING_INTERVAL_MS, type SimProductSpec } from "./products.js";

/** RFC 3339 in UTC with milliseconds. */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** A price as Coinbase prints it: on the product's tick. */
export function priceString(spec: SimProductSpec, price: number): string {
  return price.toFixed(decimalsOf(spec.priceIncrement));
}

const plain = (value: Decimal): string => value.toFixed();

/** The `Product` object of `GET /products/{id}` at `nowMs`. */
export function productView(
  market: ProductMarket,
  nowMs: number,
  fundingRate: string,
): Record<string, unknown> {
  const spec = market.spec;
  const price = market.priceAt(nowMs);
  const priceText = price === undefined ? "" : priceString(spec, price);
  const day = market
    .completedBars(nowMs)
    .slice(-Math.max(1, Math.round(86_400 / market.series.intervalSeconds)));
  const volume = day.reduce((sum, bar) => sum + bar.volume, 0);
  const firstOpen = day[0]?.open;
  const change =
    firstOpen === undefined || price === undefined
      ? "0"
      : (((price - firstOpen) / firstOpen) * 100).toString();
  const book = market.book(nowMs);
  const isFuture = spec.kind !== "spot";
  const product: Record<string, unknown> = {
    product_id: spec.productId,
    price: priceText,
    price_percentage_change_24h: change,
    volume_24h: volume.toFixed(8),
    volume_percentage_change_24h: "0",
    base_increment: spec.baseIncrement,
    quote_increment: spec.quoteIncrement,
    quote_min_size: spec.quoteMinSize,
    quote_max_size: spec.quoteMaxSize,
    base_min_size: spec.baseMinSize,
    base_max_size: spec.baseMaxSize,
    base_name: spec.baseName,
    quote_name: spec.quoteName,
    watched: false,
    is_disabled: false,
    new: false,
    status: isFuture ? "" : "online",
    cancel_only: false,
    limit_only: false,
    post_only: false,
    trading_disabled: false,
    auction_mode: false,
    product_type: isFuture ? "FUTURE" : "SPOT",
    quote_currency_id: spec.quoteCurrency,
    base_currency_id: isFuture ? "" : spec.baseCurrency,
    fcm_trading_session_details: spec.kind === "cfm" ? sessionView(nowMs) : null,
    mid_market_price: isFuture ? priceText : "",
    alias: "",
    alias_to: [],
    base_display_symbol: isFuture ? "" : spec.baseCurrency,
    quote_display_symbol: spec.quoteCurrency,
    view_only: false,
    price_increment: spec.priceIncrement,
    display_name: spec.displayName,
    product_venue: spec.kind === "spot" ? "CBE" : spec.kind === "cfm" ? "FCM" : "INTX",
    approximate_quote_24h_volume: (volume * (price ?? 0)).toFixed(2),
    new_at: null,
    market_cap: "",
    best_bid_price: book?.bids[0] === undefined ? "" : priceString(spec, book.bids[0].price),
    best_ask_price: book?.asks[0] === undefined ? "" : priceString(spec, book.asks[0].price),
  };
  if (isFuture) product.future_product_details = futureDetails(spec, nowMs, priceText, fundingRate);
  return product;
}

function sessionView(nowMs: number): Record<string, unknown> {
  const dayStart = Math.floor(nowMs / 86_400_000) * 86_400_000;
  return {
    is_session_open: true,
    open_time: iso(dayStart - 3 * 3_600_000),
    close_time: iso(dayStart + 21 * 3_600_000),
    session_state: "FCM_TRADING_SESSION_STATE_OPEN",
    after_hours_order_entry_disabled: false,
    closed_reason: "FCM_TRADING_SESSION_CLOSED_REASON_UNDEFINED",
    maintenance: {
      start_time: iso(dayStart + 7 * 86_400_000),
      end_time: iso(dayStart + 7 * 86_400_000 + 3 * 3_600_000),
    },
  };
}

function futureDetails(
  spec: SimProductSpec,
  nowMs: number,
  price: string,
  fundingRate: string,
): Record<string, unknown> {
  const nextFunding = Math.ceil((nowMs + 1) / FUNDING_INTERVAL_MS) * FUNDING_INTERVAL_MS;
  const cfm = spec.kind === "cfm";
  const margin = spec.marginRate ?? "0.1";
  return {
    venue: cfm ? "cde" : "",
    contract_code: spec.contractCode ?? "",
    contract_expiry: cfm ? iso(CFM_EXPIRY_MS) : null,
    contract_size: spec.contractSize ?? "1",
    contract_root_unit: spec.baseCurrency,
    group_description: cfm ? `nano ${spec.baseCurrency} Perp Futures` : "",
    contract_expiry_timezone: cfm ? "Europe/London" : "",
    group_short_description: cfm ? `nano ${spec.baseCurrency} Perp` : "",
    risk_managed_by: cfm ? "MANAGED_BY_FCM" : "MANAGED_BY_VENUE",
    contract_expiry_type: cfm ? "EXPIRING" : "PERPETUAL",
    perpetual_details: {
      open_interest: "0",
      funding_rate: cfm ? "" : fundingRate,
      funding_time: cfm ? null : iso(nextFunding),
      max_leverage: cfm ? "" : (spec.maxLeverage ?? "10"),
      base_asset_uuid: "",
      underlying_type: "",
    },
    contract_display_name: spec.displayName,
    time_to_expiry_ms: cfm ? String(CFM_EXPIRY_MS - nowMs) : "",
    non_crypto: false,
    contract_expiry_name: cfm ? "2030-12" : "",
    twenty_four_by_seven: true,
    funding_interval: "3600s",
    open_interest: "0",
    funding_rate: fundingRate,
    funding_time: iso(nextFunding),
    display_name: spec.displayName,
    intraday_margin_rate: { long_margin_rate: margin, short_margin_rate: margin },
    overnight_margin_rate: { long_margin_rate: margin, short_margin_rate: margin },
    settlement_price: price,
    futures_asset_type: "FUTURES_ASSET_TYPE_CRYPTO",
    index_price: price,
  };
}

/** A candle, Coinbase style (all strings, `start` in Unix seconds). */
export function candleView(spec: SimProductSpec, bar: SimBar): Record<string, string> {
  return {
    start: String(bar.time),
    low: priceString(spec, bar.low),
    high: priceString(spec, bar.high),
    open: priceString(spec, bar.open),
    close: priceString(spec, bar.close),
    volume: bar.volume.toString(),
  };
}

/** The `Order` object of `GET /orders/historical/{id}`. */
export function orderView(record: OrderRecord, spec: SimProductSpec | undefined): Record<string, unknown> {
  const average = record.filledSize.gt(0)
    ? record.filledValue.div(record.filledSize).div(D(spec?.contractSize ?? "1"))
    : D(0);
  const completion = record.quantity.gt(0) ? record.filledSize.div(record.quantity).times(100) : D(0);
  return {
    order_id: record.orderId,
    product_id: record.productId,
    user_id: "sim-user",
    order_configuration: record.configuration,
    side: record.side,
    client_order_id: record.clientOrderId,
    status: record.status,
    time_in_force: record.timeInForce,
    created_time: iso(record.createdMs),
    completion_percentage: completion.toFixed(2),
    filled_size: plain(record.filledSize),
    average_filled_price: plain(average.toDecimalPlaces(decimalsOf(spec?.priceIncrement ?? "0.01") + 4)),
    fee: "",
    number_of_fills: String(record.numberOfFills),
    filled_value: plain(record.filledValue),
    pending_cancel: false,
    size_in_quote: record.sizeInQuote,
    total_fees: plain(record.fees),
    size_inclusive_of_fees: false,
    total_value_after_fees: plain(
      record.side === "BUY" ? record.filledValue.plus(record.fees) : record.filledValue.minus(record.fees),
    ),
    trigger_status: record.triggerStatus,
    order_type: record.orderType,
    reject_reason: "REJECT_REASON_UNSPECIFIED",
    settled: record.status === "FILLED",
    product_type: spec?.kind === "spot" ? "SPOT" : "FUTURE",
    reject_message: record.rejectMessage,
    cancel_message: record.cancelMessage,
    order_placement_source: "RETAIL_ADVANCED",
    outstanding_hold_amount: "0",
    is_liquidation: false,
    last_fill_time: record.lastFillMs === undefined ? null : iso(record.lastFillMs),
    edit_history: record.editHistory,
    leverage: record.leverage,
    margin_type: record.marginType,
    retail_portfolio_id: DEFAULT_PORTFOLIO_UUID,
    originating_order_id: record.originatingOrderId,
    attached_order_id: record.attachedOrderId,
    attached_order_configuration: record.attachedConfiguration ?? null,
    last_update_time: iso(record.lastUpdateMs),
  };
}

/** The `Fill` object of `GET /orders/historical/fills`. */
export function fillView(fill: FillRecord): Record<string, unknown> {
  return {
    entry_id: fill.entryId,
    trade_id: fill.tradeId,
    order_id: fill.orderId,
    trade_time: iso(fill.timeMs),
    trade_type: "FILL",
    price: plain(fill.price),
    size: plain(fill.size),
    commission: plain(fill.commission),
    product_id: fill.productId,
    sequence_timestamp: iso(fill.timeMs),
    liquidity_indicator: fill.liquidity,
    size_in_quote: false,
    user_id: "sim-user",
    side: fill.side,
    retail_portfolio_id: DEFAULT_PORTFOLIO_UUID,
  };
}

/** A `{value, currency}` money object. */
export const money = (value: Decimal, currency: string): { value: string; currency: string } => ({
  value: plain(value),
  currency,
});
