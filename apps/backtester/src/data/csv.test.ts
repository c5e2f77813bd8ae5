import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { instrumentId } from "@gpt/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BacktestError } from "../errors.js";
import {
  loadBarsCsv,
  loadFundingCsv,
  parseBarsCsv,
  parseNumberCell,
  plainDecimal,
  RowScanner,
} from "./csv.js";
import { sliceSeries } from "./series.js";

const id = instrumentId("BTC-USD", "COINBASE");
const header = "time,open,high,low,close,volume";

function expectError(fn: () => unknown, code: string, line?: number): BacktestError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BacktestError);
    const e = error as BacktestError;
    expect(e.code).toBe(code);
    if (line !== undefined) expect(e.line).toBe(line);
    return e;
  }
  throw new Error(`expected a BacktestError ${code}`);
}

describe("parseBarsCsv", () => {
  it("parses rows into columns and infers the interval", () => {
    const s = parseBarsCsv(`${header}\n60,10,11,9,10.5,3\n120,10.5,12,10,11,4\n`, {
      instrumentId: id,
      source: "x",
    });
    expect(s.length).toBe(2);
    expect(s.intervalMs).toBe(60_000);
    expect(Array.from(s.tsOpen)).toEqual([60_000, 120_000]);
    expect(Array.from(s.close)).toEqual([10.5, 11]);
    expect(s.gaps).toEqual([]);
  });

  it("reports gaps without filling them", () => {
    const s = parseBarsCsv(`${header}\n0,1,1,1,1,0\n60,1,1,1,1,0\n300,1,1,1,1,0\n`, {
      instrumentId: id,
      source: "x",
    });
    expect(s.length).toBe(3);
    expect(s.gaps).toEqual([{ afterTsOpen: 60_000, beforeTsOpen: 300_000, missingBars: 3 }]);
  });

  it("names the line of a malformed row", () => {
    const e = expectError(
      () => parseBarsCsv(`${header}\n0,1,1,1,1,0\n60,1,abc,1,1,0\n`, { instrumentId: id, source: "f.csv" }),
      "malformed-row",
      3,
    );
    expect(e.message).toContain("f.csv:3");
    expect(e.message).toContain("high");
    expectError(
      () => parseBarsCsv(`${header}\n0,1,1,1,1\n`, { instrumentId: id, source: "f" }),
      "malformed-row",
      2,
    );
    expectError(
      () => parseBarsCsv(`${header}\n0,1,,1,1,0\n`, { instrumentId: id, source: "f" }),
      "malformed-row",
      2,
    );
    expectError(
      () => parseBarsCsv(`${header}\n0,1, 1,1,1,0\n`, { instrumentId: id, source: "f" }),
      "malformed-row",
      2,
    );
    expectError(
      () => parseBarsCsv(`${header}\n0.5,1,1,1,1,0\n`, { instrumentId: id, source: "f" }),
      "malformed-row",
      2,
    );
    expectError(
      () => parseBarsCsv(`${header}\n0,1,2,0.5,3,0\n`, { instrumentId: id, source: "f" }),
      "malformed-row",
      2,
    );
    expectError(
      () => parseBarsCsv(`${header}\n0,0,1,0,1,0\n`, { instrumentId: id, source: "f" }),
      "malformed-row",
      2,
    );
    expectError(
      () => parseBarsCsv(`${header}\n0,1,1,1,1,-1\n`, { instrumentId: id, source: "f" }),
      "malformed-row",
      2,
    );
    expectError(
      () => parseBarsCsv(`${header}\n0,1,Infinity,1,1,0\n`, { instrumentId: id, source: "f" }),
      "malformed-row",
      2,
    );
  });

  it("rejects unsorted and duplicate timestamps with the line", () => {
    expectError(
      () => parseBarsCsv(`${header}\n60,1,1,1,1,0\n0,1,1,1,1,0\n`, { instrumentId: id, source: "f" }),
      "unsorted",
      3,
    );
    expectError(
      () =>
        parseBarsCsv(`${header}\n0,1,1,1,1,0\n60,1,1,1,1,0\n60,1,1,1,1,0\n`, {
          instrumentId: id,
          source: "f",
        }),
      "duplicate-time",
      4,
    );
  });

  it("rejects a wrong header and an empty file", () => {
    expectError(
      () => parseBarsCsv("t,o,h,l,c,v\n0,1,1,1,1,0\n", { instrumentId: id, source: "f" }),
      "bad-header",
      1,
    );
    expectError(() => parseBarsCsv(`${header}\n`, { instrumentId: id, source: "f" }), "empty-data");
    expectError(() => parseBarsCsv("", { instrumentId: id, source: "f" }), "bad-header", 1);
  });

  it("accepts CRLF line endings", () => {
    const s = parseBarsCsv(`${header}\r\n0,1,2,1,2,5\r\n`, { instrumentId: id, source: "f" });
    expect(s.volume[0]).toBe(5);
  });
});

describe("files", () => {
  const dir = mkdtempSync(join(tmpdir(), "gpt-bt-"));

  it("loads plain and gzipped CSV", () => {
    const text = `${header}\n0,1,2,1,2,5\n3600,2,3,2,3,6\n`;
    writeFileSync(join(dir, "a.csv"), text);
    writeFileSync(join(dir, "a.csv.gz"), gzipSync(text));
    const plain = loadBarsCsv(join(dir, "a.csv"), { instrumentId: id });
    const gz = loadBarsCsv(join(dir, "a.csv.gz"), { instrumentId: id });
    expect(Array.from(gz.close)).toEqual(Array.from(plain.close));
    expect(gz.intervalMs).toBe(3_600_000);
  });

  it("reports a missing file and a broken gzip", () => {
    expectError(() => loadBarsCsv(join(dir, "nope.csv"), { instrumentId: id }), "file-not-found");
    writeFileSync(join(dir, "bad.csv.gz"), "not gzip");
    expectError(() => loadBarsCsv(join(dir, "bad.csv.gz"), { instrumentId: id }), "file-unreadable");
  });

  it("loads funding and rejects absurd rates", () => {
    writeFileSync(join(dir, "f.csv"), "time,rate\n0,0.0001\n28800,-0.0002\n");
    const f = loadFundingCsv(join(dir, "f.csv"), { instrumentId: id });
    expect(f.intervalMs).toBe(8 * 3_600_000);
    expect(Array.from(f.rate)).toEqual([0.0001, -0.0002]);
    writeFileSync(join(dir, "g.csv"), "time,rate\n0,0.5\n");
    expectError(() => loadFundingCsv(join(dir, "g.csv"), { instrumentId: id }), "malformed-row", 2);
  });
});

describe("sliceSeries", () => {
  it("keeps bars in [from, to) and recomputes gaps", () => {
    const s = parseBarsCsv(`${header}\n0,1,1,1,1,0\n60,1,1,1,1,0\n300,1,1,1,1,0\n360,1,1,1,1,0\n`, {
      instrumentId: id,
      source: "x",
    });
    const cut = sliceSeries(s, 60_000, 360_000);
    expect(Array.from(cut.tsOpen)).toEqual([60_000, 300_000]);
    expect(cut.gaps).toHaveLength(1);
    expect(sliceSeries(s, 300_000).gaps).toHaveLength(0);
  });
});

describe("reading numbers straight from the bytes", () => {
  /** What a cell parses to through the byte path (`RowScanner.number`), or the error message. */
  function viaBytes(cell: string): number | string {
    const rows = new RowScanner(Buffer.from(`${cell},x\n`, "utf8"));
    rows.nextSpans();
    try {
      return rows.number(0, "close", "f", 2);
    } catch (error) {
      return (error as Error).message;
    }
  }
  /** The same through the text path (`parseNumberCell`). */
  function viaText(cell: string): number | string {
    try {
      return parseNumberCell(cell, "close", "f", 2);
    } catch (error) {
      return (error as Error).message;
    }
  }

  it("gives exactly Number()'s double for plain decimals", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.stringMatching(/^[0-9]{1,12}$/),
        fc.option(fc.stringMatching(/^[0-9]{1,12}$/), { nil: undefined }),
        (negative, whole, fraction) => {
          const cell = `${negative ? "-" : ""}${whole}${fraction === undefined ? "" : `.${fraction}`}`;
          const digits = whole.length + (fraction?.length ?? 0);
          const fast = plainDecimal(Buffer.from(cell), 0, cell.length);
          if (digits <= 15) expect(Object.is(fast, Number(cell))).toBe(true);
          else expect(fast).toBeNaN();
          expect(Object.is(viaBytes(cell), viaText(cell))).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("agrees with the text path on any cell, numbers and errors alike", () => {
    const cellChars = fc.constantFrom(..."0123456789.-+eE xIfinty\t_".split(""));
    fc.assert(
      fc.property(fc.array(cellChars, { maxLength: 12 }), (chars) => {
        const cell = chars.join("");
        expect(viaBytes(cell)).toStrictEqual(viaText(cell));
      }),
      { numRuns: 3000 },
    );
    for (const cell of ["", " 1", "1 ", "1e3", "+5", ".5", "5.", "-0", "-0.0", "0x10", "Infinity", "1e999"]) {
      expect(viaBytes(cell)).toStrictEqual(viaText(cell));
    }
    expect(Object.is(viaBytes("-0"), -0)).toBe(true);
  });
});
