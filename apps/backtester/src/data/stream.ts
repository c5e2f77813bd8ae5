import { closeSync, createReadStream, openSync, readSync, statSync } from "node:fs";
import { pipeline, Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import type { InstrumentId } from "@gpt/core";
import { BacktestError } from "../errors.js";
import {
  allocateBarColumns,
  BAR_HEADER,
  blankLineInData,
  checkHeader,
  parseBarRow,
  withoutBom,
} from "./csv.js";
import { fileSizeOf, isGzipData, systemReason, unreadableFile } from "./files.js";
import { lineTooLong, MAX_LINE_BYTES, NEWLINE, RowScanner } from "./rows.js";
import type { BarColumns, BarGap } from "./series.js";

/** Rows per chunk unless told otherwise: six columns of 64k rows are 3 MB per instrument. */
const DEFAULT_CHUNK_ROWS = 65_536;

/**
 * Bars of one instrument as the replay loop reads them: the columns of the current chunk, and
 * whether more chunks follow. An in-memory `BarSeries` is a single chunk with `ended` true.
 */
export interface BarChunkSource extends BarColumns {
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** Where the bars come from. */
  readonly source: string;
  /** Bar length in ms. */
  readonly intervalMs: number;
  /** Rows in the current chunk. */
  readonly length: number;
  /** True when no chunk follows the current one. */
  readonly ended: boolean;
  /** Gaps between consecutive bars read so far (all of them once `ended`). */
  readonly gaps: readonly BarGap[];
}

/** Options of `openBarStream`. */
export interface BarStreamOptions {
  /** The instrument of the file. */
  readonly instrumentId: InstrumentId;
  /** First bar open time to keep (ms, inclusive). */
  readonly fromMs?: number;
  /** Bar open time to stop at (ms, exclusive); the rest of the file is not read. */
  readonly toMs?: number;
  /** Rows per chunk (at least 2); `DEFAULT_CHUNK_ROWS` by default. */
  readonly chunkRows?: number;
  /** Bytes per file read; small values are for tests that split rows across reads. */
  readonly readBytes?: number;
}

/**
 * The uncompressed size a gzip file's trailer gives (ISIZE, the size mod 2^32 of its last member),
 * for the progress estimate; 0 when the file is not a regular file (a pipe cannot seek).
 */
function gzipSizeHint(path: string, size: number): number {
  if (size < 18 || !statSync(path).isFile()) return 0;
  const fd = openSync(path, "r");
  try {
    const tail = Buffer.alloc(4);
    readSync(fd, tail, 0, 4, size - 4);
    return tail.readUInt32LE(0);
  } finally {
    closeSync(fd);
  }
}

/** The chunks of `raw`, starting with `head` (its first bytes, already read from it). */
async function* replayFrom(head: Buffer, raw: AsyncIterator<Buffer>, done: boolean): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head;
  if (done) return;
  for (;;) {
    const next = await raw.next();
    if (next.done === true) return;
    yield next.value;
  }
}

/**
 * A candle file read a chunk at a time (CSV or CSV.gz, the format of `parseBarsCsv`, with the same
 * row checks and error messages). Memory stays at one chunk of columns plus the read buffers, however
 * long the file. The bar interval is the smallest step among the rows read before the first chunk
 * is handed out; a smaller step later in the file is an error (`malformed-row`), so a file that
 * streams has the interval `loadBarsCsv` would infer. Rows outside `[fromMs, toMs)` are checked
 * (up to `toMs`) but not kept, and gaps are counted among kept rows, as `sliceSeries` does.
 */
export class StreamingBarReader implements BarChunkSource {
  readonly instrumentId: InstrumentId;
  readonly source: string;
  intervalMs = 60_000;
  length = 0;
  ended = false;
  readonly gaps: BarGap[] = [];
  readonly tsOpen: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /**
   * Rows the run will get, guessed from the file's (uncompressed) size and its first rows once the
   * first chunk is read (for progress), and exact once `ended`.
   */
  estimatedRows = 0;
  /** Bytes of (uncompressed) data received from the file so far. */
  bytesRead = 0;
  /** Rows handed out so far, over all chunks. */
  private keptRows = 0;

  private readonly columns: BarColumns;
  private readonly chunkRows: number;
  private readonly fromMs: number;
  private readonly toMs: number;
  private readonly streams: readonly Readable[];
  private readonly input: AsyncIterator<Buffer>;
  private readonly scanner: RowScanner;
  private readonly cells: string[] = ["", "", "", "", "", ""];
  /** Bytes after the last complete row of the data read so far. */
  private carry: Buffer = Buffer.alloc(0);
  private pending = 0;
  private inputDone = false;
  private headerChecked = false;
  private bomChecked = false;
  /** Line of the first blank line not yet followed by a row (0: none); only the end may be blank. */
  private blankLine = 0;
  private previousMs = -1;
  private lastKeptMs = -1;
  private smallestStep = Number.POSITIVE_INFINITY;
  private intervalFixed = false;
  private rowsParsed = 0;
  /** Bytes of the blocks before the scanner's current one. */
  private bytesQueued = 0;
  private readonly uncompressedHint: number;

  private constructor(
    path: string,
    options: BarStreamOptions,
    streams: readonly Readable[],
    input: AsyncIterator<Buffer>,
    uncompressedHint: number,
  ) {
    this.instrumentId = options.instrumentId;
    this.source = path;
    this.scanner = new RowScanner(Buffer.alloc(0), path);
    this.chunkRows = Math.max(2, options.chunkRows ?? DEFAULT_CHUNK_ROWS);
    this.fromMs = options.fromMs ?? Number.NEGATIVE_INFINITY;
    this.toMs = options.toMs ?? Number.POSITIVE_INFINITY;
    this.columns = allocateBarColumns(this.chunkRows);
    ({
      tsOpen: this.tsOpen,
      open: this.open,
      high: this.high,
      low: this.low,
      close: this.close,
      volume: this.volume,
    } = this.columns);
    this.streams = streams;
    this.input = input;
    this.uncompressedHint = uncompressedHint;
  }

  /**
   * Opens `path` and reads its first chunk, which fixes `intervalMs`. Missing files, bad headers,
   * bad rows and files with no bars in range are `BacktestError`s, as with `loadBarsCsv`.
   */
  static async open(path: string, options: BarStreamOptions): Promise<StreamingBarReader> {
    const size = fileSizeOf(path);
    // The first block tells gzip from plain text; no seeking, so pipes and process substitutions work.
    const fileStream = createReadStream(path, { highWaterMark: options.readBytes ?? 256 * 1024 });
    const raw = fileStream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const headParts: Buffer[] = [];
    let done = false;
    let gzip: boolean;
    let uncompressedHint = size;
    try {
      for (let read = 0; read < 2 && !done; ) {
        const next = await raw.next();
        if (next.done === true) done = true;
        else {
          headParts.push(next.value);
          read += next.value.length;
        }
      }
      gzip = isGzipData(path, Buffer.concat(headParts));
      if (gzip) uncompressedHint = gzipSizeHint(path, size);
    } catch (cause) {
      fileStream.destroy();
      throw unreadableFile(path, size, cause);
    }
    let streams: Readable[] = [fileStream];
    const chunks = replayFrom(Buffer.concat(headParts), raw, done);
    let input: AsyncIterator<Buffer> = chunks;
    if (gzip) {
      const gunzip = createGunzip(
        options.readBytes === undefined ? {} : { chunkSize: Math.max(64, options.readBytes) },
      );
      // pipeline destroys the gunzip stream with the file's read error, which the reader reports.
      pipeline(Readable.from(chunks, { objectMode: false }), gunzip, () => {});
      streams = [fileStream, gunzip];
      input = gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    }
    const reader = new StreamingBarReader(path, options, streams, input, uncompressedHint);
    try {
      await reader.refill();
      if (reader.length === 0) {
        throw new BacktestError("empty-data", `${path}: no data rows in the chosen range`, { file: path });
      }
    } catch (error) {
      reader.closeInput();
      throw error;
    }
    return reader;
  }

  /** Replaces the current chunk with the next rows; sets `ended` when the file (or range) is done. */
  async refill(): Promise<void> {
    try {
      await this.fill();
    } catch (error) {
      this.closeInput();
      throw error;
    }
  }

  private async fill(): Promise<void> {
    this.length = 0;
    if (this.ended) return;
    const chunkStart = this.lastKeptMs;
    while (this.length < this.chunkRows) {
      if (this.pending === 0) {
        if (this.inputDone) {
          this.ended = true;
          break;
        }
        await this.readMore();
        continue;
      }
      if (!this.parseOne()) {
        this.ended = true;
        this.pending = 0;
        this.closeInput();
        break;
      }
    }
    if (!this.intervalFixed) {
      if (!this.headerChecked) checkHeader([], -1, this.source, BAR_HEADER);
      if (this.rowsParsed === 0) {
        throw new BacktestError("empty-data", `${this.source}: no data rows`, { file: this.source });
      }
      this.intervalMs = Number.isFinite(this.smallestStep) ? this.smallestStep : 60_000;
      this.intervalFixed = true;
      const bytesPerRow = (this.bytesQueued + this.scanner.consumed) / (this.rowsParsed + 1);
      this.estimatedRows = Math.max(
        this.length,
        Math.round(this.uncompressedHint / Math.max(1, bytesPerRow)),
      );
    }
    this.collectGaps(chunkStart);
    this.keptRows += this.length;
    if (this.ended) this.estimatedRows = this.keptRows;
  }

  /** Stops reading (idempotent); call when a run ends early. */
  closeInput(): void {
    for (const stream of this.streams) stream.destroy();
  }

  /** Parses the next pending row; false when it lies at or after `toMs` (the read stops there). */
  private parseOne(): boolean {
    if (!this.headerChecked) {
      this.pending--;
      checkHeader(this.cells, this.scanner.next(this.cells), this.source, BAR_HEADER);
      this.headerChecked = true;
      return true;
    }
    const count = this.scanner.nextSpans();
    this.pending--;
    const line = this.scanner.line;
    if (this.scanner.isBlank(count)) {
      if (this.blankLine === 0) this.blankLine = line;
      return true;
    }
    if (this.blankLine !== 0) throw blankLineInData(this.source, this.blankLine);
    const at = this.length;
    const t = parseBarRow(this.scanner, count, this.source, line, this.previousMs, this.columns, at);
    if (this.previousMs >= 0) {
      const step = t - this.previousMs;
      if (!this.intervalFixed) {
        if (step < this.smallestStep) this.smallestStep = step;
      } else if (step < this.intervalMs) {
        throw new BacktestError(
          "malformed-row",
          `${this.source}:${line}: step of ${step / 1000}s is shorter than the ${this.intervalMs / 1000}s bar interval of the rows before it`,
          { file: this.source, line },
        );
      }
    }
    this.previousMs = t;
    this.rowsParsed++;
    if (t >= this.toMs) return false;
    if (t >= this.fromMs) this.length = at + 1;
    return true;
  }

  /** Gaps among the kept rows of the current chunk, continuing from the last kept row before it. */
  private collectGaps(previousKept: number): void {
    let previous = previousKept;
    const times = this.tsOpen;
    for (let i = 0; i < this.length; i++) {
      const t = times[i] as number;
      if (previous >= 0 && t - previous > this.intervalMs) {
        this.gaps.push({
          afterTsOpen: previous,
          beforeTsOpen: t,
          missingBars: Math.round((t - previous) / this.intervalMs) - 1,
        });
      }
      previous = t;
    }
    if (this.length > 0) this.lastKeptMs = times[this.length - 1] as number;
  }

  /** Reads the next block of the file and queues its complete rows. */
  private async readMore(): Promise<void> {
    // Every queued row is parsed, so the carry starts the next line: past the limit, stop here.
    // This bounds memory (and the copying below) by the read size plus MAX_LINE_BYTES.
    if (this.carry.length > MAX_LINE_BYTES) throw lineTooLong(this.source, this.scanner.line + 1);
    let next: IteratorResult<Buffer>;
    try {
      next = await this.input.next();
    } catch (cause) {
      throw new BacktestError("file-unreadable", `${this.source}: cannot read: ${systemReason(cause)}`, {
        file: this.source,
        cause,
      });
    }
    if (next.done !== true) this.bytesRead += next.value.length;
    if (next.done === true) {
      this.inputDone = true;
      if (this.carry.length > 0) {
        // A last row without a line break.
        this.queueRows(this.carry, this.carry.length);
        this.carry = Buffer.alloc(0);
      }
      return;
    }
    let block = this.carry.length === 0 ? next.value : Buffer.concat([this.carry, next.value]);
    if (!this.bomChecked) {
      // A UTF-8 byte order mark before the header (spreadsheet exports) is not part of it.
      if (block.length < 3 && block.indexOf(NEWLINE) < 0) {
        this.carry = block;
        return;
      }
      block = withoutBom(block);
      this.bomChecked = true;
    }
    const lastBreak = block.lastIndexOf(NEWLINE);
    if (lastBreak < 0) {
      this.carry = block;
      return;
    }
    this.carry = block.subarray(lastBreak + 1);
    this.queueRows(block, lastBreak + 1);
  }

  private queueRows(block: Buffer, end: number): void {
    const rows = block.subarray(0, end);
    let count = 0;
    let at = rows.indexOf(NEWLINE);
    while (at >= 0) {
      count++;
      at = rows.indexOf(NEWLINE, at + 1);
    }
    if (end > 0 && rows[end - 1] !== NEWLINE) count++;
    this.bytesQueued += this.scanner.consumed;
    this.scanner.reset(rows);
    this.pending = count;
  }
}

/** Opens a candle file for streaming; see `StreamingBarReader`. */
export function openBarStream(path: string, options: BarStreamOptions): Promise<StreamingBarReader> {
  return StreamingBarReader.open(path, options);
}
