import { limitOrder, marketOrder, type OrderFilled } from "@gpt/core";
import { D } from "@gpt/quantize";
import { describe, expect, it } from "vitest";
import { PaperEngine } from "./engine.js";
import { PaperEngineError } from "./errors.js";
import { bar, coid, MIN, PERP, PERP2, Recorder, SPOT, STRAT, T0 } from "./testing/fixtures.js";
import type { NegativeEquity, PaperEngineConfig, PositionLiquidated } from "./types.js";

const S = SPOT.id;
const P = PERP.id;
const E = PERP2.id;

function make(
  config: Partial<PaperEngineConfig> & Pick<PaperEngineConfig, "accountType" | "initialBalances">,
) {
  const engine = new PaperEngine({ instruments: config.accountType === "cash" ? [SPOT] : [PERP], ...config });
  return { engine, rec: new Recorder(engine) };
}
const usd = (engine: PaperEngine) => engine.snapshot().balances.find((b) => b.currency === "USD")!;
const fills = (rec: Recorder, id?: string): OrderFilled[] =>
  rec.ofType("OrderFilled").filter((f) => id === undefined || f.clientOrderId === id);

describe("cash account", () => {
  it("holds quote (with the taker fee) for buys and base for sells", () => {
    const { engine, rec } = make({ accountType: "cash", initialBalances: { USD: "1000", BTC: "2" } });
    rec.submit(
      limitOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity: "1", price: "100" }),
    );
    rec.submit(
      limitOrder({ clientOrderId: coid(), instrumentId: S, side: "sell", quantity: "1.5", price: "200" }),
    );
    const snap = engine.snapshot();
    expect(snap.balances.find((b) => b.currency === "USD")).toMatchObject({
      locked: D("100.6"),
      free: D("899.4"),
    });
    expect(snap.balances.find((b) => b.currency === "BTC")).toMatchObject({
      locked: D("1.5"),
      free: D("0.5"),
    });
  });

  it("rejects orders that need more than the free balance", () => {
    const { rec } = make({ accountType: "cash", initialBalances: { USD: "1000", BTC: "1" } });
    rec.submit(
      limitOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity: "9", price: "100" }),
    );
    rec.submit(
      limitOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity: "1", price: "100" }),
    );
    rec.submit(
      limitOrder({ clientOrderId: coid(), instrumentId: S, side: "sell", quantity: "1.1", price: "100" }),
    );
    const rejected = rec.ofType("OrderRejected");
    expect(rejected.map((r) => r.code)).toEqual(["INSUFFICIENT_FUND", "INSUFFICIENT_FUND"]);
    expect(rejected[0]?.reason).toMatch(/need 100.6, free 94.6/);
    rec.replayAll();
  });

  it("rejects a market order before any price is known", () => {
    const { rec } = make({ accountType: "cash", initialBalances: { USD: "1000" } });
    rec.submit(marketOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity: "1" }));
    expect(rec.ofType("OrderRejected")[0]?.code).toBe("NO_PRICE");
  });

  it("clips a market buy that gaps above its hold so the balance never goes negative", () => {
    const { engine, rec } = make({ accountType: "cash", initialBalances: { USD: "1000" } });
    engine.onBar(bar(S, 0, 100, 101, 99, 100));
    const o = rec.submit(marketOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity: "9" }));
    engine.onBar(bar(S, 1, 120, 121, 119, 120));
    const [f] = fills(rec, o);
    expect(f?.lastQty.toString()).toBe("8.2836");
    expect(rec.types(o).at(-1)).toBe("OrderCanceled");
    expect(usd(engine).total.toString()).toBe("0.003808");
    expect(usd(engine).locked.toString()).toBe("0");
    rec.replayAll();
  });

  it("values equity at the last prices and reports the PnL breakdown", () => {
    const { engine, rec } = make({ accountType: "cash", initialBalances: { USD: "10000" } });
    engine.onBar(bar(S, 0, 100, 101, 99, 100));
    rec.submit(marketOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity: "10" }));
    engine.onBar(bar(S, 1, 100, 101, 99, 100));
    rec.submit(marketOrder({ clientOrderId: coid(), instrumentId: S, side: "sell", quantity: "4" }));
    engine.onBar(bar(S, 2, 110, 121, 109, 120));
    const s = engine.snapshot();
    // Bought 10 @ 100 (fee 6), sold 4 @ 110 (fee 2.64); 6 BTC left marked at 120.
    expect(s.realizedPnl.toString()).toBe("40");
    expect(s.commissions.toString()).toBe("8.64");
    expect(s.unrealizedPnl.toString()).toBe("120");
    expect(s.equity.toString()).toBe("10151.36");
    expect(s.netPnl.toString()).toBe("151.36");
    expect(s.equity.minus(10000).eq(s.netPnl)).toBe(true);
  });
});

describe("margin account", () => {
  function longAt100(initial: string, qty: string, extra: Partial<PaperEngineConfig> = {}) {
    const { engine, rec } = make({ accountType: "margin", initialBalances: { USD: initial }, ...extra });
    engine.onBar(bar(P, 0, 100, 101, 99, 100));
    const o = rec.submit(marketOrder({ clientOrderId: coid(), instrumentId: P, side: "buy", quantity: qty }));
    engine.onBar(bar(P, 1, 100, 100.5, 99.8, 100));
    expect(fills(rec, o)[0]?.lastPrice.toString()).toBe("100");
    return { engine, rec };
  }

  it("checks initial margin at the requested leverage", () => {
    const { engine, rec } = make({ accountType: "margin", initialBalances: { USD: "1000" } });
    engine.onBar(bar(P, 0, 100, 101, 99, 100));
    rec.submit(
      limitOrder({
        clientOrderId: coid(),
        instrumentId: P,
        side: "buy",
        quantity: "100",
        price: "100",
        leverage: "5",
      }),
    );
    expect(rec.ofType("OrderRejected")[0]?.reason).toMatch(/insufficient margin: need 2005/);
    rec.submit(
      limitOrder({
        clientOrderId: coid(),
        instrumentId: P,
        side: "buy",
        quantity: "100",
        price: "100",
        leverage: "20",
      }),
    );
    expect(rec.ofType("OrderAccepted")).toHaveLength(1);
    expect(engine.snapshot().marginUsed.toString()).toBe("500");
    rec.replayAll();
  });

  it("books realized PnL, fees and unrealized PnL at the mark", () => {
    const { engine, rec } = longAt100("100000", "2");
    rec.submit(marketOrder({ clientOrderId: coid(), instrumentId: P, side: "sell", quantity: "1" }));
    engine.onBar(bar(P, 2, 110, 111, 104, 105));
    const s = engine.snapshot();
    expect(s.realizedPnl.toString()).toBe("10");
    expect(s.commissions.toString()).toBe("0.155"); // 200 × 0.0005 + 110 × 0.0005
    expect(s.unrealizedPnl.toString()).toBe("5");
    expect(s.balances[0]?.total.toString()).toBe("100009.845");
    expect(s.equity.toString()).toBe("100014.845");
    expect(s.positions[0]?.initialMargin?.toString()).toBe("5.25"); // 105 at 20x
    expect(s.positions[0]?.maintenanceMargin?.toString()).toBe("2.625");
    expect(s.freeMargin.toString()).toBe("100009.595");
  });

  it("liquidates a cross long that trades through its liquidation price, with a fee and a notice", () => {
    const { engine, rec } = longAt100("200", "15");
    const liq = engine.liquidationPrice(P)!;
    expect(liq.toDecimalPlaces(4).toString()).toBe("88.9402"); // (1500 − 199.25) / (15 × 0.975)
    engine.onBar(bar(P, 2, 99, 99.5, 88, 90));
    const [n] = rec.notices as PositionLiquidated[];
    expect(n?.type).toBe("PositionLiquidated");
    expect(n?.price.toString()).toBe("88.9");
    expect(n?.fee.toString()).toBe("6.6675");
    expect(n?.realizedPnl.toString()).toBe("-166.5");
    expect(engine.position(P)?.quantity.isZero()).toBe(true);
    expect(rec.ofType("PositionClosed")).toHaveLength(1);
    const s = engine.snapshot();
    expect(s.balances[0]?.total.toString()).toBe("26.0825");
    expect(s.equity.eq(n!.equityAfter)).toBe(true);
    expect(s.liquidationFees.toString()).toBe("6.6675");
    // cash = initial + realized − commissions + funding + covered deficit
    expect(
      D(200).plus(s.realizedPnl).minus(s.commissions).plus(s.funding).plus(s.deficitCovered).eq(s.equity),
    ).toBe(true);
  });

  it("covers and reports a deficit when a gap liquidates below bankruptcy", () => {
    const { engine, rec } = longAt100("200", "15");
    engine.onBar(bar(P, 2, 80, 82, 79, 81));
    const [liq, neg] = rec.notices as [PositionLiquidated, NegativeEquity];
    expect(liq.price.toString()).toBe("80");
    expect(neg.type).toBe("NegativeEquity");
    expect(neg.deficit.toString()).toBe("106.75");
    const s = engine.snapshot();
    expect(s.equity.toString()).toBe("0");
    expect(s.deficitCovered.toString()).toBe("106.75");
    expect(D(200).plus(s.realizedPnl).minus(s.commissions).plus(s.deficitCovered).eq(s.equity)).toBe(true);
  });

  it("cancels the instrument's open orders when it liquidates", () => {
    const { engine, rec } = longAt100("200", "15");
    const tp = rec.submit(
      limitOrder({ clientOrderId: coid(), instrumentId: P, side: "sell", quantity: "15", price: "120" }),
    );
    engine.onBar(bar(P, 2, 99, 99.5, 88, 90));
    expect(rec.types(tp).at(-1)).toBe("OrderCanceled");
    rec.replayAll();
  });

  it("isolated margin: only the position's margin is at risk", () => {
    const { engine, rec } = longAt100("200", "15", {
      defaultMarginType: "isolated",
      leverage: { [P]: "10" },
    });
    expect(engine.snapshot().balances[0]?.total.toString()).toBe("49.25"); // 200 − 150 margin − 0.75 fee
    expect(engine.liquidationPrice(P)?.toDecimalPlaces(4).toString()).toBe("92.3077");
    engine.onBar(bar(P, 2, 99, 99.5, 92, 93));
    const [n] = rec.notices as PositionLiquidated[];
    expect(n?.price.toString()).toBe("92.3");
    expect(engine.snapshot().balances[0]?.total.toString()).toBe("76.8275");
  });

  it("isolated margin: a gap past bankruptcy costs the margin, the rest is covered", () => {
    const { engine, rec } = longAt100("200", "15", {
      defaultMarginType: "isolated",
      leverage: { [P]: "10" },
    });
    engine.onBar(bar(P, 2, 85, 86, 84, 85));
    const neg = rec.notices.find((n): n is NegativeEquity => n.type === "NegativeEquity");
    expect(neg?.deficit.toString()).toBe("81.375");
    expect(engine.snapshot().balances[0]?.total.toString()).toBe("49.25");
  });

  it("refuses to change margin type or leverage where it would be unsafe", () => {
    const { engine, rec } = longAt100("100000", "1", { defaultMarginType: "isolated" });
    expect(() => engine.setMarginType(P, "cross")).toThrow(PaperEngineError);
    expect(() => engine.setLeverage(P, "5")).toThrow(PaperEngineError);
    rec.submit(
      limitOrder({
        clientOrderId: coid(),
        instrumentId: P,
        side: "buy",
        quantity: "1",
        price: "90",
        leverage: "5",
      }),
    );
    rec.submit(
      limitOrder({
        clientOrderId: coid(),
        instrumentId: P,
        side: "buy",
        quantity: "1",
        price: "90",
        marginType: "cross",
      }),
    );
    expect(rec.ofType("OrderRejected").map((r) => r.code)).toEqual(["LEVERAGE", "MARGIN_TYPE"]);
  });

  it("cross margin: another position's loss moves the liquidation price", () => {
    const { engine, rec } = make({
      accountType: "margin",
      instruments: [PERP, PERP2],
      initialBalances: { USD: "1000" },
    });
    engine.onBar(bar(P, 0, 100, 101, 99, 100));
    engine.onBar(bar(E, 0, 50, 51, 49, 50));
    rec.submit(marketOrder({ clientOrderId: coid(), instrumentId: P, side: "buy", quantity: "50" }));
    rec.submit(marketOrder({ clientOrderId: coid(), instrumentId: E, side: "sell", quantity: "20" }));
    engine.onBar(bar(P, 1, 100, 100.5, 99.5, 100));
    engine.onBar(bar(E, 1, 50, 50.5, 49.5, 50));
    const before = engine.liquidationPrice(P)!;
    engine.onBar(bar(E, 2, 50, 60, 50, 60)); // the short loses 200
    const after = engine.liquidationPrice(P)!;
    expect(after.gt(before)).toBe(true);
    // Moving ETH by 10 moves equity by 200; BTC's liquidation price moves by 200 / (50 × 0.975) plus
    // the change of ETH's maintenance margin (20 × 10 × 0.025 = 5) / 48.75.
    expect(after.minus(before).toDecimalPlaces(6).toString()).toBe(
      D(205).div(48.75).toDecimalPlaces(6).toString(),
    );
    expect(engine.snapshot().positions).toHaveLength(2);
  });
});

describe("funding", () => {
  it("longs pay a positive rate at each funding time, at the mark of that time", () => {
    const { engine, rec } = make({ accountType: "margin", initialBalances: { USD: "100000" } });
    engine.onBar(bar(P, 0, 100, 101, 99, 100));
    rec.submit(marketOrder({ clientOrderId: coid(), instrumentId: P, side: "buy", quantity: "2" }));
    engine.attachFundingSeries(P, [
      { fundingTime: T0 + 2 * MIN, rate: "0.0001" },
      { fundingTime: T0 + 3 * MIN, rate: "-0.0002" },
    ]);
    engine.onBar(bar(P, 1, 100, 111, 99, 110)); // funding at its close: 2 × 110 × 0.0001 paid
    engine.onBar(bar(P, 2, 110, 121, 109, 120)); // 2 × 120 × 0.0002 received
    const funding = rec.ofType("FundingApplied");
    expect(funding.map((f) => f.payment.toString())).toEqual(["-0.022", "0.048"]);
    expect(funding.map((f) => f.markPrice.toString())).toEqual(["110", "120"]);
    expect(funding[0]?.tsEvent).toBe(T0 + 2 * MIN);
    const s = engine.snapshot();
    expect(s.funding.toString()).toBe("0.026");
    expect(s.positions[0]?.position.funding.toString()).toBe("0.026");
  });

  it("shorts receive a positive rate; a rate event at its time pays at once; flat pays nothing", () => {
    const { engine, rec } = make({ accountType: "margin", initialBalances: { USD: "100000" } });
    engine.onBar(bar(P, 0, 100, 101, 99, 100));
    const rate = (t: number, r: number) => ({
      type: "FundingRate" as const,
      instrumentId: P,
      rate: r,
      intervalMs: 8 * 3_600_000,
      fundingTime: t,
      tsEvent: t,
      tsInit: t,
    });
    engine.processFunding(rate(engine.now(), 0.001)); // flat: nothing
    rec.submit(marketOrder({ clientOrderId: coid(), instrumentId: P, side: "sell", quantity: "3" }));
    engine.onBar(bar(P, 1, 100, 101, 99, 100));
    engine.onMarketData(rate(engine.now(), 0.001));
    expect(rec.ofType("FundingApplied").map((f) => f.payment.toString())).toEqual(["0.3"]);
  });

  it("uses the mark price when MarkPrice events arrive", () => {
    const { engine, rec } = make({ accountType: "margin", initialBalances: { USD: "100000" } });
    engine.onBar(bar(P, 0, 100, 101, 99, 100));
    rec.submit(marketOrder({ clientOrderId: coid(), instrumentId: P, side: "buy", quantity: "1" }));
    engine.onBar(bar(P, 1, 100, 101, 99, 100));
    const t = engine.now() + 1000;
    engine.onMarkPrice({ type: "MarkPrice", instrumentId: P, price: 99.5, tsEvent: t, tsInit: t });
    engine.attachFundingSeries(P, [{ fundingTime: t, rate: "0.01" }]);
    engine.advanceTo(t);
    expect(rec.ofType("FundingApplied")[0]?.payment.toString()).toBe("-0.995");
    expect(engine.snapshot().positions[0]?.markPrice.toString()).toBe("99.5");
  });

  it("a mark price through the liquidation price liquidates at the mark", () => {
    const { engine, rec } = make({ accountType: "margin", initialBalances: { USD: "200" } });
    engine.onBar(bar(P, 0, 100, 101, 99, 100));
    rec.submit(marketOrder({ clientOrderId: coid(), instrumentId: P, side: "buy", quantity: "15" }));
    engine.onBar(bar(P, 1, 100, 100.5, 99.8, 100));
    const t = engine.now() + 1;
    engine.onMarkPrice({ type: "MarkPrice", instrumentId: P, price: 88, tsEvent: t, tsInit: t });
    expect((rec.notices[0] as PositionLiquidated).price.toString()).toBe("88");
  });
});

describe("account state and mass status", () => {
  it("reports balances, margins and open orders for reconciliation", async () => {
    const { engine, rec } = make({ accountType: "margin", initialBalances: { USD: "100000" } });
    engine.onBar(bar(P, 0, 100, 101, 99, 100));
    rec.submit(marketOrder({ clientOrderId: coid(), instrumentId: P, side: "buy", quantity: "2" }));
    engine.onBar(bar(P, 1, 100, 101, 99, 100));
    rec.submit(
      limitOrder({ clientOrderId: coid(), instrumentId: P, side: "buy", quantity: "1", price: "90" }),
    );
    const state = engine.accountState();
    expect(state.accountType).toBe("margin");
    expect(state.margins[0]).toMatchObject({ initial: D(10), maintenance: D(5), instrumentId: P });
    const mass = await engine.generateMassStatus();
    expect(mass.orderReports).toHaveLength(1);
    expect(mass.positionReports[0]?.quantity.toString()).toBe("2");
    expect(mass.account?.balances[0]?.currency).toBe("USD");
    const updates = rec.ofType("AccountUpdated");
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.every((u) => u.reported === false)).toBe(true);
  });

  it("refuses bad configurations", () => {
    expect(
      () => new PaperEngine({ accountType: "margin", instruments: [SPOT], initialBalances: { USD: "1" } }),
    ).toThrow(/margin account trades derivatives only/);
    expect(
      () =>
        new PaperEngine({
          accountType: "margin",
          instruments: [PERP],
          initialBalances: { USD: "1", USDC: "1" },
        }),
    ).toThrow(/exactly one collateral/);
    expect(
      () => new PaperEngine({ accountType: "cash", instruments: [SPOT], initialBalances: { USD: "-1" } }),
    ).toThrow(PaperEngineError);
    expect(
      () =>
        new PaperEngine({
          accountType: "margin",
          instruments: [PERP],
          initialBalances: { USD: "1" },
          leverage: { [P]: "50" },
        }),
    ).toThrow(/leverage/);
    expect(() =>
      make({ accountType: "cash", initialBalances: { USD: "1" } }).engine.onBar(bar(P, 0, 1, 1, 1, 1)),
    ).toThrow(/unknown instrument/);
  });
});

describe("time", () => {
  it("uses an injected clock and never goes back", () => {
    let now = T0 + 10_000;
    const engine = new PaperEngine({
      accountType: "cash",
      instruments: [SPOT],
      initialBalances: { USD: "1000" },
      clock: { now: () => now },
    });
    engine.submitOrder({
      type: "SubmitOrder",
      strategyId: STRAT,
      order: limitOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity: "1", price: "90" }),
      tsInit: T0,
    });
    expect(engine.now()).toBe(T0 + 10_000);
    now = T0;
    engine.advanceTo(T0 + 5);
    expect(engine.now()).toBe(T0 + 10_000);
  });
});
