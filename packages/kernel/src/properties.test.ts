import {
  type Bar,
  createBar,
  createStaticInstrumentProvider,
  type Instrument,
  ManualClock,
  MINUTE_MS,
} from "@gpt/core";
import { createPaperEngine } from "@gpt/paper-engine";
import { D } from "@gpt/quantize";
import type { Direction } from "@gpt/strategies";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMemoryEventLog } from "./event-log.js";
import type { Decision } from "./events.js";
import { BarVenue } from "./testing/bar-venue.js";
import { BTC, PERP, ScriptedStrategy, T0 } from "./testing/fixtures.js";
import { createTrader } from "./trader.js";

/** Bars from per-bar moves in basis points (open = previous close, prices on the cent). */
function barsOf(instrument: Instrument, moves: readonly number[], gaps: readonly number[]): Bar[] {
  let close = 100;
  return moves.map((bps, i) => {
    const open = Math.max(1, Math.round(close * (1 + (gaps[i] ?? 0) / 10_000) * 100) / 100);
    close = Math.max(1, Math.round(open * (1 + bps / 10_000) * 100) / 100);
    return createBar({
      instrumentId: instrument.id,
      intervalMs: MINUTE_MS,
      tsOpen: T0 + i * MINUTE_MS,
      open,
      close,
      high: Math.max(open, close) + 0.01,
      low: Math.max(0.01, Math.min(open, close) - 0.01),
      volume: 1,
    });
  });
}

const direction = fc.constantFrom<Direction | undefined>(
  "long",
  "flat",
  "short",
  undefined,
  undefined,
  undefined,
);
const scenario = fc.record({
  moves: fc.array(fc.integer({ min: -300, max: 300 }), { minLength: 5, maxLength: 60 }),
  gaps: fc.array(fc.integer({ min: -200, max: 200 }), { maxLength: 60 }),
  script: fc.array(direction, { maxLength: 60 }),
  fraction: fc.double({ min: 0.05, max: 1, noNaN: true }),
});

/** The sizing cap of every opening order: notional at the decision ≤ fraction × equity (and spot ≤ cash + holding). */
function checkCaps(
  decisions: readonly Decision[],
  fraction: number,
  spot: boolean,
  contractSize: string,
): void {
  for (const d of decisions) {
    if (d.kind !== "order" || (d.reason !== "open" && d.reason !== "flip-open" && d.reason !== "increase"))
      continue;
    const notional = (d.quantity ?? D(0)).mul(d.price ?? D(0)).mul(contractSize);
    expect(notional.lte((d.equity ?? D(0)).mul(D(fraction)))).toBe(true);
    if (spot) expect(notional.lte(d.equity ?? D(0))).toBe(true);
  }
}

describe("accounting properties", () => {
  it("the kernel's ledger equals the test venue's own books after every bar; no order exceeds the sizing cap", () => {
    let fills = 0;
    fc.assert(
      fc.property(scenario, ({ moves, gaps, script, fraction }) => {
        const bars = barsOf(BTC, moves, gaps);
        const clock = new ManualClock(T0);
        const venue = new BarVenue({ instruments: [BTC], cash: "10000" });
        const strategy = new ScriptedStrategy([BTC.id], (_b, i) => script[i], { sizeFraction: fraction });
        const log = createMemoryEventLog({ capacity: "unbounded" });
        const trader = createTrader({
          clock,
          execution: venue,
          instruments: createStaticInstrumentProvider([BTC]),
          strategy,
          account: "10000",
          venueFeed: (e) => {
            if (e.type === "Bar") venue.onBar(e);
          },
          eventLog: log,
        }).start();
        for (const bar of bars) {
          clock.set(bar.tsEvent);
          trader.onBar(bar);
          expect(trader.cache.equity().eq(venue.snapshot().equity)).toBe(true);
          expect(trader.cache.cash().eq(venue.snapshot().cash)).toBe(true);
        }
        const decisions = log.events().filter((e): e is Decision => e.type === "Decision");
        checkCaps(decisions, fraction, true, "1");
        // The position is the sum of the fills.
        let sum = D(0);
        for (const e of log.events()) {
          if (e.type !== "OrderFilled") continue;
          fills += 1;
          sum = e.side === "buy" ? sum.plus(e.lastQty) : sum.minus(e.lastQty);
        }
        expect((trader.cache.position(BTC.id)?.quantity ?? D(0)).eq(sum)).toBe(true);
      }),
      { numRuns: 150 },
    );
    // Not vacuous: the scenarios trade.
    expect(fills).toBeGreaterThan(100);
  });

  it("the kernel's ledger equals the paper engine's account (cash spot and margin perpetual)", () => {
    let fills = 0;
    fc.assert(
      fc.property(scenario, fc.boolean(), ({ moves, gaps, script, fraction }, perp) => {
        const instrument = perp ? PERP : BTC;
        const bars = barsOf(instrument, moves, gaps);
        const clock = new ManualClock(T0);
        const engine = createPaperEngine({
          accountType: perp ? "margin" : "cash",
          instruments: [instrument],
          initialBalances: { USD: "10000" },
          clock,
          marketOrderBuffer: "0.05",
        });
        const strategy = new ScriptedStrategy([instrument.id], (_b, i) => script[i], {
          sizeFraction: fraction,
        });
        const log = createMemoryEventLog({ capacity: "unbounded" });
        const trader = createTrader({
          clock,
          execution: engine,
          instruments: createStaticInstrumentProvider([instrument]),
          strategy,
          account: "10000",
          venueFeed: (e) => engine.onMarketData(e),
          eventLog: log,
          spotBuyHeadroom: 0.06,
        }).start();
        for (const bar of bars) {
          clock.set(bar.tsEvent);
          trader.onBar(bar);
          const snapshot = engine.snapshot();
          expect(trader.cache.equity().toFixed()).toBe(snapshot.equity.toFixed());
          expect(trader.cache.account().commissions.eq(snapshot.commissions)).toBe(true);
        }
        expect(log.events().filter((e) => e.type === "KernelWarning")).toEqual([]);
        fills += log.events().filter((e) => e.type === "OrderFilled").length;
        const decisions = log.events().filter((e): e is Decision => e.type === "Decision");
        checkCaps(decisions, fraction, !perp, perp ? "0.01" : "1");
      }),
      { numRuns: 120 },
    );
    expect(fills).toBeGreaterThan(100);
  });
});
