#!/usr/bin/env node
// Checks every published package (packages/* that are not private) as it would be published: packs
// it with pnpm (which rewrites `workspace:^` ranges and applies `publishConfig`), then runs publint
// and @arethetypeswrong/cli on that tarball and checks the packed manifest itself (the same check
// as the release rehearsal, `manifestProblems` in scripts/release/publish.mjs): no `workspace:`
// range left, every dependency a caret range, no "@gpt/source" condition, and every file the
// `exports` map, `main` and `types` name is in the tarball. Run after `pnpm build`.
// Exits 1 on any problem.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { manifestProblems } from "./release/publish.mjs";

const root = new URL("..", import.meta.url).pathname;
const bin = (tool) => join(root, "node_modules", ".bin", tool);
const dirs = readdirSync(join(root, "packages"))
  .map((name) => join(root, "packages", name))
  .filter((dir) => existsSync(join(dir, "package.json")))
  .filter((dir) => !JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).private);

let problems = 0;
const sync = spawnSync(process.execPath, [join(root, "scripts", "sync-publish-exports.mjs"), "--check"], {
  encoding: "utf8",
});
if (sync.status !== 0) {
  problems++;
  console.error(`${sync.stderr}run: node scripts/sync-publish-exports.mjs`);
}
const packDir = mkdtempSync(join(tmpdir(), "gpt-check-packages-"));
try {
  for (const dir of dirs) {
    const name = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name;
    if (!existsSync(join(dir, "dist"))) {
      console.error(`${name}: no dist/ (run pnpm build first)`);
      problems++;
      continue;
    }
    const packed = spawnSync("pnpm", ["pack", "--pack-destination", packDir], { cwd: dir, encoding: "utf8" });
    const tarball = packed.stdout
      .trim()
      .split("\n")
      .filter((line) => line.endsWith(".tgz"))
      .pop();
    if (packed.status !== 0 || tarball === undefined) {
      problems++;
      console.error(`${name}: pnpm pack failed\n${packed.stdout}${packed.stderr}`);
      continue;
    }
    const listing = spawnSync("tar", ["-tzf", tarball], { encoding: "utf8" });
    const files = new Set(listing.stdout.trim().split("\n"));
    const manifest = JSON.parse(
      spawnSync("tar", ["-xOzf", tarball, "package/package.json"], { encoding: "utf8" }).stdout,
    );
    const found = manifestProblems(manifest, files);
    if (found.length > 0) {
      problems += found.length;
      console.error(`${name}: packed manifest:\n  ${found.join("\n  ")}`);
    } else {
      console.log(`${name}: packed manifest ok (${files.size} files)`);
    }
    for (const [tool, args] of [
      ["publint", [tarball, "--strict"]],
      ["attw", [tarball, "--format", "table-flipped"]],
    ]) {
      const r = spawnSync(bin(tool), args, { cwd: dir, encoding: "utf8" });
      const text = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim();
      if (r.status !== 0) {
        problems++;
        console.error(`${name}: ${tool} failed\n${text}`);
      } else {
        console.log(`${name}: ${tool} ok`);
      }
    }
  }
} finally {
  rmSync(packDir, { recursive: true, force: true });
}
console.log(problems === 0 ? `checked ${dirs.length} packages: no problems` : `${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
