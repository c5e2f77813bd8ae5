import { describe, expect, it } from "vitest";
import { Adx } from "./adx.js";

describe("Adx", () => {
  it("matches a hand computation (period 2)", () => {
    const adx = new Adx({ period: 2 });
    const bars = [
      { high: 10, low: 9, close: 9.5 },
      { high: 11, low: 9.5, close: 10.5 }, // up 1, down -0.5 -> +DM 1; TR 1.5
      { high: 11.5, low: 10, close: 11 }, // up 0.5, down -0.5 -> +DM 0.5; TR 1.5
      { high: 11, low: 9, close: 9.5 }, // up -0.5, down 1 -> -DM 1; TR 2
    ];
    const out = bars.map((b) => (adx.update(b) === undefined ? undefined : { ...adx.value }));
    expect(out.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    // After bar 3: avgTR 1.5, avg+DM 0.75, avg-DM 0 -> +DI 50, -DI 0, DX 100 (first DX).
    // After bar 4: avgTR 1.5 + (2-1.5)/2 = 1.75; +DM 0.75 + (0-0.75)/2 = 0.375; -DM 0 + (1-0)/2 = 0.5
    // +DI = 37.5/1.75, -DI = 50/1.75, DX = 100 * 12.5/87.5; ADX = mean(100, DX)
    const plusDi = 37.5 / 1.75;
    const minusDi = 50 / 1.75;
    const dx = (100 * Math.abs(plusDi - minusDi)) / (plusDi + minusDi);
    expect(out[3]?.plusDi).toBeCloseTo(plusDi, 12);
    expect(out[3]?.minusDi).toBeCloseTo(minusDi, 12);
    expect(out[3]?.dx).toBeCloseTo(dx, 12);
    expect(out[3]?.adx).toBeCloseTo((100 + dx) / 2, 12);
    expect(out[3]?.atr).toBeCloseTo(1.75, 12);
    expect(adx.warmUpPeriod).toBe(4);
  });

  it("reads a strong up trend on steadily rising bars", () => {
    const adx = new Adx({ period: 14 });
    for (let i = 0; i < 100; i++) adx.update({ high: 101 + i, low: 99 + i, close: 100.5 + i });
    expect(adx.value?.minusDi).toBe(0);
    expect(adx.value?.plusDi).toBeGreaterThan(30);
    expect(adx.value?.adx).toBeCloseTo(100, 9);
  });

  it("gives a tie (up == down) to neither side, and 0 on flat bars", () => {
    const adx = new Adx({ period: 1 });
    adx.update({ high: 10, low: 8, close: 9 });
    const v = adx.update({ high: 11, low: 7, close: 9 }); // up 1, down 1
    expect(v?.plusDi).toBe(0);
    expect(v?.minusDi).toBe(0);
    expect(v?.dx).toBe(0);
    const flat = new Adx({ period: 2 });
    for (let i = 0; i < 10; i++) flat.update({ high: 5, low: 5, close: 5 });
    expect(flat.value).toEqual({ adx: 0, plusDi: 0, minusDi: 0, dx: 0, atr: 0 });
  });
});
