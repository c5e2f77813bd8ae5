import { Atr, RollingZScore, RuleBasedRegimeClassifier, regimePreset } from "@gpt/regime";
import { StrategyError } from "@gpt/strategies";
import { describe, expect, it } from "vitest";
import {
  createFeatureSchema,
  FEATURE_SCHEMA_ID,
  FEATURE_SCHEMA_VERSION,
  featureNames,
  SelectorFeatures,
} from "./features.js";
import { barsFromCloses, regimeWalkBars, SMALL_FEATURES } from "./test-support.js";

describe("feature schema", () => {
  it("declares id, version, names and resolved parameters", () => {
    const schema = createFeatureSchema();
    expect(schema.id).toBe(FEATURE_SCHEMA_ID);
    expect(schema.version).toBe(FEATURE_SCHEMA_VERSION);
    expect(schema.names).toEqual([
      "regime.crisis",
      "regime.high-volatility",
      "regime.trend-up",
      "regime.trend-down",
      "regime.range",
      "regime.confidence",
      "regime.age",
      "return.1",
      "return.6",
      "return.24",
      "vol.annualized",
      "vol.ratio",
      "adx",
      "di.spread",
      "efficiency",
      "trend.separation",
      "drawdown.z",
      "zscore.20",
      "rsi.14",
      "atr-pct.14",
    ]);
    expect(schema.params.regime.barsPerYear).toBe(regimePreset("1h").barsPerYear);
    expect(schema.params.regime.adxPeriod).toBe(14);
    expect(featureNames(schema.params)).toEqual(schema.names);
    expect(createFeatureSchema({ returnLookbacks: [2, 5], zScorePeriod: 30 }).names).toContain("zscore.30");
  });

  it("names the bad field of invalid parameters", () => {
    const fail = (input: Parameters<typeof createFeatureSchema>[0]): StrategyError => {
      try {
        createFeatureSchema(input);
      } catch (e) {
        if (e instanceof StrategyError) return e;
      }
      throw new Error("expected a StrategyError");
    };
    expect(fail({ returnLookbacks: [5, 2] }).param).toBe("features.returnLookbacks.1");
    expect(fail({ zScorePeriod: 1 }).param).toBe("features.zScorePeriod");
    expect(fail({ regime: { barsPerYear: -1 } }).param).toBe("features.regime.barsPerYear");
    expect(fail({ bogus: 1 } as never).param).toBe("features.bogus");
  });
});

describe("SelectorFeatures", () => {
  const schema = createFeatureSchema(SMALL_FEATURES);

  it("computes every column from the bars seen so far", () => {
    const bars = regimeWalkBars(300, 11);
    const features = new SelectorFeatures(schema);
    const classifier = new RuleBasedRegimeClassifier(schema.params.regime);
    const z = new RollingZScore({ period: 5 });
    const atr = new Atr({ period: 5 });
    const col = (name: string) => schema.names.indexOf(name);
    let first = -1;
    bars.forEach((bar, t) => {
      const row = features.update(bar);
      const reading = classifier.update(bar);
      const zv = z.update(bar.close);
      const av = atr.update(bar);
      if (row === undefined) {
        expect(first).toBe(-1);
        return;
      }
      if (first < 0) first = t;
      expect(reading).toBeDefined();
      const oneHot = schema.names.slice(0, 5).map((_, i) => row[i]);
      expect(oneHot.reduce((a, b) => (a ?? 0) + (b ?? 0), 0)).toBe(1);
      expect(row[col(`regime.${reading?.regime}`)]).toBe(1);
      expect(row[col("regime.confidence")]).toBe(reading?.confidence);
      expect(row[col("regime.age")]).toBeCloseTo(Math.log1p(reading?.barsInRegime ?? 0), 12);
      expect(row[col("return.1")]).toBeCloseTo(Math.log(bar.close / bars[t - 1]!.close), 12);
      expect(row[col("return.3")]).toBeCloseTo(Math.log(bar.close / bars[t - 3]!.close), 12);
      expect(row[col("adx")]).toBeCloseTo((reading?.features.adx ?? 0) / 100, 12);
      expect(row[col("drawdown.z")]).toBe(reading?.features.drawdownZ);
      expect(row[col("zscore.5")]).toBe(zv);
      expect(row[col("atr-pct.5")]).toBeCloseTo((av ?? 0) / bar.close, 12);
      expect(row.every(Number.isFinite)).toBe(true);
    });
    expect(first).toBe(features.warmUpBars - 1);
    expect(features.warmUpBars).toBe(21);
  });

  it("reset starts over", () => {
    const bars = barsFromCloses(Array.from({ length: 40 }, (_, i) => 100 + Math.sin(i / 2) * 4 + i * 0.1));
    const features = new SelectorFeatures(schema);
    const a = bars.map((b) => features.update(b)?.slice());
    features.reset();
    expect(features.barCount).toBe(0);
    expect(features.regime).toBeUndefined();
    const b = bars.map((bar) => features.update(bar)?.slice());
    expect(b).toEqual(a);
  });
});
