#!/usr/bin/env node
// Runs the backtester from its TypeScript source: tsx compiles on the fly and the "@gpt/source"
// condition resolves the workspace packages to their source, so no build step is needed.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const result = spawnSync(
  process.execPath,
  [
    "--import",
    import.meta.resolve("tsx"),
    "--conditions=@gpt/source",
    join(here, "..", "src", "cli.ts"),
    ...process.argv.slice(2),
  ],
  { stdio: "inherit", cwd: process.cwd() },
);
process.exit(result.status ?? 1);
