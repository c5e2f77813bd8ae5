/**
 * Integration with `@gpt/paper-engine`: the simulated venue the backtester wires in. The kernel's
 * ledger must equal the engine's own account to the last digit.
 */
import {
  type Bar,
  createBar,
  createSeededRng,
  createStaticInstrumentProvider,
  type Instrument,
  type InstrumentId,
  ManualClock,
  MINUTE_MS,
} from "@gpt/core";
import { createPaperEngine, type PaperEngine, type PaperEngineConfig } from "@gpt/paper-engine";
import { D } from "@gpt/quantize";
import { createStrategy, type Strategy } from "@gpt/strategies";
import { describe, expect, it } from "vitest";
import { createMemoryEventLog, type MemoryEventLog } from "./event-log.js";
import type { TraderEvent } from "./events.js";
import { BTC, ETH, PERP, ScriptedStrategy, T0 } from "./testing/fixtures.js";
import { createTrader, type Trader, type TraderOptions } from "./trader.js";

/** Seeded random-walk 1-minute bars (open = previous close, rounded to cents). */
export function randomWalkBars(
  instrumentId: InstrumentId,
  seed: number,
  n: number,
  start = T0,
  from = 100,
): Bar[] {
  const rng = createSeededRng(seed);
  const bars: Bar[] = [];
  let close = from;
  for (let i = 0; i < n; i++) {
    const open = close;
    close = Math.max(1, Math.round(open * (1 + (rng.next() - 0.5) * 0.01) * 100) / 100);
    const high = Math.max(open, close) + Math.round(rng.next() * 20) / 100;
    const low = Math.max(0.01, Math.min(open, close) - Math.round(rng.next() * 20) / 100);
    bars.push(
      createBar({
        instrumentId,
        intervalMs: MINUTE_MS,
        tsOpen: start + i * MINUTE_MS,
        open,
        high,
        low,
        close,
        volume: 5,
      }),
    );
  }
  return bars;
}

interface PaperRun {
  readonly engine: PaperEngine;
  readonly trader: Trader;
  readonly log: MemoryEventLog;
  ofType<T extends TraderEvent["type"]>(type: T): Extract<TraderEvent, { type: T }>[];
}

function runPaper(
  instruments: readonly Instrument[],
  strategies: readonly Strategy[],
  bars: readonly Bar[],
  engineConfig: Partial<PaperEngineConfig>,
  traderOptions: Partial<TraderOptions> = {},
  cash = "10000",
): PaperRun {
  const clock = new ManualClock(T0);
  const margin = instruments.some((i) => i.kind !== "spot");
  const engine = createPaperEngine({
    accountType: margin ? "margin" : "cash",
    instruments,
    initialBalances: { USD: cash },
    clock,
    ...engineConfig,
  });
  const log = createMemoryEventLog({ capacity: "unbounded" });
  const trader = createTrader({
    clock,
    execution: engine,
    instruments: createStaticInstrumentProvider(instruments),
    strategies,
    account: cash,
    venueFeed: (event) => engine.onMarketData(event),
    eventLog: log,
    ...traderOptions,
  }).start();
  for (const bar of bars) {
    if (bar.tsEvent > clock.now()) clock.set(bar.tsEvent);
    trader.onBar(bar);
  }
  return {
    engine,
    trader,
    log,
    ofType<T extends TraderEvent["type"]>(type: T) {
      return log.events().filter((e): e is Extract<TraderEvent, { type: T }> => e.type === type);
    },
  };
}

function expectLedgerEqualsEngine(run: PaperRun, instruments: readonly Instrument[]): void {
  const snapshot = run.engine.snapshot();
  const cache = run.trader.cache;
  expect(cache.equity().toFixed()).toBe(snapshot.equity.toFixed());
  expect(cache.account().commissions.toFixed()).toBe(snapshot.commissions.toFixed());
  expect(cache.account().realizedPnl.toFixed()).toBe(snapshot.realizedPnl.toFixed());
  for (const i of instruments) {
    expect(cache.position(i.id)?.quantity.toFixed() ?? "0").toBe(
      run.engine.position(i.id)?.quantity.toFixed() ?? "0",
    );
  }
  if (snapshot.accountType === "cash") {
    const usd = snapshot.balances.find((b) => b.currency === "USD");
    expect(cache.cash().toFixed()).toBe(usd?.total.toFixed());
  }
  expect(run.ofType("KernelWarning")).toEqual([]);
}

describe("with @gpt/paper-engine", () => {
  it("sma-cross on a cash account: orders fill at the next open, the ledger equals the engine's account exactly", () => {
    const bars = randomWalkBars(BTC.id, 11, 3_000);
    const strategy = createStrategy(
      "sma-cross",
      { fast: 10, slow: 30, fraction: 1 },
      { instrumentId: BTC.id },
    );
    // The engine holds qty × last × (1 + 0) × (1 + 0.006) at submit: headroom 0.006 makes fraction 1 fit.
    const run = runPaper([BTC], [strategy], bars, { marketOrderBuffer: "0" }, { spotBuyHeadroom: 0.006 });
    const orders = run.ofType("Decision").filter((d) => d.kind === "order");
    const fills = run.ofType("OrderFilled");
    expect(orders.length).toBeGreaterThan(20);
    expect(run.ofType("OrderRejected")).toEqual([]);
    // Every order filled in full at the open of the bar after its decision.
    const byId = new Map(fills.map((f) => [f.clientOrderId, f]));
    for (const d of orders.slice(0, -1)) {
      const fill = byId.get(d.clientOrderId ?? ("" as never));
      const next = bars.find((b) => b.tsOpen === d.tsEvent);
      expect(fill?.lastQty.toFixed()).toBe(d.quantity?.toFixed());
      expect(fill?.lastPrice.toNumber()).toBe(next?.open);
      expect(fill?.commission.eq((fill?.lastQty ?? D(0)).mul(fill?.lastPrice ?? D(0)).mul("0.006"))).toBe(
        true,
      );
    }
    expectLedgerEqualsEngine(run, [BTC]);
  });

  it("fraction 1 with no headroom: the engine rejects the unaffordable buy, visibly, and nothing fills", () => {
    const bars = randomWalkBars(BTC.id, 3, 200);
    const strategy = createStrategy("sma-cross", { fast: 3, slow: 8, fraction: 1 }, { instrumentId: BTC.id });
    const run = runPaper([BTC], [strategy], bars, { marketOrderBuffer: "0" });
    const rejected = run.ofType("OrderRejected");
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected[0]?.code).toBe("INSUFFICIENT_FUND");
    expect(run.ofType("OrderFilled")).toEqual([]);
    expect(run.trader.cache.equity().toFixed()).toBe("10000");
  });

  it("two spot instruments on one cash account, interleaved", () => {
    const btcBars = randomWalkBars(BTC.id, 5, 1_500, T0, 100);
    const ethBars = randomWalkBars(ETH.id, 6, 1_500, T0, 20);
    const bars = [...btcBars, ...ethBars].sort(
      (a, b) => a.tsEvent - b.tsEvent || a.instrumentId.localeCompare(b.instrumentId),
    );
    const s1 = createStrategy("sma-cross", { fast: 5, slow: 20, fraction: 0.45 }, { instrumentId: BTC.id });
    const s2 = createStrategy("sma-cross", { fast: 7, slow: 25, fraction: 0.45 }, { instrumentId: ETH.id });
    const run = runPaper([BTC, ETH], [s1, s2], bars, { marketOrderBuffer: "0.01" });
    expect(run.ofType("OrderFilled").length).toBeGreaterThan(20);
    expectLedgerEqualsEngine(run, [BTC, ETH]);
  });

  it("a perpetual on a margin account, long/short/flat flips: ledger equals the engine", () => {
    const bars = randomWalkBars(PERP.id, 21, 1_000, T0, 100);
    const rng = createSeededRng(99);
    const strategy = new ScriptedStrategy(
      [PERP.id],
      () => {
        const r = rng.next();
        return r < 0.03 ? "long" : r < 0.06 ? "short" : r < 0.08 ? "flat" : undefined;
      },
      { sizeFraction: 0.5 },
    );
    const run = runPaper([PERP], [strategy], bars, {});
    const reasons = new Set(run.ofType("Decision").map((d) => d.reason));
    expect(reasons.has("flip-close")).toBe(true);
    expect(reasons.has("flip-open")).toBe(true);
    expectLedgerEqualsEngine(run, [PERP]);
  });

  it("reconciling with the engine's mass status after a run changes nothing", async () => {
    const bars = randomWalkBars(BTC.id, 12, 800);
    const strategy = createStrategy(
      "sma-cross",
      { fast: 4, slow: 12, fraction: 0.8 },
      { instrumentId: BTC.id },
    );
    const run = runPaper([BTC], [strategy], bars, {});
    const result = run.trader.reconcile(await run.engine.generateMassStatus());
    expect(result).toMatchObject({
      ordersAdded: 0,
      ordersMissing: 0,
      fillsBooked: 0,
      positionsAdjusted: 0,
      cashAdjusted: false,
    });
  });

  it("bracket entries: the engine works the legs; the kernel follows every leg event", () => {
    const bars = randomWalkBars(PERP.id, 8, 600, T0, 100);
    const strategy: Strategy = {
      id: "bracketer" as never,
      name: "bracketer",
      params: undefined,
      instruments: [PERP.id],
      warmUpBars: 0,
      onBar: (ctx, bar) =>
        ctx.position(bar.instrumentId) === undefined && ctx.openOrders(bar.instrumentId).length === 0
          ? [
              {
                type: "TargetPosition",
                strategyId: "bracketer" as never,
                instrumentId: bar.instrumentId,
                direction: "long",
                confidence: 1,
                sizeFraction: 0.3,
                stopPrice: bar.close * 0.995,
                takeProfitPrice: bar.close * 1.005,
                reason: "bracket",
                tsEvent: bar.tsEvent,
              },
            ]
          : [],
    };
    const run = runPaper([PERP], [strategy], bars, {}, { entryOrders: "bracket" });
    const roles = run.ofType("OrderInitialized").map((e) => e.bracket?.role);
    expect(roles.filter((r) => r === "entry").length).toBeGreaterThan(3);
    const legFills = run.ofType("OrderFilled").filter((f) => {
      const order = run.trader.cache.order(f.clientOrderId);
      return order?.bracket !== undefined && order.bracket.role !== "entry";
    });
    expect(legFills.length).toBeGreaterThan(0);
    expectLedgerEqualsEngine(run, [PERP]);
  });
});
