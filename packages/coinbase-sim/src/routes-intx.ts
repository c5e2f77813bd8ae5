/**
 * The legacy INTX perpetuals surface (`/intx/*`), served only with `intx: true`: the INTX
 * portfolio's margin summary, positions and balances: the figures of the INTX margin engine, whose
 * collateral is USDC.
 */

import type { AccountSnapshot, PositionSnapshot } from "@gpt/paper-engine";
import { D, type Decimal } from "@gpt/quantize";
import { accountStateOf, INTX_PORTFOLIO_UUID } from "./account-state.js";
import type { Exchange } from "./exchange.js";
import { invalid, notFound, ok, type Route, type RouteContext, type RouteResult } from "./http-types.js";

const DECIMAL = /^\d+(\.\d+)?$/;
const usdc = (value: Decimal) => ({ value: value.toFixed(), currency: "USDC" });

/** The INTX portfolio's margin account, or the 404 to answer (no INTX, or another portfolio). */
function intxAccount(context: RouteContext, uuid: string | undefined) {
  const exchange = context.exchange;
  const portfolio = accountStateOf(exchange).portfolio(uuid ?? "");
  const snapshot = exchange.intx?.snapshot();
  if (portfolio === undefined || portfolio.uuid !== INTX_PORTFOLIO_UUID || snapshot === undefined) {
    return { missing: notFound("INTX portfolio not found") } as const;
  }
  return { snapshot } as const;
}

function intxPositions(exchange: Exchange, positions: readonly PositionSnapshot[]) {
  return positions
    .filter((p) => !p.position.quantity.isZero())
    .map((p) => ({ p, spec: exchange.products.get(String(p.instrumentId).split(".")[0] ?? "") }))
    .filter((entry) => entry.spec?.kind === "intx");
}

function summaryOf(snapshot: AccountSnapshot) {
  const buffer = snapshot.equity.minus(snapshot.maintenanceMargin);
  const notional = snapshot.positions.reduce((sum, p) => sum.plus(p.notional), D(0));
  return {
    portfolio_uuid: INTX_PORTFOLIO_UUID,
    collateral: snapshot.equity.minus(snapshot.unrealizedPnl).toFixed(),
    position_notional: notional.toFixed(),
    open_position_notional: notional.toFixed(),
    pending_fees: "0",
    borrow: "0",
    accrued_interest: "0",
    rolling_debt: "0",
    portfolio_initial_margin: "0.1",
    portfolio_im_notional: usdc(snapshot.marginUsed),
    portfolio_maintenance_margin: "0.05",
    portfolio_mm_notional: usdc(snapshot.maintenanceMargin),
    liquidation_percentage: snapshot.maintenanceMargin.gt(0)
      ? buffer.div(snapshot.maintenanceMargin).times(100).toFixed(4)
      : "0",
    liquidation_buffer: buffer.toFixed(),
    margin_type: "MARGIN_TYPE_CROSS",
    margin_flags: "PORTFOLIO_MARGIN_FLAGS_UNSPECIFIED",
    liquidation_status: "PORTFOLIO_LIQUIDATION_STATUS_NOT_LIQUIDATING",
    unrealized_pnl: usdc(snapshot.unrealizedPnl),
    buying_power: usdc(snapshot.freeMargin),
    total_balance: usdc(snapshot.equity),
    max_withdrawal: usdc(snapshot.freeMargin),
  };
}

function portfolioSummary(context: RouteContext): RouteResult {
  const account = intxAccount(context, context.params[0]);
  if (account.missing !== undefined) return account.missing;
  const s = account.snapshot;
  return ok({
    portfolios: [summaryOf(s)],
    summary: {
      unrealized_pnl: usdc(s.unrealizedPnl),
      buying_power: usdc(s.freeMargin),
      total_balance: usdc(s.equity),
      max_withdrawal_amount: usdc(s.freeMargin),
    },
  });
}

function positionView(entry: ReturnType<typeof intxPositions>[number], summary: unknown) {
  const { p, spec } = entry;
  const long = p.position.quantity.gt(0);
  const maintenance = p.maintenanceMargin ?? D(0);
  return {
    product_id: spec?.productId ?? "",
    product_uuid: "",
    symbol: spec?.productId ?? "",
    vwap: usdc(p.position.avgEntryPrice),
    position_side: long ? "POSITION_SIDE_LONG" : "POSITION_SIDE_SHORT",
    net_size: p.position.quantity.abs().toFixed(),
    buy_order_size: "0",
    sell_order_size: "0",
    im_contribution: spec?.marginRate ?? "0.1",
    unrealized_pnl: usdc(p.unrealizedPnl),
    mark_price: usdc(p.markPrice),
    liquidation_price: usdc(p.liquidationPrice ?? D(0)),
    leverage: (p.leverage ?? D(1)).toFixed(),
    im_notional: usdc(p.initialMargin ?? D(0)),
    mm_notional: usdc(maintenance),
    position_notional: usdc(p.notional),
    margin_type: p.marginType === "isolated" ? "MARGIN_TYPE_ISOLATED" : "MARGIN_TYPE_CROSS",
    liquidation_buffer: p.notional.minus(maintenance).toFixed(),
    liquidation_percentage: maintenance.gt(0) ? p.notional.div(maintenance).times(100).toFixed(4) : "0",
    portfolio_summary: summary,
    entry_vwap: usdc(p.position.avgEntryPrice),
  };
}

function listPositions(context: RouteContext): RouteResult {
  const account = intxAccount(context, context.params[0]);
  if (account.missing !== undefined) return account.missing;
  const summary = summaryOf(account.snapshot);
  const entries = intxPositions(context.exchange, account.snapshot.positions);
  return ok({
    positions: entries.map((entry) => positionView(entry, summary)),
    summary: { aggregated_pnl: usdc(entries.reduce((sum, e) => sum.plus(e.p.unrealizedPnl), D(0))) },
    portfolio_summary: summary,
  });
}

function getPosition(context: RouteContext): RouteResult {
  const account = intxAccount(context, context.params[0]);
  if (account.missing !== undefined) return account.missing;
  const entry = intxPositions(context.exchange, account.snapshot.positions).find(
    (e) => e.spec?.productId === context.params[1],
  );
  if (entry === undefined) return notFound("no open position for this symbol");
  return ok({ position: positionView(entry, summaryOf(account.snapshot)) });
}

function balances(context: RouteContext): RouteResult {
  const account = intxAccount(context, context.params[0]);
  if (account.missing !== undefined) return account.missing;
  const s = account.snapshot;
  const cash = s.balances.find((b) => b.currency === "USDC")?.total ?? D(0);
  return ok({
    portfolio_balances: [
      {
        portfolio_uuid: INTX_PORTFOLIO_UUID,
        balances: [
          {
            asset: {
              asset_id: "",
              asset_uuid: "",
              asset_name: "USDC",
              status: "ACTIVE",
              collateral_weight: "1",
              account_collateral_limit: "",
              ecosystem_collateral_limit_breached: false,
              asset_icon_url: "",
              supported_networks_enabled: true,
            },
            quantity: cash.toFixed(),
            hold: s.marginUsed.toFixed(),
            transfer_hold: "0",
            collateral_value: cash.toFixed(),
            collateral_weight: "1",
            max_withdraw_amount: s.freeMargin.toFixed(),
            loan: "0",
            loan_collateral_requirement_usd: "0",
            pledged_quantity: "0",
          },
        ],
        is_margin_limit_reached: s.freeMargin.lte(0),
      },
    ],
  });
}

function multiAssetCollateral(context: RouteContext): RouteResult {
  const { portfolio_uuid: uuid, multi_asset_collateral_enabled: enabled } = context.body;
  if (typeof enabled !== "boolean") return invalid("multi_asset_collateral_enabled must be a boolean");
  const account = intxAccount(context, typeof uuid === "string" ? uuid : undefined);
  if (account.missing !== undefined) return account.missing;
  return ok({ cross_collateral_enabled: enabled });
}

function allocate(context: RouteContext): RouteResult {
  const { portfolio_uuid: uuid, symbol, amount, currency } = context.body;
  const account = intxAccount(context, typeof uuid === "string" ? uuid : undefined);
  if (account.missing !== undefined) return account.missing;
  if (typeof symbol !== "string" || context.exchange.products.get(symbol)?.kind !== "intx") {
    return invalid("symbol is not an INTX perpetual");
  }
  if (typeof amount !== "string" || !DECIMAL.test(amount) || currency !== "USDC") {
    return invalid("amount must be a decimal string in USDC");
  }
  if (D(amount).gt(account.snapshot.freeMargin)) return invalid("amount exceeds the buying power");
  return ok({});
}

const UUID_PATH = "([0-9a-fA-F-]{36})";

/** The INTX routes (answer 404 unless the simulator lists INTX products). */
export const INTX_ROUTES: readonly Route[] = [
  {
    method: "GET",
    pattern: new RegExp(`^/intx/portfolio/${UUID_PATH}$`),
    private: true,
    handler: portfolioSummary,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/intx/positions/${UUID_PATH}$`),
    private: true,
    handler: listPositions,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/intx/positions/${UUID_PATH}/([A-Za-z0-9-]+)$`),
    private: true,
    handler: getPosition,
  },
  { method: "GET", pattern: new RegExp(`^/intx/balances/${UUID_PATH}$`), private: true, handler: balances },
  {
    method: "POST",
    pattern: /^\/intx\/multi_asset_collateral$/,
    private: true,
    handler: multiAssetCollateral,
  },
  { method: "POST", pattern: /^\/intx\/allocate$/, private: true, handler: allocate },
];
