import type { StrategyFactory } from "../definition.js";
import { StrategyError } from "../errors.js";
import { throwInvalidParams } from "../params.js";
import type { Strategy, StrategyOptions } from "../types.js";

/**
 * Builds a child strategy for a meta-strategy and reports problems against the parent's parameters:
 * an unknown child name at `nameParam`, a bad child parameter at `"<paramsParam>.<param>"`.
 */
export function createChild(
  factory: StrategyFactory,
  parent: string,
  nameParam: string,
  paramsParam: string,
  childName: string,
  childParams: unknown,
  options: StrategyOptions,
): Strategy {
  try {
    return factory.create(childName, childParams, options);
  } catch (error) {
    if (!(error instanceof StrategyError)) throw error;
    if (error.code === "unknown-strategy") {
      throwInvalidParams(parent, [{ path: nameParam, message: error.message, value: childName }]);
    }
    if (error.code === "invalid-params") {
      throwInvalidParams(
        parent,
        error.issues.map((i) => ({
          ...i,
          path: i.path === "(root)" ? paramsParam : `${paramsParam}.${i.path}`,
        })),
      );
    }
    throw error;
  }
}
