import type { InstrumentId } from "@gpt/core";
import { BacktestError } from "../errors.js";
import { describeCell, excerpt, looksSecret } from "../excerpt.js";
import { readCsvBytes } from "./files.js";
import { MAX_SPANS, RowScanner } from "./rows.js";
import { type BarColumns, type BarSeries, type FundingSeries, findGaps, smallestStep } from "./series.js";

export { parseNumberCell, plainDecimal, RowScanner } from "./rows.js";

/** The header row of a candle file. */
export const BAR_HEADER = "time,open,high,low,close,volume";
const FUNDING_HEADER = "time,rate";

/** The latest time a row may have: 2100-01-01T00:00:00Z, in unix seconds. */
export const MAX_TIME_SECONDS = 4_102_444_800;

/** Labels of the candle columns in messages: the name and the 1-based column. */
const BAR_COLUMNS = [
  "time (column 1)",
  "open (column 2)",
  "high (column 3)",
  "low (column 4)",
  "close (column 5)",
  "volume (column 6)",
] as const;
const RATE_COLUMN = "rate (column 2)";

/** @internal The error for a blank line followed by more rows. */
export function blankLineInData(file: string, line: number): BacktestError {
  return new BacktestError(
    "malformed-row",
    `${file}:${line}: blank line between rows (only the end of a file may have blank lines)`,
    { file, line },
  );
}

/** @internal `bytes` without a leading UTF-8 byte order mark. */
export function withoutBom(bytes: Buffer): Buffer {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
    ? bytes.subarray(3)
    : bytes;
}

function toBytes(input: string | Uint8Array): Buffer {
  if (typeof input === "string") return withoutBom(Buffer.from(input, "utf8"));
  return withoutBom(
    Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength),
  );
}

/** Header cells are quoted in messages only when they look like column names. */
const NAME_LIKE = /^[A-Za-z_ ]{0,20}$/;

/**
 * @internal Checks a header row (`count` cells, the first of them in `cells`) against `header`;
 * a mismatch is a `bad-header` error that names the first differing column and quotes the line
 * only when it looks like a header (never a `.env` line or binary data).
 */
export function checkHeader(cells: readonly string[], count: number, file: string, header: string): void {
  const expected = header.split(",");
  const got = cells.slice(0, Math.max(0, Math.min(count, cells.length)));
  if (count === expected.length && got.join(",") === header) return;
  const message = `${file}:1: expected the header "${header}"`;
  const fail = (text: string): never => {
    throw new BacktestError("bad-header", `${message}, got ${text}`, { file, line: 1 });
  };
  if (count < 0) fail("an empty file");
  if (count === 1 && got[0]?.trim() === "") fail("a blank line");
  const differs = expected.findIndex((name, i) => got[i] !== name);
  const column = differs < 0 ? expected.length + 1 : differs + 1;
  const joined = got.join(",") + (count > got.length ? ",…" : "");
  if (got.every((cell) => NAME_LIKE.test(cell)) && !looksSecret(joined)) {
    fail(`${excerpt(joined, 80)} (column ${column} differs)`);
  }
  fail(`a first line of ${count} cell${count === 1 ? "" : "s"} that is not a CSV header (not shown)`);
}

/** Checks the header row and returns a scanner positioned at the first data row and the row count. */
function openRows(input: string | Uint8Array, file: string, header: string): { rows: RowScanner; n: number } {
  const rows = new RowScanner(toBytes(input), file);
  const headerCells: string[] = new Array(MAX_SPANS).fill("");
  const count = rows.next(headerCells);
  checkHeader(headerCells, count, file, header);
  const n = rows.countRemaining();
  if (n < 1) throw new BacktestError("empty-data", `${file}: no data rows`, { file });
  return { rows, n };
}

/** The unit a time of `seconds` (too large for seconds) was probably written in, if any. */
export function likelyUnit(seconds: number): string | undefined {
  for (const [unit, factor] of [
    ["milliseconds", 1e3],
    ["microseconds", 1e6],
    ["nanoseconds", 1e9],
  ] as const) {
    if (seconds / factor <= MAX_TIME_SECONDS) return unit;
  }
  return undefined;
}

/**
 * @internal Checks whole unix `seconds` against the sane range [1970, 2100) and returns them as
 * ms; a larger value names the unit it was probably written in (milliseconds, microseconds, …).
 */
function checkTimeRange(seconds: number, what: string, file: string, line: number): number {
  if (seconds >= MAX_TIME_SECONDS) {
    const unit = likelyUnit(seconds);
    throw new BacktestError(
      "malformed-row",
      `${file}:${line}: ${what} ${seconds} is after 2100-01-01 in unix seconds${unit === undefined ? "" : `; it looks like ${unit}`} (time must be unix seconds)`,
      { file, line },
    );
  }
  return seconds * 1000;
}

function parseTimeCell(rows: RowScanner, file: string, line: number): number {
  const label = BAR_COLUMNS[0];
  const seconds = rows.number(0, label, file, line);
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new BacktestError(
      "malformed-row",
      `${file}:${line}: ${label} must be whole unix seconds, got ${describeCell(rows.text(0))}`,
      { file, line },
    );
  }
  return checkTimeRange(seconds, label, file, line);
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

/** Allocates `rows` rows of bar columns. */
export function allocateBarColumns(rows: number): BarColumns {
  return {
    tsOpen: new Float64Array(rows),
    open: new Float64Array(rows),
    high: new Float64Array(rows),
    low: new Float64Array(rows),
    close: new Float64Array(rows),
    volume: new Float64Array(rows),
  };
}

/**
 * Checks one candle row (the row `rows.nextSpans()` just read: `count` cells, at `line` of `file`) and writes it at `index`
 * of `into`. `previousMs` is the previous row's open time, or -1 for the first row. Returns the
 * row's open time in ms. Throws the `BacktestError` that names the file, line and problem.
 */
export function parseBarRow(
  rows: RowScanner,
  count: number,
  file: string,
  line: number,
  previousMs: number,
  into: BarColumns,
  index: number,
): number {
  if (count !== 6) {
    throw new BacktestError("malformed-row", `${file}:${line}: expected 6 cells, got ${count}`, {
      file,
      line,
    });
  }
  const t = parseTimeCell(rows, file, line);
  if (previousMs >= 0) checkOrder(previousMs, t, file, line);
  const o = rows.number(1, BAR_COLUMNS[1], file, line);
  const h = rows.number(2, BAR_COLUMNS[2], file, line);
  const l = rows.number(3, BAR_COLUMNS[3], file, line);
  const c = rows.number(4, BAR_COLUMNS[4], file, line);
  const v = rows.number(5, BAR_COLUMNS[5], file, line);
  if (o <= 0 || h <= 0 || l <= 0 || c <= 0) {
    const [label, value] =
      o <= 0
        ? [BAR_COLUMNS[1], o]
        : h <= 0
          ? [BAR_COLUMNS[2], h]
          : l <= 0
            ? [BAR_COLUMNS[3], l]
            : [BAR_COLUMNS[4], c];
    throw new BacktestError("malformed-row", `${file}:${line}: ${label} must be positive, got ${value}`, {
      file,
      line,
    });
  }
  if (l > Math.min(o, c) || h < Math.max(o, c) || v < 0) {
    throw new BacktestError(
      "malformed-row",
      `${file}:${line}: inconsistent bar (open ${o}, high ${h}, low ${l}, close ${c}, volume ${v})`,
      { file, line },
    );
  }
  into.tsOpen[index] = t;
  into.open[index] = o;
  into.high[index] = h;
  into.low[index] = l;
  into.close[index] = c;
  into.volume[index] = v;
  return t;
}

/**
 * Parses candles in the format of shared/data (`time,open,high,low,close,volume`, time = bar open
 * in unix seconds, ascending). Every row is checked: six numeric cells, positive prices,
 * `low <= min(open, close)`, `high >= max(open, close)`, `volume >= 0`, strictly increasing time.
 * The first bad row stops the load with a `BacktestError` naming the file and line. Gaps are kept
 * as gaps and listed in `gaps`. The bar interval is the smallest step unless `intervalMs` is given.
 * `text` may be the file's text or its bytes (what `readCsvBytes` returns).
 */
export function parseBarsCsv(
  text: string | Uint8Array,
  options: { instrumentId: InstrumentId; source: string; intervalMs?: number },
): BarSeries {
  const file = options.source;
  const { rows, n: lines } = openRows(text, file, BAR_HEADER);
  const all = allocateBarColumns(lines);
  let previous = -1;
  let n = 0;
  let blankLine = 0;
  for (let i = 0; i < lines; i++) {
    const count = rows.nextSpans();
    if (rows.isBlank(count)) {
      if (blankLine === 0) blankLine = rows.line;
      continue;
    }
    if (blankLine !== 0) throw blankLineInData(file, blankLine);
    previous = parseBarRow(rows, count, file, rows.line, previous, all, n);
    n++;
  }
  if (n === 0) throw new BacktestError("empty-data", `${file}: no data rows`, { file });
  const columns = n === lines ? all : trimColumns(all, n);
  const intervalMs = options.intervalMs ?? (n > 1 ? smallestStep(columns.tsOpen) : 60_000);
  return {
    instrumentId: options.instrumentId,
    source: options.source,
    intervalMs,
    length: n,
    ...columns,
    gaps: findGaps(columns.tsOpen, intervalMs),
  };
}

/** The first `n` rows of `columns`, copied (trailing blank lines left unused rows behind). */
function trimColumns(columns: BarColumns, n: number): BarColumns {
  return {
    tsOpen: columns.tsOpen.slice(0, n),
    open: columns.open.slice(0, n),
    high: columns.high.slice(0, n),
    low: columns.low.slice(0, n),
    close: columns.close.slice(0, n),
    volume: columns.volume.slice(0, n),
  };
}

/** Loads a candle file (CSV or CSV.gz); see `parseBarsCsv`. */
export function loadBarsCsv(
  path: string,
  options: { instrumentId: InstrumentId; intervalMs?: number },
): BarSeries {
  return parseBarsCsv(readCsvBytes(path), { ...options, source: path });
}

/**
 * Parses a funding file (`time,rate`, time in unix seconds, rate a fraction per interval),
 * with the same row checks as `parseBarsCsv`.
 */
export function parseFundingCsv(
  text: string | Uint8Array,
  options: { instrumentId: InstrumentId; source: string },
): FundingSeries {
  const file = options.source;
  const { rows, n: lines } = openRows(text, file, FUNDING_HEADER);
  const allTime = new Float64Array(lines);
  const allRate = new Float64Array(lines);
  let previous = -1;
  let n = 0;
  let blankLine = 0;
  for (let line = 0; line < lines; line++) {
    const count = rows.nextSpans();
    const lineNo = rows.line;
    if (rows.isBlank(count)) {
      if (blankLine === 0) blankLine = lineNo;
      continue;
    }
    if (blankLine !== 0) throw blankLineInData(file, blankLine);
    const i = n++;
    if (count !== 2) {
      throw new BacktestError("malformed-row", `${file}:${lineNo}: expected 2 cells, got ${count}`, {
        file,
        line: lineNo,
      });
    }
    const t = parseTimeCell(rows, file, lineNo);
    if (i > 0) checkOrder(previous, t, file, lineNo);
    previous = t;
    const r = rows.number(1, RATE_COLUMN, file, lineNo);
    if (Math.abs(r) > 0.05) {
      throw new BacktestError(
        "malformed-row",
        `${file}:${lineNo}: ${RATE_COLUMN} ${r} exceeds 5% per interval in size`,
        { file, line: lineNo },
      );
    }
    allTime[i] = t;
    allRate[i] = r;
  }
  if (n === 0) throw new BacktestError("empty-data", `${file}: no data rows`, { file });
  const time = n === lines ? allTime : allTime.slice(0, n);
  const rate = n === lines ? allRate : allRate.slice(0, n);
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
  return parseFundingCsv(readCsvBytes(path), { ...options, source: path });
}
