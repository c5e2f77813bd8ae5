/**
 * Bad bodies from Coinbase (or from anything posing as it) for every REST response the client
 * reads: a valid body with any object inside it mutated (fields replaced by hostile values,
 * removed, unknown ones added), or any value at all, either parses or throws `invalid-response`
 * (never a `TypeError`), and no printed form of the error repeats a secret it was fed. Error
 * bodies of non-2xx answers are read without throwing and copy at most a bounded message.
 * The order and fill readers' fast paths have their own properties in `orders.fuzz.test.ts`.
 */
import { expectTypedOutcome, fuzz, hostile, mutated } from "@gpt/testkit/fuzz";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCoinbaseClientError } from "../errors.js";
import { parseErrorBody } from "../internal/http-errors.js";
import { parseResponse } from "../internal/validate.js";
import type { ZodMiniType } from "../internal/zod.js";
import { getAccountResponseSchema, listAccountsResponseSchema } from "./accounts.js";
import { convertTradeResponseSchema } from "./convert.js";
import { getApiKeyPermissionsResponseSchema } from "./data.js";
import { getTransactionSummaryResponseSchema } from "./fees.js";
import {
  futuresSweepResultResponseSchema,
  getCurrentMarginWindowResponseSchema,
  getFuturesBalanceSummaryResponseSchema,
  getFuturesPositionResponseSchema,
  getIntradayMarginSettingResponseSchema,
  listFuturesPositionsResponseSchema,
  listFuturesSweepsResponseSchema,
} from "./futures.js";
import {
  getBestBidAskResponseSchema,
  getMarketTradesResponseSchema,
  getProductBookResponseSchema,
  getServerTimeResponseSchema,
} from "./market.js";
import {
  cancelOrdersResponseSchema,
  createOrderResponseSchema,
  editOrderPreviewResponseSchema,
  editOrderResponseSchema,
  previewOrdersResponseSchema,
} from "./order-results.js";
import { getOrderResponseSchema, listFillsResponseSchema, listOrdersResponseSchema } from "./orders.js";
import { getPaymentMethodResponseSchema, listPaymentMethodsResponseSchema } from "./payment-methods.js";
import {
  getPerpetualsPortfolioSummaryResponseSchema,
  getPerpetualsPositionResponseSchema,
  getPortfolioBalancesResponseSchema,
  listPerpetualsPositionsResponseSchema,
  optInOutMultiAssetCollateralResponseSchema,
} from "./perpetuals.js";
import {
  emptyObjectSchema,
  getPortfolioBreakdownResponseSchema,
  listPortfoliosResponseSchema,
  movePortfolioFundsResponseSchema,
  portfolioResponseSchema,
} from "./portfolios.js";
import { getProductCandlesResponseSchema, listProductsResponseSchema, productSchema } from "./products.js";

const isInvalidResponse = (error: unknown) =>
  isCoinbaseClientError(error) && error.code === "invalid-response";

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
const order = {
  order_id: "o-1",
  product_id: "BTC-USD",
  side: "BUY",
  client_order_id: "c",
  status: "OPEN",
  fee: "",
  order_configuration: { limit_limit_gtc: { base_size: "0.001", limit_price: "50000", post_only: true } },
};
const fill = {
  trade_id: "t-1",
  order_id: "o-1",
  price: "1.5",
  size: "2",
  product_id: "BTC-USD",
  trade_time: "",
};

/** Every response schema the REST methods read, with a body it accepts. */
const RESPONSES: readonly (readonly [string, () => ZodMiniType<unknown>, Record<string, unknown>])[] = [
  ["listAccounts", listAccountsResponseSchema, { accounts: [account], has_next: false, cursor: "", size: 1 }],
  ["getAccount", getAccountResponseSchema, { account }],
  ["getBestBidAsk", getBestBidAskResponseSchema, { pricebooks: [book] }],
  [
    "getProductBook",
    getProductBookResponseSchema,
    { pricebook: book, last: "100.5", mid_market: "100.5", spread_bps: "0.01", spread_absolute: "1" },
  ],
  ["listProducts", listProductsResponseSchema, { products: [product], num_products: 1, pagination: null }],
  ["getProduct", productSchema, product],
  ["getProductCandles", getProductCandlesResponseSchema, { candles: [candle] }],
  ["getMarketTrades", getMarketTradesResponseSchema, { trades: [trade], best_bid: "99", best_ask: "100" }],
  [
    "getServerTime",
    getServerTimeResponseSchema,
    { iso: "2024-02-27T03:37:14Z", epochSeconds: "1709005034", epochMillis: "1709005034333" },
  ],
  ["listPortfolios", listPortfoliosResponseSchema, { portfolios: [portfolio] }],
  ["createPortfolio", portfolioResponseSchema, { portfolio }],
  [
    "getPortfolioBreakdown",
    getPortfolioBreakdownResponseSchema,
    {
      breakdown: {
        portfolio,
        portfolio_balances: { total_balance: money("100") },
        spot_positions: [{ asset: "BTC" }],
        perp_positions: [],
        futures_positions: [],
      },
    },
  ],
  ["deletePortfolio", emptyObjectSchema, {}],
  [
    "movePortfolioFunds",
    movePortfolioFundsResponseSchema,
    { source_portfolio_uuid: UUID_A, target_portfolio_uuid: UUID_B },
  ],
  [
    "getFuturesBalanceSummary",
    getFuturesBalanceSummaryResponseSchema,
    {
      balance_summary: {
        futures_buying_power: money("1000"),
        liquidation_buffer_percentage: "1000",
        intraday_margin_window_measure: {
          margin_window_type: "FCM_MARGIN_WINDOW_TYPE_INTRADAY",
          initial_margin: "5",
        },
      },
    },
  ],
  ["listFuturesPositions", listFuturesPositionsResponseSchema, { positions: [position] }],
  ["getFuturesPosition", getFuturesPositionResponseSchema, { position }],
  [
    "listFuturesSweeps",
    listFuturesSweepsResponseSchema,
    {
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
  ],
  ["scheduleFuturesSweep", futuresSweepResultResponseSchema, { success: true }],
  [
    "getIntradayMarginSetting",
    getIntradayMarginSettingResponseSchema,
    { setting: "INTRADAY_MARGIN_SETTING_STANDARD" },
  ],
  [
    "getCurrentMarginWindow",
    getCurrentMarginWindowResponseSchema,
    {
      margin_window: {
        margin_window_type: "FCM_MARGIN_WINDOW_TYPE_OVERNIGHT",
        end_time: "2026-12-07T13:00:00Z",
      },
      is_intraday_margin_killswitch_enabled: false,
      is_intraday_margin_enrollment_killswitch_enabled: false,
    },
  ],
  [
    "getPerpetualsPortfolioSummary",
    getPerpetualsPortfolioSummaryResponseSchema,
    {
      portfolios: [{ portfolio_uuid: UUID_A, collateral: "19.3", portfolio_im_notional: money("11.2") }],
      summary: { buying_power: money("8.07") },
    },
  ],
  [
    "listPerpetualsPositions",
    listPerpetualsPositionsResponseSchema,
    { positions: [perpPosition], summary: { aggregated_pnl: money("1") } },
  ],
  ["getPerpetualsPosition", getPerpetualsPositionResponseSchema, { position: perpPosition }],
  [
    "getPortfolioBalances",
    getPortfolioBalancesResponseSchema,
    {
      portfolio_balances: [
        {
          portfolio_uuid: UUID_A,
          balances: [{ asset: { asset_id: "USDC" }, quantity: "10", hold: "0" }],
          is_margin_limit_reached: false,
        },
      ],
    },
  ],
  [
    "optInOutMultiAssetCollateral",
    optInOutMultiAssetCollateralResponseSchema,
    { cross_collateral_enabled: true },
  ],
  [
    "getTransactionSummary",
    getTransactionSummaryResponseSchema,
    {
      total_volume: 1234.5,
      total_fees: "1.2",
      fee_tier: { taker_fee_rate: "0.006", maker_fee_rate: "0.004" },
    },
  ],
  [
    "getConvertTrade",
    convertTradeResponseSchema,
    { trade: { id: "trade-1", status: "TRADE_STATUS_CREATED", amount: money("100") } },
  ],
  [
    "listPaymentMethods",
    listPaymentMethodsResponseSchema,
    { payment_methods: [{ id: "pm-1", type: "COINBASE_FIAT_ACCOUNT", name: "CAD Wallet", verified: true }] },
  ],
  [
    "getPaymentMethod",
    getPaymentMethodResponseSchema,
    { payment_method: { id: "pm-1", created_at: "2024-01-01T00:00:00Z" } },
  ],
  [
    "getApiKeyPermissions",
    getApiKeyPermissionsResponseSchema,
    {
      can_view: true,
      can_trade: false,
      can_transfer: false,
      portfolio_uuid: UUID_A,
      portfolio_type: "DEFAULT",
    },
  ],
  ["createOrder", createOrderResponseSchema, { success: true, success_response: { order_id: "o-1" } }],
  ["editOrder", editOrderResponseSchema, { success: true, success_response: { order_id: "o-1" } }],
  [
    "editOrderPreview",
    editOrderPreviewResponseSchema,
    { slippage: "0", order_total: "10", commission_total: "0.1" },
  ],
  ["previewOrders", previewOrdersResponseSchema, { order_total: "10", commission_total: "0.1", errs: [] }],
  [
    "cancelOrders",
    cancelOrdersResponseSchema,
    { results: [{ success: true, failure_reason: "", order_id: "o-1" }] },
  ],
  ["listOrders", listOrdersResponseSchema, { orders: [order], has_next: false, cursor: "" }],
  ["getOrder", getOrderResponseSchema, { order }],
  ["listFills", listFillsResponseSchema, { fills: [fill], cursor: "" }],
];

/** The paths (keys and indexes) of every plain object inside `value`, the root included. */
function objectPaths(value: unknown, path: readonly (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => objectPaths(item, [...path, i]));
  if (typeof value !== "object" || value === null) return [];
  return [[...path], ...Object.entries(value).flatMap(([key, item]) => objectPaths(item, [...path, key]))];
}

function at(value: unknown, path: readonly (string | number)[]): Record<string, unknown> {
  let current = value;
  for (const key of path) current = (current as Record<string | number, unknown>)[key];
  return current as Record<string, unknown>;
}

/** `body` with the object at `path` replaced by `replacement` (a copy; `body` is not changed). */
function replacedAt(
  body: Record<string, unknown>,
  path: readonly (string | number)[],
  replacement: Record<string, unknown>,
): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(body);
  const parent = at(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path[path.length - 1] as string | number] = replacement;
  return copy;
}

/** `mutated(value)`, or for an empty object, unknown keys with any values. */
function mutatedObject(value: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  return Object.keys(value).length > 0
    ? mutated(value)
    : fc.dictionary(fc.string({ maxLength: 12 }), hostile(), { maxKeys: 3 });
}

/** A response: one schema of the table, and its body with one object inside it mutated. */
const mutatedResponse = fc.constantFrom(...RESPONSES).chain(([operation, schema, body]) =>
  fc
    .constantFrom(...objectPaths(body))
    .chain((path) => mutatedObject(at(body, path)).map((replacement) => replacedAt(body, path, replacement)))
    .map((mutatedBody) => ({ operation, schema, body: mutatedBody })),
);

describe("REST response bodies", () => {
  it("every sample body is accepted (the mutations start from valid bodies)", () => {
    for (const [operation, schema, body] of RESPONSES) {
      expect(() => parseResponse(schema, body, operation), operation).not.toThrow();
    }
  });

  fuzz(
    "a valid body with any object in it mutated: parsed, or invalid-response",
    [mutatedResponse],
    ({ operation, schema, body }) => {
      expectTypedOutcome(() => parseResponse(schema, body, operation), isInvalidResponse);
    },
    { weight: 2 },
  );

  fuzz(
    "any value as a body: parsed, or invalid-response",
    [fc.constantFrom(...RESPONSES), hostile()],
    ([operation, schema], body) => {
      expectTypedOutcome(() => parseResponse(schema, body, operation), isInvalidResponse);
    },
    { weight: 1 },
  );
});

describe("error bodies of non-2xx answers", () => {
  const errorJson = fc
    .record(
      {
        error: hostile(),
        code: hostile(),
        message: hostile(),
        error_details: hostile(),
        errors: fc.oneof(
          hostile(),
          fc.array(fc.record({ id: hostile(), message: hostile() }), { maxLength: 2 }),
        ),
      },
      { requiredKeys: [] },
    )
    .chain((record) => fc.constantFrom(record, { error_response: record }))
    .map((shape) => {
      try {
        return JSON.stringify(shape) ?? "";
      } catch {
        // A BigInt or a throwing toJSON: not something a server can send.
        return "{}";
      }
    });
  fuzz(
    "parseErrorBody: any text and content type, never throws, copies a bounded message",
    [
      fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: "binary", maxLength: 400 }), errorJson),
      fc.option(fc.string({ maxLength: 40 })),
    ],
    (body, contentType) => {
      const read = parseErrorBody(body, contentType ?? undefined);
      expect(["json", "html", "text", "empty"]).toContain(read.kind);
      expect((read.coinbaseMessage ?? "").length).toBeLessThanOrEqual(300);
      expect((read.coinbaseCode ?? "").length).toBeLessThanOrEqual(80);
    },
    { weight: 2 },
  );
});
