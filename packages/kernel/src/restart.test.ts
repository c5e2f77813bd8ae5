/**
 * The restart path: a run against the paper engine is snapshotted at one bar and crashes at a
 * later one (the orders it sent in between exist only at the venue and in the durable store);
 * a fresh trader restored from the snapshot, warmed up from history and reconciled against the
 * venue continues. It sends the same orders and ends with the same positions as a run that never
 * stopped, and never sends a client order id twice.
 */
import {
  type Bar,
  createBar,
  createSeededRng,
  createStaticInstrumentProvider,
  type ExecutionPort,
  type Instrument,
  ManualClock,
  MINUTE_MS,
  type SubmitBracket,
  type SubmitOrder,
} from "@gpt/core";
import { createPaperEngine, type PaperEngine } from "@gpt/paper-engine";
import { createStrategy } from "@gpt/strategies";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TraderSnapshot } from "./snapshot.js";
import { createMemoryTraderStore, type MemoryTraderStore } from "./store.js";
import { BTC, PERP, T0 } from "./testing/fixtures.js";
import { createTrader, restoreTrader, type Trader, type TraderOptions } from "./trader.js";

const BARS = 70;

/** Seeded random-walk bars with wide swings, so sma-cross trades often. */
function walk(instrument: Instrument, seed: number): Bar[] {
  const rng = createSeededRng(seed);
  const bars: Bar[] = [];
  let close = 100;
  for (let i = 0; i < BARS; i++) {
    const open = close;
    close = Math.max(1, Math.round(open * (1 + (rng.next() - 0.5) * 0.05) * 100) / 100);
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

/** What the venue was asked to do, in order: one line per order sent. */
type Sent = string;

function describeSubmit(command: SubmitOrder | SubmitBracket): Sent {
  const order = command.type === "SubmitOrder" ? command.order : command.entry;
  return `${order.clientOrderId} ${order.side} ${order.quantity.toFixed()} ${order.type}`;
}

/** One venue (the paper engine) that outlives the traders, recording every submit it receives. */
class Venue {
  readonly clock = new ManualClock(T0);
  readonly engine: PaperEngine;
  readonly sent: Sent[] = [];
  readonly port: ExecutionPort;

  constructor(readonly instrument: Instrument) {
    this.engine = createPaperEngine({
      accountType: instrument.kind === "spot" ? "cash" : "margin",
      instruments: [instrument],
      initialBalances: { USD: "10000" },
      clock: this.clock,
      marketOrderBuffer: "0",
    });
    const engine = this.engine;
    const send = (command: SubmitOrder | SubmitBracket, go: () => void) => {
      if (this.dieAtSubmit === this.sent.length) this.crash();
      if (this.dead) return; // the process died: nothing leaves it
      this.sent.push(describeSubmit(command));
      this.sentBars.push(this.bar);
      go();
    };
    const alive = (go: () => void) => {
      if (!this.dead) go();
    };
    this.port = {
      submitOrder: (command) => send(command, () => engine.submitOrder(command)),
      submitBracket: (command) => send(command, () => engine.submitBracket(command)),
      cancelOrder: (command) => alive(() => engine.cancelOrder(command)),
      modifyOrder: (command) => alive(() => engine.modifyOrder(command)),
      cancelAllOrders: (command) => alive(() => engine.cancelAllOrders(command)),
      onEvent: (handler) => {
        // A crashed process hears nothing more: handlers of an earlier life are cut off.
        const life = this.life;
        return engine.onEvent((event) => {
          if (this.life === life && !this.dead) handler(event);
        });
      },
    };
  }

  /** The bar each sent order was sent at. */
  readonly sentBars: number[] = [];
  /** The index of the bar being fed. */
  bar = -1;
  /** The process dies as it is about to send this submit (counted from 0), after its write-ahead. */
  dieAtSubmit: number | undefined = undefined;
  dead = false;
  life = 0;

  crash(): void {
    this.dead = true;
  }

  /** A new process: the port works again, for handlers registered from now on. */
  restart(): void {
    this.dead = false;
    this.dieAtSubmit = undefined;
    this.life += 1;
  }

  options(instrument: Instrument, store: MemoryTraderStore): TraderOptions {
    return {
      clock: this.clock,
      execution: this.port,
      instruments: createStaticInstrumentProvider([instrument]),
      // A fresh strategy per trader: its indicator state comes from the history replay only.
      strategy: createStrategy(
        "sma-cross",
        { fast: 3, slow: 8, fraction: 0.5 },
        { instrumentId: instrument.id },
      ),
      account: "10000",
      venueFeed: (event) => this.engine.onMarketData(event),
      store,
    };
  }

  /** Feeds bars `from` to `to` (indexes) while the process is alive. */
  feed(trader: Trader, bars: readonly Bar[], from = 0, to = bars.length): void {
    for (let i = from; i < to && !this.dead; i++) {
      const bar = bars[i] as Bar;
      this.bar = i;
      this.clock.set(bar.tsEvent);
      trader.onBar(bar);
    }
  }

  positions(): string[] {
    const p = this.engine.position(this.instrument.id);
    if (p === undefined || p.quantity.isZero()) return [];
    return [`${p.instrumentId} ${p.quantity.toFixed()} @ ${p.avgEntryPrice.toFixed()}`];
  }
}

function ledgerPositions(trader: Trader): string[] {
  return trader.cache
    .positions()
    .filter((p) => !p.quantity.isZero())
    .map((p) => `${p.instrumentId} ${p.quantity.toFixed()} @ ${p.avgEntryPrice.toFixed()}`);
}

describe("restart: snapshot, crash, restore + reconcile, continue", () => {
  for (const instrument of [PERP, BTC]) {
    it(`sends the same orders and ends with the same positions as a run that never stopped, no order twice (${instrument.kind})`, async () => {
      const bars = walk(instrument, 21);
      const reference = new Venue(instrument);
      const uninterrupted = createTrader(reference.options(instrument, createMemoryTraderStore())).start();
      reference.feed(uninterrupted, bars);
      const sentBars = [...reference.sentBars];
      expect(reference.sent.length).toBeGreaterThan(4); // it trades

      const points = fc
        .tuple(fc.integer({ min: 1, max: BARS - 1 }), fc.integer({ min: 0, max: 12 }))
        .map(([snap, lag]) => ({ snap, crash: Math.min(BARS - 1, snap + lag) }));
      await fc.assert(
        fc.asyncProperty(points, async ({ snap, crash }) => {
          const venue = new Venue(instrument);
          const store = createMemoryTraderStore(); // durable: it survives the crash
          const first = createTrader(venue.options(instrument, store)).start();
          venue.feed(first, bars, 0, snap);
          const snapshot = JSON.parse(JSON.stringify(first.snapshot())) as TraderSnapshot;
          // The run goes on until it crashes: no stop(), its state is simply gone.
          venue.feed(first, bars, snap, crash);
          venue.crash();
          venue.restart();

          const second = restoreTrader(snapshot, venue.options(instrument, store), {
            history: bars.slice(0, crash),
          });
          const result = second.reconcile(await venue.engine.generateMassStatus(), {
            orderRecords: store.orders(),
          });
          expect(result.issues).toEqual([]);
          expect(ledgerPositions(second)).toEqual(venue.positions());
          second.start();
          venue.feed(second, bars, crash);

          expect(venue.sent).toEqual(reference.sent);
          expect(new Set(venue.sent.map((line) => line.split(" ")[0])).size).toBe(venue.sent.length);
          expect(venue.positions()).toEqual(reference.positions());
          expect(ledgerPositions(second)).toEqual(ledgerPositions(uninterrupted));
        }),
        { numRuns: 12, seed: 4242 },
      );

      // A crash between an order's write-ahead record and its send: the venue never got it. The
      // restored trader sends it again (same side, quantity and type) under a new id.
      const stripId = (line: Sent) => line.slice(line.indexOf(" ") + 1);
      const midSend = fc
        .tuple(fc.integer({ min: 0, max: reference.sent.length - 1 }), fc.integer({ min: 0, max: 12 }))
        .map(([order, lag]) => {
          const crash = sentBars[order] as number;
          return { order, crash, snap: Math.max(1, crash - lag) };
        });
      await fc.assert(
        fc.asyncProperty(midSend, async ({ order, crash, snap }) => {
          const venue = new Venue(instrument);
          const store = createMemoryTraderStore();
          const first = createTrader(venue.options(instrument, store)).start();
          venue.feed(first, bars, 0, snap);
          const snapshot = JSON.parse(JSON.stringify(first.snapshot())) as TraderSnapshot;
          venue.dieAtSubmit = order;
          venue.feed(first, bars, snap, crash + 1);
          expect(venue.dead).toBe(true);
          expect(store.orders()).toHaveLength(order + 1); // its record is durable, the order never left
          venue.restart();

          const second = restoreTrader(snapshot, venue.options(instrument, store), {
            history: bars.slice(0, crash + 1),
          });
          second.reconcile(await venue.engine.generateMassStatus(), { orderRecords: store.orders() });
          second.start();
          venue.feed(second, bars, crash + 1);

          expect(venue.sent.map(stripId)).toEqual(reference.sent.map(stripId));
          const ids = [...store.orders().flatMap((r) => r.clientOrderIds)];
          expect(new Set(ids).size).toBe(ids.length); // no id handed out twice, sent or not
          expect(venue.positions()).toEqual(reference.positions());
          expect(ledgerPositions(second)).toEqual(ledgerPositions(uninterrupted));
        }),
        { numRuns: 12, seed: 4343 },
      );
    }, 120_000);
  }
});
