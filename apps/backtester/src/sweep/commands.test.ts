import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { parseRunOptions } from "../cli/options.js";
import { BacktestError } from "../errors.js";
import { buildProgram } from "../main.js";
import { loadRunData, runBacktest } from "../run.js";

/** Runs the program (which `buildProgram` wires with `addSweepCommands`) in-process; returns the outputs and what was thrown. */
async function cli(args: readonly string[]): Promise<{ out: string; err: string; error: unknown }> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) };
  const program = buildProgram(io);
  let error: unknown;
  try {
    await program.parseAsync([...args], { from: "user" });
  } catch (e) {
    error = e;
  }
  return { out: out.join(""), err: err.join(""), error };
}

const WINDOW = ["--from", "2024-01-01", "--to", "2024-02-20"];

describe("gpt-backtest sweep", () => {
  it("is wired into the program once, after run", () => {
    const names = buildProgram({ stdout: () => {}, stderr: () => {} }).commands.map((c) => c.name());
    expect(names.filter((n) => n === "sweep" || n === "walk-forward")).toEqual(["sweep", "walk-forward"]);
    expect(names.indexOf("run")).toBeLessThan(names.indexOf("sweep"));
  });

  it("writes sweep.csv and sweep.json ranked, with the numbers `run` gives", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gpt-sweep-"));
    const r = await cli([
      "sweep",
      ...WINDOW,
      "--grid",
      "fast=4,8",
      "--grid",
      "slow=16:32:16",
      "--metric",
      "totalReturn",
      "--workers",
      "2",
      "--top",
      "2",
      "--out",
      dir,
    ]);
    expect(r.error).toBeUndefined();
    expect(r.out).toContain("4 points ranked by totalReturn (desc) on 2 workers");
    expect(r.out.split("\n").filter((l) => /^\d+\s+fast=/.test(l))).toHaveLength(2);
    const csv = readFileSync(join(dir, "sweep.csv"), "utf8").trimEnd().split("\n");
    expect(csv).toHaveLength(5);
    expect(csv[0]?.startsWith("rank,param.fast,param.slow,totalReturn,")).toBe(true);
    const json = JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8"));
    expect(json.results).toHaveLength(4);
    const best = json.results[0];
    const options = parseRunOptions({
      from: "2024-01-01",
      to: "2024-02-20",
      param: [`fast=${best.params.fast}`, `slow=${best.params.slow}`],
    });
    const single = runBacktest(options, loadRunData(options)).stats;
    expect(best.stats.totalReturn).toBe(single.totalReturn);
    expect(best.stats.trades).toBe(single.trades);
    expect(best.stats.sharpe).toBe(single.sharpe);
    const returns = json.results.map((x: { metric: number }) => x.metric);
    expect(returns).toEqual([...returns].sort((a: number, b: number) => b - a));
  }, 120_000);

  it("runs a seeded random search the same way twice", async () => {
    const dirs = [mkdtempSync(join(tmpdir(), "gpt-sweep-")), mkdtempSync(join(tmpdir(), "gpt-sweep-"))];
    for (const dir of dirs) {
      const r = await cli([
        "sweep",
        ...WINDOW,
        "--random",
        "3",
        "--space",
        "fast=2..10",
        "--space",
        "slow=11..40",
        "--search-seed",
        "5",
        "--json",
        "--out",
        dir,
      ]);
      // 3 points × 1,200 bars: --workers left unset runs in-process.
      expect(r.error).toBeUndefined();
      expect(JSON.parse(r.out).workers).toBe(1);
      expect(r.error).toBeUndefined();
      expect(JSON.parse(r.out).search).toMatchObject({ mode: "random", samples: 3, searchSeed: 5 });
    }
    const csvs = dirs.map((d) => readFileSync(join(d, "sweep.csv"), "utf8"));
    expect(csvs[0]).toBe(csvs[1]);
  });

  it("fails with BacktestErrors (exit 2) for bad specs, metrics and parameters", async () => {
    const cases: [string[], string][] = [
      [["sweep", "--grid", "speed=1,2"], "bad-parameter"],
      [["sweep", "--grid", "fast=5", "--metric", "nope"], "bad-argument"],
      [["sweep"], "bad-argument"],
      [["sweep", "--grid", "slow=200:50:10"], "bad-argument"],
      [["sweep", "--grid", "fast=5", "--workers", "0"], "bad-argument"],
      [["sweep", "--grid", "fast=5", "--top", "0"], "bad-argument"],
      [["sweep", "--random", "3", "--space", "fast=9..1"], "bad-argument"],
      [["walk-forward", "--train", "900d", "--test", "7d", "--grid", "fast=5"], "bad-argument"],
      [["walk-forward", "--train", "30d", "--test", "7x", "--grid", "fast=5"], "bad-argument"],
      [
        ["walk-forward", "--train", "30d", "--test", "7d", "--step", "1d", "--grid", "fast=5"],
        "bad-argument",
      ],
    ];
    for (const [args, code] of cases) {
      const dir = mkdtempSync(join(tmpdir(), "gpt-sweep-bad-"));
      const r = await cli([...args, "--out", dir, "--no-progress"]);
      expect(r.error, args.join(" ")).toBeInstanceOf(BacktestError);
      expect((r.error as BacktestError).code, args.join(" ")).toBe(code);
      expect(existsSync(join(dir, "sweep.csv"))).toBe(false);
    }
    const missing = await cli(["walk-forward", "--test", "7d", "--grid", "fast=5"]);
    expect(missing.error).toBeInstanceOf(CommanderError);
    expect(missing.err).toContain("--train");
  });

  it("explains both commands in --help", async () => {
    const sweep = await cli(["sweep", "--help"]);
    expect(sweep.out).toContain("--grid <NAME=VALUES>");
    expect(sweep.out).toContain("--workers <N>");
    expect(sweep.out).toContain("same numbers");
    const walk = await cli(["walk-forward", "--help"]);
    expect(walk.out).toContain("--train <DURATION>");
    expect(walk.out).toContain("Warm-up");
  });
});

describe("gpt-backtest walk-forward", () => {
  it("writes walk-forward.csv and walk-forward.json with out-of-sample results", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gpt-wf-"));
    const r = await cli([
      "walk-forward",
      "--from",
      "2024-01-01",
      "--to",
      "2024-03-01",
      "--train",
      "20d",
      "--test",
      "10d",
      "--grid",
      "fast=3,6",
      "--grid",
      "slow=12,24",
      "--metric",
      "totalReturn",
      "--workers",
      "2",
      "--out",
      dir,
    ]);
    expect(r.error).toBeUndefined();
    expect(r.out).toContain("out of sample over 4 windows");
    const csv = readFileSync(join(dir, "walk-forward.csv"), "utf8").trimEnd().split("\n");
    expect(csv).toHaveLength(5);
    expect(csv[0]).toContain("testFrom,testTo,param.fast,param.slow,inSample.totalReturn");
    const json = JSON.parse(readFileSync(join(dir, "walk-forward.json"), "utf8"));
    expect(json.windows.map((w: { testFrom: string }) => w.testFrom)).toEqual([
      "2024-01-21T00:00:00.000Z",
      "2024-01-31T00:00:00.000Z",
      "2024-02-10T00:00:00.000Z",
      "2024-02-20T00:00:00.000Z",
    ]);
    expect(json.warmUp).toContain("fresh start");
    // The first test window's numbers are `run --from <test start> --to <test end>` with the chosen params.
    const w0 = json.windows[0];
    const options = parseRunOptions({
      from: "2024-01-21",
      to: "2024-01-31",
      param: [`fast=${w0.params.fast}`, `slow=${w0.params.slow}`],
    });
    const single = runBacktest(options, loadRunData(options)).stats;
    expect(w0.outOfSample.totalReturn).toBe(single.totalReturn);
    expect(w0.outOfSample.bars).toBe(240);
  }, 120_000);
});
