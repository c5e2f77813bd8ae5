// Loading a run's data into memory: the synthetic series or whole files, cut to --from/--to, and
// the funding files. `run` streams its candle files instead (see stream.ts); sweeps and
// walk-forward tests load once and share.
import type { RunOptions } from "../cli/options.js";
import { BacktestError } from "../errors.js";
import { instrumentForSymbol } from "../instruments.js";
import { loadBarsCsv, loadFundingCsv } from "./csv.js";
import { type BarSeries, type FundingSeries, sliceSeries } from "./series.js";
import { generateSyntheticBars } from "./synthetic.js";

/** Bars the embedded synthetic series has when `--data` names no file (hourly, about 2.3 years). */
const SYNTHETIC_BARS = 20_000;
/** The data of a run, loaded and checked. */
export interface LoadedData {
  readonly series: readonly BarSeries[];
  readonly funding: ReadonlyMap<string, FundingSeries>;
}

/** @internal One `--data` source held in memory: the synthetic series, or a whole file; cut to `[from, to)`. */
export function loadSeries(options: RunOptions, index: number): BarSeries {
  const source = options.data[index] as RunOptions["data"][number];
  const id = instrumentForSymbol(source.symbol).id;
  const full =
    source.kind === "file"
      ? loadBarsCsv(source.path, { instrumentId: id })
      : generateSyntheticBars({
          instrumentId: id,
          seed: options.seed + index,
          bars: SYNTHETIC_BARS,
          startPrice: source.symbol.startsWith("ETH") ? 3000 : 50_000,
        });
  const cut =
    options.fromMs === undefined && options.toMs === undefined
      ? full
      : sliceSeries(full, options.fromMs, options.toMs);
  if (cut.length === 0) {
    throw new BacktestError(
      "empty-data",
      `${source.symbol}: no bars in the chosen --from/--to range (${full.source})`,
    );
  }
  return cut;
}

/** @internal Loads every `--funding` file (perpetuals only). */
export function loadFunding(options: RunOptions): Map<string, FundingSeries> {
  const funding = new Map<string, FundingSeries>();
  for (const [symbol, path] of options.funding) {
    if (!symbol.endsWith("-PERP")) {
      throw new BacktestError(
        "bad-argument",
        `--funding ${symbol}: funding applies to perpetuals (BASE-PERP symbols)`,
      );
    }
    funding.set(symbol, loadFundingCsv(path, { instrumentId: instrumentForSymbol(symbol).id }));
  }
  return funding;
}

/**
 * Loads every `--data` source (files or the synthetic series) and funding file, cut to `[from, to)`,
 * wholly into memory: what sweeps and walk-forward tests need to run many backtests on one load.
 * A single run streams its files instead (`runBacktestStreaming`).
 */
export function loadRunData(options: RunOptions): LoadedData {
  const series = options.data.map((_source, i) => loadSeries(options, i));
  return { series, funding: loadFunding(options) };
}
