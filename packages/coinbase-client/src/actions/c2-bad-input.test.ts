/**
 * Bad input to every C2 action: whole params and each field replaced by hostile values, and an
 * unknown key added. Every call either sends a request or rejects with `CoinbaseClientError`
 * (never a `TypeError`); a refusal sends nothing; no printed form of an error repeats a secret.
 */
import { expectErrorHidesSecrets, SECRET_SHAPES } from "@gpt/testkit/fuzz";
import { describe, expect, it } from "vitest";
import { isCoinbaseClientError } from "../errors.js";
import type { ClientContext, RequestSpec } from "../internal/context.js";
import { getAccount, iterateAccounts, listAccounts } from "./accounts/accounts.js";
import { commitConvertTrade, createConvertQuote, getConvertTrade } from "./convert/convert.js";
import { getTransactionSummary } from "./fees/fees.js";
import {
  getCurrentMarginWindow,
  getFuturesPosition,
  scheduleFuturesSweep,
  setIntradayMarginSetting,
} from "./futures/futures.js";
import { getPaymentMethod } from "./payment-methods/payment-methods.js";
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
  getProductCandlesRange,
  iterateProducts,
  listProducts,
} from "./products/products.js";
import {
  getPublicMarketTrades,
  getPublicProduct,
  getPublicProductBook,
  getPublicProductCandles,
  getPublicProductCandlesRange,
  iteratePublicProducts,
  listPublicProducts,
} from "./public/public.js";

const UUID = "8bfc20d7-f7c6-4422-bf07-8243ca4169fe";

type Action = (ctx: ClientContext, params: unknown) => Promise<unknown>;

/** Drains an iterator action into an array, so it is called like the others. */
const drain =
  (iterate: (ctx: ClientContext, params: never) => AsyncIterable<unknown>): Action =>
  async (ctx, params) => {
    const out: unknown[] = [];
    for await (const item of iterate(ctx, params as never)) out.push(item);
    return out;
  };

/** Each action with valid params. */
const ACTIONS: [string, Action, Record<string, unknown>][] = [
  ["listAccounts", listAccounts as Action, { limit: 10, cursor: "c" }],
  ["iterateAccounts", drain(iterateAccounts), { limit: 10 }],
  ["getAccount", getAccount as Action, { account_uuid: UUID }],
  ["getBestBidAsk", getBestBidAsk as Action, { product_ids: ["BTC-USD"] }],
  [
    "getProductBook",
    getProductBook as Action,
    { product_id: "BTC-USD", limit: 5, aggregation_price_increment: "1" },
  ],
  [
    "listProducts",
    listProducts as Action,
    { limit: 5, offset: 0, product_type: "SPOT", get_all_products: true },
  ],
  ["iterateProducts", drain(iterateProducts), { limit: 5, product_type: "SPOT" }],
  ["getProduct", getProduct as Action, { product_id: "BTC-USD", get_tradability_status: true }],
  [
    "getProductCandles",
    getProductCandles as Action,
    { product_id: "BTC-USD", granularity: "ONE_HOUR", start: 0, end: 3600, limit: 2 },
  ],
  [
    "getProductCandlesRange",
    getProductCandlesRange as Action,
    { product_id: "BTC-USD", granularity: "ONE_DAY", start: 0, end: 86_400 },
  ],
  ["getMarketTrades", getMarketTrades as Action, { product_id: "BTC-USD", limit: 5, start: 0, end: 10 }],
  ["getPublicProductBook", getPublicProductBook as Action, { product_id: "BTC-USD" }],
  ["listPublicProducts", listPublicProducts as Action, { product_ids: ["BTC-USD"] }],
  ["iteratePublicProducts", drain(iteratePublicProducts), { limit: 5 }],
  ["getPublicProduct", getPublicProduct as Action, { product_id: "BTC-USD" }],
  [
    "getPublicProductCandles",
    getPublicProductCandles as Action,
    { product_id: "BTC-USD", granularity: "ONE_MINUTE", start: 0, end: 60 },
  ],
  [
    "getPublicProductCandlesRange",
    getPublicProductCandlesRange as Action,
    { product_id: "BTC-USD", granularity: "SIX_HOUR", start: 0, end: 86_400 },
  ],
  ["getPublicMarketTrades", getPublicMarketTrades as Action, { product_id: "BTC-USD", limit: 1 }],
  ["listPortfolios", listPortfolios as Action, { portfolio_type: "DEFAULT" }],
  ["createPortfolio", createPortfolio as Action, { name: "Bot" }],
  ["getPortfolioBreakdown", getPortfolioBreakdown as Action, { portfolio_uuid: UUID, currency: "USD" }],
  ["editPortfolio", editPortfolio as Action, { portfolio_uuid: UUID, name: "Bot" }],
  ["deletePortfolio", deletePortfolio as Action, { portfolio_uuid: UUID }],
  [
    "movePortfolioFunds",
    movePortfolioFunds as Action,
    { funds: { value: "1", currency: "USD" }, source_portfolio_uuid: UUID, target_portfolio_uuid: UUID },
  ],
  ["getFuturesPosition", getFuturesPosition as Action, { product_id: "BIP-20DEC30-CDE" }],
  ["scheduleFuturesSweep", scheduleFuturesSweep as Action, { usd_amount: "5" }],
  [
    "setIntradayMarginSetting",
    setIntradayMarginSetting as Action,
    { setting: "INTRADAY_MARGIN_SETTING_STANDARD" },
  ],
  [
    "getCurrentMarginWindow",
    getCurrentMarginWindow as Action,
    { margin_profile_type: "MARGIN_PROFILE_TYPE_RETAIL_REGULAR" },
  ],
  [
    "allocatePortfolio",
    allocatePortfolio as Action,
    { portfolio_uuid: UUID, symbol: "BTC-PERP-INTX", amount: "1", currency: "USDC" },
  ],
  ["getPerpetualsPortfolioSummary", getPerpetualsPortfolioSummary as Action, { portfolio_uuid: UUID }],
  ["listPerpetualsPositions", listPerpetualsPositions as Action, { portfolio_uuid: UUID }],
  [
    "getPerpetualsPosition",
    getPerpetualsPosition as Action,
    { portfolio_uuid: UUID, symbol: "BTC-PERP-INTX" },
  ],
  ["getPortfolioBalances", getPortfolioBalances as Action, { portfolio_uuid: UUID }],
  [
    "optInOutMultiAssetCollateral",
    optInOutMultiAssetCollateral as Action,
    { portfolio_uuid: UUID, multi_asset_collateral_enabled: true },
  ],
  ["getTransactionSummary", getTransactionSummary as Action, { product_venue: "FCM" }],
  [
    "createConvertQuote",
    createConvertQuote as Action,
    { from_account: "USD", to_account: "USDC", amount: "1" },
  ],
  [
    "getConvertTrade",
    getConvertTrade as Action,
    { trade_id: "t-1", from_account: "USD", to_account: "USDC" },
  ],
  [
    "commitConvertTrade",
    commitConvertTrade as Action,
    { trade_id: "t-1", from_account: "USD", to_account: "USDC" },
  ],
  ["getPaymentMethod", getPaymentMethod as Action, { payment_method_id: "pm-1" }],
];

const throwingToString = {
  toString() {
    throw new Error("toString trap");
  },
};

/** Values no param should accept silently or crash on. */
const HOSTILE: unknown[] = [
  undefined,
  null,
  0,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 60,
  10n,
  "",
  " ",
  "../../orders",
  "%2e%2e",
  "BTC-USD\n",
  "1e3",
  "-1",
  "0x10",
  "x".repeat(10_000),
  true,
  Symbol("s"),
  [],
  [null],
  {},
  new Date(0),
  Object.create(null),
  throwingToString,
  ...SECRET_SHAPES.map((s) => s.input),
];

/** A context that records requests and answers with an empty body (the response then fails or passes). */
function recordingContext(): { ctx: ClientContext; specs: RequestSpec[] } {
  const specs: RequestSpec[] = [];
  return {
    specs,
    ctx: {
      newId: () => "id",
      request: async (spec) => {
        specs.push(spec);
        return {};
      },
    },
  };
}

async function expectTypedOrSent(action: Action, params: unknown): Promise<void> {
  const { ctx, specs } = recordingContext();
  let error: unknown;
  try {
    await action(ctx, params);
  } catch (caught) {
    error = caught;
  }
  if (error === undefined) {
    expect(specs.length).toBeGreaterThan(0);
    return;
  }
  if (!isCoinbaseClientError(error)) expect.fail(`untyped rejection: ${String((error as Error)?.message)}`);
  expectErrorHidesSecrets(error);
  if (error.code === "invalid-request") expect(specs).toHaveLength(0);
  else expect(error.code).toBe("invalid-response");
}

describe("C2 actions treat every argument as hostile", { timeout: 120_000 }, () => {
  for (const [name, action, valid] of ACTIONS) {
    it(name, async () => {
      let cases = 0;
      for (const value of HOSTILE) {
        await expectTypedOrSent(action, value);
        await expectTypedOrSent(action, { ...valid, ["__proto__"]: value });
        await expectTypedOrSent(action, { ...valid, extra_key: value });
        for (const field of Object.keys(valid)) {
          await expectTypedOrSent(action, { ...valid, [field]: value });
          cases += 1;
        }
        cases += 3;
      }
      expect(cases).toBeGreaterThan(HOSTILE.length * 3);
    });
  }

  it("rejects a secret-shaped product id without repeating it", async () => {
    for (const { input, core } of SECRET_SHAPES) {
      const { ctx } = recordingContext();
      const error = await getProduct(ctx, { product_id: input }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isCoinbaseClientError(error)).toBe(true);
      expect(String(error)).not.toContain(core);
    }
  });
});
