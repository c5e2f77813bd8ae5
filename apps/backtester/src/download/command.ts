/**
 * `gpt-backtest download`: candles of one product from Coinbase's public candles endpoint (no API
 * key), split into requests of at most 350 candles and stitched in order by
 * `@gpt/coinbase-client`, written in the data folder's candle format so that
 * `gpt-backtest run --data PRODUCT=FILE` loads the file as it is.
 */
import { isCoinbaseClientError } from "@gpt/coinbase-client";
import type { Command } from "commander";
import { parseTime } from "../cli/options.js";
import { createProgress, type Progress, silentProgress } from "../cli/progress.js";
import { BacktestError } from "../errors.js";
import { excerpt, oneLine } from "../excerpt.js";
import type { CliIo } from "../main.js";
import { CandleRows, GRANULARITIES, type GranularityName, type WireCandle } from "./candles.js";
import { OutputFile } from "./output-file.js";
import { clientCandleSource } from "./source.js";

/** The header of the candle format (`run --data` reads it). */
const HEADER = "time,open,high,low,close,volume";
const PRODUCT = /^[A-Z0-9]+(?:-[A-Z0-9]+)+$/;
const DEFAULT_BASE_URL = "https://api.coinbase.com";

/** A range of candles to fetch: `[start, end)` in unix seconds. */
export interface CandleRequest {
  readonly productId: string;
  readonly granularity: GranularityName;
  readonly start: number;
  readonly end: number;
}

/** Where candles come from: ascending by `start`, each at most once. */
export interface CandleSource {
  candles(request: CandleRequest): AsyncIterable<WireCandle>;
  close(): Promise<void>;
}

/** The checked options of `download`. */
interface DownloadOptions extends CandleRequest {
  readonly out: string;
  readonly baseUrl: string;
  readonly progress: boolean;
}

interface RawDownloadOptions {
  product?: string;
  granularity?: string;
  from?: string;
  to?: string;
  out?: string;
  baseUrl?: string;
  progress?: boolean;
}

function bad(option: string, value: string, why: string): never {
  throw new BacktestError("bad-argument", `${option} ${excerpt(value)}: ${why}`);
}

/** Checks the raw options; every problem is a `bad-argument` error (exit 2). `nowMs` sets the default `--to`. */
function parseDownloadOptions(raw: RawDownloadOptions, nowMs: number): DownloadOptions {
  const productId = raw.product ?? "";
  if (!PRODUCT.test(productId)) bad("--product", productId, "expected a Coinbase product id such as BTC-USD");
  const granularityText = raw.granularity ?? "ONE_HOUR";
  if (!Object.hasOwn(GRANULARITIES, granularityText)) {
    bad("--granularity", granularityText, `expected one of ${Object.keys(GRANULARITIES).join(", ")}`);
  }
  const granularity = granularityText as GranularityName;
  const step = GRANULARITIES[granularity];
  if (raw.from === undefined)
    throw new BacktestError("bad-argument", "--from is required (the first candle)");
  const start = Math.ceil(parseTime("--from", raw.from) / 1000);
  // Never the bar in progress: its candle is not final yet.
  const current = Math.floor(nowMs / 1000 / step) * step;
  const end = raw.to === undefined ? current : Math.min(current, Math.ceil(parseTime("--to", raw.to) / 1000));
  if (start >= end) {
    bad(
      "--from",
      raw.from,
      end === current
        ? `no finished ${granularity} candle from then (the bar in progress began at ${iso(current)})`
        : `must be before --to (${iso(end)})`,
    );
  }
  if (raw.out === undefined || raw.out === "")
    throw new BacktestError("bad-argument", "--out is required (the CSV file to write)");
  const baseUrl = raw.baseUrl ?? DEFAULT_BASE_URL;
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
    bad("--base-url", baseUrl, "expected an http or https URL such as https://api.coinbase.com");
  }
  if (url.username !== "" || url.password !== "") {
    throw new BacktestError("bad-argument", "--base-url (not shown): must not carry a user name or password");
  }
  return { productId, granularity, start, end, out: raw.out, baseUrl, progress: raw.progress !== false };
}

/** What `downloadCandles` wrote. */
interface DownloadResult {
  readonly file: string;
  readonly candles: number;
  readonly first: number | undefined;
  readonly last: number | undefined;
  readonly missing: number;
}

/**
 * Fetches the candles of `options` from `source` and writes them atomically to `options.out`
 * (gzip when it ends in `.gz`). No candle in the range is an `empty-data` error and writes nothing.
 */
async function downloadCandles(
  options: DownloadOptions,
  source: CandleSource,
  progress: Progress = silentProgress,
): Promise<DownloadResult> {
  const step = GRANULARITIES[options.granularity];
  const output = OutputFile.open(options.out);
  const rows = new CandleRows(options.start, options.end, step);
  try {
    await output.writeLine(HEADER);
    for await (const candle of source.candles(options)) {
      const row = rows.row(candle);
      if (row === undefined) continue;
      await output.writeLine(row);
      progress.update(Math.floor((Number(candle.start) - options.start) / step) + 1);
    }
  } catch (error) {
    output.abandon();
    throw asBacktestError(error, options);
  } finally {
    progress.stop();
  }
  const summary = rows.summary();
  if (summary.candles === 0) {
    output.abandon();
    throw new BacktestError(
      "empty-data",
      `no ${options.productId} candles from ${iso(options.start)} to ${iso(options.end)}: nothing written`,
    );
  }
  await output.commit();
  return { file: output.target, ...summary };
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
}

/** Client errors as one-line `BacktestError`s: a refused request (4xx) is bad input, the rest is not. */
function asBacktestError(error: unknown, options: DownloadOptions): unknown {
  if (error instanceof BacktestError || !isCoinbaseClientError(error)) return error;
  const status = error.status;
  const refused =
    error.code === "invalid-request" ||
    (error.code === "http" &&
      status !== undefined &&
      status >= 400 &&
      status < 500 &&
      ![401, 403, 429].includes(status));
  return new BacktestError(
    refused ? "bad-argument" : "download-failed",
    `download of ${options.productId} ${options.granularity} candles failed: ${oneLine(error.message)}`,
    { cause: error },
  );
}

/** Adds `download` to the program. */
export function addDownloadCommand(program: Command, io: CliIo, now: () => number = Date.now): void {
  program
    .command("download")
    .description(
      "download candles of one product from Coinbase's public API (no key) into a CSV file that `run --data` reads",
    )
    .option("--product <ID>", "Coinbase product id, such as BTC-USD")
    .option("--granularity <G>", `candle length: ${Object.keys(GRANULARITIES).join(", ")}`, "ONE_HOUR")
    .option("--from <DATE>", "first candle (ISO date/time in UTC, or unix seconds)")
    .option(
      "--to <DATE>",
      "end, exclusive (ISO date/time in UTC, or unix seconds; default: the bar in progress)",
    )
    .option(
      "--out <FILE>",
      "the CSV file to write (gzip-compressed when it ends in .gz); replaced as a whole",
    )
    .option("--base-url <URL>", "API origin (a proxy or a local simulator)", DEFAULT_BASE_URL)
    .option("--no-progress", "no progress display")
    .action(async (raw: RawDownloadOptions) => {
      const options = parseDownloadOptions(raw, now());
      const step = GRANULARITIES[options.granularity];
      const stream = io.stderrStream;
      const progress =
        options.progress && stream !== undefined
          ? createProgress("download", Math.ceil((options.end - options.start) / step), stream)
          : silentProgress;
      const source = clientCandleSource(options.baseUrl);
      let result: DownloadResult;
      try {
        result = await downloadCandles(options, source, progress);
      } finally {
        await source.close();
      }
      io.stdout(
        `${options.productId} ${options.granularity}: ${result.candles} candles, ${
          result.first === undefined ? "" : `${iso(result.first)} to ${iso(result.last ?? result.first)}, `
        }${result.missing} missing (no trades; gaps left as gaps) -> ${options.out}\n`,
      );
    });
}
