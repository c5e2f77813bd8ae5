/**
 * Parity: one strategy over one data set through the backtest wiring and through a live-shaped
 * wiring gives the same decision log.
 *
 * - Backtest wiring (the backtester's): the paper engine is fed each bar first (`venueFeed`), its
 *   events reach the kernel synchronously, the clock is set to each bar's close.
 * - Live-shaped wiring: the kernel subscribes to a market data stream (each bar arrives in its
 *   own macrotask); the paper engine (the exchange) trades each bar before the bar's close reaches
 *   the kernel; its events reach the kernel asynchronously, each in a later tick
 *   (`setImmediate`), never inside the command that caused them; optionally with submit latency.
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
import { D } from "@gpt/quantize";
import { createStrategy } from "@gpt/strategies";
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
}

const SPOT_MARKET: Market = {
  instrument: BTC,
  bars: syntheticBars(BTC.id, 7, BARS),
  // The engine holds qty × last × (1 + 0) × (1 + 0.006) at submit: headroom 0.006 fits fraction 1.
  engine: { marketOrderBuffer: "0" },
  trader: { spotBuyHeadroom: 0.006 },
};

const PERP_MARKET: Market = {
  instrument: PERP,
  bars: syntheticBars(PERP.id, 8, BARS),
  engine: { leverage: { [PERP.id]: "3" } },
  trader: {},
};

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
    strategy: createStrategy(
      "sma-cross",
      { fast: 10, slow: 40, fraction: 1 },
      { instrumentId: market.instrument.id },
    ),
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

/**
 * The live-shaped wiring: market data as a stream, asynchronous venue events, optional submit
 * latency; `barBeforeFills` pushes each bar's close to the kernel in the same tick the exchange
 * traded it, so the events of that trading arrive after the close.
 */
async function liveRun(
  market: Market,
  options: { readonly submitLatencyMs?: number; readonly barBeforeFills?: boolean } = {},
): Promise<TraderEvent[]> {
  const submitLatencyMs = options.submitLatencyMs ?? 0;
  const clock = new ManualClock(T0);
  const engine = engineFor(
    market,
    clock,
    submitLatencyMs === 0 ? {} : { latency: fixedLatency({ submitMs: submitLatencyMs }) },
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
    if (options.barBeforeFills !== true) while (port.pending() > 0) await nextTick();
    stream.push(bar); // then the bar's close reaches the bot
  }
  while (port.pending() > 0) await nextTick();
  return [...log.events()];
}

describe("parity: backtest wiring vs live-shaped wiring (sma-cross, 3,000 synthetic bars)", () => {
  for (const market of [SPOT_MARKET, PERP_MARKET]) {
    const name = market.instrument.kind === "spot" ? "spot" : "3x perpetual";
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

/** The events of one type. */
function ofType<T extends TraderEvent["type"]>(
  log: readonly TraderEvent[],
  type: T,
): Extract<TraderEvent, { type: T }>[] {
  return log.filter((e): e is Extract<TraderEvent, { type: T }> => e.type === type);
}

/**
 * A known difference, asserted exactly: with a submit latency (any, here 250 ms) the paper engine
 * in bar mode accepts the order only when the next bar arrives (engine time moves with market
 * data) and lets it fill only from a bar that opens after it arrived. Bar t+1 opened at the
 * decision time, before the order, so the order waits for bar t+2: every fill comes one bar later
 * than in the backtest. On spot, the venue also checks funds at that later acceptance against the
 * later price, so a fraction-1 buy sized for the decision price is rejected (INSUFFICIENT_FUND).
 * Live, the order would fill during bar t+1; the bar model cannot express that (it would need
 * the price path inside the bar), so the backtester runs without latency.
 */
describe("parity: the known difference with submit latency in bar mode", () => {
  it("3x perpetual: the first order is accepted one bar later and fills at the open of the bar after", async () => {
    const backtest = backtestRun(PERP_MARKET);
    const live = await liveRun(PERP_MARKET, { submitLatencyMs: 250 });
    const decision = ofType(backtest, "Decision")[0];
    const bar = PERP_MARKET.bars.findIndex((b) => b.tsEvent === decision?.tsEvent);
    const next = PERP_MARKET.bars[bar + 1] as Bar;
    const after = PERP_MARKET.bars[bar + 2] as Bar;
    // Decision, OrderInitialized and OrderSubmitted are identical; the accept is the first difference.
    const comparison = compareEventLogs(backtest, live);
    expect(comparison).toMatchObject({ equal: false, index: 3, path: "tsEvent" });
    expect([backtest[3], live[3]].map((e) => [e?.type, e?.tsEvent])).toEqual([
      ["OrderAccepted", decision?.tsEvent],
      ["OrderAccepted", next.tsEvent],
    ]);
    const [btFill, liveFill] = [backtest, live].map((log) =>
      ofType(log, "OrderFilled").find((f) => f.clientOrderId === decision?.clientOrderId),
    );
    // Market orders fill at the bar's open, rounded half-even to the 0.5 tick.
    const onTick = (price: number): string => D(price).toNearest(PERP.priceIncrement, 6).toFixed();
    expect([btFill?.tsEvent, btFill?.lastPrice.toFixed()]).toEqual([next.tsEvent, onTick(next.open)]);
    expect([liveFill?.tsEvent, liveFill?.lastPrice.toFixed()]).toEqual([after.tsEvent, onTick(after.open)]);
  });

  it("spot: the first buy, sized for the decision price, is rejected at the later acceptance", async () => {
    const backtest = backtestRun(SPOT_MARKET);
    const live = await liveRun(SPOT_MARKET, { submitLatencyMs: 250 });
    const decision = ofType(backtest, "Decision")[0];
    const bar = SPOT_MARKET.bars.findIndex((b) => b.tsEvent === decision?.tsEvent);
    const next = SPOT_MARKET.bars[bar + 1] as Bar;
    expect(next.close).toBeGreaterThan(decision?.price?.toNumber() ?? Number.POSITIVE_INFINITY);
    expect(compareEventLogs(backtest, live)).toMatchObject({ equal: false, index: 3 });
    expect(backtest[3]).toMatchObject({ type: "OrderAccepted", clientOrderId: decision?.clientOrderId });
    expect(live[3]).toMatchObject({
      type: "OrderRejected",
      clientOrderId: decision?.clientOrderId,
      code: "INSUFFICIENT_FUND",
      tsEvent: next.tsEvent,
    });
    expect(ofType(backtest, "OrderRejected")).toEqual([]);
  });
});

/**
 * A known difference, asserted exactly: parity needs the fills of a bar to reach the kernel
 * before that bar's close does. The backtest feed guarantees it (`venueFeed`); a live feed does
 * not. When the close overtakes the fill of the order decided on the previous bar, the kernel
 * sees that order still working when the signal flips, cancels it as superseded (the venue
 * refuses: it is already filled) and blocks the new target until the cancel is answered, so the
 * flip is decided a bar later than in the backtest.
 */
describe("parity: the known difference when a bar's close overtakes its fills", () => {
  it("3x perpetual: the first flip after an unconfirmed fill becomes a cancel and a blocked decision", async () => {
    const backtest = backtestRun(PERP_MARKET);
    const live = await liveRun(PERP_MARKET, { barBeforeFills: true });
    const comparison = compareEventLogs(backtest, live);
    expect(comparison.equal).toBe(false);
    const i = comparison.equal ? -1 : comparison.index;
    const fill = backtest[i];
    expect(fill?.type).toBe("OrderFilled");
    const id = fill?.type === "OrderFilled" ? fill.clientOrderId : undefined;
    // Where the backtest books the fill, the live kernel decides on the bar with the order still working.
    expect(live[i]).toMatchObject({
      type: "Decision",
      kind: "cancel",
      reason: "superseded",
      canceled: [id],
      tsEvent: fill?.tsEvent,
    });
    expect(live[i + 1]).toMatchObject({ type: "Decision", kind: "blocked", reason: "awaiting-cancel" });
    // The fill itself is the same event, only later; the cancel is refused.
    const liveFill = ofType(live, "OrderFilled").find((f) => f.clientOrderId === id);
    expect(compareEventLogs([fill as TraderEvent], [liveFill as TraderEvent])).toEqual({
      equal: true,
      count: 1,
    });
    expect(ofType(live, "OrderCancelRejected").some((e) => e.clientOrderId === id)).toBe(true);
    expect(ofType(backtest, "OrderCancelRejected")).toEqual([]);
  });

  it("spot: on this series no decision falls on a bar with an unconfirmed fill, so the logs stay identical", async () => {
    const backtest = backtestRun(SPOT_MARKET);
    const live = await liveRun(SPOT_MARKET, { barBeforeFills: true });
    expect(compareEventLogs(backtest, live)).toEqual({ equal: true, count: backtest.length });
  });
});
