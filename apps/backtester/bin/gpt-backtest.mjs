#!/usr/bin/env node
// Launches gpt-backtest from its TypeScript source with no build step. esbuild bundles the CLI and
// the sweep worker, with the workspace packages taken from their source ("@gpt/source" condition),
// into a fresh folder under node_modules/.cache (about 0.2 s), and plain Node runs the bundle.
// Running the bundle rather than the sources through tsx matters for a backtester: tsx compiles
// with esbuild's keepNames, which wraps every closure in a naming call, and it keeps the whole
// module graph twice; the bundle runs the per-bar loop about 10 % faster in about 50 MB less.
//
// A young generation of 8 MB per semi-space (V8's default is 16 MB on 64-bit) keeps a streamed run
// of a year of 1-minute bars for two symbols well under 200 MB RSS at no measurable speed cost.
// GPT_BACKTEST_LOADER=tsx runs the sources through tsx instead (the previous launcher).
//
// Signals: SIGINT, SIGTERM and SIGHUP are passed on to the CLI (which removes its half-written
// output and exits), then the bundle folder is removed and the launcher exits the same way. Bundle
// folders carry the launcher's pid (`run-<pid>-…`); each launch first removes the folders of
// launchers that are no longer running (killed with SIGKILL, or a crash), so none pile up. A CLI
// whose launcher was killed that way notices its IPC channel close and stops, removing its output.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const appDir = join(here, "..");
const nodeArgs = ["--max-semi-space-size=8", "--enable-source-maps"];

const FORWARDED = ["SIGINT", "SIGTERM", "SIGHUP"];

/**
 * Runs node with `args`, passing on termination signals; resolves with how it ended. The launcher
 * stays alive until the child is gone, so its own clean-up always runs.
 */
function runChild(args) {
  return new Promise((resolve) => {
    // The fourth pipe is an IPC channel the CLI only watches: when the launcher dies without a
    // word (SIGKILL), the channel closes and the CLI stops as on SIGHUP instead of running on alone.
    const child = spawn(process.execPath, args, {
      stdio: ["inherit", "inherit", "inherit", "ipc"],
      cwd: process.cwd(),
    });
    const forward = (signal) => {
      // A Ctrl-C reaches the whole process group; a second copy is harmless.
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    for (const signal of FORWARDED) process.on(signal, forward);
    const done = (result) => {
      for (const signal of FORWARDED) process.off(signal, forward);
      resolve(result);
    };
    child.on("error", (error) => {
      process.stderr.write(`gpt-backtest: cannot start node: ${error.message}\n`);
      done({ status: 1, signal: null });
    });
    child.on("exit", (status, signal) => done({ status, signal }));
  });
}

function runTsx() {
  return runChild([
    ...nodeArgs,
    "--import",
    import.meta.resolve("tsx"),
    "--conditions=@gpt/source",
    join(appDir, "src", "cli.ts"),
    ...process.argv.slice(2),
  ]);
}

/** Whether process `pid` is running (or exists under another user). */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

/**
 * Removes bundle folders whose launcher is gone: `run-<pid>-…` of a pid not running, and folders
 * of the older unnamed form (`run-XXXXXX`) not touched for an hour.
 */
function removeStaleBundles(cacheDir) {
  let names;
  try {
    names = readdirSync(cacheDir);
  } catch {
    return;
  }
  for (const name of names) {
    const match = /^run-(\d+)-/.exec(name);
    const path = join(cacheDir, name);
    try {
      if (
        match !== null
          ? !alive(Number(match[1]))
          : name.startsWith("run-") && Date.now() - statSync(path).mtimeMs > 3_600_000
      ) {
        rmSync(path, { recursive: true, force: true });
      }
    } catch {
      // Another launcher removed it first.
    }
  }
}

async function runBundle() {
  const { build } = await import("esbuild");
  // Inside the app's node_modules, so `uplot` (read as files by the report) resolves from the bundle.
  const cacheDir = join(appDir, "node_modules", ".cache", "gpt-backtest");
  let outDir;
  try {
    mkdirSync(cacheDir, { recursive: true });
    removeStaleBundles(cacheDir);
    // One folder per launch: concurrent runs never see each other's half-written files.
    outDir = mkdtempSync(join(cacheDir, `run-${process.pid}-`));
  } catch {
    // A read-only install: run the sources through tsx, which needs no folder of its own.
    return runTsx();
  }
  // A signal while bundling: remove the folder and go.
  const early = (signal) => {
    rmSync(outDir, { recursive: true, force: true });
    process.kill(process.pid, signal);
  };
  for (const signal of FORWARDED) process.once(signal, early);
  try {
    writeFileSync(join(outDir, "package.json"), '{ "type": "module" }\n');
    await build({
      entryPoints: { cli: join(appDir, "src", "cli.ts"), worker: join(appDir, "src", "sweep", "worker.ts") },
      outdir: outDir,
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: `node${process.versions.node}`,
      conditions: ["@gpt/source"],
      sourcemap: true,
      logLevel: "error",
      // Bundled CommonJS dependencies call require() for Node built-ins.
      banner: {
        js: "import { createRequire as __gptCreateRequire } from 'node:module'; const require = __gptCreateRequire(import.meta.url);",
      },
    });
    for (const signal of FORWARDED) process.off(signal, early);
    return await runChild([...nodeArgs, join(outDir, "cli.js"), ...process.argv.slice(2)]);
  } finally {
    for (const signal of FORWARDED) process.off(signal, early);
    rmSync(outDir, { recursive: true, force: true });
  }
}

const result = process.env.GPT_BACKTEST_LOADER === "tsx" ? await runTsx() : await runBundle();
if (result.signal !== null && result.signal !== undefined) {
  // End the way the CLI ended, so a shell sees the signal.
  process.kill(process.pid, result.signal);
}
process.exit(result.status ?? 1);
