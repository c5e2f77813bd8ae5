import { type Analysis, analyze } from "./checks/analysis.js";
import {
  liquidationDistanceOf,
  maxLeverageOf,
  maxOpenOrdersOf,
  maxOrderNotionalOf,
  maxPositionNotionalOf,
  minOrderSizeOf,
  orderRateOf,
  priceBandOf,
  reduceOnlyOf,
  sideExposureOf,
  staleMarketDataOf,
  tradingHaltedOf,
} from "./checks/checks.js";
import { orderIncrementsOf } from "./checks/increments.js";
import type { RiskConfig } from "./config.js";
import type {
  OrderContext,
  PortfolioSnapshot,
  PreTradeCheckName,
  RiskDecision,
  RiskDenied,
} from "./types.js";

type Runner = (a: Analysis, config: RiskConfig) => RiskDecision;

const RUNNERS: Readonly<Record<PreTradeCheckName, Runner>> = {
  "trading-halted": (a) => tradingHaltedOf(a),
  "reduce-only": (a, c) => reduceOnlyOf(a, c),
  "stale-market-data": (a, c) => staleMarketDataOf(a, c),
  "order-increments": (a) => orderIncrementsOf(a),
  "min-order-size": (a) => minOrderSizeOf(a),
  "price-band": (a, c) => priceBandOf(a, c),
  "max-order-notional": (a, c) => maxOrderNotionalOf(a, c),
  "max-open-orders": (a, c) => maxOpenOrdersOf(a, c),
  "order-rate": (a, c) => orderRateOf(a, c),
  "max-position-notional": (a, c) => maxPositionNotionalOf(a, c),
  "max-leverage": (a, c) => maxLeverageOf(a, c),
  "side-exposure": (a, c) => sideExposureOf(a, c),
  "liquidation-distance": (a, c) => liquidationDistanceOf(a, c),
};

/**
 * The order in which `runPreTradeChecks` runs the checks: the state gates first (cheapest, and
 * they explain the most), then market data, then the order on its own, then the order's effect
 * on the portfolio.
 */
export const PRE_TRADE_CHECK_ORDER: readonly PreTradeCheckName[] = [
  "trading-halted",
  "reduce-only",
  "stale-market-data",
  "order-increments",
  "min-order-size",
  "price-band",
  "max-order-notional",
  "max-open-orders",
  "order-rate",
  "max-position-notional",
  "max-leverage",
  "side-exposure",
  "liquidation-distance",
];

/**
 * Runs every pre-trade check in `PRE_TRADE_CHECK_ORDER` and returns the first denial, or
 * `approved` if none denies. The input is validated once (bad amounts throw `RiskError`).
 *
 * @example
 * const decision = runPreTradeChecks({ order, instrument, market, now, tradingState }, portfolio, config);
 * if (decision.kind === "denied") log(decision.reason, decision.details);
 */
export function runPreTradeChecks(
  context: OrderContext,
  portfolio: PortfolioSnapshot,
  config: RiskConfig,
): RiskDecision {
  const a = analyze({ ...context, portfolio });
  for (const name of PRE_TRADE_CHECK_ORDER) {
    const decision = RUNNERS[name](a, config);
    if (decision.kind === "denied") return decision;
  }
  return { kind: "approved" };
}

/**
 * Runs every pre-trade check and returns all denials, in `PRE_TRADE_CHECK_ORDER` (empty when the
 * order is approved). Useful for reports and dashboards; order paths use `runPreTradeChecks`.
 */
export function collectPreTradeDenials(
  context: OrderContext,
  portfolio: PortfolioSnapshot,
  config: RiskConfig,
): readonly RiskDenied[] {
  const a = analyze({ ...context, portfolio });
  const denials: RiskDenied[] = [];
  for (const name of PRE_TRADE_CHECK_ORDER) {
    const decision = RUNNERS[name](a, config);
    if (decision.kind === "denied") denials.push(decision);
  }
  return denials;
}
