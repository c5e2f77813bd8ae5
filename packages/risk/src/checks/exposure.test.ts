import { D } from "@gpt/quantize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RiskError } from "../errors.js";
import { BTC_PERP, ETH_PERP, input, perpEth, position, spotBtc } from "../testing/fixtures.js";
import type { RiskDecision, RiskDenied } from "../types.js";
import {
  checkLiquidationDistance,
  checkMaxLeverage,
  checkMaxPositionNotional,
  checkSideExposure,
  estimateLiquidationPrice,
} from "./checks.js";

function denied(decision: RiskDecision): RiskDenied {
  if (decision.kind !== "denied") throw new Error("expected a denial");
  return decision;
}

describe("checkMaxPositionNotional", () => {
  const perSymbol = { maxPositionNotional: D("100000") };

  it("approves nothing-configured without needing a mark", () => {
    expect(checkMaxPositionNotional(input({ quantity: "999" }, { mark: undefined }), {}).kind).toBe(
      "approved",
    );
  });

  it("caps the position after the order per symbol, inclusive", () => {
    expect(checkMaxPositionNotional(input({ quantity: "2" }), perSymbol).kind).toBe("approved");
    const d = denied(checkMaxPositionNotional(input({ quantity: "2.0001" }), perSymbol));
    expect(d).toMatchObject({
      check: "max-position-notional",
      reason: "max-position-notional",
      details: { actual: "100005", limit: "100000", current: "0", markPrice: "50000" },
    });
  });

  it("adds the order to the existing position", () => {
    const held = { positions: [position(BTC_PERP, "1.5", "50000")] };
    expect(checkMaxPositionNotional(input({ quantity: "0.5" }, held), perSymbol).kind).toBe("approved");
    expect(checkMaxPositionNotional(input({ quantity: "0.6" }, held), perSymbol).kind).toBe("denied");
  });

  it("per-symbol caps by symbol, and by instrument id over symbol", () => {
    const bySymbol = { ...perSymbol, maxPositionNotionalPerSymbol: { "BTC-PERP-INTX": D("50000") } };
    expect(checkMaxPositionNotional(input({ quantity: "1" }), bySymbol).kind).toBe("approved");
    expect(denied(checkMaxPositionNotional(input({ quantity: "1.0001" }), bySymbol)).details.limit).toBe(
      "50000",
    );
    const both = {
      maxPositionNotionalPerSymbol: { "BTC-PERP-INTX": D("50000"), [BTC_PERP]: D("75000") },
    };
    expect(denied(checkMaxPositionNotional(input({ quantity: "2" }), both)).details.limit).toBe("75000");
    // Another symbol falls back to the default cap.
    const eth = input({ quantity: "40" }, { instrument: perpEth, mark: "3000" });
    expect(denied(checkMaxPositionNotional(eth, bySymbol)).details.limit).toBe("100000");
  });

  it("never blocks an order that shrinks a position above the cap, but blocks a flip that grows it", () => {
    const over = { positions: [position(BTC_PERP, "3", "50000")] };
    expect(checkMaxPositionNotional(input({ side: "sell", quantity: "1" }, over), perSymbol).kind).toBe(
      "approved",
    );
    expect(checkMaxPositionNotional(input({ side: "buy", quantity: "0.1" }, over), perSymbol).kind).toBe(
      "denied",
    );
    const long = { positions: [position(BTC_PERP, "1", "50000")] };
    const flip = denied(checkMaxPositionNotional(input({ side: "sell", quantity: "4" }, long), perSymbol));
    expect(flip.details).toMatchObject({ actual: "150000", current: "50000" });
  });

  it("caps the gross notional of all positions (shorts count by size)", () => {
    const limits = { maxTotalNotional: D("200000") };
    const others = { positions: [position(ETH_PERP, "-30", "3000")] };
    expect(checkMaxPositionNotional(input({ quantity: "2.2" }, others), limits).kind).toBe("approved");
    const d = denied(checkMaxPositionNotional(input({ quantity: "2.2001" }, others), limits));
    expect(d).toMatchObject({
      reason: "max-total-notional",
      details: { actual: "200005", current: "90000" },
    });
  });

  it("counts other positions' contract size", () => {
    const limits = { maxTotalNotional: D("100000") };
    const nano = { positions: [position(ETH_PERP, "100", "3000", { contractSize: "0.1" })] };
    expect(checkMaxPositionNotional(input({ quantity: "1.4" }, nano), limits).kind).toBe("approved");
    expect(checkMaxPositionNotional(input({ quantity: "1.4001" }, nano), limits).kind).toBe("denied");
  });

  it("denies without a mark when a cap is configured", () => {
    expect(denied(checkMaxPositionNotional(input({}, { mark: undefined }), perSymbol)).reason).toBe(
      "missing-mark-price",
    );
  });
});

describe("checkMaxLeverage", () => {
  const limits = { maxLeverage: D("5") };

  it("allows up to the cap exactly and denies above (symbol first)", () => {
    expect(checkMaxLeverage(input({ quantity: "10" }), limits).kind).toBe("approved");
    const d = denied(checkMaxLeverage(input({ quantity: "10.0001" }), limits));
    expect(d).toMatchObject({
      reason: "max-symbol-leverage",
      details: {
        actual: "5.00005",
        limit: "5",
        positionNotional: "500005",
        equity: "100000",
        capSource: "config",
      },
    });
  });

  it("uses per-symbol caps", () => {
    const perSymbol = { ...limits, maxLeveragePerSymbol: { "BTC-PERP-INTX": D("2") } };
    expect(checkMaxLeverage(input({ quantity: "4" }), perSymbol).kind).toBe("approved");
    expect(denied(checkMaxLeverage(input({ quantity: "4.0001" }), perSymbol)).details.limit).toBe("2");
  });

  it("never exceeds the instrument's own maximum leverage", () => {
    const d = denied(checkMaxLeverage(input({ quantity: "40.0001" }), { maxLeverage: D("30") }));
    expect(d.details).toMatchObject({ limit: "20", capSource: "instrument" });
  });

  it("caps spot at 1x (no margin)", () => {
    const spot = (quantity: string) => input({ quantity }, { instrument: spotBtc });
    expect(checkMaxLeverage(spot("2"), limits).kind).toBe("approved");
    expect(denied(checkMaxLeverage(spot("2.0001"), limits)).details).toMatchObject({
      limit: "1",
      capSource: "instrument",
    });
  });

  it("caps gross notional / equity for the account", () => {
    const others = { positions: [position(ETH_PERP, "30", "3000")] };
    expect(checkMaxLeverage(input({ quantity: "8.2" }, others), limits).kind).toBe("approved");
    const d = denied(checkMaxLeverage(input({ quantity: "8.2001" }, others), limits));
    expect(d).toMatchObject({
      reason: "max-account-leverage",
      details: { actual: "5.00005", grossNotional: "500005" },
    });
  });

  it("lets an over-leveraged account reduce", () => {
    const over = { positions: [position(BTC_PERP, "20", "50000")] };
    expect(checkMaxLeverage(input({ side: "sell", quantity: "1" }, over), limits).kind).toBe("approved");
    expect(checkMaxLeverage(input({ side: "buy", quantity: "0.0001" }, over), limits).kind).toBe("denied");
  });

  it("with zero or negative equity denies new exposure and allows exits", () => {
    for (const equity of ["0", "-500"]) {
      const d = denied(checkMaxLeverage(input({ quantity: "0.1" }, { equity }), limits));
      expect(d).toMatchObject({ reason: "non-positive-equity", details: { actual: equity, limit: "0" } });
      const exit = input(
        { side: "sell", quantity: "0.5" },
        { equity, positions: [position(BTC_PERP, "1", "50000")] },
      );
      expect(checkMaxLeverage(exit, limits).kind).toBe("approved");
    }
  });

  it("denies without a mark", () => {
    expect(denied(checkMaxLeverage(input({}, { mark: undefined }), limits)).reason).toBe(
      "missing-mark-price",
    );
  });
});

describe("checkSideExposure", () => {
  const limits = { maxNetLongNotional: D("150000"), maxNetShortNotional: D("150000") };

  it("approves without caps", () => {
    expect(checkSideExposure(input({ quantity: "1000" }, { mark: undefined }), {}).kind).toBe("approved");
  });

  it("caps the net long exposure across instruments", () => {
    const ethLong = { positions: [position(ETH_PERP, "30", "3000")] };
    expect(checkSideExposure(input({ quantity: "1.2" }, ethLong), limits).kind).toBe("approved");
    const d = denied(checkSideExposure(input({ quantity: "1.2001" }, ethLong), limits));
    expect(d).toMatchObject({
      reason: "max-side-exposure",
      details: { actual: "150005", limit: "150000", current: "90000", side: "long" },
    });
  });

  it("nets hedges: a short elsewhere leaves room for a larger long", () => {
    const ethShort = { positions: [position(ETH_PERP, "-30", "3000")] };
    expect(checkSideExposure(input({ quantity: "4.8" }, ethShort), limits).kind).toBe("approved");
    expect(checkSideExposure(input({ quantity: "4.8001" }, ethShort), limits).kind).toBe("denied");
  });

  it("caps the net short exposure", () => {
    const ethShort = { positions: [position(ETH_PERP, "-30", "3000")] };
    expect(checkSideExposure(input({ side: "sell", quantity: "1.2" }, ethShort), limits).kind).toBe(
      "approved",
    );
    const d = denied(checkSideExposure(input({ side: "sell", quantity: "1.2001" }, ethShort), limits));
    expect(d.details).toMatchObject({ actual: "150005", side: "short" });
  });

  it("approves orders that move the net exposure toward zero, even beyond a cap", () => {
    const veryShort = { positions: [position(ETH_PERP, "-100", "3000")] };
    expect(checkSideExposure(input({ side: "buy", quantity: "0.5" }, veryShort), limits).kind).toBe(
      "approved",
    );
    expect(checkSideExposure(input({ side: "sell", quantity: "0.5" }, veryShort), limits).kind).toBe(
      "denied",
    );
  });
});

describe("estimateLiquidationPrice", () => {
  it("long and short at 5x on 100,000 equity with a 2.5 % maintenance fraction", () => {
    const long = estimateLiquidationPrice({
      quantity: "10",
      markPrice: "50000",
      equity: "100000",
      maintenanceMarginFraction: "0.025",
    });
    expect(long?.toFixed(6)).toBe("41025.641026");
    const short = estimateLiquidationPrice({
      quantity: "-10",
      markPrice: "50000",
      equity: "100000",
      maintenanceMarginFraction: "0.025",
    });
    expect(short?.toFixed(6)).toBe("58536.585366");
  });

  it("returns undefined for a flat position and 0 for a long that cannot be liquidated", () => {
    const base = { markPrice: "50000", equity: "100000", maintenanceMarginFraction: "0.025" };
    expect(estimateLiquidationPrice({ ...base, quantity: "0" })).toBeUndefined();
    expect(estimateLiquidationPrice({ ...base, quantity: "1" })?.toString()).toBe("0");
  });

  it("counts the contract size and the other positions' margin", () => {
    const plain = estimateLiquidationPrice({
      quantity: "1000",
      markPrice: "50000",
      equity: "100000",
      maintenanceMarginFraction: "0.025",
      contractSize: "0.01",
    });
    expect(plain?.toFixed(6)).toBe("41025.641026");
    const withOthers = estimateLiquidationPrice({
      quantity: "10",
      markPrice: "50000",
      equity: "100000",
      maintenanceMarginFraction: "0.025",
      otherMaintenanceMargin: "50000",
    });
    expect(withOthers?.toFixed(6)).toBe("46153.846154");
  });

  it("rejects NaN and non-positive marks", () => {
    expect(() =>
      estimateLiquidationPrice({
        quantity: "1",
        markPrice: "0",
        equity: "1",
        maintenanceMarginFraction: "0.1",
      }),
    ).toThrow(RiskError);
    expect(() =>
      estimateLiquidationPrice({
        quantity: Number.NaN,
        markPrice: "1",
        equity: "1",
        maintenanceMarginFraction: "0.1",
      }),
    ).toThrow(RiskError);
  });

  it("property: at the estimated price, equity equals the maintenance margin", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100_000, max: 100_000 }).filter((q) => q !== 0),
        fc.integer({ min: 1_000, max: 10_000_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (qMilli, markCents, equity, mmrThousandths, other) => {
          const quantity = D(qMilli).div(1000);
          const mark = D(markCents).div(100);
          const mmr = D(mmrThousandths).div(1000);
          const liq = estimateLiquidationPrice({
            quantity,
            markPrice: mark,
            equity,
            maintenanceMarginFraction: mmr,
            otherMaintenanceMargin: other,
          });
          if (liq === undefined) return false;
          if (liq.isZero()) {
            // A long whose equity covers everything down to a zero price.
            return quantity.gt(0) && D(equity).minus(quantity.times(mark)).gte(other);
          }
          if (quantity.lt(0) && liq.eq(mark) && D(equity).plus(quantity.abs().times(mark)).lte(other)) {
            // A short that is under-margined at every price: liquidated now.
            return true;
          }
          const equityThere = D(equity).plus(quantity.times(liq.minus(mark)));
          const margin = quantity.abs().times(liq).times(mmr).plus(other);
          return equityThere.minus(margin).abs().lt("1e-20");
        },
      ),
    );
  });
});

describe("checkLiquidationDistance", () => {
  const limits = { minLiquidationDistancePct: D("0.1") };

  it("approves a 5x long (liquidation ~18 % away) and denies a 10x one (~7.7 %)", () => {
    expect(checkLiquidationDistance(input({ quantity: "10" }), limits).kind).toBe("approved");
    const d = denied(checkLiquidationDistance(input({ quantity: "20" }), limits));
    expect(d).toMatchObject({
      reason: "liquidation-distance",
      details: { limit: "0.1", markPrice: "50000", source: "estimate" },
    });
    expect(d.details.actual).toBe("0.076923076923");
    expect(d.details.liquidationPrice).toMatch(/^46153\.846153/);
  });

  it("the boundary: distance exactly at the limit passes", () => {
    // (50,000·q − 100,000) / (0.975·q) = 45,000  ⇔  q = 100,000 / 6,125, not on a nice number;
    // use equity 6,125 and q = 1 instead: (50,000 − 6,125) / 0.975 = 45,000.
    expect(checkLiquidationDistance(input({ quantity: "1" }, { equity: "6125" }), limits).kind).toBe(
      "approved",
    );
    expect(checkLiquidationDistance(input({ quantity: "1" }, { equity: "6124.99" }), limits).kind).toBe(
      "denied",
    );
  });

  it("checks shorts", () => {
    expect(checkLiquidationDistance(input({ side: "sell", quantity: "10" }), limits).kind).toBe("approved");
    expect(checkLiquidationDistance(input({ side: "sell", quantity: "20" }), limits).kind).toBe("denied");
  });

  it("uses the venue's liquidation price when it is closer", () => {
    const held = { positions: [position(BTC_PERP, "2", "50000", { liquidationPrice: "48000" })] };
    const d = denied(checkLiquidationDistance(input({ quantity: "0.1" }, held), limits));
    expect(d.details).toMatchObject({ actual: "0.04", liquidationPrice: "48000", source: "venue" });
  });

  it("ignores the venue's price of a position the order flips", () => {
    const held = { positions: [position(BTC_PERP, "2", "50000", { liquidationPrice: "48000" })] };
    expect(checkLiquidationDistance(input({ side: "sell", quantity: "3" }, held), limits).kind).toBe(
      "approved",
    );
  });

  it("counts the other positions' maintenance margin", () => {
    expect(
      checkLiquidationDistance(input({ quantity: "10" }, { maintenanceMargin: "50000" }), limits).kind,
    ).toBe("denied");
  });

  it("approves orders that shrink a position, spot orders, and everything when switched off", () => {
    const risky = { positions: [position(BTC_PERP, "30", "50000", { liquidationPrice: "49000" })] };
    expect(checkLiquidationDistance(input({ side: "sell", quantity: "1" }, risky), limits).kind).toBe(
      "approved",
    );
    expect(checkLiquidationDistance(input({ side: "sell", quantity: "30" }, risky), limits).kind).toBe(
      "approved",
    );
    expect(
      checkLiquidationDistance(input({ quantity: "1.9" }, { instrument: spotBtc, equity: "1" }), limits).kind,
    ).toBe("approved");
    expect(
      checkLiquidationDistance(input({ quantity: "100" }), { minLiquidationDistancePct: D("0") }).kind,
    ).toBe("approved");
  });

  it("denies new exposure with zero equity and without a mark", () => {
    expect(checkLiquidationDistance(input({ quantity: "0.1" }, { equity: "0" }), limits).kind).toBe("denied");
    expect(denied(checkLiquidationDistance(input({}, { mark: undefined }), limits)).reason).toBe(
      "missing-mark-price",
    );
  });
});
