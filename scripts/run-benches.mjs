#!/usr/bin/env node
// Runs every `src/**/*.bench.ts` of the current package with tsx (workspace packages resolve to
// their source through the "@gpt/source" condition). Each bench writes JSON under bench-results/.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith(".bench.ts")) out.push(p);
  }
  return out;
}
const files = walk("src", []).sort();
if (files.length === 0) {
  console.log("no benchmarks in this package");
  process.exit(0);
}
for (const file of files) {
  console.log(`bench: ${file}`);
  const r = spawnSync("tsx", ["--conditions=@gpt/source", file], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
