#!/usr/bin/env node
// Runs the backtester from its TypeScript source: tsx compiles on the fly and the "@gpt/source"
// condition resolves the workspace packages to their source, so no build step is needed.
// A young generation of 8 MB per semi-space (V8's default is 16 MB on 64-bit) keeps a streamed
// run of a year of 1-minute bars for two symbols around 170 MB RSS instead of 200 MB, at no measurable speed
// cost (see the README's speed and memory section).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const result = spawnSync(
  process.execPath,
  [
    "--max-semi-space-size=8",
    "--import",
    import.meta.resolve("tsx"),
    "--conditions=@gpt/source",
    join(here, "..", "src", "cli.ts"),
    ...process.argv.slice(2),
  ],
  { stdio: "inherit", cwd: process.cwd() },
);
process.exit(result.status ?? 1);
