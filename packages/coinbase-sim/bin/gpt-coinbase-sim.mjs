#!/usr/bin/env node
// gpt-coinbase-sim: a local Coinbase Advanced Trade exchange (see the package README).
//
// Installed from npm, this runs the built CLI in dist/. In a checkout of the repository (src/ is
// there, dist/ may not be), esbuild first bundles src/cli.ts with the workspace packages taken
// from their TypeScript source (the "@gpt/source" condition) into a fresh folder under
// node_modules/.cache, the bundle is imported in this process, and the folder is removed at once:
// no build step, and the CLI itself receives SIGINT and SIGTERM.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(packageDir, "src", "cli.ts");

/** Bundles src/cli.ts into a temporary folder, imports it, removes the folder. */
async function loadFromSource() {
  const { build, stop } = await import("esbuild");
  let base = join(packageDir, "node_modules", ".cache", "gpt-coinbase-sim");
  try {
    mkdirSync(base, { recursive: true });
  } catch {
    base = tmpdir();
  }
  const outDir = mkdtempSync(join(base, `run-${process.pid}-`));
  try {
    writeFileSync(join(outDir, "package.json"), '{ "type": "module" }\n');
    await build({
      entryPoints: { cli: source },
      outdir: outDir,
      bundle: true,
      format: "esm",
      platform: "node",
      target: `node${process.versions.node}`,
      conditions: ["@gpt/source"],
      sourcemap: "inline",
      logLevel: "error",
      // Bundled CommonJS dependencies (commander) call require() for Node built-ins.
      banner: {
        js: "import { createRequire as __simCreateRequire } from 'node:module'; const require = __simCreateRequire(import.meta.url);",
      },
    });
    return await import(pathToFileURL(join(outDir, "cli.js")).href);
  } finally {
    // esbuild's helper process is not needed while the simulator runs.
    await stop();
    rmSync(outDir, { recursive: true, force: true });
  }
}

const cli = existsSync(source) ? await loadFromSource() : await import("../dist/cli.js");
const code = await cli.runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
// Exit once the output is flushed, whatever handles a dependency left open.
process.stdout.write("", () => process.exit(code));
