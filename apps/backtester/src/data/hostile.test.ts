// Hostile and careless input to the data loaders (issue 11): each case failed before its fix,
// by hanging, echoing data, a misleading message or an untyped error.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { instrumentId } from "@gpt/core";
import { describe, expect, it } from "vitest";
import { BacktestError } from "../errors.js";
import { loadBarsCsv, loadFundingCsv, parseBarsCsv, parseFundingCsv } from "./csv.js";
import { readCsvBytes } from "./files.js";
import { MAX_LINE_BYTES } from "./rows.js";
import { openBarStream, type StreamingBarReader } from "./stream.js";

const id = instrumentId("BTC-USD", "COINBASE");
const header = "time,open,high,low,close,volume";
const dir = mkdtempSync(join(tmpdir(), "gpt-bt-hostile-"));

function caught(fn: () => unknown): BacktestError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BacktestError);
    return error as BacktestError;
  }
  throw new Error("expected a BacktestError");
}

async function caughtAsync(fn: () => Promise<unknown>): Promise<BacktestError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BacktestError);
    return error as BacktestError;
  }
  throw new Error("expected a BacktestError");
}

const parse = (text: string) => parseBarsCsv(text, { instrumentId: id, source: "f.csv" });

async function readStream(reader: StreamingBarReader): Promise<number> {
  let rows = reader.length;
  while (!reader.ended) {
    await reader.refill();
    rows += reader.length;
  }
  return rows;
}

describe("secrets and long lines are never echoed", () => {
  it("does not print a .env line passed as data, and names line and column", async () => {
    const env = "COINBASE_API_SECRET=sk-live-abcdef0123456789\n";
    const e = caught(() => parse(env));
    expect(e.code).toBe("bad-header");
    expect(e.message).toMatch(/^f\.csv:1: /);
    expect(e.message).not.toContain("sk-live");
    expect(e.message).not.toContain("COINBASE");
    const path = join(dir, "s.env");
    writeFileSync(path, env);
    const s = await caughtAsync(() => openBarStream(path, { instrumentId: id }));
    expect(s.message).not.toContain("sk-live");
    // A header-like first line is still quoted, with the column that differs.
    expect(caught(() => parse("time,open,hi,low,close,volume\n0,1,1,1,1,0\n")).message).toContain(
      '"time,open,hi,low,close,volume" (column 3 differs)',
    );
  });

  it("stops a line without line breaks at MAX_LINE_BYTES, with a short message", () => {
    const e = caught(() => parse("A".repeat(10 * MAX_LINE_BYTES)));
    expect(e.message).toBe(
      `f.csv:1: line is longer than ${MAX_LINE_BYTES} bytes (not a CSV file, or no line breaks?)`,
    );
    const row = caught(() => parse(`${header}\n0,1,1,1,1,0\n60,1,1,1,1,${"9".repeat(MAX_LINE_BYTES)}\n`));
    expect(row.line).toBe(3);
  });

  it("streams a 40 MB gzipped line to its error reading a bounded number of bytes", async () => {
    const path = join(dir, "bomb.csv.gz");
    writeFileSync(
      path,
      gzipSync(
        Buffer.concat([Buffer.from(`${header}\n0,1,1,1,1,0\n60,1,1,1,1,0\n`), Buffer.alloc(40 << 20, 0x41)]),
      ),
    );
    const reader = await openBarStream(path, { instrumentId: id, chunkRows: 2, readBytes: 64 * 1024 });
    const e = await caughtAsync(() => readStream(reader));
    expect(e.line).toBe(4);
    expect(e.message.length).toBeLessThan(200);
    expect(reader.bytesRead).toBeLessThanOrEqual(MAX_LINE_BYTES + 3 * 64 * 1024);
  });

  it("never quotes a long or non-numeric cell, and escapes what it quotes", () => {
    const e = caught(() => parse(`${header}\n0,1,password=hunter2,1,1,0\n`));
    expect(e.message).toBe(
      "f.csv:2: high (column 3) is not a decimal number: 16 characters, not shown: a letter at character 1",
    );
    expect(caught(() => parse(`${header}\n0,1,1\u0000,1,1,0\n`)).message).toContain(
      "a control character at character 2",
    );
  });
});

describe("cells and rows", () => {
  it("reads only plain decimals: 0x10, +5 and padding are errors naming the column", () => {
    expect(caught(() => parse(`${header}\n0,0x10,20,1,1,0\n`)).message).toBe(
      'f.csv:2: open (column 2) is not a decimal number: "0x10"',
    );
    expect(caught(() => parse(`${header}\n0,1,1,1,+5,0\n`)).message).toContain("close (column 5)");
    expect(caught(() => parse(`${header}\n0,1,1,1,1,1e999\n`)).message).toContain(
      "volume (column 6) is out of range",
    );
    expect(parse(`${header}\n0,1.5e1,20,1.,15,.5\n`).open[0]).toBe(15);
  });

  it("names the column of a non-positive price", () => {
    expect(caught(() => parse(`${header}\n0,1,1,-1,1,0\n`)).message).toBe(
      "f.csv:2: low (column 4) must be positive, got -1",
    );
  });

  it("accepts a byte order mark and trailing blank lines; a blank line between rows names its line", async () => {
    const text = `\uFEFF${header}\r\n0,1,1,1,1,0\r\n60,1,1,1,1,0\r\n\r\n  \n\n`;
    const s = parse(text);
    expect(s.length).toBe(2);
    expect(s.tsOpen.length).toBe(2);
    const middle = caught(() => parse(`${header}\n0,1,1,1,1,0\n\n60,1,1,1,1,0\n`));
    expect(middle.message).toBe(
      "f.csv:3: blank line between rows (only the end of a file may have blank lines)",
    );
    const path = join(dir, "bom.csv.gz");
    writeFileSync(path, gzipSync(text));
    for (const readBytes of [1, 2, 5, 1024]) {
      const reader = await openBarStream(path, { instrumentId: id, readBytes, chunkRows: 2 });
      expect(await readStream(reader)).toBe(2);
    }
    const mid = join(dir, "mid.csv");
    writeFileSync(mid, `${header}\n0,1,1,1,1,0\n\n60,1,1,1,1,0\n`);
    expect(
      (await caughtAsync(async () => readStream(await openBarStream(mid, { instrumentId: id })))).line,
    ).toBe(3);
    const funding = parseFundingCsv("\uFEFFtime,rate\n0,0.0001\n\n", { instrumentId: id, source: "g" });
    expect(funding.length).toBe(1);
  });
});

describe("timestamps", () => {
  it("names the likely unit of a time in milliseconds, microseconds or nanoseconds", () => {
    const ms = caught(() => parse(`${header}\n1704067200000,1,1,1,1,0\n`));
    expect(ms.message).toContain("looks like milliseconds");
    expect(ms.line).toBe(2);
    expect(caught(() => parse(`${header}\n1704067200000000,1,1,1,1,0\n`)).message).toContain("microseconds");
    expect(caught(() => parse(`${header}\n1704067200000000000,1,1,1,1,0\n`)).message).toContain(
      "nanoseconds",
    );
    const funding = caught(() =>
      parseFundingCsv("time,rate\n1704067200000,0.0001\n", { instrumentId: id, source: "g" }),
    );
    expect(funding.message).toContain("looks like milliseconds");
    expect(parse(`${header}\n4102444799,1,1,1,1,0\n`).length).toBe(1);
  });
});

describe("files that are not plain files", () => {
  it("streams from a pipe (process substitution) and loads one whole", async () => {
    const fifo = join(dir, "fifo");
    await new Promise<void>((resolve, reject) => {
      spawn("sh", ["-c", 'mkfifo "$0"', fifo]).on("exit", (code) =>
        code === 0 ? resolve() : reject(new Error("mkfifo")),
      );
    });
    const text = `${header}\n0,1,1,1,1,0\n60,1,1,1,1,0\n`;
    // The writer is another process fed from a file: this thread blocks in a whole-file read.
    const feed = (data: Buffer | string) => {
      const source = join(dir, "fifo-source");
      writeFileSync(source, data);
      spawn("sh", ["-c", `cat "${source}" > "${fifo}"`]);
    };
    feed(gzipSync(text));
    const reader = await openBarStream(fifo, { instrumentId: id });
    expect(await readStream(reader)).toBe(2);
    feed(text);
    expect(loadBarsCsv(fifo, { instrumentId: id }).length).toBe(2);
  }, 60_000);

  it("caps whole-file loads and names a folder", () => {
    const path = join(dir, "big.csv.gz");
    writeFileSync(path, gzipSync(Buffer.alloc(1 << 20, 0x0a)));
    const e = caught(() => readCsvBytes(path, 64 * 1024));
    expect(e.code).toBe("file-unreadable");
    expect(e.message).toContain("more than 65536 bytes");
    expect(caught(() => loadFundingCsv(dir, { instrumentId: id })).message).toContain("is a folder");
  });
});
