/**
 * The built-in strategies on real data (the ML selector has its own in @gpt/strategies-ml):
 *
 * 1. Coinbase BTC-USD 1h candles, 2024-04 .. 2026-05 (17,990 bars): every bar-driven built-in runs
 *    over the whole series (regime-switch with the kernel-style classifier, `regimePreset("1h")`);
 *    intents, time in the market and the gross log return of following the targets are printed;
 *    sanity is asserted (valid intents, a plausible number of them, confidence in [0, 1]).
 * 2. Binance BTCUSDT perpetual 1h candles with the 8h funding history (2023 .. 2025): funding-carry
 *    shorts only when the averaged funding is extreme, and is flat most of the time.
 */
import { type Bar, createBar, type FundingRate, HOUR_MS, type InstrumentId, instrumentId } from "@gpt/core";
import { regimePreset } from "@gpt/regime";
import { readCsvRows, requireShared } from "@gpt/testkit";
import { describe, expect, it } from "vitest";
import { type ReplayRecord, replayStrategy, type StrategyEvent } from "./context.js";
import { createStrategy, listStrategies } from "./registry.js";
import { YEAR_MS } from "./strategies/funding-carry.js";

function loadBars(file: string, id: InstrumentId): Bar[] {
  return readCsvRows(requireShared("data", file)).rows.map((r) =>
    createBar({
      instrumentId: id,
      intervalMs: HOUR_MS,
      tsOpen: Number(r[0]) * 1000,
      open: Number(r[1]),
      high: Number(r[2]),
      low: Number(r[3]),
      close: Number(r[4]),
      volume: Number(r[5]),
    }),
  );
}

/** Gross log return of holding each target from its bar to the next target, and the time in the market. */
function follow(
  bars: readonly Bar[],
  records: readonly ReplayRecord[],
): { logReturn: number; inMarket: number } {
  const byIndex = new Map<number, number>();
  for (const r of records) {
    if (r.intent.type !== "TargetPosition") continue;
    byIndex.set(r.index, r.intent.direction === "long" ? 1 : r.intent.direction === "short" ? -1 : 0);
  }
  let dir = 0;
  let logReturn = 0;
  let inMarket = 0;
  for (let i = 0; i + 1 < bars.length; i++) {
    dir = byIndex.get(i) ?? dir;
    if (dir !== 0) inMarket++;
    logReturn += dir * Math.log((bars[i + 1] as Bar).close / (bars[i] as Bar).close);
  }
  return { logReturn, inMarket: inMarket / bars.length };
}

const BTC = instrumentId("BTC-USD", "COINBASE");
const coinbase = loadBars("coinbase-BTC-USD-1h-2024-2026.csv.gz", BTC);

describe("built-in strategies on Coinbase BTC-USD 1h", () => {
  const names = listStrategies()
    .filter((s) => !s.usesFunding)
    .map((s) => s.name);

  it.each(names)("%s", (name) => {
    const run = replayStrategy(createStrategy(name, {}, { instrumentId: BTC }), coinbase, {
      regime: regimePreset("1h"),
    });
    const { logReturn, inMarket } = follow(coinbase, run.intents);
    const hold = Math.log((coinbase.at(-1) as Bar).close / (coinbase[0] as Bar).close);
    console.log(
      `${name.padEnd(16)} intents ${String(run.intents.length).padStart(5)}  in market ${(100 * inMarket).toFixed(1).padStart(5)} %  ` +
        `log return ${logReturn.toFixed(3)} (buy and hold ${hold.toFixed(3)})`,
    );
    expect(coinbase.length).toBe(17_990);
    expect(run.intents.length).toBeGreaterThan(0);
    // On change only: far fewer intents than bars.
    expect(run.intents.length).toBeLessThan(coinbase.length / 5);
    for (const { intent } of run.intents) {
      if (intent.type !== "TargetPosition") continue;
      expect(intent.confidence).toBeGreaterThanOrEqual(0);
      expect(intent.confidence).toBeLessThanOrEqual(1);
      if (intent.stopPrice !== undefined) expect(intent.stopPrice).toBeGreaterThan(0);
    }
    if (name !== "flat" && name !== "buy-and-hold") {
      expect(run.intents.length).toBeGreaterThan(50);
      expect(inMarket).toBeGreaterThan(0.05);
      expect(inMarket).toBeLessThan(0.95);
    }
  });
});

describe("funding-carry on Binance BTCUSDT perpetual", () => {
  it("shorts extreme positive funding and is flat when funding is normal", () => {
    const PERP = instrumentId("BTCUSDT-PERP", "BINANCE");
    const bars = loadBars("binance-BTCUSDT-PERP-1h-2023-2025.csv.gz", PERP);
    const first = (bars[0] as Bar).tsEvent;
    const funding: FundingRate[] = readCsvRows(
      requireShared("data", "binance-BTCUSDT-PERP-funding-8h-2022-2025.csv.gz"),
    )
      .rows.map((r) => {
        const ts = Number(r[0]) * 1000;
        return {
          type: "FundingRate" as const,
          instrumentId: PERP,
          rate: Number(r[1]),
          intervalMs: 8 * HOUR_MS,
          fundingTime: ts,
          tsEvent: ts,
          tsInit: ts,
        };
      })
      .filter((f) => f.tsEvent >= first);
    // Bars first on equal times (a bar closing at 08:00 is known with the 08:00 funding).
    const events: StrategyEvent[] = [...bars, ...funding].sort(
      (a, b) => a.tsEvent - b.tsEvent || (a.type === "Bar" ? 0 : 1) - (b.type === "Bar" ? 0 : 1),
    );
    const run = replayStrategy(
      createStrategy("funding-carry", { window: 3 }, { instrumentId: PERP }),
      events,
    );
    const { inMarket } = follow(
      bars,
      run.intents.map((r) => ({
        ...r,
        index: bars.findIndex((b) => b.tsEvent >= (events[r.index] as StrategyEvent).tsEvent),
      })),
    );
    const shorts = run.intents.filter(
      (r) => r.intent.type === "TargetPosition" && r.intent.direction === "short",
    );
    const longs = run.intents.filter(
      (r) => r.intent.type === "TargetPosition" && r.intent.direction === "long",
    );
    console.log(
      `funding-carry: ${funding.length} funding events, ${shorts.length} short entries, ${longs.length} long entries, in market ${(100 * inMarket).toFixed(1)} %`,
    );
    expect(shorts.length).toBeGreaterThan(0);
    expect(inMarket).toBeLessThan(0.6);
    // Every short entry happened when the mean of the last three annualised rates was >= 30 %.
    for (const s of shorts) {
      const at = funding.findIndex((f) => f.tsEvent === (events[s.index] as StrategyEvent).tsEvent);
      const mean =
        funding.slice(at - 2, at + 1).reduce((a, f) => a + (f.rate * YEAR_MS) / f.intervalMs, 0) / 3;
      expect(mean).toBeGreaterThanOrEqual(0.3);
    }
  });
});
