import { D } from "@gpt/quantize";
import { Decimal as GlobalDecimal } from "decimal.js";
import { describe, expect, it } from "vitest";
import { RiskError } from "../errors.js";
import {
  BTC_PERP,
  BTC_USD,
  ETH_PERP,
  input,
  MINUTE,
  nanoBtc,
  position,
  spotBtc,
  T0,
} from "../testing/fixtures.js";
import type { RiskDecision, RiskDenied } from "../types.js";
import {
  checkMaxOpenOrders,
  checkMaxOrderNotional,
  checkMinOrderSize,
  checkOrderRate,
  checkPriceBand,
  checkReduceOnly,
  checkStaleMarketData,
  checkTradingHalted,
  emptyOrderRateWindow,
  isReducingPosition,
  ORDER_RATE_WINDOW_MS,
  ordersInWindow,
  recordOrder,
} from "./checks.js";

function denied(decision: RiskDecision): RiskDenied {
  if (decision.kind !== "denied") throw new Error("expected a denial");
  return decision;
}

describe("isReducingPosition", () => {
  it.each([
    ["1", "0.5", true],
    ["1", "0", true],
    ["-1", "-0.2", true],
    ["-1", "0", true],
    ["1", "1", false],
    ["1", "1.5", false],
    ["1", "-0.5", false],
    ["-1", "0.5", false],
    ["0", "0", false],
    ["0", "1", false],
  ])("%s → %s: %s", (before, after, expected) => {
    expect(isReducingPosition(D(before), D(after))).toBe(expected);
  });
});

describe("checkTradingHalted", () => {
  it("approves when active or reducing, denies everything when halted", () => {
    expect(checkTradingHalted(input()).kind).toBe("approved");
    expect(checkTradingHalted(input({}, { tradingState: "reducing" })).kind).toBe("approved");
    const exit = input(
      { side: "sell", quantity: "1" },
      { tradingState: "halted", positions: [position(BTC_PERP, "1", "50000")] },
    );
    const d = denied(checkTradingHalted(exit));
    expect(d).toMatchObject({
      check: "trading-halted",
      reason: "trading-halted",
      details: { actual: "halted" },
    });
  });
});

describe("checkReduceOnly", () => {
  const long = [position(BTC_PERP, "1", "50000")];

  it("lets everything through when active and no reduce-only applies", () => {
    expect(checkReduceOnly(input({ quantity: "5" })).kind).toBe("approved");
    expect(checkReduceOnly(input({ quantity: "5" }), { reduceOnlyMode: false }).kind).toBe("approved");
  });

  it("in reducing state allows a partial or full close", () => {
    const state = { tradingState: "reducing" as const, positions: long };
    expect(checkReduceOnly(input({ side: "sell", quantity: "0.4" }, state)).kind).toBe("approved");
    expect(checkReduceOnly(input({ side: "sell", quantity: "1" }, state)).kind).toBe("approved");
  });

  it("in reducing state denies growing, flipping and opening", () => {
    const state = { tradingState: "reducing" as const, positions: long };
    const grow = denied(checkReduceOnly(input({ side: "buy", quantity: "0.1" }, state)));
    expect(grow).toMatchObject({
      reason: "reduce-only",
      details: {
        actual: "1.1",
        limit: "1",
        positionQuantity: "1",
        orderQuantity: "0.1",
        tradingState: "reducing",
      },
    });
    const flip = denied(checkReduceOnly(input({ side: "sell", quantity: "1.5" }, state)));
    expect(flip.details.actual).toBe("-0.5");
    const open = denied(
      checkReduceOnly(input({ side: "sell", quantity: "1" }, { tradingState: "reducing" })),
    );
    expect(open.details).toMatchObject({ actual: "-1", limit: "0" });
  });

  it("applies in reduce-only mode and to reduce-only orders while active", () => {
    const mode = denied(
      checkReduceOnly(input({ quantity: "0.1" }, { positions: long }), { reduceOnlyMode: true }),
    );
    expect(mode.message).toContain("reduce-only mode is on");
    const flagged = denied(
      checkReduceOnly(input({ quantity: "0.1", reduceOnly: true }, { positions: long })),
    );
    expect(flagged.message).toContain("the order is reduce-only");
    expect(
      checkReduceOnly(input({ side: "sell", quantity: "0.1", reduceOnly: true }, { positions: long })).kind,
    ).toBe("approved");
  });

  it("a short position is reduced by buying", () => {
    const short = { tradingState: "reducing" as const, positions: [position(BTC_PERP, "-2", "50000")] };
    expect(checkReduceOnly(input({ side: "buy", quantity: "2" }, short)).kind).toBe("approved");
    expect(checkReduceOnly(input({ side: "sell", quantity: "0.1" }, short)).kind).toBe("denied");
  });
});

describe("checkStaleMarketData", () => {
  const limits = { staleMarketDataMs: 30_000 };

  it("approves fresh data, exactly at the limit too", () => {
    expect(checkStaleMarketData(input({}, { tsMark: T0 }), limits).kind).toBe("approved");
    expect(checkStaleMarketData(input({}, { tsMark: T0 - 30_000 }), limits).kind).toBe("approved");
  });

  it("denies a mark older than the limit with the age", () => {
    const d = denied(checkStaleMarketData(input({}, { tsMark: T0 - 30_001 }), limits));
    expect(d).toMatchObject({ reason: "stale-market-data", details: { actual: "30001", limit: "30000" } });
  });

  it("treats a mark from the future within the tolerance (clock skew) as fresh", () => {
    expect(checkStaleMarketData(input({}, { tsMark: T0 + 1_000 }), limits).kind).toBe("approved");
    const wide = { ...limits, markFutureToleranceMs: 10_000 };
    expect(checkStaleMarketData(input({}, { tsMark: T0 + 5_000 }), wide).kind).toBe("approved");
  });

  it("denies a mark dated after now beyond the tolerance (issue #11: a day ahead)", () => {
    const d = denied(checkStaleMarketData(input({}, { tsMark: T0 + 86_400_000 }), limits));
    expect(d).toMatchObject({
      check: "stale-market-data",
      reason: "mark-in-future",
      details: { actual: "86400000", limit: "1000", tsMark: String(T0 + 86_400_000), now: String(T0) },
    });
    expect(d.message).toContain("dated 86400000 ms after now");
    expect(denied(checkStaleMarketData(input({}, { tsMark: T0 + 1_001 }), limits)).reason).toBe(
      "mark-in-future",
    );
    const strict = { ...limits, markFutureToleranceMs: 0 };
    expect(denied(checkStaleMarketData(input({}, { tsMark: T0 + 1 }), strict)).details.limit).toBe("0");
    expect(checkStaleMarketData(input({}, { tsMark: T0 }), strict).kind).toBe("approved");
  });

  it("denies a missing mark or a mark without a timestamp", () => {
    expect(denied(checkStaleMarketData(input({}, { mark: undefined }), limits)).reason).toBe(
      "missing-mark-price",
    );
    expect(denied(checkStaleMarketData(input({}, { tsMark: undefined }), limits)).reason).toBe(
      "missing-mark-price",
    );
  });
});

describe("checkMinOrderSize", () => {
  it("approves a quantity on or above the minimum after quantization", () => {
    // At 100,000 the minimum size is exactly the minimum notional of 10.
    expect(checkMinOrderSize(input({ quantity: "0.0001" }, { mark: "100000" })).kind).toBe("approved");
    expect(checkMinOrderSize(input({ quantity: "0.00019" }, { mark: "100000" })).kind).toBe("approved");
  });

  it("denies a quantity that rounds down below the minimum (with both quantities)", () => {
    const d = denied(checkMinOrderSize(input({ quantity: "0.00009999" })));
    expect(d).toMatchObject({
      reason: "below-min-size",
      details: { actual: "0", limit: "0.0001", requestedQuantity: "0.00009999", sizeIncrement: "0.0001" },
    });
  });

  it("denies a zero quantity", () => {
    expect(denied(checkMinOrderSize(input({ quantity: "0" }))).reason).toBe("below-min-size");
  });

  it("denies a quantity above the instrument maximum", () => {
    expect(denied(checkMinOrderSize(input({ quantity: "1000.0001" }))).reason).toBe("above-max-size");
    expect(checkMinOrderSize(input({ quantity: "1000" })).kind).toBe("approved");
  });

  it("checks the minimum notional at the limit price, else the mark", () => {
    // perp min notional 10: 0.0001 × 50,000 = 5.
    const d = denied(checkMinOrderSize(input({ quantity: "0.0001", price: "50000" })));
    expect(d).toMatchObject({ reason: "below-min-notional", details: { actual: "5", limit: "10" } });
    expect(checkMinOrderSize(input({ quantity: "0.0002", price: "50000" })).kind).toBe("approved");
    expect(denied(checkMinOrderSize(input({ quantity: "0.0001" }))).reason).toBe("below-min-notional");
  });

  it("needs a reference price when the instrument has a minimum notional", () => {
    expect(denied(checkMinOrderSize(input({ quantity: "0.1" }, { mark: undefined }))).reason).toBe(
      "missing-mark-price",
    );
    // ...but not with a limit price.
    expect(checkMinOrderSize(input({ quantity: "0.1", price: "50000" }, { mark: undefined })).kind).toBe(
      "approved",
    );
  });

  it("uses whole contracts for a contract-sized future and counts the contract size in the notional", () => {
    const d = denied(checkMinOrderSize(input({ quantity: "0.9" }, { instrument: nanoBtc })));
    expect(d.details).toMatchObject({ actual: "0", limit: "1", sizeIncrement: "1" });
    expect(checkMinOrderSize(input({ quantity: "1.7" }, { instrument: nanoBtc })).kind).toBe("approved");
  });

  it("spot: the minimum notional is 1 USD", () => {
    const tiny = input({ quantity: "0.00001" }, { instrument: spotBtc, mark: "50000" });
    expect(denied(checkMinOrderSize(tiny))).toMatchObject({
      reason: "below-min-notional",
      details: { actual: "0.5" },
    });
  });
});

describe("checkPriceBand", () => {
  const limits = { priceBandPct: D("0.05") };

  it("approves market orders (no price) and prices inside the band, both edges inclusive", () => {
    expect(checkPriceBand(input(), limits).kind).toBe("approved");
    expect(checkPriceBand(input({ price: "52500" }), limits).kind).toBe("approved");
    expect(checkPriceBand(input({ price: "47500" }), limits).kind).toBe("approved");
  });

  it("denies a price outside the band, either side", () => {
    const above = denied(checkPriceBand(input({ price: "52500.1" }), limits));
    expect(above).toMatchObject({
      reason: "price-band",
      details: {
        actual: "0.050002",
        limit: "0.05",
        price: "52500.1",
        markPrice: "50000",
        direction: "above",
      },
    });
    expect(denied(checkPriceBand(input({ side: "sell", price: "47499.9" }), limits)).details.direction).toBe(
      "below",
    );
  });

  it("denies a priced order without a mark", () => {
    expect(denied(checkPriceBand(input({ price: "50000" }, { mark: undefined }), limits)).reason).toBe(
      "missing-mark-price",
    );
  });
});

describe("checkMaxOrderNotional", () => {
  it("has no cap when unset", () => {
    expect(checkMaxOrderNotional(input({ quantity: "999" }), {}).kind).toBe("approved");
  });

  it("caps quantity × reference price × contract size, inclusive", () => {
    const limits = { maxOrderNotional: D("5000") };
    expect(checkMaxOrderNotional(input({ quantity: "0.1" }), limits).kind).toBe("approved");
    const d = denied(checkMaxOrderNotional(input({ quantity: "0.1001" }), limits));
    expect(d).toMatchObject({
      reason: "max-order-notional",
      details: { actual: "5005", limit: "5000", price: "50000" },
    });
    // The limit price is the reference when given.
    expect(checkMaxOrderNotional(input({ quantity: "0.1001", price: "49000" }), limits).kind).toBe(
      "approved",
    );
    // 0.01 BTC per nano contract: 10 contracts at 50,000 = 5,000.
    expect(checkMaxOrderNotional(input({ quantity: "10" }, { instrument: nanoBtc }), limits).kind).toBe(
      "approved",
    );
    expect(checkMaxOrderNotional(input({ quantity: "11" }, { instrument: nanoBtc }), limits).kind).toBe(
      "denied",
    );
  });

  it("applies to exits too", () => {
    const exit = input({ side: "sell", quantity: "1" }, { positions: [position(BTC_PERP, "1", "50000")] });
    expect(checkMaxOrderNotional(exit, { maxOrderNotional: D("5000") }).kind).toBe("denied");
  });

  it("denies without a reference price", () => {
    expect(
      denied(checkMaxOrderNotional(input({}, { mark: undefined }), { maxOrderNotional: D("1") })).reason,
    ).toBe("missing-mark-price");
  });
});

describe("checkMaxOpenOrders", () => {
  it("allows up to the cap, denies one more", () => {
    expect(checkMaxOpenOrders(input({}, { openOrderCount: 2 }), { maxOpenOrders: 3 }).kind).toBe("approved");
    const d = denied(checkMaxOpenOrders(input({}, { openOrderCount: 3 }), { maxOpenOrders: 3 }));
    expect(d).toMatchObject({
      reason: "max-open-orders",
      details: { actual: "4", limit: "3", openOrderCount: "3" },
    });
  });
});

describe("order rate window", () => {
  it("records and counts in a sliding 60 s window, without mutating the input", () => {
    const empty = emptyOrderRateWindow();
    const one = recordOrder(empty, T0);
    expect(empty.timestamps).toEqual([]);
    const two = recordOrder(one, T0 + 1_000);
    expect(ordersInWindow(two, T0 + 1_000)).toBe(2);
    expect(ordersInWindow(two, T0 + ORDER_RATE_WINDOW_MS - 1)).toBe(2);
    expect(ordersInWindow(two, T0 + ORDER_RATE_WINDOW_MS)).toBe(1);
    expect(ordersInWindow(two, T0 + ORDER_RATE_WINDOW_MS + 1_000)).toBe(0);
  });

  it("drops old entries when recording, keeps the timestamps sorted", () => {
    let w = emptyOrderRateWindow();
    for (let i = 0; i < 5; i++) w = recordOrder(w, T0 + i * 20_000);
    expect(w.timestamps).toEqual([T0 + 40_000, T0 + 60_000, T0 + 80_000]);
    const late = recordOrder(w, T0 + 70_000);
    expect(late.timestamps).toEqual([T0 + 40_000, T0 + 60_000, T0 + 70_000, T0 + 80_000]);
  });

  it("rejects a bad timestamp", () => {
    expect(() => recordOrder(emptyOrderRateWindow(), Number.NaN)).toThrow(RiskError);
    expect(() => ordersInWindow(emptyOrderRateWindow(), -1)).toThrow(RiskError);
  });
});

describe("checkOrderRate", () => {
  it("approves up to the limit and denies one more, with the time until a slot frees", () => {
    let w = emptyOrderRateWindow();
    for (let i = 0; i < 3; i++) w = recordOrder(w, T0 + i * 1_000);
    const limits = { maxOrdersPerMinute: 3 };
    expect(
      checkOrderRate(
        input({}, { now: T0 + 2_000, orderRate: recordOrder(emptyOrderRateWindow(), T0) }),
        limits,
      ).kind,
    ).toBe("approved");
    const d = denied(checkOrderRate(input({}, { now: T0 + 10_000, orderRate: w }), limits));
    expect(d).toMatchObject({
      reason: "order-rate",
      details: { actual: "4", limit: "3", windowMs: "60000", retryAfterMs: "50000" },
    });
    expect(checkOrderRate(input({}, { now: T0 + MINUTE, orderRate: w }), limits).kind).toBe("approved");
  });

  it("treats a missing window as empty", () => {
    expect(checkOrderRate(input(), { maxOrdersPerMinute: 1 }).kind).toBe("approved");
  });
});

describe("input validation", () => {
  it("throws a typed error for NaN, Infinity and malformed amounts", () => {
    const cases = [
      input({ quantity: Number.NaN }),
      input({ quantity: "abc" }),
      input({ price: Number.POSITIVE_INFINITY }),
      input({}, { equity: "NaN" }),
      input({}, { mark: "1e999" }),
      input({}, { positions: [position(ETH_PERP, "nan", "3000")] }),
    ];
    for (const bad of cases) {
      const error = (() => {
        try {
          checkTradingHalted(bad);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(RiskError);
      expect((error as RiskError).code).toBe("invalid-input");
      expect((error as RiskError).name).toBe("RiskError");
    }
  });

  it("names the field at fault", () => {
    expect(() => checkTradingHalted(input({ quantity: Number.NaN }))).toThrow(/order\.quantity/);
    expect(() => checkTradingHalted(input({}, { positions: [position(ETH_PERP, "1", "0")] }))).toThrow(
      /positions\[0\]\.markPrice/,
    );
  });

  it("rejects negative quantities, non-positive prices and marks, bad counts and timestamps", () => {
    expect(() => checkTradingHalted(input({ quantity: "-1" }))).toThrow(RiskError);
    expect(() => checkTradingHalted(input({ price: "0" }))).toThrow(RiskError);
    expect(() => checkTradingHalted(input({}, { mark: "-5" }))).toThrow(RiskError);
    expect(() => checkTradingHalted(input({}, { openOrderCount: -1 }))).toThrow(RiskError);
    expect(() => checkTradingHalted(input({}, { openOrderCount: 1.5 }))).toThrow(RiskError);
    expect(() => checkTradingHalted(input({}, { now: -1 }))).toThrow(RiskError);
    expect(() => checkTradingHalted(input({}, { tsMark: 1.5 }))).toThrow(RiskError);
  });

  it("rejects an order for another instrument and duplicate positions", () => {
    expect(() => checkTradingHalted(input({ instrumentId: BTC_USD }))).toThrow(/order\.instrumentId/);
    expect(() =>
      checkTradingHalted(
        input({}, { positions: [position(ETH_PERP, "1", "3000"), position(ETH_PERP, "2", "3000")] }),
      ),
    ).toThrow(/second position/);
  });

  it("rejects an unknown side or trading state from untyped callers", () => {
    const bad = input();
    expect(() => checkTradingHalted({ ...bad, order: { ...bad.order, side: "long" as never } })).toThrow(
      /order\.side/,
    );
    expect(() => checkTradingHalted({ ...bad, tradingState: "paused" as never })).toThrow(/tradingState/);
  });

  it("accepts Decimals from another decimal.js constructor and computes in full precision", () => {
    GlobalDecimal.set({ precision: 5 });
    try {
      const exact = input({ quantity: new GlobalDecimal("0.123456789") });
      const d = denied(checkMaxOrderNotional(exact, { maxOrderNotional: D("6172.8394") }));
      expect(d.details.actual).toBe("6172.83945");
    } finally {
      GlobalDecimal.set({ precision: 20 });
    }
  });

  it("does not mutate its input", () => {
    const value = input({ quantity: "0.1" }, { positions: [position(ETH_PERP, "1", "3000")] });
    const before = JSON.stringify(value);
    checkMaxOpenOrders(value, { maxOpenOrders: 1 });
    checkReduceOnly(value, { reduceOnlyMode: true });
    expect(JSON.stringify(value)).toBe(before);
  });
});
