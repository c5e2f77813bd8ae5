/**
 * Test helpers of @gpt/strategies-ml: the bar and series builders of @gpt/strategies' own tests
 * (shared from its source, not duplicated) and a registry with the ML selector registered.
 */
import {
  BUILT_IN_STRATEGIES,
  createStrategyRegistry,
  type Strategy,
  type StrategyOptions,
} from "@gpt/strategies";
import { mlSelectorDefinition } from "./selector-strategy.js";

export {
  BTC,
  BTC_PERP,
  barsFromCloses,
  funding,
  randomWalkCloses,
  regimeWalkBars,
  SMALL_FEATURES,
  targets,
} from "../../strategies/src/test-support.js";

/** The built-ins plus `ml-selector`, as an application registers them. */
export const mlRegistry = createStrategyRegistry([...BUILT_IN_STRATEGIES, mlSelectorDefinition]);

/** `createStrategy` of `mlRegistry`. */
export function createStrategy(name: string, params: unknown, options: StrategyOptions): Strategy {
  return mlRegistry.create(name, params, options);
}
