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
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const appDir = join(here, "..");
const nodeArgs = ["--max-semi-space-size=8", "--enable-source-maps"];

function runTsx() {
  return spawnSync(
    process.execPath,
    [
      ...nodeArgs,
      "--import",
      import.meta.resolve("tsx"),
      "--conditions=@gpt/source",
      join(appDir, "src", "cli.ts"),
      ...process.argv.slice(2),
    ],
    { stdio: "inherit", cwd: process.cwd() },
  );
}

async function runBundle() {
  const { build } = await import("esbuild");
  // Inside the app's node_modules, so `uplot` (read as files by the report) resolves from the bundle.
  const cacheDir = join(appDir, "node_modules", ".cache", "gpt-backtest");
  let outDir;
  try {
    mkdirSync(cacheDir, { recursive: true });
    // One folder per launch: concurrent runs never see each other's half-written files.
    outDir = mkdtempSync(join(cacheDir, "run-"));
  } catch {
    // A read-only install: run the sources through tsx, which needs no folder of its own.
    return runTsx();
  }
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
    return spawnSync(process.execPath, [...nodeArgs, join(outDir, "cli.js"), ...process.argv.slice(2)], {
      stdio: "inherit",
      cwd: process.cwd(),
    });
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

const result = process.env.GPT_BACKTEST_LOADER === "tsx" ? runTsx() : await runBundle();
process.exit(result.status ?? 1);
