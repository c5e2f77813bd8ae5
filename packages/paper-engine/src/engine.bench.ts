/**
 * Throughput and memory of the paper engine, single thread. Run with `pnpm bench` in this package.
 *
 * - `bars-no-orders`: bars/s for an instrument with no orders and no position (target 1,000,000).
 * - `bars-100-resting`: bars/s with 100 resting limit orders, market-making style: 50 bids and
 *   50 asks on a ladder, each fill re-placed at the far end of its side (target 200,000).
 * - `trend-flow`: fills/s (and bars/s) for a moving-average crossover that flips a leveraged perp
 *   position with market orders.
 * - `memory-5m-bars`: heap and RSS before/after streaming 5,000,000 bars with a margin position
 *   and resting orders open (memory must stay flat: no per-bar history is kept).
 *
 * Bars come from a seeded random walk written into one reused bar object, so the numbers measure
 * the engine, not bar allocation.
 */
import { fileURLToPath } from "node:url";
import {
  type Bar,
  createClientOrderIdGenerator,
  createSeededRng,
  limitOrder,
  marketOrder,
  strategyId,
} from "@gpt/core";
import { D } from "@gpt/quantize";
import { measure, writeBenchResult } from "@gpt/testkit";
import { PaperEngine } from "./engine.js";
import { PERP, SPOT } from "./testing/fixtures.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const STRAT = strategyId("bench");
const MIN = 60_000;

/** A seeded random walk of OHLC on a tick grid, as parallel arrays. */
function walk(n: number, seed: number, start: number, sigma: number, tick: number) {
  const rng = createSeededRng(seed);
  const o = new Float64Array(n);
  const h = new Float64Array(n);
  const l = new Float64Array(n);
  const c = new Float64Array(n);
  let p = start;
  const round = (x: number) => Math.round(x / tick) * tick;
  for (let i = 0; i < n; i++) {
    const open = round(p);
    const close = round(open * (1 + sigma * (rng.next() * 2 - 1)));
    const hi = round(Math.max(open, close) * (1 + sigma * 0.5 * rng.next()));
    const lo = round(Math.min(open, close) * (1 - sigma * 0.5 * rng.next()));
    o[i] = open;
    h[i] = hi;
    l[i] = lo;
    c[i] = close;
    p = close;
  }
  return { o, h, l, c, n };
}

/** A mean-reverting (Ornstein-Uhlenbeck) path around `start`: the price keeps crossing a grid. */
function meanReverting(n: number, seed: number, start: number, sigma: number, tick: number): Walk {
  const rng = createSeededRng(seed);
  const o = new Float64Array(n);
  const h = new Float64Array(n);
  const l = new Float64Array(n);
  const c = new Float64Array(n);
  let p = start;
  const round = (x: number) => Math.round(x / tick) * tick;
  for (let i = 0; i < n; i++) {
    const open = round(p);
    const drift = 0.01 * (start - open);
    const close = round(open + drift + open * sigma * (rng.next() * 2 - 1));
    o[i] = open;
    h[i] = round(Math.max(open, close) * (1 + sigma * 0.5 * rng.next()));
    l[i] = round(Math.min(open, close) * (1 - sigma * 0.5 * rng.next()));
    c[i] = close;
    p = close;
  }
  return { o, h, l, c, n };
}

type Walk = ReturnType<typeof walk>;

type MutableBar = { -readonly [K in keyof Bar]: Bar[K] };

function barHolder(instrumentId: Bar["instrumentId"]): MutableBar {
  return {
    type: "Bar",
    instrumentId,
    intervalMs: MIN,
    tsOpen: 0,
    tsEvent: MIN,
    tsInit: MIN,
    open: 1,
    high: 1,
    low: 1,
    close: 1,
    volume: 1_000,
  };
}

/** Streams `count` bars of `w` (cycling) into `engine`, starting at bar index `from`. */
function stream(engine: PaperEngine, bar: MutableBar, w: Walk, from: number, count: number): void {
  for (let k = 0; k < count; k++) {
    const i = (from + k) % w.n;
    const t = (from + k) * MIN;
    bar.tsOpen = t;
    bar.tsEvent = t + MIN;
    bar.tsInit = t + MIN;
    bar.open = w.o[i]!;
    bar.high = w.h[i]!;
    bar.low = w.l[i]!;
    bar.close = w.c[i]!;
    engine.onBar(bar);
  }
}

const summary: string[] = [];

/**
 * Units per second of CPU time (user + system) of this process while `fn` ran: steadier than wall
 * time on a shared machine, where other jobs take turns on the cores.
 */
function cpuRate(fn: () => number): { result: number; cpuPerSecond: number } {
  const c0 = process.cpuUsage();
  const result = fn();
  const c = process.cpuUsage(c0);
  return { result, cpuPerSecond: result / ((c.user + c.system) / 1e6) };
}

/** Runs `measure(fn)` and also returns the units per CPU second over all its rounds. */
function measureCpu(fn: () => number): { rounds: ReturnType<typeof measure>; cpuPerSecond: number } {
  let rounds: ReturnType<typeof measure> = [];
  const { cpuPerSecond } = cpuRate(() => {
    rounds = measure(fn);
    return rounds.reduce((sum, r) => sum + r.units, 0);
  });
  return { rounds, cpuPerSecond };
}

const perCpu = (x: number) => Math.round(x).toLocaleString("en-US");

// 1. No open orders.
{
  const w = walk(1_000_000, 1, 60_000, 0.001, 0.01);
  const engine = new PaperEngine({
    accountType: "cash",
    instruments: [SPOT],
    initialBalances: { USD: "1000000" },
  });
  const bar = barHolder(SPOT.id);
  let offset = 0;
  const { rounds, cpuPerSecond } = measureCpu(() => {
    stream(engine, bar, w, offset, w.n);
    offset += w.n;
    return w.n;
  });
  const r = writeBenchResult(packageDir, "bars-no-orders", "bars", rounds, {
    target: 1_000_000,
    extra: { barsPerCpuSecond: Math.round(cpuPerSecond) },
  });
  summary.push(
    `no orders: ${Math.round(r.perSecond).toLocaleString("en-US")} bars/s (${perCpu(cpuPerSecond)} per CPU s)`,
  );
}

// 2. 100 resting orders, market-making (grid) style: 50 bids and 50 asks 10 bps apart; a filled
// bid is replaced by an ask one rung above it, a filled ask by a bid one rung below, so there
// are always 100 resting orders around a mean-reverting price.
{
  const w = meanReverting(200_000, 2, 60_000, 0.0005, 0.01);
  const engine = new PaperEngine({
    accountType: "cash",
    instruments: [SPOT],
    initialBalances: { USD: "1000000000", BTC: "100000" },
    emitAccountUpdates: false,
  });
  const ids = createClientOrderIdGenerator("mm");
  const step = 0.001;
  let fills = 0;
  const place = (side: "buy" | "sell", px: number) => {
    const order = limitOrder({
      clientOrderId: ids.next(),
      instrumentId: SPOT.id,
      side,
      quantity: "0.01",
      price: D(Math.round(px * 100)).div(100),
    });
    engine.submitOrder({ type: "SubmitOrder", strategyId: STRAT, order, tsInit: engine.now() });
  };
  engine.onEvent((e) => {
    if (e.type === "OrderFilled") {
      fills++;
      const p = e.lastPrice.toNumber();
      // Queued by the engine until the current bar is processed.
      if (e.side === "buy") place("sell", p * (1 + step));
      else place("buy", p * (1 - step));
    }
  });
  const bar = barHolder(SPOT.id);
  stream(engine, bar, w, 0, 1);
  const mid = w.c[0]!;
  for (let r = 1; r <= 50; r++) {
    place("buy", mid * (1 - step * r));
    place("sell", mid * (1 + step * r));
  }
  let offset = 1;
  let lastRoundFills = 0;
  const fillRates: number[] = [];
  const n = 200_000;
  const { rounds, cpuPerSecond } = measureCpu(() => {
    const before = fills;
    const t0 = process.hrtime.bigint();
    stream(engine, bar, w, offset, n);
    offset += n;
    const sec = Number(process.hrtime.bigint() - t0) / 1e9;
    lastRoundFills = fills - before;
    fillRates.push(lastRoundFills / sec);
    return n;
  });
  const open = engine.openOrders().length;
  const sortedRates = fillRates.slice(1).sort((a, b) => a - b);
  const r = writeBenchResult(packageDir, "bars-100-resting", "bars", rounds, {
    target: 200_000,
    extra: {
      restingOrders: open,
      fillsPerBar: Number((lastRoundFills / n).toFixed(4)),
      fillsPerSecond: Math.round(sortedRates[Math.floor(sortedRates.length / 2)]!),
      barsPerCpuSecond: Math.round(cpuPerSecond),
    },
  });
  summary.push(
    `100 resting: ${Math.round(r.perSecond).toLocaleString("en-US")} bars/s (${perCpu(cpuPerSecond)} per CPU s; ${open} open, ${r.extra?.fillsPerBar} fills/bar, ${r.extra?.fillsPerSecond} fills/s)`,
  );
}

// 3. Trend flow: MA crossover flipping a perp position with market orders.
{
  const w = walk(200_000, 3, 60_000, 0.002, 0.1);
  const engine = new PaperEngine({
    accountType: "margin",
    instruments: [PERP],
    initialBalances: { USD: "100000000" },
  });
  const ids = createClientOrderIdGenerator("tr");
  let fills = 0;
  engine.onEvent((e) => {
    if (e.type === "OrderFilled") fills++;
  });
  const bar = barHolder(PERP.id);
  let fast = w.c[0]!;
  let slow = w.c[0]!;
  let side: 1 | -1 | 0 = 0;
  let offset = 0;
  let barsPerSecond: number[] = [];
  const { rounds, cpuPerSecond } = measureCpu(() => {
    const before = fills;
    const t0 = process.hrtime.bigint();
    const n = 100_000;
    for (let k = 0; k < n; k++) {
      stream(engine, bar, w, offset + k, 1);
      fast += (bar.close - fast) * 0.2;
      slow += (bar.close - slow) * 0.02;
      const want = fast > slow ? 1 : -1;
      if (want !== side) {
        const qty = side === 0 ? "1" : "2";
        engine.submitOrder({
          type: "SubmitOrder",
          strategyId: STRAT,
          order: marketOrder({
            clientOrderId: ids.next(),
            instrumentId: PERP.id,
            side: want > 0 ? "buy" : "sell",
            quantity: qty,
          }),
          tsInit: engine.now(),
        });
        side = want;
      }
    }
    offset += n;
    const sec = Number(process.hrtime.bigint() - t0) / 1e9;
    barsPerSecond.push(n / sec);
    return fills - before;
  });
  barsPerSecond = barsPerSecond.slice(1).sort((a, b) => a - b);
  const r = writeBenchResult(packageDir, "trend-flow", "fills", rounds, {
    extra: {
      barsPerSecond: Math.round(barsPerSecond[Math.floor(barsPerSecond.length / 2)]!),
      fillsPerCpuSecond: Math.round(cpuPerSecond),
    },
  });
  summary.push(
    `trend: ${Math.round(r.perSecond).toLocaleString("en-US")} fills/s (${perCpu(cpuPerSecond)} per CPU s), ${r.extra?.barsPerSecond} bars/s`,
  );
}

// 4. Memory while streaming 5M bars with a position and resting orders open.
{
  const w = walk(1_000_000, 4, 60_000, 0.0005, 0.1);
  const engine = new PaperEngine({
    accountType: "margin",
    instruments: [PERP],
    initialBalances: { USD: "100000000" },
  });
  const bar = barHolder(PERP.id);
  stream(engine, bar, w, 0, 1);
  engine.submitOrder({
    type: "SubmitOrder",
    strategyId: STRAT,
    order: marketOrder({
      clientOrderId: createClientOrderIdGenerator("m").next(),
      instrumentId: PERP.id,
      side: "buy",
      quantity: "1",
    }),
    tsInit: engine.now(),
  });
  stream(engine, bar, w, 1, 1);
  const ids = createClientOrderIdGenerator("rest");
  for (let k = 1; k <= 10; k++) {
    engine.submitOrder({
      type: "SubmitOrder",
      strategyId: STRAT,
      order: limitOrder({
        clientOrderId: ids.next(),
        instrumentId: PERP.id,
        side: "sell",
        quantity: "0.01",
        price: String(1_000_000 + k),
      }),
      tsInit: engine.now(),
    });
  }
  const mb = (x: number) => Math.round((x / 1_048_576) * 10) / 10;
  stream(engine, bar, w, 2, 200_000); // warm up
  const before = process.memoryUsage();
  const t0 = process.hrtime.bigint();
  const total = 5_000_000;
  let mid = before;
  const { cpuPerSecond } = cpuRate(() => {
    for (let done = 0; done < total; done += 1_000_000) {
      stream(engine, bar, w, 200_002 + done, 1_000_000);
      if (done === 1_000_000) mid = process.memoryUsage();
    }
    return total;
  });
  const elapsedMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const after = process.memoryUsage();
  const r = writeBenchResult(
    packageDir,
    "memory-5m-bars",
    "bars",
    [{ units: total, elapsedMs, perSecond: total / (elapsedMs / 1000) }],
    {
      extra: {
        heapUsedBeforeMB: mb(before.heapUsed),
        heapUsedAfter2mMB: mb(mid.heapUsed),
        heapUsedAfterMB: mb(after.heapUsed),
        rssBeforeMB: mb(before.rss),
        rssAfterMB: mb(after.rss),
        openOrders: engine.openOrders().length,
        position: engine.position(PERP.id)?.quantity.toString() ?? "0",
        barsPerCpuSecond: Math.round(cpuPerSecond),
      },
    },
  );
  summary.push(
    `memory: heap ${r.extra?.heapUsedBeforeMB} → ${r.extra?.heapUsedAfterMB} MB, rss ${r.extra?.rssBeforeMB} → ${r.extra?.rssAfterMB} MB over 5M bars (${Math.round(r.perSecond).toLocaleString("en-US")} bars/s with a position, ${perCpu(cpuPerSecond)} per CPU s)`,
  );
}

console.log(`paper-engine: ${summary.join(" | ")}`);
