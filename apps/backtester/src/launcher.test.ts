// The `bin/gpt-backtest.mjs` launcher end to end: it bundles the CLI with esbuild and runs the bundle
// (or, with GPT_BACKTEST_LOADER=tsx, the sources through tsx). Both must give the numbers of the
// in-process run, sweeps must start their worker threads from the bundle, and no bundle may be
// left behind.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseRunOptions } from "./cli/options.js";
import { loadRunData, runBacktest } from "./run.js";

const appDir = fileURLToPath(new URL("..", import.meta.url));
const bin = join(appDir, "bin", "gpt-backtest.mjs");
const cacheDir = join(appDir, "node_modules", ".cache", "gpt-backtest");

interface Launched {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  pid: number;
}

/** Bundle folders of the launcher with process id `pid` still in the cache. */
function bundlesOf(pid: number): string[] {
  return existsSync(cacheDir) ? readdirSync(cacheDir).filter((d) => d.startsWith(`run-${pid}-`)) : [];
}

function launch(
  args: readonly string[],
  env: Record<string, string> = {},
  closeStdout = false,
  started?: (child: ChildProcess) => void,
): Promise<Launched> {
  return new Promise((resolve, reject) => {
    // Its own process group, so a test can send a Ctrl-C to the launcher and the CLI together.
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, ...env },
      detached: true,
    });
    started?.(child);
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
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr, pid: child.pid as number }));
  });
}

/** Resolves once `check` holds, polling every 20 ms (no fixed sleeps); rejects after `ms`. */
function waitFor(check: () => boolean, ms = 45_000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (check()) resolve();
      else if (Date.now() > deadline) reject(new Error("condition not met in time"));
      else setTimeout(poll, 20);
    };
    poll();
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
    expect(bundlesOf(result.pid)).toEqual([]);
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

  // A file long enough that the run is still replaying it when the signal arrives (the output's
  // temporary folder appears before the first bar is read).
  const signalDir = mkdtempSync(join(tmpdir(), "gpt-bt-signal-"));
  const longCsv = join(signalDir, "bars.csv");
  const rows = ["time,open,high,low,close,volume"];
  for (let i = 0; i < 1_500_000; i++) rows.push(`${i * 60},1,1,1,1,0`);
  writeFileSync(longCsv, `${rows.join("\n")}\n`);
  for (const how of ["SIGTERM to the launcher", "SIGINT to the group (Ctrl-C)"] as const) {
    it(`on ${how}, removes the bundle and the half-written output, and exits as signalled`, async () => {
      const out = join(signalDir, `out-${how.slice(0, 6)}`);
      const temps = () => readdirSync(signalDir).filter((name) => name.includes(".tmp-"));
      let child: ChildProcess | undefined;
      const running = launch(
        ["run", "--data", `BTC-USD=${longCsv}`, "--out", out, "--no-progress"],
        {},
        false,
        (c) => {
          child = c;
        },
      );
      try {
        await waitFor(() => temps().length === 1, 150_000);
        const pid = (child as ChildProcess).pid as number;
        expect(bundlesOf(pid)).toHaveLength(1);
        if (how === "SIGTERM to the launcher") process.kill(pid, "SIGTERM");
        else process.kill(-pid, "SIGINT");
        const result = await running;
        expect(result.signal ?? result.code, result.stderr).toBe(
          how === "SIGTERM to the launcher" ? 143 : 130,
        );
        expect(temps()).toEqual([]);
        expect(existsSync(out)).toBe(false);
        expect(bundlesOf(pid)).toEqual([]);
      } finally {
        child?.kill("SIGKILL");
      }
    }, 180_000);
  }

  it("stops the CLI, leaving no output, when the launcher is killed with SIGKILL", async () => {
    const out = join(signalDir, "out-killed");
    const temps = () => readdirSync(signalDir).filter((name) => name.includes(".tmp-"));
    let child: ChildProcess | undefined;
    const running = launch(
      ["run", "--data", `BTC-USD=${longCsv}`, "--out", out, "--no-progress"],
      {},
      false,
      (c) => {
        child = c;
      },
    );
    try {
      await waitFor(() => temps().length === 1, 150_000);
      process.kill((child as ChildProcess).pid as number, "SIGKILL");
      await running;
      // An orphaned CLI would keep its temporary folder until the run ends, then write `out`.
      await waitFor(() => temps().length === 0, 60_000);
      expect(existsSync(out)).toBe(false);
    } finally {
      child?.kill("SIGKILL");
    }
  }, 240_000);

  it("removes the bundle folders of launchers that are gone", async () => {
    const dead = await launch(["strategies"]);
    mkdirSync(join(cacheDir, `run-${dead.pid}-left`), { recursive: true });
    const result = await launch(["strategies"]);
    expect(result.code).toBe(0);
    expect(bundlesOf(dead.pid)).toEqual([]);
  });
});
