import type { CallOptions, ClientContext } from "../../internal/context.js";
import {
  type CreatePortfolioParams,
  createPortfolio,
  type DeletePortfolioParams,
  deletePortfolio,
  type EditPortfolioParams,
  editPortfolio,
  type GetPortfolioBreakdownParams,
  getPortfolioBreakdown,
  type ListPortfoliosParams,
  listPortfolios,
  type MovePortfolioFundsParams,
  movePortfolioFunds,
} from "./portfolios.js";

/**
 * Binds the portfolios actions to a client context: `createCoinbaseClient` spreads the result into the
 * client object, so each action becomes a method (`client.someAction(params, options)`).
 */
export function bindPortfolioActions(ctx: ClientContext) {
  return {
    listPortfolios: (params?: ListPortfoliosParams, options?: CallOptions) =>
      listPortfolios(ctx, params, options),
    createPortfolio: (params: CreatePortfolioParams, options?: CallOptions) =>
      createPortfolio(ctx, params, options),
    getPortfolioBreakdown: (params: GetPortfolioBreakdownParams, options?: CallOptions) =>
      getPortfolioBreakdown(ctx, params, options),
    editPortfolio: (params: EditPortfolioParams, options?: CallOptions) =>
      editPortfolio(ctx, params, options),
    deletePortfolio: (params: DeletePortfolioParams, options?: CallOptions) =>
      deletePortfolio(ctx, params, options),
    movePortfolioFunds: (params: MovePortfolioFundsParams, options?: CallOptions) =>
      movePortfolioFunds(ctx, params, options),
  } as const;
}
