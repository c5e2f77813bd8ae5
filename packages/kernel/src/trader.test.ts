import { D } from "@gpt/quantize";
import { createStrategy } from "@gpt/strategies";
import { describe, expect, it } from "vitest";
import { BTC, barsFrom, barsFromCloses, harness, ScriptedStrategy } from "./testing/fixtures.js";

describe("pipeline order", () => {
  it("books the venue's fills in the cache before the strategy sees the next bar", () => {
    const strategy = new ScriptedStrategy([BTC.id], (_bar, i) => (i === 0 ? "long" : undefined), {
      sizeFraction: 0.5,
    });
    const h = harness({ strategy });
    h.feed(barsFromCloses(BTC.id, [100, 101, 102]));
    // Bar 0: decided (no position yet, the buy is working). Bar 1: filled at its open, before onBar.
    expect(h.trader.cache.position(BTC.id)?.quantity.toFixed()).toBe("50"); // floor(0.5 × 10000 / 100, 0.001)
    const [first, second, third] = strategy.seen;
    expect(first?.position).toBeUndefined();
    expect(second?.position?.quantity.toFixed()).toBe("50");
    expect(second?.openOrders).toEqual([]);
    expect(third?.position?.quantity.toFixed()).toBe("50");
    // The clock the strategy reads is the bar's close time.
    expect(second?.now).toBe(second?.bar.tsEvent);
  });

  it("shows the working order to the strategy while it is in flight", () => {
    const strategy = new ScriptedStrategy([BTC.id], (_bar, i) => (i === 0 ? "long" : undefined));
    const h = harness({ strategy, venue: { deferred: true } });
    h.feed(barsFromCloses(BTC.id, [100, 101]));
    // A deferred (live-shaped) venue has not answered: the order is initialized locally and working.
    expect(strategy.seen[1]?.openOrders.map((o) => o.status)).toEqual(["initialized"]);
    const id = strategy.seen[1]?.openOrders[0]?.clientOrderId;
    // The venue answers later (it filled the order at bar 1's open meanwhile): the cache catches up.
    h.venue.flush();
    expect(id === undefined ? undefined : h.trader.cache.order(id)?.status).toBe("filled");
    expect(h.trader.cache.openOrders()).toEqual([]);
    expect(h.trader.cache.position(BTC.id)?.quantity.toFixed()).toBe("100");
  });

  it("logs decision, then OrderInitialized, then the venue's events, in that order", () => {
    const strategy = new ScriptedStrategy([BTC.id], (_bar, i) => (i === 0 ? "long" : undefined));
    const h = harness({ strategy });
    h.feed(barsFromCloses(BTC.id, [100, 101]));
    expect(h.log.events().map((e) => e.type)).toEqual([
      "Decision",
      "OrderInitialized",
      "OrderSubmitted",
      "OrderAccepted",
      "OrderFilled",
      "AccountUpdated",
    ]);
  });
});

describe("no look-ahead", () => {
  it("fills an order decided on bar t at the open of bar t+1, never at a price of bar t", () => {
    // Opens differ from the previous closes, so a fill at a bar-t price would be visible.
    const bars = barsFrom(BTC.id, [
      [100, 101],
      [103, 104],
      [107, 105],
      [102, 103],
      [99, 100],
      [104, 106],
    ]);
    const script = ["long", undefined, "flat", undefined, "long", undefined] as const;
    const strategy = new ScriptedStrategy([BTC.id], (_bar, i) => script[i]);
    const h = harness({ strategy });
    h.feed(bars);
    const decisions = h.ofType("Decision").filter((d) => d.kind === "order");
    const fills = h.ofType("OrderFilled");
    expect(decisions).toHaveLength(3);
    expect(fills).toHaveLength(3);
    for (const [k, fill] of fills.entries()) {
      const decision = decisions[k];
      const decidedAt = bars.findIndex((b) => b.tsEvent === decision?.tsEvent);
      const next = bars[decidedAt + 1];
      expect(fill.clientOrderId).toBe(decision?.clientOrderId);
      expect(fill.lastPrice.toNumber()).toBe(next?.open);
      const decisionBar = bars[decidedAt];
      for (const p of [decisionBar?.open, decisionBar?.high, decisionBar?.low, decisionBar?.close]) {
        expect(fill.lastPrice.toNumber()).not.toBe(p);
      }
      expect(fill.tsEvent).toBeGreaterThan(decision?.tsEvent ?? Number.POSITIVE_INFINITY);
    }
  });
});

describe("sma-cross reference semantics (hand-checked)", () => {
  // fast 2, slow 4, fraction 0.5, 10,000 USD, BTC step 0.001, taker 0.6 %.
  const pairs = [
    [100, 100],
    [100, 100],
    [100, 100],
    [100, 100], // SMAs ready: 100 vs 100 → flat (nothing to close)
    [100, 104], // SMA2 102 > SMA4 101 → long: floor(0.5 × 10000 / 104, 0.001) = 48.076
    [105, 106], // fill 48.076 @ 105: cost 5047.98, fee 30.28788 → cash 4921.73212
    [106, 103], // 104.5 > 103.25 → still long
    [103, 101], // 102 < 103.5 → flat: sell 48.076
    [100, 99], // fill @ 100: +4807.6, fee 28.8456 → cash 9700.48652
    [99, 102], // 100.5 < 101.25 → flat
    [102, 106], // 104 > 102 → long: floor(0.5 × 9700.48652 / 106) = 45.757
    [108, 109], // fill 45.757 @ 108: cost 4941.756, fee 29.650536 → cash 4729.079984
    [109, 110], // equity = 4729.079984 + 45.757 × 110 = 9762.349984
  ] as const;

  it("orders floor(fraction × equity / close) at the decision and fills at the next open with taker fees", () => {
    const strategy = createStrategy(
      "sma-cross",
      { fast: 2, slow: 4, fraction: 0.5 },
      { instrumentId: BTC.id },
    );
    const h = harness({ strategy });
    h.feed(barsFrom(BTC.id, pairs));

    const orders = h.ofType("Decision").filter((d) => d.kind === "order");
    expect(
      orders.map((d) => [d.reason, d.side, d.quantity?.toFixed(), d.price?.toFixed(), d.equity?.toFixed()]),
    ).toEqual([
      ["open", "buy", "48.076", "104", "10000"],
      ["close", "sell", "48.076", "101", "9777.40812"], // 4921.73212 + 48.076 × 101
      ["open", "buy", "45.757", "106", "9700.48652"],
    ]);
    const fills = h.ofType("OrderFilled");
    expect(
      fills.map((f) => [f.side, f.lastQty.toFixed(), f.lastPrice.toFixed(), f.commission.toFixed()]),
    ).toEqual([
      ["buy", "48.076", "105", "30.28788"],
      ["sell", "48.076", "100", "28.8456"],
      ["buy", "45.757", "108", "29.650536"],
    ]);
    const cache = h.trader.cache;
    expect(cache.cash().toFixed()).toBe("4729.079984");
    expect(cache.equity().toFixed()).toBe("9762.349984");
    expect(cache.position(BTC.id)?.quantity.toFixed()).toBe("45.757");
    // The venue's independent books agree.
    expect(h.venue.snapshot().equity.eq(cache.equity())).toBe(true);
    // Fees are exactly the taker rate on fill notional.
    for (const f of fills) expect(f.commission.eq(f.lastQty.mul(f.lastPrice).mul(D("0.006")))).toBe(true);
  });
});
