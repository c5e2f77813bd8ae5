/**
 * The persistence port: write-ahead order records (synchronous, before the command leaves) and
 * appended events, tested with a store that fails or "crashes" at every step of a run.
 */
import {
  type Bar,
  type CancelAllOrders,
  type CancelOrder,
  type ClientOrderId,
  createBar,
  createSeededRng,
  createStaticInstrumentProvider,
  type ExecutionEventHandler,
  type ExecutionPort,
  ManualClock,
  MINUTE_MS,
  type ModifyOrder,
  type SubmitBracket,
  type SubmitOrder,
} from "@gpt/core";
import { createPaperEngine, type PaperEngine } from "@gpt/paper-engine";
import { createStrategy } from "@gpt/strategies";
import { describe, expect, it } from "vitest";
import { createMemoryEventLog, type MemoryEventLog } from "./event-log.js";
import type { KernelWarning } from "./events.js";
import {
  createMemoryTraderStore,
  type MemoryTraderStore,
  type StoredOrder,
  type StoreEntry,
  type TraderStore,
} from "./store.js";
import { PERP, T0 } from "./testing/fixtures.js";
import { createTrader } from "./trader.js";

/** A port in front of the paper engine that records, at each submit, whether the store had the record. */
class CheckedPort implements ExecutionPort {
  readonly sent: { readonly id: ClientOrderId; readonly recorded: boolean }[] = [];
  constructor(
    readonly engine: PaperEngine,
    readonly recorded: (id: ClientOrderId) => boolean,
  ) {}
  onEvent(handler: ExecutionEventHandler) {
    return this.engine.onEvent(handler);
  }
  submitOrder(command: SubmitOrder): void {
    this.sent.push({ id: command.order.clientOrderId, recorded: this.recorded(command.order.clientOrderId) });
    this.engine.submitOrder(command);
  }
  submitBracket(command: SubmitBracket): void {
    this.sent.push({ id: command.entry.clientOrderId, recorded: this.recorded(command.entry.clientOrderId) });
    this.engine.submitBracket(command);
  }
  cancelOrder(command: CancelOrder): void {
    this.engine.cancelOrder(command);
  }
  modifyOrder(command: ModifyOrder): void {
    this.engine.modifyOrder(command);
  }
  cancelAllOrders(command: CancelAllOrders): void {
    this.engine.cancelAllOrders(command);
  }
}

/** A store that works until call `failAt` (1-based), then throws: once, or from then on (a crash). */
class FaultyStore implements TraderStore {
  readonly inner: MemoryTraderStore = createMemoryTraderStore();
  calls = 0;
  constructor(
    readonly failAt: number,
    readonly mode: "once" | "crash",
  ) {}
  #fails(): boolean {
    this.calls += 1;
    return this.mode === "once" ? this.calls === this.failAt : this.calls >= this.failAt;
  }
  writeOrder(record: StoredOrder): void {
    if (this.#fails()) throw new Error("disk full at /secret/path");
    this.inner.writeOrder(record);
  }
  append(entry: StoreEntry): void {
    if (this.#fails()) throw new Error("disk full at /secret/path");
    this.inner.append(entry);
  }
}

function bars(n: number): Bar[] {
  const rng = createSeededRng(5);
  const out: Bar[] = [];
  let close = 100;
  for (let i = 0; i < n; i++) {
    const open = close;
    close = Math.round(open * (1 + (rng.next() - 0.5) * 0.05) * 100) / 100;
    out.push(
      createBar({
        instrumentId: PERP.id,
        intervalMs: MINUTE_MS,
        tsOpen: T0 + i * MINUTE_MS,
        open,
        high: Math.max(open, close) + 0.1,
        low: Math.min(open, close) - 0.1,
        close,
        volume: 5,
      }),
    );
  }
  return out;
}

const BARS = bars(80);

function run(
  store: TraderStore & { readonly inner?: MemoryTraderStore },
  recorded: (id: ClientOrderId) => boolean,
) {
  const clock = new ManualClock(T0);
  const engine = createPaperEngine({
    accountType: "margin",
    instruments: [PERP],
    initialBalances: { USD: "10000" },
    clock,
    marketOrderBuffer: "0",
  });
  const port = new CheckedPort(engine, recorded);
  const log: MemoryEventLog = createMemoryEventLog({ capacity: "unbounded" });
  const trader = createTrader({
    clock,
    execution: port,
    instruments: createStaticInstrumentProvider([PERP]),
    strategy: createStrategy("sma-cross", { fast: 2, slow: 5, fraction: 0.5 }, { instrumentId: PERP.id }),
    account: "10000",
    venueFeed: (event) => engine.onMarketData(event),
    eventLog: log,
    store,
  }).start();
  for (const bar of BARS) {
    clock.set(bar.tsEvent);
    trader.onBar(bar);
  }
  return { trader, port, log };
}

describe("the store guarantee", () => {
  it("writes every order record before its command is sent, and appends every event with the position it left", () => {
    const store = createMemoryTraderStore();
    const { port, log, trader } = run(store, (id) => store.hasOrder(id));
    expect(port.sent.length).toBeGreaterThan(5);
    expect(port.sent.every((s) => s.recorded)).toBe(true);
    expect(store.orders().map((o) => o.clientOrderIds[0])).toEqual(port.sent.map((s) => s.id));
    expect(store.entries().map((e) => e.event)).toEqual(log.events());
    const fills = store.entries().filter((e) => e.event.type === "OrderFilled");
    expect(fills.length).toBeGreaterThan(5);
    expect(fills.every((e) => e.position !== undefined)).toBe(true);
    const last = fills[fills.length - 1] as StoreEntry;
    expect(last.position?.quantity.toFixed()).toBe(trader.cache.position(PERP.id)?.quantity.toFixed());
  });

  const total = (() => {
    const probe = new FaultyStore(Number.POSITIVE_INFINITY, "once");
    run(probe, (id) => probe.inner.hasOrder(id));
    return probe.calls;
  })();

  for (const mode of ["once", "crash"] as const) {
    it(`a store that fails ${mode === "once" ? "once" : "for good"} at any of its calls: no order leaves unrecorded, every failure is an event`, () => {
      expect(total).toBeGreaterThan(50);
      let deniedRuns = 0;
      for (let failAt = 1; failAt <= total; failAt++) {
        const store = new FaultyStore(failAt, mode);
        const { port, log } = run(store, (id) => store.inner.hasOrder(id));
        // No order is sent whose record was not written.
        expect(
          port.sent.every((s) => s.recorded),
          `failAt ${failAt}`,
        ).toBe(true);
        // Every failure is visible: one warning per failed call, none of them silent.
        const warnings = log
          .events()
          .filter((e): e is KernelWarning => e.type === "KernelWarning" && e.code === "store-write-failed");
        const failedCalls = mode === "once" ? 1 : store.calls - failAt + 1;
        expect(warnings.length, `failAt ${failAt}`).toBe(failedCalls);
        // The store's error message never reaches the log.
        expect(warnings.every((w) => !w.message.includes("/secret/path"))).toBe(true);
        // An order whose record failed was denied locally, never sent.
        const denied = log
          .events()
          .filter((e) => e.type === "OrderDenied" && e.reason.startsWith("store-write-failed"));
        if (denied.length > 0) deniedRuns += 1;
        for (const d of denied) {
          if (d.type !== "OrderDenied") continue;
          expect(port.sent.some((s) => s.id === d.clientOrderId)).toBe(false);
          expect(store.inner.hasOrder(d.clientOrderId)).toBe(false);
        }
        // What the store holds is a prefix-consistent record: every appended fill is of a recorded order.
        for (const entry of store.inner.entries()) {
          if (entry.event.type === "OrderFilled")
            expect(store.inner.hasOrder(entry.event.clientOrderId)).toBe(true);
        }
      }
      // Some failures hit a write-ahead record: those runs exercised the denial path.
      expect(deniedRuns).toBeGreaterThan(5);
    });
  }
});
