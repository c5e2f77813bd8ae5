// Fuzz suite of the backtester's command line (issue 11): option values and whole argument lists
// for `run`, `sweep` and `walk-forward`. Whatever the arguments, parsing returns checked options or
// throws a BacktestError; the CLI exits with 0 or 2 (never 1), prints at most one line of error
// plus the help hint, no stack trace, and never repeats a secret given as a value.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { instrumentId } from "@gpt/core";
import {
  cpuMsSince,
  expectNoSecret,
  expectTypedOutcome,
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
import { main } from "../main.js";
import { runBacktest } from "../run.js";
import { strategyRegistry } from "../strategies.js";
import { parseMetric } from "../sweep/metric.js";
import { parseGridArg, parseSpaceArg } from "../sweep/spec.js";
import { parseDuration } from "../walk-forward/windows.js";
import { parseRunOptions, parseTime, type RawRunOptions } from "./options.js";

const dir = mkdtempSync(join(tmpdir(), "gpt-bt-clifuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const isTyped = (error: unknown): boolean => error instanceof BacktestError;

/** A value for an option: plausible, near misses, dates, pairs, secrets, anything. */
const value = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: numberLikeString() },
    { weight: 2, arbitrary: secretArb() },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "2024-02-29",
        "2024-02-30",
        "2024-13-01",
        "2024-01-01T24:00",
        "2024-01-01T12:00:00+25:00",
        "1704067200000",
        "BTC-USD=synthetic",
        "BTC-PERP=synthetic",
        "ETH-USDT=synthetic",
        "fast=5",
        "slow=1:9:2",
        "fast=1..9",
        "coinbase-perps",
        "0.001,0.002",
        "default",
        "off",
        "auto",
        "1d",
        "30d",
        "=",
        "a=",
        "=b",
      ),
    },
    { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30, unit: "binary" }) },
  );

/** Raw `run` options as commander would hand them over, with hostile values. */
const rawRunOptions = (): fc.Arbitrary<RawRunOptions> =>
  fc.record(
    {
      data: fc.array(value(), { maxLength: 3 }),
      funding: fc.array(value(), { maxLength: 2 }),
      strategy: value(),
      param: fc.array(value(), { maxLength: 3 }),
      from: value(),
      to: value(),
      equity: value(),
      fees: value(),
      slippage: value(),
      leverage: value(),
      seed: value(),
      riskFree: value(),
      risk: value(),
      regime: value(),
    },
    { requiredKeys: [] },
  );

/** Every message a parse error carries must be one line, short, and leak nothing. */
function checkMessage(error: unknown): void {
  if (!(error instanceof BacktestError)) return;
  expect(error.message).not.toMatch(/[\r\n]/);
  expect(error.message.length).toBeLessThanOrEqual(800);
  expectNoSecret(error.message);
}

describe("CLI fuzz: option parsers", () => {
  fuzz(
    "parseRunOptions: checked options or a one-line BacktestError",
    [rawRunOptions()],
    (raw) => {
      try {
        const options = parseRunOptions(raw);
        expect(options.leverage).toBeGreaterThanOrEqual(1);
        expect(options.leverage).toBeLessThanOrEqual(10);
        for (const source of options.data) expect(source.symbol).toMatch(/^[A-Z0-9]+-(USD|PERP)$/);
        if (options.fromMs !== undefined) expect(options.fromMs).toBeGreaterThanOrEqual(0);
      } catch (error) {
        expectTypedOutcome(() => {
          throw error;
        }, isTyped);
        checkMessage(error);
      }
    },
    { weight: 6 },
  );

  fuzz(
    "parseTime, parseDuration, grid, space and metric arguments: a value or a one-line BacktestError",
    [value()],
    (text) => {
      for (const parse of [
        () => parseTime("--from", text),
        () => parseDuration("--train", text),
        () => parseGridArg(text),
        () => parseSpaceArg(text),
        () => parseMetric(text, text),
      ]) {
        try {
          const result = parse();
          if (typeof result === "number") expect(Number.isFinite(result)).toBe(true);
        } catch (error) {
          expectTypedOutcome(() => {
            throw error;
          }, isTyped);
          checkMessage(error);
        }
      }
    },
    { weight: 6 },
  );
});

/** Ten hourly bars held in memory: enough to build a run, cheap enough to run thousands. */
const TINY = (() => {
  const n = 10;
  const times = Float64Array.from({ length: n }, (_, i) => i * 3_600_000);
  const flat = () => new Float64Array(n).fill(100);
  return {
    instrumentId: instrumentId("BTC-USD", "BACKTEST"),
    source: "tiny",
    intervalMs: 3_600_000,
    length: n,
    tsOpen: times,
    open: flat(),
    high: flat(),
    low: flat(),
    close: flat(),
    volume: flat(),
    gaps: [],
  };
})();

describe("CLI fuzz: strategies and parameters", () => {
  const names = strategyRegistry.list().map((info) => info.name);
  fuzz(
    "a run with any strategy name and parameters completes or fails with a one-line BacktestError",
    [
      fc.oneof(fc.constantFrom(...names), value()),
      fc.dictionary(
        fc.oneof(
          fc.constantFrom("fast", "slow", "fraction", "period", "threshold", "__proto__"),
          fc.string({ maxLength: 8 }),
        ),
        value(),
        { maxKeys: 3 },
      ),
    ],
    (strategy, params) => {
      const raw = { strategy, param: Object.entries(params).map(([k, v]) => `${k}=${v}`), progress: false };
      let options: ReturnType<typeof parseRunOptions>;
      try {
        options = parseRunOptions(raw);
      } catch (error) {
        expectTypedOutcome(() => {
          throw error;
        }, isTyped);
        checkMessage(error);
        return;
      }
      try {
        runBacktest(options, { series: [TINY], funding: new Map() });
      } catch (error) {
        expectTypedOutcome(() => {
          throw error;
        }, isTyped);
        checkMessage(error);
      }
    },
    { weight: 3 },
  );
});

const OPTIONS = [
  "--data",
  "--funding",
  "--strategy",
  "--param",
  "--from",
  "--to",
  "--equity",
  "--fees",
  "--slippage",
  "--leverage",
  "--seed",
  "--risk-free",
  "--regime",
  "--risk",
  "--grid",
  "--random",
  "--space",
  "--metric",
  "--order",
  "--workers",
  "--train",
  "--test",
  "--step",
  "--top",
  "--bogus",
];

/** An argument list: a command, options with hostile values, stray words, `--opt=value` forms. */
const argv = (): fc.Arbitrary<string[]> =>
  fc
    .tuple(
      fc.constantFrom("run", "sweep", "walk-forward"),
      fc.array(
        fc.oneof(
          { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...OPTIONS), value()) },
          {
            weight: 1,
            arbitrary: fc.tuple(fc.constantFrom(...OPTIONS), value()).map(([o, v]) => [`${o}=${v}`]),
          },
          { weight: 1, arbitrary: value().map((v) => [v]) },
        ),
        { maxLength: 6 },
      ),
    )
    .map(([command, parts]) => [command, ...parts.flat()]);

/**
 * Runs the CLI in-process on `args`, always with a data file that does not exist (so no case runs a
 * whole backtest) and an output folder of its own.
 */
async function runCli(args: readonly string[]): Promise<{ code: number; err: string; out: string }> {
  const err: string[] = [];
  const out: string[] = [];
  const code = await main(
    [...args, "--data", `BTC-USD=${join(dir, "missing.csv")}`, "--out", join(dir, "out"), "--no-progress"],
    { stdout: (t) => out.push(t), stderr: (t) => err.push(t) },
  );
  return { code, err: err.join(""), out: out.join("") };
}

describe("CLI fuzz: whole argument lists", () => {
  it(
    "exits 0 or 2 with at most an error line and the help hint, no stack, no secret",
    async (context) => {
      const runs = Math.max(1, Math.round(fuzzRuns() * 4));
      const bound = maxCaseMs();
      let cases = 0;
      let slowest = 0;
      try {
        await fc.assert(
          fc.asyncProperty(argv(), async (args) => {
            cases++;
            const started = process.cpuUsage();
            const { code, err, out } = await runCli(args);
            const took = cpuMsSince(started);
            slowest = Math.max(slowest, took);
            if (bound !== undefined && took > bound)
              expect.fail(`one case took ${took.toFixed(0)} ms of CPU time (bound ${bound} ms)`);
            expect([0, 2], err).toContain(code);
            expect(err).not.toMatch(/\n\s+at /);
            expect(err.trimEnd().split("\n").length).toBeLessThanOrEqual(2);
            expectNoSecret(err, "stderr");
            if (code === 0) expect(out).toContain("Usage:"); // only --help-like cases succeed
          }),
          { numRuns: runs, ...fuzzSeed() },
        );
      } finally {
        context.task.meta.fuzzCases = cases;
        context.task.meta.fuzzSlowestMs = Math.round(slowest);
      }
    },
    120_000 + fuzzRuns() * 4 * 50,
  );
});
