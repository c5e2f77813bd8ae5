#!/usr/bin/env node
// Keeps each published package's `publishConfig.exports` equal to its `exports` minus the
// "@gpt/source" condition (which points at src/*.ts, a folder the tarball does not ship).
// pnpm applies `publishConfig.exports` when it packs, so the published manifest never names an
// unshipped file. `node scripts/sync-publish-exports.mjs` rewrites; `--check` only reports (exit 1).
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const check = process.argv.includes("--check");

/** The export map without the source condition, at every level. */
export function withoutSourceCondition(value) {
  if (value === null || typeof value !== "object") return value;
  const out = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === "@gpt/source") continue;
    out[key] = withoutSourceCondition(inner);
  }
  return out;
}

let stale = 0;
for (const name of readdirSync(join(root, "packages"))) {
  const file = join(root, "packages", name, "package.json");
  if (!existsSync(file)) continue;
  const text = readFileSync(file, "utf8");
  const manifest = JSON.parse(text);
  if (manifest.private || manifest.exports === undefined) continue;
  const wanted = withoutSourceCondition(manifest.exports);
  const have = manifest.publishConfig?.exports;
  if (JSON.stringify(have) === JSON.stringify(wanted)) continue;
  stale++;
  if (check) {
    console.error(`${manifest.name}: publishConfig.exports is not exports without "@gpt/source"`);
    continue;
  }
  manifest.publishConfig = { ...manifest.publishConfig, exports: wanted };
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`${manifest.name}: publishConfig.exports updated`);
}
if (check && stale > 0) process.exit(1);
