/**
 * What `start()` listens to, and the default run prefix of client order ids: small pure helpers
 * of the trader's lifecycle.
 */
import type { Clock, MarketDataEvent, MarketDataPort, Unsubscribe } from "@gpt/core";
import type { InstrumentSlot } from "./cache.js";

/** The default run prefix (see `TraderIds.runId`): pure, from the injected clock only. */
export function defaultRunId(clock: Clock, simulated: boolean): string {
  return simulated ? "o" : `o${Math.max(0, Math.floor(clock.now())).toString(36)}`;
}

/**
 * Subscribes to the bars of every strategy instrument, the marks of derivatives and the funding
 * of perpetuals whose strategy handles funding; returns the unsubscribers.
 */
export function subscribeMarketData(
  port: MarketDataPort,
  slots: readonly InstrumentSlot[],
  intervalMs: number,
  handler: (event: MarketDataEvent) => void,
): Unsubscribe[] {
  const out: Unsubscribe[] = [];
  for (const slot of slots) {
    const strategy = slot.strategy;
    if (strategy === undefined) continue;
    out.push(port.subscribe({ kind: "bars", instrumentId: slot.id, intervalMs }, handler));
    if (slot.derivative) out.push(port.subscribe({ kind: "mark", instrumentId: slot.id }, handler));
    if (slot.instrument.kind === "perpetual" && strategy.onFunding !== undefined) {
      out.push(port.subscribe({ kind: "funding", instrumentId: slot.id }, handler));
    }
  }
  return out;
}
