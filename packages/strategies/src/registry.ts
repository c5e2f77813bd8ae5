import type { StrategyDefinition, StrategyFactory } from "./definition.js";
import { StrategyError } from "./errors.js";
import { type ParamDoc, parseParams } from "./params.js";
import { buyAndHoldDefinition, flatDefinition } from "./strategies/baseline.js";
import { breakoutDefinition } from "./strategies/breakout.js";
import { fundingCarryDefinition } from "./strategies/funding-carry.js";
import { meanReversionDefinition } from "./strategies/mean-reversion.js";
import { regimeSwitchDefinition } from "./strategies/regime-switch.js";
import { smaCrossDefinition } from "./strategies/sma-cross.js";
import { trendFollowingDefinition } from "./strategies/trend-following.js";
import type { Strategy, StrategyOptions } from "./types.js";

/** What `listStrategies()` reports about one strategy kind. */
export interface StrategyInfo {
  /** Registry name. */
  readonly name: string;
  /** What it does. */
  readonly description: string;
  /** True when it needs funding-rate events (perpetuals only). */
  readonly usesFunding: boolean;
  /** Its parameters with defaults. */
  readonly params: readonly ParamDoc[];
}

/** A set of strategy kinds by name: create instances, list and look up definitions. */
export interface StrategyRegistry extends StrategyFactory {
  /** Every strategy kind, in registration order. */
  list(): readonly StrategyInfo[];
  /** The registered names. */
  names(): readonly string[];
}

/** Any definition, whatever its parameter type (method bivariance makes this sound for the registry). */
type AnyDefinition = StrategyDefinition<never> | StrategyDefinition;

/** The built-in strategy kinds, in the order `listStrategies()` reports them. */
export const BUILT_IN_STRATEGIES: readonly StrategyDefinition[] = Object.freeze([
  smaCrossDefinition,
  trendFollowingDefinition,
  breakoutDefinition,
  meanReversionDefinition,
  fundingCarryDefinition,
  regimeSwitchDefinition,
  buyAndHoldDefinition,
  flatDefinition,
] as readonly AnyDefinition[] as readonly StrategyDefinition[]);

/**
 * A registry of the given definitions (pass `[...BUILT_IN_STRATEGIES, mine]` to add your own).
 * Meta-strategies created through it build their children through it too.
 * @throws StrategyError (`invalid-input`) when two definitions share a name.
 */
export function createStrategyRegistry(definitions: readonly StrategyDefinition[]): StrategyRegistry {
  const byName = new Map<string, StrategyDefinition>();
  for (const d of definitions) {
    if (byName.has(d.name)) {
      throw new StrategyError("invalid-input", `strategy "${d.name}" is defined twice`, {
        strategy: d.name,
        value: d.name,
      });
    }
    byName.set(d.name, d);
  }
  const infos: readonly StrategyInfo[] = Object.freeze(
    definitions.map((d) =>
      Object.freeze({
        name: d.name,
        description: d.description,
        usesFunding: d.usesFunding,
        params: d.params,
      }),
    ),
  );
  const registry: StrategyRegistry = {
    list: () => infos,
    get: (name) => byName.get(name),
    names: () => [...byName.keys()],
    create(name: string, params: unknown, options: StrategyOptions): Strategy {
      const definition = byName.get(name);
      if (definition === undefined) {
        throw new StrategyError(
          "unknown-strategy",
          `unknown strategy "${name}"; known: ${[...byName.keys()].join(", ")}`,
          { strategy: name, value: name },
        );
      }
      return definition.create(parseParams(name, definition.schema, params), options, registry);
    },
  };
  return registry;
}

/** The registry of the built-in strategies. */
export const defaultStrategyRegistry: StrategyRegistry = createStrategyRegistry(BUILT_IN_STRATEGIES);

/**
 * Creates a built-in strategy by name. Parameters are validated (strict: unknown keys fail) and
 * coerced from strings, so command-line values (`{ fast: "10" }`, or `parseParamArgs(["fast=10"])`)
 * work as is; missing ones take their documented defaults.
 *
 * @throws StrategyError `unknown-strategy` (naming it) or `invalid-params` (naming the strategy, the
 * parameter and the value, listing every problem). The ML selector is not built in: register
 * `mlSelectorDefinition` from `@gpt/strategies-ml` with `createStrategyRegistry`.
 */
export function createStrategy(name: string, params: unknown, options: StrategyOptions): Strategy {
  return defaultStrategyRegistry.create(name, params, options);
}

/** The built-in strategy kinds with their descriptions and parameter documentation. */
export function listStrategies(): readonly StrategyInfo[] {
  return defaultStrategyRegistry.list();
}
