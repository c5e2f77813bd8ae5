import { BUILT_IN_STRATEGIES, createStrategyRegistry } from "@gpt/strategies";
import { mlSelectorDefinition } from "@gpt/strategies-ml";

/**
 * The strategies the backtester knows: the built-ins of `@gpt/strategies` plus `ml-selector` from
 * `@gpt/strategies-ml` (which `@gpt/strategies` no longer carries).
 */
export const strategyRegistry = createStrategyRegistry([...BUILT_IN_STRATEGIES, mlSelectorDefinition]);
