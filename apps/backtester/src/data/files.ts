import { closeSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { BacktestError } from "../errors.js";

/**
 * The most bytes a whole-file load (`sweep`, `walk-forward`, funding files) reads or unpacks: a
 * gzip bomb or an endless device stops with a clear error instead of exhausting memory. `run`
 * streams its candle files and has no such limit.
 */
const MAX_WHOLE_FILE_BYTES = 1 << 30;
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
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path);
  } catch (cause) {
    throw new BacktestError("file-not-found", `${path}: no such file`, { file: path, cause });
  }
  if (stats.isDirectory()) {
    throw new BacktestError("file-unreadable", `${path}: is a folder, not a file`, { file: path });
  }
  return stats.size;
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
  return new BacktestError(
    "file-unreadable",
    `${path}: cannot read (${size} bytes): ${systemReason(cause)}`,
    {
      file: path,
      cause,
    },
  );
}

/** @internal A short reason for a system or zlib error (its code and first line, never data). */
export function systemReason(cause: unknown): string {
  const code = (cause as { code?: unknown } | null)?.code;
  const message = cause instanceof Error ? (cause.message.split("\n")[0] ?? "") : String(cause);
  const short = message.length > 120 ? `${message.slice(0, 120)}…` : message;
  return typeof code === "string" && !short.includes(code) ? `${code}: ${short}` : short;
}

/** Reads a whole file of at most `maxBytes` bytes, regular or not (a pipe, `/dev/stdin`). */
function readWhole(path: string, size: number, maxBytes: number): Buffer {
  if (statSync(path).isFile()) {
    if (size > maxBytes) throw tooLarge(path, maxBytes);
    return readFileSync(path);
  }
  const fd = openSync(path, "r");
  try {
    const parts: Buffer[] = [];
    let total = 0;
    for (;;) {
      const part = Buffer.allocUnsafe(256 * 1024);
      const read = readSync(fd, part, 0, part.length, null);
      if (read === 0) break;
      total += read;
      if (total > maxBytes) throw tooLarge(path, maxBytes);
      parts.push(part.subarray(0, read));
    }
    return Buffer.concat(parts, total);
  } finally {
    closeSync(fd);
  }
}

function tooLarge(path: string, maxBytes: number): BacktestError {
  return new BacktestError(
    "file-unreadable",
    `${path}: more than ${maxBytes} bytes (unpacked) to load whole; \`run\` streams files of any size`,
    { file: path },
  );
}

/**
 * Reads a CSV or gzipped CSV file as bytes (decompressed when the file is gzip data); missing or
 * unreadable files are `BacktestError`s. The parsers scan these bytes directly, so a year of
 * one-minute bars never exists as one large string or as an array of lines.
 */
export function readCsvBytes(path: string, maxBytes = MAX_WHOLE_FILE_BYTES): Buffer {
  const size = fileSizeOf(path);
  try {
    const raw = readWhole(path, size, maxBytes);
    if (!isGzipData(path, raw)) return raw;
    return gunzipSync(raw, {
      chunkSize: Math.min(gunzipChunkSize(raw), maxBytes),
      maxOutputLength: maxBytes,
    });
  } catch (cause) {
    if ((cause as { code?: unknown } | null)?.code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(path, maxBytes);
    throw unreadableFile(path, size, cause);
  }
}
