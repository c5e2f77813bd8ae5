/**
 * Strategies on their instruments: each strategy instrument's slot gets its strategy (one per
 * instrument, settling in the account's currency), its regime classifier and ATR; and the one
 * context object strategies read the cache through.
 */
import type { Clock } from "@gpt/core";
import { Atr } from "@gpt/regime";
import type { StrategyContext } from "@gpt/strategies";
import type { Cache } from "./cache.js";
import { KernelError } from "./errors.js";
import type { ResolvedOptions } from "./options.js";

/**
 * Puts every strategy on its instruments' slots, with a classifier (option `regime`) and an ATR
 * (sizing method `atr`) per instrument.
 * @throws KernelError (`invalid-options`) for an instrument traded by two strategies, or settling
 *   in another currency than the account's.
 */
export function assignStrategies(
  cache: Cache,
  resolved: ResolvedOptions,
  sizingMethod: string | undefined,
): void {
  const { strategies, currency, makeClassifier } = resolved;
  for (const strategy of strategies) {
    for (const id of strategy.instruments) {
      const slot = cache.slot(id);
      if (slot.strategy !== undefined) {
        throw new KernelError(
          "invalid-options",
          `instrument ${id} is traded by two strategies (${slot.strategy.id}, ${strategy.id}); one strategy per instrument`,
          { context: { instrumentId: id, strategies: [slot.strategy.id, strategy.id] } },
        );
      }
      if (slot.instrument.settlementCurrency !== currency) {
        throw new KernelError(
          "invalid-options",
          `instrument ${id} settles in ${slot.instrument.settlementCurrency}, the account in ${currency}`,
          { context: { instrumentId: id, currency } },
        );
      }
      slot.strategy = strategy;
      if (makeClassifier !== undefined) slot.classifier = makeClassifier(id);
      if (sizingMethod === "atr") slot.atr = new Atr({ period: resolved.atrPeriod });
    }
  }
}

/** The strategy context: one object, created once, reading the cache. */
export function strategyContext(cache: Cache, clock: Clock): StrategyContext {
  return {
    clock,
    regime: (id) => cache.peekSlot(id)?.classifier?.value,
    position: (id) => {
      const slot = cache.peekSlot(id);
      return slot?.positionOpen ? slot.position : undefined;
    },
    openOrders: (id) => {
      const slot = cache.peekSlot(id);
      return slot === undefined ? [] : slot.own;
    },
  };
}
