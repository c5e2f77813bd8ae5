import { Decimal } from "decimal.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { D, parseDecimal } from "./decimal.js";
import { formatPlain, formatToIncrement, roundAndFormat } from "./format.js";
import { ROUNDING_MODES, roundPrice, roundSize, roundToIncrement } from "./rounding.js";
import { checkOrderAgainstRules, createProductRules, notionalToSize, sizeToNotional } from "./rules.js";

/** Computes a fixed set of results as strings, to compare with and without the global settings. */
function results(): string[] {
  const out: string[] = [];
  for (const mode of ROUNDING_MODES) {
    out.push(roundToIncrement("123456.789012345", "0.00000001", mode).toString());
    out.push(roundToIncrement("-2.5", "1", mode).toString());
    out.push(roundToIncrement("1234567.125", "0.25", mode).toString());
    out.push(roundAndFormat("0.000000015", "0.00000001", mode));
  }
  out.push(roundPrice("68923.678", "0.01", "buy").toString());
  out.push(roundPrice("68923.671", "0.01", "sell").toString());
  out.push(roundSize("0.123456789", "0.00000001").toString());
  out.push(formatToIncrement("0.00000001", "0.00000001"));
  out.push(formatToIncrement("123.4", "0.01"));
  out.push(formatPlain("1e-8"));
  out.push(parseDecimal("267187147.2294696735908216").toString());
  out.push(new D("1").div(3).toString());
  out.push(new D("10").mod("3").toString());
  out.push(notionalToSize("1000000", "68923.67", "0.00000001").toString());
  out.push(sizeToNotional("267187147.2294696735908216", "0.01523").toString());
  const rules = createProductRules({
    baseIncrement: "0.00000001",
    quoteIncrement: "0.01",
    quoteMinSize: "1",
  });
  out.push(JSON.stringify(checkOrderAgainstRules({ size: "0.00001", price: "68923.67" }, rules)));
  return out;
}

describe("a user's global decimal.js settings", () => {
  const saved = {
    precision: Decimal.precision,
    rounding: Decimal.rounding,
    toExpNeg: Decimal.toExpNeg,
    toExpPos: Decimal.toExpPos,
    modulo: Decimal.modulo,
  };
  let baseline: string[] = [];

  beforeEach(() => {
    baseline = results();
    Decimal.set({
      precision: 5,
      rounding: Decimal.ROUND_UP,
      toExpNeg: -2,
      toExpPos: 3,
      modulo: Decimal.EUCLID,
    });
  });

  afterEach(() => {
    Decimal.set(saved);
  });

  it("take effect on the global constructor (so the test below is meaningful)", () => {
    expect(new Decimal("0.00000001").toString()).toBe("1e-8");
    expect(new Decimal("1").div(3).toString()).toBe("0.33334");
  });

  it("do not change any result of this package", () => {
    expect(results()).toEqual(baseline);
    expect(baseline).toContain("0.00000001");
    expect(baseline).toContain(`0.${"3".repeat(40)}`);
  });

  it("do not leak into values passed in from the global constructor", () => {
    const fromUser = new Decimal("0.000000015");
    expect(roundAndFormat(fromUser, "0.00000001", "half-even")).toBe("0.00000002");
    expect(roundToIncrement(fromUser, "0.00000001", "down").toString()).toBe("0.00000001");
    expect(parseDecimal(fromUser).toString()).toBe("0.000000015");
  });
});
