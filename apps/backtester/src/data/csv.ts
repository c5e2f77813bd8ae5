import { readFileSync, statSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import type { InstrumentId } from "@gpt/core";
import { BacktestError } from "../errors.js";
import { type BarSeries, type FundingSeries, findGaps, smallestStep } from "./series.js";

const BAR_HEADER = "time,open,high,low,close,volume";
const FUNDING_HEADER = "time,rate";

/** Reads a CSV or gzipped CSV file as text; missing or unreadable files are `BacktestError`s. */
export function readCsvText(path: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (cause) {
    throw new BacktestError("file-not-found", `${path}: no such file`, { file: path, cause });
  }
  try {
    const raw = readFileSync(path);
    const isGzip = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
    if (path.endsWith(".gz") && !isGzip) {
      throw new BacktestError("file-unreadable", `${path}: named .gz but is not gzip data`, { file: path });
    }
    return (isGzip ? gunzipSync(raw) : raw).toString("utf8");
  } catch (cause) {
    if (cause instanceof BacktestError) throw cause;
    throw new BacktestError("file-unreadable", `${path}: cannot read (${size} bytes): ${String(cause)}`, {
      file: path,
      cause,
    });
  }
}

function parseNumberCell(cell: string, column: string, file: string, line: number): number {
  // Number("") is 0 and Number(" 1") is 1: reject blanks and padding before converting.
  if (cell === "" || cell.trim() !== cell) {
    throw new BacktestError("malformed-row", `${file}:${line}: ${column} is ${JSON.stringify(cell)}`, {
      file,
      line,
    });
  }
  const value = Number(cell);
  if (!Number.isFinite(value)) {
    throw new BacktestError(
      "malformed-row",
      `${file}:${line}: ${column} is not a number: ${JSON.stringify(cell)}`,
      {
        file,
        line,
      },
    );
  }
  return value;
}

function parseTimeCell(cell: string, file: string, line: number): number {
  const seconds = parseNumberCell(cell, "time", file, line);
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new BacktestError(
      "malformed-row",
      `${file}:${line}: time must be whole unix seconds, got ${cell}`,
      {
        file,
        line,
      },
    );
  }
  return seconds * 1000;
}

function checkOrder(previousMs: number, ms: number, file: string, line: number): void {
  if (ms === previousMs) {
    throw new BacktestError("duplicate-time", `${file}:${line}: duplicate timestamp ${ms / 1000}`, {
      file,
      line,
    });
  }
  if (ms < previousMs) {
    throw new BacktestError(
      "unsorted",
      `${file}:${line}: timestamp ${ms / 1000} comes before the previous row's ${previousMs / 1000}`,
      { file, line },
    );
  }
}

function splitLines(text: string, file: string, header: string): string[] {
  const lines = text.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const first = (lines[0] ?? "").replace(/\r$/, "");
  if (first !== header) {
    throw new BacktestError(
      "bad-header",
      `${file}:1: expected header "${header}", got ${JSON.stringify(first)}`,
      {
        file,
        line: 1,
      },
    );
  }
  if (lines.length < 2) throw new BacktestError("empty-data", `${file}: no data rows`, { file });
  return lines;
}

/**
 * Parses candles in the format of shared/data (`time,open,high,low,close,volume`, time = bar open
 * in unix seconds, ascending). Every row is checked: six numeric cells, positive prices,
 * `low <= min(open, close)`, `high >= max(open, close)`, `volume >= 0`, strictly increasing time.
 * The first bad row stops the load with a `BacktestError` naming the file and line. Gaps are kept
 * as gaps and listed in `gaps`. The bar interval is the smallest step unless `intervalMs` is given.
 */
export function parseBarsCsv(
  text: string,
  options: { instrumentId: InstrumentId; source: string; intervalMs?: number },
): BarSeries {
  const file = options.source;
  const lines = splitLines(text, file, BAR_HEADER);
  const n = lines.length - 1;
  const tsOpen = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  let previous = -1;
  for (let i = 0; i < n; i++) {
    const lineNo = i + 2;
    const cells = (lines[i + 1] as string).replace(/\r$/, "").split(",");
    if (cells.length !== 6) {
      throw new BacktestError("malformed-row", `${file}:${lineNo}: expected 6 cells, got ${cells.length}`, {
        file,
        line: lineNo,
      });
    }
    const t = parseTimeCell(cells[0] as string, file, lineNo);
    if (i > 0) checkOrder(previous, t, file, lineNo);
    previous = t;
    const o = parseNumberCell(cells[1] as string, "open", file, lineNo);
    const h = parseNumberCell(cells[2] as string, "high", file, lineNo);
    const l = parseNumberCell(cells[3] as string, "low", file, lineNo);
    const c = parseNumberCell(cells[4] as string, "close", file, lineNo);
    const v = parseNumberCell(cells[5] as string, "volume", file, lineNo);
    if (o <= 0 || h <= 0 || l <= 0 || c <= 0) {
      throw new BacktestError("malformed-row", `${file}:${lineNo}: prices must be positive`, {
        file,
        line: lineNo,
      });
    }
    if (l > Math.min(o, c) || h < Math.max(o, c) || v < 0) {
      throw new BacktestError(
        "malformed-row",
        `${file}:${lineNo}: inconsistent bar (open ${o}, high ${h}, low ${l}, close ${c}, volume ${v})`,
        { file, line: lineNo },
      );
    }
    tsOpen[i] = t;
    open[i] = o;
    high[i] = h;
    low[i] = l;
    close[i] = c;
    volume[i] = v;
  }
  const intervalMs = options.intervalMs ?? (n > 1 ? smallestStep(tsOpen) : 60_000);
  return {
    instrumentId: options.instrumentId,
    source: options.source,
    intervalMs,
    length: n,
    tsOpen,
    open,
    high,
    low,
    close,
    volume,
    gaps: findGaps(tsOpen, intervalMs),
  };
}

/** Loads a candle file (CSV or CSV.gz); see `parseBarsCsv`. */
export function loadBarsCsv(
  path: string,
  options: { instrumentId: InstrumentId; intervalMs?: number },
): BarSeries {
  return parseBarsCsv(readCsvText(path), { ...options, source: path });
}

/**
 * Parses a funding file (`time,rate`, time in unix seconds, rate a fraction per interval),
 * with the same row checks as `parseBarsCsv`.
 */
export function parseFundingCsv(
  text: string,
  options: { instrumentId: InstrumentId; source: string },
): FundingSeries {
  const file = options.source;
  const lines = splitLines(text, file, FUNDING_HEADER);
  const n = lines.length - 1;
  const time = new Float64Array(n);
  const rate = new Float64Array(n);
  let previous = -1;
  for (let i = 0; i < n; i++) {
    const lineNo = i + 2;
    const cells = (lines[i + 1] as string).replace(/\r$/, "").split(",");
    if (cells.length !== 2) {
      throw new BacktestError("malformed-row", `${file}:${lineNo}: expected 2 cells, got ${cells.length}`, {
        file,
        line: lineNo,
      });
    }
    const t = parseTimeCell(cells[0] as string, file, lineNo);
    if (i > 0) checkOrder(previous, t, file, lineNo);
    previous = t;
    const r = parseNumberCell(cells[1] as string, "rate", file, lineNo);
    if (Math.abs(r) > 0.05) {
      throw new BacktestError("malformed-row", `${file}:${lineNo}: |rate| ${r} exceeds 5% per interval`, {
        file,
        line: lineNo,
      });
    }
    time[i] = t;
    rate[i] = r;
  }
  return {
    instrumentId: options.instrumentId,
    source: options.source,
    intervalMs: n > 1 ? smallestStep(time) : 8 * 3_600_000,
    length: n,
    time,
    rate,
  };
}

/** Loads a funding file (CSV or CSV.gz); see `parseFundingCsv`. */
export function loadFundingCsv(path: string, options: { instrumentId: InstrumentId }): FundingSeries {
  return parseFundingCsv(readCsvText(path), { ...options, source: path });
}
