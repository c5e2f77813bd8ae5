/**
 * `@gpt/strategies`: the `Strategy` contract, the built-in strategies and a registry that creates
 * them from (string) parameters. The ML strategy selector lives in `@gpt/strategies-ml`.
 *
 * A strategy sees a read-only `StrategyContext` (clock, regime, its positions and orders) and each
 * bar (and funding observation); it returns `StrategyIntent`s: standing targets with a confidence,
 * emitted only when they change, never sizes in units. No I/O, no clock reads, no randomness, O(1)
 * per bar: the same code runs in the backtester, on paper and live.
 */

export type {
  ReplayOptions,
  ReplayRecord,
  ReplayResult,
  StaticContextInput,
  StrategyEvent,
} from "./context.js";
export { createStaticContext, replayStrategy } from "./context.js";
export type { StrategyDefinition, StrategyFactory } from "./definition.js";
export { defineStrategy } from "./definition.js";
export type { StrategyErrorCode, StrategyErrorOptions, StrategyIssue } from "./errors.js";
export { isStrategyError, StrategyError } from "./errors.js";
export type { TargetPositionInput } from "./intents.js";
export { assertValidIntent, NO_INTENTS, sameTarget, targetPosition, validateIntent } from "./intents.js";
export { SingleInstrumentStrategy } from "./internal/base.js";
export { latestTarget, TargetTracker } from "./internal/target.js";
export type { ParamDoc } from "./params.js";
export { coerceBooleanParam, coerceNumberParam, issuesOf, parseParamArgs } from "./params.js";
export type { StrategyInfo, StrategyRegistry } from "./registry.js";
export {
  BUILT_IN_STRATEGIES,
  createStrategy,
  createStrategyRegistry,
  defaultStrategyRegistry,
  listStrategies,
} from "./registry.js";
export type { BuyAndHoldParams, FlatParams } from "./strategies/baseline.js";
export {
  BuyAndHoldStrategy,
  buyAndHoldDefinition,
  buyAndHoldSchema,
  FlatStrategy,
  flatDefinition,
  flatSchema,
} from "./strategies/baseline.js";
export type { BreakoutParams } from "./strategies/breakout.js";
export { BreakoutStrategy, breakoutDefinition, breakoutSchema } from "./strategies/breakout.js";
export type { FundingCarryParams } from "./strategies/funding-carry.js";
export {
  FundingCarryStrategy,
  fundingCarryDefinition,
  fundingCarrySchema,
  YEAR_MS,
} from "./strategies/funding-carry.js";
export type { MeanReversionParams } from "./strategies/mean-reversion.js";
export {
  MeanReversionStrategy,
  meanReversionDefinition,
  meanReversionSchema,
} from "./strategies/mean-reversion.js";
export type { RegimeSwitchParams } from "./strategies/regime-switch.js";
export {
  RegimeSwitchStrategy,
  regimeSwitchDefinition,
  regimeSwitchSchema,
} from "./strategies/regime-switch.js";
export type { SmaCrossParams } from "./strategies/sma-cross.js";
export { MAX_WINDOW, SmaCrossStrategy, smaCrossDefinition, smaCrossSchema } from "./strategies/sma-cross.js";
export type { TrendFollowingParams } from "./strategies/trend-following.js";
export {
  TrendFollowingStrategy,
  trendFollowingDefinition,
  trendFollowingSchema,
} from "./strategies/trend-following.js";
export type {
  CancelOrdersIntent,
  Direction,
  Strategy,
  StrategyContext,
  StrategyIntent,
  StrategyOptions,
  TargetPositionIntent,
} from "./types.js";
export { DIRECTIONS } from "./types.js";
