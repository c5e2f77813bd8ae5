/**
 * The hold's bookkeeping survives `snapshot()` / `restoreTrader`: a trader restored while an
 * order sent on an earlier bar has no reported outcome, or while a cancel is on its way, holds
 * and waits exactly as the trader that never stopped would, never sends a cancel twice, and
 * decides the waiting target when the outcome arrives. Version 1 snapshots still restore.
 */
import {
  accountId,
  type Bar,
  createStaticInstrumentProvider,
  ManualClock,
  type SubmitOrder,
  type UnixMillis,
  venue,
  venueOrderId,
} from "@gpt/core";
import { describe, expect, it } from "vitest";
import { createMemoryEventLog } from "./event-log.js";
import type { TraderEvent } from "./events.js";
import type { TraderSnapshot } from "./snapshot.js";
import { barsFromCloses, PERP, ScriptedStrategy, T0 } from "./testing/fixtures.js";
import { ManualVenue } from "./testing/manual-venue.js";
import { createTrader, restoreTrader, type Trader, type TraderOptions } from "./trader.js";

type Direction = "long" | "short" | "flat";

const BARS = barsFromCloses(PERP.id, [100, 104, 104, 104]);

/** One trader on the 3× perp with a hand-driven venue that accepts every order (answers no cancel). */
class Run {
  readonly clock = new ManualClock(T0);
  readonly venue = new ManualVenue();
  readonly log = createMemoryEventLog({ capacity: "unbounded" });
  readonly trader: Trader;

  constructor(
    script: readonly (Direction | undefined)[],
    restored?: { snapshot: TraderSnapshot; bars: number },
  ) {
    this.venue.onSubmit = (command, v) => v.accept(command, this.clock.now());
    const options: TraderOptions = {
      clock: this.clock,
      execution: this.venue,
      instruments: createStaticInstrumentProvider([PERP]),
      strategy: new ScriptedStrategy([PERP.id], (_bar, i) => script[i]),
      account: "10000",
      eventLog: this.log,
    };
    if (restored === undefined) {
      this.trader = createTrader(options).start();
    } else {
      this.clock.set(restored.snapshot.takenAt as UnixMillis);
      const data = JSON.parse(JSON.stringify(restored.snapshot)) as TraderSnapshot;
      this.trader = restoreTrader(data, options, { history: BARS.slice(0, restored.bars) }).start();
    }
  }

  bar(i: number): void {
    const bar = BARS[i] as Bar;
    this.clock.set(bar.tsEvent);
    this.trader.onBar(bar);
  }

  /** Decisions as `kind reason @index-of-the-intent's-bar side`. */
  decisions(): string[] {
    return this.log
      .events()
      .filter((e): e is Extract<TraderEvent, { type: "Decision" }> => e.type === "Decision")
      .map((d) => `${d.kind} ${d.reason} @${BARS.findIndex((b) => b.tsEvent === d.tsEvent)} ${d.side ?? ""}`);
  }

  cancels(): number {
    return this.venue.commands.filter((c) => c.type === "CancelOrder").length;
  }
}

describe("the hold across snapshot and restore", () => {
  it("an order sent just before the snapshot holds the next bar's target after a restore; its fill decides it", () => {
    const script = ["long", "short"] as const;
    // The trader that never stops.
    const whole = new Run(script);
    whole.bar(0);
    const buy = (whole.venue.submits[0] as SubmitOrder).order;
    whole.bar(1);
    whole.clock.set((BARS[1] as Bar).tsEvent + 400);
    whole.venue.fill(buy, "100", (BARS[1] as Bar).tsOpen);

    // Stopped after bar 0 (its buy unanswered), restored, then the same bar and fill.
    const first = new Run(script);
    first.bar(0);
    const snapshot = first.trader.snapshot();
    expect(snapshot.instruments[0]?.hold?.bars).toEqual([(BARS[0] as Bar).tsEvent, null, null]);
    const second = new Run(script, { snapshot, bars: 1 });
    second.bar(1);
    // Held: no decision, no cancel of the buy whose report is late.
    expect(second.decisions()).toEqual([]);
    expect(second.cancels()).toBe(0);
    second.clock.set((BARS[1] as Bar).tsEvent + 400);
    second.venue.fill(buy, "100", (BARS[1] as Bar).tsOpen);

    expect([...first.decisions(), ...second.decisions()]).toEqual(whole.decisions());
    expect(second.decisions()).toEqual(["order flip-close @1 sell", "order flip-open @1 sell"]);
    expect(second.cancels() + first.cancels()).toBe(0);
  });

  it("a cancel on its way at the snapshot is not sent again; its answer decides the waiting target", () => {
    const script = ["long", "short"] as const;
    const whole = new Run(script);
    for (let i = 0; i < 4; i++) whole.bar(i);
    const buy = (whole.venue.submits[0] as SubmitOrder).order;
    whole.venue.emit({
      type: "OrderCanceled",
      ...whole.venue.meta(buy.clientOrderId, PERP.id, whole.clock.now()),
    });

    const first = new Run(script);
    for (let i = 0; i < 3; i++) first.bar(i);
    // Bar 1 held the short target; bar 2 found the buy still unanswered and sent its cancel.
    expect(first.decisions()).toEqual(["order open @0 buy", "cancel superseded @1 "]);
    expect(first.cancels()).toBe(1);
    const snapshot = first.trader.snapshot();
    const hold = snapshot.instruments[0]?.hold;
    expect(hold?.canceling).toEqual([buy.clientOrderId]);
    expect(hold?.bars).toEqual([
      (BARS[0] as Bar).tsEvent,
      (BARS[1] as Bar).tsEvent,
      (BARS[2] as Bar).tsEvent,
    ]);

    const second = new Run(script, { snapshot, bars: 3 });
    // The restored trader's snapshot is the same, down to the hold's bookkeeping.
    expect(second.trader.snapshot()).toEqual(JSON.parse(JSON.stringify(snapshot)));
    second.bar(3);
    // The cancel is still unanswered a bar later: blocked, not sent again.
    expect(second.cancels()).toBe(0);
    expect(second.decisions()).toEqual(["blocked awaiting-cancel @1 "]);
    second.venue.emit({
      type: "OrderCanceled",
      ...second.venue.meta(buy.clientOrderId, PERP.id, second.clock.now()),
    });
    expect(second.decisions().at(-1)).toBe("order open @1 sell");
    expect(second.venue.submits.map((c) => c.order.side)).toEqual(["sell"]);
    expect([...first.decisions(), ...second.decisions()]).toEqual(whole.decisions());
    expect(first.cancels() + second.cancels()).toBe(whole.cancels());
  });

  it("a cancel lost in the crash (the venue still reports the order open) is asked again after the reconcile", () => {
    const script = ["long", "short"] as const;
    const first = new Run(script);
    for (let i = 0; i < 3; i++) first.bar(i);
    const buy = (first.venue.submits[0] as SubmitOrder).order;
    const snapshot = first.trader.snapshot();
    expect(snapshot.instruments[0]?.hold?.canceling).toEqual([buy.clientOrderId]);
    // The cancel never reached the venue: its mass status still lists the buy as working.
    const second = new Run(script, { snapshot, bars: 3 });
    second.clock.set((BARS[2] as Bar).tsEvent + 1_000);
    const tsNow = second.clock.now();
    second.trader.reconcile({
      venue: venue("TEST"),
      accountId: accountId("ACC-1"),
      orderReports: [
        {
          accountId: accountId("ACC-1"),
          instrumentId: PERP.id,
          clientOrderId: buy.clientOrderId,
          venueOrderId: venueOrderId(`mv-${buy.clientOrderId}`),
          status: "accepted",
          side: "buy",
          type: buy.type,
          timeInForce: buy.timeInForce,
          quantity: buy.quantity,
          filledQty: buy.quantity.minus(buy.quantity),
          postOnly: false,
          reduceOnly: false,
          tsAccepted: (BARS[0] as Bar).tsEvent,
          tsLastUpdate: (BARS[0] as Bar).tsEvent,
          tsInit: tsNow,
        },
      ],
      fillReports: [],
      positionReports: [],
      tsInit: tsNow,
    });
    // The short target is judged again on the reconciled books: the buy must go, so it is asked again.
    expect(second.venue.commands.filter((c) => c.type === "CancelOrder").map((c) => c.clientOrderId)).toEqual(
      [buy.clientOrderId],
    );
    expect(second.trader.snapshot().instruments[0]?.hold?.canceling).toEqual([buy.clientOrderId]);
  });

  it("a version 1 snapshot (no hold bookkeeping) still restores, with nothing held and no cancel on its way", () => {
    const first = new Run(["long", "short"]);
    for (let i = 0; i < 3; i++) first.bar(i);
    const snapshot = first.trader.snapshot();
    const v1 = {
      ...snapshot,
      version: 1,
      instruments: snapshot.instruments.map(({ hold: _hold, ...rest }) => rest),
    } as unknown as TraderSnapshot;
    const second = new Run(["long", "short"], { snapshot: v1, bars: 3 });
    const restored = second.trader.snapshot();
    expect(restored.version).toBe(2);
    expect(restored.instruments[0]?.hold).toEqual({
      bars: [null, null, null],
      canceling: [],
      answered: false,
    });
  });
});
