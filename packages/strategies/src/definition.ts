import type { ParseSchema } from "@gpt/core";
import type { ParamDoc } from "./params.js";
import type { Strategy, StrategyOptions } from "./types.js";

/** Creates strategies by registry name (what meta-strategies use to build their children). */
export interface StrategyFactory {
  /**
   * Validates `params` with the named strategy's schema and creates an instance.
   * @throws StrategyError (`unknown-strategy`, `invalid-params`)
   */
  create(name: string, params: unknown, options: StrategyOptions): Strategy;
  /** The definition registered under a name, if any. */
  get(name: string): StrategyDefinition | undefined;
}

/**
 * A strategy kind the registry knows: its name, documentation, parameter schema and constructor.
 * Register your own with `createStrategyRegistry([...])`.
 */
export interface StrategyDefinition<P = unknown> {
  /** Registry name (`"sma-cross"`), lowercase words joined by `-`. */
  readonly name: string;
  /** One paragraph: what it does and when it trades. */
  readonly description: string;
  /** Every parameter with its default and meaning (kept in sync with `schema` by a test). */
  readonly params: readonly ParamDoc[];
  /**
   * The parameter schema: strict (unknown keys fail), coerces numeric and boolean strings, fills
   * defaults. Any object with a zod-style `safeParse` fits (a zod 4 schema does as it is).
   */
  readonly schema: ParseSchema<P>;
  /** True when the strategy needs funding-rate events (`onFunding`); such strategies suit perpetuals only. */
  readonly usesFunding: boolean;
  /** Builds an instance from validated parameters; `factory` builds child strategies. */
  create(params: P, options: StrategyOptions, factory: StrategyFactory): Strategy;
}

/** Identity helper that keeps a definition's parameter type while widening it for the registry. */
export function defineStrategy<P>(definition: StrategyDefinition<P>): StrategyDefinition<P> {
  return definition;
}
