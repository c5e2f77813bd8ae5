import type { CallOptions, ClientContext } from "../../internal/context.js";
import {
  cancelPendingFuturesSweep,
  type GetCurrentMarginWindowParams,
  type GetFuturesPositionParams,
  getCurrentMarginWindow,
  getFuturesBalanceSummary,
  getFuturesPosition,
  getIntradayMarginSetting,
  listFuturesPositions,
  listFuturesSweeps,
  type ScheduleFuturesSweepParams,
  type SetIntradayMarginSettingParams,
  scheduleFuturesSweep,
  setIntradayMarginSetting,
} from "./futures.js";

/**
 * Binds the futures actions to a client context: `createCoinbaseClient` spreads the result into the
 * client object, so each action becomes a method (`client.someAction(params, options)`).
 */
export function bindFuturesActions(ctx: ClientContext) {
  return {
    getFuturesBalanceSummary: (options?: CallOptions) => getFuturesBalanceSummary(ctx, options),
    listFuturesPositions: (options?: CallOptions) => listFuturesPositions(ctx, options),
    getFuturesPosition: (params: GetFuturesPositionParams, options?: CallOptions) =>
      getFuturesPosition(ctx, params, options),
    listFuturesSweeps: (options?: CallOptions) => listFuturesSweeps(ctx, options),
    scheduleFuturesSweep: (params?: ScheduleFuturesSweepParams, options?: CallOptions) =>
      scheduleFuturesSweep(ctx, params, options),
    cancelPendingFuturesSweep: (options?: CallOptions) => cancelPendingFuturesSweep(ctx, options),
    getIntradayMarginSetting: (options?: CallOptions) => getIntradayMarginSetting(ctx, options),
    setIntradayMarginSetting: (params: SetIntradayMarginSettingParams, options?: CallOptions) =>
      setIntradayMarginSetting(ctx, params, options),
    getCurrentMarginWindow: (params: GetCurrentMarginWindowParams, options?: CallOptions) =>
      getCurrentMarginWindow(ctx, params, options),
  } as const;
}
