import { BacktestError } from "../errors.js";
import { describeCell } from "../excerpt.js";

/**
 * The longest line a data file may have, in bytes (a candle row is about 60). A longer line (a
 * binary file, a file without line breaks) stops the read there, so no input is buffered or
 * echoed whole.
 */
export const MAX_LINE_BYTES = 4096;
/** @internal The error for a line of more than `MAX_LINE_BYTES` bytes starting at `line` of `file`. */
export function lineTooLong(file: string, line: number): BacktestError {
  return new BacktestError(
    "malformed-row",
    `${file}:${line}: line is longer than ${MAX_LINE_BYTES} bytes (not a CSV file, or no line breaks?)`,
    { file, line },
  );
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

  /**
   * `bytes` are whole rows; `source` names the input in errors. A row longer than
   * `MAX_LINE_BYTES` is a `malformed-row` error.
   */
  constructor(
    private bytes: Buffer,
    readonly source = "input",
  ) {}

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
    if (end - this.position > MAX_LINE_BYTES) throw lineTooLong(this.source, this.line + 1);
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

  /** Whether the row read by `nextSpans` (with `count` cells) is blank: empty or only spaces. */
  isBlank(count: number): boolean {
    if (count !== 1) return false;
    const end = this.ends[0] as number;
    for (let i = this.starts[0] as number; i < end; i++) {
      const b = this.bytes[i];
      if (b !== 0x20 && b !== 0x09) return false;
    }
    return true;
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
export const MAX_SPANS = 8;

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

/** A cell of a plain decimal number: digits, one optional point, an optional exponent. */
const DECIMAL_CELL = /^-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

/** @internal A numeric cell: no blanks or padding, finite, else a `malformed-row` error naming it. */
export function parseNumberCell(cell: string, column: string, file: string, line: number): number {
  // Number("") is 0, Number(" 1") is 1, Number("0x10") is 16 and Number("+5") is 5: only plain
  // decimals are numbers here.
  if (!DECIMAL_CELL.test(cell)) {
    throw new BacktestError(
      "malformed-row",
      `${file}:${line}: ${column} is not a decimal number: ${describeCell(cell)}`,
      { file, line },
    );
  }
  const value = Number(cell);
  if (!Number.isFinite(value)) {
    throw new BacktestError(
      "malformed-row",
      `${file}:${line}: ${column} is out of range: ${describeCell(cell)}`,
      {
        file,
        line,
      },
    );
  }
  return value;
}
