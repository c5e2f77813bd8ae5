import { applyFill, marketOrder } from "@gpt/core";
import { D } from "@gpt/quantize";
import { describe, expect, it } from "vitest";
import { PaperEngine } from "./engine.js";
import { bar, coid, PERP, Recorder } from "./testing/fixtures.js";
import type { NegativeEquity, PositionLiquidated } from "./types.js";

const P = PERP.id;

/** A cross long of `qty` at 100 on a margin account holding `initial` USD. */
function longAt100(initial: string, qty: string) {
  const engine = new PaperEngine({
    accountType: "margin",
    instruments: [PERP],
    initialBalances: { USD: initial },
  });
  const rec = new Recorder(engine);
  engine.onBar(bar(P, 0, 100, 101, 99, 100));
  rec.submit(marketOrder({ clientOrderId: coid(), instrumentId: P, side: "buy", quantity: qty }));
  engine.onBar(bar(P, 1, 100, 100.5, 99.8, 100));
  return { engine, rec };
}

describe("a liquidation in the event stream", () => {
  it("is a ForcedFill at the liquidation price with the fee, before PositionClosed and AccountUpdated", () => {
    const { engine, rec } = longAt100("200", "15");
    const before = engine.position(P);
    const from = rec.events.length;
    engine.onBar(bar(P, 2, 99, 99.5, 88, 90));
    const types = rec.events.slice(from).map((e) => e.type);
    expect(types).toEqual(["ForcedFill", "PositionClosed", "AccountUpdated"]);
    const [notice] = rec.notices as PositionLiquidated[];
    const forced = rec.ofType("ForcedFill")[0];
    expect(forced).toMatchObject({
      kind: "liquidation",
      side: "sell",
      instrumentId: P,
      liquiditySide: "taker",
    });
    expect(forced?.lastQty.toString()).toBe("15");
    expect(forced?.lastPrice.eq(notice!.price)).toBe(true);
    expect(forced?.commission.eq(notice!.fee)).toBe(true);
    expect(forced?.tradeId).toBe(notice?.tradeId);
    // Booking the forced fill on the position before it gives the engine's position after it.
    const booked = applyFill(before, forced!);
    expect(booked.quantity.isZero()).toBe(true);
    expect(booked.realizedPnl.eq(engine.position(P)!.realizedPnl)).toBe(true);
    expect(rec.ofType("BalanceAdjusted")).toEqual([]);
  });

  it("a covered deficit is a BalanceAdjusted(deficit-covered) of the deficit", () => {
    const { engine, rec } = longAt100("200", "15");
    engine.onBar(bar(P, 2, 80, 82, 79, 81));
    const neg = rec.notices.find((n): n is NegativeEquity => n.type === "NegativeEquity");
    const adjusted = rec.ofType("BalanceAdjusted");
    expect(adjusted).toHaveLength(1);
    expect(adjusted[0]).toMatchObject({ reason: "deficit-covered", currency: "USD", instrumentId: P });
    expect(adjusted[0]?.amount.eq(neg!.deficit)).toBe(true);
    // cash = initial + realized − commissions (the liquidation fee included) + adjustments
    const s = engine.snapshot();
    const forced = rec.ofType("ForcedFill")[0]!;
    expect(forced.lastPrice.toString()).toBe("80");
    expect(
      D(200).plus(s.realizedPnl).minus(s.commissions).plus(adjusted[0]!.amount).eq(s.balances[0]!.total),
    ).toBe(true);
  });
});
