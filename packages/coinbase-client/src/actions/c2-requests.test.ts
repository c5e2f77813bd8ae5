/**
 * Every C2 action against a fake context: the request it builds (method, path, query, body, auth),
 * that its response is parsed, that bad params send nothing, and that a broken body names its path.
 * Inline payloads only: runs without ../shared.
 */
import { describe, expect, it } from "vitest";
import { isCoinbaseClientError } from "../errors.js";
import type { CallOptions, ClientContext, RequestSpec } from "../internal/context.js";
import { getAccount, listAccounts } from "./accounts/accounts.js";
import { commitConvertTrade, createConvertQuote, getConvertTrade } from "./convert/convert.js";
import { getApiKeyPermissions } from "./data/data.js";
import { getTransactionSummary } from "./fees/fees.js";
import {
  cancelPendingFuturesSweep,
  getCurrentMarginWindow,
  getFuturesBalanceSummary,
  getFuturesPosition,
  getIntradayMarginSetting,
  listFuturesPositions,
  listFuturesSweeps,
  scheduleFuturesSweep,
  setIntradayMarginSetting,
} from "./futures/futures.js";
import { getPaymentMethod, listPaymentMethods } from "./payment-methods/payment-methods.js";
import {
  allocatePortfolio,
  getPerpetualsPortfolioSummary,
  getPerpetualsPosition,
  getPortfolioBalances,
  listPerpetualsPositions,
  optInOutMultiAssetCollateral,
} from "./perpetuals/perpetuals.js";
import {
  createPortfolio,
  deletePortfolio,
  editPortfolio,
  getPortfolioBreakdown,
  listPortfolios,
  movePortfolioFunds,
} from "./portfolios/portfolios.js";
import {
  getBestBidAsk,
  getMarketTrades,
  getProduct,
  getProductBook,
  getProductCandles,
  listProducts,
} from "./products/products.js";
import {
  getPublicMarketTrades,
  getPublicProduct,
  getPublicProductBook,
  getPublicProductCandles,
  getServerTime,
  listPublicProducts,
} from "./public/public.js";

/** A context that records each request and answers with `reply`. */
function fakeContext(reply: (spec: RequestSpec) => unknown): {
  ctx: ClientContext;
  specs: RequestSpec[];
  options: (CallOptions | undefined)[];
} {
  const specs: RequestSpec[] = [];
  const options: (CallOptions | undefined)[] = [];
  return {
    specs,
    options,
    ctx: {
      request: async (spec, callOptions) => {
        specs.push(spec);
        options.push(callOptions);
        return reply(spec);
      },
      newId: () => "00000000-0000-4000-8000-000000000000",
    },
  };
}

const UUID_A = "8bfc20d7-f7c6-4422-bf07-8243ca4169fe";
const UUID_B = "1f9a3c22-0a11-4b6d-9f2e-2b7d5e0a1c88";
const money = (value: string) => ({ value, currency: "USD" });
const account = { uuid: UUID_A, name: "USD Wallet", currency: "USD", available_balance: money("10.5") };
const product = { product_id: "BTC-USD", price: "68923.67", base_increment: "0.00000001", status: "online" };
const book = {
  product_id: "BTC-USD",
  bids: [{ price: "100", size: "1" }],
  asks: [{ price: "101", size: "2" }],
  time: "2026-04-07T00:28:59.662782Z",
};
const candle = { start: "1712192400", low: "1", high: "3", open: "2", close: "2.5", volume: "10" };
const trade = {
  trade_id: "1",
  product_id: "BTC-USD",
  price: "100",
  size: "0.1",
  time: "2026-04-07T00:28:58.544778Z",
  side: "SELL",
  bid: "",
  ask: "",
};
const portfolio = { name: "Bot", uuid: UUID_A, type: "CONSUMER", deleted: false };
const position = {
  product_id: "BIP-20DEC30-CDE",
  side: "LONG",
  number_of_contracts: "2",
  expiration_time: "2030-12-20T16:00:00Z",
};
const perpPosition = { symbol: "ADA-PERP-INTX", net_size: "20", vwap: { value: "0.5648", currency: "USDC" } };
const convertTrade = { trade: { id: "trade-1", status: "TRADE_STATUS_CREATED", amount: money("100") } };

interface Case {
  readonly name: string;
  /** The action. */
  readonly fn: (ctx: ClientContext, ...rest: never[]) => Promise<unknown>;
  /** Valid params (absent for actions that take none). */
  readonly params?: object;
  readonly spec: Partial<RequestSpec>;
  readonly reply: unknown;
  /** A path inside `reply` to break (set to an object) for the invalid-response check. */
  readonly breakAt: readonly (string | number)[];
}

const cases: Case[] = [
  {
    name: "listAccounts",
    fn: listAccounts,
    params: { limit: 250, cursor: "abc" },
    spec: {
      method: "GET",
      path: "/accounts",
      query: { limit: 250, cursor: "abc", retail_portfolio_id: undefined },
    },
    reply: { accounts: [account], has_next: false, cursor: "", size: 1 },
    breakAt: ["accounts", 0, "available_balance", "value"],
  },
  {
    name: "getAccount",
    fn: getAccount,
    params: { account_uuid: UUID_A },
    spec: { method: "GET", path: `/accounts/${UUID_A}` },
    reply: { account },
    breakAt: ["account", "currency"],
  },
  {
    name: "getBestBidAsk",
    fn: getBestBidAsk,
    params: { product_ids: ["BTC-USD", "ETH-USD"] },
    spec: { method: "GET", path: "/best_bid_ask", query: { product_ids: ["BTC-USD", "ETH-USD"] } },
    reply: { pricebooks: [book] },
    breakAt: ["pricebooks", 0, "bids", 0, "price"],
  },
  {
    name: "getProductBook",
    fn: getProductBook,
    params: { product_id: "BTC-USD", limit: 5 },
    spec: {
      method: "GET",
      path: "/product_book",
      query: { product_id: "BTC-USD", limit: 5, aggregation_price_increment: undefined },
    },
    reply: { pricebook: book, last: "100.5", mid_market: "100.5", spread_bps: "0.01", spread_absolute: "1" },
    breakAt: ["pricebook", "asks", 0, "size"],
  },
  {
    name: "listProducts",
    fn: listProducts,
    params: { product_type: "SPOT", product_ids: ["BTC-USD"], limit: 10, offset: 20 },
    spec: { method: "GET", path: "/products", auth: "private" },
    reply: { products: [product], num_products: 1, pagination: null },
    breakAt: ["products", 0, "price"],
  },
  {
    name: "getProduct",
    fn: getProduct,
    params: { product_id: "BTC-USD", get_tradability_status: true },
    spec: { method: "GET", path: "/products/BTC-USD", query: { get_tradability_status: true } },
    reply: product,
    breakAt: ["product_id"],
  },
  {
    name: "getProductCandles",
    fn: getProductCandles,
    params: {
      product_id: "BTC-USD",
      granularity: "ONE_HOUR",
      start: 1712188800,
      end: "1712192400",
    },
    spec: {
      method: "GET",
      path: "/products/BTC-USD/candles",
      query: { start: "1712188800", end: "1712192400", granularity: "ONE_HOUR", limit: undefined },
    },
    reply: { candles: [candle] },
    breakAt: ["candles", 0, "close"],
  },
  {
    name: "getMarketTrades",
    fn: getMarketTrades,
    params: { product_id: "BTC-USD", limit: 15, start: 1678012344, end: 1678012744 },
    spec: {
      method: "GET",
      path: "/products/BTC-USD/ticker",
      query: { limit: 15, start: "1678012344", end: "1678012744" },
    },
    reply: { trades: [trade], best_bid: "99", best_ask: "100" },
    breakAt: ["trades", 0, "size"],
  },
  {
    name: "getServerTime",
    fn: getServerTime,
    spec: { method: "GET", path: "/time", auth: "public" },
    reply: { iso: "2024-02-27T03:37:14Z", epochSeconds: "1709005034", epochMillis: "1709005034333" },
    breakAt: ["epochSeconds"],
  },
  {
    name: "getPublicProductBook",
    fn: getPublicProductBook,
    params: { product_id: "BTC-USD" },
    spec: { method: "GET", path: "/market/product_book", auth: "public" },
    reply: { pricebook: book },
    breakAt: ["pricebook", "bids"],
  },
  {
    name: "listPublicProducts",
    fn: listPublicProducts,
    params: { product_type: "FUTURE" },
    spec: { method: "GET", path: "/market/products", auth: "public" },
    reply: { products: [product] },
    breakAt: ["products", 0, "status"],
  },
  {
    name: "getPublicProduct",
    fn: getPublicProduct,
    params: { product_id: "BIP-20DEC30-CDE" },
    spec: { method: "GET", path: "/market/products/BIP-20DEC30-CDE", auth: "public" },
    reply: { ...product, product_id: "BIP-20DEC30-CDE" },
    breakAt: ["base_increment"],
  },
  {
    name: "getPublicProductCandles",
    fn: getPublicProductCandles,
    params: {
      product_id: "BTC-USD",
      granularity: "ONE_MINUTE",
      start: 0,
      end: 60,
      limit: 2,
    },
    spec: { method: "GET", path: "/market/products/BTC-USD/candles", auth: "public" },
    reply: { candles: [candle] },
    breakAt: ["candles", 0, "start"],
  },
  {
    name: "getPublicMarketTrades",
    fn: getPublicMarketTrades,
    params: { product_id: "BTC-USD", limit: 1 },
    spec: { method: "GET", path: "/market/products/BTC-USD/ticker", auth: "public" },
    reply: { trades: [trade] },
    breakAt: ["trades", 0, "time"],
  },
  {
    name: "listPortfolios",
    fn: listPortfolios,
    params: { portfolio_type: "DEFAULT" },
    spec: { method: "GET", path: "/portfolios", query: { portfolio_type: "DEFAULT" } },
    reply: { portfolios: [portfolio] },
    breakAt: ["portfolios", 0, "uuid"],
  },
  {
    name: "createPortfolio",
    fn: createPortfolio,
    params: { name: "Bot" },
    spec: { method: "POST", path: "/portfolios", body: { name: "Bot" } },
    reply: { portfolio },
    breakAt: ["portfolio", "name"],
  },
  {
    name: "getPortfolioBreakdown",
    fn: getPortfolioBreakdown,
    params: { portfolio_uuid: UUID_A, currency: "USD" },
    spec: { method: "GET", path: `/portfolios/${UUID_A}`, query: { currency: "USD" } },
    reply: {
      breakdown: {
        portfolio,
        portfolio_balances: { total_balance: money("100") },
        spot_positions: [{ asset: "BTC" }],
        perp_positions: [],
        futures_positions: [],
      },
    },
    breakAt: ["breakdown", "portfolio_balances", "total_balance", "value"],
  },
  {
    name: "editPortfolio",
    fn: editPortfolio,
    params: { portfolio_uuid: UUID_A, name: "Bot 2" },
    spec: { method: "PUT", path: `/portfolios/${UUID_A}`, body: { name: "Bot 2" } },
    reply: { portfolio },
    breakAt: ["portfolio", "deleted"],
  },
  {
    name: "deletePortfolio",
    fn: deletePortfolio,
    params: { portfolio_uuid: UUID_A },
    spec: { method: "DELETE", path: `/portfolios/${UUID_A}` },
    reply: {},
    breakAt: [],
  },
  {
    name: "movePortfolioFunds",
    fn: movePortfolioFunds,
    params: {
      funds: { value: "100", currency: "USD" },
      source_portfolio_uuid: UUID_A,
      target_portfolio_uuid: UUID_B,
    },
    spec: {
      method: "POST",
      path: "/portfolios/move_funds",
      body: {
        funds: { value: "100", currency: "USD" },
        source_portfolio_uuid: UUID_A,
        target_portfolio_uuid: UUID_B,
      },
    },
    reply: { source_portfolio_uuid: UUID_A, target_portfolio_uuid: UUID_B },
    breakAt: ["target_portfolio_uuid"],
  },
  {
    name: "getFuturesBalanceSummary",
    fn: getFuturesBalanceSummary,
    spec: { method: "GET", path: "/cfm/balance_summary" },
    reply: {
      balance_summary: {
        futures_buying_power: money("1000"),
        liquidation_buffer_percentage: "1000",
        intraday_margin_window_measure: {
          margin_window_type: "FCM_MARGIN_WINDOW_TYPE_INTRADAY",
          initial_margin: "5",
        },
      },
    },
    breakAt: ["balance_summary", "futures_buying_power", "value"],
  },
  {
    name: "listFuturesPositions",
    fn: listFuturesPositions,
    spec: { method: "GET", path: "/cfm/positions" },
    reply: { positions: [position] },
    breakAt: ["positions", 0, "number_of_contracts"],
  },
  {
    name: "getFuturesPosition",
    fn: getFuturesPosition,
    params: { product_id: "BIP-20DEC30-CDE" },
    spec: { method: "GET", path: "/cfm/positions/BIP-20DEC30-CDE" },
    reply: { position },
    breakAt: ["position", "product_id"],
  },
  {
    name: "listFuturesSweeps",
    fn: listFuturesSweeps,
    spec: { method: "GET", path: "/cfm/sweeps" },
    reply: {
      sweeps: [
        {
          id: "s1",
          requested_amount: money("5"),
          should_sweep_all: false,
          status: "PENDING",
          schedule_time: "",
        },
      ],
    },
    breakAt: ["sweeps", 0, "requested_amount", "value"],
  },
  {
    name: "scheduleFuturesSweep",
    fn: scheduleFuturesSweep,
    params: { usd_amount: "250" },
    spec: { method: "POST", path: "/cfm/sweeps/schedule", body: { usd_amount: "250" } },
    reply: { success: true },
    breakAt: ["success"],
  },
  {
    name: "cancelPendingFuturesSweep",
    fn: cancelPendingFuturesSweep,
    spec: { method: "DELETE", path: "/cfm/sweeps" },
    reply: { success: true },
    breakAt: ["success"],
  },
  {
    name: "getIntradayMarginSetting",
    fn: getIntradayMarginSetting,
    spec: { method: "GET", path: "/cfm/intraday/margin_setting" },
    reply: { setting: "INTRADAY_MARGIN_SETTING_STANDARD" },
    breakAt: ["setting"],
  },
  {
    name: "setIntradayMarginSetting",
    fn: setIntradayMarginSetting,
    params: { setting: "INTRADAY_MARGIN_SETTING_INTRADAY" },
    spec: {
      method: "POST",
      path: "/cfm/intraday/margin_setting",
      body: { setting: "INTRADAY_MARGIN_SETTING_INTRADAY" },
    },
    reply: {},
    breakAt: [],
  },
  {
    name: "getCurrentMarginWindow",
    fn: getCurrentMarginWindow,
    params: { margin_profile_type: "MARGIN_PROFILE_TYPE_RETAIL_REGULAR" },
    spec: {
      method: "GET",
      path: "/cfm/intraday/current_margin_window",
      query: { margin_profile_type: "MARGIN_PROFILE_TYPE_RETAIL_REGULAR" },
    },
    reply: {
      margin_window: {
        margin_window_type: "FCM_MARGIN_WINDOW_TYPE_OVERNIGHT",
        end_time: "2026-12-07T13:00:00Z",
      },
      is_intraday_margin_killswitch_enabled: false,
      is_intraday_margin_enrollment_killswitch_enabled: false,
    },
    breakAt: ["margin_window", "end_time"],
  },
  {
    name: "allocatePortfolio",
    fn: allocatePortfolio,
    params: {
      portfolio_uuid: UUID_A,
      symbol: "BTC-PERP-INTX",
      amount: "100",
      currency: "USDC",
    },
    spec: {
      method: "POST",
      path: "/intx/allocate",
      body: { portfolio_uuid: UUID_A, symbol: "BTC-PERP-INTX", amount: "100", currency: "USDC" },
    },
    reply: {},
    breakAt: [],
  },
  {
    name: "getPerpetualsPortfolioSummary",
    fn: getPerpetualsPortfolioSummary,
    params: { portfolio_uuid: UUID_A },
    spec: { method: "GET", path: `/intx/portfolio/${UUID_A}` },
    reply: {
      portfolios: [{ portfolio_uuid: UUID_A, collateral: "19.3", portfolio_im_notional: money("11.2") }],
      summary: { buying_power: money("8.07") },
    },
    breakAt: ["summary", "buying_power"],
  },
  {
    name: "listPerpetualsPositions",
    fn: listPerpetualsPositions,
    params: { portfolio_uuid: UUID_A },
    spec: { method: "GET", path: `/intx/positions/${UUID_A}` },
    reply: { positions: [perpPosition], summary: { aggregated_pnl: money("1") } },
    breakAt: ["positions", 0, "symbol"],
  },
  {
    name: "getPerpetualsPosition",
    fn: getPerpetualsPosition,
    params: { portfolio_uuid: UUID_A, symbol: "ADA-PERP-INTX" },
    spec: { method: "GET", path: `/intx/positions/${UUID_A}/ADA-PERP-INTX` },
    reply: { position: perpPosition },
    breakAt: ["position", "net_size"],
  },
  {
    name: "getPortfolioBalances",
    fn: getPortfolioBalances,
    params: { portfolio_uuid: UUID_A },
    spec: { method: "GET", path: `/intx/balances/${UUID_A}` },
    reply: {
      portfolio_balances: [
        {
          portfolio_uuid: UUID_A,
          balances: [{ asset: { asset_id: "USDC" }, quantity: "10", hold: "0" }],
          is_margin_limit_reached: false,
        },
      ],
    },
    breakAt: ["portfolio_balances", 0, "balances", 0, "quantity"],
  },
  {
    name: "optInOutMultiAssetCollateral",
    fn: optInOutMultiAssetCollateral,
    params: { portfolio_uuid: UUID_A, multi_asset_collateral_enabled: true },
    spec: {
      method: "POST",
      path: "/intx/multi_asset_collateral",
      body: { portfolio_uuid: UUID_A, multi_asset_collateral_enabled: true },
    },
    reply: { cross_collateral_enabled: true },
    breakAt: ["cross_collateral_enabled"],
  },
  {
    name: "getTransactionSummary",
    fn: getTransactionSummary,
    params: { product_type: "SPOT", product_venue: "CBE" },
    spec: {
      method: "GET",
      path: "/transaction_summary",
      query: { product_type: "SPOT", contract_expiry_type: undefined, product_venue: "CBE" },
    },
    reply: {
      total_volume: 1234.5,
      total_fees: "1.2",
      fee_tier: { taker_fee_rate: "0.006", maker_fee_rate: "0.004" },
    },
    breakAt: ["fee_tier", "maker_fee_rate"],
  },
  {
    name: "createConvertQuote",
    fn: createConvertQuote,
    params: { from_account: "USD", to_account: "USDC", amount: "100" },
    spec: {
      method: "POST",
      path: "/convert/quote",
      body: { from_account: "USD", to_account: "USDC", amount: "100" },
    },
    reply: convertTrade,
    breakAt: ["trade", "id"],
  },
  {
    name: "getConvertTrade",
    fn: getConvertTrade,
    params: { trade_id: "trade-1", from_account: "USD", to_account: "USDC" },
    spec: {
      method: "GET",
      path: "/convert/trade/trade-1",
      query: { from_account: "USD", to_account: "USDC" },
    },
    reply: convertTrade,
    breakAt: ["trade", "amount", "value"],
  },
  {
    name: "commitConvertTrade",
    fn: commitConvertTrade,
    params: { trade_id: "trade-1", from_account: "USD", to_account: "USDC" },
    spec: {
      method: "POST",
      path: "/convert/trade/trade-1",
      body: { from_account: "USD", to_account: "USDC" },
    },
    reply: convertTrade,
    breakAt: ["trade", "status"],
  },
  {
    name: "listPaymentMethods",
    fn: listPaymentMethods,
    spec: { method: "GET", path: "/payment_methods" },
    reply: {
      payment_methods: [{ id: "pm-1", type: "COINBASE_FIAT_ACCOUNT", name: "CAD Wallet", verified: true }],
    },
    breakAt: ["payment_methods", 0, "verified"],
  },
  {
    name: "getPaymentMethod",
    fn: getPaymentMethod,
    params: { payment_method_id: "pm-1" },
    spec: { method: "GET", path: "/payment_methods/pm-1" },
    reply: { payment_method: { id: "pm-1", created_at: "2024-01-01T00:00:00Z" } },
    breakAt: ["payment_method", "id"],
  },
  {
    name: "getApiKeyPermissions",
    fn: getApiKeyPermissions,
    spec: { method: "GET", path: "/key_permissions" },
    reply: {
      can_view: true,
      can_trade: false,
      can_transfer: false,
      portfolio_uuid: UUID_A,
      portfolio_type: "DEFAULT",
    },
    breakAt: ["can_trade"],
  },
];

/** Calls a case's action with its params (or none). */
function call(c: Case, ctx: ClientContext, params: unknown = c.params): Promise<unknown> {
  const fn = c.fn as (ctx: ClientContext, params?: unknown) => Promise<unknown>;
  return c.params === undefined ? fn(ctx) : fn(ctx, params);
}

/** A deep copy of `value` with the field at `path` replaced by an object (wrong type everywhere we check). */
function broken(value: unknown, path: readonly (string | number)[]): unknown {
  const copy: unknown = structuredClone(value);
  let target = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (last !== undefined) target[last] = { unexpected: true };
  return copy;
}

describe("C2 actions build their request and parse the reply", () => {
  it("covers the 42 endpoints outside Orders", () => {
    expect(new Set(cases.map((c) => `${c.spec.method} ${c.spec.path}`)).size).toBe(42);
  });

  for (const c of cases) {
    it(c.name, async () => {
      const { ctx, specs } = fakeContext(() => c.reply);
      const result = await call(c, ctx);
      expect(specs).toHaveLength(1);
      expect(specs[0]).toMatchObject({ operation: c.name, auth: "private", ...c.spec });
      expect(result).toEqual(expect.objectContaining({}));
    });

    if (c.breakAt.length > 0) {
      it(`${c.name} rejects a broken body naming the path`, async () => {
        const { ctx } = fakeContext(() => broken(c.reply, c.breakAt));
        const error = await call(c, ctx).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isCoinbaseClientError(error)).toBe(true);
        if (!isCoinbaseClientError(error)) return;
        expect(error.code).toBe("invalid-response");
        expect(error.operation).toBe(c.name);
        expect(error.field).toBe(c.breakAt.join("."));
      });
    }
  }
});

describe("responses keep unknown fields and normalise what Coinbase varies", () => {
  it("keeps unknown fields and converts numeric volumes to strings", async () => {
    const { ctx } = fakeContext(() => ({ total_volume: 9.5, total_fees: 0, brand_new_field: { x: 1 } }));
    const summary = await getTransactionSummary(ctx);
    expect(summary.total_volume).toBe("9.5");
    expect(summary.total_fees).toBe("0");
    expect(summary.brand_new_field).toEqual({ x: 1 });
  });

  it("turns unset timestamps into null and keeps set ones exactly", async () => {
    const { ctx } = fakeContext(() => ({
      accounts: [
        { ...account, created_at: "", deleted_at: null, updated_at: "2023-01-04T06:20:07.181123456Z" },
        { ...account, created_at: "0001-01-01T00:00:00Z" },
      ],
    }));
    const page = await listAccounts(ctx);
    expect(page.accounts[0]?.created_at).toBeNull();
    expect(page.accounts[0]?.deleted_at).toBeNull();
    expect(page.accounts[0]?.updated_at).toBe("2023-01-04T06:20:07.181123456Z");
    expect(page.accounts[1]?.created_at).toBeNull();
  });

  it("reads CFM amounts sent as money objects or as decimal strings", async () => {
    const usd = (value: string) => ({ value, currency: "USD" });
    const { ctx } = fakeContext((spec) =>
      spec.path === "/cfm/positions"
        ? {
            positions: [
              {
                ...position,
                current_price: usd("65000"),
                avg_entry_price: "64000",
                unrealized_pnl: usd("20"),
              },
            ],
          }
        : {
            balance_summary: {
              overnight_margin_window_measure: {
                initial_margin: usd("900"),
                total_hold: "10",
                margin_level: "MARGIN_LEVEL_TYPE_BASE",
              },
            },
          },
    );
    const { positions } = await listFuturesPositions(ctx);
    expect(positions[0]?.current_price).toEqual(usd("65000"));
    expect(positions[0]?.avg_entry_price).toBe("64000");
    const { balance_summary } = await getFuturesBalanceSummary(ctx);
    expect(balance_summary.overnight_margin_window_measure?.initial_margin).toEqual(usd("900"));
    expect(balance_summary.overnight_margin_window_measure?.total_hold).toBe("10");
  });

  it("reads a candle start sent as a number as Unix-seconds text", async () => {
    const { ctx } = fakeContext(() => ({ candles: [{ ...candle, start: 1712192400 }] }));
    const { candles } = await getProductCandles(ctx, {
      product_id: "BTC-USD",
      granularity: "ONE_HOUR",
      start: 1712188800,
      end: 1712192400,
    });
    expect(candles[0]?.start).toBe("1712192400");
  });

  it("rejects a body that is not an object", async () => {
    const { ctx } = fakeContext(() => "<html>oops</html>");
    await expect(getServerTime(ctx)).rejects.toMatchObject({
      code: "invalid-response",
      operation: "getServerTime",
    });
  });
});

describe("bad params are refused before anything is sent", () => {
  const refusals: [string, (ctx: ClientContext) => Promise<unknown>, string][] = [
    ["a bad product id", (ctx) => getProduct(ctx, { product_id: "btc usd" }), "product_id"],
    [
      "a path-traversal id",
      (ctx) => getPaymentMethod(ctx, { payment_method_id: "../orders" }),
      "payment_method_id",
    ],
    ["a non-UUID account", (ctx) => getAccount(ctx, { account_uuid: "not-a-uuid" }), "account_uuid"],
    ["a limit over 250", (ctx) => listAccounts(ctx, { limit: 251 }), "limit"],
    ["an unknown key", (ctx) => listAccounts(ctx, { limit: 1, curser: "x" } as never), ""],
    [
      "a number as an amount",
      (ctx) => createConvertQuote(ctx, { from_account: "USD", to_account: "USDC", amount: 5 as never }),
      "amount",
    ],
    [
      "an exponent amount",
      (ctx) =>
        movePortfolioFunds(ctx, {
          funds: { value: "1e3", currency: "USD" },
          source_portfolio_uuid: UUID_A,
          target_portfolio_uuid: UUID_B,
        }),
      "funds.value",
    ],
    [
      "an unknown granularity",
      (ctx) =>
        getProductCandles(ctx, {
          product_id: "BTC-USD",
          granularity: "ONE_WEEK" as never,
          start: 0,
          end: 60,
        }),
      "granularity",
    ],
    [
      "a fractional Unix time",
      (ctx) =>
        getProductCandles(ctx, { product_id: "BTC-USD", granularity: "ONE_MINUTE", start: 1.5, end: 60 }),
      "start",
    ],
    [
      "end before start",
      (ctx) =>
        getProductCandles(ctx, { product_id: "BTC-USD", granularity: "ONE_MINUTE", start: 600, end: 60 }),
      "end",
    ],
    [
      "a window that holds 351 candle starts",
      (ctx) =>
        getPublicProductCandles(ctx, {
          product_id: "BTC-USD",
          granularity: "ONE_MINUTE",
          start: 0,
          end: 350 * 60,
        }),
      "end",
    ],
    ["a missing limit", (ctx) => getMarketTrades(ctx, { product_id: "BTC-USD" } as never), "limit"],
    [
      "an unknown margin setting",
      (ctx) => setIntradayMarginSetting(ctx, { setting: "MAX" as never }),
      "setting",
    ],
    ["an empty portfolio name", (ctx) => createPortfolio(ctx, { name: "" }), "name"],
  ];

  for (const [what, call, field] of refusals) {
    it(`refuses ${what}`, async () => {
      const { ctx, specs } = fakeContext(() => ({}));
      const error = await call(ctx).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isCoinbaseClientError(error)).toBe(true);
      if (!isCoinbaseClientError(error)) return;
      expect(error.code).toBe("invalid-request");
      expect(error.field).toBe(field);
      expect(specs).toHaveLength(0);
    });
  }

  it("accepts a window of 350 candle starts, both ends counted", async () => {
    const { ctx, specs } = fakeContext(() => ({ candles: [] }));
    await getProductCandles(ctx, {
      product_id: "BTC-USD",
      granularity: "ONE_MINUTE",
      start: 0,
      end: 349 * 60,
    });
    await getProductCandles(ctx, {
      product_id: "BTC-USD",
      granularity: "ONE_MINUTE",
      start: 0,
      end: 350 * 60 - 1,
    });
    expect(specs).toHaveLength(2);
  });

  it("passes call options through", async () => {
    const { ctx, options } = fakeContext(() => ({ candles: [] }));
    const signal = new AbortController().signal;
    await getPublicProductCandles(
      ctx,
      { product_id: "BTC-USD", granularity: "ONE_MINUTE", start: 0, end: 60 },
      { signal, noCache: true },
    );
    expect(options[0]).toEqual({ signal, noCache: true });
  });
});
