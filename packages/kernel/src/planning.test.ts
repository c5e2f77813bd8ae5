import {
  applyOrderEvent,
  clientOrderId,
  eventId,
  initOrder,
  marketOrder,
  type Order,
  type OrderSide,
  strategyId,
} from "@gpt/core";
import { D, type Decimal } from "@gpt/quantize";
import type { TargetPositionIntent } from "@gpt/strategies";
import { describe, expect, it } from "vitest";
import { InstrumentSlot } from "./cache.js";
import type { DecisionPolicy } from "./options.js";
import {
  assessTarget,
  closePlan,
  type OrderBase,
  planEntry,
  quantizePlan,
  type SizeOutcome,
  targetMoves,
} from "./planning.js";
import { BTC, PERP, T0 } from "./testing/fixtures.js";

const STRATEGY = strategyId("plan");

function order(side: OrderSide, quantity: string, unknown = false): Order {
  const id = clientOrderId(`o-${side}-${quantity}-${unknown}`);
  const spec = marketOrder({ clientOrderId: id, instrumentId: PERP.id, side, quantity });
  const meta = { eventId: eventId("e"), tsEvent: T0, tsInit: T0, clientOrderId: id, instrumentId: PERP.id };
  const created = initOrder({ type: "OrderInitialized", ...meta, order: spec, strategyId: STRATEGY });
  if (!unknown) return created;
  const submitted = applyOrderEvent(created, { type: "OrderSubmitted", ...meta });
  return applyOrderEvent(submitted, {
    type: "OrderOutcomeUnknown",
    ...meta,
    operation: "submit",
    reason: "timeout",
  });
}

function intent(direction: TargetPositionIntent["direction"], extra: Partial<TargetPositionIntent> = {}) {
  return {
    type: "TargetPosition",
    strategyId: STRATEGY,
    instrumentId: PERP.id,
    direction,
    confidence: 1,
    reason: "test",
    tsEvent: T0,
    ...extra,
  } as TargetPositionIntent;
}

function base(
  slot: InstrumentSlot,
  direction: TargetPositionIntent["direction"],
  position: string,
): OrderBase {
  return { slot, intent: intent(direction), price: D(100), equity: D(1000), positionQuantity: D(position) };
}

const policy: DecisionPolicy = { headroom: undefined, rebalance: undefined, bracketEntries: false };
const sized =
  (quantity: string) =>
  (_side: OrderSide, _held: Decimal): SizeOutcome => ({ kind: "sized", quantity: D(quantity) });

describe("the pure planning step", () => {
  it("assessTarget: an unknown outcome blocks; a target reached by position plus working entries needs nothing", () => {
    expect(assessTarget([order("buy", "5", true)], D(0), "long", undefined).kind).toBe("outcome-unknown");
    expect(assessTarget([], D(5), "long", undefined).kind).toBe("reached");
    expect(assessTarget([order("buy", "5")], D(0), "long", undefined).kind).toBe("reached");
    expect(assessTarget([order("sell", "5")], D(5), "long", undefined).kind).toBe("act");
    expect(assessTarget([], D(0), "flat", undefined).kind).toBe("reached");
    expect(assessTarget([], D(5), "long", 0.1).kind).toBe("act");
    expect(assessTarget([], D(-5), "long", undefined).kind).toBe("act");
  });

  it("targetMoves: flat closes, the opposite side closes then opens, the same side trades only with a threshold", () => {
    expect(targetMoves("flat", D(0), undefined)).toEqual([]);
    expect(targetMoves("flat", D(3), undefined)).toEqual([{ kind: "close", action: "close" }]);
    expect(targetMoves("long", D(-3), undefined)).toEqual([
      { kind: "close", action: "flip-close" },
      { kind: "open", long: true, held: D(0), action: "flip-open" },
    ]);
    expect(targetMoves("short", D(0), undefined)).toEqual([
      { kind: "open", long: false, held: D(0), action: "open" },
    ]);
    expect(targetMoves("long", D(3), undefined)).toEqual([]);
    expect(targetMoves("long", D(3), 0.1)).toEqual([
      { kind: "open", long: true, held: D(3), action: "increase" },
    ]);
  });

  it("closePlan: a reduce-only order of the whole position", () => {
    const plan = closePlan(base(new InstrumentSlot(PERP), "flat", "-7"), "close");
    expect(plan).toMatchObject({ side: "buy", action: "close", reduce: true, bracket: false });
    expect(plan.quantity.toFixed()).toBe("7");
  });

  it("planEntry: spot cannot short, a restricted trading state denies before sizing, no equity skips, a rebalance trades the difference", () => {
    const perp = new InstrumentSlot(PERP);
    const spot = new InstrumentSlot(BTC);
    const open = { kind: "open", long: true, held: D(0), action: "open" } as const;
    const short = { kind: "open", long: false, held: D(0), action: "open" } as const;
    expect(planEntry(base(spot, "short", "0"), short, "active", policy, sized("1")).kind).toBe("skip");
    const denied = planEntry(base(perp, "long", "0"), open, "reducing", policy, () => {
      throw new Error("sized while reducing");
    });
    expect(denied).toMatchObject({ kind: "denied", reason: "reduce-only", side: "buy" });
    const broke = { ...base(perp, "long", "0"), equity: D(0) };
    expect(planEntry(broke, open, "active", policy, sized("1"))).toMatchObject({
      kind: "skip",
      reason: "non-positive-equity",
    });
    const placed = planEntry(base(perp, "long", "0"), open, "active", policy, sized("12"));
    expect(placed.kind === "order" && placed.plan.quantity.toFixed()).toBe("12");
    const rebalance = { ...policy, rebalance: 0.1 };
    const increase = { kind: "open", long: true, held: D(10), action: "increase" } as const;
    expect(planEntry(base(perp, "long", "10"), increase, "active", rebalance, sized("10.5")).kind).toBe(
      "none",
    );
    const down = planEntry(base(perp, "long", "10"), increase, "active", rebalance, sized("5"));
    expect(down.kind === "order" && [down.plan.side, down.plan.action, down.plan.quantity.toFixed()]).toEqual(
      ["sell", "reduce", "5"],
    );
  });

  it("quantizePlan: the quantity rounds down to the size step; zero is a skip", () => {
    const plan = { ...closePlan(base(new InstrumentSlot(PERP), "flat", "3"), "close"), quantity: D("2.9") };
    const q = quantizePlan(plan);
    expect(q.kind === "ready" && q.quantity.toFixed()).toBe("2");
    expect(quantizePlan({ ...plan, quantity: D("0.4") }).kind).toBe("zero");
  });
});
