import { describe, expect, it } from "vitest";
import { syntheticBars } from "../testing/series.js";
import { CloseToCloseVolatility, GarmanKlassVolatility, ParkinsonVolatility } from "./volatility.js";

const bars = syntheticBars({ count: 400, seed: 21, sigma: (i) => (i < 200 ? 0.002 : 0.01) });

describe("CloseToCloseVolatility", () => {
  it("equals the sample standard deviation of log returns, annualised", () => {
    const period = 30;
    const vol = new CloseToCloseVolatility({ period, barsPerYear: 8760 });
    const closes = bars.map((b) => b.close);
    closes.forEach((c, i) => {
      const v = vol.update(c);
      if (i < period) {
        expect(v).toBeUndefined();
        return;
      }
      const r = closes
        .slice(i - period, i + 1)
        .map((x, k, a) => (k === 0 ? 0 : Math.log(x / (a[k - 1] as number))));
      r.shift();
      const mean = r.reduce((a, b) => a + b, 0) / period;
      const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (period - 1));
      expect(Math.abs((v as number) - sd * Math.sqrt(8760)) / (sd * Math.sqrt(8760))).toBeLessThan(1e-9);
    });
  });

  it("zero-mean convention reads |r| * sqrt(barsPerYear) on constant returns; sample convention reads 0", () => {
    const rms = new CloseToCloseVolatility({ period: 5, demean: false, barsPerYear: 100 });
    const sd = new CloseToCloseVolatility({ period: 5, barsPerYear: 100 });
    let price = 100;
    for (let i = 0; i < 20; i++) {
      rms.update(price);
      sd.update(price);
      price *= Math.exp(0.01);
    }
    expect(rms.value).toBeCloseTo(0.01 * 10, 12);
    expect(sd.value).toBeLessThan(1e-9);
    expect(rms.lastReturn).toBeCloseTo(0.01, 12);
  });

  it("needs period >= 2 when demeaning and a positive barsPerYear", () => {
    expect(() => new CloseToCloseVolatility({ period: 1 })).toThrowError(
      expect.objectContaining({ field: "period" }),
    );
    expect(new CloseToCloseVolatility({ period: 1, demean: false }).warmUpPeriod).toBe(2);
    expect(() => new CloseToCloseVolatility({ period: 5, barsPerYear: 0 })).toThrowError(
      expect.objectContaining({ code: "invalid-parameter", field: "barsPerYear" }),
    );
  });
});

describe("ParkinsonVolatility", () => {
  it("equals sqrt(mean(ln(H/L)^2) / (4 ln 2)) annualised", () => {
    const period = 20;
    const vol = new ParkinsonVolatility({ period, barsPerYear: 525_600 });
    bars.forEach((b, i) => {
      const v = vol.update(b);
      if (i < period - 1) {
        expect(v).toBeUndefined();
        return;
      }
      const win = bars.slice(i - period + 1, i + 1);
      const mean = win.reduce((a, x) => a + Math.log(x.high / x.low) ** 2, 0) / period;
      const expected = Math.sqrt((mean / (4 * Math.LN2)) * 525_600);
      expect(Math.abs((v as number) - expected) / expected).toBeLessThan(1e-9);
    });
  });

  it("reads 0 on bars without range", () => {
    const vol = new ParkinsonVolatility({ period: 3 });
    for (let i = 0; i < 5; i++) vol.update({ open: 10, high: 10, low: 10, close: 10 });
    expect(vol.value).toBe(0);
  });
});

describe("GarmanKlassVolatility", () => {
  it("equals sqrt(mean(0.5 u^2 - (2 ln 2 - 1) c^2)) annualised", () => {
    const period = 20;
    const vol = new GarmanKlassVolatility({ period, barsPerYear: 365 });
    bars.forEach((b, i) => {
      const v = vol.update(b);
      if (i < period - 1) {
        expect(v).toBeUndefined();
        return;
      }
      const win = bars.slice(i - period + 1, i + 1);
      const mean =
        win.reduce(
          (a, x) =>
            a + 0.5 * Math.log(x.high / x.low) ** 2 - (2 * Math.LN2 - 1) * Math.log(x.close / x.open) ** 2,
          0,
        ) / period;
      const expected = Math.sqrt(Math.max(mean, 0) * 365);
      expect(Math.abs((v as number) - expected) / expected).toBeLessThan(1e-9);
    });
  });

  it("reads 0 (not NaN) when the close-open term outweighs the range", () => {
    // Only a bar whose close lies outside its high-low range can make the mean negative.
    const vol = new GarmanKlassVolatility({ period: 1 });
    expect(vol.update({ open: 100, high: 100.1, low: 100, close: 110 })).toBe(0);
    // A consistent bar (range covers open and close) gives a positive term.
    const u = Math.log(1.01);
    expect(vol.update({ open: 100, high: 101, low: 100, close: 101 })).toBeCloseTo(
      Math.sqrt((0.5 - (2 * Math.LN2 - 1)) * u * u),
      12,
    );
  });
});
