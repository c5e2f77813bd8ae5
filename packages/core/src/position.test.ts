import { D, type Decimal } from "@gpt/quantize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PositionError } from "./errors.js";
import { positionId, tradeId } from "./ids.js";
import type { OrderSide } from "./orders.js";
import {
  applyFill,
  applyFunding,
  COST_BASIS_DECIMALS,
  createPositionEvent,
  flatPosition,
  fundingPayment,
  netPnl,
  notional,
  type Position,
  type PositionFill,
  unrealizedPnl,
} from "./position.js";
import { BTC_USD, OTHER_INSTRUMENT } from "./test-support.js";

let ts = 0;
function fill(side: OrderSide, qty: string, price: string, commission = "0"): PositionFill {
  ts += 1;
  return {
    instrumentId: BTC_USD,
    side,
    lastQty: D(qty),
    lastPrice: D(price),
    commission: D(commission),
    commissionCurrency: "USD",
    tsEvent: ts,
    tradeId: tradeId(`T${ts}`),
  };
}

function run(fills: PositionFill[], contractSize?: string): Position {
  let p: Position | undefined;
  for (const f of fills) p = applyFill(p, f, contractSize === undefined ? {} : { contractSize });
  if (p === undefined) throw new Error("no fills");
  return p;
}

const s = (d: Decimal) => d.toString();

describe("applyFill scenarios", () => {
  it("opens a long", () => {
    const p = applyFill(undefined, fill("buy", "2", "100", "0.2"));
    expect(p.side).toBe("long");
    expect(s(p.quantity)).toBe("2");
    expect(s(p.avgEntryPrice)).toBe("100");
    expect(s(p.costBasis)).toBe("200");
    expect(s(p.realizedPnl)).toBe("0");
    expect(s(p.commissions)).toBe("0.2");
    expect(p.currency).toBe("USD");
    expect(p.tsOpened).toBe(ts);
    expect(p.fillCount).toBe(1);
  });

  it("adds at a weighted average entry", () => {
    const p = run([fill("buy", "1", "100"), fill("buy", "3", "200")]);
    expect(s(p.quantity)).toBe("4");
    expect(s(p.avgEntryPrice)).toBe("175");
    expect(s(p.buyQty)).toBe("4");
  });

  it("realizes PnL on a partial close and keeps the entry price", () => {
    const p = run([fill("buy", "4", "100"), fill("sell", "1", "130", "0.1")]);
    expect(s(p.quantity)).toBe("3");
    expect(s(p.avgEntryPrice)).toBe("100");
    expect(s(p.realizedPnl)).toBe("30");
    expect(s(p.commissions)).toBe("0.1");
    expect(s(p.sellQty)).toBe("1");
  });

  it("closes fully and goes flat", () => {
    const p = run([fill("buy", "2", "100"), fill("sell", "2", "90")]);
    expect(p.side).toBe("flat");
    expect(p.quantity.isZero()).toBe(true);
    expect(p.costBasis.isZero()).toBe(true);
    expect(p.avgEntryPrice.isZero()).toBe(true);
    expect(s(p.realizedPnl)).toBe("-20");
    expect(p.tsOpened).toBeUndefined();
    expect(p.tsClosed).toBe(ts);
  });

  it("flips through zero: closes the old side and opens the rest at the fill price", () => {
    const p = run([fill("buy", "2", "100"), fill("sell", "5", "110")]);
    expect(p.side).toBe("short");
    expect(s(p.quantity)).toBe("-3");
    expect(s(p.avgEntryPrice)).toBe("110");
    expect(s(p.realizedPnl)).toBe("20");
    expect(p.tsOpened).toBe(ts);
    expect(p.tsClosed).toBeUndefined();
    const back = applyFill(p, fill("buy", "4", "100"));
    expect(back.side).toBe("long");
    expect(s(back.quantity)).toBe("1");
    expect(s(back.avgEntryPrice)).toBe("100");
    expect(s(back.realizedPnl)).toBe("50");
  });

  it("shorts profit when the price falls", () => {
    const p = run([fill("sell", "2", "100"), fill("sell", "2", "120"), fill("buy", "1", "90")]);
    expect(s(p.avgEntryPrice)).toBe("110");
    expect(s(p.realizedPnl)).toBe("20");
    expect(s(unrealizedPnl(p, "100"))).toBe("30");
    expect(s(notional(p, "100"))).toBe("300");
  });

  it("scales PnL by the contract size", () => {
    const p = run([fill("buy", "10", "60000"), fill("sell", "4", "61000")], "0.01");
    expect(s(p.realizedPnl)).toBe("40");
    expect(s(unrealizedPnl(p, 62000))).toBe("120");
    expect(s(notional(p, "62000"))).toBe("3720");
  });

  it("keeps the cost basis exact when the average entry is a repeating decimal", () => {
    const p = run([fill("buy", "1", "100"), fill("buy", "2", "101"), fill("sell", "1", "105")]);
    // avg = 302/3 = 100.666…; removed cost = 100.666… rounded to 18 places
    const removed = D(302).div(3).toDecimalPlaces(COST_BASIS_DECIMALS, D.ROUND_HALF_EVEN);
    expect(s(p.realizedPnl)).toBe(s(D(105).minus(removed)));
    expect(s(p.costBasis)).toBe(s(D(302).minus(removed)));
    // realized + unrealized == cash effect exactly
    const mark = D("99.5");
    const cash = D(-100).minus(202).plus(105).plus(p.quantity.mul(mark));
    expect(s(p.realizedPnl.plus(unrealizedPnl(p, mark)))).toBe(s(cash));
  });

  it("books rebates and funding separately in net PnL", () => {
    let p = run([fill("sell", "1", "100", "-0.05")], "1");
    const pay = fundingPayment(p, "100", "0.0001");
    expect(s(pay)).toBe("0.01"); // short receives a positive rate
    p = applyFunding(p, pay, 99);
    expect(s(p.funding)).toBe("0.01");
    expect(s(netPnl(p, "90"))).toBe("10.06");
    const long = run([fill("buy", "2", "100")], "0.5");
    expect(s(fundingPayment(long, "100", "0.0001"))).toBe("-0.01");
  });

  it("refuses a fill for another instrument, bad quantity or price, foreign commission", () => {
    const p = applyFill(undefined, fill("buy", "1", "100"));
    const bad: PositionFill[] = [
      { ...fill("buy", "1", "100"), instrumentId: OTHER_INSTRUMENT },
      fill("buy", "0", "100"),
      fill("buy", "1", "0"),
      { ...fill("buy", "1", "100", "0.1"), commissionCurrency: "BTC" },
    ];
    for (const f of bad) expect(() => applyFill(p, f)).toThrow(PositionError);
    // a zero commission in another currency is harmless
    expect(() => applyFill(p, { ...fill("buy", "1", "100"), commissionCurrency: "BTC" })).not.toThrow();
    expect(() => applyFill(p, fill("buy", "1", "100"), { contractSize: "2" })).toThrow(/differs/);
    expect(() => applyFill(p, fill("buy", "1", "100"), { contractSize: "abc" })).toThrow(PositionError);
    expect(() => applyFill(undefined, fill("buy", "1", "100"), { contractSize: "-1" })).toThrow(
      /contractSize/,
    );
    expect(() => unrealizedPnl(p, -1)).toThrow(PositionError);
    expect(() => flatPosition(BTC_USD, "USD", 0, { contractSize: "0" })).toThrow(PositionError);
    expect(() => fundingPayment(p, "100", "abc")).toThrow(PositionError);
  });

  it("never mutates its input", () => {
    const p = Object.freeze(applyFill(undefined, fill("buy", "1", "100")));
    const next = applyFill(p, fill("sell", "3", "90"));
    expect(s(p.quantity)).toBe("1");
    expect(s(next.quantity)).toBe("-2");
  });

  it("keeps position id and currency from options", () => {
    const p = applyFill(undefined, fill("buy", "1", "100"), {
      positionId: positionId("P-1"),
      currency: "USD",
    });
    expect(p.positionId).toBe("P-1");
    expect(applyFill(p, fill("sell", "1", "100")).positionId).toBe("P-1");
  });
});

describe("createPositionEvent", () => {
  const meta = { eventId: "e" as never, tsInit: 7 };
  it("classifies open, change, flip and close", () => {
    const a = applyFill(undefined, fill("buy", "1", "100"));
    const b = applyFill(a, fill("buy", "1", "110"));
    const c = applyFill(b, fill("sell", "3", "120"));
    const d = applyFill(c, fill("buy", "1", "100"));
    expect(createPositionEvent(undefined, a, meta).type).toBe("PositionOpened");
    expect(createPositionEvent(a, b, meta).type).toBe("PositionChanged");
    const flip = createPositionEvent(b, c, meta);
    expect(flip.type).toBe("PositionChanged");
    expect(s(flip.realizedPnlChange)).toBe("30");
    expect(flip.tradeId).toBe(c.lastTradeId);
    const close = createPositionEvent(c, d, meta);
    expect(close.type).toBe("PositionClosed");
    expect(close.tsEvent).toBe(d.tsLastEvent);
    expect(createPositionEvent(d, applyFill(d, fill("sell", "1", "1")), meta).type).toBe("PositionOpened");
  });
});

describe("position accounting properties", () => {
  const fillArb = fc.record({
    buy: fc.boolean(),
    qtyUnits: fc.integer({ min: 1, max: 5000 }), // 0.001 .. 5
    priceTicks: fc.integer({ min: 1, max: 10_000_000 }), // 0.01 .. 100000
    feeUnits: fc.integer({ min: -50, max: 500 }), // -0.0005 .. 0.005 in 1e-5 steps (rebates allowed)
  });
  const contractSizeArb = fc.constantFrom("1", "0.01", "0.1", "5");

  function toFill(f: { buy: boolean; qtyUnits: number; priceTicks: number; feeUnits: number }): PositionFill {
    return {
      instrumentId: BTC_USD,
      side: f.buy ? "buy" : "sell",
      lastQty: D(f.qtyUnits).div(1000),
      lastPrice: D(f.priceTicks).div(100),
      commission: D(f.feeUnits).div(100_000),
      commissionCurrency: "USD",
      tsEvent: 1,
    };
  }

  it("realized + unrealized − fees equals the cash effect of the fills, exactly", () => {
    fc.assert(
      fc.property(
        fc.array(fillArb, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        contractSizeArb,
        (raw, markTicks, cs) => {
          const mark = D(markTicks).div(100);
          const fills = raw.map(toFill);
          let p: Position | undefined;
          let cash = D(0);
          let signedSum = D(0);
          let fees = D(0);
          for (const f of fills) {
            p = applyFill(p, f, { contractSize: cs });
            const signed = f.side === "buy" ? f.lastQty : f.lastQty.neg();
            cash = cash.minus(signed.mul(f.lastPrice).mul(cs)).minus(f.commission);
            signedSum = signedSum.plus(signed);
            fees = fees.plus(f.commission);
          }
          if (p === undefined) return false;
          const expected = cash.plus(p.quantity.mul(mark).mul(cs));
          const actual = p.realizedPnl.plus(unrealizedPnl(p, mark)).minus(p.commissions);
          expect(actual.eq(expected)).toBe(true);
          expect(p.quantity.eq(signedSum)).toBe(true);
          expect(p.commissions.eq(fees)).toBe(true);
          expect(p.side).toBe(signedSum.isZero() ? "flat" : signedSum.isNegative() ? "short" : "long");
          expect(p.fillCount).toBe(fills.length);
          return true;
        },
      ),
      { numRuns: 500 },
    );
  });

  it("cost basis has the sign of the quantity and the average entry lies within the fill prices", () => {
    fc.assert(
      fc.property(fc.array(fillArb, { minLength: 1, maxLength: 30 }), (raw) => {
        const fills = raw.map(toFill);
        let p: Position | undefined;
        for (const f of fills) {
          p = applyFill(p, f);
          if (p.quantity.isZero()) {
            expect(p.costBasis.isZero()).toBe(true);
          } else {
            expect(p.costBasis.isNegative()).toBe(p.quantity.isNegative());
            const prices = fills.map((x) => x.lastPrice);
            const min = prices.reduce((a, b) => (a.lt(b) ? a : b));
            const max = prices.reduce((a, b) => (a.gt(b) ? a : b));
            expect(p.avgEntryPrice.gte(min.minus("1e-15"))).toBe(true);
            expect(p.avgEntryPrice.lte(max.plus("1e-15"))).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("closing everything at the mark realizes exactly what was unrealized", () => {
    fc.assert(
      fc.property(
        fc.array(fillArb, { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        (raw, markTicks) => {
          const mark = D(markTicks).div(100);
          let p: Position | undefined;
          for (const f of raw.map(toFill)) p = applyFill(p, f);
          if (p === undefined || p.quantity.isZero()) return;
          const before = p.realizedPnl.plus(unrealizedPnl(p, mark));
          const closing: PositionFill = {
            instrumentId: BTC_USD,
            side: p.quantity.isNegative() ? "buy" : "sell",
            lastQty: p.quantity.abs(),
            lastPrice: mark,
            commission: D(0),
            commissionCurrency: "USD",
            tsEvent: 2,
          };
          const closed = applyFill(p, closing);
          expect(closed.side).toBe("flat");
          expect(closed.realizedPnl.eq(before)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
