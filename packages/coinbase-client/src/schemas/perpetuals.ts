/**
 * Perpetuals on Coinbase International (INTX, `/intx/*`). **Legacy:** Coinbase moved international
 * derivatives off the Advanced Trade API in autumn 2026, so a live venue now rejects these calls;
 * they remain for accounts and tools that still see them. Values are money objects or decimal
 * strings (Coinbase mixes both, so both are read); unknown fields are kept.
 */
import * as z from "../internal/zod.js";
import { type MoneyOrDecimal, maybe, moneyOrDecimal, type ResponseDecimal } from "./accounts.js";
import { responseDecimal } from "./common.js";

const str = () => maybe(z.string());

/** The margin state of an INTX portfolio. */
export interface PerpetualsPortfolio {
  /** The portfolio's UUID. */
  readonly portfolio_uuid?: string | null;
  /** Collateral. */
  readonly collateral?: MoneyOrDecimal | null;
  /** Notional of open positions. */
  readonly position_notional?: MoneyOrDecimal | null;
  /** Notional of open positions and orders. */
  readonly open_position_notional?: MoneyOrDecimal | null;
  /** Fees not yet charged. */
  readonly pending_fees?: MoneyOrDecimal | null;
  /** Borrowed amount. */
  readonly borrow?: MoneyOrDecimal | null;
  /** Interest accrued. */
  readonly accrued_interest?: MoneyOrDecimal | null;
  /** Rolling debt. */
  readonly rolling_debt?: MoneyOrDecimal | null;
  /** Initial margin, a fraction. */
  readonly portfolio_initial_margin?: MoneyOrDecimal | null;
  /** Initial margin notional. */
  readonly portfolio_im_notional?: MoneyOrDecimal | null;
  /** Maintenance margin, a fraction. */
  readonly portfolio_maintenance_margin?: MoneyOrDecimal | null;
  /** Maintenance margin notional. */
  readonly portfolio_mm_notional?: MoneyOrDecimal | null;
  /** Distance to liquidation, in percent. */
  readonly liquidation_percentage?: MoneyOrDecimal | null;
  /** Distance to liquidation. */
  readonly liquidation_buffer?: MoneyOrDecimal | null;
  /** `MARGIN_TYPE_CROSS`, `MARGIN_TYPE_ISOLATED` or `MARGIN_TYPE_UNSPECIFIED`. */
  readonly margin_type?: string | null;
  /** `PORTFOLIO_MARGIN_FLAGS_…`. */
  readonly margin_flags?: string | null;
  /** `PORTFOLIO_LIQUIDATION_STATUS_…`. */
  readonly liquidation_status?: string | null;
  /** Unrealized PnL. */
  readonly unrealized_pnl?: MoneyOrDecimal | null;
  /** Total balance. */
  readonly total_balance?: MoneyOrDecimal | null;
  /** Fields Coinbase may add (`buying_power`, `max_withdrawal`, …). */
  readonly [key: string]: unknown;
}

const perpetualsPortfolioSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    portfolio_uuid: str(),
    collateral: moneyOrDecimal(),
    position_notional: moneyOrDecimal(),
    open_position_notional: moneyOrDecimal(),
    pending_fees: moneyOrDecimal(),
    borrow: moneyOrDecimal(),
    accrued_interest: moneyOrDecimal(),
    rolling_debt: moneyOrDecimal(),
    portfolio_initial_margin: moneyOrDecimal(),
    portfolio_im_notional: moneyOrDecimal(),
    portfolio_maintenance_margin: moneyOrDecimal(),
    portfolio_mm_notional: moneyOrDecimal(),
    liquidation_percentage: moneyOrDecimal(),
    liquidation_buffer: moneyOrDecimal(),
    margin_type: str(),
    margin_flags: str(),
    liquidation_status: str(),
    unrealized_pnl: moneyOrDecimal(),
    total_balance: moneyOrDecimal(),
  }),
);

/** `GET /intx/portfolio/{portfolio_uuid}`. */
export interface GetPerpetualsPortfolioSummaryResponse {
  /** The portfolio's margin state (one entry). */
  readonly portfolios?: readonly PerpetualsPortfolio[] | null;
  /** Totals. */
  readonly summary?: {
    /** Unrealized PnL. */
    readonly unrealized_pnl?: MoneyOrDecimal | null;
    /** Buying power. */
    readonly buying_power?: MoneyOrDecimal | null;
    /** Total balance. */
    readonly total_balance?: MoneyOrDecimal | null;
    /** The most that can be withdrawn. */
    readonly max_withdrawal_amount?: MoneyOrDecimal | null;
    /** Fields Coinbase may add. */
    readonly [key: string]: unknown;
  } | null;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The perpetuals-portfolio-summary response, as parsed. */
export const getPerpetualsPortfolioSummaryResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    portfolios: maybe(z.array(perpetualsPortfolioSchema())),
    summary: maybe(
      z.looseObject({
        unrealized_pnl: moneyOrDecimal(),
        buying_power: moneyOrDecimal(),
        total_balance: moneyOrDecimal(),
        max_withdrawal_amount: moneyOrDecimal(),
      }),
    ),
  }),
);

/** An open INTX perpetual position. */
export interface PerpetualsPosition {
  /** INTX's internal product id (e.g. `"1r4njf84-0-0"`), not the symbol. */
  readonly product_id?: string | null;
  /** The product's UUID. */
  readonly product_uuid?: string | null;
  /** The symbol, e.g. `"ADA-PERP-INTX"`. */
  readonly symbol: string;
  /** Volume-weighted average price. */
  readonly vwap?: MoneyOrDecimal | null;
  /** `POSITION_SIDE_LONG`, `POSITION_SIDE_SHORT` or `POSITION_SIDE_UNKNOWN`. */
  readonly position_side?: string | null;
  /** Net size, in the base asset. */
  readonly net_size?: ResponseDecimal | null;
  /** Size of open buy orders. */
  readonly buy_order_size?: ResponseDecimal | null;
  /** Size of open sell orders. */
  readonly sell_order_size?: ResponseDecimal | null;
  /** Initial-margin contribution. */
  readonly im_contribution?: ResponseDecimal | null;
  /** Unrealized PnL. */
  readonly unrealized_pnl?: MoneyOrDecimal | null;
  /** Mark price. */
  readonly mark_price?: MoneyOrDecimal | null;
  /** Liquidation price. */
  readonly liquidation_price?: MoneyOrDecimal | null;
  /** Leverage. */
  readonly leverage?: ResponseDecimal | null;
  /** Initial-margin notional. */
  readonly im_notional?: MoneyOrDecimal | null;
  /** Maintenance-margin notional. */
  readonly mm_notional?: MoneyOrDecimal | null;
  /** Position notional. */
  readonly position_notional?: MoneyOrDecimal | null;
  /** `MARGIN_TYPE_CROSS`, `MARGIN_TYPE_ISOLATED` or `MARGIN_TYPE_UNSPECIFIED`. */
  readonly margin_type?: string | null;
  /** Distance to liquidation. */
  readonly liquidation_buffer?: MoneyOrDecimal | null;
  /** Distance to liquidation, in percent. */
  readonly liquidation_percentage?: MoneyOrDecimal | null;
  /** The portfolio's margin state. */
  readonly portfolio_summary?: PerpetualsPortfolio | null;
  /** Entry price. */
  readonly entry_vwap?: MoneyOrDecimal | null;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

const perpetualsPositionSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    product_id: str(),
    product_uuid: str(),
    symbol: z.string(),
    vwap: moneyOrDecimal(),
    position_side: str(),
    net_size: maybe(responseDecimal()),
    buy_order_size: maybe(responseDecimal()),
    sell_order_size: maybe(responseDecimal()),
    im_contribution: maybe(responseDecimal()),
    unrealized_pnl: moneyOrDecimal(),
    mark_price: moneyOrDecimal(),
    liquidation_price: moneyOrDecimal(),
    leverage: maybe(responseDecimal()),
    im_notional: moneyOrDecimal(),
    mm_notional: moneyOrDecimal(),
    position_notional: moneyOrDecimal(),
    margin_type: str(),
    liquidation_buffer: moneyOrDecimal(),
    liquidation_percentage: moneyOrDecimal(),
    portfolio_summary: maybe(perpetualsPortfolioSchema()),
    entry_vwap: moneyOrDecimal(),
  }),
);

/** `GET /intx/positions/{portfolio_uuid}`. */
export interface ListPerpetualsPositionsResponse {
  /** The open positions. */
  readonly positions: readonly PerpetualsPosition[];
  /** Totals as documented (`aggregated_pnl`). */
  readonly summary?: {
    /** PnL across positions. */
    readonly aggregated_pnl?: MoneyOrDecimal | null;
    /** Fields Coinbase may add. */
    readonly [key: string]: unknown;
  } | null;
  /** The portfolio's margin state, as live responses carry it instead of `summary`. */
  readonly portfolio_summary?: PerpetualsPortfolio | null;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The list-perpetuals-positions response, as parsed. */
export const listPerpetualsPositionsResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    positions: z.array(perpetualsPositionSchema()),
    summary: maybe(z.looseObject({ aggregated_pnl: moneyOrDecimal() })),
    portfolio_summary: maybe(perpetualsPortfolioSchema()),
  }),
);

/** `GET /intx/positions/{portfolio_uuid}/{symbol}`. */
export interface GetPerpetualsPositionResponse {
  /** The position. */
  readonly position: PerpetualsPosition;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The get-perpetuals-position response, as parsed. */
export const getPerpetualsPositionResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({ position: perpetualsPositionSchema() }),
);

/** One asset's balance in an INTX portfolio. */
export interface PerpetualsBalance {
  /** The asset (`asset_id`, `asset_uuid`, `asset_name`, `status`, `collateral_weight`, …). */
  readonly asset?: Readonly<Record<string, unknown>> | null;
  /** Quantity held. */
  readonly quantity?: ResponseDecimal | null;
  /** On hold. */
  readonly hold?: ResponseDecimal | null;
  /** Held for transfers. */
  readonly transfer_hold?: ResponseDecimal | null;
  /** Collateral value. */
  readonly collateral_value?: ResponseDecimal | null;
  /** Collateral weight. */
  readonly collateral_weight?: ResponseDecimal | null;
  /** The most that can be withdrawn. */
  readonly max_withdraw_amount?: ResponseDecimal | null;
  /** Loan. */
  readonly loan?: ResponseDecimal | null;
  /** Collateral required for the loan, in USD. */
  readonly loan_collateral_requirement_usd?: ResponseDecimal | null;
  /** Pledged quantity. */
  readonly pledged_quantity?: ResponseDecimal | null;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** `GET /intx/balances/{portfolio_uuid}`. */
export interface GetPortfolioBalancesResponse {
  /** One entry per portfolio. */
  readonly portfolio_balances: readonly {
    /** The portfolio's UUID. */
    readonly portfolio_uuid?: string | null;
    /** The balances. */
    readonly balances?: readonly PerpetualsBalance[] | null;
    /** Whether the margin limit is reached. */
    readonly is_margin_limit_reached?: boolean | null;
    /** Fields Coinbase may add. */
    readonly [key: string]: unknown;
  }[];
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The portfolio-balances response, as parsed. */
export const getPortfolioBalancesResponseSchema = /* @__PURE__ */ z.memo(() => {
  const dec = () => maybe(responseDecimal());
  return z.looseObject({
    portfolio_balances: z.array(
      z.looseObject({
        portfolio_uuid: str(),
        balances: maybe(
          z.array(
            z.looseObject({
              asset: maybe(z.looseObject({})),
              quantity: dec(),
              hold: dec(),
              transfer_hold: dec(),
              collateral_value: dec(),
              collateral_weight: dec(),
              max_withdraw_amount: dec(),
              loan: dec(),
              loan_collateral_requirement_usd: dec(),
              pledged_quantity: dec(),
            }),
          ),
        ),
        is_margin_limit_reached: maybe(z.boolean()),
      }),
    ),
  });
});

/** `POST /intx/multi_asset_collateral`. */
export interface OptInOutMultiAssetCollateralResponse {
  /** Whether multi-asset (cross) collateral is now on. */
  readonly cross_collateral_enabled?: boolean | null;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The multi-asset-collateral response, as parsed. */
export const optInOutMultiAssetCollateralResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({ cross_collateral_enabled: maybe(z.boolean()) }),
);

/** `POST /intx/allocate`: an empty object. */
export interface AllocatePortfolioResponse {
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}
