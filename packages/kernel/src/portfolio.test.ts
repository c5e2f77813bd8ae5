import {
  type Bar,
  createStaticInstrumentProvider,
  ManualClock,
  type MarketDataEvent,
  type MarketDataHandler,
  type MarketDataPort,
  type MarketDataSubscription,
  strategyId,
} from "@gpt/core";
import { createStrategy } from "@gpt/strategies";
import { describe, expect, it } from "vitest";
import { KernelError } from "./errors.js";
import { BarVenue } from "./testing/bar-venue.js";
import { BTC, barsFromCloses, ETH, harness, PERP, ScriptedStrategy, T0 } from "./testing/fixtures.js";
import { createTrader } from "./trader.js";

function interleave(...series: readonly Bar[][]): Bar[] {
  return series.flat().sort((a, b) => a.tsEvent - b.tsEvent || a.instrumentId.localeCompare(b.instrumentId));
}

describe("multi-symbol: one account, several instruments", () => {
  it("interleaved bars drive two strategies on one ledger; equity values every position at its latest price", () => {
    const btc = new ScriptedStrategy([BTC.id], (_b, i) => (i === 0 ? "long" : undefined), {
      sizeFraction: 0.4,
      id: "btc",
    });
    const eth = new ScriptedStrategy([ETH.id], (_b, i) => (i === 1 ? "long" : undefined), {
      sizeFraction: 0.4,
      id: "eth",
    });
    const h = harness({ strategies: [btc, eth], instruments: [BTC, ETH] });
    const bars = interleave(
      barsFromCloses(BTC.id, [100, 110, 120, 130]),
      barsFromCloses(ETH.id, [10, 10, 11, 12]),
    );
    h.feed(bars);
    const orders = h.ofType("Decision").filter((d) => d.kind === "order");
    // BTC at bar 0: floor(0.4 × 10000 / 100) = 40. ETH at its bar 1 (after BTC's bar 1 filled at 100
    // and was valued at 110): equity = 10000 − 40 × 100 − 24 fee + 40 × 110 = 10376.
    expect(orders.map((d) => [d.instrumentId, d.quantity?.toFixed(), d.equity?.toFixed()])).toEqual([
      [BTC.id, "40", "10000"],
      [ETH.id, "415.04", "10376"],
    ]);
    expect(
      h.trader.cache
        .positions()
        .map((p) => p.instrumentId)
        .sort(),
    ).toEqual([BTC.id, ETH.id].sort());
    expect(h.trader.cache.equity().toFixed()).toBe(h.venue.snapshot().equity.toFixed());
    const account = h.trader.cache.account();
    expect(account.openPositions).toBe(2);
    expect(account.grossNotional.toFixed()).toBe("10180.48"); // 40 × 130 + 415.04 × 12
    expect(account.equity.eq(account.cash.plus(account.grossNotional))).toBe(true);
  });

  it("portfolio-level risk: the second instrument's order is denied by the total notional cap", () => {
    const btc = new ScriptedStrategy([BTC.id], (_b, i) => (i === 0 ? "long" : undefined), {
      sizeFraction: 0.5,
      id: "btc",
    });
    const eth = new ScriptedStrategy([ETH.id], (_b, i) => (i === 1 ? "long" : undefined), {
      sizeFraction: 0.5,
      id: "eth",
    });
    const h = harness({
      strategies: [btc, eth],
      instruments: [BTC, ETH],
      risk: { maxTotalNotional: "8000" },
    });
    h.feed(interleave(barsFromCloses(BTC.id, [100, 100, 100]), barsFromCloses(ETH.id, [10, 10, 10])));
    expect(h.ofType("Decision").map((d) => [d.instrumentId, d.kind, d.reason])).toEqual([
      [BTC.id, "order", "open"],
      [ETH.id, "denied", "max-total-notional"],
    ]);
  });

  it("one strategy may trade several instruments; each instrument belongs to one strategy", () => {
    const both = new ScriptedStrategy([BTC.id, ETH.id], (_b, i) => (i === 0 ? "long" : undefined), {
      sizeFraction: 0.25,
    });
    const h = harness({ strategy: both, instruments: [BTC, ETH] });
    h.feed(interleave(barsFromCloses(BTC.id, [100, 100]), barsFromCloses(ETH.id, [10, 10])));
    expect(h.trader.cache.positions()).toHaveLength(2);
    const clash = new ScriptedStrategy([BTC.id], () => undefined, { id: "other" });
    expect(() =>
      createTrader({
        clock: new ManualClock(T0),
        execution: new BarVenue({ instruments: [BTC, ETH], cash: "1" }),
        instruments: createStaticInstrumentProvider([BTC, ETH]),
        strategies: [both, clash],
        account: "1",
      }).start(),
    ).toThrowError(KernelError);
  });

  it("refuses strategies on unknown instruments, duplicate ids, or another settlement currency", () => {
    const base = {
      clock: new ManualClock(T0),
      execution: new BarVenue({ instruments: [BTC], cash: "1" }),
      instruments: createStaticInstrumentProvider([BTC, PERP]),
      account: "1",
    };
    expect(() =>
      createTrader({ ...base, strategy: new ScriptedStrategy([ETH.id], () => undefined) }),
    ).toThrow(/does not know/);
    const a = new ScriptedStrategy([BTC.id], () => undefined);
    const b = new ScriptedStrategy([PERP.id], () => undefined);
    expect(() => createTrader({ ...base, strategies: [a, b] })).toThrow(/share the id/);
    expect(() => createTrader({ ...base, strategy: a, account: { balance: "1", currency: "EUR" } })).toThrow(
      /settles in USD/,
    );
    expect(() => createTrader({ ...base, strategy: a, account: "-1" })).toThrow(/account.balance/);
    expect(() => createTrader({ ...base, strategies: [] })).toThrow(/strategy/);
  });
});

describe("market data", () => {
  it("subscribes to a MarketDataPort and unsubscribes on stop", () => {
    const handlers = new Map<string, MarketDataHandler>();
    const subscriptions: MarketDataSubscription[] = [];
    const port: MarketDataPort = {
      subscribe(subscription, handler) {
        subscriptions.push(subscription);
        handlers.set(`${subscription.kind}:${subscription.instrumentId}`, handler);
        return () => handlers.delete(`${subscription.kind}:${subscription.instrumentId}`);
      },
    };
    const strategy = createStrategy("sma-cross", { fast: 2, slow: 3 }, { instrumentId: BTC.id });
    const perp = new ScriptedStrategy([PERP.id], () => undefined, { id: "perp" });
    const clock = new ManualClock(T0);
    const trader = createTrader({
      clock,
      execution: new BarVenue({ instruments: [BTC, PERP], cash: "1000" }),
      instruments: createStaticInstrumentProvider([BTC, PERP]),
      strategies: [strategy, perp],
      account: "1000",
      marketData: port,
      barIntervalMs: 60_000,
    }).start();
    expect(subscriptions).toEqual([
      { kind: "bars", instrumentId: BTC.id, intervalMs: 60_000 },
      { kind: "bars", instrumentId: PERP.id, intervalMs: 60_000 },
      { kind: "mark", instrumentId: PERP.id },
    ]);
    const bar = barsFromCloses(BTC.id, [100])[0] as Bar;
    handlers.get(`bars:${BTC.id}`)?.(bar);
    expect(trader.cache.lastClose(BTC.id)).toBe(100);
    expect(trader.stats().bars).toBe(1);
    trader.stop();
    expect(handlers.size).toBe(0);
    expect(trader.stopped).toBe(true);
    trader.onBar(bar);
    expect(trader.stats().bars).toBe(1);
    expect(() => trader.retryOrder("o-1" as never)).toThrowError(KernelError);
  });

  it("onMarketData dispatches marks, trades and quotes to the latest price (bars too)", () => {
    const strategy = new ScriptedStrategy([PERP.id], () => undefined);
    const h = harness({ strategy, instruments: [PERP] });
    const ts = T0 + 60_000;
    const events: MarketDataEvent[] = [
      { type: "MarkPrice", instrumentId: PERP.id, price: 101, tsEvent: ts, tsInit: ts },
      {
        type: "Trade",
        instrumentId: PERP.id,
        price: 102,
        size: 1,
        aggressorSide: "buy",
        tradeId: "x" as never,
        tsEvent: ts + 1,
        tsInit: ts + 1,
      },
      {
        type: "Quote",
        instrumentId: PERP.id,
        bidPrice: 103,
        bidSize: 1,
        askPrice: 105,
        askSize: 1,
        tsEvent: ts + 2,
        tsInit: ts + 2,
      },
      { type: "MarkPrice", instrumentId: PERP.id, price: 99, tsEvent: ts - 5, tsInit: ts - 5 },
    ];
    for (const e of events) h.trader.onMarketData(e);
    expect(h.trader.cache.markPrice(PERP.id)).toBe(99);
    expect(h.trader.cache.lastPrice(PERP.id)).toBe(104); // the late mark does not replace a newer price
    expect(h.trader.cache.lastPriceTime(PERP.id)).toBe(ts + 2);
    h.trader.onMarketData({
      type: "BookDelta",
      instrumentId: PERP.id,
      deltas: [],
      tsEvent: ts + 3,
      tsInit: ts + 3,
    });
    expect(h.trader.cache.lastPrice(PERP.id)).toBe(104);
    expect(() => h.trader.onMarketData({ ...(barsFromCloses(ETH.id, [1])[0] as Bar) })).toThrow(
      /unknown instrument/,
    );
  });

  it("funding: FundingApplied books on the ledger; strategies with onFunding see the rate", () => {
    const seen: number[] = [];
    const strategy = {
      id: strategyId("carry"),
      name: "carry",
      params: undefined,
      instruments: [PERP.id],
      warmUpBars: 0,
      onBar: () => [],
      onFunding: (_ctx: unknown, funding: { rate: number }) => {
        seen.push(funding.rate);
        return [];
      },
    };
    const h = harness({ strategy, instruments: [PERP] });
    h.trader.onFunding({
      type: "FundingRate",
      instrumentId: PERP.id,
      rate: 0.0001,
      intervalMs: 3_600_000,
      fundingTime: T0,
      tsEvent: T0,
      tsInit: T0,
    });
    expect(seen).toEqual([0.0001]);
  });
});
