// Fuzz suite of `gpt-backtest download`: hostile option values against a loopback candles server.
// Whatever the arguments, the CLI exits with 0 (a file written that `run` reads) or 2 (one line,
// no stack trace), never repeats a secret given as a value, and sends nothing for bad options.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cpuMsSince, expectNoSecret, fuzzRuns, fuzzSeed, maxCaseMs, secretArb } from "@gpt/testkit/fuzz";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../main.js";
import { GRANULARITIES } from "./candles.js";

const dir = mkdtempSync(join(tmpdir(), "gpt-bt-dlfuzz-"));
let baseUrl = "";
let requests = 0;
const server = createServer((req, res) => {
  requests += 1;
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const step = GRANULARITIES[url.searchParams.get("granularity") as keyof typeof GRANULARITIES] ?? 60;
  const start = Number(url.searchParams.get("start"));
  const end = Number(url.searchParams.get("end"));
  const candles: Record<string, string>[] = [];
  for (let t = Math.ceil(start / step) * step; t <= end && candles.length < 350; t += step) {
    candles.unshift({
      start: String(t),
      low: "99.5",
      high: "101.25",
      open: "100",
      close: "100.5",
      volume: "2.50",
    });
  }
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ candles }));
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

/** A hostile value, or one of `good` (so that some cases get through to the download). */
const value = (...good: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...good) },
    { weight: 2, arbitrary: secretArb() },
    { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30, unit: "binary" }) },
  );

/** Argument lists of `download`: each option present or not, with a good or hostile value. */
const argv = (): fc.Arbitrary<string[]> =>
  fc
    .record(
      {
        product: value("BTC-USD", "ETH-USD", "btc-usd", "BTC_USD"),
        granularity: value("ONE_MINUTE", "ONE_HOUR", "ONE_DAY", "FOUR_HOUR", "one_minute", "1m"),
        // Ranges of at most a day: a few requests at most, whatever the granularity.
        from: value("2024-01-01", "2024-01-01T06:00:00Z", "1704067200", "2024-02-30", "1704067200000"),
        to: value("2024-01-01T12:00:00Z", "2024-01-02", "1704070800", "2023-12-31"),
        baseUrl: value("LOOPBACK", "ftp://127.0.0.1", "http://user:hunter2FuzzPass@127.0.0.1:1", "not a url"),
      },
      // `--to` is always given: without it the range runs to now (years of candles).
      { requiredKeys: ["to"] },
    )
    .map((options) => {
      const args = ["download"];
      for (const [name, raw] of Object.entries(options)) {
        const flag = name === "baseUrl" ? "--base-url" : `--${name}`;
        args.push(flag, raw === "LOOPBACK" ? baseUrl : raw);
      }
      // Never let a generated value send a request anywhere but the loopback server.
      if (!args.includes(baseUrl)) {
        const i = args.indexOf("--base-url");
        const given = i < 0 ? undefined : args[i + 1];
        let sendsElsewhere = i < 0;
        try {
          if (given !== undefined) sendsElsewhere = ["http:", "https:"].includes(new URL(given).protocol);
        } catch {
          sendsElsewhere = false;
        }
        if (sendsElsewhere) args.push("--base-url", baseUrl);
      }
      return args;
    });

describe("download fuzz: whole argument lists", () => {
  it(
    "exits 0 with a loadable file or 2 with one line, no stack, no secret",
    async (context) => {
      const runs = Math.max(1, fuzzRuns());
      const bound = maxCaseMs();
      let cases = 0;
      let slowest = 0;
      try {
        await fc.assert(
          fc.asyncProperty(argv(), async (args) => {
            cases++;
            const out = join(dir, `case-${cases}.csv`);
            const err: string[] = [];
            const stdout: string[] = [];
            const before = requests;
            const started = process.cpuUsage();
            const code = await main([...args, "--out", out, "--no-progress"], {
              stdout: (t) => stdout.push(t),
              stderr: (t) => err.push(t),
            });
            const took = cpuMsSince(started);
            slowest = Math.max(slowest, took);
            if (bound !== undefined && took > bound)
              expect.fail(`one case took ${took.toFixed(0)} ms of CPU time (bound ${bound} ms)`);
            const text = err.join("");
            expect([0, 2], text).toContain(code);
            expect(text).not.toMatch(/\n\s+at /);
            expect(text.trimEnd().split("\n").length).toBeLessThanOrEqual(2);
            expectNoSecret(text, "stderr");
            expectNoSecret(stdout.join(""), "stdout");
            if (code === 0) {
              expect(readFileSync(out, "utf8").startsWith("time,open,high,low,close,volume\n")).toBe(true);
            } else if (!text.includes("no ") || !text.includes("candles from")) {
              // Refused options send nothing (an empty range is the one refusal after requests).
              expect(requests).toBe(before);
            }
          }),
          { numRuns: runs, ...fuzzSeed() },
        );
      } finally {
        context.task.meta.fuzzCases = cases;
        context.task.meta.fuzzSlowestMs = Math.round(slowest);
      }
    },
    120_000 + fuzzRuns() * 100,
  );
});
