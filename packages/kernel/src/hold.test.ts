/**
 * The hold (README "Per target", step a): a target that meets an order sent on an earlier bar
 * whose outcome is not reported yet waits without a decision and is decided as soon as the outcome
 * is applied, at the bar it came from and the price the trader has; orders sent on the same bar
 * are canceled as before; an answer between bars releases a waiting target at once.
 */
import {
  type Bar,
  createStaticInstrumentProvider,
  ManualClock,
  type SubmitOrder,
  strategyId,
} from "@gpt/core";
import type { Strategy, StrategyIntent } from "@gpt/strategies";
import { describe, expect, it } from "vitest";
import { createMemoryEventLog } from "./event-log.js";
import type { TraderEvent } from "./events.js";
import { barsFromCloses, PERP, ScriptedStrategy, T0 } from "./testing/fixtures.js";
import { ManualVenue } from "./testing/manual-venue.js";
import { createTrader } from "./trader.js";

type Direction = "long" | "short" | "flat";

/** A trader on the 3× perp test instrument with a hand-driven venue that accepts every order. */
function setup(strategy: Strategy) {
  const clock = new ManualClock(T0);
  const venue = new ManualVenue();
  venue.onSubmit = (command, v) => v.accept(command, clock.now());
  const log = createMemoryEventLog({ capacity: "unbounded" });
  const trader = createTrader({
    clock,
    execution: venue,
    instruments: createStaticInstrumentProvider([PERP]),
    strategy,
    account: "10000",
    eventLog: log,
  }).start();
  const onBar = (bar: Bar) => {
    clock.set(bar.tsEvent);
    trader.onBar(bar);
  };
  const decisions = () =>
    log.events().filter((e): e is Extract<TraderEvent, { type: "Decision" }> => e.type === "Decision");
  return { clock, venue, trader, log, onBar, decisions };
}

function scripted(script: readonly (Direction | undefined)[]): ScriptedStrategy {
  return new ScriptedStrategy([PERP.id], (_bar, i) => script[i]);
}

describe("the hold: a target waits for the outcome of an order sent on an earlier bar", () => {
  it("a flip on a bar whose fill is late is decided when the fill arrives, with that bar's time and price", () => {
    const s = setup(scripted(["long", "short"]));
    const bars = barsFromCloses(PERP.id, [100, 104]);
    s.onBar(bars[0] as Bar);
    const buy = (s.venue.submits[0] as SubmitOrder).order;
    s.onBar(bars[1] as Bar);
    // The buy filled at bar 1's open at the venue; its report is late: no decision, no command.
    expect(s.decisions().map((d) => [d.kind, d.reason])).toEqual([["order", "open"]]);
    expect(s.venue.commands).toHaveLength(1);
    expect(s.trader.cache.order(buy.clientOrderId)?.status).toBe("accepted");
    // The fill arrives 400 ms after bar 1's close: the short target is decided at once.
    s.clock.set((bars[1] as Bar).tsEvent + 400);
    s.venue.fill(buy, "100", (bars[1] as Bar).tsOpen);
    const [flipClose, flipOpen] = s.decisions().slice(1);
    expect(s.decisions()).toHaveLength(3);
    expect(flipClose).toMatchObject({
      kind: "order",
      reason: "flip-close",
      tsEvent: (bars[1] as Bar).tsEvent,
      side: "sell",
    });
    expect(flipClose?.price?.toFixed()).toBe("104");
    expect(flipClose?.positionQuantity?.toFixed()).toBe(buy.quantity.toFixed());
    expect(flipOpen).toMatchObject({ kind: "order", reason: "flip-open", tsEvent: (bars[1] as Bar).tsEvent });
    expect(s.venue.submits.map((c) => c.order.side)).toEqual(["buy", "sell", "sell"]);
    expect(s.venue.commands.some((c) => c.type === "CancelOrder")).toBe(false);
  });

  it("an order the venue ends unfilled (an IOC canceled) releases the target too", () => {
    const s = setup(scripted(["long", "short"]));
    const bars = barsFromCloses(PERP.id, [100, 104]);
    s.onBar(bars[0] as Bar);
    const buy = (s.venue.submits[0] as SubmitOrder).order;
    s.onBar(bars[1] as Bar);
    expect(s.decisions()).toHaveLength(1);
    s.venue.emit({ type: "OrderCanceled", ...s.venue.meta(buy.clientOrderId, PERP.id, s.clock.now()) });
    // Flat at the venue: the short target opens, no flip.
    expect(s.decisions().map((d) => [d.kind, d.reason])).toEqual([
      ["order", "open"],
      ["order", "open"],
    ]);
    expect(s.venue.submits.map((c) => c.order.side)).toEqual(["buy", "sell"]);
  });

  it("an order sent on the same bar is not held: a second target on that bar cancels it", () => {
    const inner = scripted([]);
    let first = true;
    const twice: Strategy = {
      id: inner.id,
      name: "twice",
      params: undefined,
      instruments: inner.instruments,
      warmUpBars: 0,
      onBar(_ctx, bar): readonly StrategyIntent[] {
        if (!first) return [];
        first = false;
        const target = (direction: "long" | "short"): StrategyIntent => ({
          type: "TargetPosition",
          strategyId: strategyId("scripted"),
          instrumentId: bar.instrumentId,
          direction,
          confidence: 1,
          reason: `twice ${direction}`,
          tsEvent: bar.tsEvent,
        });
        return [target("long"), target("short")];
      },
    };
    const s = setup(twice);
    s.onBar(barsFromCloses(PERP.id, [100])[0] as Bar);
    expect(s.decisions().map((d) => [d.kind, d.reason])).toEqual([
      ["order", "open"],
      ["cancel", "superseded"],
    ]);
    expect(s.venue.commands.map((c) => c.type)).toEqual(["SubmitOrder", "CancelOrder"]);
  });
});
