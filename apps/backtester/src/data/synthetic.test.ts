import { instrumentId } from "@gpt/core";
import { describe, expect, it } from "vitest";
import { BacktestError } from "../errors.js";
import { generateSyntheticBars } from "./synthetic.js";

const id = instrumentId("BTC-USD", "COINBASE");

describe("generateSyntheticBars", () => {
  it("is deterministic for a seed and differs across seeds", () => {
    const a = generateSyntheticBars({ instrumentId: id, seed: 7, bars: 2000 });
    const b = generateSyntheticBars({ instrumentId: id, seed: 7, bars: 2000 });
    const c = generateSyntheticBars({ instrumentId: id, seed: 8, bars: 2000 });
    expect(Array.from(a.close)).toEqual(Array.from(b.close));
    expect(Array.from(a.close)).not.toEqual(Array.from(c.close));
  });

  it("produces consistent OHLC bars on the tick, on a regular grid", () => {
    const s = generateSyntheticBars({ instrumentId: id, seed: 1, bars: 20_000, intervalMs: 60_000 });
    const bad: number[] = [];
    for (let i = 0; i < s.length; i++) {
      const o = s.open[i] as number;
      const c = s.close[i] as number;
      const ok =
        (s.low[i] as number) <= Math.min(o, c) &&
        (s.high[i] as number) >= Math.max(o, c) &&
        (s.low[i] as number) > 0 &&
        Math.abs(Math.round(c * 100) - c * 100) < 1e-6 &&
        (i === 0 || (s.tsOpen[i] as number) - (s.tsOpen[i - 1] as number) === 60_000);
      if (!ok) bad.push(i);
    }
    expect(bad).toEqual([]);
  });

  it("has volatility clustering and fat tails like real returns", () => {
    const s = generateSyntheticBars({ instrumentId: id, seed: 3, bars: 30_000 });
    const r: number[] = [];
    for (let i = 1; i < s.length; i++) r.push(Math.log((s.close[i] as number) / (s.close[i - 1] as number)));
    const mean = r.reduce((x, y) => x + y, 0) / r.length;
    const dev = r.map((x) => x - mean);
    const m2 = dev.reduce((x, d) => x + d * d, 0) / r.length;
    const m4 = dev.reduce((x, d) => x + d ** 4, 0) / r.length;
    expect(m4 / (m2 * m2)).toBeGreaterThan(4); // excess kurtosis: fat tails
    // Autocorrelation of absolute returns at lag 1 is clearly positive (clustering).
    const a = r.map(Math.abs);
    const am = a.reduce((x, y) => x + y, 0) / a.length;
    let num = 0;
    let den = 0;
    for (let i = 0; i < a.length; i++) {
      den += ((a[i] as number) - am) ** 2;
      if (i > 0) num += ((a[i] as number) - am) * ((a[i - 1] as number) - am);
    }
    expect(num / den).toBeGreaterThan(0.1);
  });

  it("rejects bad settings", () => {
    expect(() => generateSyntheticBars({ instrumentId: id, seed: 1, bars: 0 })).toThrow(BacktestError);
    expect(() => generateSyntheticBars({ instrumentId: id, seed: 1, intervalMs: -5 })).toThrow(BacktestError);
    expect(() => generateSyntheticBars({ instrumentId: id, seed: Number.NaN })).toThrow();
  });
});
