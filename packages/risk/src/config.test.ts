import { D } from "@gpt/quantize";
import { describe, expect, it } from "vitest";
import {
  defaultRiskConfig,
  parseRiskConfig,
  perSymbolValue,
  type RiskConfigInput,
  safeParseRiskConfig,
} from "./config.js";
import { RiskConfigError, RiskError } from "./errors.js";

function issuesOf(input: RiskConfigInput) {
  const result = safeParseRiskConfig(input);
  if (result.ok) throw new Error("expected issues");
  return result.issues;
}

describe("defaultRiskConfig", () => {
  it("has the documented defaults", () => {
    const c = defaultRiskConfig();
    expect({
      maxDailyLossPct: c.maxDailyLossPct.toString(),
      dailyResetUtc: c.dailyResetUtc,
      reduceOnlyMode: c.reduceOnlyMode,
      maxLeverage: c.maxLeverage.toString(),
      maxLeveragePerSymbol: c.maxLeveragePerSymbol,
      maxPositionNotional: c.maxPositionNotional,
      maxPositionNotionalPerSymbol: c.maxPositionNotionalPerSymbol,
      maxTotalNotional: c.maxTotalNotional,
      maxOrderNotional: c.maxOrderNotional,
      maxNetLongNotional: c.maxNetLongNotional,
      maxNetShortNotional: c.maxNetShortNotional,
      priceBandPct: c.priceBandPct.toString(),
      maxOpenOrders: c.maxOpenOrders,
      maxOrdersPerMinute: c.maxOrdersPerMinute,
      minLiquidationDistancePct: c.minLiquidationDistancePct.toString(),
      staleMarketDataMs: c.staleMarketDataMs,
      markFutureToleranceMs: c.markFutureToleranceMs,
    }).toEqual({
      maxDailyLossPct: "0.05",
      dailyResetUtc: "00:00",
      reduceOnlyMode: false,
      maxLeverage: "5",
      maxLeveragePerSymbol: {},
      maxPositionNotional: undefined,
      maxPositionNotionalPerSymbol: {},
      maxTotalNotional: undefined,
      maxOrderNotional: undefined,
      maxNetLongNotional: undefined,
      maxNetShortNotional: undefined,
      priceBandPct: "0.05",
      maxOpenOrders: 50,
      maxOrdersPerMinute: 60,
      minLiquidationDistancePct: "0.1",
      staleMarketDataMs: 30_000,
      markFutureToleranceMs: 1_000,
    });
    expect({
      ...c.breakers,
      drawdown: { ...c.breakers.drawdown, maxPct: c.breakers.drawdown.maxPct.toString() },
    }).toEqual({
      consecutiveLosses: { enabled: true, maxCount: 5, cooldownMs: 1_800_000, onTrip: "reducing" },
      drawdown: { enabled: true, maxPct: "0.15", cooldownMs: 86_400_000, onTrip: "halted" },
      volatility: { enabled: true, maxRatio: 3, cooldownMs: 900_000, onTrip: "reducing" },
      venueErrors: {
        enabled: true,
        maxRate: 0.5,
        minRequests: 10,
        windowMs: 60_000,
        cooldownMs: 300_000,
        onTrip: "halted",
      },
      rejects: { enabled: true, maxCount: 5, windowMs: 60_000, cooldownMs: 300_000, onTrip: "reducing" },
    });
  });

  it("fills the defaults of a partly given breaker", () => {
    const c = parseRiskConfig({ breakers: { drawdown: { maxPct: "0.2" } } });
    expect(c.breakers.drawdown.maxPct.toString()).toBe("0.2");
    expect(c.breakers.drawdown.onTrip).toBe("halted");
    expect(c.breakers.rejects.maxCount).toBe(5);
  });
});

describe("parseRiskConfig", () => {
  it("accepts strings, numbers and Decimals for decimal fields", () => {
    const c = parseRiskConfig({ maxLeverage: 3, maxOrderNotional: "25000.5", maxTotalNotional: D("1e6") });
    expect(c.maxLeverage.toString()).toBe("3");
    expect(c.maxOrderNotional?.toString()).toBe("25000.5");
    expect(c.maxTotalNotional?.toFixed()).toBe("1000000");
  });

  it("reads fractions, and percentages written with %", () => {
    expect(parseRiskConfig({ maxDailyLossPct: "0.03" }).maxDailyLossPct.toString()).toBe("0.03");
    expect(parseRiskConfig({ maxDailyLossPct: 0.03 }).maxDailyLossPct.toString()).toBe("0.03");
    expect(parseRiskConfig({ maxDailyLossPct: "3%" }).maxDailyLossPct.toString()).toBe("0.03");
    expect(parseRiskConfig({ priceBandPct: "0.5%" }).priceBandPct.toString()).toBe("0.005");
  });

  it("rejects a percentage written as a whole number, with the hint", () => {
    const [issue] = issuesOf({ maxDailyLossPct: 5 });
    expect(issue).toMatchObject({ path: "maxDailyLossPct", value: "5" });
    expect(issue?.reason).toMatch(/fraction in \(0, 1\): 0\.05 means 5%/);
  });

  it("checks fraction ranges per field", () => {
    expect(issuesOf({ maxDailyLossPct: 0 })[0]?.path).toBe("maxDailyLossPct");
    expect(issuesOf({ maxDailyLossPct: "-0.01" })[0]?.path).toBe("maxDailyLossPct");
    expect(issuesOf({ maxDailyLossPct: "100%" })[0]?.path).toBe("maxDailyLossPct");
    expect(issuesOf({ priceBandPct: "1" })[0]?.path).toBe("priceBandPct");
    expect(parseRiskConfig({ minLiquidationDistancePct: 0 }).minLiquidationDistancePct.isZero()).toBe(true);
    expect(issuesOf({ minLiquidationDistancePct: 1 })[0]?.path).toBe("minLiquidationDistancePct");
    expect(issuesOf({ breakers: { drawdown: { maxPct: "15" } } })[0]?.path).toBe("breakers.drawdown.maxPct");
    expect(parseRiskConfig({ breakers: { venueErrors: { maxRate: 1 } } }).breakers.venueErrors.maxRate).toBe(
      1,
    );
    expect(issuesOf({ breakers: { venueErrors: { maxRate: 1.5 } } })[0]?.path).toBe(
      "breakers.venueErrors.maxRate",
    );
  });

  it("rejects non-decimal, NaN and non-positive amounts", () => {
    for (const bad of ["abc", "NaN", "", " 5", "1,000", Number.NaN, Number.POSITIVE_INFINITY, 0, -1, true]) {
      const issues = issuesOf({ maxLeverage: bad as never });
      expect(issues).toHaveLength(1);
      expect(issues[0]?.path).toBe("maxLeverage");
    }
    expect(issuesOf({ maxLeverage: "abc" })[0]).toEqual({
      path: "maxLeverage",
      value: "(3 characters, not shown)",
      reason: "not a decimal number",
    });
    expect(issuesOf({ maxLeverage: "-2" })[0]?.value).toBe("-2");
  });

  it("rejects bad integers, times and breaker states", () => {
    expect(issuesOf({ maxOpenOrders: 1.5 })[0]?.reason).toBe("must be a whole number");
    expect(issuesOf({ maxOpenOrders: 0 })[0]?.reason).toBe("must be at least 1");
    expect(issuesOf({ staleMarketDataMs: "1000" as never })[0]?.path).toBe("staleMarketDataMs");
    expect(issuesOf({ markFutureToleranceMs: -1 })[0]).toMatchObject({
      path: "markFutureToleranceMs",
      reason: "must be at least 0",
    });
    expect(issuesOf({ markFutureToleranceMs: 0.5 })[0]?.reason).toBe("must be a whole number");
    expect(parseRiskConfig({ markFutureToleranceMs: 0 }).markFutureToleranceMs).toBe(0);
    for (const time of ["24:00", "9:30", "12:60", "noon", "12:00:00"]) {
      expect(issuesOf({ dailyResetUtc: time })[0]?.path).toBe("dailyResetUtc");
    }
    expect(parseRiskConfig({ dailyResetUtc: "23:59" }).dailyResetUtc).toBe("23:59");
    expect(issuesOf({ breakers: { rejects: { onTrip: "paused" as never } } })[0]).toMatchObject({
      path: "breakers.rejects.onTrip",
      reason: 'must be "reducing" or "halted"',
    });
  });

  it("reports unknown fields at any depth (typos)", () => {
    const issues = issuesOf({ maxLeverag: 3, breakers: { drawdown: { maxPctt: 0.1 } } } as never);
    expect(issues.map((i) => i.path).sort()).toEqual(["breakers.drawdown.maxPctt", "maxLeverag"]);
    expect(issues[0]?.reason).toBe("unknown field (a typo?)");
  });

  it("validates per-symbol records", () => {
    const c = parseRiskConfig({ maxLeveragePerSymbol: { "BTC-PERP-INTX": "3", "ETH-USD.COINBASE": 2 } });
    expect(c.maxLeveragePerSymbol["BTC-PERP-INTX"]?.toString()).toBe("3");
    const [issue] = issuesOf({ maxPositionNotionalPerSymbol: { "BTC-USD": "-5" } });
    expect(issue).toMatchObject({ path: "maxPositionNotionalPerSymbol.BTC-USD", value: "-5" });
  });

  it("collects every issue and throws RiskConfigError from parseRiskConfig", () => {
    const bad = { maxLeverage: "x", maxOpenOrders: -2, dailyResetUtc: "25:00" };
    expect(issuesOf(bad)).toHaveLength(3);
    let error: unknown;
    try {
      parseRiskConfig(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RiskConfigError);
    expect(error).toBeInstanceOf(RiskError);
    const configError = error as RiskConfigError;
    expect(configError.name).toBe("RiskConfigError");
    expect(configError.code).toBe("invalid-config");
    expect(configError.issues).toHaveLength(3);
    expect(configError.message).toContain("maxLeverage: not a decimal number");
  });
});

describe("perSymbolValue", () => {
  const record = { "BTC-USD": 1, "BTC-USD.COINBASE": 2, ETH: 3 };

  it("prefers the instrument id, then the symbol", () => {
    expect(perSymbolValue(record, "BTC-USD.COINBASE")).toBe(2);
    expect(perSymbolValue(record, "BTC-USD.SIM")).toBe(1);
    expect(perSymbolValue(record, "SOL-USD.COINBASE")).toBeUndefined();
  });

  it("does not look at inherited properties", () => {
    expect(perSymbolValue(record, "toString.COINBASE")).toBeUndefined();
  });
});
