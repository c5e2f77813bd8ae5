// Memory of a streamed run as a user runs it: the shipped CLI (`bin/gpt-backtest.mjs run`) on two
// gzipped files of a year of one-minute bars each (2 × 525,600 bars, seeded synthetic series written
// to a temporary folder), with the regime classifier, sma-cross 60/600 and default risk. A preload
// records each process's peak RSS (`process.resourceUsage().maxRSS`) at exit; the CLI's process is
// the largest. Records peak RSS (target < 200 MB) and bars/s including CSV parsing and gunzip.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { writeBenchResult } from "@gpt/testkit";
import { generateSyntheticBars } from "./data/synthetic.js";
import { instrumentForSymbol } from "./instruments.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const BARS = 525_600;
const work = mkdtempSync(join(tmpdir(), "gpt-bt-stream-bench-"));

function writeYear(symbol: string, seed: number, startPrice: number): string {
  const s = generateSyntheticBars({
    instrumentId: instrumentForSymbol(symbol).id,
    seed,
    bars: BARS,
    intervalMs: 60_000,
    startPrice,
  });
  const rows: string[] = ["time,open,high,low,close,volume"];
  for (let i = 0; i < s.length; i++) {
    rows.push(
      `${(s.tsOpen[i] as number) / 1000},${s.open[i]},${s.high[i]},${s.low[i]},${s.close[i]},${s.volume[i]}`,
    );
  }
  const path = join(work, `${symbol}-1m.csv.gz`);
  writeFileSync(path, gzipSync(`${rows.join("\n")}\n`));
  return path;
}

const btc = writeYear("BTC-USD", 11, 50_000);
const eth = writeYear("ETH-USD", 12, 3_000);
const rssFile = join(work, "rss.jsonl");
const preload = join(work, "peak-rss.mjs");
writeFileSync(
  preload,
  [
    'import { appendFileSync } from "node:fs";',
    "const file = process.env.GPT_BENCH_RSS_FILE;",
    'process.on("exit", () => {',
    "  const line = JSON.stringify({ pid: process.pid, maxRssKb: process.resourceUsage().maxRSS });",
    '  if (file) appendFileSync(file, line + "\\n");',
    "});",
    "",
  ].join("\n"),
);

const rounds = [];
let peakKb = 0;
for (let r = 0; r < 3; r++) {
  rmSync(rssFile, { force: true });
  const t0 = process.hrtime.bigint();
  const run = spawnSync(
    process.execPath,
    [
      join(packageDir, "bin", "gpt-backtest.mjs"),
      "run",
      "--data",
      `BTC-USD=${btc}`,
      "--data",
      `ETH-USD=${eth}`,
      "--param",
      "fast=60",
      "--param",
      "slow=600",
      "--param",
      "fraction=0.5",
      "--risk",
      "default",
      "--regime",
      "1m",
      "--json",
      "--out",
      join(work, "out"),
    ],
    {
      encoding: "utf8",
      env: {
        ...process.env,
        GPT_BENCH_RSS_FILE: rssFile,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${pathToFileURL(preload).href}`.trim(),
      },
    },
  );
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (run.status !== 0) throw new Error(`gpt-backtest exited with ${run.status}: ${run.stderr}`);
  const stats = JSON.parse(run.stdout) as { bars: number; trades: number; elapsedMs: number };
  const processes = readFileSync(rssFile, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { pid: number; maxRssKb: number });
  const roundPeakKb = Math.max(...processes.map((p) => p.maxRssKb));
  peakKb = Math.max(peakKb, roundPeakKb);
  rounds.push({
    units: stats.bars,
    elapsedMs: stats.elapsedMs,
    perSecond: stats.bars / (stats.elapsedMs / 1000),
  });
  console.log(
    `round ${r}: ${stats.bars} bars, ${stats.trades} trades, run ${stats.elapsedMs.toFixed(0)} ms, wall ${wallMs.toFixed(0)} ms, peak RSS ${(roundPeakKb / 1024).toFixed(0)} MB`,
  );
}
rmSync(work, { recursive: true, force: true });
const maxRssMb = peakKb / 1024;
const result = writeBenchResult(packageDir, "backtest-streamed-cli-two-symbols-1m-year", "bars", rounds, {
  extra: {
    barsPerRun: 2 * BARS,
    maxRssMb,
    rssTargetMb: 200,
    metRssTarget: maxRssMb < 200,
  },
});
console.log(
  `streamed CLI run: ${Math.round(result.perSecond).toLocaleString("en-US")} bars/s including parsing, peak RSS ${maxRssMb.toFixed(0)} MB (target < 200)`,
);
