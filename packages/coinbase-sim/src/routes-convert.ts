/**
 * Convert (`/convert/quote`, `/convert/trade/{id}`) between USD and USDC at 1:1 with no fee, and
 * the payment methods (`/payment_methods`). A committed convert moves the funds in the default
 * portfolio's ledger (see account-state.ts).
 */
import { D, type Decimal } from "@gpt/quantize";
import { accountStateOf, type ConvertRecord, DEFAULT_PORTFOLIO_UUID, spotFunds } from "./account-state.js";
import { invalid, notFound, ok, type Route, type RouteContext, type RouteResult } from "./http-types.js";
import { accounts } from "./routes-accounts.js";
import { iso, money } from "./views.js";

const DECIMAL = /^\d+(\.\d+)?$/;
const CONVERTIBLE = new Set(["USD", "USDC"]);
/** How long a quote can be committed, in market time. */
const QUOTE_TTL_MS = 10 * 60_000;

/** The currency an account reference names: a currency code, or the uuid of one of the wallets. */
function currencyOf(context: RouteContext, reference: unknown): string | undefined {
  if (typeof reference !== "string" || reference === "") return undefined;
  if (CONVERTIBLE.has(reference)) return reference;
  const account = accounts(context).find(
    (a) => a.uuid === reference && a.platform === "ACCOUNT_PLATFORM_CONSUMER",
  );
  return typeof account?.currency === "string" && CONVERTIBLE.has(account.currency)
    ? account.currency
    : undefined;
}

function endpoint(currency: string, reference: string) {
  return {
    type: "LEDGER_ACCOUNT",
    network: "internal",
    ledger_account: { account_id: reference, currency, owner: { id: DEFAULT_PORTFOLIO_UUID, type: "USER" } },
  };
}

function tradeView(trade: ConvertRecord): Record<string, unknown> {
  const from = (value: Decimal) => money(value, trade.fromCurrency);
  const zero = money(D(0), trade.fromCurrency);
  const unit = { amount: money(D(1), trade.toCurrency), scale: 6 };
  return {
    trade: {
      id: trade.id,
      status: trade.status,
      user_entered_amount: from(trade.amount),
      amount: from(trade.amount),
      subtotal: from(trade.amount),
      total: from(trade.amount),
      fees: [],
      total_fee: { title: "Fee", description: "", amount: zero, label: "", disclosure: null },
      source: endpoint(trade.fromCurrency, trade.fromAccount),
      target: endpoint(trade.toCurrency, trade.toAccount),
      unit_price: { target_to_fiat: unit, target_to_source: unit, source_to_fiat: unit },
      user_warnings: [],
      user_reference: "",
      source_currency: trade.fromCurrency,
      target_currency: trade.toCurrency,
      cancellation_reason: null,
      source_id: trade.fromAccount,
      target_id: trade.toAccount,
      exchange_rate: money(D(1), trade.toCurrency),
      total_fee_without_tax: { title: "Fee", description: "", amount: zero, label: "", disclosure: null },
      fiat_denoted_total: money(trade.amount, "USD"),
      created_at: iso(trade.createdMs),
      expires_at: iso(trade.expiresMs),
    },
  };
}

function createQuote(context: RouteContext): RouteResult {
  const { from_account: fromAccount, to_account: toAccount, amount } = context.body;
  const fromCurrency = currencyOf(context, fromAccount);
  const toCurrency = currencyOf(context, toAccount);
  if (fromCurrency === undefined || toCurrency === undefined || fromCurrency === toCurrency) {
    return invalid("from_account and to_account must be USD and USDC (currency codes or wallet uuids)");
  }
  if (typeof amount !== "string" || !DECIMAL.test(amount) || D(amount).lte(0)) {
    return invalid("amount must be a positive decimal string");
  }
  if (spotFunds(context.exchange, fromCurrency).free.lt(D(amount))) return invalid("insufficient balance");
  const trade: ConvertRecord = {
    id: context.exchange.uuid(),
    fromCurrency,
    toCurrency,
    fromAccount: String(fromAccount),
    toAccount: String(toAccount),
    amount: D(amount),
    createdMs: context.nowMs,
    expiresMs: context.nowMs + QUOTE_TTL_MS,
    status: "TRADE_STATUS_CREATED",
  };
  accountStateOf(context.exchange).converts.set(trade.id, trade);
  return ok(tradeView(trade));
}

function findTrade(
  context: RouteContext,
  from: unknown,
  to: unknown,
): { readonly trade: ConvertRecord } | { readonly error: RouteResult } {
  const trade = accountStateOf(context.exchange).converts.get(context.params[0] ?? "");
  if (trade === undefined) return { error: notFound("trade not found") };
  if (from !== trade.fromAccount || to !== trade.toAccount) {
    return { error: invalid("from_account and to_account must be those of the quote") };
  }
  return { trade };
}

function getTrade(context: RouteContext): RouteResult {
  const found = findTrade(context, context.query.get("from_account"), context.query.get("to_account"));
  return "error" in found ? found.error : ok(tradeView(found.trade));
}

function commitTrade(context: RouteContext): RouteResult {
  const found = findTrade(context, context.body.from_account, context.body.to_account);
  if ("error" in found) return found.error;
  const trade = found.trade;
  if (trade.status === "TRADE_STATUS_COMPLETED") return ok(tradeView(trade));
  if (context.nowMs > trade.expiresMs) return invalid("the quote has expired");
  if (spotFunds(context.exchange, trade.fromCurrency).free.lt(trade.amount))
    return invalid("insufficient balance");
  const state = accountStateOf(context.exchange);
  state.book(DEFAULT_PORTFOLIO_UUID, trade.fromCurrency, trade.amount.neg());
  state.book(DEFAULT_PORTFOLIO_UUID, trade.toCurrency, trade.amount);
  trade.status = "TRADE_STATUS_COMPLETED";
  return ok(tradeView(trade));
}

const PAYMENT_METHODS = [
  {
    id: "8a3f5c2e-1b4d-4e6f-9a7b-2c3d4e5f6a7b",
    type: "COINBASE_FIAT_ACCOUNT",
    name: "USD Wallet",
    currency: "USD",
    verified: true,
    allow_buy: true,
    allow_sell: true,
    allow_deposit: true,
    allow_withdraw: true,
  },
  {
    id: "9b4a6d3f-2c5e-4f7a-8b8c-3d4e5f6a7b8c",
    type: "ACH",
    name: "Simulated Bank ******0001",
    currency: "USD",
    verified: true,
    allow_buy: true,
    allow_sell: true,
    allow_deposit: true,
    allow_withdraw: true,
  },
] as const;

const paymentMethodView = (method: (typeof PAYMENT_METHODS)[number]) => ({
  ...method,
  created_at: iso(0),
  updated_at: iso(0),
});

function listPaymentMethods(_context: RouteContext): RouteResult {
  return ok({ payment_methods: PAYMENT_METHODS.map(paymentMethodView) });
}

function getPaymentMethod(context: RouteContext): RouteResult {
  const method = PAYMENT_METHODS.find((m) => m.id === context.params[0]);
  if (method === undefined) return notFound("payment method not found");
  return ok({ payment_method: paymentMethodView(method) });
}

/** Convert and payment methods. */
export const CONVERT_ROUTES: readonly Route[] = [
  { method: "POST", pattern: /^\/convert\/quote$/, private: true, handler: createQuote },
  { method: "GET", pattern: /^\/convert\/trade\/([A-Za-z0-9-]+)$/, private: true, handler: getTrade },
  { method: "POST", pattern: /^\/convert\/trade\/([A-Za-z0-9-]+)$/, private: true, handler: commitTrade },
  { method: "GET", pattern: /^\/payment_methods$/, private: true, handler: listPaymentMethods },
  {
    method: "GET",
    pattern: /^\/payment_methods\/([A-Za-z0-9._:-]+)$/,
    private: true,
    handler: getPaymentMethod,
  },
];
