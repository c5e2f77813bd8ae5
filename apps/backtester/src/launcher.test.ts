// The `bin/gpt-backtest.mjs` launcher end to end: it bundles the CLI with esbuild and runs the bundle
// (or, with GPT_BACKTEST_LOADER=tsx, the sources through tsx). Both must give the numbers of the
// in-process run, sweeps must start their worker threads from the bundle, and no bundle may be
// left behind.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseRunOptions } from "./cli/options.js";
import { loadRunData, runBacktest } from "./run.js";

const appDir = fileURLToPath(new URL("..", import.meta.url));
const bin = join(appDir, "bin", "gpt-backtest.mjs");
const cacheDir = join(appDir, "node_modules", ".cache", "gpt-backtest");

function launch(
  args: readonly string[],
  env: Record<string, string> = {},
  closeStdout = false,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
    // Closed before the CLI (still being bundled) writes anything: its first write hits EPIPE.
    if (closeStdout) child.stdout.destroy();
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const runArgs = ["run", "--param", "fast=5", "--param", "slow=20", "--risk", "default", "--json"];

function withoutElapsed(stats: Record<string, unknown>): Record<string, unknown> {
  const { elapsedMs: _elapsed, ...rest } = stats;
  return rest;
}

describe("bin/gpt-backtest.mjs", () => {
  const expected = (() => {
    const options = parseRunOptions({ param: ["fast=5", "slow=20"], risk: "default", progress: false });
    return withoutElapsed(
      JSON.parse(JSON.stringify(runBacktest(options, loadRunData(options)).stats)) as Record<string, unknown>,
    );
  })();

  it("runs the bundled CLI with the numbers of the in-process run, and cleans up", async () => {
    const out = mkdtempSync(join(tmpdir(), "gpt-bt-launch-"));
    const result = await launch([...runArgs, "--out", out]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(withoutElapsed(JSON.parse(result.stdout) as Record<string, unknown>)).toEqual(expected);
    expect(existsSync(join(out, "report.html"))).toBe(true);
    const left = existsSync(cacheDir) ? readdirSync(cacheDir).filter((d) => d.startsWith("run-")) : [];
    expect(left).toEqual([]);
  });

  it("gives the same numbers through tsx (GPT_BACKTEST_LOADER=tsx)", async () => {
    const out = mkdtempSync(join(tmpdir(), "gpt-bt-launch-"));
    const result = await launch([...runArgs, "--out", out], { GPT_BACKTEST_LOADER: "tsx" });
    expect(result.code).toBe(0);
    expect(withoutElapsed(JSON.parse(result.stdout) as Record<string, unknown>)).toEqual(expected);
  });

  it("starts sweep worker threads from the bundle, with the numbers of one worker", async () => {
    const one = mkdtempSync(join(tmpdir(), "gpt-bt-launch-"));
    const two = mkdtempSync(join(tmpdir(), "gpt-bt-launch-"));
    const grid = ["sweep", "--grid", "fast=5,10", "--grid", "slow=30,60", "--no-progress"];
    const [a, b] = await Promise.all([
      launch([...grid, "--workers", "1", "--out", one]),
      launch([...grid, "--workers", "2", "--out", two]),
    ]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(b.stdout).toContain("on 2 workers");
    expect(readFileSync(join(two, "sweep.csv"), "utf8")).toBe(readFileSync(join(one, "sweep.csv"), "utf8"));
  });

  it("exits with 2 and a message on bad input, and 0 when stdout closes early", async () => {
    const bad = await launch(["run", "--data", "BTC-USD=/no/such/file.csv"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("/no/such/file.csv: no such file");
    const help = await launch(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: gpt-backtest");
    const closed = await launch(["strategies"], {}, true);
    expect(closed.stderr).toBe("");
    expect(closed.code).toBe(0);
  });
});
