/**
 * Portfolios (`/portfolios`, `/portfolios/{portfolio_uuid}`, `/portfolios/move_funds`). Amounts are
 * `{ value, currency }` money objects with decimal strings; unknown fields are kept.
 */
import * as z from "../internal/zod.js";
import { type Money, maybe, moneySchema } from "./accounts.js";

/** A portfolio. */
export interface Portfolio {
  /** The portfolio's name. */
  readonly name: string;
  /** The portfolio's UUID. */
  readonly uuid: string;
  /** `DEFAULT`, `CONSUMER`, `INTX` or `UNDEFINED`. */
  readonly type?: string | null;
  /** Whether the portfolio is deleted. */
  readonly deleted?: boolean | null;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The portfolio object, as parsed. */
const portfolioSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    name: z.string(),
    uuid: z.string(),
    type: maybe(z.string()),
    deleted: maybe(z.boolean()),
  }),
);

/** `GET /portfolios`. */
export interface ListPortfoliosResponse {
  /** The portfolios. */
  readonly portfolios: readonly Portfolio[];
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The list-portfolios response, as parsed. */
export const listPortfoliosResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({ portfolios: z.array(portfolioSchema()) }),
);

/** `POST /portfolios` and `PUT /portfolios/{portfolio_uuid}`: the created or renamed portfolio. */
export interface PortfolioResponse {
  /** The portfolio. */
  readonly portfolio: Portfolio;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The create/edit-portfolio response, as parsed. */
export const portfolioResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({ portfolio: portfolioSchema() }),
);

/** `DELETE /portfolios/{portfolio_uuid}`: an empty object. */
export interface DeletePortfolioResponse {
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** An empty (or any) JSON object, as parsed. */
export const emptyObjectSchema = /* @__PURE__ */ z.memo(() => z.looseObject({}));

/** The balance totals of a portfolio breakdown. */
export interface PortfolioBalances {
  /** Everything, in the requested currency. */
  readonly total_balance?: Money | null;
  /** US futures balance. */
  readonly total_futures_balance?: Money | null;
  /** Cash and cash equivalents. */
  readonly total_cash_equivalent_balance?: Money | null;
  /** Crypto holdings. */
  readonly total_crypto_balance?: Money | null;
  /** Unrealized PnL of US futures. */
  readonly futures_unrealized_pnl?: Money | null;
  /** Unrealized PnL of perpetuals. */
  readonly perp_unrealized_pnl?: Money | null;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** `GET /portfolios/{portfolio_uuid}`: balances and positions of one portfolio. */
export interface PortfolioBreakdown {
  /** The portfolio. */
  readonly portfolio: Portfolio;
  /** Balance totals. */
  readonly portfolio_balances?: PortfolioBalances | null;
  /** Spot positions (one per asset); fields as Coinbase sends them. */
  readonly spot_positions?: readonly Readonly<Record<string, unknown>>[] | null;
  /** Perpetual positions; fields as Coinbase sends them. */
  readonly perp_positions?: readonly Readonly<Record<string, unknown>>[] | null;
  /** US futures positions; fields as Coinbase sends them. */
  readonly futures_positions?: readonly Readonly<Record<string, unknown>>[] | null;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The get-portfolio-breakdown response. */
export interface GetPortfolioBreakdownResponse {
  /** The breakdown. */
  readonly breakdown: PortfolioBreakdown;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

const positionListSchema = () => maybe(z.array(z.looseObject({})));

/** The get-portfolio-breakdown response, as parsed. */
export const getPortfolioBreakdownResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    breakdown: z.looseObject({
      portfolio: portfolioSchema(),
      portfolio_balances: maybe(
        z.looseObject({
          total_balance: maybe(moneySchema()),
          total_futures_balance: maybe(moneySchema()),
          total_cash_equivalent_balance: maybe(moneySchema()),
          total_crypto_balance: maybe(moneySchema()),
          futures_unrealized_pnl: maybe(moneySchema()),
          perp_unrealized_pnl: maybe(moneySchema()),
        }),
      ),
      spot_positions: positionListSchema(),
      perp_positions: positionListSchema(),
      futures_positions: positionListSchema(),
    }),
  }),
);

/** `POST /portfolios/move_funds`: the two portfolios involved. */
export interface MovePortfolioFundsResponse {
  /** The portfolio the funds left. */
  readonly source_portfolio_uuid: string;
  /** The portfolio the funds went to. */
  readonly target_portfolio_uuid: string;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The move-funds response, as parsed. */
export const movePortfolioFundsResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({ source_portfolio_uuid: z.string(), target_portfolio_uuid: z.string() }),
);
