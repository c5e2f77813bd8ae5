/**
 * Full pipeline benchmark: regime classifier (`regimePreset("1m")`) + sma-cross + sizing + risk
 * (default config) + the paper engine (`@gpt/paper-engine`, cash account), on seeded random-walk
 * 1-minute bars of two symbols, interleaved in time.
 *
 * - `kernel-pipeline`: bars/s over pre-built bars (the bar objects exist before the clock starts).
 * - `kernel-pipeline-quiet`: the same with slow SMA windows (few trades), to show the per-bar
 *   path without the decision path.
 * - `kernel-stream-memory`: a year of 1-minute bars for two symbols (2 × 525,600), generated on the
 *   fly, with RSS before and after (and the peak seen every 100,000 bars).
 */

import { PerformanceObserver } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import {
  type Bar,
  createSeededRng,
  createSpotInstrument,
  createStaticInstrumentProvider,
  ManualClock,
  MINUTE_MS,
} from "@gpt/core";
import { createPaperEngine } from "@gpt/paper-engine";
import { createStrategy, NO_INTENTS } from "@gpt/strategies";
import { measure, writeBenchResult } from "@gpt/testkit";
import { createTrader, type Trader } from "./index.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const T0 = 1_767_225_600_000;

const instruments = ["BTC-USD", "ETH-USD"].map((symbol) =>
  createSpotInstrument({
    symbol,
    venue: "SIM",
    baseCurrency: symbol.slice(0, 3),
    quoteCurrency: "USD",
    priceIncrement: "0.01",
    sizeIncrement: "0.00000001",
    minSize: "0.00000001",
    maxSize: "100000",
    minNotional: "1",
    makerFee: "0.004",
    takerFee: "0.006",
  }),
);

/** A seeded random walk of 1-minute bars for one symbol (σ ≈ 0.05 % per minute), as a generator. */
class Walk {
  readonly #rng;
  #close: number;
  #i = 0;
  constructor(
    readonly index: number,
    seed: number,
    start: number,
  ) {
    this.#rng = createSeededRng(seed);
    this.#close = start;
  }
  next(): Bar {
    const rng = this.#rng;
    const open = this.#close;
    const r = (rng.next() + rng.next() + rng.next() - 1.5) * 0.001;
    const close = Math.max(0.01, Math.round(open * (1 + r) * 100) / 100);
    const high = Math.round(Math.max(open, close) * (1 + rng.next() * 0.0004) * 100) / 100;
    const low = Math.round(Math.min(open, close) * (1 - rng.next() * 0.0004) * 100) / 100;
    const tsOpen = T0 + this.#i * MINUTE_MS;
    this.#i += 1;
    this.#close = close;
    const instrument = instruments[this.index];
    if (instrument === undefined) throw new Error("no instrument");
    return {
      type: "Bar",
      instrumentId: instrument.id,
      intervalMs: MINUTE_MS,
      tsOpen,
      tsEvent: tsOpen + MINUTE_MS,
      tsInit: tsOpen + MINUTE_MS,
      open,
      high,
      low,
      close,
      volume: 1 + rng.next(),
    };
  }
}

function makeBars(perSymbol: number): Bar[] {
  const walks = [new Walk(0, 1, 60_000), new Walk(1, 2, 3_000)];
  const bars: Bar[] = [];
  for (let i = 0; i < perSymbol; i++) for (const w of walks) bars.push(w.next());
  return bars;
}

function makeTrader(fast: number, slow: number): { trader: Trader; clock: ManualClock } {
  const clock = new ManualClock(T0);
  const engine = createPaperEngine({
    accountType: "cash",
    instruments,
    initialBalances: { USD: "100000" },
    clock,
    marketOrderBuffer: "0.01",
  });
  const strategies = instruments.map((i) =>
    createStrategy("sma-cross", { fast, slow, fraction: 0.45 }, { instrumentId: i.id }),
  );
  const trader = createTrader({
    clock,
    execution: engine,
    instruments: createStaticInstrumentProvider(instruments),
    strategies,
    account: "100000",
    regime: "1m",
    risk: {},
    venueFeed: (event) => engine.onMarketData(event),
    eventLog: { capacity: 10_000 },
  }).start();
  return { trader, clock };
}

function feed(trader: Trader, clock: ManualClock, bars: readonly Bar[]): number {
  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i] as Bar;
    if (bar.tsEvent > clock.now()) clock.set(bar.tsEvent);
    trader.onBar(bar);
  }
  return bars.length;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

// --- memory while streaming a year of two symbols ------------------------------------------------
// Expose the collector without command-line flags (the bench runner passes none).
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
gc();
const rssBefore = process.memoryUsage().rss;
const heapBefore = process.memoryUsage().heapUsed;
const stream = makeTrader(10, 30);
const walks = [new Walk(0, 3, 60_000), new Walk(1, 4, 3_000)];
const YEAR = 525_600;
let peak = rssBefore;
const heapSamples: number[] = [];
const t0 = process.hrtime.bigint();
for (let i = 0; i < YEAR; i++) {
  for (const w of walks) {
    const bar = w.next();
    if (bar.tsEvent > stream.clock.now()) stream.clock.set(bar.tsEvent);
    stream.trader.onBar(bar);
  }
  if (i % 25_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  if (i > 0 && i % 131_400 === 0) {
    gc();
    heapSamples.push(mb(process.memoryUsage().heapUsed));
  }
}
const elapsedMs = Number(process.hrtime.bigint() - t0) / 1e6;
gc();
const rssAfter = process.memoryUsage().rss;
const heapAfter = process.memoryUsage().heapUsed;
peak = Math.max(peak, rssAfter);
const streamStats = stream.trader.stats();
const memory = writeBenchResult(
  packageDir,
  "kernel-stream-memory",
  "bars",
  [{ units: 2 * YEAR, elapsedMs, perSecond: (2 * YEAR) / (elapsedMs / 1000) }],
  {
    extra: {
      rssBeforeMb: mb(rssBefore),
      rssAfterMb: mb(rssAfter),
      rssPeakMb: mb(peak),
      heapUsedBeforeMb: mb(heapBefore),
      heapUsedAfterMb: mb(heapAfter),
      heapUsedEveryQuarterMb: heapSamples.join(" "),
      targetRssMb: 200,
      metMemoryTarget: peak < 200 * 1024 * 1024,
      decisions: streamStats.decisions,
      ordersSubmitted: streamStats.ordersSubmitted,
    },
  },
);

// --- throughput -------------------------------------------------------------------------------
const PER_SYMBOL = 250_000;
const bars = makeBars(PER_SYMBOL);
let lastStats = makeTrader(10, 30).trader.stats();
const rounds = measure(() => {
  const { trader, clock } = makeTrader(10, 30);
  const n = feed(trader, clock, bars);
  lastStats = trader.stats();
  return n;
}, 3);
const pipeline = writeBenchResult(packageDir, "kernel-pipeline", "bars", rounds, {
  target: 1_000_000,
  extra: {
    venue: "@gpt/paper-engine (cash account)",
    strategy: "sma-cross fast 10 slow 30 fraction 0.45, 2 symbols",
    regime: "regimePreset(1m)",
    risk: "default config",
    barsPerRound: bars.length,
    decisions: lastStats.decisions,
    ordersSubmitted: lastStats.ordersSubmitted,
    ordersDenied: lastStats.ordersDenied,
    executionEvents: lastStats.executionEvents,
  },
});

const quietRounds = measure(() => {
  const { trader, clock } = makeTrader(200, 800);
  const n = feed(trader, clock, bars);
  lastStats = trader.stats();
  return n;
}, 3);
const quiet = writeBenchResult(packageDir, "kernel-pipeline-quiet", "bars", quietRounds, {
  target: 1_000_000,
  extra: {
    venue: "@gpt/paper-engine (cash account)",
    strategy: "sma-cross fast 200 slow 800 fraction 0.45, 2 symbols",
    regime: "regimePreset(1m)",
    risk: "default config",
    barsPerRound: bars.length,
    decisions: lastStats.decisions,
    ordersSubmitted: lastStats.ordersSubmitted,
  },
});

// --- the kernel alone on bars without intents: throughput and garbage collections -------------
const silent = instruments.map((i) => ({
  id: `silent:${i.id}` as never,
  name: "silent",
  params: undefined,
  instruments: [i.id],
  warmUpBars: 0,
  onBar: () => NO_INTENTS,
}));
const bareTrader = (allocating: boolean) => {
  const clock = new ManualClock(T0);
  const engine = createPaperEngine({
    accountType: "cash",
    instruments,
    initialBalances: { USD: "1" },
    clock,
  });
  const strategies = allocating ? silent.map((st) => ({ ...st, onBar: () => [] })) : silent;
  const trader = createTrader({
    clock,
    execution: engine,
    instruments: createStaticInstrumentProvider(instruments),
    strategies,
    account: "1",
  }).start();
  return { trader, clock };
};
const bareRounds = measure(() => {
  const { trader, clock } = bareTrader(false);
  return feed(trader, clock, bars);
}, 3);
// Garbage collections while feeding the bars (entries arrive asynchronously, hence the awaits).
// The control run's strategy allocates one empty array per bar: it must show collections.
let gcCount = 0;
const gcObserver = new PerformanceObserver((list) => {
  gcCount += list.getEntries().length;
});
gcObserver.observe({ entryTypes: ["gc"] });
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
/** Feeds `n` bars through two reused, mutable bar objects, so that only the kernel could allocate. */
async function gcsDuring(allocating: boolean, n: number): Promise<number> {
  const { trader } = bareTrader(allocating);
  const mutable = instruments.map((i) => ({ ...(bars.find((b) => b.instrumentId === i.id) as Bar) }));
  gc();
  await settle();
  const before = gcCount;
  for (let k = 0; k < n; k++) {
    const bar = mutable[k & 1] as { -readonly [K in keyof Bar]: Bar[K] };
    const tsOpen = T0 + (k >> 1) * MINUTE_MS;
    bar.tsOpen = tsOpen;
    bar.tsEvent = tsOpen + MINUTE_MS;
    bar.close = 100 + (k % 7);
    // No clock.set here: ManualClock.set itself allocates a little (a core detail), and the
    // kernel does not need the clock to move for bars without intents.
    trader.onBar(bar);
  }
  await settle();
  return gcCount - before;
}
const GC_BARS = 5_000_000;
const gcBaseline = await gcsDuring(false, 0);
const gcDuringRun = await gcsDuring(false, GC_BARS);
const gcControl = await gcsDuring(true, GC_BARS);
gcObserver.disconnect();
const bare = writeBenchResult(packageDir, "kernel-per-bar-overhead", "bars", bareRounds, {
  extra: {
    what: "trader.onBar with strategies that never emit, no regime, no risk, no venue feed",
    barsPerRound: bars.length,
    garbageCollectionCheckBars: 5_000_000,
    garbageCollections: gcDuringRun,
    garbageCollectionsWithZeroBars: gcBaseline,
    garbageCollectionsWhenTheStrategyAllocates: gcControl,
  },
});

console.log(
  `kernel: pipeline ${Math.round(pipeline.perSecond).toLocaleString("en-US")} bars/s (${String(pipeline.extra?.ordersSubmitted)} orders, ${String(pipeline.extra?.decisions)} decisions per ${bars.length} bars), quiet ${Math.round(quiet.perSecond).toLocaleString("en-US")} bars/s, kernel alone ${Math.round(bare.perSecond).toLocaleString("en-US")} bars/s (${gcDuringRun} GCs over 5M bars, ${gcBaseline} with none; ${gcControl} when the strategy allocates one empty array per bar), stream ${Math.round(memory.perSecond).toLocaleString("en-US")} bars/s, RSS ${mb(rssBefore)} → ${mb(rssAfter)} MB (peak ${mb(peak)} MB, heap ${mb(heapBefore)} → ${heapSamples.join(" → ")} → ${mb(heapAfter)} MB) over ${2 * YEAR} bars`,
);
