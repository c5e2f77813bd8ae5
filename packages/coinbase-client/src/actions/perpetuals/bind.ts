import type { CallOptions, ClientContext } from "../../internal/context.js";
import {
  type AllocatePortfolioParams,
  allocatePortfolio,
  type GetPerpetualsPositionParams,
  getPerpetualsPortfolioSummary,
  getPerpetualsPosition,
  getPortfolioBalances,
  listPerpetualsPositions,
  type OptInOutMultiAssetCollateralParams,
  optInOutMultiAssetCollateral,
  type PerpetualsPortfolioParams,
} from "./perpetuals.js";

/**
 * Binds the perpetuals (legacy INTX) actions to a client context: `createCoinbaseClient` spreads the
 * result into the client object, so each action becomes a method (`client.someAction(params, options)`).
 */
export function bindPerpetualsActions(ctx: ClientContext) {
  return {
    allocatePortfolio: (params: AllocatePortfolioParams, options?: CallOptions) =>
      allocatePortfolio(ctx, params, options),
    getPerpetualsPortfolioSummary: (params: PerpetualsPortfolioParams, options?: CallOptions) =>
      getPerpetualsPortfolioSummary(ctx, params, options),
    listPerpetualsPositions: (params: PerpetualsPortfolioParams, options?: CallOptions) =>
      listPerpetualsPositions(ctx, params, options),
    getPerpetualsPosition: (params: GetPerpetualsPositionParams, options?: CallOptions) =>
      getPerpetualsPosition(ctx, params, options),
    getPortfolioBalances: (params: PerpetualsPortfolioParams, options?: CallOptions) =>
      getPortfolioBalances(ctx, params, options),
    optInOutMultiAssetCollateral: (params: OptInOutMultiAssetCollateralParams, options?: CallOptions) =>
      optInOutMultiAssetCollateral(ctx, params, options),
  } as const;
}
