import { describe, expect, it } from "vitest";
import { type ClosedTrade, normalCdf, StatsAccumulator } from "./stats.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const noExtra = { feesPaid: 0, fundingPaid: 0, buyAndHoldReturn: null };

function trade(pnl: number, hours = 1): ClosedTrade {
  return {
    instrument: "BTC-USD",
    side: "long",
    entryTime: T0,
    exitTime: T0 + hours * 3_600_000,
    entryPrice: 100,
    exitPrice: 100 + pnl,
    quantity: 1,
    pnl,
    fees: 0,
  };
}

describe("StatsAccumulator", () => {
  it("computes daily-return statistics by hand-checkable numbers", () => {
    // One bar per day at noon: equity 100 → 110 → 99 → 108.9
    const acc = new StatsAccumulator({ startEquity: 100 });
    const equities = [100, 110, 99, 108.9];
    equities.forEach((e, i) => {
      acc.onBar(T0 + i * DAY + DAY / 2, e, i > 0);
    });
    const s = acc.finish(noExtra);
    // Daily returns: day0 0, day1 +10%, day2 -10%, day3 +10%.
    const r = [0, 0.1, -0.1, 0.1];
    const mean = r.reduce((a, b) => a + b) / 4;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / 3);
    expect(s.totalReturn).toBeCloseTo(0.089, 12);
    expect(s.volatility).toBeCloseTo(sd * Math.sqrt(365), 12);
    expect(s.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(365), 12);
    const downside = Math.sqrt(0.01 / 4);
    expect(s.sortino).toBeCloseTo((mean / downside) * Math.sqrt(365), 12);
    expect(s.maxDrawdown).toBeCloseTo(0.1, 12);
    // Peak at day 1 noon; first back above it never (108.9 < 110): open drawdown of 2 days.
    expect(s.maxDrawdownDuration).toBe(2 * 86_400);
    expect(s.exposure).toBe(0.75);
    expect(s.bars).toBe(4);
    expect(s.days).toBe(3);
    expect(s.cagr).toBeCloseTo(1.089 ** (365 / 3) - 1, 6);
    expect(s.calmar).toBeCloseTo((s.cagr as number) / 0.1, 6);
  });

  it("ends a drawdown when equity gets back to the peak", () => {
    const acc = new StatsAccumulator({ startEquity: 100 });
    acc.onBar(T0, 100, false);
    acc.onBar(T0 + 1000, 90, true);
    acc.onBar(T0 + 5000, 100, true);
    acc.onBar(T0 + 6000, 120, true);
    const s = acc.finish(noExtra);
    expect(s.maxDrawdownDuration).toBe(5);
    expect(s.maxDrawdown).toBeCloseTo(0.1, 12);
  });

  it("uses the last bar of each UTC day, and the risk-free rate", () => {
    const acc = new StatsAccumulator({ startEquity: 100, riskFree: 0.0365 });
    acc.onBar(T0 + 1000, 150, true); // intraday noise, superseded by the day's last bar
    acc.onBar(T0 + DAY - 1000, 101, true);
    acc.onBar(T0 + DAY + 1000, 102.01, true);
    const s = acc.finish(noExtra);
    // Daily returns 1% and 1%: zero variance → Sharpe undefined; downside below rf: none.
    expect(s.volatility).toBe(0);
    expect(s.sharpe).toBeNull();
    expect(s.sortino).toBeNull();
  });

  it("trade statistics: win rate, profit factor, expectancy, SQN", () => {
    const acc = new StatsAccumulator({ startEquity: 1000 });
    acc.onBar(T0, 1000, false);
    for (const pnl of [10, -5, 20, -5]) acc.onTrade(trade(pnl, 2));
    const s = acc.finish(noExtra);
    expect(s.trades).toBe(4);
    expect(s.winRate).toBe(0.5);
    expect(s.profitFactor).toBe(3);
    expect(s.expectancy).toBe(5);
    const sd = Math.sqrt((25 + 100 + 225 + 100) / 3);
    expect(s.sqn).toBeCloseTo((2 * 5) / sd, 12);
    expect(s.bestTrade).toBe(20);
    expect(s.worstTrade).toBe(-5);
    expect(s.avgTradeDurationSec).toBe(7200);
  });

  it("never reports NaN or Infinity, and warns on small samples", () => {
    const acc = new StatsAccumulator({ startEquity: 1000 });
    acc.onTrade(trade(5));
    const s = acc.finish(noExtra);
    expect(s.profitFactor).toBeNull();
    expect(s.sqn).toBeNull();
    expect(s.sharpe).toBeNull();
    expect(s.psr).toBeNull();
    const json = JSON.stringify(s);
    expect(json).not.toMatch(/NaN|Infinity/);
    expect(s.sampleWarnings).toHaveLength(2);
  });

  it("PSR is near 1 for a steady winner and near 0 for a steady loser", () => {
    const up = new StatsAccumulator({ startEquity: 100 });
    const down = new StatsAccumulator({ startEquity: 100 });
    let e1 = 100;
    let e2 = 100;
    for (let d = 0; d < 200; d++) {
      e1 *= 1 + 0.002 + (d % 2 === 0 ? 0.01 : -0.01);
      e2 *= 1 - 0.002 + (d % 2 === 0 ? 0.01 : -0.01);
      up.onBar(T0 + d * DAY, e1, true);
      down.onBar(T0 + d * DAY, e2, true);
    }
    expect(up.finish(noExtra).psr).toBeGreaterThan(0.95);
    expect(down.finish(noExtra).psr).toBeLessThan(0.05);
  });
});

describe("normalCdf", () => {
  it("matches known values", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.1586553, 6);
  });
});
