import { D, roundPrice, roundSize } from "@gpt/quantize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RiskError } from "../errors.js";
import { BTC_USD, input, nanoBtc, perpBtc, spotBtc } from "../testing/fixtures.js";
import type { RiskDecision, RiskDenied } from "../types.js";
import { checkOrderIncrements } from "./increments.js";

function denied(decision: RiskDecision): RiskDenied {
  if (decision.kind !== "denied") throw new Error(`expected a denial, got ${decision.kind}`);
  return decision;
}

describe("checkOrderIncrements", () => {
  it("approves prices on the tick and quantities on the step, market orders included", () => {
    expect(checkOrderIncrements(input({ quantity: "0.0105", price: "60000.1" })).kind).toBe("approved");
    expect(checkOrderIncrements(input({ quantity: "0.0105" })).kind).toBe("approved");
    expect(checkOrderIncrements(input({ quantity: "0" })).kind).toBe("approved");
    expect(
      checkOrderIncrements(
        input({ quantity: "3", price: "50005", triggerPrice: "49995" }, { instrument: nanoBtc }),
      ).kind,
    ).toBe("approved");
  });

  it("denies the trial's 60000.05 on a 0.1 tick, naming the increment and the value", () => {
    const d = denied(checkOrderIncrements(input({ quantity: "0.01", price: "60000.05" })));
    expect(d).toMatchObject({
      check: "order-increments",
      reason: "price-off-tick",
      details: {
        actual: "60000.05",
        limit: "0.1",
        field: "price",
        priceIncrement: "0.1",
        nearestBelow: "60000",
        nearestAbove: "60000.1",
      },
    });
    expect(d.message).toBe(
      "limit price 60000.05 of BTC-PERP-INTX.COINBASE is not a multiple of the tick 0.1 (nearest: 60000 or 60000.1)",
    );
  });

  it("denies the trial's 0.0105 on a 0.001 step", () => {
    const step001 = { ...spotBtc, sizeIncrement: D("0.001"), minSize: D("0.001") };
    const d = denied(
      checkOrderIncrements(input({ instrumentId: BTC_USD, quantity: "0.0105" }, { instrument: step001 })),
    );
    expect(d).toMatchObject({
      check: "order-increments",
      reason: "size-off-step",
      details: {
        actual: "0.0105",
        limit: "0.001",
        field: "quantity",
        sizeIncrement: "0.001",
        nearestBelow: "0.01",
        nearestAbove: "0.011",
      },
    });
    expect(d.message).toContain(
      "quantity 0.0105 of BTC-USD.COINBASE is not a multiple of the size step 0.001",
    );
  });

  it("denies an off-tick stop trigger price", () => {
    const d = denied(
      checkOrderIncrements(input({ quantity: "2", triggerPrice: "49997" }, { instrument: nanoBtc })),
    );
    expect(d).toMatchObject({
      reason: "price-off-tick",
      details: {
        actual: "49997",
        limit: "5",
        field: "triggerPrice",
        nearestBelow: "49995",
        nearestAbove: "50000",
      },
    });
    expect(d.message).toMatch(/^trigger price 49997 /);
  });

  it("reports the price before the size when both are off", () => {
    expect(denied(checkOrderIncrements(input({ quantity: "0.00015", price: "50000.01" }))).reason).toBe(
      "price-off-tick",
    );
  });

  it("throws RiskError for a malformed trigger price", () => {
    expect(() => checkOrderIncrements(input({ triggerPrice: "-1" }))).toThrow(RiskError);
    expect(() => checkOrderIncrements(input({ triggerPrice: Number.NaN }))).toThrow(RiskError);
  });

  it("approves exactly the amounts that quantize leaves unchanged (property)", () => {
    const amount = fc
      .tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 6 }))
      .map(([n, scale]) => D(n).div(D(10).pow(scale)));
    fc.assert(
      fc.property(amount, amount, (quantity, price) => {
        const onGrid =
          roundSize(quantity, perpBtc.sizeIncrement).eq(quantity) &&
          roundPrice(price, perpBtc.priceIncrement, "buy").eq(price);
        const decision = checkOrderIncrements(input({ quantity, price }));
        expect(decision.kind === "approved").toBe(onGrid);
      }),
    );
  });
});
