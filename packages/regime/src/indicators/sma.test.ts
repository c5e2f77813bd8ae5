import { describe, expect, it } from "vitest";
import { RegimeError } from "../errors.js";
import { Sma } from "./sma.js";

describe("Sma", () => {
  it("computes hand-checked means with a period-long warm-up", () => {
    const sma = new Sma({ period: 3 });
    expect([1, 2, 3, 4, 5, 10].map((x) => sma.update(x))).toEqual([undefined, undefined, 2, 3, 4, 19 / 3]);
    expect(sma.warmUpPeriod).toBe(3);
  });

  it("period 1 is the identity", () => {
    const sma = new Sma({ period: 1 });
    expect(sma.update(7.5)).toBe(7.5);
    expect(sma.update(-2)).toBe(-2);
  });

  it("returns the constant of a constant series exactly", () => {
    const sma = new Sma({ period: 10 });
    let v: number | undefined;
    for (let i = 0; i < 1000; i++) v = sma.update(61_234.5);
    expect(v).toBe(61_234.5);
  });

  it("rejects NaN with a typed error naming the field", () => {
    const sma = new Sma({ period: 2 });
    expect(() => sma.update(Number.NaN)).toThrowError(RegimeError);
    try {
      sma.update(Number.NaN);
    } catch (e) {
      expect(e).toMatchObject({ code: "invalid-input", field: "value" });
    }
  });

  it.each([0, -1, 2.5, Number.NaN])("rejects period %s", (period) => {
    expect(() => new Sma({ period })).toThrowError(
      expect.objectContaining({
        name: "RegimeError",
        code: "invalid-parameter",
        field: "period",
        value: period,
      }),
    );
  });
});
