/**
 * Every indicator that trading-signals or technicalindicators also implements, compared on real
 * candles from ../shared/data: after warm-up the values agree to 1e-9 relative, and the warm-up
 * lengths agree too (the first defined value falls on the same bar). Where the two libraries use
 * different conventions we select the matching one through an option (EMA/MACD seed, ATR first
 * bar) and check both.
 *
 * Tolerance: |ours - ref| <= 1e-9 * max(|ref|, floor). The floor is 0 (pure relative) except for
 * series that cross zero, where relative error is meaningless near the crossing: MACD lines use a
 * floor of 1 (price units), the z-score a floor of 1 (one standard deviation).
 */
import { readCsvRows, requireShared } from "@gpt/testkit";
import * as ti from "technicalindicators";
import * as ts from "trading-signals";
import { describe, expect, it } from "vitest";
import {
  Adx,
  Atr,
  BollingerBands,
  Ema,
  Macd,
  type OhlcvBar,
  RangeEfficiencyRatio,
  RollingZScore,
  Rsi,
  Sma,
  Vwap,
  Wma,
} from "./index.js";

const TOLERANCE = 1e-9;

function loadBars(file: string): OhlcvBar[] {
  const table = readCsvRows(requireShared("data", file));
  expect(table.header).toEqual(["time", "open", "high", "low", "close", "volume"]);
  return table.rows.map((r) => ({
    tsEvent: Number(r[0]),
    open: Number(r[1]),
    high: Number(r[2]),
    low: Number(r[3]),
    close: Number(r[4]),
    volume: Number(r[5]),
  }));
}

const DATASETS: readonly [string, OhlcvBar[]][] = [
  ["binance-BTCUSDT-1m-2024-07.csv.gz", loadBars("binance-BTCUSDT-1m-2024-07.csv.gz")],
  ["coinbase-ETH-USD-1h-2024-2026.csv.gz", loadBars("coinbase-ETH-USD-1h-2024-2026.csv.gz")],
];

/** Largest |a - b| / max(|b|, floor) over the pairs; asserts equal length. */
function maxRelativeError(ours: readonly number[], ref: readonly number[], floor = 0): number {
  expect(ours.length).toBe(ref.length);
  let worst = 0;
  let nonFinite = 0;
  for (let i = 0; i < ref.length; i++) {
    const a = ours[i] as number;
    const b = ref[i] as number;
    if (!Number.isFinite(a) || !Number.isFinite(b)) nonFinite++;
    const err = Math.abs(a - b) / Math.max(Math.abs(b), floor, Number.MIN_VALUE);
    if (err > worst) worst = err;
  }
  expect(nonFinite, "non-finite values").toBe(0);
  return worst;
}

/**
 * Feeds every input to `ours`, returns the values from the first defined one on, and checks that
 * no value is undefined after the first (warm-up is a prefix) and that it has length
 * `inputs - warmUpPeriod + 1`.
 */
function stream<I, V>(
  inputs: readonly I[],
  ours: { update(x: I): V | undefined; readonly warmUpPeriod: number },
): V[] {
  const out: V[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const v = ours.update(inputs[i] as I);
    if (v === undefined) {
      if (out.length > 0) expect.fail(`undefined after warm-up at ${i}`);
    } else {
      if (out.length === 0) expect(i, "first value index").toBe(ours.warmUpPeriod - 1);
      out.push(typeof v === "object" ? { ...v } : v);
    }
  }
  expect(out.length).toBe(inputs.length - ours.warmUpPeriod + 1);
  return out;
}

/** trading-signals, streamed: the results from the first non-null one on (asserting no gap after). */
function tsStream<I, R>(inputs: readonly I[], ind: { add(x: I): R | null }): R[] {
  const out: R[] = [];
  for (const x of inputs) {
    const r = ind.add(x);
    if (r === null) {
      if (out.length > 0) expect.fail("reference returned null after its first value");
    } else out.push(typeof r === "object" ? { ...r } : r);
  }
  return out;
}

const errors: Record<string, number> = {};
function record(name: string, err: number): void {
  errors[name] = Math.max(errors[name] ?? 0, err);
  expect(err, name).toBeLessThanOrEqual(TOLERANCE);
}

describe.each(DATASETS)("reference agreement on %s", (file, bars) => {
  const closes = bars.map((b) => b.close);
  const highs = bars.map((b) => b.high);
  const lows = bars.map((b) => b.low);
  const volumes = bars.map((b) => b.volume);
  const hlc = bars.map((b) => ({ high: b.high, low: b.low, close: b.close }));

  it("has enough bars", () => {
    expect(bars.length).toBeGreaterThan(10_000);
  });

  it.each([5, 20, 200])("SMA(%i) = trading-signals SMA = technicalindicators SMA", (period) => {
    const ours = stream(closes, new Sma({ period }));
    record(`SMA vs trading-signals (${file})`, maxRelativeError(ours, tsStream(closes, new ts.SMA(period))));
    record(
      `SMA vs technicalindicators (${file})`,
      maxRelativeError(ours, ti.SMA.calculate({ period, values: closes })),
    );
  });

  it.each([10, 50])("EMA(%i): seed sma = technicalindicators, seed first = trading-signals", (period) => {
    const sma = stream(closes, new Ema({ period, seed: "sma" }));
    record(
      `EMA(sma seed) vs technicalindicators (${file})`,
      maxRelativeError(sma, ti.EMA.calculate({ period, values: closes })),
    );
    const first = stream(closes, new Ema({ period, seed: "first" }));
    const ref = new ts.EMA(period);
    const stable: number[] = [];
    for (const c of closes) {
      ref.add(c);
      if (ref.isStable) stable.push(ref.getResultOrThrow());
    }
    record(`EMA(first seed) vs trading-signals (${file})`, maxRelativeError(first, stable));
  });

  it.each([9, 30])("WMA(%i) = trading-signals WMA = technicalindicators WMA", (period) => {
    const ours = stream(closes, new Wma({ period }));
    record(`WMA vs trading-signals (${file})`, maxRelativeError(ours, tsStream(closes, new ts.WMA(period))));
    record(
      `WMA vs technicalindicators (${file})`,
      maxRelativeError(ours, ti.WMA.calculate({ period, values: closes })),
    );
  });

  it("RSI(14) = trading-signals RSI (Wilder); technicalindicators within its 2-decimal rounding", () => {
    const ours = stream(closes, new Rsi({ period: 14 }));
    record(`RSI vs trading-signals (${file})`, maxRelativeError(ours, tsStream(closes, new ts.RSI(14))));
    const rounded = ti.RSI.calculate({ period: 14, values: closes });
    expect(rounded.length).toBe(ours.length);
    let worst = 0;
    for (let i = 0; i < ours.length; i++) {
      worst = Math.max(worst, Math.abs((ours[i] as number) - (rounded[i] as number)));
    }
    expect(worst).toBeLessThanOrEqual(0.005 + 1e-9);
  });

  it("ATR(14): firstBar skip = technicalindicators, firstBar high-low = trading-signals", () => {
    const skip = stream(hlc, new Atr({ period: 14 }));
    record(
      `ATR(skip) vs technicalindicators (${file})`,
      maxRelativeError(skip, ti.ATR.calculate({ period: 14, high: highs, low: lows, close: closes })),
    );
    const highLow = stream(hlc, new Atr({ period: 14, firstBar: "high-low" }));
    record(
      `ATR(high-low) vs trading-signals (${file})`,
      maxRelativeError(highLow, tsStream(hlc, new ts.ATR(14))),
    );
  });

  it("ADX/DMI(14) = technicalindicators ADX (adx, +DI, -DI)", () => {
    const ours = stream(hlc, new Adx({ period: 14 }));
    const ref = ti.ADX.calculate({ period: 14, high: highs, low: lows, close: closes });
    record(
      `ADX vs technicalindicators (${file})`,
      maxRelativeError(
        ours.map((v) => v.adx),
        ref.map((v) => v.adx),
      ),
    );
    record(
      `+DI vs technicalindicators (${file})`,
      maxRelativeError(
        ours.map((v) => v.plusDi),
        ref.map((v) => v.pdi),
      ),
    );
    record(
      `-DI vs technicalindicators (${file})`,
      maxRelativeError(
        ours.map((v) => v.minusDi),
        ref.map((v) => v.mdi),
      ),
    );
    // The smoothed true range inside ADX is the TA-Lib ATR of the same period.
    const atr = ti.ATR.calculate({ period: 14, high: highs, low: lows, close: closes }).slice(14 - 1);
    record(
      `ADX.atr vs technicalindicators ATR (${file})`,
      maxRelativeError(
        ours.map((v) => v.atr),
        atr,
      ),
    );
  });

  it("Bollinger(20, 2) = trading-signals = technicalindicators (upper, middle, lower, %b)", () => {
    const ours = stream(closes, new BollingerBands({ period: 20, multiplier: 2 }));
    const tsRef = tsStream(closes, new ts.BollingerBands(20, 2));
    const tiRef = ti.BollingerBands.calculate({ period: 20, stdDev: 2, values: closes });
    for (const key of ["upper", "middle", "lower"] as const) {
      record(
        `Bollinger.${key} vs trading-signals (${file})`,
        maxRelativeError(
          ours.map((v) => v[key]),
          tsRef.map((v) => v[key]),
        ),
      );
      record(
        `Bollinger.${key} vs technicalindicators (${file})`,
        maxRelativeError(
          ours.map((v) => v[key]),
          tiRef.map((v) => v[key]),
        ),
      );
    }
    // %b is a ratio of differences; compare where the band is not degenerate, with a floor of 1.
    const pairs = ours.map((v, i) => [v.percentB, tiRef[i]?.pb ?? Number.NaN] as const);
    const kept = pairs.filter(([, b]) => Number.isFinite(b));
    record(
      `Bollinger.percentB vs technicalindicators (${file})`,
      maxRelativeError(
        kept.map(([a]) => a),
        kept.map(([, b]) => b),
        1,
      ),
    );
  });

  it("MACD(12, 26, 9): seed sma = technicalindicators (EMA/EMA), seed first = trading-signals", () => {
    const ours = stream(closes, new Macd({ seed: "sma" }));
    const tiRef = ti.MACD.calculate({
      values: closes,
      fastPeriod: 12,
      slowPeriod: 26,
      signalPeriod: 9,
      SimpleMAOscillator: false,
      SimpleMASignal: false,
    }).filter((v) => v.signal !== undefined);
    for (const [key, refKey] of [
      ["macd", "MACD"],
      ["signal", "signal"],
      ["histogram", "histogram"],
    ] as const) {
      record(
        `MACD.${key} vs technicalindicators (${file})`,
        maxRelativeError(
          ours.map((v) => v[key]),
          tiRef.map((v) => v[refKey] ?? Number.NaN),
          1,
        ),
      );
    }
    const first = stream(closes, new Macd({ seed: "first" }));
    // trading-signals reports from the 26th close on, before its signal EMA has 9 inputs; skip those 8.
    const tsRef = tsStream(closes, new ts.MACD(new ts.EMA(12), new ts.EMA(26), new ts.EMA(9))).slice(9 - 1);
    for (const key of ["macd", "signal", "histogram"] as const) {
      record(
        `MACD.${key} (first seed) vs trading-signals (${file})`,
        maxRelativeError(
          first.map((v) => v[key]),
          tsRef.map((v) => v[key]),
          1,
        ),
      );
    }
  });

  it("RangeEfficiencyRatio(20) = trading-signals ER", () => {
    const ours = stream(hlc, new RangeEfficiencyRatio({ period: 20 }));
    const ref = tsStream(hlc, new ts.ER(20));
    // Ratios near 0 (no net change) are compared on an absolute scale of 1e-9.
    record(`RangeEfficiencyRatio vs trading-signals ER (${file})`, maxRelativeError(ours, ref, 1));
  });

  it("RollingZScore(30) = trading-signals getZScore over the same window", () => {
    const period = 30;
    const ours = stream(closes, new RollingZScore({ period }));
    const ref: number[] = [];
    for (let i = period - 1; i < closes.length; i++) {
      const win = closes.slice(i - period + 1, i + 1);
      ref.push(ts.getStandardDeviation(win) === 0 ? 0 : ts.getZScore(win));
    }
    record(`RollingZScore vs trading-signals getZScore (${file})`, maxRelativeError(ours, ref, 1));
  });

  it("VWAP (cumulative, typical price) = trading-signals VWAP = technicalindicators VWAP", () => {
    const hlcv = bars.map((b) => ({ high: b.high, low: b.low, close: b.close, volume: b.volume }));
    const ours = stream(hlcv, new Vwap());
    record(`VWAP vs trading-signals (${file})`, maxRelativeError(ours, tsStream(hlcv, new ts.VWAP())));
    record(
      `VWAP vs technicalindicators (${file})`,
      maxRelativeError(ours, ti.VWAP.calculate({ high: highs, low: lows, close: closes, volume: volumes })),
    );
  });
});

describe("summary", () => {
  it("prints the worst relative error per comparison", () => {
    const names = Object.keys(errors);
    expect(names.length).toBeGreaterThan(20);
    for (const name of names.sort()) {
      console.log(`${name.padEnd(72)} max rel err ${(errors[name] as number).toExponential(2)}`);
    }
  });
});
