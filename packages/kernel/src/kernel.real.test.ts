/**
 * Real data (`pnpm test:real`): the full pipeline over Coinbase spot and Binance perpetual candles
 * with the paper engine as venue; the kernel's ledger must equal the engine's account exactly.
 */
import {
  type Bar,
  createBar,
  createPerpetualInstrument,
  createSpotInstrument,
  createStaticInstrumentProvider,
  type Instrument,
  type InstrumentId,
  ManualClock,
} from "@gpt/core";
import { createPaperEngine, type PaperEngineConfig } from "@gpt/paper-engine";
import { createStrategy, type Strategy } from "@gpt/strategies";
import { readCsvRows, requireShared } from "@gpt/testkit";
import { describe, expect, it } from "vitest";
import { createMemoryEventLog } from "./event-log.js";
import type { TraderEvent } from "./events.js";
import { createTrader, type TraderOptions } from "./trader.js";

function spot(symbol: string, sizeIncrement: string): Instrument {
  return createSpotInstrument({
    symbol,
    venue: "COINBASE",
    baseCurrency: symbol.split("-")[0] as string,
    quoteCurrency: "USD",
    priceIncrement: "0.01",
    sizeIncrement,
    minSize: sizeIncrement,
    maxSize: "10000",
    minNotional: "1",
    makerFee: "0.004",
    takerFee: "0.006",
  });
}

function loadBars(file: string, instrumentId: InstrumentId, intervalMs: number): Bar[] {
  const table = readCsvRows(requireShared("data", file));
  return table.rows.map((r) =>
    createBar({
      instrumentId,
      intervalMs,
      tsOpen: Number(r[0]) * 1000,
      open: Number(r[1]),
      high: Number(r[2]),
      low: Number(r[3]),
      close: Number(r[4]),
      volume: Number(r[5]),
    }),
  );
}

function run(
  instruments: readonly Instrument[],
  strategies: readonly Strategy[],
  bars: readonly Bar[],
  engine: Partial<PaperEngineConfig>,
  options: Partial<TraderOptions>,
  afterEngine?: (e: ReturnType<typeof createPaperEngine>) => void,
) {
  const clock = new ManualClock(bars[0]?.tsOpen ?? 0);
  const venue = createPaperEngine({
    accountType: instruments[0]?.kind === "spot" ? "cash" : "margin",
    instruments,
    initialBalances: { USD: "100000" },
    clock,
    ...engine,
  });
  afterEngine?.(venue);
  const log = createMemoryEventLog({ capacity: "unbounded" });
  const trader = createTrader({
    clock,
    execution: venue,
    instruments: createStaticInstrumentProvider(instruments),
    strategies,
    account: "100000",
    venueFeed: (event) => venue.onMarketData(event),
    eventLog: log,
    ...options,
  }).start();
  let maxGap = 0;
  for (const bar of bars) {
    if (bar.tsEvent > clock.now()) clock.set(bar.tsEvent);
    trader.onBar(bar);
    const gap = trader.cache.equity().minus(venue.snapshot().equity).abs().toNumber();
    if (gap > maxGap) maxGap = gap;
  }
  const of = <T extends TraderEvent["type"]>(type: T) =>
    log.events().filter((e): e is Extract<TraderEvent, { type: T }> => e.type === type);
  return { trader, venue, maxGap, of };
}

describe("real data", () => {
  it("Coinbase BTC-USD and ETH-USD 1h (2024-2026), interleaved: ledger equals the paper engine after every bar", () => {
    const btc = spot("BTC-USD", "0.00000001");
    const eth = spot("ETH-USD", "0.00000001");
    const bars = [
      ...loadBars("coinbase-BTC-USD-1h-2024-2026.csv.gz", btc.id, 3_600_000),
      ...loadBars("coinbase-ETH-USD-1h-2024-2026.csv.gz", eth.id, 3_600_000),
    ].sort((a, b) => a.tsEvent - b.tsEvent || a.instrumentId.localeCompare(b.instrumentId));
    const strategies = [btc, eth].map((i) =>
      createStrategy("sma-cross", { fast: 20, slow: 50, fraction: 0.45 }, { instrumentId: i.id }),
    );
    const r = run(
      [btc, eth],
      strategies,
      bars,
      { marketOrderBuffer: "0.02" },
      {
        regime: "1h",
        risk: { breakers: { drawdown: { maxPct: "0.5" } } },
        spotBuyHeadroom: 0.03,
      },
    );
    expect(r.of("OrderFilled").length).toBeGreaterThan(200);
    expect(r.maxGap).toBe(0);
    expect(r.trader.cache.equity().toFixed()).toBe(r.venue.snapshot().equity.toFixed());
    expect(r.of("KernelWarning")).toEqual([]);
    // Decisions after the classifier's warm-up carry the regime of the moment.
    expect(r.of("Decision").filter((d) => d.regime !== undefined).length).toBeGreaterThan(100);
  });

  it("Binance BTCUSDT perpetual 1h with 8h funding: funding is booked; ledger equals the engine", () => {
    const perp = createPerpetualInstrument({
      symbol: "BTC-PERP",
      venue: "SIM",
      baseCurrency: "BTC",
      quoteCurrency: "USD",
      priceIncrement: "0.1",
      sizeIncrement: "1",
      minSize: "1",
      maxSize: "1000000",
      makerFee: "0.0002",
      takerFee: "0.0005",
      contractSize: "0.001",
      initialMarginFraction: "0.1",
      maintenanceMarginFraction: "0.05",
      maxLeverage: "10",
      fundingIntervalMs: 8 * 3_600_000,
    });
    const bars = loadBars("binance-BTCUSDT-PERP-1h-2023-2025.csv.gz", perp.id, 3_600_000);
    const funding = readCsvRows(
      requireShared("data", "binance-BTCUSDT-PERP-funding-8h-2022-2025.csv.gz"),
    ).rows.map((r) => ({ fundingTime: Number(r[0]) * 1000, rate: r[1] as string }));
    const first = bars[0]?.tsOpen ?? 0;
    const strategy = createStrategy(
      "sma-cross",
      { fast: 24, slow: 96, fraction: 0.8 },
      { instrumentId: perp.id },
    );
    const r = run(
      [perp],
      [strategy],
      bars,
      {},
      { risk: { breakers: { drawdown: { maxPct: "0.5" } } } },
      (venue) =>
        venue.attachFundingSeries(
          perp.id,
          funding.filter((f) => f.fundingTime > first),
        ),
    );
    expect(r.of("FundingApplied").length).toBeGreaterThan(100);
    expect(r.of("OrderFilled").length).toBeGreaterThan(50);
    expect(r.maxGap).toBe(0);
    const account = r.trader.cache.account();
    expect(account.funding.isZero()).toBe(false);
    expect(account.funding.toFixed()).toBe(r.venue.snapshot().funding.toFixed());
    expect(r.of("KernelWarning")).toEqual([]);
  });
});
