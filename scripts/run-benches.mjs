#!/usr/bin/env node
// Runs every `src/**/*.bench.ts` of the current package. Each bench writes JSON under bench-results/.
//
// A bench measures compiled code, as users run it: esbuild bundles the bench with the workspace
// packages taken from their source ("@gpt/source" condition) next to the bench file (so the bench's
// `import.meta.url` still locates its package), plain Node runs the bundle, and the bundle is
// deleted. This is also how `gpt-backtest` runs. Running the sources through tsx instead would
// measure tsx's keepNames transform, which wraps every closure in a naming call (5 to 10 % on the
// backtester's per-bar loop). A bench whose first line is `// bench-loader: tsx` still runs through
// tsx: the sweep bench starts worker threads from source files.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith(".bench.ts")) out.push(p);
  }
  return out;
}

async function runBundled(file) {
  const { build } = await import("esbuild");
  const outfile = join(dirname(file), `${basename(file, ".ts")}.bundle.mjs`);
  try {
    await build({
      entryPoints: [file],
      outfile,
      bundle: true,
      format: "esm",
      platform: "node",
      target: `node${process.versions.node}`,
      conditions: ["@gpt/source"],
      logLevel: "error",
      banner: {
        js: "import { createRequire as __gptCreateRequire } from 'node:module'; const require = __gptCreateRequire(import.meta.url);",
      },
    });
    return spawnSync(process.execPath, [outfile], { stdio: "inherit" });
  } finally {
    rmSync(outfile, { force: true });
  }
}

const files = walk("src", []).sort();
if (files.length === 0) {
  console.log("no benchmarks in this package");
  process.exit(0);
}
for (const file of files) {
  const viaTsx = readFileSync(file, "utf8").startsWith("// bench-loader: tsx");
  console.log(`bench: ${file}${viaTsx ? " (tsx)" : ""}`);
  const r = viaTsx
    ? spawnSync(
        process.execPath,
        ["--import", import.meta.resolve("tsx"), "--conditions=@gpt/source", file],
        {
          stdio: "inherit",
        },
      )
    : await runBundled(file);
  if (r.error !== undefined) console.error(`bench: ${file} could not start: ${r.error.message}`);
  if (r.status !== 0) process.exit(r.status ?? 1);
}
