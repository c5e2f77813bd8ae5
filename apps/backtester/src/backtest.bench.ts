// Full pipeline benchmark: a year of one-minute bars for two symbols (2 × 525,600 bars) through
// `runBacktest`: the regime classifier (1m preset), sma-cross, sizing, `@gpt/risk` with its default
// configuration, the kernel, the paper engine, statistics and the report curves. Records bars/s
// (target 1,000,000). The bars are held in memory here (50 MB of columns, generated in-process), so
// the peak RSS it records is informative only: the memory target (< 200 MB for this data streamed
// from files) is measured by stream.bench.ts on the CLI as users run it.
import { fileURLToPath } from "node:url";
import { writeBenchResult } from "@gpt/testkit";
import { parseRunOptions } from "./cli/options.js";
import { generateSyntheticBars } from "./data/synthetic.js";
import { instrumentForSymbol } from "./instruments.js";
import { runBacktest } from "./run.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const BARS = 525_600;
const rssBefore = process.memoryUsage().rss;
const series = ["BTC-USD", "ETH-USD"].map((symbol, i) =>
  generateSyntheticBars({
    instrumentId: instrumentForSymbol(symbol).id,
    seed: 11 + i,
    bars: BARS,
    intervalMs: 60_000,
    startPrice: i === 0 ? 50_000 : 3_000,
  }),
);
const options = parseRunOptions({
  data: ["BTC-USD=synthetic", "ETH-USD=synthetic"],
  param: ["fast=60", "slow=600", "fraction=0.5"],
  progress: false,
  risk: "default",
  regime: "1m",
});
// Round 0 is the cold run (what one CLI run gets: the JIT compiles the loop while it runs); it is
// recorded apart and the target applies to the median of the 5 warm rounds after it.
const rounds = [];
let coldBarsPerSecond = 0;
for (let r = 0; r < 6; r++) {
  const t0 = process.hrtime.bigint();
  const result = runBacktest(options, { series, funding: new Map() });
  const elapsedMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const round = { units: result.stats.bars, elapsedMs, perSecond: result.stats.bars / (elapsedMs / 1000) };
  if (r === 0) coldBarsPerSecond = round.perSecond;
  else rounds.push(round);
  console.log(
    `round ${r}${r === 0 ? " (cold)" : ""}: ${result.stats.bars} bars, ${result.stats.trades} trades in ${elapsedMs.toFixed(0)} ms`,
  );
}
const maxRssMb = process.resourceUsage().maxRSS / 1024;
const result = writeBenchResult(packageDir, "backtest-full-pipeline-1m", "bars", rounds, {
  target: 1_000_000,
  extra: {
    barsPerRun: 2 * BARS,
    coldBarsPerSecond,
    maxRssMb,
    rssBeforeMb: rssBefore / 2 ** 20,
  },
});
console.log(
  `full pipeline: ${Math.round(result.perSecond).toLocaleString("en-US")} bars/s warm median (target 1,000,000), cold ${Math.round(coldBarsPerSecond).toLocaleString("en-US")}, peak RSS ${maxRssMb.toFixed(0)} MB with the bars in memory`,
);
