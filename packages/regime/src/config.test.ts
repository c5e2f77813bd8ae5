import { describe, expect, it } from "vitest";
import {
  barsPerYear24x7,
  parseRegimeConfig,
  RegimeError,
  regimePreset,
  safeParseRegimeConfig,
} from "./index.js";

function errorOf(input: unknown): RegimeError {
  try {
    parseRegimeConfig(input);
  } catch (e) {
    if (e instanceof RegimeError) return e;
    throw e;
  }
  throw new Error("expected parseRegimeConfig to throw");
}

describe("parseRegimeConfig", () => {
  it("fills every default from barsPerYear alone", () => {
    const c = parseRegimeConfig({ barsPerYear: 8760 });
    expect(c.adxPeriod).toBe(14);
    expect(c.trend).toEqual({
      adxEnter: 25,
      adxExit: 18,
      efficiencyEnter: 0.3,
      efficiencyExit: 0.15,
      separationEnter: 1,
      separationExit: 0.4,
    });
    expect(c.hysteresis).toEqual({ minDwellBars: 6, confirmBars: 3, crisisImmediate: true });
    expect(c.crisis.drawdownZEnter).toBe(2.5);
  });

  it("merges partial nested objects with their defaults and does not mutate the input", () => {
    const input = Object.freeze({ barsPerYear: 365, trend: Object.freeze({ adxEnter: 30 }) });
    const c = parseRegimeConfig(input);
    expect(c.trend.adxEnter).toBe(30);
    expect(c.trend.adxExit).toBe(18);
    expect(input).toEqual({ barsPerYear: 365, trend: { adxEnter: 30 } });
  });

  it("names the missing field", () => {
    const e = errorOf({});
    expect(e).toMatchObject({ name: "RegimeError", code: "invalid-config", field: "barsPerYear" });
    expect(e.value).toBeUndefined();
  });

  it("names a nested field and its value", () => {
    const e = errorOf({ barsPerYear: 8760, trend: { adxEnter: -5 } });
    expect(e).toMatchObject({ code: "invalid-config", field: "trend.adxEnter", value: -5 });
    expect(e.message).toContain("trend.adxEnter");
  });

  it("rejects a non-integer period and a wrong type", () => {
    expect(errorOf({ barsPerYear: 8760, adxPeriod: 2.5 })).toMatchObject({ field: "adxPeriod", value: 2.5 });
    expect(errorOf({ barsPerYear: "8760" })).toMatchObject({ field: "barsPerYear", value: "8760" });
    expect(errorOf({ barsPerYear: 8760, hysteresis: { crisisImmediate: "yes" } })).toMatchObject({
      field: "hysteresis.crisisImmediate",
    });
  });

  it("rejects unknown keys at the key", () => {
    expect(errorOf({ barsPerYear: 8760, trend: { adxEntry: 30 } })).toMatchObject({
      field: "trend.adxEntry",
      value: "adxEntry",
    });
  });

  it("rejects an enter threshold below its exit threshold, and fast >= slow EMA", () => {
    expect(errorOf({ barsPerYear: 8760, highVol: { volRatioEnter: 1.2, volRatioExit: 1.5 } })).toMatchObject({
      field: "highVol.volRatioEnter",
      value: 1.2,
    });
    expect(errorOf({ barsPerYear: 8760, emaFastPeriod: 60, emaSlowPeriod: 50 })).toMatchObject({
      field: "emaFastPeriod",
      value: 60,
    });
  });
});

describe("safeParseRegimeConfig", () => {
  it("returns errors as data, one per problem", () => {
    const r = safeParseRegimeConfig({ barsPerYear: -1, adxPeriod: 0, extra: true });
    expect(r.kind).toBe("invalid");
    if (r.kind === "invalid") {
      expect(r.errors.map((e) => e.field).sort()).toEqual(["adxPeriod", "barsPerYear", "extra"]);
      expect(r.errors.every((e) => e instanceof RegimeError && e.code === "invalid-config")).toBe(true);
    }
  });

  it("returns the config when valid", () => {
    const r = safeParseRegimeConfig({ barsPerYear: 8760 });
    expect(r.kind).toBe("valid");
  });
});

describe("regimePreset / barsPerYear24x7", () => {
  it.each(["1m", "1h", "1d"] as const)("preset %s is a valid config", (interval) => {
    expect(safeParseRegimeConfig(regimePreset(interval)).kind).toBe("valid");
  });

  it("derives bars per year for a 24/7 market", () => {
    expect(barsPerYear24x7(3600)).toBe(8760);
    expect(barsPerYear24x7(60)).toBe(525_600);
    expect(() => barsPerYear24x7(0)).toThrowError(expect.objectContaining({ field: "barIntervalSeconds" }));
  });
});
