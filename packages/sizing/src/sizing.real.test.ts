/**
 * Real data: two years of Coinbase BTC-USD hourly bars sized against Coinbase's own product rules
 * (the BTC-USD spot product and the BIP nano BTC perp from shared/fixtures). Every order sized must
 * pass the product-rule check of @gpt/quantize, respect its caps, and keep the loss at the stop
 * (fees included) within the risk budget.
 */
import { readFileSync } from "node:fs";
import { createPerpetualInstrument, createSpotInstrument } from "@gpt/core";
import {
  type CoinbaseProductRulesJson,
  checkOrderAgainstRules,
  D,
  type Decimal,
  productRulesFromCoinbase,
  roundPrice,
  roundToIncrement,
} from "@gpt/quantize";
import { readCsvRows, requireShared } from "@gpt/testkit";
import { describe, expect, it } from "vitest";
import type { SizingResult } from "./result.js";
import { sizeByAtr, sizeByFixedRisk, sizeByKelly, sizeByRealizedVolatility } from "./size.js";

interface FutureProduct extends CoinbaseProductRulesJson {
  readonly product_id: string;
  readonly base_increment: string;
  readonly base_min_size: string;
  readonly base_max_size: string;
  readonly price_increment: string;
  readonly future_product_details: {
    readonly contract_size: string;
    readonly intraday_margin_rate: { readonly long_margin_rate: string; readonly short_margin_rate: string };
  };
}
interface SpotProduct extends CoinbaseProductRulesJson {
  readonly base_increment: string;
  readonly base_min_size: string;
  readonly base_max_size: string;
  readonly quote_min_size: string;
  readonly quote_max_size: string;
  readonly price_increment: string;
}

function fixture<T>(name: string): T {
  return JSON.parse(
    readFileSync(requireShared("fixtures", "coinbase-advanced-trade", "rest", name), "utf8"),
  ) as T;
}

const spotProduct = fixture<SpotProduct>("GET_products_ID.BTC-USD.nautilus.json");
const perpProduct = fixture<{ products: FutureProduct[] }>(
  "GET_products.future-cfm.nautilus.json",
).products.find((p) => p.product_id === "BIP-20DEC30-CDE");
if (perpProduct === undefined) throw new Error("BIP-20DEC30-CDE missing from the fixture");
const feeTier = fixture<{ fee_tier: { taker_fee_rate: string; maker_fee_rate: string } }>(
  "GET_transaction_summary.ccxt-comment.json",
).fee_tier;

const spot = createSpotInstrument({
  symbol: "BTC-USD",
  venue: "COINBASE",
  baseCurrency: "BTC",
  quoteCurrency: "USD",
  priceIncrement: spotProduct.price_increment,
  sizeIncrement: spotProduct.base_increment,
  minSize: spotProduct.base_min_size,
  maxSize: spotProduct.base_max_size,
  minNotional: spotProduct.quote_min_size,
  maxNotional: spotProduct.quote_max_size,
  makerFee: feeTier.maker_fee_rate,
  takerFee: feeTier.taker_fee_rate,
});
const margin = perpProduct.future_product_details.intraday_margin_rate;
const imf = D.max(margin.long_margin_rate, margin.short_margin_rate);
const perp = createPerpetualInstrument({
  symbol: perpProduct.product_id,
  venue: "COINBASE",
  baseCurrency: "BTC",
  quoteCurrency: "USD",
  priceIncrement: perpProduct.price_increment,
  sizeIncrement: perpProduct.base_increment,
  minSize: perpProduct.base_min_size,
  maxSize: perpProduct.base_max_size,
  makerFee: feeTier.maker_fee_rate,
  takerFee: feeTier.taker_fee_rate,
  contractSize: perpProduct.future_product_details.contract_size,
  initialMarginFraction: imf,
  // Not in the product payload; any value up to the initial margin fraction fits here.
  maintenanceMarginFraction: imf.div(2),
  maxLeverage: D(1).div(imf).toDecimalPlaces(2, D.ROUND_DOWN),
  fundingIntervalMs: 3_600_000,
});
const spotRules = productRulesFromCoinbase(spotProduct);
const perpRules = productRulesFromCoinbase(perpProduct);

interface BarView {
  readonly close: string;
  readonly atr: number;
  readonly vol: number;
  readonly meanReturn: number;
  readonly variance: number;
}

/** Wilder ATR(14) and 24-bar mean/variance of log returns, per bar, after warm-up. */
function barsWithIndicators(): BarView[] {
  const { header, rows } = readCsvRows(requireShared("data", "coinbase-BTC-USD-1h-2024-2026.csv.gz"));
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`no column ${name}`);
    return i;
  };
  const [iHigh, iLow, iClose] = [col("high"), col("low"), col("close")];
  const out: BarView[] = [];
  const window: number[] = [];
  let atr = Number.NaN;
  let prevClose = Number.NaN;
  for (let n = 0; n < rows.length; n++) {
    const row = rows[n] ?? [];
    const closeText = row[iClose] ?? "";
    const high = Number(row[iHigh]);
    const low = Number(row[iLow]);
    const close = Number(closeText);
    const tr = Number.isNaN(prevClose)
      ? high - low
      : Math.max(high - low, Math.abs(high - prevClose), Math.abs(low - prevClose));
    atr = Number.isNaN(atr) ? tr : (atr * 13 + tr) / 14;
    if (!Number.isNaN(prevClose)) {
      window.push(Math.log(close / prevClose));
      if (window.length > 24) window.shift();
    }
    prevClose = close;
    if (n < 30 || window.length < 24) continue;
    const mean = window.reduce((a, b) => a + b, 0) / window.length;
    const variance = window.reduce((a, b) => a + (b - mean) ** 2, 0) / (window.length - 1);
    out.push({ close: closeText, atr, vol: Math.sqrt(variance), meanReturn: mean, variance });
  }
  return out;
}

function tally(counts: Map<string, number>, result: SizingResult): void {
  const key = result.kind === "sized" ? "sized" : result.reason;
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

describe("sizing real Coinbase BTC-USD hourly bars", () => {
  const bars = barsWithIndicators();
  const equity = D("25000");

  it("has the data", () => {
    expect(bars.length).toBeGreaterThan(17_000);
  });

  it("ATR sizing on spot: orders pass the product rules and risk at most 1 % per 2 ATR", () => {
    const counts = new Map<string, number>();
    for (const bar of bars) {
      const result = sizeByAtr({
        equity,
        price: bar.close,
        instrument: spot,
        atr: bar.atr,
        atrMultiple: 2,
        riskFraction: 0.01,
      });
      tally(counts, result);
      if (result.kind !== "sized") continue;
      expect(checkOrderAgainstRules({ size: result.quantity, price: bar.close }, spotRules).kind).toBe("ok");
      expect(result.quantity.times(D(bar.atr)).times(2).lte(equity.times("0.01"))).toBe(true);
      expect(result.notional.lte(equity)).toBe(true);
    }
    expect(counts.get("sized")).toBe(bars.length);
  });

  it("fixed-risk sizing on spot with a 2-ATR stop: the loss at the stop, taker fees included, is within budget", () => {
    const counts = new Map<string, number>();
    const budget = equity.times("0.005");
    for (const bar of bars) {
      const entry = D(bar.close);
      const stop: Decimal = roundToIncrement(entry.minus(D(bar.atr).times(2)), spot.priceIncrement, "down");
      const result = sizeByFixedRisk({
        equity,
        price: bar.close,
        instrument: spot,
        stop,
        riskFraction: 0.005,
        side: "buy",
      });
      tally(counts, result);
      if (result.kind !== "sized") continue;
      expect(checkOrderAgainstRules({ size: result.quantity, price: bar.close }, spotRules).kind).toBe("ok");
      const lossPerUnit = entry.minus(stop).plus(spot.takerFee.times(entry.plus(stop)));
      expect(result.quantity.times(lossPerUnit).lte(budget)).toBe(true);
    }
    expect(counts.get("sized")).toBe(bars.length);
  });

  it("volatility targeting on the nano perp: whole contracts, caps hold, position volatility at most the target", () => {
    const counts = new Map<string, number>();
    const targetVol = 0.004; // per hour
    const availableMargin = D("4000");
    for (const bar of bars) {
      // The perp trades on a 5 USD tick: a buy limit at the close rounded down onto it.
      const price = roundPrice(bar.close, perp.priceIncrement, "buy");
      const result = sizeByRealizedVolatility({
        equity,
        price,
        instrument: perp,
        realizedVol: bar.vol,
        targetVol,
        caps: { maxLeverage: 3, availableMargin },
      });
      tally(counts, result);
      if (result.kind !== "sized") continue;
      expect(checkOrderAgainstRules({ size: result.quantity, price }, perpRules).kind).toBe("ok");
      expect(result.quantity.isInteger()).toBe(true);
      expect(result.notional.lte(equity.times(3))).toBe(true);
      expect(result.notional.times(perp.initialMarginFraction).lte(availableMargin)).toBe(true);
      expect(result.margin.lte(availableMargin)).toBe(true);
      expect(result.notional.times(D(bar.vol)).lte(equity.times(D(targetVol)))).toBe(true);
    }
    expect(counts.get("sized") ?? 0).toBeGreaterThan(bars.length * 0.9);
  });

  it("Kelly from trailing return moments: no negative edge is ever sized, caps hold", () => {
    const counts = new Map<string, number>();
    for (const bar of bars) {
      const result = sizeByKelly({
        equity,
        price: bar.close,
        instrument: spot,
        estimate: { expectedReturn: bar.meanReturn, variance: bar.variance },
        kellyMultiplier: 0.25,
        maxKellyFraction: 0.5,
        confidence: Math.min(1, Math.abs(bar.meanReturn) / bar.vol),
        confidenceCurve: { kind: "smoothstep", minConfidence: 0.05 },
        caps: { maxNotional: "10000" },
      });
      tally(counts, result);
      if (bar.meanReturn <= 0) expect(result).toMatchObject({ kind: "skip", reason: "no-edge" });
      if (result.kind !== "sized") continue;
      expect(checkOrderAgainstRules({ size: result.quantity, price: bar.close }, spotRules).kind).toBe("ok");
      expect(result.notional.lte(D("10000"))).toBe(true);
    }
    // Both outcomes occur on real data: trailing means are positive about half of the time.
    expect(counts.get("sized") ?? 0).toBeGreaterThan(bars.length * 0.2);
    expect(counts.get("no-edge") ?? 0).toBeGreaterThan(bars.length * 0.2);
  });
});
