import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { instrumentId } from "@gpt/core";
import { describe, expect, it } from "vitest";
import { parseRunOptions, type RawRunOptions } from "./cli/options.js";
import { generateSyntheticBars } from "./data/synthetic.js";
import { loadRunData, type RunResult, runBacktest, runBacktestStreaming } from "./run.js";

const dir = mkdtempSync(join(tmpdir(), "gpt-bt-run-"));

/** Writes a seeded synthetic series as a gzipped candle file; numbers round-trip exactly. */
function writeSynthetic(name: string, seed: number, startPrice: number, bars: number): string {
  const series = generateSyntheticBars({
    instrumentId: instrumentId("X-USD", "TEST"),
    seed,
    bars,
    startPrice,
    intervalMs: 900_000,
  });
  const rows = ["time,open,high,low,close,volume"];
  for (let i = 0; i < series.length; i++) {
    rows.push(
      [
        (series.tsOpen[i] as number) / 1000,
        series.open[i],
        series.high[i],
        series.low[i],
        series.close[i],
        series.volume[i],
      ].join(","),
    );
  }
  const path = join(dir, name);
  writeFileSync(path, gzipSync(`${rows.join("\n")}\n`));
  return path;
}

const btc = writeSynthetic("btc.csv.gz", 11, 40_000, 3000);
const eth = writeSynthetic("eth.csv.gz", 12, 2_500, 3000);
const perp = writeSynthetic("btc-perp.csv.gz", 13, 40_000, 3000);
const fundingPath = join(dir, "funding.csv");
{
  const rows = ["time,rate"];
  for (let t = 1_704_067_200; t < 1_704_067_200 + 3000 * 900; t += 8 * 3600)
    rows.push(`${t},${((t / 28_800) % 7) * 0.00002 - 0.00005}`);
  writeFileSync(fundingPath, `${rows.join("\n")}\n`);
}

function comparable(result: RunResult) {
  const { elapsedMs: _elapsed, ...stats } = result.stats;
  return { ...result, stats };
}

async function expectSameRun(raw: RawRunOptions): Promise<RunResult> {
  const options = parseRunOptions({ progress: false, ...raw });
  const inMemory = runBacktest(options, loadRunData(options));
  const streamed = await runBacktestStreaming(options, { chunkRows: 37, readBytes: 500 });
  expect(comparable(streamed)).toEqual(comparable(inMemory));
  return streamed;
}

describe("runBacktestStreaming", () => {
  it("gives the numbers of runBacktest on the same files (two spot symbols, risk on)", async () => {
    const result = await expectSameRun({
      data: [`BTC-USD=${btc}`, `ETH-USD=${eth}`],
      param: ["fast=5", "slow=20", "fraction=0.5"],
      risk: "default",
    });
    expect(result.stats.bars).toBe(6000);
    expect(result.stats.trades).toBeGreaterThan(20);
    expect(result.decisions.length).toBeGreaterThan(0);
  });

  it("gives the same numbers with --from/--to cutting both ends", async () => {
    const start = new Date(Date.UTC(2024, 0, 3)).toISOString();
    const end = new Date(Date.UTC(2024, 0, 20)).toISOString();
    const result = await expectSameRun({
      data: [`BTC-USD=${btc}`],
      param: ["fast=5", "slow=20"],
      from: start,
      to: end,
    });
    expect(result.stats.bars).toBe(17 * 96);
  });

  it("gives the same numbers on a leveraged perpetual with funding", async () => {
    const result = await expectSameRun({
      data: [`BTC-PERP=${perp}`],
      funding: [`BTC-PERP=${fundingPath}`],
      param: ["fast=5", "slow=20"],
      leverage: "3",
    });
    expect(result.stats.fundingPaid).not.toBe(0);
  });

  it("mixes a streamed file with the synthetic series", async () => {
    const options = parseRunOptions({ progress: false, data: [`BTC-USD=${btc}`, "ETH-USD=synthetic"] });
    const streamed = await runBacktestStreaming(options, { chunkRows: 100 });
    const inMemory = runBacktest(options, loadRunData(options));
    expect(comparable(streamed)).toEqual(comparable(inMemory));
  });

  it("reports progress against the estimated bar count", async () => {
    const options = parseRunOptions({ progress: false, data: [`BTC-USD=${btc}`] });
    const seen: number[] = [];
    let total = 0;
    let stopped = false;
    await runBacktestStreaming(options, {
      chunkRows: 500,
      progressFor: (estimate) => {
        total = estimate;
        return { update: (done) => seen.push(done), stop: () => (stopped = true) };
      },
    });
    expect(total).toBeGreaterThan(2500);
    expect(total).toBeLessThan(3500);
    expect(seen.length).toBeGreaterThan(10);
    expect(stopped).toBe(true);
  });
});
