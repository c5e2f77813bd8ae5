import {
  accountId,
  type Bar,
  clientOrderId,
  createBalance,
  createStaticInstrumentProvider,
  type ExecutionMassStatus,
  type FillReport,
  instrumentId,
  ManualClock,
  type OrderStatusReport,
  type SubmitOrder,
  strategyId,
  tradeId,
  venue,
  venueOrderId,
} from "@gpt/core";
import { D } from "@gpt/quantize";
import { describe, expect, it } from "vitest";
import type { Cache } from "./cache.js";
import { createMemoryEventLog } from "./event-log.js";
import type { TraderEvent } from "./events.js";
import { planReconciliation } from "./reconcile-plan.js";
import { BTC, barsFromCloses, ETH, ScriptedStrategy, T0 } from "./testing/fixtures.js";
import { ManualVenue } from "./testing/manual-venue.js";
import { createTrader, EXTERNAL_STRATEGY_ID, restoreTrader } from "./trader.js";

const ACCOUNT = accountId("ACC-1");

function setup(script: readonly ("long" | "flat" | undefined)[]) {
  const clock = new ManualClock(T0);
  const port = new ManualVenue();
  port.onSubmit = (command, v) => v.accept(command, clock.now());
  const strategy = new ScriptedStrategy([BTC.id], (_b, i) => script[i], { sizeFraction: 0.5 });
  const log = createMemoryEventLog({ capacity: "unbounded" });
  const trader = createTrader({
    clock,
    execution: port,
    instruments: createStaticInstrumentProvider([BTC, ETH]),
    strategy,
    account: "10000",
    eventLog: log,
  }).start();
  const feed = (bars: readonly Bar[]) => {
    for (const bar of bars) {
      clock.set(bar.tsEvent);
      trader.onBar(bar);
    }
  };
  const types = () => log.events().map((e: TraderEvent) => e.type);
  return { clock, port, trader, log, feed, types };
}

function report(
  overrides: Partial<OrderStatusReport> & Pick<OrderStatusReport, "venueOrderId" | "status">,
): OrderStatusReport {
  return {
    accountId: ACCOUNT,
    instrumentId: BTC.id,
    side: "buy",
    type: "market",
    timeInForce: "IOC",
    quantity: D("50"),
    filledQty: D("0"),
    postOnly: false,
    reduceOnly: false,
    tsAccepted: T0,
    tsLastUpdate: T0 + 60_000,
    tsInit: T0 + 120_000,
    ...overrides,
  };
}

function fillReport(
  overrides: Partial<FillReport> & Pick<FillReport, "venueOrderId" | "tradeId">,
): FillReport {
  return {
    accountId: ACCOUNT,
    instrumentId: BTC.id,
    side: "buy",
    lastQty: D("50"),
    lastPrice: D("100"),
    commission: D("30"),
    commissionCurrency: "USD",
    liquiditySide: "taker",
    tsEvent: T0 + 120_000,
    tsInit: T0 + 120_000,
    ...overrides,
  };
}

function massStatus(parts: Partial<ExecutionMassStatus>): ExecutionMassStatus {
  return {
    venue: venue("TEST"),
    accountId: ACCOUNT,
    orderReports: [],
    fillReports: [],
    positionReports: [],
    tsInit: T0 + 180_000,
    ...parts,
  };
}

describe("reconcile", () => {
  it("books a missed fill of a local order (and its status follows)", () => {
    const s = setup(["long"]);
    s.feed(barsFromCloses(BTC.id, [100]));
    const sent = s.port.submits[0] as SubmitOrder;
    const id = sent.order.clientOrderId;
    const vid = venueOrderId(`mv-${id}`);
    const result = s.trader.reconcile(
      massStatus({
        orderReports: [
          report({
            clientOrderId: id,
            venueOrderId: vid,
            status: "filled",
            filledQty: D("50"),
            avgPx: D("100"),
          }),
        ],
        fillReports: [fillReport({ clientOrderId: id, venueOrderId: vid, tradeId: tradeId("f-1") })],
        positionReports: [
          {
            accountId: ACCOUNT,
            instrumentId: BTC.id,
            quantity: D("50"),
            avgEntryPrice: D("100"),
            tsInit: T0,
          },
        ],
      }),
    );
    expect(result).toMatchObject({
      fillsBooked: 1,
      ordersAdded: 0,
      ordersMissing: 0,
      positionsAdjusted: 0,
      cashAdjusted: false,
    });
    expect(s.trader.cache.order(id)?.status).toBe("filled");
    expect(s.trader.cache.position(BTC.id)?.quantity.toFixed()).toBe("50");
    expect(s.trader.cache.cash().toFixed()).toBe("4970");
    // Reconciling the same report again changes nothing (the fill is known by trade id).
    const again = s.trader.reconcile(
      massStatus({
        orderReports: [
          report({ clientOrderId: id, venueOrderId: vid, status: "filled", filledQty: D("50") }),
        ],
        fillReports: [fillReport({ clientOrderId: id, venueOrderId: vid, tradeId: tradeId("f-1") })],
        positionReports: [{ accountId: ACCOUNT, instrumentId: BTC.id, quantity: D("50"), tsInit: T0 }],
      }),
    );
    expect(again).toMatchObject({ fillsBooked: 0, ordersSettled: 0, positionsAdjusted: 0 });
    expect(s.types().filter((t) => t === "Reconciled")).toHaveLength(2);
  });

  it("adds an order the cache does not know (external), under the external strategy id", () => {
    const s = setup([]);
    const vid = venueOrderId("ext-1");
    const result = s.trader.reconcile(
      massStatus({
        orderReports: [
          report({
            venueOrderId: vid,
            status: "accepted",
            type: "limit",
            timeInForce: "GTC",
            price: D("90"),
            instrumentId: ETH.id,
          }),
        ],
      }),
    );
    expect(result.ordersAdded).toBe(1);
    const [order] = s.trader.cache.openOrders({ instrumentId: ETH.id });
    expect(order).toMatchObject({
      strategyId: EXTERNAL_STRATEGY_ID,
      status: "accepted",
      type: "limit",
      venueOrderId: vid,
    });
    expect(order?.clientOrderId).toBe("venue-ext-1");
    expect(order?.price?.toFixed()).toBe("90");
  });

  it("marks a local open order the venue does not report as canceled", () => {
    const s = setup(["long"]);
    s.feed(barsFromCloses(BTC.id, [100]));
    const id = (s.port.submits[0] as SubmitOrder).order.clientOrderId;
    const result = s.trader.reconcile(massStatus({}));
    expect(result.ordersMissing).toBe(1);
    expect(s.trader.cache.order(id)?.status).toBe("canceled");
  });

  it("settles an unknown submit outcome from the venue's status: accepted, or rejected (only the venue's answer rejects)", () => {
    const s = setup(["long"]);
    s.port.onSubmit = (command, v) => {
      v.emit({ type: "OrderSubmitted", ...v.meta(command.order.clientOrderId, BTC.id, T0) });
      v.emit({
        type: "OrderOutcomeUnknown",
        ...v.meta(command.order.clientOrderId, BTC.id, T0),
        operation: "submit",
        reason: "HTTP 503",
      });
    };
    s.feed(barsFromCloses(BTC.id, [100]));
    const id = (s.port.submits[0] as SubmitOrder).order.clientOrderId;
    expect(s.trader.cache.order(id)).toMatchObject({ status: "submitted", outcomeUnknown: "submit" });
    const result = s.trader.reconcile(
      massStatus({
        orderReports: [
          report({
            clientOrderId: id,
            venueOrderId: venueOrderId("v-9"),
            status: "rejected",
            reason: "INSUFFICIENT_FUND",
          }),
        ],
      }),
    );
    expect(result.ordersSettled).toBe(1);
    expect(s.trader.cache.order(id)).toMatchObject({ status: "rejected", lastReason: "INSUFFICIENT_FUND" });
  });

  it("settles an unknown cancel outcome: still open at the venue → OrderCancelRejected", () => {
    const s = setup(["long", "flat"]);
    s.port.onCancel = (command, v) => {
      v.emit({ type: "OrderPendingCancel", ...v.meta(command.clientOrderId, BTC.id, T0) });
      v.emit({
        type: "OrderOutcomeUnknown",
        ...v.meta(command.clientOrderId, BTC.id, T0),
        operation: "cancel",
        reason: "timeout",
      });
    };
    // Bar 1's flat target waits a bar for the buy's outcome (sent on bar 0), then cancels it.
    s.feed(barsFromCloses(BTC.id, [100, 100, 100]));
    const id = (s.port.submits[0] as SubmitOrder).order.clientOrderId;
    expect(s.trader.cache.order(id)).toMatchObject({ status: "pending-cancel", outcomeUnknown: "cancel" });
    const decisions = s.log
      .events()
      .filter((e) => e.type === "Decision")
      .map((e) => (e.type === "Decision" ? e.reason : ""));
    // The cancel's outcome is unknown: blocked on it at once (not a silent wait for the answer).
    expect(decisions).toEqual(["open", "superseded", "outcome-unknown"]);
    const cancels = () => s.port.commands.filter((c) => c.type === "CancelOrder").length;
    expect(cancels()).toBe(1);
    s.port.onCancel = undefined;
    s.trader.reconcile(
      massStatus({
        orderReports: [
          report({ clientOrderId: id, venueOrderId: venueOrderId(`mv-${id}`), status: "accepted" }),
        ],
      }),
    );
    expect(s.types()).toContain("OrderCancelRejected");
    expect(s.trader.cache.order(id)?.outcomeUnknown).toBeUndefined();
    // The flat target that waited is evaluated at once on the reconciled books (no bar needed):
    // the order is open again, so its cancel is sent again.
    expect(cancels()).toBe(2);
  });

  it("a target blocked by an unknown submit outcome acts at once after reconcile, not at the next bar", () => {
    const s = setup(["long", "flat"]);
    s.port.onSubmit = (command, v) => {
      v.emit({
        type: "OrderSubmitted",
        ...v.meta(command.order.clientOrderId, BTC.id, T0),
        accountId: ACCOUNT,
      });
      v.emit({
        type: "OrderOutcomeUnknown",
        ...v.meta(command.order.clientOrderId, BTC.id, T0),
        operation: "submit",
        reason: "timeout",
      });
    };
    s.feed(barsFromCloses(BTC.id, [100, 100]));
    const id = (s.port.submits[0] as SubmitOrder).order.clientOrderId;
    const reasons = () =>
      s.log
        .events()
        .filter((e) => e.type === "Decision")
        .map((e) => (e.type === "Decision" ? e.reason : ""));
    expect(reasons().at(-1)).toBe("outcome-unknown");
    const cancels = () => s.port.commands.filter((c) => c.type === "CancelOrder");
    expect(cancels()).toHaveLength(0);
    // The venue has the order, open: the flat target that waited cancels it at once.
    s.trader.reconcile(
      massStatus({
        orderReports: [report({ clientOrderId: id, venueOrderId: venueOrderId("v-1"), status: "accepted" })],
      }),
    );
    expect(cancels().map((c) => (c.type === "CancelOrder" ? c.clientOrderId : undefined))).toEqual([id]);
  });

  it("sets positions and cash to the venue's, with PositionAdjusted and LedgerAdjusted events", () => {
    const s = setup([]);
    s.feed(barsFromCloses(BTC.id, [100]));
    const result = s.trader.reconcile(
      massStatus({
        positionReports: [
          { accountId: ACCOUNT, instrumentId: BTC.id, quantity: D("2"), avgEntryPrice: D("95"), tsInit: T0 },
        ],
        account: {
          accountId: ACCOUNT,
          accountType: "cash",
          balances: [createBalance("USD", "9810"), createBalance("BTC", "2")],
          margins: [],
          tsEvent: T0,
        },
      }),
    );
    expect(result).toMatchObject({ positionsAdjusted: 1, cashAdjusted: true });
    const position = s.trader.cache.position(BTC.id);
    expect(position).toMatchObject({ side: "long" });
    expect(position?.quantity.toFixed()).toBe("2");
    expect(position?.avgEntryPrice.toFixed()).toBe("95");
    expect(s.trader.cache.cash().toFixed()).toBe("9810");
    expect(s.trader.cache.equity().toFixed()).toBe("10010"); // 9810 + 2 × 100
    expect(s.types().slice(-3)).toEqual(["PositionAdjusted", "LedgerAdjusted", "Reconciled"]);
    expect(s.trader.cache.venueAccount()?.balances).toHaveLength(2);
    // A position the venue no longer reports goes flat; adoptCash: false leaves the cash alone.
    const flat = s.trader.reconcile(
      massStatus({
        account: {
          accountId: ACCOUNT,
          accountType: "cash",
          balances: [createBalance("USD", "1")],
          margins: [],
          tsEvent: T0,
        },
      }),
      { adoptCash: false },
    );
    expect(flat).toMatchObject({ positionsAdjusted: 1, cashAdjusted: false });
    expect(s.trader.cache.position(BTC.id)?.quantity.isZero()).toBe(true);
    expect(s.trader.cache.cash().toFixed()).toBe("9810");
  });

  it("adopts the venue's average entry and realized PnL when the quantity already agrees", () => {
    const s = setup([]);
    const position = (avgEntryPrice: string, realizedPnl?: string) => ({
      accountId: ACCOUNT,
      instrumentId: BTC.id,
      quantity: D("2"),
      avgEntryPrice: D(avgEntryPrice),
      ...(realizedPnl === undefined ? {} : { realizedPnl: D(realizedPnl) }),
      tsInit: T0,
    });
    s.trader.reconcile(massStatus({ positionReports: [position("95")] }));
    expect(s.trader.cache.position(BTC.id)?.avgEntryPrice.toFixed()).toBe("95");
    const result = s.trader.reconcile(massStatus({ positionReports: [position("97.5", "12.25")] }));
    expect(result.positionsAdjusted).toBe(1);
    const adopted = s.trader.cache.position(BTC.id);
    expect(adopted?.quantity.toFixed()).toBe("2");
    expect(adopted?.avgEntryPrice.toFixed()).toBe("97.5");
    expect(adopted?.realizedPnl.toFixed()).toBe("12.25");
    // The same report again changes nothing.
    expect(
      s.trader.reconcile(massStatus({ positionReports: [position("97.5", "12.25")] })).positionsAdjusted,
    ).toBe(0);
  });

  it("a fill of an order only the venue knew is booked after the order is added", () => {
    const s = setup([]);
    const vid = venueOrderId("ext-2");
    const result = s.trader.reconcile(
      massStatus({
        orderReports: [
          report({
            venueOrderId: vid,
            status: "filled",
            filledQty: D("50"),
            clientOrderId: clientOrderId("app-7"),
          }),
        ],
        fillReports: [fillReport({ venueOrderId: vid, tradeId: tradeId("f-7") })],
        positionReports: [{ accountId: ACCOUNT, instrumentId: BTC.id, quantity: D("50"), tsInit: T0 }],
      }),
    );
    expect(result).toMatchObject({ ordersAdded: 1, fillsBooked: 1, positionsAdjusted: 0 });
    expect(s.trader.cache.order(clientOrderId("app-7"))?.status).toBe("filled");
  });
});

describe("reconcile re-attaches orders from before a restart to their strategy", () => {
  const SCRIPTED = strategyId("scripted");
  const openLimit = (id: string, vid: string, instrumentId = BTC.id) =>
    report({
      clientOrderId: clientOrderId(id),
      venueOrderId: venueOrderId(vid),
      status: "accepted",
      type: "limit",
      timeInForce: "GTC",
      price: D("90"),
      instrumentId,
    });

  it("by the run prefix: an id `<runId>-<n>` on the strategy's instrument is the strategy's", () => {
    const s = setup([]);
    const runId = s.trader.runId ?? "";
    const result = s.trader.reconcile(
      massStatus({
        orderReports: [
          openLimit(`${runId}-7`, "v-7"),
          openLimit("someone-else-3", "v-8"),
          openLimit(`${runId}-9`, "v-9", ETH.id),
        ],
      }),
    );
    expect(result).toMatchObject({ ordersAdded: 3, ordersReattached: 1 });
    expect(s.trader.cache.order(clientOrderId(`${runId}-7`))?.strategyId).toBe(SCRIPTED);
    // Another run's id, and an instrument no strategy trades, stay external.
    expect(s.trader.cache.order(clientOrderId("someone-else-3"))?.strategyId).toBe(EXTERNAL_STRATEGY_ID);
    expect(s.trader.cache.order(clientOrderId(`${runId}-9`))?.strategyId).toBe(EXTERNAL_STRATEGY_ID);
    expect(s.log.events().at(-1)).toMatchObject({ type: "Reconciled", ordersReattached: 1 });
    // The strategy manages it: stopping with cancelOpenOrders cancels it, not the external one.
    const stopped = s.trader.stop({ cancelOpenOrders: true });
    expect(stopped.cancelSent).toEqual([clientOrderId(`${runId}-7`)]);
  });

  it("by an earlier run's prefix given in `runIds`", () => {
    const s = setup([]);
    const result = s.trader.reconcile(massStatus({ orderReports: [openLimit("oold-12", "v-1")] }), {
      runIds: ["oold"],
    });
    expect(result.ordersReattached).toBe(1);
    expect(s.trader.cache.openOrders({ strategyId: SCRIPTED }).map((o) => o.clientOrderId)).toEqual([
      clientOrderId("oold-12"),
    ]);
  });

  it("by the store's write-ahead record, whatever the id looks like", () => {
    const s = setup([]);
    const id = clientOrderId("custom-id");
    const command = {
      type: "SubmitOrder",
      strategyId: SCRIPTED,
      order: { clientOrderId: id },
    } as unknown as SubmitOrder;
    const result = s.trader.reconcile(massStatus({ orderReports: [openLimit("custom-id", "v-2")] }), {
      orderRecords: [{ clientOrderIds: [id], command }],
    });
    expect(result).toMatchObject({ ordersAdded: 1, ordersReattached: 1 });
    expect(s.trader.cache.order(id)?.strategyId).toBe(SCRIPTED);
  });

  it("a restored trader re-attaches an order sent after its snapshot (the crash lost it)", () => {
    const s = setup([]);
    const snapshot = s.trader.snapshot();
    const clock = new ManualClock(T0 + 60_000);
    const restored = restoreTrader(snapshot, {
      clock,
      execution: new ManualVenue(),
      instruments: createStaticInstrumentProvider([BTC, ETH]),
      strategy: new ScriptedStrategy([BTC.id], () => undefined),
      account: "10000",
    });
    expect(restored.runId).toBe(s.trader.runId);
    const id = clientOrderId(`${snapshot.ids.runId}-${snapshot.ids.clientOrderIds + 1}`);
    const result = restored.reconcile(massStatus({ orderReports: [openLimit(id, "v-3")] }));
    expect(result.ordersReattached).toBe(1);
    expect(restored.cache.order(id)?.strategyId).toBe(SCRIPTED);
  });
});

describe("reconcile plans first, then applies the plan", () => {
  const UNKNOWN = instrumentId("DOGE-USD", "TEST");

  it("planReconciliation reads only: the trader's snapshot is unchanged and the plan lists every step", () => {
    const s = setup(["long"]);
    s.feed(barsFromCloses(BTC.id, [100]));
    const id = (s.port.submits[0] as SubmitOrder).order.clientOrderId;
    const vid = venueOrderId(`mv-${id}`);
    const before = JSON.stringify(s.trader.snapshot());
    const plan = planReconciliation(
      s.trader.cache as Cache,
      massStatus({
        orderReports: [
          report({ clientOrderId: id, venueOrderId: vid, status: "filled", filledQty: D("50") }),
          report({ venueOrderId: venueOrderId("x-1"), status: "accepted", instrumentId: UNKNOWN }),
        ],
        fillReports: [fillReport({ clientOrderId: id, venueOrderId: vid, tradeId: tradeId("f-1") })],
        positionReports: [
          {
            accountId: ACCOUNT,
            instrumentId: BTC.id,
            quantity: D("50"),
            avgEntryPrice: D("100"),
            tsInit: T0,
          },
        ],
      }),
      {
        knowsInstrument: (i) => i === BTC.id || i === ETH.id,
        externalStrategyId: EXTERNAL_STRATEGY_ID,
        orderRecords: [],
        runIds: [],
        adoptCash: true,
      },
    );
    expect(JSON.stringify(s.trader.snapshot())).toBe(before);
    expect(plan.adopt).toEqual([]);
    expect(plan.fills.map((f) => [f.clientOrderId, f.fill.tradeId])).toEqual([[id, tradeId("f-1")]]);
    // Filled by the planned fill: no status step is needed.
    expect(plan.statuses).toEqual([]);
    expect(plan.positions.map((p) => [p.instrumentId, p.quantity.toFixed()])).toEqual([[BTC.id, "50"]]);
    expect(plan.issues).toMatchObject([
      { code: "unknown-instrument", instrumentId: UNKNOWN, report: "order" },
    ]);
  });

  it("reports for an unknown instrument are issues, never a throw after earlier steps; Reconciled follows", () => {
    const s = setup(["long"]);
    s.feed(barsFromCloses(BTC.id, [100]));
    const id = (s.port.submits[0] as SubmitOrder).order.clientOrderId;
    const vid = venueOrderId(`mv-${id}`);
    const status = massStatus({
      orderReports: [
        report({ clientOrderId: id, venueOrderId: vid, status: "filled", filledQty: D("50") }),
        report({ venueOrderId: venueOrderId("x-1"), status: "accepted", instrumentId: UNKNOWN }),
      ],
      fillReports: [
        fillReport({ clientOrderId: id, venueOrderId: vid, tradeId: tradeId("f-1") }),
        fillReport({ venueOrderId: venueOrderId("x-2"), tradeId: tradeId("f-9"), instrumentId: UNKNOWN }),
      ],
      positionReports: [
        { accountId: ACCOUNT, instrumentId: BTC.id, quantity: D("50"), tsInit: T0 },
        { accountId: ACCOUNT, instrumentId: UNKNOWN, quantity: D("3"), tsInit: T0 },
      ],
    });
    const result = s.trader.reconcile(status);
    expect(result).toMatchObject({ fillsBooked: 1, ordersAdded: 0, positionsAdjusted: 0 });
    expect(result.issues.map((i) => [i.report, i.instrumentId])).toEqual([
      ["order", UNKNOWN],
      ["fill", UNKNOWN],
      ["position", UNKNOWN],
    ]);
    expect(s.trader.cache.order(id)?.status).toBe("filled");
    const last = s.log.events().at(-1);
    expect(last).toMatchObject({ type: "Reconciled", fillsBooked: 1 });
    expect(last?.type === "Reconciled" ? last.issues : []).toHaveLength(3);
  });
});
