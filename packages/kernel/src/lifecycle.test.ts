import {
  accountId,
  type Bar,
  createStaticInstrumentProvider,
  ManualClock,
  type MarketDataEvent,
  type MarketDataHandler,
  type MarketDataPort,
  type MarketDataSubscription,
} from "@gpt/core";
import { createStrategy } from "@gpt/strategies";
import { describe, expect, it } from "vitest";
import { KernelError } from "./errors.js";
import { createMemoryEventLog } from "./event-log.js";
import { BTC, barsFromCloses, PERP, ScriptedStrategy, T0 } from "./testing/fixtures.js";
import { ManualVenue } from "./testing/manual-venue.js";
import { createTrader, type TraderOptions } from "./trader.js";

/** A market data port that records subscriptions and lets the test publish. */
class RecordingFeed implements MarketDataPort {
  readonly active = new Map<MarketDataSubscription, MarketDataHandler>();
  subscribe(subscription: MarketDataSubscription, handler: MarketDataHandler) {
    this.active.set(subscription, handler);
    return () => {
      this.active.delete(subscription);
    };
  }
  publish(event: MarketDataEvent): void {
    for (const [subscription, handler] of [...this.active]) {
      if (subscription.instrumentId === event.instrumentId) handler(event);
    }
  }
  kinds(): string[] {
    return [...this.active.keys()].map((s) => `${s.kind} ${s.instrumentId}`).sort();
  }
}

function setup(
  overrides: Partial<TraderOptions> = {},
  script: readonly ("long" | "flat" | undefined)[] = [],
) {
  const clock = new ManualClock(T0);
  const port = new ManualVenue();
  port.onSubmit = (command, v) => v.accept(command, clock.now());
  const log = createMemoryEventLog({ capacity: "unbounded" });
  const trader = createTrader({
    clock,
    execution: port,
    instruments: createStaticInstrumentProvider([BTC, PERP]),
    strategy: new ScriptedStrategy([BTC.id], (_b, i) => script[i], { sizeFraction: 0.5 }),
    account: "10000",
    eventLog: log,
    ...overrides,
  });
  const feed = (bars: readonly Bar[]) => {
    for (const bar of bars) {
      clock.set(bar.tsEvent);
      trader.onBar(bar);
    }
  };
  return { clock, port, trader, log, feed };
}

describe("lifecycle", () => {
  it("a built trader listens to nothing: market data throws, venue events are not applied, reconcile works", () => {
    const feed = new RecordingFeed();
    const { trader, port, log } = setup({ marketData: feed });
    expect(trader.state).toBe("built");
    expect(feed.kinds()).toEqual([]);
    const [bar] = barsFromCloses(BTC.id, [100]);
    expect(() => trader.onBar(bar as Bar)).toThrowError(KernelError);
    try {
      trader.onBar(bar as Bar);
    } catch (error) {
      expect((error as KernelError).code).toBe("invalid-state");
    }
    port.emit({
      type: "OrderSubmitted",
      ...port.meta("x-1" as never, BTC.id, T0),
    });
    expect(log.events()).toEqual([]);
    trader.reconcile({
      venue: BTC.venue,
      accountId: accountId("ACC-1"),
      orderReports: [],
      fillReports: [],
      positionReports: [],
      tsInit: T0,
    });
    expect(log.events().map((e) => e.type)).toContain("Reconciled");
    expect(trader.state).toBe("built");
  });

  it("start() subscribes to the execution port and the market data port, once", () => {
    const feed = new RecordingFeed();
    const { trader, log } = setup({
      marketData: feed,
      strategy: new ScriptedStrategy([BTC.id, PERP.id], (_b, i) => (i === 1 ? "long" : undefined)),
    });
    expect(trader.start()).toBe(trader);
    expect(trader.start()).toBe(trader);
    expect(trader.state).toBe("running");
    expect(feed.kinds()).toEqual([`bars ${BTC.id}`, `bars ${PERP.id}`, `mark ${PERP.id}`].sort());
    for (const bar of barsFromCloses(BTC.id, [100, 101, 102])) feed.publish(bar);
    const types = log.events().map((e) => e.type);
    expect(types).toEqual(["Decision", "OrderInitialized", "OrderSubmitted", "OrderAccepted"]);
    trader.stop();
    expect(feed.kinds()).toEqual([]);
    expect(trader.state).toBe("stopped");
    expect(() => trader.start()).toThrowError(/stopped/);
  });

  it("stop({ cancelOpenOrders }) sends a cancel for every working order, then ignores market data", () => {
    const { trader, port, feed, clock } = setup({}, [undefined, "long"]);
    trader.start();
    feed(barsFromCloses(BTC.id, [100, 101]));
    const open = trader.cache.openOrders().map((o) => o.clientOrderId);
    expect(open).toHaveLength(1);
    port.onCancel = (command, v) =>
      v.emit({ type: "OrderCanceled", ...v.meta(command.clientOrderId, command.instrumentId, clock.now()) });
    const result = trader.stop({ cancelOpenOrders: true });
    expect(result).toEqual({ cancelSent: open, stillOpen: [] });
    expect(trader.cache.openOrders()).toEqual([]);
    const commands = port.commands.length;
    feed(barsFromCloses(BTC.id, [50, 200], T0 + 10 * 60_000));
    expect(port.commands.length).toBe(commands);
    expect(trader.stop({ cancelOpenOrders: true })).toEqual({ cancelSent: [], stillOpen: [] });
  });

  it("stop() without cancelling reports the orders left open (a live venue confirms later)", () => {
    const { trader, port, feed } = setup({}, [undefined, "long"]);
    trader.start();
    feed(barsFromCloses(BTC.id, [100, 101]));
    const open = trader.cache.openOrders().map((o) => o.clientOrderId);
    expect(trader.stop()).toEqual({ cancelSent: [], stillOpen: open });
    expect(port.commands.filter((c) => c.type === "CancelOrder")).toEqual([]);
    // A cancel sent but not confirmed before stop stays open too.
    const second = setup({}, [undefined, "long"]);
    second.trader.start();
    second.feed(barsFromCloses(BTC.id, [100, 101]));
    const ids = second.trader.cache.openOrders().map((o) => o.clientOrderId);
    expect(second.trader.stop({ cancelOpenOrders: true })).toEqual({ cancelSent: ids, stillOpen: ids });
  });

  it("client order ids carry a run prefix: o-N with a simulated venue, from the clock otherwise, or given", () => {
    const simulated = setup({ venueFeed: () => undefined }, [undefined, "long"]);
    expect(simulated.trader.runId).toBe("o");
    simulated.trader.start();
    simulated.feed(barsFromCloses(BTC.id, [100, 101]));
    expect(simulated.port.submits[0]?.order.clientOrderId).toBe("o-1");

    const live = setup({}, [undefined, "long"]);
    expect(live.trader.runId).toBe(`o${T0.toString(36)}`);
    live.trader.start();
    live.feed(barsFromCloses(BTC.id, [100, 101]));
    expect(live.port.submits[0]?.order.clientOrderId).toBe(`o${T0.toString(36)}-1`);

    // A restart a minute later gets another prefix, so no id repeats across runs.
    const later = setup({}, []);
    later.clock.set(T0 + 60_000);
    const restarted = createTrader({
      clock: later.clock,
      execution: later.port,
      instruments: createStaticInstrumentProvider([BTC]),
      strategy: new ScriptedStrategy([BTC.id], () => undefined),
      account: "1",
    });
    expect(restarted.runId).not.toBe(live.trader.runId);

    const named = setup({ ids: { runId: "bot7" } }, [undefined, "long"]);
    named.trader.start();
    named.feed(barsFromCloses(BTC.id, [100, 101]));
    expect(named.port.submits[0]?.order.clientOrderId).toBe("bot7-1");
  });

  it("warmUp replays history without trading, then acts on the strategies' current target at the next bar", () => {
    const history = barsFromCloses(BTC.id, [100, 100, 101, 103, 104]);
    const next = barsFromCloses(BTC.id, [105], T0 + history.length * 60_000);
    const strategy = createStrategy(
      "sma-cross",
      { fast: 2, slow: 3, fraction: 0.5 },
      { instrumentId: BTC.id },
    );
    const { trader, port, log, feed } = setup({ strategy });
    trader.warmUp(history);
    expect(strategy.currentTarget?.direction).toBe("long");
    expect(port.commands).toEqual([]);
    expect(log.events()).toEqual([]);
    trader.start();
    expect(() => trader.warmUp(history)).toThrowError(/not started yet/);
    feed(next);
    const decisions = log.events().filter((e) => e.type === "Decision");
    expect(decisions.map((d) => `${d.kind} ${d.reason}`)).toEqual(["order open"]);
    expect(port.submits).toHaveLength(1);

    // A strategy without `currentTarget` waits for its next signal.
    const quiet = setup({ strategy: new ScriptedStrategy([BTC.id], () => undefined) });
    quiet.trader.warmUp(history);
    quiet.trader.start();
    quiet.feed(next);
    expect(quiet.port.commands).toEqual([]);
  });
});
