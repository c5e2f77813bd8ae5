import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireShared } from "@gpt/testkit";
import { describe, expect, it } from "vitest";
import { main } from "./main.js";

const data = (file: string) => requireShared("data", file);

async function run(
  args: string[],
): Promise<{ stats: Record<string, unknown>; dir: string; trades: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), "gpt-bt-real-"));
  const err: string[] = [];
  const code = await main(["run", ...args, "--out", dir, "--no-progress"], {
    stdout: () => {},
    stderr: (t) => err.push(t),
  });
  expect(err.join("")).toBe("");
  expect(code).toBe(0);
  const stats = JSON.parse(readFileSync(join(dir, "stats.json"), "utf8")) as Record<string, unknown>;
  const trades = readFileSync(join(dir, "trades.csv"), "utf8").trim().split("\n").slice(1);
  console.log(args.join(" "), JSON.stringify({ ...stats, sampleWarnings: undefined }));
  return { stats, dir, trades };
}

describe("backtests on real data, end to end", () => {
  it("a month of Binance 1m BTC (the 2024-08-05 crash included)", async () => {
    const { stats, trades } = await run([
      "--data",
      `BTC-USD=${data("binance-BTCUSDT-1m-2024-07.csv.gz")}`,
      "--param",
      "fast=30",
      "--param",
      "slow=240",
    ]);
    expect(stats.bars).toBe(43_209);
    expect(stats.trades).toBe(trades.length);
    expect(stats.trades as number).toBeGreaterThan(10);
    expect(stats.dataGaps).toBe(0);
    // Buy and hold from the first open to the last close of the file.
    expect(stats.buyAndHoldReturn as number).toBeCloseTo(64_098.01 / 67_474.48 - 1, 2);
    const tradeFees = trades.reduce((a, t) => a + Number(t.split(",")[8]), 0);
    expect(stats.feesPaid as number).toBeGreaterThanOrEqual(tradeFees - 1e-6);
    expect(stats.endEquity as number).toBeGreaterThan(0);
  });

  it("two years of Coinbase 1h BTC and ETH in one portfolio, gaps reported", async () => {
    const { stats } = await run([
      "--data",
      `BTC-USD=${data("coinbase-BTC-USD-1h-2024-2026.csv.gz")}`,
      "--data",
      `ETH-USD=${data("coinbase-ETH-USD-1h-2024-2026.csv.gz")}`,
      "--param",
      "fraction=0.5",
      "--param",
      "fast=24",
      "--param",
      "slow=120",
    ]);
    expect(stats.bars).toBe(2 * 17_990);
    expect(stats.dataGaps).toBe(4);
    expect(stats.missingBars).toBe(20);
    expect(stats.days as number).toBeGreaterThan(700);
    expect(stats.sampleWarnings).toEqual([]);
    expect(stats.rejectedOrders).toBe(0);
    expect(stats.exposure as number).toBeGreaterThan(0.2);
  });

  it("a BTC perpetual with 8-hourly funding and leverage", async () => {
    const { stats } = await run([
      "--data",
      `BTC-PERP=${data("binance-BTCUSDT-PERP-1h-2023-2025.csv.gz")}`,
      "--funding",
      `BTC-PERP=${data("binance-BTCUSDT-PERP-funding-8h-2022-2025.csv.gz")}`,
      "--from",
      "2024-01-01",
      "--to",
      "2024-07-01",
      "--fees",
      "coinbase-perps",
      "--leverage",
      "2",
      "--strategy",
      "buy-and-hold",
    ]);
    // Long all half-year at 2x: funding (mostly positive rates) is paid, not received.
    expect(stats.fundingPaid as number).toBeGreaterThan(0);
    expect(stats.trades).toBe(0);
    expect(stats.exposure as number).toBeGreaterThan(0.99);
    // 2x leverage with the venue's reserve (2 % price buffer, taker fee on notional): the notional
    // is 2 / (1.02 × (1 + 2 × taker)) of equity; the return is that times buy and hold, less the
    // funding and fees paid (entry at the second bar's open, so only roughly).
    const bh = stats.buyAndHoldReturn as number;
    const exposure = 2 / (1.02 * (1 + 2 * 0.0006));
    const expected =
      exposure * bh - (stats.fundingPaid as number) / 10_000 - (stats.feesPaid as number) / 10_000;
    expect(stats.totalReturn as number).toBeCloseTo(expected, 1);
    expect(stats.rejectedOrders).toBe(0);
  });
});
