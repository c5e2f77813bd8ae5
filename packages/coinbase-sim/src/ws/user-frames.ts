/**
 * The events of the user-data channels: an order as the `user` channel carries it, the futures
 * positions of its snapshot, and the `futures_balance_summary` (the REST balance summary with
 * plain-string values), all from the exchange's state.
 */
import { D, type Decimal } from "@gpt/quantize";
import type { Exchange, OrderRecord } from "../exchange.js";
import { decimalsOf } from "../market.js";
import type { SimProductSpec } from "../products.js";
import { iso } from "../views.js";

/** Coinbase's "not set" time on the user channel. */
const NO_TIME = "0001-01-01T00:00:00Z";

const plain = (value: Decimal): string => value.toFixed();

function field(configuration: Record<string, unknown>, name: string): string | undefined {
  for (const value of Object.values(configuration)) {
    if (typeof value === "object" && value !== null) {
      const found = (value as Record<string, unknown>)[name];
      if (typeof found === "string") return found;
      if (typeof found === "boolean") return String(found);
    }
  }
  return undefined;
}

/** One order in Coinbase's `user` channel shape (cumulative figures; no per-fill delta). */
export function userOrderView(record: OrderRecord, spec: SimProductSpec | undefined): Record<string, string> {
  const contract = D(spec?.contractSize ?? "1");
  const average = record.filledSize.gt(0) ? record.filledValue.div(record.filledSize).div(contract) : D(0);
  const quoteSize = record.sizeInQuote ? field(record.configuration, "quote_size") : undefined;
  const leaves =
    quoteSize === undefined
      ? record.quantity.minus(record.filledSize)
      : D(quoteSize).minus(record.filledValue);
  const ended = record.status !== "OPEN" && record.status !== "PENDING";
  const completion = record.quantity.gt(0) ? record.filledSize.div(record.quantity).times(100) : D(0);
  const future = spec !== undefined && spec.kind !== "spot";
  const endTime = field(record.configuration, "end_time");
  return {
    order_id: record.orderId,
    client_order_id: record.clientOrderId,
    cumulative_quantity: plain(record.filledSize),
    leaves_quantity: plain(ended || leaves.lt(0) ? D(0) : leaves),
    avg_price: plain(average.toDecimalPlaces(decimalsOf(spec?.priceIncrement ?? "0.01") + 4)),
    total_fees: plain(record.fees),
    filled_value: plain(record.filledValue),
    number_of_fills: String(record.numberOfFills),
    status: record.status,
    product_id: record.productId,
    product_type: future ? "FUTURE" : "SPOT",
    creation_time: iso(record.createdMs),
    order_side: record.side,
    order_type: record.orderType,
    cancel_reason: record.status === "CANCELLED" ? record.cancelMessage : "",
    reject_reason: record.status === "FAILED" ? record.rejectMessage : "",
    total_value_after_fees: plain(
      record.side === "BUY" ? record.filledValue.plus(record.fees) : record.filledValue.minus(record.fees),
    ),
    contract_expiry_type:
      spec?.kind === "cfm"
        ? "EXPIRING"
        : spec?.kind === "intx"
          ? "PERPETUAL"
          : "UNKNOWN_CONTRACT_EXPIRY_TYPE",
    risk_managed_by:
      spec?.kind === "cfm"
        ? "MANAGED_BY_FCM"
        : spec?.kind === "intx"
          ? "MANAGED_BY_VENUE"
          : "UNKNOWN_RISK_MANAGEMENT_TYPE",
    time_in_force: record.timeInForce,
    trigger_status: record.triggerStatus,
    limit_price: field(record.configuration, "limit_price") ?? "0",
    stop_price:
      field(record.configuration, "stop_price") ?? field(record.configuration, "stop_trigger_price") ?? "0",
    post_only: field(record.configuration, "post_only") ?? "false",
    outstanding_hold_amount: "0",
    completion_percentage: completion.toFixed(2),
    retail_portfolio_id: "sim-portfolio",
    start_time: NO_TIME,
    end_time: endTime ?? NO_TIME,
  };
}

/** The `positions` of a `user` snapshot: CFM futures as expiring, INTX perps as perpetual (Coinbase's beta fields). */
export function userPositions(exchange: Exchange): Record<string, unknown> {
  const expiring: Record<string, string>[] = [];
  const perpetual: Record<string, string>[] = [];
  const positions = [exchange.futures, exchange.intx].flatMap((engine) => engine?.snapshot().positions ?? []);
  for (const p of positions) {
    if (p.position.quantity.isZero()) continue;
    const productId = String(p.instrumentId).split(".")[0] ?? "";
    const spec = exchange.products.get(productId);
    const long = p.position.quantity.gt(0);
    if (spec?.kind === "intx") {
      perpetual.push({
        product_id: productId,
        portfolio_uuid: "sim-portfolio",
        vwap: plain(p.position.avgEntryPrice),
        entry_vwap: plain(p.position.avgEntryPrice),
        position_side: long ? "Long" : "Short",
        margin_type: "Cross",
        net_size: plain(p.position.quantity),
        buy_order_size: "0",
        sell_order_size: "0",
        leverage: "1",
        mark_price: plain(p.markPrice),
        liquidation_price: "0",
        im_notional: "0",
        mm_notional: "0",
        position_notional: plain(p.position.quantity.abs().times(p.markPrice)),
        unrealized_pnl: plain(p.unrealizedPnl),
        aggregated_pnl: plain(p.unrealizedPnl.plus(p.position.realizedPnl)),
      });
    } else {
      expiring.push({
        product_id: productId,
        side: long ? "Long" : "Short",
        number_of_contracts: plain(p.position.quantity.abs()),
        realized_pnl: plain(p.position.realizedPnl),
        unrealized_pnl: plain(p.unrealizedPnl),
        entry_price: plain(p.position.avgEntryPrice),
      });
    }
  }
  return { perpetual_futures_positions: perpetual, expiring_futures_positions: expiring };
}

/**
 * The CFM balance summary as `futures_balance_summary` sends it: the fields of the REST
 * `balance_summary` with plain-string values. `undefined` when no futures product is listed.
 */
export function futuresBalanceView(exchange: Exchange): Record<string, unknown> | undefined {
  const engine = exchange.futures;
  if (engine === undefined) return undefined;
  const s = engine.snapshot();
  const cash = s.balances.find((b) => b.currency === "USD")?.total ?? D(0);
  const buffer = s.equity.minus(s.maintenanceMargin);
  const window = (type: string) => ({
    margin_window_type: type,
    margin_level: "MARGIN_LEVEL_TYPE_BASE",
    initial_margin: plain(s.marginUsed),
    maintenance_margin: plain(s.maintenanceMargin),
    liquidation_buffer_percentage: "1000",
    total_hold: "0",
    futures_buying_power: plain(s.freeMargin),
  });
  return {
    futures_buying_power: plain(s.freeMargin),
    total_usd_balance: plain(s.equity),
    cbi_usd_balance: "0",
    cfm_usd_balance: plain(cash),
    total_open_orders_hold_amount: "0",
    unrealized_pnl: plain(s.unrealizedPnl),
    daily_realized_pnl: plain(s.realizedPnl),
    initial_margin: plain(s.marginUsed),
    available_margin: plain(s.freeMargin),
    liquidation_threshold: plain(s.maintenanceMargin),
    liquidation_buffer_amount: plain(buffer),
    liquidation_buffer_percentage: s.maintenanceMargin.gt(0)
      ? buffer.div(s.maintenanceMargin).times(100).toFixed(2)
      : "1000",
    intraday_margin_window_measure: window("FCM_MARGIN_WINDOW_TYPE_INTRADAY"),
    overnight_margin_window_measure: window("FCM_MARGIN_WINDOW_TYPE_OVERNIGHT"),
  };
}
