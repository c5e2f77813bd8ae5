import { describe, expect, it } from "vitest";
import { MonthEndRecorder, ThinnedSeries } from "./curves.js";

describe("ThinnedSeries", () => {
  it("keeps everything under budget", () => {
    const s = new ThinnedSeries(10);
    for (let i = 0; i < 15; i++) s.push(i, i * 2);
    expect(s.points().times).toEqual(Array.from({ length: 15 }, (_, i) => i));
  });

  it("stays bounded, in order, and keeps the first and last points", () => {
    const s = new ThinnedSeries(100);
    for (let i = 0; i < 100_000; i++) s.push(i, -i);
    const { times, values } = s.points();
    expect(times.length).toBeLessThanOrEqual(201);
    expect(times.length).toBeGreaterThanOrEqual(100);
    expect(times[0]).toBe(0);
    expect(times[times.length - 1]).toBe(99_999);
    expect(values[values.length - 1]).toBe(-99_999);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1] as number);
  });
});

describe("MonthEndRecorder", () => {
  it("computes month returns from month-end equity", () => {
    const m = new MonthEndRecorder(100);
    m.push(Date.UTC(2024, 0, 5), 105);
    m.push(Date.UTC(2024, 0, 31, 23), 110);
    m.push(Date.UTC(2024, 1, 1), 99);
    m.push(Date.UTC(2024, 2, 10), 121);
    const r = m.returns();
    expect(r.map((x) => [x.year, x.month])).toEqual([
      [2024, 1],
      [2024, 2],
      [2024, 3],
    ]);
    expect(r[0]?.return).toBeCloseTo(0.1, 12);
    expect(r[1]?.return).toBeCloseTo(-0.1, 12);
    expect(r[2]?.return).toBeCloseTo(121 / 99 - 1, 12);
  });
});
