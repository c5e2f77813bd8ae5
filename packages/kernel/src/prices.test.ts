/** The `decisionPrice` rule: which market data sets the price decisions are sized and valued at. */
import type { Bar, MarkPrice, Trade, TradeId } from "@gpt/core";
import { describe, expect, it } from "vitest";
import { isKernelError } from "./errors.js";
import type { DecisionPriceRule } from "./prices.js";
import { barsFromCloses, harness, PERP, ScriptedStrategy } from "./testing/fixtures.js";

const mark = (bar: Bar, price: number, dt: number): MarkPrice => ({
  type: "MarkPrice",
  instrumentId: bar.instrumentId,
  price,
  tsEvent: bar.tsEvent + dt,
  tsInit: bar.tsEvent + dt,
});
const trade = (bar: Bar, price: number, dt: number): Trade => ({
  type: "Trade",
  instrumentId: bar.instrumentId,
  price,
  size: 1,
  aggressorSide: "buy",
  tradeId: `t${bar.tsEvent + dt}` as TradeId,
  tsEvent: bar.tsEvent + dt,
  tsInit: bar.tsEvent + dt,
});

/**
 * Bar 0 (close 100) goes long; before bar 1 (close 110), a mark of 104 (older than the bar's close)
 * and a trade of 112 (newer: it reached the bot before the bar did) arrive; bar 1 goes flat and
 * bar 2 long again. Returns the prices of the decisions and of the cache after bar 1.
 */
function scenario(rule: DecisionPriceRule | undefined, withMarks = true) {
  const script = ["long", "flat", "long"] as const;
  const strategy = new ScriptedStrategy([PERP.id], (_bar, i) => script[i]);
  const h = harness({
    strategy,
    instruments: [PERP],
    ...(rule === undefined ? {} : { decisionPrice: rule }),
  });
  const bars = barsFromCloses(PERP.id, [100, 110, 120]);
  h.feed(bars.slice(0, 1));
  const bar1 = bars[1] as Bar;
  if (withMarks) h.trader.onMarketData(mark(bar1, 104, -10_000));
  h.trader.onMarketData(trade(bar1, 112, 1));
  h.feed([bar1]);
  const afterBar1 = h.trader.cache.lastPrice(PERP.id);
  const equityAfterBar1 = h.trader.cache.equity();
  const held = h.trader.cache.position(PERP.id)?.quantity;
  h.feed(bars.slice(2));
  const prices = h.ofType("Decision").map((d) => d.price?.toNumber());
  return { prices, afterBar1, equityAfterBar1, held, h };
}

describe("decisionPrice", () => {
  it('"last" (default): the latest of bar close, trade and mark by time — here the trade after the close', () => {
    expect(scenario(undefined).prices).toEqual([100, 112, 120]);
    expect(scenario("last").prices).toEqual([100, 112, 120]);
    expect(scenario("last").afterBar1).toBe(112);
  });

  it('"bar-close": bar closes only; trades and marks are recorded and move nothing', () => {
    const { prices, afterBar1, h } = scenario("bar-close");
    expect(prices).toEqual([100, 110, 120]);
    expect(afterBar1).toBe(110);
    expect(h.trader.cache.markPrice(PERP.id)).toBe(104);
  });

  it('"mark": the venue mark once there is one; bar closes and trades do not move it', () => {
    const { prices, afterBar1 } = scenario("mark");
    // Bar 0 has no mark yet: its close. Then the mark, even older than the close and the trade.
    expect(prices).toEqual([100, 104, 104]);
    expect(afterBar1).toBe(104);
  });

  it('"mark" without any mark falls back to the latest of the others', () => {
    expect(scenario("mark", false).prices).toEqual([100, 112, 120]);
  });

  it("the ledger equity is valued at the rule's price", () => {
    const last = scenario("last");
    const close = scenario("bar-close");
    // The same long position after bar 1, valued at 112 and at 110: the equities differ by
    // quantity × 2 × contract size (0.01).
    expect(last.held?.toFixed()).toBe(close.held?.toFixed());
    expect(last.held?.gt(0)).toBe(true);
    const diff = last.equityAfterBar1.minus(close.equityAfterBar1);
    expect(diff.toFixed()).toBe(last.held?.mul(2).mul("0.01").toFixed());
  });

  it("an unknown rule is an invalid-options error naming the field", () => {
    let caught: unknown;
    try {
      harness({
        strategy: new ScriptedStrategy([PERP.id], () => undefined),
        instruments: [PERP],
        decisionPrice: "close" as never,
      });
    } catch (error) {
      caught = error;
    }
    expect(isKernelError(caught)).toBe(true);
    expect((caught as { context: { field: string } }).context.field).toBe("decisionPrice");
    expect(String(caught)).toMatch(/"last", "mark" or "bar-close" \(got a 5-character string\)/);
  });
});
