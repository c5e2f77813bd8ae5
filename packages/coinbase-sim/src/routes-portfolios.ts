/**
 * Portfolios (`/portfolios`: list, create, rename, delete, breakdown, move funds) and
 * `GET /key_permissions`. Every key belongs to the default portfolio, whose funds are the
 * engines'; created portfolios hold only what `move_funds` put in them.
 */
import { D, type Decimal } from "@gpt/quantize";
import {
  type AccountState,
  accountStateOf,
  DEFAULT_PORTFOLIO_UUID,
  type PortfolioRecord,
  spotFunds,
} from "./account-state.js";
import type { Exchange } from "./exchange.js";
import { invalid, notFound, ok, type Route, type RouteContext, type RouteResult } from "./http-types.js";
import { CFM_EXPIRY_MS } from "./products.js";
import { iso, money } from "./views.js";

const DECIMAL = /^\d+(\.\d+)?$/;
const CURRENCY = /^[A-Z0-9]{1,16}$/;
const TYPES = new Set(["UNDEFINED", "DEFAULT", "CONSUMER", "INTX"]);
const CASH = new Set(["USD", "USDC"]);

const portfolioView = (p: PortfolioRecord) => ({
  name: p.name,
  uuid: p.uuid,
  type: p.type,
  deleted: p.deleted,
});

function listPortfolios(context: RouteContext): RouteResult {
  const type = context.query.get("portfolio_type");
  if (type !== null && type !== "" && !TYPES.has(type))
    return invalid("portfolio_type is not a portfolio type");
  const all = accountStateOf(context.exchange).portfolios.filter((p) => !p.deleted);
  const selected =
    type === null || type === "" || type === "UNDEFINED" ? all : all.filter((p) => p.type === type);
  return ok({ portfolios: selected.map(portfolioView) });
}

function portfolioName(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" && value.length <= 128 ? value : undefined;
}

function nameTaken(state: AccountState, name: string, except?: string): boolean {
  return state.portfolios.some((p) => !p.deleted && p.uuid !== except && p.name === name);
}

function createPortfolio(context: RouteContext): RouteResult {
  const name = portfolioName(context.body.name);
  if (name === undefined) return invalid("name must be 1-128 characters");
  const state = accountStateOf(context.exchange);
  if (nameTaken(state, name)) return invalid("a portfolio with this name already exists");
  const portfolio: PortfolioRecord = {
    uuid: context.exchange.uuid(),
    name,
    type: "CONSUMER",
    deleted: false,
  };
  state.portfolios.push(portfolio);
  return ok({ portfolio: portfolioView(portfolio) });
}

function editPortfolio(context: RouteContext): RouteResult {
  const state = accountStateOf(context.exchange);
  const portfolio = state.portfolio(context.params[0] ?? "");
  if (portfolio === undefined) return notFound("portfolio not found");
  const name = portfolioName(context.body.name);
  if (name === undefined) return invalid("name must be 1-128 characters");
  if (nameTaken(state, name, portfolio.uuid)) return invalid("a portfolio with this name already exists");
  portfolio.name = name;
  return ok({ portfolio: portfolioView(portfolio) });
}

function deletePortfolio(context: RouteContext): RouteResult {
  const state = accountStateOf(context.exchange);
  const portfolio = state.portfolio(context.params[0] ?? "");
  if (portfolio === undefined) return notFound("portfolio not found");
  if (portfolio.type !== "CONSUMER") return invalid(`the ${portfolio.type} portfolio cannot be deleted`);
  if (state.ledgerCurrencies(portfolio.uuid).some((c) => !state.ledgerAmount(portfolio.uuid, c).isZero())) {
    return invalid("the portfolio still holds funds: move them out first");
  }
  portfolio.deleted = true;
  return ok({});
}

/** The USD price of one unit of `currency`, from its `<currency>-USD` market (1 for cash). */
function usdPrice(exchange: Exchange, currency: string, nowMs: number): Decimal {
  if (CASH.has(currency)) return D(1);
  const price = exchange.markets.get(`${currency}-USD`)?.priceAt(nowMs);
  return price === undefined ? D(0) : D(price);
}

interface Holding {
  readonly currency: string;
  readonly free: Decimal;
  readonly hold: Decimal;
}

function holdings(exchange: Exchange, state: AccountState, portfolio: PortfolioRecord): Holding[] {
  if (portfolio.type !== "DEFAULT") {
    return state
      .ledgerCurrencies(portfolio.uuid)
      .map((currency) => ({ currency, free: state.ledgerAmount(portfolio.uuid, currency), hold: D(0) }));
  }
  const currencies = new Set(exchange.spot.accountState().balances.map((b) => b.currency));
  for (const currency of state.ledgerCurrencies(portfolio.uuid)) currencies.add(currency);
  return [...currencies].sort().map((currency) => ({ currency, ...spotFunds(exchange, currency) }));
}

function derivativePositions(exchange: Exchange, kind: "cfm" | "intx", nowMs: number) {
  const snapshot = (kind === "cfm" ? exchange.futures : exchange.intx)?.snapshot();
  if (snapshot === undefined) return [];
  return snapshot.positions
    .filter((p) => !p.position.quantity.isZero())
    .map((p) => ({ p, spec: exchange.products.get(String(p.instrumentId).split(".")[0] ?? "") }))
    .filter(({ spec }) => spec?.kind === kind)
    .map(({ p, spec }) => {
      const contract = D(spec?.contractSize ?? "1");
      const notional = p.position.quantity.abs().times(p.markPrice).times(contract);
      const long = p.position.quantity.gt(0);
      return kind === "cfm"
        ? {
            product_id: spec?.productId ?? "",
            contract_size: contract.toFixed(),
            side: long ? "FUTURES_POSITION_SIDE_LONG" : "FUTURES_POSITION_SIDE_SHORT",
            amount: p.position.quantity.abs().toFixed(),
            avg_entry_price: p.position.avgEntryPrice.toFixed(),
            current_price: p.markPrice.toFixed(),
            unrealized_pnl: p.unrealizedPnl.toFixed(),
            expiry: iso(CFM_EXPIRY_MS),
            underlying_asset: spec?.baseCurrency ?? "",
            asset_img_url: "",
            product_name: spec?.displayName ?? "",
            venue: "FCM",
            notional_value: notional.toFixed(),
            updated_at: iso(nowMs),
          }
        : {
            product_id: spec?.productId ?? "",
            symbol: spec?.productId ?? "",
            asset_name: spec?.baseCurrency ?? "",
            position_side: long ? "FUTURES_POSITION_SIDE_LONG" : "FUTURES_POSITION_SIDE_SHORT",
            net_size: p.position.quantity.abs().toFixed(),
            vwap: {
              userNativeCurrency: money(p.position.avgEntryPrice, "USD"),
              rawCurrency: money(p.position.avgEntryPrice, spec?.quoteCurrency ?? "USDC"),
            },
            mark_price: {
              userNativeCurrency: money(p.markPrice, "USD"),
              rawCurrency: money(p.markPrice, spec?.quoteCurrency ?? "USDC"),
            },
            unrealized_pnl: {
              userNativeCurrency: money(p.unrealizedPnl, "USD"),
              rawCurrency: money(p.unrealizedPnl, spec?.quoteCurrency ?? "USDC"),
            },
            position_notional: {
              userNativeCurrency: money(notional, "USD"),
              rawCurrency: money(notional, spec?.quoteCurrency ?? "USDC"),
            },
            margin_type: "MARGIN_TYPE_CROSS",
          };
    });
}

function breakdown(context: RouteContext): RouteResult {
  const exchange = context.exchange;
  const state = accountStateOf(exchange);
  const portfolio = state.portfolio(context.params[0] ?? "");
  if (portfolio === undefined) return notFound("portfolio not found");
  const currency = context.query.get("currency");
  if (currency !== null && currency !== "" && currency !== "USD")
    return invalid("currency: only USD is supported");
  const spot = holdings(exchange, state, portfolio).filter((h) => !h.free.plus(h.hold).isZero());
  let cash = D(0);
  let crypto = D(0);
  const values = spot.map((h) => {
    const value = h.free.plus(h.hold).times(usdPrice(exchange, h.currency, context.nowMs));
    if (CASH.has(h.currency)) cash = cash.plus(value);
    else crypto = crypto.plus(value);
    return value;
  });
  const total = cash.plus(crypto);
  const spotPositions = spot.map((h, i) => ({
    asset: h.currency,
    account_uuid: "",
    total_balance_fiat: Number(values[i]?.toFixed(2) ?? 0),
    total_balance_crypto: Number(h.free.plus(h.hold).toFixed()),
    available_to_trade_fiat: Number(h.free.times(usdPrice(exchange, h.currency, context.nowMs)).toFixed(2)),
    allocation: total.isZero() ? 0 : Number((values[i] ?? D(0)).div(total).toFixed(6)),
    cost_basis: money(D(0), "USD"),
    asset_img_url: "",
    is_cash: CASH.has(h.currency),
  }));
  const futures = portfolio.type === "DEFAULT" ? derivativePositions(exchange, "cfm", context.nowMs) : [];
  const perps = portfolio.type === "INTX" ? derivativePositions(exchange, "intx", context.nowMs) : [];
  const snapshot = exchange.futures?.snapshot();
  const futuresEquity = portfolio.type === "DEFAULT" && snapshot !== undefined ? snapshot.equity : D(0);
  const perpEquity = portfolio.type === "INTX" ? (exchange.intx?.snapshot().equity ?? D(0)) : D(0);
  const unrealized = (kind: "cfm" | "intx") =>
    (kind === "cfm" ? snapshot : exchange.intx?.snapshot())?.unrealizedPnl ?? D(0);
  return ok({
    breakdown: {
      portfolio: portfolioView(portfolio),
      portfolio_balances: {
        total_balance: money(total.plus(futuresEquity).plus(perpEquity), "USD"),
        total_futures_balance: money(futuresEquity, "USD"),
        total_cash_equivalent_balance: money(cash, "USD"),
        total_crypto_balance: money(crypto, "USD"),
        futures_unrealized_pnl: money(portfolio.type === "DEFAULT" ? unrealized("cfm") : D(0), "USD"),
        perp_unrealized_pnl: money(portfolio.type === "INTX" ? unrealized("intx") : D(0), "USD"),
      },
      spot_positions: spotPositions,
      perp_positions: perps,
      futures_positions: futures,
    },
  });
}

function moveFunds(context: RouteContext): RouteResult {
  const { funds, source_portfolio_uuid: source, target_portfolio_uuid: target } = context.body;
  if (
    typeof funds !== "object" ||
    funds === null ||
    typeof (funds as Record<string, unknown>).value !== "string" ||
    typeof (funds as Record<string, unknown>).currency !== "string"
  ) {
    return invalid("funds {value, currency} is required");
  }
  const value = String((funds as Record<string, unknown>).value);
  const currency = String((funds as Record<string, unknown>).currency);
  if (!DECIMAL.test(value) || D(value).lte(0))
    return invalid("funds.value must be a positive decimal string");
  if (!CURRENCY.test(currency)) return invalid("funds.currency must be a currency code");
  if (typeof source !== "string" || typeof target !== "string") {
    return invalid("source_portfolio_uuid and target_portfolio_uuid are required");
  }
  if (source === target) return invalid("source and target must differ");
  const exchange = context.exchange;
  const state = accountStateOf(exchange);
  const from = state.portfolio(source);
  const to = state.portfolio(target);
  if (from === undefined || to === undefined) return notFound("portfolio not found");
  const available =
    from.uuid === DEFAULT_PORTFOLIO_UUID
      ? spotFunds(exchange, currency).free
      : state.ledgerAmount(from.uuid, currency);
  if (available.lt(D(value))) return invalid("insufficient funds in the source portfolio");
  state.book(from.uuid, currency, D(value).neg());
  state.book(to.uuid, currency, D(value));
  return ok({ source_portfolio_uuid: from.uuid, target_portfolio_uuid: to.uuid });
}

function keyPermissions(_context: RouteContext): RouteResult {
  return ok({
    can_view: true,
    can_trade: true,
    can_transfer: true,
    portfolio_uuid: DEFAULT_PORTFOLIO_UUID,
    portfolio_type: "DEFAULT",
  });
}

const UUID_PATH = "([0-9a-fA-F-]{36})";

/** Portfolios and key permissions. */
export const PORTFOLIO_ROUTES: readonly Route[] = [
  { method: "GET", pattern: /^\/portfolios$/, private: true, handler: listPortfolios },
  { method: "POST", pattern: /^\/portfolios$/, private: true, handler: createPortfolio },
  { method: "POST", pattern: /^\/portfolios\/move_funds$/, private: true, handler: moveFunds },
  { method: "GET", pattern: new RegExp(`^/portfolios/${UUID_PATH}$`), private: true, handler: breakdown },
  { method: "PUT", pattern: new RegExp(`^/portfolios/${UUID_PATH}$`), private: true, handler: editPortfolio },
  {
    method: "DELETE",
    pattern: new RegExp(`^/portfolios/${UUID_PATH}$`),
    private: true,
    handler: deletePortfolio,
  },
  { method: "GET", pattern: /^\/key_permissions$/, private: true, handler: keyPermissions },
];
