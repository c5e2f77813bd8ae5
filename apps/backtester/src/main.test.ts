import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "./main.js";

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) },
  };
}

const header = "time,open,high,low,close,volume";

/** A small hand-made hourly series: flat, a rise, a fall (sma-cross fast=2 slow=4 trades it). */
function writeBars(dir: string): string {
  const closes = [100, 100, 100, 100, 101, 103, 106, 110, 108, 104, 99, 95, 94, 95, 97, 100];
  const rows = closes.map((c, i) => {
    const open = i === 0 ? c : (closes[i - 1] as number);
    return `${3600 * i},${open},${Math.max(open, c) + 0.5},${Math.min(open, c) - 0.5},${c},10`;
  });
  const path = join(dir, "bars.csv");
  writeFileSync(path, `${header}\n${rows.join("\n")}\n`);
  return path;
}

describe("gpt-backtest run", () => {
  it("runs the embedded synthetic default and writes every output", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gpt-bt-main-"));
    const t = io();
    const code = await main(["run", "--out", dir, "--no-progress"], t.io);
    expect(t.err.join("")).toBe("");
    expect(code).toBe(0);
    for (const f of ["stats.json", "trades.csv", "equity.csv", "report.html", "decisions.jsonl"]) {
      expect(existsSync(join(dir, f))).toBe(true);
    }
    expect(t.out.join("")).toContain(`report: ${join(dir, "report.html")}`);
    const stats = JSON.parse(readFileSync(join(dir, "stats.json"), "utf8"));
    for (const key of [
      "startEquity",
      "endEquity",
      "totalReturn",
      "cagr",
      "volatility",
      "sharpe",
      "sortino",
      "calmar",
      "maxDrawdown",
      "maxDrawdownDuration",
      "trades",
      "winRate",
      "profitFactor",
      "expectancy",
      "sqn",
      "exposure",
      "feesPaid",
      "fundingPaid",
      "buyAndHoldReturn",
      "psr",
      "bars",
      "elapsedMs",
    ]) {
      expect(stats, key).toHaveProperty(key);
    }
    expect(stats.bars).toBe(20_000);
    expect(stats.trades).toBeGreaterThan(0);
    const trades = readFileSync(join(dir, "trades.csv"), "utf8").trim().split("\n");
    expect(trades.length - 1).toBe(stats.trades);
  });

  it("is deterministic: the same seed gives the same stats and decisions", async () => {
    const a = mkdtempSync(join(tmpdir(), "gpt-bt-a-"));
    const b = mkdtempSync(join(tmpdir(), "gpt-bt-b-"));
    await main(["run", "--out", a, "--no-progress", "--seed", "7"], io().io);
    await main(["run", "--out", b, "--no-progress", "--seed", "7"], io().io);
    const strip = (p: string) => {
      const s = JSON.parse(readFileSync(join(p, "stats.json"), "utf8"));
      delete s.elapsedMs;
      return s;
    };
    expect(strip(a)).toEqual(strip(b));
    expect(readFileSync(join(a, "decisions.jsonl"), "utf8")).toBe(
      readFileSync(join(b, "decisions.jsonl"), "utf8"),
    );
  });

  it("sma-cross by hand: enters at the next open after the cross, exits after the cross back", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gpt-bt-hand-"));
    const bars = writeBars(dir);
    const t = io();
    const code = await main(
      [
        "run",
        "--data",
        `BTC-USD=${bars}`,
        "--param",
        "fast=2",
        "--param",
        "slow=4",
        "--fees",
        "0,0.001",
        "--out",
        join(dir, "out"),
        "--no-progress",
        "--json",
      ],
      t.io,
    );
    expect(t.err.join("")).toBe("");
    expect(code).toBe(0);
    const stats = JSON.parse(t.out.join(""));
    const trades = readFileSync(join(dir, "out", "trades.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1);
    expect(trades).toHaveLength(1);
    const [, side, entryTime, exitTime, entryPrice, exitPrice, quantity, pnl, fees] = (
      trades[0] as string
    ).split(",");
    expect(side).toBe("long");
    // Bar 4 (close 101) is the first with SMA2 (100.5) > SMA4 (100.25); decided at its close
    // (05:00), filled at bar 5's open = 101. The paper engine stamps bar fills with the close of
    // the bar that filled them (06:00), when it learns of them.
    expect(entryTime).toBe("1970-01-01T06:00:00.000Z");
    expect(Number(entryPrice)).toBe(101);
    // Bar 9 (close 104): SMA2 106 vs SMA4 107 → flat; filled at bar 10's open = 104.
    expect(exitTime).toBe("1970-01-01T11:00:00.000Z");
    expect(Number(exitPrice)).toBe(104);
    // Size: equity 10000 / (close 101 × (1.02 × 1.001)) rounded down to 1e-8 (spot buy headroom).
    const expectedQty = Math.floor((10000 / (101 * 1.02 * 1.001)) * 1e8) / 1e8;
    expect(Number(quantity)).toBeCloseTo(expectedQty, 8);
    const q = Number(quantity);
    const expectedFees = 0.001 * q * (101 + 104);
    expect(Number(fees)).toBeCloseTo(expectedFees, 6);
    expect(Number(pnl)).toBeCloseTo(q * (104 - 101) - expectedFees, 6);
    // Bar 14 (close 97): SMA2 96 > SMA4 95.25 → long again, filled at bar 15's open (97) and still
    // open at the end (close 100): end equity = cash after trade 1 + the open position at 100.
    const cashAfterFirst = 10000 + q * 3 - expectedFees;
    const q2 = Math.floor((cashAfterFirst / (97 * 1.02 * 1.001)) * 1e8) / 1e8;
    expect(stats.endEquity).toBeCloseTo(cashAfterFirst + q2 * (100 - 97) - 0.001 * q2 * 97, 6);
    expect(stats.trades).toBe(1);
    expect(stats.sampleWarnings.length).toBe(2);
  });

  it("exits with 2 and a clear message on bad input", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gpt-bt-bad-"));
    const broken = join(dir, "broken.csv");
    writeFileSync(broken, `${header}\n0,1,1,1,1,0\n3600,1,x,1,1,0\n`);
    const unsorted = join(dir, "unsorted.csv");
    writeFileSync(unsorted, `${header}\n3600,1,1,1,1,0\n0,1,1,1,1,0\n`);
    const cases: [string[], string][] = [
      [["run", "--data", `BTC-USD=${join(dir, "missing.csv")}`], "no such file"],
      [["run", "--data", `BTC-USD=${broken}`], "broken.csv:3"],
      [["run", "--data", `BTC-USD=${unsorted}`], "unsorted.csv:3"],
      [["run", "--strategy", "nope"], '--strategy "nope": unknown strategy'],
      [["run", "--param", "bogus=1"], "bogus"],
      [["run", "--from", "2025-01-01", "--to", "2024-01-01"], "--from"],
      [["run", "--from", "2030-01-01"], "no bars"],
      [["run", "--leverage", "3"], "perpetuals"],
      [["run", "--bogus"], "unknown option"],
    ];
    for (const [args, text] of cases) {
      const t = io();
      const code = await main([...args, "--out", join(dir, "out"), "--no-progress"], t.io);
      expect(code, args.join(" ")).toBe(2);
      expect(t.err.join(""), args.join(" ")).toContain(text);
    }
  });

  it("has --help on every command", async () => {
    for (const args of [["--help"], ["run", "--help"], ["strategies", "--help"]]) {
      const t = io();
      expect(await main(args, t.io)).toBe(0);
      expect(t.out.join("")).toContain("Usage: gpt-backtest");
    }
  });
});
