// Fuzz suite of the backtester's data files (issue 11): CSV rows and whole files, loaded whole and
// streamed. Whatever the bytes, a load returns checked bars or throws a BacktestError whose message
// is one short line naming the file and line, quoting no secret; a stream gives the same outcome as
// a whole load, and a hostile file fails having read a bounded number of bytes.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { instrumentId } from "@gpt/core";
import {
  cpuMsSince,
  expectNoSecret,
  fuzz,
  fuzzRuns,
  fuzzSeed,
  maxCaseMs,
  numberLikeString,
  secretArb,
} from "@gpt/testkit/fuzz";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { BacktestError } from "../errors.js";
import { BAR_HEADER, parseBarsCsv, parseFundingCsv } from "./csv.js";
import { MAX_LINE_BYTES } from "./rows.js";
import type { BarSeries } from "./series.js";
import { openBarStream } from "./stream.js";

const id = instrumentId("BTC-USD", "COINBASE");
const FILE = "fuzz.csv";
const dir = mkdtempSync(join(tmpdir(), "gpt-bt-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A cell: a good number, a near miss, a secret or anything. */
const cell = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: 200 }).map(String) },
    { weight: 2, arbitrary: numberLikeString() },
    { weight: 1, arbitrary: secretArb() },
    { weight: 1, arbitrary: fc.string({ maxLength: 12, unit: "binary" }) },
  );

/** A candle row: mostly well formed and increasing in time, with some cells or structure broken. */
const row = (): fc.Arbitrary<(t: number) => string> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant((t: number) => `${t},100,101,99,100,1`) },
    {
      weight: 3,
      arbitrary: fc.tuple(fc.nat(5), cell()).map(([at, value]) => (t: number) => {
        const cells = [String(t), "100", "101", "99", "100", "1"];
        cells[at] = value;
        return cells.join(",");
      }),
    },
    { weight: 1, arbitrary: fc.array(cell(), { maxLength: 8 }).map((cells) => () => cells.join(",")) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        () => "",
        () => " ",
        () => "\r",
      ),
    },
  );

/** A whole file: a header (right, wrong or a secret), rows, line endings, maybe a BOM. */
const csvText = (): fc.Arbitrary<string> =>
  fc
    .record({
      bom: fc.boolean(),
      header: fc.oneof(
        { weight: 6, arbitrary: fc.constant(BAR_HEADER) },
        { weight: 1, arbitrary: secretArb() },
        { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
      ),
      rows: fc.array(row(), { maxLength: 30 }),
      steps: fc.array(fc.oneof(fc.constant(60), fc.constant(0), fc.integer({ min: -60, max: 7200 })), {
        minLength: 30,
        maxLength: 30,
      }),
      start: fc.oneof(fc.constant(1_700_000_000), fc.constant(1_700_000_000_000), fc.nat()),
      eol: fc.constantFrom("\n", "\r\n"),
      trailing: fc.constantFrom("", "\n", "\n\n", "\n  \n"),
    })
    .map(({ bom, header, rows, steps, start, eol, trailing }) => {
      let t = start;
      const lines = rows.map((make, i) => {
        t += steps[i] as number;
        return make(t);
      });
      return `${bom ? "\uFEFF" : ""}${[header, ...lines].join(eol)}${trailing}`;
    });

/** Raw bytes: random, or random with line breaks sprinkled in. */
const bytes = (): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    fc.uint8Array({ maxLength: 3 * MAX_LINE_BYTES }),
    fc
      .array(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.constant(Uint8Array.of(0x0a))), { maxLength: 40 })
      .map((parts) => Buffer.concat(parts)),
  );

/** Checks a load's message: one line, short, naming the file (and line), leaking nothing. */
function checkError(error: unknown, lines: number): BacktestError {
  if (!(error instanceof BacktestError)) expect.fail(`untyped error: ${String(error)}`);
  expect(error.message.startsWith(FILE)).toBe(true);
  expect(error.message).not.toMatch(/[\r\n]/);
  expect(error.message.length).toBeLessThanOrEqual(FILE.length + 200);
  expectNoSecret(error.message);
  if (error.line !== undefined) {
    expect(error.line).toBeGreaterThanOrEqual(1);
    expect(error.line).toBeLessThanOrEqual(lines);
  }
  return error;
}

/** What a successful load must satisfy: sorted, in range, positive and consistent bars. */
function checkSeries(series: BarSeries): void {
  expect(series.length).toBeGreaterThan(0);
  for (let i = 0; i < series.length; i++) {
    const t = series.tsOpen[i] as number;
    if (i > 0) expect(t).toBeGreaterThan(series.tsOpen[i - 1] as number);
    expect(t).toBeGreaterThanOrEqual(0);
    expect(t).toBeLessThan(4_102_444_800_000);
    const [o, h, l, c, v] = [series.open, series.high, series.low, series.close, series.volume].map(
      (column) => column[i] as number,
    ) as [number, number, number, number, number];
    expect(Math.min(o, h, l, c)).toBeGreaterThan(0);
    expect(l).toBeLessThanOrEqual(Math.min(o, c));
    expect(h).toBeGreaterThanOrEqual(Math.max(o, c));
    expect(v).toBeGreaterThanOrEqual(0);
  }
}

type Outcome = { ok: true; times: number[] } | { ok: false; code: string; line: number | undefined };

function wholeLoad(input: string | Uint8Array): Outcome {
  const lines = (
    typeof input === "string" ? input.split("\n") : Buffer.from(input).toString("latin1").split("\n")
  ).length;
  try {
    const series = parseBarsCsv(input, { instrumentId: id, source: FILE });
    checkSeries(series);
    return { ok: true, times: Array.from(series.tsOpen) };
  } catch (error) {
    const e = checkError(error, lines);
    return { ok: false, code: e.code, line: e.line };
  }
}

describe("CSV fuzz: whole-file loads", () => {
  fuzz(
    "parseBarsCsv on generated files: checked bars or one short typed line",
    [csvText()],
    (text) => {
      wholeLoad(text);
    },
    { weight: 4 },
  );

  fuzz(
    "parseBarsCsv on random bytes: checked bars or one short typed line",
    [bytes()],
    (raw) => {
      wholeLoad(raw);
    },
    { weight: 2 },
  );

  fuzz(
    "parseFundingCsv on generated files: checked rates or one short typed line",
    [
      fc.record({
        header: fc.oneof(fc.constant("time,rate"), secretArb(), fc.string({ maxLength: 20 })),
        rows: fc.array(fc.tuple(fc.oneof(fc.nat().map(String), numberLikeString()), cell()), {
          maxLength: 20,
        }),
      }),
    ],
    ({ header, rows }) => {
      const text = [header, ...rows.map(([t, r]) => `${t},${r}`)].join("\n");
      try {
        const funding = parseFundingCsv(text, { instrumentId: id, source: FILE });
        for (let i = 0; i < funding.length; i++) {
          expect(Math.abs(funding.rate[i] as number)).toBeLessThanOrEqual(0.05);
          expect(funding.time[i] as number).toBeLessThan(4_102_444_800_000);
        }
      } catch (error) {
        checkError(error, rows.length + 1);
      }
    },
    { weight: 2 },
  );
});

/**
 * An async property with the conventions of `fuzz` (the same case count from `$FUZZ_RUNS`, the
 * seed from `$FUZZ_SEED`, the count recorded in the test's meta for the fuzz reporter, the per-case
 * bound on CPU time in the long form). The test's own timeout is generous: these cases wait for
 * file reads, and on the shared machine a run of them can take many times its CPU time.
 */
function fuzzAsync<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<void>,
  weight = 1,
): void {
  const runs = Math.max(1, Math.round(fuzzRuns() * weight));
  const bound = maxCaseMs();
  it(
    name,
    async (context) => {
      let cases = 0;
      let slowest = 0;
      try {
        await fc.assert(
          fc.asyncProperty(arbitrary, async (value) => {
            cases++;
            const started = process.cpuUsage();
            await predicate(value);
            const took = cpuMsSince(started);
            slowest = Math.max(slowest, took);
            if (bound !== undefined && took > bound) {
              expect.fail(`one case took ${took.toFixed(0)} ms of CPU time (bound ${bound} ms)`);
            }
          }),
          { numRuns: runs, ...fuzzSeed() },
        );
      } finally {
        context.task.meta.fuzzCases = cases;
        context.task.meta.fuzzSlowestMs = Math.round(slowest);
      }
    },
    Math.max(600_000, 60_000 + runs * 200),
  );
}

let fileCount = 0;
function writeInput(data: string | Uint8Array, gzip: boolean): string {
  fileCount++;
  const path = join(dir, `f${fileCount}${gzip ? ".csv.gz" : ".csv"}`);
  writeFileSync(path, gzip ? gzipSync(data) : data);
  return path;
}

async function streamLoad(path: string, readBytes: number): Promise<{ outcome: Outcome; bytesRead: number }> {
  let bytesRead = 0;
  try {
    const reader = await openBarStream(path, { instrumentId: id, readBytes });
    const times: number[] = [];
    for (;;) {
      for (let i = 0; i < reader.length; i++) times.push(reader.tsOpen[i] as number);
      bytesRead = reader.bytesRead;
      if (reader.ended) break;
      await reader.refill();
    }
    return { outcome: { ok: true, times }, bytesRead };
  } catch (error) {
    if (!(error instanceof BacktestError)) expect.fail(`untyped error: ${String(error)}`);
    expect(error.message).not.toMatch(/[\r\n]/);
    expectNoSecret(error.message);
    return { outcome: { ok: false, code: error.code, line: error.line }, bytesRead };
  }
}

describe("CSV fuzz: streamed files", () => {
  fuzzAsync(
    "a streamed file has the outcome of a whole load (same bars, or same error code and line)",
    fc.record({ text: csvText(), gzip: fc.boolean(), readBytes: fc.integer({ min: 1, max: 300 }) }),
    async ({ text, gzip, readBytes }) => {
      const path = writeInput(text, gzip);
      const whole = wholeLoad(text);
      const { outcome } = await streamLoad(path, readBytes);
      rmSync(path);
      if (whole.ok) expect(outcome).toEqual(whole);
      else if (outcome.ok)
        expect.fail(`the stream accepted what the whole load refused: ${JSON.stringify(whole)}`);
      else expect({ code: outcome.code, line: outcome.line }).toEqual({ code: whole.code, line: whole.line });
    },
    2,
  );

  fuzzAsync(
    "a first line over the limit fails at line 1 after reading a bounded number of bytes, whatever the size",
    fc.record({
      size: fc.integer({ min: MAX_LINE_BYTES + 1, max: 2 << 20 }),
      fill: fc.integer({ min: 0, max: 255 }).filter((b) => b !== 0x0a),
      gzip: fc.boolean(),
      readBytes: fc.integer({ min: 64, max: 64 * 1024 }),
    }),
    async ({ size, fill, gzip, readBytes }) => {
      const path = writeInput(Buffer.alloc(size, fill), gzip);
      const { outcome } = await streamLoad(path, readBytes);
      rmSync(path);
      expect(outcome).toMatchObject({ ok: false, line: 1 });
    },
    0.2,
  );
});

describe("bounded reads", () => {
  it("stops a hostile stream after at most MAX_LINE_BYTES plus two reads", async () => {
    for (const gzip of [false, true]) {
      const path = writeInput(
        Buffer.concat([
          Buffer.from(`${BAR_HEADER}\n1,1,1,1,1,0\n2,1,1,1,1,0\n`),
          Buffer.alloc(8 << 20, 0x41),
        ]),
        gzip,
      );
      const reader = await openBarStream(path, { instrumentId: id, readBytes: 16 * 1024, chunkRows: 2 });
      await expect(reader.refill()).rejects.toThrowError(/line is longer than/);
      expect(reader.bytesRead).toBeLessThanOrEqual(MAX_LINE_BYTES + 2 * 16 * 1024 + 64);
    }
  });
});
