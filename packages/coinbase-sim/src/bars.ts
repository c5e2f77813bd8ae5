import { createSeededRng } from "@gpt/core";
import { CoinbaseSimError } from "./errors.js";

/** One OHLCV bar of a replayed series: `time` is the bar's open in Unix seconds. */
export interface SimBar {
  /** The bar's open, Unix seconds. */
  readonly time: number;
  /** Open price. */
  readonly open: number;
  /** High price. */
  readonly high: number;
  /** Low price. */
  readonly low: number;
  /** Close price. */
  readonly close: number;
  /** Volume in the base asset. */
  readonly volume: number;
}

/** A product's bar series and its bar length. */
export interface SimSeries {
  /** Bars in time order, one bar length apart (gaps are allowed). */
  readonly bars: readonly SimBar[];
  /** The bar length in seconds (3600 for hourly bars). */
  readonly intervalSeconds: number;
}

/**
 * Parses the CSV format of the project's data files (`time,open,high,low,close,volume`, `time` in
 * Unix seconds, one header line). The bar length is the smallest step between two rows.
 *
 * @throws CoinbaseSimError `invalid-data` naming the line when a row does not parse or the rows are
 * not in increasing time order.
 */
export function parseBarCsv(text: string): SimSeries {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  const header = (lines[0] ?? "").split(",").map((cell) => cell.trim().toLowerCase());
  const columns = ["time", "open", "high", "low", "close", "volume"].map((name) => header.indexOf(name));
  if (columns.some((index) => index < 0)) {
    throw new CoinbaseSimError(
      "invalid-data",
      "bar CSV: the header must name time,open,high,low,close,volume",
      {
        line: 1,
      },
    );
  }
  const bars: SimBar[] = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = (lines[i] ?? "").split(",");
    const values = columns.map((index) => Number(cells[index]));
    const [time, open, high, low, close, volume] = values as [number, number, number, number, number, number];
    if (values.some((value) => !Number.isFinite(value)) || low > high || open <= 0) {
      throw new CoinbaseSimError("invalid-data", `bar CSV line ${i + 1}: not a valid bar`, { line: i + 1 });
    }
    const previous = bars[bars.length - 1];
    if (previous !== undefined && time <= previous.time) {
      throw new CoinbaseSimError("invalid-data", `bar CSV line ${i + 1}: time does not increase`, {
        line: i + 1,
      });
    }
    bars.push({ time, open, high, low, close, volume });
  }
  return { bars, intervalSeconds: smallestStep(bars) };
}

function smallestStep(bars: readonly SimBar[]): number {
  let step = Number.POSITIVE_INFINITY;
  for (let i = 1; i < bars.length; i++) {
    step = Math.min(step, (bars[i]?.time ?? 0) - (bars[i - 1]?.time ?? 0));
  }
  return Number.isFinite(step) ? step : 3600;
}

/** Options of `syntheticSeries`. */
export interface SyntheticSeriesOptions {
  /** The random seed: the same seed gives the same bars. */
  readonly seed: number;
  /** The first bar's open, Unix seconds. */
  readonly start: number;
  /** How many bars. */
  readonly count: number;
  /** The first open price. */
  readonly startPrice: number;
  /** Bar length in seconds; default 3600. */
  readonly intervalSeconds?: number;
  /** Per-bar volatility of the log price; default 0.006. */
  readonly volatility?: number;
}

/**
 * A seeded random-walk bar series (geometric, with wicks), for running without data files. The
 * same options always give the same bars.
 */
export function syntheticSeries(options: SyntheticSeriesOptions): SimSeries {
  const interval = options.intervalSeconds ?? 3600;
  const sigma = options.volatility ?? 0.006;
  const rng = createSeededRng(options.seed);
  const normal = (): number => {
    const u = Math.max(rng.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
  };
  const round = (value: number): number => Math.round(value * 100) / 100;
  const bars: SimBar[] = [];
  let price = options.startPrice;
  for (let i = 0; i < options.count; i++) {
    const open = round(price);
    const close = round(open * Math.exp(sigma * normal()));
    const high = round(Math.max(open, close) * (1 + Math.abs(sigma * normal()) / 2));
    const low = round(Math.min(open, close) * (1 - Math.abs(sigma * normal()) / 2));
    const volume = Math.round((50 + 100 * rng.next()) * 1e4) / 1e4;
    bars.push({ time: options.start + i * interval, open, high, low, close, volume });
    price = close;
  }
  return { bars, intervalSeconds: interval };
}
