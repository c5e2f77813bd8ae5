// Hostile and careless input through `gpt-backtest` in-process (issue 11): each case exited 1 with a
// stack trace, echoed data, accepted nonsense silently or left mixed output before its fix.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { parseRunOptions, parseTime } from "./cli/options.js";
import { BacktestError } from "./errors.js";
import { main } from "./main.js";
import { OutputFolder } from "./report/output-folder.js";
import { riskConfig } from "./run-settings.js";

const header = "time,open,high,low,close,volume";

async function cli(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args, "--no-progress"], {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
  });
  return { code, out: out.join(""), err: err.join("") };
}

/** Exit 2 with exactly one line on stderr, no stack trace. */
function expectBadInput(result: { code: number; err: string }, text: string): void {
  expect(result.code, result.err).toBe(2);
  expect(result.err).toContain(text);
  expect(result.err.trimEnd().split("\n")).toHaveLength(1);
  expect(result.err).not.toMatch(/\n\s+at /);
}

function hourlyBars(count: number, startSeconds = 0): string {
  const rows = Array.from({ length: count }, (_, i) => `${startSeconds + i * 3600},100,101,99,100,1`);
  return `${header}\n${rows.join("\n")}\n`;
}

describe("exit 2 with one line instead of a stack trace", () => {
  it("rejects leverage above the perpetual's maximum before reading data", async () => {
    expectBadInput(await cli(["run", "--data", "BTC-PERP=synthetic", "--leverage", "50"]), "--leverage");
    expect(parseRunOptions({ data: ["BTC-PERP=synthetic"], leverage: "10" }).leverage).toBe(10);
  });

  it("rejects quotes other than USD (the account currency)", async () => {
    for (const symbol of ["ETH-USDT", "ETH-EUR"]) {
      expectBadInput(await cli(["run", "--data", `${symbol}=synthetic`]), "BASE-USD");
    }
  });

  it("rejects microsecond timestamps with the likely unit, not a RangeError", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gpt-bt-hostile-"));
    const path = join(dir, "us.csv");
    writeFileSync(path, `${header}\n1704067200000000,1,1,1,1,0\n`);
    expectBadInput(
      await cli(["run", "--data", `BTC-USD=${path}`, "--out", join(dir, "out")]),
      "microseconds",
    );
  });

  it("prints one short line for an unknown option, and never the value after =", async () => {
    const result = await cli(["run", "--api-key=sk-live-abcdef0123456789"]);
    expect(result.code).toBe(2);
    expect(result.err).not.toContain("sk-live");
    expect(result.err.trimEnd().split("\n").length).toBeLessThanOrEqual(2);
    expect(result.err).toContain("--help");
  });
});

describe("secrets", () => {
  it("does not quote a --risk file that is not JSON, nor a .env passed as data", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gpt-bt-hostile-"));
    const env = join(dir, "s.env");
    writeFileSync(env, "COINBASE_API_SECRET=sk-live-x\n");
    const risk = await cli(["run", "--risk", env, "--out", join(dir, "out")]);
    expectBadInput(risk, "not valid JSON");
    expect(risk.err).not.toContain("sk-live");
    const data = await cli(["run", "--data", `BTC-USD=${env}`, "--out", join(dir, "out")]);
    expectBadInput(data, "s.env:1:");
    expect(data.err).not.toContain("sk-live");
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{"maxLeverage": 1,}');
    expectBadInput(await cli(["run", "--risk", bad, "--out", join(dir, "out")]), "line 1, column 19");
  });

  it("keeps V8's JSON error, which quotes the file, out of a --risk error's cause", () => {
    const dir = mkdtempSync(join(tmpdir(), "gpt-bt-hostile-"));
    for (const [name, text] of [
      ["start.env", "COINBASE_API_SECRET=sk-live-abcdef0123456789\n"],
      ["value.json", '{"apiKey": sk-live-abcdef0123456789}'],
      ["comma.json", '{"apiKey": "sk-live-abcdef0123456789",}'],
    ] as const) {
      const path = join(dir, name);
      writeFileSync(path, text);
      let error: unknown;
      try {
        riskConfig({ kind: "file", path });
      } catch (caught) {
        error = caught;
      }
      expect(error, name).toBeInstanceOf(BacktestError);
      const printed = inspect(error, { depth: 10 });
      expect(printed, name).toContain("not valid JSON");
      expect(printed, name).not.toMatch(/sk-live|COINBASE/);
    }
  });

  it("does not echo a long or secret-looking option value", () => {
    try {
      parseRunOptions({ equity: "sk-live-abcdef0123456789" });
      throw new Error("expected a bad-argument error");
    } catch (error) {
      expect(error).toBeInstanceOf(BacktestError);
      expect((error as Error).message).not.toContain("sk-live");
    }
  });
});

describe("options", () => {
  it("rejects dates that do not exist and times outside 1970-2099, naming a unit mistake", () => {
    const bad = (value: string, text: string) =>
      expect(() => parseTime("--from", value)).toThrowError(new RegExp(text));
    bad("2024-02-30", "not a date that exists");
    bad("2023-02-29", "not a date that exists");
    bad("2024-01-01T24:00", "not a date that exists");
    bad("1704067200000", "looks like milliseconds");
    bad("2024-01-01T00:00:00+25:00", "not a valid time zone offset");
    expect(parseTime("--from", "2024-02-29")).toBe(Date.UTC(2024, 1, 29));
    expect(parseTime("--from", "2024-02-29T10:30")).toBe(Date.UTC(2024, 1, 29, 10, 30));
    expect(parseTime("--from", "2024-02-29T10:30:05.25Z")).toBe(Date.UTC(2024, 1, 29, 10, 30, 5, 250));
  });

  it("rejects a repeated --funding for one symbol instead of keeping the last", () => {
    expect(() =>
      parseRunOptions({ data: ["BTC-PERP=a.csv"], funding: ["BTC-PERP=f.csv", "BTC-PERP=g.csv"] }),
    ).toThrowError(/given twice/);
  });
});

describe("funding that misses the bars", () => {
  it("warns in stats.json and on the console when no funding time falls within the bars", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gpt-bt-hostile-"));
    const bars = join(dir, "bars.csv");
    writeFileSync(bars, hourlyBars(48, 1_704_067_200));
    const funding = join(dir, "funding.csv");
    // A year before the bars: no funding time overlaps them.
    writeFileSync(funding, "time,rate\n1672531200,0.0001\n1672560000,0.0001\n");
    const out = join(dir, "out");
    const result = await cli([
      "run",
      "--data",
      `BTC-PERP=${bars}`,
      "--funding",
      `BTC-PERP=${funding}`,
      "--out",
      out,
    ]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain("warning: BTC-PERP: no funding time");
    const stats = JSON.parse(readFileSync(join(out, "stats.json"), "utf8"));
    expect(stats.dataWarnings).toHaveLength(1);
    expect(stats.dataWarnings[0]).toContain("no funding was charged");
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("no funding time of");
    // Covering part of the bars is a warning too; covering them all is not.
    writeFileSync(funding, "time,rate\n1704067200,0.0001\n1704096000,0.0001\n");
    await cli(["run", "--data", `BTC-PERP=${bars}`, "--funding", `BTC-PERP=${funding}`, "--out", out]);
    expect(JSON.parse(readFileSync(join(out, "stats.json"), "utf8")).dataWarnings[0]).toContain("only part");
    writeFileSync(funding, "time,rate\n1704067200,0.0001\n1704153600,0.0001\n1704240000,0.0001\n");
    await cli(["run", "--data", `BTC-PERP=${bars}`, "--funding", `BTC-PERP=${funding}`, "--out", out]);
    expect(JSON.parse(readFileSync(join(out, "stats.json"), "utf8")).dataWarnings).toEqual([]);
  });
});

describe("--out", () => {
  it("is checked before the run: a file, a folder under a file, a read-only place, foreign files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gpt-bt-out-"));
    const file = join(dir, "file");
    writeFileSync(file, "x");
    // The data file is missing too: the --out problem is reported first, before any data is read.
    const missing = `BTC-USD=${join(dir, "missing.csv")}`;
    expectBadInput(await cli(["run", "--data", missing, "--out", file]), "is a file, not a folder");
    expectBadInput(await cli(["run", "--data", missing, "--out", join(file, "sub")]), "cannot write there");
    const foreign = join(dir, "foreign");
    mkdirSync(foreign);
    writeFileSync(join(foreign, "notes.txt"), "mine");
    expectBadInput(await cli(["run", "--data", missing, "--out", foreign]), '"notes.txt"');
    expect(readFileSync(join(foreign, "notes.txt"), "utf8")).toBe("mine");
    // A file name of the output taken by a folder: refused before the run, not found half-way.
    const taken = join(dir, "taken");
    mkdirSync(join(taken, "report.html"), { recursive: true });
    expectBadInput(await cli(["run", "--data", missing, "--out", taken]), '"report.html"');
    if (process.getuid?.() !== 0) {
      const readOnly = join(dir, "ro");
      mkdirSync(readOnly);
      chmodSync(readOnly, 0o555);
      expectBadInput(
        await cli(["run", "--data", missing, "--out", join(readOnly, "out")]),
        "cannot write there",
      );
    }
    expect(readdirSync(dir).filter((name) => name.includes(".tmp-"))).toEqual([]);
  });

  it("replaces the previous output whole, and a failed run leaves it untouched", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gpt-bt-out-"));
    const out = join(dir, "out");
    expect((await cli(["run", "--out", out, "--param", "fast=5", "--param", "slow=20"])).code).toBe(0);
    const before = readFileSync(join(out, "stats.json"), "utf8");
    const report = readFileSync(join(out, "report.html"), "utf8");
    // Bad input: nothing changes.
    expectBadInput(await cli(["run", "--out", out, "--param", "bogus=1"]), "bogus");
    expect(readFileSync(join(out, "stats.json"), "utf8")).toBe(before);
    // A new run replaces every file at once.
    expect((await cli(["run", "--out", out, "--param", "fast=6", "--param", "slow=21"])).code).toBe(0);
    expect(readFileSync(join(out, "stats.json"), "utf8")).not.toBe(before);
    expect(readFileSync(join(out, "report.html"), "utf8")).not.toBe(report);
    expect(readdirSync(dir)).toEqual(["out"]);
  });

  it("gives the output folder the permissions of a folder made with mkdir, not a private temp's", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gpt-bt-out-"));
    const plain = join(dir, "plain");
    mkdirSync(plain);
    const out = join(dir, "out");
    expect((await cli(["run", "--out", out, "--param", "fast=5", "--param", "slow=20"])).code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(statSync(plain).mode & 0o777);
  });

  it("abandons a write that fails part-way, keeping the previous files whole", () => {
    const dir = mkdtempSync(join(tmpdir(), "gpt-bt-out-"));
    const out = join(dir, "out");
    mkdirSync(out);
    writeFileSync(join(out, "stats.json"), "old stats");
    writeFileSync(join(out, "report.html"), "old report");
    const folder = OutputFolder.prepare(out, ["stats.json", "report.html"]);
    expect(() =>
      folder.writeAndCommit((temp) => {
        writeFileSync(join(temp, "stats.json"), "new stats");
        throw Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
      }),
    ).toThrowError(/ENOSPC.*previous output is unchanged/);
    expect(readFileSync(join(out, "stats.json"), "utf8")).toBe("old stats");
    expect(readFileSync(join(out, "report.html"), "utf8")).toBe("old report");
    expect(readdirSync(dir)).toEqual(["out"]);
    expect(existsSync(folder.temp)).toBe(false);
  });
});
