/**
 * The public Coinbase App ("v2") currency endpoints that ccxt's `loadMarkets` reads beside the
 * Advanced Trade API (`GET /v2/currencies`, `/v2/currencies/crypto`, `/v2/exchange-rates` on the
 * same host), limited to the simulator's currencies. Their paths sit outside `/api/v3/brokerage`:
 * `pattern` matches the whole path.
 */
import type { Route, RouteContext, RouteResult } from "./http-types.js";
import { ok } from "./http-types.js";

const FIAT: Readonly<Record<string, { readonly name: string; readonly minSize: string }>> = {
  USD: { name: "US Dollar", minSize: "0.01" },
};

const STABLE = new Set(["USD", "USDC"]);

const CRYPTO_NAMES: Readonly<Record<string, string>> = {
  BTC: "Bitcoin",
  ETH: "Ethereum",
  USDC: "USDC",
};

/** Every currency the listed products use: fiat codes and crypto codes, in listing order. */
function currencies(context: RouteContext): { fiat: string[]; crypto: string[] } {
  const codes = new Set<string>();
  for (const market of context.exchange.markets.values()) {
    codes.add(market.spec.baseCurrency);
    codes.add(market.spec.quoteCurrency);
  }
  const all = [...codes];
  return { fiat: all.filter((code) => code in FIAT), crypto: all.filter((code) => !(code in FIAT)) };
}

/** The USD value of one unit of `code` at the market's current price, or undefined. */
function usdValue(context: RouteContext, code: string): number | undefined {
  if (STABLE.has(code)) return 1;
  const market =
    context.exchange.markets.get(`${code}-USD`) ??
    [...context.exchange.markets.values()].find((m) => m.spec.baseCurrency === code);
  if (market === undefined) return undefined;
  // Futures prices are quoted per unit of the underlying, like spot.
  return market.priceAt(context.nowMs);
}

function v2Error(status: number, id: string, message: string): RouteResult {
  return { status, body: { errors: [{ id, message }] } };
}

function listFiat(context: RouteContext): RouteResult {
  const data = currencies(context).fiat.map((code) => ({
    id: code,
    name: FIAT[code]?.name ?? code,
    min_size: FIAT[code]?.minSize ?? "0.01",
  }));
  return ok({ data });
}

function listCrypto(context: RouteContext): RouteResult {
  const data = currencies(context).crypto.map((code, index) => ({
    asset_id: `00000000-0000-4000-8000-${(index + 1).toString(16).padStart(12, "0")}`,
    code,
    name: CRYPTO_NAMES[code] ?? code,
    color: "#0052FF",
    sort_index: index,
    exponent: 8,
    type: "crypto",
    address_regex: "",
  }));
  return ok({ data });
}

function exchangeRates(context: RouteContext): RouteResult {
  const base = (context.query.get("currency") ?? "USD").toUpperCase();
  const baseValue = usdValue(context, base);
  if (baseValue === undefined) return v2Error(400, "invalid_request", "Currency is invalid");
  const { fiat, crypto } = currencies(context);
  const rates: Record<string, string> = {};
  for (const code of [...fiat, ...crypto]) {
    const value = usdValue(context, code);
    if (value !== undefined && value > 0) rates[code] = String(Number((baseValue / value).toPrecision(12)));
  }
  return ok({ data: { currency: base, rates } });
}

/** The `/v2` currency routes (public, matched against the whole path). */
export const V2_ROUTES: readonly Route[] = [
  { method: "GET", pattern: /^\/v2\/currencies$/, private: false, handler: listFiat },
  { method: "GET", pattern: /^\/v2\/currencies\/crypto$/, private: false, handler: listCrypto },
  { method: "GET", pattern: /^\/v2\/exchange-rates$/, private: false, handler: exchangeRates },
];
