import { D, type Decimal, roundSize } from "@gpt/quantize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emptyOrderRateWindow, recordOrder } from "./checks/checks.js";
import { parseRiskConfig } from "./config.js";
import { collectPreTradeDenials, PRE_TRADE_CHECK_ORDER, runPreTradeChecks } from "./pre-trade.js";
import { BTC_PERP, ETH_PERP, input, perpBtc, position, T0, testConfig } from "./testing/fixtures.js";
import type {
  PreTradeCheckName,
  PreTradeInput,
  RiskDecision,
  RiskReasonCode,
  TradingState,
} from "./types.js";

function run(value: PreTradeInput, config = testConfig()): RiskDecision {
  const { portfolio, ...context } = value;
  return runPreTradeChecks(context, portfolio, config);
}

describe("runPreTradeChecks", () => {
  it("approves an ordinary order", () => {
    expect(run(input({ quantity: "0.5", price: "50100" }))).toEqual({ kind: "approved" });
  });

  it("runs every check once, in the documented order", () => {
    expect(new Set(PRE_TRADE_CHECK_ORDER).size).toBe(PRE_TRADE_CHECK_ORDER.length);
    expect(PRE_TRADE_CHECK_ORDER).toHaveLength(13);
    expect(PRE_TRADE_CHECK_ORDER[0]).toBe("trading-halted");
    expect(PRE_TRADE_CHECK_ORDER.at(-1)).toBe("liquidation-distance");
  });

  const window = Array.from({ length: 60 }, (_, i) => T0 - i * 100)
    .reverse()
    .reduce(recordOrder, emptyOrderRateWindow());

  it.each<[string, PreTradeInput, PreTradeCheckName, RiskReasonCode]>([
    ["halted", input({}, { tradingState: "halted" }), "trading-halted", "trading-halted"],
    ["reducing", input({}, { tradingState: "reducing" }), "reduce-only", "reduce-only"],
    ["stale", input({}, { tsMark: T0 - 60_000 }), "stale-market-data", "stale-market-data"],
    ["no mark", input({}, { mark: undefined }), "stale-market-data", "missing-mark-price"],
    ["future mark", input({}, { tsMark: T0 + 86_400_000 }), "stale-market-data", "mark-in-future"],
    ["off tick", input({ price: "50100.05" }), "order-increments", "price-off-tick"],
    ["off step", input({ quantity: "0.00015" }), "order-increments", "size-off-step"],
    ["dust", input({ quantity: "0" }), "min-order-size", "below-min-size"],
    ["fat finger", input({ price: "60000" }), "price-band", "price-band"],
    ["big order", input({ quantity: "1.1" }), "max-order-notional", "max-order-notional"],
    ["open orders", input({}, { openOrderCount: 50 }), "max-open-orders", "max-open-orders"],
    ["rate", input({}, { orderRate: window }), "order-rate", "order-rate"],
    [
      "position",
      input({ quantity: "1" }, { positions: [position(BTC_PERP, "1.5", "50000")] }),
      "max-position-notional",
      "max-position-notional",
    ],
    [
      "leverage",
      input({ quantity: "0.5" }, { equity: "10000", positions: [position(ETH_PERP, "10", "3000")] }),
      "max-leverage",
      "max-account-leverage",
    ],
    [
      "side",
      input({ quantity: "1" }, { positions: [position(ETH_PERP, "35", "3000")], equity: "1000000" }),
      "side-exposure",
      "max-side-exposure",
    ],
    [
      "liquidation",
      input(
        { quantity: "0.1" },
        { positions: [position(BTC_PERP, "0.1", "50000", { liquidationPrice: "48000" })] },
      ),
      "liquidation-distance",
      "liquidation-distance",
    ],
  ])("%s is denied by the right check", (_name, value, check, reason) => {
    const decision = run(value);
    expect(decision).toMatchObject({ kind: "denied", check, reason });
  });

  it("takes the future-mark tolerance from the configuration", () => {
    const ahead = input({}, { tsMark: T0 + 5_000 });
    expect(run(ahead)).toMatchObject({ reason: "mark-in-future", details: { limit: "1000" } });
    expect(run(ahead, testConfig({ markFutureToleranceMs: 5_000 }))).toEqual({ kind: "approved" });
  });

  it("returns the first denial; collectPreTradeDenials returns all, in order", () => {
    const bad = input(
      { quantity: "2.5", price: "70000" },
      { tradingState: "halted", tsMark: T0 - 60_000, openOrderCount: 99 },
    );
    const { portfolio, ...context } = bad;
    expect(runPreTradeChecks(context, portfolio, testConfig())).toMatchObject({ check: "trading-halted" });
    const all = collectPreTradeDenials(context, portfolio, testConfig());
    expect(all.map((d) => d.check)).toEqual([
      "trading-halted",
      "reduce-only",
      "stale-market-data",
      "price-band",
      "max-order-notional",
      "max-open-orders",
      "max-position-notional",
    ]);
    const fine = input({ quantity: "0.1" });
    const { portfolio: p2, ...c2 } = fine;
    expect(collectPreTradeDenials(c2, p2, testConfig())).toEqual([]);
  });

  it("respects reduce-only mode from the config", () => {
    const config = testConfig({ reduceOnlyMode: true });
    expect(run(input({ quantity: "0.1" }), config)).toMatchObject({ reason: "reduce-only" });
    const exit = input(
      { side: "sell", quantity: "0.1" },
      { positions: [position(BTC_PERP, "0.5", "50000")] },
    );
    expect(run(exit, config).kind).toBe("approved");
  });

  it("lets exits through in a stressed account (over caps, zero equity)", () => {
    const stressed = input(
      { side: "sell", quantity: "0.5" },
      { equity: "0", positions: [position(BTC_PERP, "5", "50000"), position(ETH_PERP, "100", "3000")] },
    );
    expect(run(stressed, testConfig())).toEqual({ kind: "approved" });
  });
});

// ------------------------------------------------------------------ properties

const BTC_STEP = D("0.0001");

interface Scenario {
  readonly value: PreTradeInput;
  readonly configInput: Parameters<typeof testConfig>[0];
}

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    side: fc.constantFrom("buy" as const, "sell" as const),
    quantity: fc.integer({ min: 0, max: 60_000 }), // × 0.0001 BTC, up to 6 BTC
    withPrice: fc.boolean(),
    priceOffsetBps: fc.integer({ min: -800, max: 800 }),
    mark: fc.integer({ min: 20_000, max: 80_000 }),
    equity: fc.integer({ min: -20_000, max: 400_000 }),
    btcPosition: fc.integer({ min: -80_000, max: 80_000 }), // × 0.0001
    ethPosition: fc.integer({ min: -200, max: 200 }),
    openOrderCount: fc.integer({ min: 0, max: 60 }),
    tradingState: fc.constantFrom<TradingState>("active", "active", "active", "reducing", "halted"),
    reduceOnly: fc.boolean(),
    caps: fc.record({
      maxLeverage: fc.integer({ min: 1, max: 10 }),
      maxPositionNotional: fc.option(fc.integer({ min: 10_000, max: 300_000 }), { nil: undefined }),
      maxTotalNotional: fc.option(fc.integer({ min: 10_000, max: 600_000 }), { nil: undefined }),
      maxOrderNotional: fc.option(fc.integer({ min: 5_000, max: 300_000 }), { nil: undefined }),
      maxNetLongNotional: fc.option(fc.integer({ min: 10_000, max: 400_000 }), { nil: undefined }),
      maxNetShortNotional: fc.option(fc.integer({ min: 10_000, max: 400_000 }), { nil: undefined }),
      priceBandBps: fc.integer({ min: 10, max: 1_000 }),
      minLiquidationDistanceBps: fc.integer({ min: 0, max: 3_000 }),
      reduceOnlyMode: fc.boolean(),
    }),
  })
  .map((g) => {
    const mark = String(g.mark);
    const price = D(g.mark)
      .times(D(10_000 + g.priceOffsetBps).div(10_000))
      .toDecimalPlaces(1)
      .toString();
    const positions = [];
    if (g.btcPosition !== 0)
      positions.push(position(BTC_PERP, D(g.btcPosition).times(BTC_STEP).toString(), mark));
    if (g.ethPosition !== 0) positions.push(position(ETH_PERP, String(g.ethPosition), "3000"));
    const value = input(
      {
        side: g.side,
        quantity: D(g.quantity).times(BTC_STEP).toString(),
        ...(g.withPrice ? { price } : {}),
        reduceOnly: g.reduceOnly,
      },
      {
        mark,
        equity: String(g.equity),
        positions,
        openOrderCount: g.openOrderCount,
        tradingState: g.tradingState,
      },
    );
    const c = g.caps;
    const configInput = {
      maxLeverage: c.maxLeverage,
      maxPositionNotional: c.maxPositionNotional,
      maxTotalNotional: c.maxTotalNotional,
      maxOrderNotional: c.maxOrderNotional,
      maxNetLongNotional: c.maxNetLongNotional,
      maxNetShortNotional: c.maxNetShortNotional,
      priceBandPct: D(c.priceBandBps).div(10_000).toString(),
      minLiquidationDistancePct: D(c.minLiquidationDistanceBps).div(10_000).toString(),
      reduceOnlyMode: c.reduceOnlyMode,
    };
    return { value, configInput };
  });

/** Independent recomputation of the exposure numbers of a scenario. */
function exposure(value: PreTradeInput) {
  const mark = D(value.market.markPrice as string);
  const btcBefore = D(
    (value.portfolio.positions.find((p) => p.instrumentId === BTC_PERP)?.quantity as string) ?? "0",
  );
  const eth = D(
    (value.portfolio.positions.find((p) => p.instrumentId === ETH_PERP)?.quantity as string) ?? "0",
  ).times(3000);
  const qty = D(value.order.quantity as string);
  const btcAfter = value.order.side === "buy" ? btcBefore.plus(qty) : btcBefore.minus(qty);
  const notional = (q: Decimal) => q.abs().times(mark);
  return {
    mark,
    qty,
    equity: D(value.portfolio.equity as string),
    btcBefore,
    btcAfter,
    symbolBefore: notional(btcBefore),
    symbolAfter: notional(btcAfter),
    grossBefore: notional(btcBefore).plus(eth.abs()),
    grossAfter: notional(btcAfter).plus(eth.abs()),
    netBefore: btcBefore.times(mark).plus(eth),
    netAfter: btcAfter.times(mark).plus(eth),
  };
}

const capOk = (cap: Decimal | undefined, before: Decimal, after: Decimal) =>
  cap === undefined || after.lte(cap) || after.lte(before);

describe("pre-trade properties", () => {
  it("an approved order never exceeds a configured cap (unless it shrinks what the cap measures)", () => {
    let approvals = 0;
    fc.assert(
      fc.property(scenarioArb, ({ value, configInput }) => {
        const config = testConfig(configInput);
        if (run(value, config).kind !== "approved") return true;
        approvals += 1;
        const x = exposure(value);
        const refPrice = value.order.price === undefined ? x.mark : D(value.order.price as string);
        const orderNotional = x.qty.times(refPrice);
        const symbolLeverageCap = D.min(
          config.maxLeverage,
          perpBtc.kind === "spot" ? 1 : perpBtc.maxLeverage,
        );
        const checks = [
          value.tradingState !== "halted",
          config.maxOrderNotional === undefined || orderNotional.lte(config.maxOrderNotional),
          capOk(config.maxPositionNotional, x.symbolBefore, x.symbolAfter),
          capOk(config.maxTotalNotional, x.grossBefore, x.grossAfter),
          capOk(config.maxNetLongNotional, x.netBefore, x.netAfter),
          capOk(config.maxNetShortNotional, x.netBefore.neg(), x.netAfter.neg()),
          value.portfolio.openOrderCount + 1 <= config.maxOpenOrders,
          roundSize(x.qty, perpBtc.sizeIncrement).gte(perpBtc.minSize),
          value.order.price === undefined ||
            refPrice.minus(x.mark).abs().div(x.mark).lte(config.priceBandPct),
          x.equity.gt(0)
            ? capOk(symbolLeverageCap.times(x.equity), x.symbolBefore, x.symbolAfter) &&
              capOk(config.maxLeverage.times(x.equity), x.grossBefore, x.grossAfter)
            : x.symbolAfter.lte(x.symbolBefore) && x.grossAfter.lte(x.grossBefore),
        ];
        return checks.every(Boolean);
      }),
      { numRuns: 600 },
    );
    // The property must not pass vacuously.
    expect(approvals).toBeGreaterThan(30);
  });

  it("in the reducing state (or reduce-only mode) no approved order increases |exposure| or flips", () => {
    let approvals = 0;
    fc.assert(
      fc.property(scenarioArb, fc.boolean(), ({ value, configInput }, viaMode) => {
        const reducing: PreTradeInput = viaMode
          ? { ...value, tradingState: "active" }
          : { ...value, tradingState: "reducing" };
        const config = testConfig({ ...configInput, reduceOnlyMode: viaMode });
        if (run(reducing, config).kind !== "approved") return true;
        approvals += 1;
        const x = exposure(reducing);
        const sameSideOrFlat = x.btcAfter.isZero() || x.btcAfter.isNegative() === x.btcBefore.isNegative();
        return (
          !x.btcBefore.isZero() &&
          sameSideOrFlat &&
          x.btcAfter.abs().lt(x.btcBefore.abs()) &&
          x.grossAfter.lt(x.grossBefore)
        );
      }),
      { numRuns: 600 },
    );
    expect(approvals).toBeGreaterThan(30);
  });

  it("a halted state approves nothing", () => {
    fc.assert(
      fc.property(scenarioArb, ({ value, configInput }) => {
        return run({ ...value, tradingState: "halted" }, testConfig(configInput)).kind === "denied";
      }),
      { numRuns: 200 },
    );
  });

  it("the first denial is the first of all denials", () => {
    fc.assert(
      fc.property(scenarioArb, ({ value, configInput }) => {
        const config = testConfig(configInput);
        const { portfolio, ...context } = value;
        const first = runPreTradeChecks(context, portfolio, config);
        const all = collectPreTradeDenials(context, portfolio, config);
        return first.kind === "approved" ? all.length === 0 : all[0]?.check === first.check;
      }),
      { numRuns: 300 },
    );
  });
});

describe("config defaults with the pre-trade runner", () => {
  it("the default config has no notional caps but still checks leverage", () => {
    const config = parseRiskConfig({});
    const value = input({ quantity: "10.1" });
    const { portfolio, ...context } = value;
    expect(runPreTradeChecks(context, portfolio, config)).toMatchObject({ reason: "max-symbol-leverage" });
  });
});
