import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { instrumentId } from "@gpt/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BacktestError } from "../errors.js";
import { loadBarsCsv, parseBarsCsv } from "./csv.js";
import { type BarGap, sliceSeries } from "./series.js";
import { openBarStream, type StreamingBarReader } from "./stream.js";

const id = instrumentId("BTC-USD", "COINBASE");
const header = "time,open,high,low,close,volume";
const dir = mkdtempSync(join(tmpdir(), "gpt-bt-stream-"));
let fileCount = 0;

function writeCsv(text: string, gzip: boolean): string {
  fileCount++;
  const path = join(dir, `bars-${fileCount}.csv${gzip ? ".gz" : ""}`);
  writeFileSync(path, gzip ? gzipSync(text) : text);
  return path;
}

interface Collected {
  intervalMs: number;
  tsOpen: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
  gaps: readonly BarGap[];
  chunks: number;
}

/** Reads every chunk of `reader`, copying the rows out (the reader reuses its arrays). */
async function readAll(reader: StreamingBarReader): Promise<Collected> {
  const out: Collected = {
    intervalMs: reader.intervalMs,
    tsOpen: [],
    open: [],
    high: [],
    low: [],
    close: [],
    volume: [],
    gaps: [],
    chunks: 0,
  };
  for (;;) {
    out.chunks++;
    for (let i = 0; i < reader.length; i++) {
      out.tsOpen.push(reader.tsOpen[i] as number);
      out.open.push(reader.open[i] as number);
      out.high.push(reader.high[i] as number);
      out.low.push(reader.low[i] as number);
      out.close.push(reader.close[i] as number);
      out.volume.push(reader.volume[i] as number);
    }
    if (reader.ended) break;
    await reader.refill();
  }
  out.gaps = reader.gaps;
  return out;
}

async function expectStreamError(
  path: string,
  code: string,
  line?: number,
  options: { chunkRows?: number; readBytes?: number } = {},
): Promise<BacktestError> {
  try {
    const reader = await openBarStream(path, { instrumentId: id, ...options });
    await readAll(reader);
  } catch (error) {
    expect(error).toBeInstanceOf(BacktestError);
    const e = error as BacktestError;
    expect(e.code).toBe(code);
    if (line !== undefined) expect(e.line).toBe(line);
    return e;
  }
  throw new Error(`expected a BacktestError ${code}`);
}

function rowsText(times: readonly number[], eol = "\n"): string {
  return [header, ...times.map((t, i) => `${t},${100 + i},${102 + i},${99 + i},${101 + i},${i * 0.5}`)].join(
    eol,
  );
}

describe("StreamingBarReader", () => {
  it("reads a file in chunks with the same rows, interval and gaps as loadBarsCsv", async () => {
    const times = [0, 60, 120, 180, 300, 360, 420, 480, 540, 900, 960];
    const path = writeCsv(`${rowsText(times)}\n`, true);
    const whole = loadBarsCsv(path, { instrumentId: id });
    const streamed = await readAll(await openBarStream(path, { instrumentId: id, chunkRows: 3 }));
    expect(streamed.chunks).toBe(4);
    expect(streamed.intervalMs).toBe(60_000);
    expect(streamed.tsOpen).toEqual(Array.from(whole.tsOpen));
    expect(streamed.close).toEqual(Array.from(whole.close));
    expect(streamed.gaps).toEqual(whole.gaps);
  });

  it("matches loadBarsCsv and sliceSeries for any split of rows, reads and range", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(1, 1, 1, 2, 5, 60), { minLength: 0, maxLength: 40 }),
        fc.integer({ min: 2, max: 9 }),
        fc.integer({ min: 1, max: 70 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
        async (laterSteps, chunkRows, readBytes, gzip, crlf, finalNewline, fromBar, toBar) => {
          // The first step is one interval, so the smallest step is known from the first rows.
          const steps = [1, ...laterSteps];
          const times = [6_000];
          for (const step of steps) times.push((times[times.length - 1] as number) + step * 60);
          const eol = crlf ? "\r\n" : "\n";
          const path = writeCsv(rowsText(times, eol) + (finalNewline ? eol : ""), gzip);
          const fromMs = fromBar === undefined ? undefined : (6_000 + fromBar * 60) * 1000;
          const toMs = toBar === undefined ? undefined : (6_000 + toBar * 60) * 1000;
          const whole = sliceSeries(loadBarsCsv(path, { instrumentId: id }), fromMs, toMs);
          const options = {
            instrumentId: id,
            chunkRows,
            readBytes,
            ...(fromMs === undefined ? {} : { fromMs }),
            ...(toMs === undefined ? {} : { toMs }),
          };
          if (whole.length === 0) {
            await expect(openBarStream(path, options)).rejects.toMatchObject({ code: "empty-data" });
            return;
          }
          const streamed = await readAll(await openBarStream(path, options));
          expect(streamed.intervalMs).toBe(whole.intervalMs);
          expect(streamed.tsOpen).toEqual(Array.from(whole.tsOpen));
          expect(streamed.open).toEqual(Array.from(whole.open));
          expect(streamed.high).toEqual(Array.from(whole.high));
          expect(streamed.low).toEqual(Array.from(whole.low));
          expect(streamed.close).toEqual(Array.from(whole.close));
          expect(streamed.volume).toEqual(Array.from(whole.volume));
          expect(streamed.gaps).toEqual(whole.gaps);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("reports a bad row in a later chunk with the same code and line as parseBarsCsv", async () => {
    const rows = rowsText([0, 60, 120, 180, 240, 300, 360]).split("\n");
    rows[6] = "300,1,abc,1,1,0";
    const text = `${rows.join("\n")}\n`;
    let expected: BacktestError | undefined;
    try {
      parseBarsCsv(text, { instrumentId: id, source: "x" });
    } catch (error) {
      expected = error as BacktestError;
    }
    expect(expected?.line).toBe(7);
    const e = await expectStreamError(writeCsv(text, true), "malformed-row", 7, {
      chunkRows: 2,
      readBytes: 5,
    });
    expect(e.message).toContain(":7: high (column 3) is not a decimal number");
  });

  it("rejects unsorted and duplicate times across chunk boundaries", async () => {
    await expectStreamError(writeCsv(`${rowsText([0, 60, 120, 60])}\n`, false), "unsorted", 5, {
      chunkRows: 2,
    });
    await expectStreamError(writeCsv(`${rowsText([0, 60, 120, 120])}\n`, false), "duplicate-time", 5, {
      chunkRows: 2,
    });
  });

  it("rejects a step shorter than the interval fixed by the first chunk", async () => {
    const e = await expectStreamError(
      writeCsv(`${rowsText([0, 120, 240, 360, 420])}\n`, false),
      "malformed-row",
      6,
      { chunkRows: 2 },
    );
    expect(e.message).toContain("shorter than the 120s bar interval");
    // With the whole file in one chunk the same file streams, with loadBarsCsv's interval.
    const reader = await openBarStream(writeCsv(`${rowsText([0, 120, 240, 360, 420])}\n`, false), {
      instrumentId: id,
    });
    expect(reader.intervalMs).toBe(60_000);
  });

  it("rejects bad headers, empty files and files with only a header", async () => {
    await expectStreamError(writeCsv("t,o,h,l,c,v\n0,1,1,1,1,0\n", true), "bad-header", 1);
    await expectStreamError(writeCsv(`${header},extra\n0,1,1,1,1,0\n`, false), "bad-header", 1);
    await expectStreamError(writeCsv("", false), "bad-header", 1);
    await expectStreamError(writeCsv(`${header}\n`, true), "empty-data");
  });

  it("reports missing files, fake gzip and truncated gzip", async () => {
    await expectStreamError(join(dir, "missing.csv.gz"), "file-not-found");
    const fake = join(dir, "fake.csv.gz");
    writeFileSync(fake, "time,open\n");
    await expectStreamError(fake, "file-unreadable");
    const times = Array.from({ length: 5000 }, (_, i) => i * 60);
    const whole = writeCsv(`${rowsText(times)}\n`, true);
    const truncated = join(dir, "truncated.csv.gz");
    const bytes = readFileSync(whole);
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expectStreamError(truncated, "file-unreadable", undefined, { chunkRows: 100 });
  });

  it("stops reading at toMs and estimates the row count for progress", async () => {
    const times = Array.from({ length: 1000 }, (_, i) => i * 60);
    const path = writeCsv(`${rowsText(times)}\n`, true);
    const reader = await openBarStream(path, { instrumentId: id, chunkRows: 100 });
    expect(reader.estimatedRows).toBeGreaterThan(800);
    expect(reader.estimatedRows).toBeLessThan(1200);
    await readAll(reader);
    expect(reader.estimatedRows).toBe(1000);
    const cut = await readAll(await openBarStream(path, { instrumentId: id, toMs: 120_000, chunkRows: 100 }));
    expect(cut.tsOpen).toEqual([0, 60_000]);
  });
});
