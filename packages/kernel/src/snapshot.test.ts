/**
 * Snapshot and restore: a run stopped at any bar, snapshotted, sent through JSON, restored into a
 * fresh trader (warmed up from history) and continued writes the same event log as a run that
 * never stopped.
 */
import {
  type Bar,
  createBar,
  createSeededRng,
  createStaticInstrumentProvider,
  type Instrument,
  ManualClock,
  MINUTE_MS,
} from "@gpt/core";
import { createPaperEngine, type PaperEngine } from "@gpt/paper-engine";
import { createStrategy } from "@gpt/strategies";
import { describe, expect, it } from "vitest";
import { KernelError } from "./errors.js";
import { createMemoryEventLog, type MemoryEventLog } from "./event-log.js";
import { compareEventLogs } from "./serialize.js";
import { TRADER_SNAPSHOT_VERSION, type TraderSnapshot } from "./snapshot.js";
import { BTC, PERP, T0 } from "./testing/fixtures.js";
import { createTrader, restoreTrader, type Trader, type TraderOptions } from "./trader.js";

/** Seeded random-walk bars with wide swings, so sma-cross trades often. */
function walk(instrument: Instrument, seed: number, n: number): Bar[] {
  const rng = createSeededRng(seed);
  const bars: Bar[] = [];
  let close = 100;
  for (let i = 0; i < n; i++) {
    const open = close;
    close = Math.max(1, Math.round(open * (1 + (rng.next() - 0.5) * 0.04) * 100) / 100);
    bars.push(
      createBar({
        instrumentId: instrument.id,
        intervalMs: MINUTE_MS,
        tsOpen: T0 + i * MINUTE_MS,
        open,
        high: Math.max(open, close) + 0.1,
        low: Math.max(0.01, Math.min(open, close) - 0.1),
        close,
        volume: 5,
      }),
    );
  }
  return bars;
}

interface Wiring {
  readonly clock: ManualClock;
  readonly engine: PaperEngine;
  options(log: MemoryEventLog): TraderOptions;
}

function wiring(instrument: Instrument): Wiring {
  const clock = new ManualClock(T0);
  const margin = instrument.kind !== "spot";
  const engine = createPaperEngine({
    accountType: margin ? "margin" : "cash",
    instruments: [instrument],
    initialBalances: { USD: "10000" },
    clock,
    marketOrderBuffer: "0",
  });
  return {
    clock,
    engine,
    options: (log) => ({
      clock,
      execution: engine,
      instruments: createStaticInstrumentProvider([instrument]),
      // A fresh strategy per trader: its indicator state comes from the history replay only.
      strategy: createStrategy(
        "sma-cross",
        { fast: 3, slow: 8, fraction: 0.5 },
        { instrumentId: instrument.id },
      ),
      account: "10000",
      risk: {
        maxDailyLossPct: "0.05",
        breakers: { drawdown: { maxPct: "0.06" }, consecutiveLosses: { maxCount: 3 } },
      },
      regime: "1m",
      venueFeed: (event) => engine.onMarketData(event),
      eventLog: log,
    }),
  };
}

function feed(trader: Trader, clock: ManualClock, bars: readonly Bar[]): void {
  for (const bar of bars) {
    clock.set(bar.tsEvent);
    trader.onBar(bar);
  }
}

describe("snapshot and restore", () => {
  for (const instrument of [BTC, PERP]) {
    it(`a run restored from a JSON snapshot at any bar logs what an uninterrupted run logs (${instrument.kind})`, () => {
      const bars = walk(instrument, instrument.kind === "spot" ? 11 : 11, 160);
      const reference = wiring(instrument);
      const referenceLog = createMemoryEventLog({ capacity: "unbounded" });
      const uninterrupted = createTrader(reference.options(referenceLog)).start();
      feed(uninterrupted, reference.clock, bars);
      const orders = referenceLog.events().filter((e) => e.type === "OrderFilled").length;
      expect(orders).toBeGreaterThan(4); // it trades
      expect(referenceLog.events().some((e) => e.type === "RiskNotice")).toBe(true); // risk state matters

      for (const cut of [1, 9, 40, 77, 101, 159]) {
        const w = wiring(instrument);
        const before = createMemoryEventLog({ capacity: "unbounded" });
        const first = createTrader(w.options(before)).start();
        feed(first, w.clock, bars.slice(0, cut));
        const snapshot = JSON.parse(JSON.stringify(first.snapshot())) as TraderSnapshot;
        first.stop();

        const after = createMemoryEventLog({ capacity: "unbounded" });
        const second = restoreTrader(snapshot, w.options(after), { history: bars.slice(0, cut) });
        expect(second.state).toBe("built");
        expect(second.cache.account()).toEqual(first.cache.account());
        expect(second.cache.openOrders()).toEqual(first.cache.openOrders());
        expect(second.risk?.state).toEqual(first.risk?.state);
        second.start();
        feed(second, w.clock, bars.slice(cut));

        const joined = [...before.events(), ...after.events()];
        const comparison = compareEventLogs(referenceLog.events(), joined);
        expect(comparison, `cut at bar ${cut}`).toEqual({ equal: true, count: referenceLog.events().length });
        expect(second.cache.account()).toEqual(uninterrupted.cache.account());
      }
    });
  }

  it("continues the id counters: no client order id or event id is handed out twice", () => {
    const bars = walk(PERP, 11, 120);
    const w = wiring(PERP);
    const before = createMemoryEventLog({ capacity: "unbounded" });
    const options = { ...w.options(before), venueFeed: undefined, ids: { runId: "bot" } };
    const first = createTrader({ ...options, venueFeed: (e) => w.engine.onMarketData(e) }).start();
    feed(first, w.clock, bars.slice(0, 60));
    const snapshot = first.snapshot();
    expect(snapshot.ids.runId).toBe("bot");
    first.stop();
    const after = createMemoryEventLog({ capacity: "unbounded" });
    const second = restoreTrader(
      snapshot,
      { ...w.options(after), ids: { runId: "bot" } },
      {
        history: bars.slice(0, 60),
      },
    ).start();
    feed(second, w.clock, bars.slice(60));
    const ids = [...before.events(), ...after.events()].map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    const orderIds = [...before.events(), ...after.events()]
      .filter((e) => e.type === "OrderInitialized")
      .map((e) => e.clientOrderId);
    expect(orderIds.length).toBeGreaterThan(2);
    expect(new Set(orderIds).size).toBe(orderIds.length);
    expect(orderIds.every((id) => id.startsWith("bot-"))).toBe(true);
  });

  it("refuses data that is not a snapshot of this version, or of another currency", () => {
    const w = wiring(BTC);
    const snapshot = createTrader(w.options(createMemoryEventLog())).snapshot();
    expect(snapshot.version).toBe(TRADER_SNAPSHOT_VERSION);
    const options = w.options(createMemoryEventLog());
    expect(() => restoreTrader({ ...snapshot, version: 3 as 2 }, options)).toThrowError(/version 3/);
    expect(() => restoreTrader({} as TraderSnapshot, options)).toThrowError(KernelError);
    expect(() => restoreTrader({ ...snapshot, currency: "EUR" }, options)).toThrowError(/EUR/);
    expect(() => restoreTrader({ ...snapshot, cash: "not a number" }, options)).toThrowError(/decode/);
  });
});
