/**
 * Parity: one strategy over one data set through the backtest wiring and through a live-shaped
 * wiring gives the same decision log.
 *
 * - Backtest wiring (the backtester's): the paper engine is fed each bar first (`venueFeed`), its
 *   events reach the kernel synchronously, the clock is set to each bar's close.
 * - Live-shaped wiring: the kernel subscribes to a market data stream (each bar arrives in its
 *   own macrotask); the paper engine (the exchange) trades each bar before the bar's close reaches
 *   the kernel; its events reach the kernel asynchronously, each in a later tick
 *   (`setImmediate`), never inside the command that caused them; optionally with submit latency
 *   (the engine then fills an order arriving inside a bar at that bar's open:
 *   `barArrivalFill: "arrival-bar-open"`), and optionally with each bar's close reaching the
 *   kernel before the venue's events of that bar (`barBeforeFills`).
 */
import {
  type Bar,
  createBar,
  createSeededRng,
  createStaticInstrumentProvider,
  type ExecutionEvent,
  type ExecutionEventHandler,
  type ExecutionPort,
  type Instrument,
  type InstrumentId,
  ManualClock,
  type MarketDataHandler,
  type MarketDataPort,
  MINUTE_MS,
} from "@gpt/core";
import { createPaperEngine, fixedLatency, type PaperEngine, type PaperEngineConfig } from "@gpt/paper-engine";
import { createStrategy, type Strategy } from "@gpt/strategies";
import { describe, expect, it } from "vitest";
import { createMemoryEventLog } from "./event-log.js";
import type { TraderEvent } from "./events.js";
import { compareEventLogs } from "./serialize.js";
import { BTC, PERP, T0 } from "./testing/fixtures.js";
import { createTrader, type TraderOptions } from "./trader.js";

const BARS = 3_000;

/**
 * A seeded synthetic series: a random walk whose drift switches sign every 50–250 bars, so a
 * moving-average cross trades often; open = previous close, rounded to the cent.
 */
function syntheticBars(instrumentId: InstrumentId, seed: number, n: number): Bar[] {
  const rng = createSeededRng(seed);
  const bars: Bar[] = [];
  let close = 100;
  let drift = 0.0005;
  let left = 0;
  for (let i = 0; i < n; i++) {
    if (left === 0) {
      drift = -Math.sign(drift) * (0.0002 + rng.next() * 0.0008);
      left = 50 + Math.floor(rng.next() * 200);
    }
    left -= 1;
    const open = close;
    close = Math.max(1, Math.round(open * (1 + drift + (rng.next() - 0.5) * 0.006) * 100) / 100);
    bars.push(
      createBar({
        instrumentId,
        intervalMs: MINUTE_MS,
        tsOpen: T0 + i * MINUTE_MS,
        open,
        high: Math.max(open, close) + Math.round(rng.next() * 15) / 100,
        low: Math.max(0.01, Math.min(open, close) - Math.round(rng.next() * 15) / 100),
        close,
        volume: 1_000_000,
      }),
    );
  }
  return bars;
}

/** One market: the instrument, its series, and how the engine and the kernel are set up for it. */
interface Market {
  readonly instrument: Instrument;
  readonly bars: readonly Bar[];
  readonly engine: Partial<PaperEngineConfig>;
  readonly trader: Partial<TraderOptions>;
  /** A fresh strategy for each run (strategies keep state). */
  readonly strategy: (instrumentId: InstrumentId) => Strategy;
}

const smaCross =
  (fast: number, slow: number) =>
  (instrumentId: InstrumentId): Strategy =>
    createStrategy("sma-cross", { fast, slow, fraction: 1 }, { instrumentId });

const SPOT_MARKET: Market = {
  instrument: BTC,
  bars: syntheticBars(BTC.id, 7, BARS),
  // The engine holds qty × last × (1 + 0) × (1 + 0.006) at submit: headroom 0.006 fits fraction 1.
  engine: { marketOrderBuffer: "0" },
  trader: { spotBuyHeadroom: 0.006 },
  strategy: smaCross(10, 40),
};

const PERP_MARKET: Market = {
  instrument: PERP,
  bars: syntheticBars(PERP.id, 8, BARS),
  engine: { leverage: { [PERP.id]: "3" } },
  trader: {},
  strategy: smaCross(10, 40),
};

const MARKETS = [
  { name: "spot", market: SPOT_MARKET },
  { name: "3x perpetual", market: PERP_MARKET },
] as const;

function engineFor(market: Market, clock: ManualClock, extra: Partial<PaperEngineConfig> = {}): PaperEngine {
  return createPaperEngine({
    accountType: market.instrument.kind === "spot" ? "cash" : "margin",
    instruments: [market.instrument],
    initialBalances: { USD: "10000" },
    clock,
    ...market.engine,
    ...extra,
  });
}

function traderOptions(market: Market, clock: ManualClock): Omit<TraderOptions, "execution"> {
  return {
    clock,
    instruments: createStaticInstrumentProvider([market.instrument]),
    strategy: market.strategy(market.instrument.id),
    account: "10000",
    // Both wirings name their run: by default a kernel without `venueFeed` prefixes client order
    // ids with its build time (ids unique across restarts), a backtest with `o`.
    ids: { runId: "parity" },
    ...market.trader,
  };
}

/** The backtester's wiring: venue fed first through `venueFeed`, synchronous events. */
function backtestRun(market: Market): TraderEvent[] {
  const clock = new ManualClock(T0);
  const engine = engineFor(market, clock);
  const log = createMemoryEventLog({ capacity: "unbounded" });
  const trader = createTrader({
    ...traderOptions(market, clock),
    execution: engine,
    venueFeed: (event) => engine.onMarketData(event),
    eventLog: log,
  }).start();
  for (const bar of market.bars) {
    clock.set(bar.tsEvent);
    trader.onBar(bar);
  }
  return [...log.events()];
}

/** Resolves in a later macrotask (after every `setImmediate` queued so far). */
function nextTick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The engine as a remote venue: commands go through at once, every event reaches the handlers
 * in a later tick (one `setImmediate` per event, so their order is kept).
 */
function asyncPort(engine: PaperEngine): ExecutionPort & { pending(): number } {
  const handlers = new Set<ExecutionEventHandler>();
  let pending = 0;
  engine.onEvent((event: ExecutionEvent) => {
    pending += 1;
    setImmediate(() => {
      pending -= 1;
      for (const handler of handlers) handler(event);
    });
  });
  return {
    submitOrder: (command) => engine.submitOrder(command),
    submitBracket: (command) => engine.submitBracket(command),
    cancelOrder: (command) => engine.cancelOrder(command),
    modifyOrder: (command) => engine.modifyOrder(command),
    cancelAllOrders: (command) => engine.cancelAllOrders(command),
    onEvent(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    generateMassStatus: (since) => engine.generateMassStatus(since),
    pending: () => pending,
  };
}

/** A market data stream: the kernel subscribes; the test pushes each bar in its own macrotask. */
class BarStream implements MarketDataPort {
  private readonly handlers = new Set<MarketDataHandler>();
  subscribe(_subscription: unknown, handler: MarketDataHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }
  push(bar: Bar): void {
    for (const handler of this.handlers) handler(bar);
  }
}

/** How the live-shaped wiring deviates from the backtest's timing. */
interface LiveShape {
  /** Submit latency of the venue (the engine fills an order arriving inside a bar at its open). */
  readonly submitLatencyMs?: number;
  /** Each bar's close reaches the kernel in the tick the venue traded it, before that bar's events. */
  readonly barBeforeFills?: boolean;
}

/**
 * The live-shaped wiring: market data as a stream, asynchronous venue events, optional submit
 * latency; `barBeforeFills` pushes each bar's close to the kernel in the same tick the exchange
 * traded it, so the events of that trading arrive after the close.
 */
async function liveRun(market: Market, shape: LiveShape = {}): Promise<TraderEvent[]> {
  const submitLatencyMs = shape.submitLatencyMs ?? 0;
  const clock = new ManualClock(T0);
  const engine = engineFor(
    market,
    clock,
    submitLatencyMs === 0
      ? {}
      : { latency: fixedLatency({ submitMs: submitLatencyMs }), barArrivalFill: "arrival-bar-open" },
  );
  const port = asyncPort(engine);
  const stream = new BarStream();
  const log = createMemoryEventLog({ capacity: "unbounded" });
  createTrader({
    ...traderOptions(market, clock),
    execution: port,
    marketData: stream,
    eventLog: log,
  }).start();
  for (const bar of market.bars) {
    await nextTick();
    clock.set(bar.tsEvent);
    engine.onBar(bar); // the exchange trades through the bar
    // Its events reach the bot in later ticks, before the bar's close does (unless the test
    // lets the close overtake them).
    if (shape.barBeforeFills !== true) while (port.pending() > 0) await nextTick();
    stream.push(bar); // then the bar's close reaches the bot
  }
  while (port.pending() > 0) await nextTick();
  return [...log.events()];
}

/** Compares the `Decision` events only (every field, event ids and times included). */
function compareDecisions(a: readonly TraderEvent[], b: readonly TraderEvent[]) {
  return compareEventLogs(a, b, { filter: (e) => e.type === "Decision" });
}

/** The events of one type. */
function ofType<T extends TraderEvent["type"]>(
  log: readonly TraderEvent[],
  type: T,
): Extract<TraderEvent, { type: T }>[] {
  return log.filter((e): e is Extract<TraderEvent, { type: T }> => e.type === type);
}

/** The log sorted by event id: the same events in any interleaving sort the same. */
function byEventId(log: readonly TraderEvent[]): TraderEvent[] {
  return [...log].sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
}

/** How many events of type `type` come right after an event of type `after` in the log. */
function follows(log: readonly TraderEvent[], type: TraderEvent["type"], after: TraderEvent["type"]): number {
  let n = 0;
  for (let i = 1; i < log.length; i++) if (log[i]?.type === type && log[i - 1]?.type === after) n += 1;
  return n;
}

describe("parity: backtest wiring vs live-shaped wiring (sma-cross, 3,000 synthetic bars)", () => {
  for (const { name, market } of MARKETS) {
    it(`${name}: identical event logs with asynchronous venue events and streamed market data`, async () => {
      const backtest = backtestRun(market);
      const live = await liveRun(market);
      const decisions = backtest.filter((e) => e.type === "Decision" && e.kind === "order");
      expect(decisions.length).toBeGreaterThan(20);
      expect(backtest.filter((e) => e.type === "OrderFilled").length).toBeGreaterThan(20);
      expect(compareEventLogs(backtest, live)).toEqual({ equal: true, count: backtest.length });
    });
  }
});

/**
 * A bar's close overtaking its fills. Live, the fill of an order decided on the previous bar can
 * reach the kernel after the next bar's close. The kernel holds a target while an order it sent on
 * an earlier bar (market, IOC or FOK) has not reported its outcome, without a decision, and
 * decides it as soon as the outcome arrives: on the books, at the time and price the backtest
 * decides on. The decision log is identical; the events are the same, only the venue's events of
 * a bar are interleaved with the kernel's decisions in another order (sorted by event id, the two
 * logs are identical). A fast cross makes many decisions fall on such bars.
 */
describe("parity: a bar's close overtaking its fills (the target waits for the order's outcome)", () => {
  for (const { name, market } of MARKETS) {
    it(`${name}: identical decision logs, the same events; decisions taken on a late fill`, async () => {
      const fast: Market = { ...market, strategy: smaCross(3, 8) };
      const backtest = backtestRun(fast);
      const live = await liveRun(fast, { barBeforeFills: true });
      const decisions = ofType(backtest, "Decision");
      expect(decisions.length).toBeGreaterThan(100);
      expect(compareDecisions(backtest, live)).toEqual({ equal: true, count: decisions.length });
      expect(compareEventLogs(byEventId(backtest), byEventId(live))).toEqual({
        equal: true,
        count: backtest.length,
      });
      // The race happened: decisions the live kernel took right on a late fill's arrival (in the
      // backtest a bar's fills, positions and account updates always precede its decisions).
      expect(follows(backtest, "Decision", "OrderFilled")).toBe(0);
      expect(follows(live, "Decision", "OrderFilled")).toBeGreaterThan(20);
      // Nothing was canceled or blocked on either side.
      for (const log of [backtest, live]) {
        expect(ofType(log, "Decision").filter((d) => d.kind === "cancel" || d.kind === "blocked")).toEqual(
          [],
        );
        expect(ofType(log, "OrderCancelRejected")).toEqual([]);
      }
    });
  }
});

/**
 * Cancel-and-replace. With bracket entries (mean-reversion's targets carry a stop and a take
 * profit), a new target first cancels the working legs. The backtest's venue answers the cancels
 * inside the command, so the replacement goes out on the same bar; live, the answers arrive in
 * later ticks: the target waits for them, without a decision, and the replacement goes out as
 * soon as the last one arrives, with the decision the backtest made.
 */
describe("parity: cancel-and-replace (mean-reversion with bracket entries)", () => {
  for (const { name, market } of MARKETS) {
    it(`${name}: identical decision logs; the replacement goes out when the cancels are answered`, async () => {
      const brackets: Market = {
        ...market,
        trader: { ...market.trader, entryOrders: "bracket" },
        strategy: (instrumentId) =>
          createStrategy(
            "mean-reversion",
            { period: 20, entryZ: 2, exitZ: 0.5, stopZ: 3, allowShort: true },
            { instrumentId },
          ),
      };
      const backtest = backtestRun(brackets);
      const live = await liveRun(brackets);
      const decisions = ofType(backtest, "Decision");
      expect(decisions.filter((d) => d.kind === "cancel").length).toBeGreaterThan(3);
      expect(ofType(backtest, "OrderTriggered").length).toBeGreaterThan(20);
      expect(compareDecisions(backtest, live)).toEqual({ equal: true, count: decisions.length });
      // Backtest: the cancels are answered before the cancel decision is logged. Live: the venue's
      // answers come after it, and the replacement decision right on the last one.
      expect(follows(backtest, "Decision", "OrderCanceled")).toBeGreaterThan(3);
      expect(follows(live, "OrderPendingCancel", "Decision")).toBeGreaterThan(3);
      expect(follows(live, "Decision", "OrderCanceled")).toBeGreaterThan(3);
      expect(compareEventLogs(byEventId(backtest), byEventId(live))).toEqual({
        equal: true,
        count: backtest.length,
      });
      for (const log of [backtest, live]) {
        expect(ofType(log, "Decision").filter((d) => d.kind === "blocked")).toEqual([]);
      }
    });
  }
});

/**
 * Submit latency. With a 250 ms submit latency the venue accepts an order 250 ms after it was
 * sent, inside the next bar, and (`barArrivalFill: "arrival-bar-open"`) fills it at that bar's
 * open, as the backtest does without latency. The decision logs are identical; of all the events,
 * only `OrderAccepted.tsEvent` and `.tsInit` differ: the arrival time, 250 ms after the backtest's.
 * Also with each bar's close overtaking its fills.
 */
describe("parity: submit latency (250 ms)", () => {
  const LATENCY_MS = 250;
  /** The events with each accept's times moved back by the latency (to the send). */
  const acceptedAtSend = (log: readonly TraderEvent[]): TraderEvent[] =>
    log.map((e) =>
      e.type === "OrderAccepted"
        ? { ...e, tsEvent: e.tsEvent - LATENCY_MS, tsInit: e.tsInit - LATENCY_MS }
        : e,
    );
  for (const { name, market } of MARKETS) {
    for (const barBeforeFills of [false, true]) {
      const shape = barBeforeFills ? ", bar closes overtaking fills" : "";
      it(`${name}${shape}: identical decision logs; accepts 250 ms later, nothing else differs`, async () => {
        const backtest = backtestRun(market);
        const live = await liveRun(market, { submitLatencyMs: LATENCY_MS, barBeforeFills });
        const decisions = ofType(backtest, "Decision");
        expect(decisions.length).toBeGreaterThan(20);
        expect(compareDecisions(backtest, live)).toEqual({ equal: true, count: decisions.length });
        // Every accept differs in its times, by the latency.
        const accepts = ofType(backtest, "OrderAccepted");
        expect(accepts.length).toBe(decisions.filter((d) => d.kind === "order").length);
        const liveAccepts = new Map(ofType(live, "OrderAccepted").map((e) => [e.eventId, e]));
        for (const accept of accepts) {
          const late = liveAccepts.get(accept.eventId);
          expect([late?.tsEvent, late?.tsInit]).toEqual([
            accept.tsEvent + LATENCY_MS,
            accept.tsInit + LATENCY_MS,
          ]);
        }
        // Nothing else differs: with the accepts moved back, the same events (in the same order
        // when the venue's events of a bar precede its close).
        const expected = { equal: true, count: backtest.length };
        expect(compareEventLogs(byEventId(backtest), byEventId(acceptedAtSend(live)))).toEqual(expected);
        if (!barBeforeFills) expect(compareEventLogs(backtest, acceptedAtSend(live))).toEqual(expected);
      });
    }
  }
});
