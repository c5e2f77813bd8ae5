import { describe, expect, it } from "vitest";
import { seededNormal } from "../testing/series.js";
import { RollingHurst } from "./hurst.js";

/** The estimator written out directly over the whole window (O(window * lags) per value). */
function directHurst(
  closes: readonly number[],
  end: number,
  window: number,
  lags: readonly number[],
): number {
  const p = closes.map((c) => Math.log(c));
  const xs = lags.map((m) => Math.log(m));
  const ys = lags.map((m) => {
    let s = 0;
    for (let t = end - window + 1; t <= end; t++) s += ((p[t] as number) - (p[t - m] as number)) ** 2;
    return Math.log(s / window);
  });
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, k) => {
    sxy += (x - mx) * ((ys[k] as number) - my);
    sxx += (x - mx) ** 2;
  });
  return Math.min(1, Math.max(0, sxy / sxx / 2));
}

function randomWalk(count: number, seed: number, drift = 0, sigma = 0.01): number[] {
  const normal = seededNormal(seed);
  const out: number[] = [];
  let logPrice = Math.log(100);
  for (let i = 0; i < count; i++) {
    logPrice += drift + sigma * normal();
    out.push(Math.exp(logPrice));
  }
  return out;
}

describe("RollingHurst", () => {
  it("equals the direct fixed-window estimator", () => {
    const closes = randomWalk(600, 8);
    const lags = [1, 2, 4, 8];
    const h = new RollingHurst({ window: 50, lags });
    expect(h.warmUpPeriod).toBe(58);
    closes.forEach((c, i) => {
      const v = h.update(c);
      if (i < 57) {
        expect(v).toBeUndefined();
        return;
      }
      expect(v).toBeCloseTo(directHurst(closes, i, 50, lags), 9);
    });
  });

  it("reads about 0.5 on a random walk, near 1 on a trend, near 0 on white noise around a level", () => {
    const walk = new RollingHurst({ window: 3000 });
    for (const c of randomWalk(4000, 1)) walk.update(c);
    expect(walk.value).toBeGreaterThan(0.4);
    expect(walk.value).toBeLessThan(0.6);

    const trend = new RollingHurst({ window: 500 });
    for (const c of randomWalk(1000, 2, 0.01, 0.001)) trend.update(c);
    expect(trend.value).toBeGreaterThan(0.95);

    const noise = new RollingHurst({ window: 1000 });
    const normal = seededNormal(3);
    for (let i = 0; i < 1500; i++) noise.update(100 * Math.exp(0.01 * normal()));
    expect(noise.value).toBeLessThan(0.1);
  });

  it("reads 0.5 on a flat window and 0 on a perfectly reverting one", () => {
    const flat = new RollingHurst({ window: 10, lags: [1, 2] });
    for (let i = 0; i < 20; i++) flat.update(50);
    expect(flat.value).toBe(0.5);
    const alternating = new RollingHurst({ window: 10, lags: [1, 2] });
    for (let i = 0; i < 20; i++) alternating.update(i % 2 === 0 ? 50 : 51);
    expect(alternating.value).toBe(0);
  });

  it("validates its lags", () => {
    expect(() => new RollingHurst({ window: 10, lags: [1] })).toThrowError(
      expect.objectContaining({ field: "lags" }),
    );
    expect(() => new RollingHurst({ window: 10, lags: [1, 4, 2] })).toThrowError(
      expect.objectContaining({ field: "lags[2]" }),
    );
    expect(() => new RollingHurst({ window: 10, lags: [0, 2] })).toThrowError(
      expect.objectContaining({ field: "lags[0]" }),
    );
    expect(() => new RollingHurst({ window: 1 })).toThrowError(expect.objectContaining({ field: "window" }));
  });
});
