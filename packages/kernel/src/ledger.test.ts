import {
  accountId,
  applyFill,
  type Bar,
  createBar,
  createPerpetualInstrument,
  createPositionEvent,
  createStaticInstrumentProvider,
  eventId,
  ManualClock,
  MINUTE_MS,
  type OrderFilled,
  tradeId,
} from "@gpt/core";
import { createPaperEngine } from "@gpt/paper-engine";
import { D } from "@gpt/quantize";
import { parseSizingConfig } from "@gpt/sizing";
import type { Direction } from "@gpt/strategies";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMemoryEventLog } from "./event-log.js";
import type { TraderEvent } from "./events.js";
import { createConfigSizer, DEFAULT_SIZING, type KernelSizer } from "./sizing.js";
import { barsFrom, barsFromCloses, PERP, ScriptedStrategy, T0 } from "./testing/fixtures.js";
import { ManualVenue } from "./testing/manual-venue.js";
import { createTrader } from "./trader.js";

/** A perpetual that allows 20× (initial margin 5 %, maintenance 2.5 %), contract size 0.01. */
const PERP20 = createPerpetualInstrument({
  symbol: "BTC-PERP20",
  venue: "TEST",
  baseCurrency: "BTC",
  quoteCurrency: "USD",
  priceIncrement: "0.01",
  sizeIncrement: "1",
  minSize: "1",
  maxSize: "1000000",
  makerFee: "0.0002",
  takerFee: "0.0005",
  contractSize: "0.01",
  initialMarginFraction: "0.05",
  maintenanceMarginFraction: "0.025",
  maxLeverage: "20",
  fundingIntervalMs: 8 * 3_600_000,
});

/** Bars from per-bar moves in basis points, with opening gaps (prices on the cent). */
function barsOf(moves: readonly number[], gaps: readonly number[]): Bar[] {
  let close = 100;
  return moves.map((bps, i) => {
    const open = Math.max(1, Math.round(close * (1 + (gaps[i] ?? 0) / 10_000) * 100) / 100);
    close = Math.max(1, Math.round(open * (1 + bps / 10_000) * 100) / 100);
    return createBar({
      instrumentId: PERP20.id,
      intervalMs: MINUTE_MS,
      tsOpen: T0 + i * MINUTE_MS,
      open,
      close,
      high: Math.max(open, close) * 1.002,
      low: Math.min(open, close) * 0.998,
      volume: 1,
    });
  });
}

const direction = fc.constantFrom<Direction | undefined>("long", "short", "long", "short", "flat", undefined);
const scenario = fc.record({
  // Large moves and gaps: at up to 20× a few percent is a liquidation.
  moves: fc.array(fc.integer({ min: -900, max: 900 }), { minLength: 10, maxLength: 60 }),
  gaps: fc.array(fc.integer({ min: -600, max: 600 }), { maxLength: 60 }),
  script: fc.array(direction, { maxLength: 60 }),
  leverage: fc.integer({ min: 1, max: 20 }),
  fraction: fc.double({ min: 0.3, max: 1, noNaN: true }),
  // Funding every few bars, both signs.
  funding: fc.array(fc.integer({ min: -300, max: 300 }), { maxLength: 20 }),
});

/** Sizes `fraction × leverage` of equity in notional, leaving room for the venue's reservation. */
function leveragedSizer(leverage: number, fraction: number): KernelSizer {
  const base = createConfigSizer(parseSizingConfig(DEFAULT_SIZING));
  const scale = (fraction * leverage) / (1.06 * (1 + 0.0005 * leverage));
  return (request) => base({ ...request, intent: { ...request.intent, sizeFraction: scale } });
}

describe("one ledger: the kernel's books follow every change the venue makes", () => {
  it("positions, cash and equity equal the paper engine's on every bar, up to 20× with forced liquidations and funding", () => {
    let fills = 0;
    let liquidations = 0;
    let fillsAfterLiquidation = 0;
    fc.assert(
      fc.property(scenario, ({ moves, gaps, script, leverage, fraction, funding }) => {
        const bars = barsOf(moves, gaps);
        const clock = new ManualClock(T0);
        const engine = createPaperEngine({
          accountType: "margin",
          instruments: [PERP20],
          initialBalances: { USD: "10000" },
          leverage: { [PERP20.id]: String(leverage) },
          clock,
          marketOrderBuffer: "0.05",
        });
        engine.attachFundingSeries(
          PERP20.id,
          funding.map((rate, i) => ({
            fundingTime: T0 + (3 * i + 2) * MINUTE_MS + 30_000,
            rate: D(rate).div(100_000),
          })),
        );
        const strategy = new ScriptedStrategy([PERP20.id], (_b, i) => script[i]);
        const log = createMemoryEventLog({ capacity: "unbounded" });
        const trader = createTrader({
          clock,
          execution: engine,
          instruments: createStaticInstrumentProvider([PERP20]),
          strategy,
          account: "10000",
          sizing: leveragedSizer(leverage, fraction),
          venueFeed: (e) => engine.onMarketData(e),
          eventLog: log,
        }).start();
        let liquidated = false;
        trader.events.subscribe((e: TraderEvent) => {
          if (e.type === "ForcedFill") {
            liquidations += 1;
            liquidated = true;
          } else if (e.type === "OrderFilled") {
            fills += 1;
            if (liquidated) fillsAfterLiquidation += 1;
          }
        });
        for (const bar of bars) {
          clock.set(bar.tsEvent);
          trader.onBar(bar);
          const venue = engine.snapshot();
          const kernelQty = trader.cache.position(PERP20.id)?.quantity ?? D(0);
          const venueQty = engine.position(PERP20.id)?.quantity ?? D(0);
          expect(kernelQty.toFixed()).toBe(venueQty.toFixed());
          expect(trader.cache.cash().toFixed()).toBe(venue.balances[0]?.total.toFixed());
          expect(trader.cache.equity().toFixed()).toBe(venue.equity.toFixed());
          const ledger = trader.cache.account();
          expect(ledger.realizedPnl.toFixed()).toBe(venue.realizedPnl.toFixed());
          expect(ledger.commissions.toFixed()).toBe(venue.commissions.toFixed());
          expect(ledger.funding.toFixed()).toBe(venue.funding.toFixed());
        }
        const events = log.events();
        expect(events.filter((e) => e.type === "KernelWarning")).toEqual([]);
        expect(events.filter((e) => e.type === "ReconciliationRequested")).toEqual([]);
        const reduceOnlyRejects = events.filter(
          (e) => e.type === "OrderRejected" && /reduce-only/.test(e.reason),
        );
        expect(reduceOnlyRejects).toEqual([]);
      }),
      { numRuns: 150 },
    );
    // Not vacuous: the scenarios trade, liquidate, and trade on after a liquidation.
    expect(fills).toBeGreaterThan(200);
    expect(liquidations).toBeGreaterThan(20);
    expect(fillsAfterLiquidation).toBeGreaterThan(10);
  }, 120_000);

  /** A 10× long of 1,000 USD at 100 on `PERP`, then `prices` as [open, close] bars. */
  function liquidationRun(
    prices: readonly (readonly [number, number])[],
    script: (i: number) => Direction | undefined,
  ) {
    const clock = new ManualClock(T0);
    const engine = createPaperEngine({
      accountType: "margin",
      instruments: [PERP],
      initialBalances: { USD: "1000" },
      leverage: { [PERP.id]: "10" },
      clock,
      marketOrderBuffer: "0.05",
    });
    const log = createMemoryEventLog({ capacity: "unbounded" });
    const trader = createTrader({
      clock,
      execution: engine,
      instruments: createStaticInstrumentProvider([PERP]),
      strategy: new ScriptedStrategy([PERP.id], (_b, i) => script(i)),
      account: "1000",
      sizing: leveragedSizer(10, 1),
      venueFeed: (e) => engine.onMarketData(e),
      eventLog: log,
    }).start();
    for (const bar of barsFrom(PERP.id, prices)) {
      clock.set(bar.tsEvent);
      trader.onBar(bar);
      expect(trader.cache.position(PERP.id)?.quantity.toFixed() ?? "0").toBe(
        engine.position(PERP.id)?.quantity.toFixed() ?? "0",
      );
      expect(trader.cache.cash().toFixed()).toBe(engine.snapshot().balances[0]?.total.toFixed());
      expect(trader.cache.equity().toFixed()).toBe(engine.snapshot().equity.toFixed());
    }
    const events = log.events();
    const decisions = events.flatMap((e) => (e.type === "Decision" ? [e.reason] : []));
    const forced = events.flatMap((e) => (e.type === "ForcedFill" ? [e] : []));
    return { engine, trader, events, decisions, forced };
  }

  it("a liquidation reaches the ledger as a forced fill with the liquidation fee, and trading goes on", () => {
    // Open long at 100; the next bar falls through the liquidation price (~91); a new long target
    // opens again: the kernel holds no ghost position, so nothing is closed or rejected.
    const { engine, trader, events, decisions, forced } = liquidationRun(
      [
        [100, 100],
        [100, 100],
        [100, 85],
        [85, 86],
        [86, 87],
      ],
      (i) => (i === 0 || i === 3 ? "long" : undefined),
    );
    expect(forced).toHaveLength(1);
    const fill = forced[0];
    if (fill === undefined) throw new Error("no forced fill");
    expect(fill.kind).toBe("liquidation");
    expect(fill.side).toBe("sell");
    const level = engine.snapshot().positions[0]; // the new position after the re-entry
    expect(level).toBeDefined();
    expect(fill.lastPrice.gt(85) && fill.lastPrice.lt(100)).toBe(true);
    expect(fill.commission.toFixed()).toBe(
      fill.lastQty.mul(fill.lastPrice).mul("0.01").mul("0.005").toFixed(),
    );
    expect(events.filter((e) => e.type === "BalanceAdjusted")).toEqual([]);
    expect(decisions).toEqual(["open", "open"]);
    expect(events.filter((e) => e.type === "OrderRejected")).toEqual([]);
    expect(trader.cache.position(PERP.id)?.quantity.gt(0)).toBe(true);
  });

  it("a gap past bankruptcy: the covered deficit reaches the ledger as a balance adjustment", () => {
    const { engine, trader, events, decisions, forced } = liquidationRun(
      [
        [100, 100],
        [100, 100],
        [80, 80],
        [81, 81],
      ],
      (i) => (i === 0 || i === 3 ? "long" : undefined),
    );
    expect(forced).toHaveLength(1);
    expect(forced[0]?.lastPrice.toFixed()).toBe("80"); // the gap's open
    const adjusted = events.flatMap((e) => (e.type === "BalanceAdjusted" ? [e] : []));
    expect(adjusted).toHaveLength(1);
    expect(adjusted[0]?.reason).toBe("deficit-covered");
    expect(adjusted[0]?.amount.toFixed()).toBe(engine.snapshot().deficitCovered.toFixed());
    expect(trader.cache.cash().toFixed()).toBe("0");
    // Nothing left to trade with: the next target is skipped, not sent to be rejected.
    expect(decisions).toEqual(["open", "non-positive-equity"]);
    expect(events.filter((e) => e.type === "OrderRejected")).toEqual([]);
  });

  it("a fill the order state machine refuses is not booked: it asks for reconciliation", () => {
    const clock = new ManualClock(T0);
    const venue = new ManualVenue();
    let last: OrderFilled | undefined;
    venue.onEvent((e) => {
      if (e.type === "OrderFilled") last = e;
    });
    venue.onSubmit = (command, v) => {
      v.accept(command, clock.now());
      v.fill(command.order, "100", clock.now());
    };
    const log = createMemoryEventLog({ capacity: "unbounded" });
    const trader = createTrader({
      clock,
      execution: venue,
      instruments: createStaticInstrumentProvider([PERP]),
      strategy: new ScriptedStrategy([PERP.id], (_b, i) => (i === 0 ? "long" : undefined)),
      account: "10000",
      sizing: { method: { kind: "fixed-fraction", fraction: 0.5 } },
      eventLog: log,
    }).start();
    const [bar] = barsFromCloses(PERP.id, [100]);
    trader.onBar(bar as Bar);
    expect(trader.cache.position(PERP.id)?.quantity.toFixed()).toBe("5000");
    expect(trader.reconciliationRequested).toBe(false);
    // The venue reports one more execution of the filled order: an overfill.
    const first = last as OrderFilled;
    venue.emit({ ...first, eventId: first.eventId, tradeId: tradeId("mt-extra") });
    expect(trader.cache.position(PERP.id)?.quantity.toFixed()).toBe("5000");
    expect(trader.cache.order(first.clientOrderId)?.filledQty.toFixed()).toBe("5000");
    const requests = log.events().filter((e) => e.type === "ReconciliationRequested");
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ reason: "fill-refused", clientOrderId: first.clientOrderId });
    expect(log.events().filter((e) => e.type === "OrderFilled")).toHaveLength(1);
    expect(trader.reconciliationRequested).toBe(true);
    // Reconciling with the venue's view clears the request.
    trader.reconcile({
      venue: PERP.venue,
      accountId: accountId("A"),
      orderReports: [],
      fillReports: [],
      positionReports: [
        { accountId: accountId("A"), instrumentId: PERP.id, quantity: D(5000), tsInit: clock.now() },
      ],
      tsInit: clock.now(),
    });
    expect(trader.reconciliationRequested).toBe(false);
  });

  it("a venue position report that differs from the ledger asks for reconciliation", () => {
    const clock = new ManualClock(T0);
    const venue = new ManualVenue();
    const log = createMemoryEventLog({ capacity: "unbounded" });
    const trader = createTrader({
      clock,
      execution: venue,
      instruments: createStaticInstrumentProvider([PERP]),
      strategy: new ScriptedStrategy([PERP.id], () => undefined),
      account: "10000",
      eventLog: log,
    }).start();
    const fill = {
      instrumentId: PERP.id,
      side: "buy" as const,
      lastQty: D(3),
      lastPrice: D(100),
      commission: D(0),
      commissionCurrency: "USD",
      tsEvent: T0,
    };
    const position = applyFill(undefined, fill, { contractSize: PERP.contractSize, currency: "USD" });
    venue.emit(createPositionEvent(undefined, position, { eventId: eventId("p-1"), tsInit: T0 }));
    const requests = log.events().filter((e) => e.type === "ReconciliationRequested");
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ reason: "position-differs", instrumentId: PERP.id });
    expect(trader.reconciliationRequested).toBe(true);
    expect(trader.cache.position(PERP.id)).toBeUndefined();
    expect(trader.cache.venuePosition(PERP.id)?.quantity.toFixed()).toBe("3");
  });

  it("a balance adjustment of the settlement currency moves the ledger cash; another currency is a warning", () => {
    const clock = new ManualClock(T0);
    const venue = new ManualVenue();
    const log = createMemoryEventLog({ capacity: "unbounded" });
    const trader = createTrader({
      clock,
      execution: venue,
      instruments: createStaticInstrumentProvider([PERP]),
      strategy: new ScriptedStrategy([PERP.id], () => undefined),
      account: "100",
      eventLog: log,
    }).start();
    const base = { eventId: eventId("e-1"), tsEvent: T0, tsInit: T0, accountId: accountId("A") };
    venue.emit({
      type: "BalanceAdjusted",
      ...base,
      currency: "USD",
      amount: D("12.5"),
      reason: "deficit-covered",
    });
    expect(trader.cache.cash().toFixed()).toBe("112.5");
    venue.emit({ type: "BalanceAdjusted", ...base, currency: "EUR", amount: D(1), reason: "transfer" });
    expect(trader.cache.cash().toFixed()).toBe("112.5");
    expect(log.events().filter((e) => e.type === "KernelWarning")).toHaveLength(1);
  });
});
