import {
  type Bar,
  createBar,
  createPerpetualInstrument,
  type FundingApplied,
  HOUR_MS,
  MINUTE_MS,
  marketOrder,
  type OrderFilled,
} from "@gpt/core";
import { D, type Decimal } from "@gpt/quantize";
import { readCsvRows, requireShared } from "@gpt/testkit";
import { describe, expect, it } from "vitest";
import { PaperEngine } from "./engine.js";
import { coid, Recorder } from "./testing/fixtures.js";
import type { NegativeEquity, PositionLiquidated } from "./types.js";

/** A Binance-like linear BTCUSDT perpetual (0.5 % maintenance, 10x). */
const BTCUSDT = createPerpetualInstrument({
  symbol: "BTCUSDT",
  venue: "BINANCE",
  baseCurrency: "BTC",
  quoteCurrency: "USDT",
  priceIncrement: "0.01",
  sizeIncrement: "0.001",
  minSize: "0.001",
  maxSize: "1000",
  minNotional: "5",
  makerFee: "0.0002",
  takerFee: "0.0005",
  contractSize: "1",
  initialMarginFraction: "0.1",
  maintenanceMarginFraction: "0.005",
  maxLeverage: "10",
  fundingIntervalMs: 8 * HOUR_MS,
});

interface Row {
  time: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

function loadRows(file: string): Row[] {
  const table = readCsvRows(requireShared("data", file));
  expect(table.header).toEqual(["time", "open", "high", "low", "close", "volume"]);
  return table.rows.map((r) => ({
    time: Number(r[0]) * 1000,
    open: r[1]!,
    high: r[2]!,
    low: r[3]!,
    close: r[4]!,
    volume: r[5]!,
  }));
}

function toBar(row: Row, intervalMs: number): Bar {
  return createBar({
    instrumentId: BTCUSDT.id,
    intervalMs,
    tsOpen: row.time,
    open: Number(row.open),
    high: Number(row.high),
    low: Number(row.low),
    close: Number(row.close),
    volume: Number(row.volume),
  });
}

describe("2024-08-05 crash, Binance BTCUSDT 1m", () => {
  it("liquidates a ~9.8x long opened on Aug 4, at the first bar through its liquidation price", () => {
    const rows = loadRows("binance-BTCUSDT-1m-2024-07.csv.gz");
    const engine = new PaperEngine({
      accountType: "margin",
      instruments: [BTCUSDT],
      initialBalances: { USDT: "10000" },
      leverage: { [BTCUSDT.id]: "10" },
      marketOrderBuffer: "0.001",
    });
    const rec = new Recorder(engine);
    const start = Date.UTC(2024, 7, 4);
    let submitted = false;
    let entry: OrderFilled | undefined;
    let liquidationBar: Row | undefined;
    for (const row of rows) {
      engine.onBar(toBar(row, MINUTE_MS));
      if (!submitted && row.time + MINUTE_MS >= start) {
        const qty = D(98_000).div(row.close).toDecimalPlaces(3, D.ROUND_DOWN);
        rec.submit(
          marketOrder({ clientOrderId: coid("crash"), instrumentId: BTCUSDT.id, side: "buy", quantity: qty }),
        );
        submitted = true;
      }
      if (entry === undefined) entry = rec.ofType("OrderFilled")[0];
      if (rec.notices.length > 0 && liquidationBar === undefined) liquidationBar = row;
    }
    expect(entry).toBeDefined();
    const q = entry!.lastQty;
    const cashAfterEntry = D(10_000).minus(entry!.commission);
    // Independent liquidation price of a lone cross long: (q·entry − cash) / (q·(1 − mmf)).
    const expectedLiq = q
      .mul(entry!.lastPrice)
      .minus(cashAfterEntry)
      .div(q.mul(D(1).minus("0.005")));
    const firstCross = rows.find((r) => r.time >= entry!.tsEvent && D(r.low).lte(expectedLiq));
    expect(firstCross).toBeDefined();

    const liquidations = rec.notices.filter((n): n is PositionLiquidated => n.type === "PositionLiquidated");
    expect(liquidations).toHaveLength(1);
    const liq = liquidations[0]!;
    expect(liquidationBar?.time).toBe(firstCross!.time);
    // Around the crash: between Aug 4 12:00 and Aug 5 14:00 UTC.
    expect(liq.tsEvent).toBeGreaterThan(Date.UTC(2024, 7, 4, 12));
    expect(liq.tsEvent).toBeLessThan(Date.UTC(2024, 7, 5, 14));
    expect(liq.liquidationPrice.minus(expectedLiq).abs().lt("0.000001")).toBe(true);
    expect(liq.quantity.eq(q)).toBe(true);
    expect(liq.price.lte(expectedLiq)).toBe(true); // at the liquidation price or worse
    expect(liq.price.gte(firstCross!.low)).toBe(true); // inside the bar
    expect(liq.fee.eq(q.mul(liq.price).mul("0.005"))).toBe(true);

    // Accounting: flat, cash = initial + realized − commissions (+ covered deficit), never negative.
    const s = engine.snapshot();
    expect(s.positions).toHaveLength(0);
    const cash = s.balances[0]!.total;
    expect(
      cash.eq(D(10_000).plus(s.realizedPnl).minus(s.commissions).plus(s.funding).plus(s.deficitCovered)),
    ).toBe(true);
    expect(s.realizedPnl.eq(liq.realizedPnl)).toBe(true);
    expect(s.commissions.eq(entry!.commission.plus(liq.fee))).toBe(true);
    expect(cash.gte(0)).toBe(true);
    expect(s.equity.eq(liq.equityAfter)).toBe(true);
    const deficit = rec.notices.find((n): n is NegativeEquity => n.type === "NegativeEquity");
    expect(s.deficitCovered.eq(deficit?.deficit ?? 0)).toBe(true);
    rec.replayAll();
  });
});

describe("a month of BTCUSDT perp with 8-hourly funding", () => {
  it("pays exactly the sum of −quantity × mark × rate at each funding time", () => {
    const from = Date.UTC(2024, 2, 1);
    const to = Date.UTC(2024, 3, 1);
    const rows = loadRows("binance-BTCUSDT-PERP-1h-2023-2025.csv.gz").filter(
      (r) => r.time >= from && r.time < to,
    );
    const fundingTable = readCsvRows(
      requireShared("data", "binance-BTCUSDT-PERP-funding-8h-2022-2025.csv.gz"),
    );
    const funding = fundingTable.rows
      .map((r) => ({ time: Number(r[0]) * 1000, rate: r[1]! }))
      .filter((f) => f.time > from && f.time <= to);
    expect(rows).toHaveLength(31 * 24);
    expect(funding).toHaveLength(31 * 3);

    const engine = new PaperEngine({
      accountType: "margin",
      instruments: [BTCUSDT],
      initialBalances: { USDT: "1000000" },
    });
    const rec = new Recorder(engine);
    engine.attachFundingSeries(
      BTCUSDT.id,
      funding.map((f) => ({ fundingTime: f.time, rate: f.rate })),
    );
    const closeAt = new Map<number, string>(); // bar close time → close price string
    for (const [k, row] of rows.entries()) {
      engine.onBar(toBar(row, HOUR_MS));
      closeAt.set(row.time + HOUR_MS, row.close);
      if (k === 0)
        rec.submit(
          marketOrder({ clientOrderId: coid("f"), instrumentId: BTCUSDT.id, side: "buy", quantity: "2" }),
        );
      if (k === 300)
        rec.submit(
          marketOrder({ clientOrderId: coid("f"), instrumentId: BTCUSDT.id, side: "sell", quantity: "3.5" }),
        );
      if (k === 600)
        rec.submit(
          marketOrder({ clientOrderId: coid("f"), instrumentId: BTCUSDT.id, side: "buy", quantity: "2.25" }),
        );
    }

    // Independent computation: the position at each funding time from our fills, the mark is
    // the close of the hourly bar ending then, the rate is the file's decimal string.
    const fills = rec.ofType("OrderFilled");
    expect(fills).toHaveLength(3);
    let expected = D(0);
    let payments = 0;
    for (const f of funding) {
      let qty: Decimal = D(0);
      for (const fill of fills)
        if (fill.tsEvent <= f.time) qty = qty.plus(fill.side === "buy" ? fill.lastQty : fill.lastQty.neg());
      if (qty.isZero()) continue;
      const mark = closeAt.get(f.time);
      expect(mark).toBeDefined();
      expected = expected.minus(qty.mul(mark!).mul(f.rate));
      payments++;
    }
    const applied = rec.ofType("FundingApplied") as FundingApplied[];
    expect(applied).toHaveLength(payments);
    const total = applied.reduce((sum, a) => sum.plus(a.payment), D(0));
    expect(total.eq(expected)).toBe(true);
    const s = engine.snapshot();
    expect(s.funding.eq(expected)).toBe(true);
    // Funding was mostly positive in March 2024: a long-biased book paid.
    expect(expected.lt(0)).toBe(true);
    // And the cash identity holds with funding in it.
    expect(
      s.balances[0]!.total.eq(D(1_000_000).plus(s.realizedPnl).minus(s.commissions).plus(s.funding)),
    ).toBe(true);
    rec.replayAll();
  });
});
