import { D, type Decimal } from "@gpt/quantize";
import { accountStateOf, DEFAULT_PORTFOLIO_UUID, spotFunds } from "./account-state.js";
import {
  intParam,
  invalid,
  notFound,
  ok,
  type Route,
  type RouteContext,
  type RouteResult,
} from "./http-types.js";
import { CFM_EXPIRY_MS } from "./products.js";
import { iso, money } from "./views.js";

/** A stable account uuid per currency (the same for every run). */
function accountUuid(currency: string): string {
  const hex = Buffer.from(currency.padEnd(16, "0")).toString("hex").slice(0, 32).padEnd(32, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The spot wallets (engine balances plus transferred funds) and, with futures, the CFM USD account. */
export function accounts(context: RouteContext): Record<string, unknown>[] {
  const exchange = context.exchange;
  const currencies = new Set<string>(
    exchange.spot.accountState().balances.map((balance) => balance.currency),
  );
  for (const spec of exchange.products.values()) {
    if (spec.kind === "spot") {
      currencies.add(spec.baseCurrency);
      currencies.add(spec.quoteCurrency);
    }
  }
  for (const currency of accountStateOf(exchange).ledgerCurrencies(DEFAULT_PORTFOLIO_UUID))
    currencies.add(currency);
  const account = (
    uuid: string,
    name: string,
    currency: string,
    free: Decimal,
    hold: Decimal,
    platform: string,
  ) => ({
    uuid,
    name,
    currency,
    available_balance: money(free, currency),
    default: true,
    active: true,
    created_at: iso(0),
    updated_at: iso(context.nowMs),
    deleted_at: null,
    type: currency === "USD" || currency === "EUR" ? "ACCOUNT_TYPE_FIAT" : "ACCOUNT_TYPE_CRYPTO",
    ready: true,
    hold: money(hold, currency),
    retail_portfolio_id: DEFAULT_PORTFOLIO_UUID,
    platform,
  });
  const list = [...currencies].sort().map((currency) => {
    const funds = spotFunds(exchange, currency);
    return account(
      accountUuid(currency),
      `${currency} Wallet`,
      currency,
      funds.free,
      funds.hold,
      "ACCOUNT_PLATFORM_CONSUMER",
    );
  });
  const futures = exchange.futures?.snapshot();
  if (futures !== undefined) {
    list.push({
      ...account(
        accountUuid("USD-CFM"),
        "USD Futures",
        "USD",
        futures.freeMargin,
        futures.marginUsed,
        "ACCOUNT_PLATFORM_CFM_CONSUMER",
      ),
      default: false,
    });
  }
  return list;
}

function listAccounts(context: RouteContext): RouteResult {
  const limit = intParam(context.query, "limit", 49);
  const offset = intParam(context.query, "cursor", 0);
  if (limit === undefined || offset === undefined) return invalid("limit and cursor must be integers");
  if (limit > 250) return invalid("limit must be at most 250");
  const all = accounts(context);
  const size = limit === 0 ? 49 : limit;
  const page = all.slice(offset, offset + size);
  const hasNext = offset + size < all.length;
  return ok({
    accounts: page,
    has_next: hasNext,
    cursor: hasNext ? String(offset + size) : "",
    size: page.length,
  });
}

function getAccount(context: RouteContext): RouteResult {
  const account = accounts(context).find((a) => a.uuid === context.params[0]);
  if (account === undefined) return notFound("account not found");
  return ok({ account });
}

const usd = (value: Decimal) => money(value, "USD");

function balanceSummary(context: RouteContext): RouteResult {
  const engine = context.exchange.futures;
  if (engine === undefined) return notFound("no futures account");
  const s = engine.snapshot();
  const cash = s.balances.find((b) => b.currency === "USD")?.total ?? D(0);
  const window = (type: string) => ({
    margin_window_type: type,
    margin_level: "MARGIN_LEVEL_TYPE_BASE",
    initial_margin: s.marginUsed.toFixed(),
    maintenance_margin: s.maintenanceMargin.toFixed(),
    liquidation_buffer_percentage: "1000",
    total_hold: "0",
    futures_buying_power: s.freeMargin.toFixed(),
  });
  const buffer = s.equity.minus(s.maintenanceMargin);
  return ok({
    balance_summary: {
      futures_buying_power: usd(s.freeMargin),
      total_usd_balance: usd(s.equity),
      cbi_usd_balance: usd(D(0)),
      cfm_usd_balance: usd(cash),
      total_open_orders_hold_amount: usd(D(0)),
      unrealized_pnl: usd(s.unrealizedPnl),
      daily_realized_pnl: usd(s.realizedPnl),
      initial_margin: usd(s.marginUsed),
      available_margin: usd(s.freeMargin),
      liquidation_threshold: usd(s.maintenanceMargin),
      liquidation_buffer_amount: usd(buffer),
      liquidation_buffer_percentage: s.maintenanceMargin.gt(0)
        ? buffer.div(s.maintenanceMargin).times(100).toFixed(2)
        : "1000",
      intraday_margin_window_measure: window("FCM_MARGIN_WINDOW_TYPE_INTRADAY"),
      overnight_margin_window_measure: window("FCM_MARGIN_WINDOW_TYPE_OVERNIGHT"),
    },
  });
}

function positions(context: RouteContext): Record<string, unknown>[] {
  const engine = context.exchange.futures;
  if (engine === undefined) return [];
  return engine
    .snapshot()
    .positions.filter((p) => !p.position.quantity.isZero())
    .map((p) => {
      const productId = String(p.instrumentId).split(".")[0] ?? "";
      return {
        product_id: productId,
        expiration_time: iso(CFM_EXPIRY_MS),
        side: p.position.quantity.gt(0) ? "LONG" : "SHORT",
        number_of_contracts: p.position.quantity.abs().toFixed(),
        current_price: p.markPrice.toFixed(),
        avg_entry_price: p.position.avgEntryPrice.toFixed(),
        unrealized_pnl: p.unrealizedPnl.toFixed(),
        daily_realized_pnl: p.position.realizedPnl.toFixed(),
      };
    });
}

function listPositions(context: RouteContext): RouteResult {
  return ok({ positions: positions(context) });
}

function getPosition(context: RouteContext): RouteResult {
  const position = positions(context).find((p) => p.product_id === context.params[0]);
  if (position === undefined) return notFound("no open position for this product");
  return ok({ position });
}

function transactionSummary(context: RouteContext): RouteResult {
  let volume = D(0);
  let fees = D(0);
  for (const fill of context.exchange.fills) {
    const spec = context.exchange.products.get(fill.productId);
    volume = volume.plus(fill.price.times(fill.size).times(D(spec?.contractSize ?? "1")));
    fees = fees.plus(fill.commission);
  }
  return ok({
    total_volume: volume.toFixed(),
    total_fees: fees.toFixed(),
    fee_tier: {
      pricing_tier: "Advanced 1",
      usd_from: "0",
      usd_to: "10000",
      taker_fee_rate: "0.006",
      maker_fee_rate: "0.004",
      aop_from: "",
      aop_to: "",
    },
    margin_rate: null,
    goods_and_services_tax: null,
    advanced_trade_only_volume: volume.toFixed(),
    advanced_trade_only_fees: fees.toFixed(),
    coinbase_pro_volume: "0",
    coinbase_pro_fees: "0",
    total_balance: "",
    has_promo_fee: false,
  });
}

/** Accounts, CFM balance summary and positions, and the fee summary. */
export const ACCOUNT_ROUTES: readonly Route[] = [
  { method: "GET", pattern: /^\/accounts$/, private: true, handler: listAccounts },
  { method: "GET", pattern: /^\/accounts\/([A-Za-z0-9-]+)$/, private: true, handler: getAccount },
  { method: "GET", pattern: /^\/cfm\/balance_summary$/, private: true, handler: balanceSummary },
  { method: "GET", pattern: /^\/cfm\/positions$/, private: true, handler: listPositions },
  { method: "GET", pattern: /^\/cfm\/positions\/([A-Za-z0-9-]+)$/, private: true, handler: getPosition },
  { method: "GET", pattern: /^\/transaction_summary$/, private: true, handler: transactionSummary },
];
