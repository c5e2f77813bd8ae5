import { readFileSync, statSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import type { InstrumentId } from "@gpt/core";
import { BacktestError } from "../errors.js";
import { type BarColumns, type BarSeries, type FundingSeries, findGaps, smallestStep } from "./series.js";

/** The header row of a candle file. */
export const BAR_HEADER = "time,open,high,low,close,volume";
const FUNDING_HEADER = "time,rate";

/**
 * The gzip trailer's ISIZE field is the uncompressed length (mod 2^32) of the last member. Asking
 * zlib for one output chunk of that size lets it return the chunk itself instead of collecting
 * 16 KiB pieces and concatenating them, which would briefly hold the file twice. A wrong hint
 * (several members, a file over 4 GiB) only costs that copy again, never correctness.
 */
function gunzipChunkSize(gzip: Buffer): number {
  const hinted = gzip.length >= 18 ? gzip.readUInt32LE(gzip.length - 4) : 0;
  return Math.min(Math.max(hinted + 1, 64 * 1024), 1 << 30);
}

/** @internal The size of `path` in bytes; a missing file is a `file-not-found` `BacktestError`. */
export function fileSizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch (cause) {
    throw new BacktestError("file-not-found", `${path}: no such file`, { file: path, cause });
  }
}

/**
 * @internal Whether `head` (a file's first bytes) is gzip data; a file named `.gz` that is not is
 * a `file-unreadable` `BacktestError`.
 */
export function isGzipData(path: string, head: Uint8Array): boolean {
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  if (path.endsWith(".gz") && !gzip) {
    throw new BacktestError("file-unreadable", `${path}: named .gz but is not gzip data`, { file: path });
  }
  return gzip;
}

/** @internal `cause` as the `file-unreadable` error of `path` (a `BacktestError` passes through). */
export function unreadableFile(path: string, size: number, cause: unknown): BacktestError {
  if (cause instanceof BacktestError) return cause;
  return new BacktestError("file-unreadable", `${path}: cannot read (${size} bytes): ${String(cause)}`, {
    file: path,
    cause,
  });
}

/**
 * Reads a CSV or gzipped CSV file as bytes (decompressed when the file is gzip data); missing or
 * unreadable files are `BacktestError`s. The parsers scan these bytes directly, so a year of
 * one-minute bars never exists as one large string or as an array of lines.
 */
export function readCsvBytes(path: string): Buffer {
  const size = fileSizeOf(path);
  try {
    const raw = readFileSync(path);
    return isGzipData(path, raw) ? gunzipSync(raw, { chunkSize: gunzipChunkSize(raw) }) : raw;
  } catch (cause) {
    throw unreadableFile(path, size, cause);
  }
}

/** @internal The line-feed byte. */
export const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const COMMA = 0x2c;

/**
 * A forward-only reader of CSV rows over bytes. `next` fills a reused array with the row's cells
 * and returns how many there were; the only strings it makes are the (short) cells themselves.
 */
export class RowScanner {
  private position = 0;
  /** 1-based line number of the row most recently read. */
  line = 0;
  /** Byte offsets of the cells of the row read by `nextSpans` (the first `MAX_SPANS` cells). */
  private readonly starts = new Int32Array(MAX_SPANS);
  private readonly ends = new Int32Array(MAX_SPANS);

  constructor(private bytes: Buffer) {}

  /** Bytes of the current buffer read so far. */
  get consumed(): number {
    return this.position;
  }

  /** Continues with new bytes (whole rows), keeping the line count. */
  reset(bytes: Buffer): void {
    this.bytes = bytes;
    this.position = 0;
  }

  /** Rows left to read (counts line breaks; a final row without one counts too). */
  countRemaining(): number {
    const bytes = this.bytes;
    let count = 0;
    let at = this.position;
    while (at < bytes.length) {
      const nl = bytes.indexOf(NEWLINE, at);
      count++;
      if (nl < 0) break;
      at = nl + 1;
    }
    return count;
  }

  /** Reads the next row into `cells` (up to `cells.length` of them, at most 8); returns the cell count, or -1 at the end. */
  next(cells: string[]): number {
    const count = this.nextSpans();
    const kept = Math.min(count, cells.length, MAX_SPANS);
    for (let i = 0; i < kept; i++) cells[i] = this.text(i);
    return count;
  }

  /**
   * Reads the next row without making strings: records where its cells are (read them with
   * `number` or `text`). Returns the cell count, or -1 at the end.
   */
  nextSpans(): number {
    const bytes = this.bytes;
    if (this.position >= bytes.length) return -1;
    let end = bytes.indexOf(NEWLINE, this.position);
    if (end < 0) end = bytes.length;
    let rowEnd = end;
    if (rowEnd > this.position && bytes[rowEnd - 1] === CARRIAGE_RETURN) rowEnd--;
    let start = this.position;
    let count = 0;
    for (;;) {
      let comma = bytes.indexOf(COMMA, start);
      if (comma < 0 || comma > rowEnd) comma = rowEnd;
      if (count < MAX_SPANS) {
        this.starts[count] = start;
        this.ends[count] = comma;
      }
      count++;
      if (comma >= rowEnd) break;
      start = comma + 1;
    }
    this.position = end + 1;
    this.line++;
    return count;
  }

  /** Cell `i` of the row read by `nextSpans`, as text. */
  text(i: number): string {
    return this.bytes.toString("utf8", this.starts[i] as number, this.ends[i] as number);
  }

  /**
   * Cell `i` of the row read by `nextSpans` as a number, with `parseNumberCell`'s rules and errors.
   * Plain decimals (`-?digits[.digits]`, at most 15 digits) are read straight from the bytes: the
   * digits form an exact integer below 2^53 and dividing it by an exact power of ten rounds once,
   * correctly, so the result is the double `Number()` gives. Anything else goes through
   * `parseNumberCell` on the cell's text.
   */
  number(i: number, column: string, file: string, line: number): number {
    const value = plainDecimal(this.bytes, this.starts[i] as number, this.ends[i] as number);
    return Number.isNaN(value) ? parseNumberCell(this.text(i), column, file, line) : value;
  }
}

/** At most this many cells per row are located by `nextSpans` (rows have 6 or 2). */
const MAX_SPANS = 8;

/** Exact powers of ten 10^0 … 10^15. */
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * @internal The value of a plain decimal `-?[0-9]+(\.[0-9]+)?` of at most 15 digits in
 * `bytes[start, end)`, or NaN when the cell is anything else (the caller then parses its text).
 */
export function plainDecimal(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  const negative = i < end && bytes[i] === 0x2d;
  if (negative) i++;
  let mantissa = 0;
  let digits = 0;
  let intDigits = 0;
  let fracDigits = 0;
  let dot = false;
  for (; i < end; i++) {
    const b = bytes[i] as number;
    if (b >= 0x30 && b <= 0x39) {
      mantissa = mantissa * 10 + (b - 0x30);
      digits++;
      if (dot) fracDigits++;
      else intDigits++;
    } else if (b === 0x2e && !dot) {
      dot = true;
    } else {
      return Number.NaN;
    }
  }
  if (intDigits === 0 || (dot && fracDigits === 0) || digits > 15) return Number.NaN;
  const value = fracDigits === 0 ? mantissa : mantissa / (POW10[fracDigits] as number);
  return negative ? -value : value;
}

function toBytes(input: string | Uint8Array): Buffer {
  if (typeof input === "string") return Buffer.from(input, "utf8");
  return Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}

/** Checks the header row and returns a scanner positioned at the first data row and the row count. */
function openRows(input: string | Uint8Array, file: string, header: string): { rows: RowScanner; n: number } {
  const rows = new RowScanner(toBytes(input));
  const headerCells: string[] = new Array(MAX_SPANS).fill("");
  const count = rows.next(headerCells);
  const first = count < 0 ? "" : headerCells.slice(0, Math.min(count, MAX_SPANS)).join(",");
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
  const n = rows.countRemaining();
  if (n < 1) throw new BacktestError("empty-data", `${file}: no data rows`, { file });
  return { rows, n };
}

/** @internal A numeric cell: no blanks or padding, finite, else a `malformed-row` error naming it. */
export function parseNumberCell(cell: string, column: string, file: string, line: number): number {
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

function parseTimeCell(rows: RowScanner, file: string, line: number): number {
  const seconds = rows.number(0, "time", file, line);
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new BacktestError(
      "malformed-row",
      `${file}:${line}: time must be whole unix seconds, got ${rows.text(0)}`,
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
  const o = rows.number(1, "open", file, line);
  const h = rows.number(2, "high", file, line);
  const l = rows.number(3, "low", file, line);
  const c = rows.number(4, "close", file, line);
  const v = rows.number(5, "volume", file, line);
  if (o <= 0 || h <= 0 || l <= 0 || c <= 0) {
    throw new BacktestError("malformed-row", `${file}:${line}: prices must be positive`, { file, line });
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
  const { rows, n } = openRows(text, file, BAR_HEADER);
  const columns = allocateBarColumns(n);
  let previous = -1;
  for (let i = 0; i < n; i++) {
    const count = rows.nextSpans();
    previous = parseBarRow(rows, count, file, rows.line, previous, columns, i);
  }
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
  const { rows, n } = openRows(text, file, FUNDING_HEADER);
  const time = new Float64Array(n);
  const rate = new Float64Array(n);
  let previous = -1;
  for (let i = 0; i < n; i++) {
    const count = rows.nextSpans();
    const lineNo = rows.line;
    if (count !== 2) {
      throw new BacktestError("malformed-row", `${file}:${lineNo}: expected 2 cells, got ${count}`, {
        file,
        line: lineNo,
      });
    }
    const t = parseTimeCell(rows, file, lineNo);
    if (i > 0) checkOrder(previous, t, file, lineNo);
    previous = t;
    const r = rows.number(1, "rate", file, lineNo);
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
  return parseFundingCsv(readCsvBytes(path), { ...options, source: path });
}
