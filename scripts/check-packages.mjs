#!/usr/bin/env node
// Checks every published package (packages/* that are not private) with publint and
// @arethetypeswrong/cli on its packed tarball. Run after `pnpm build`. Exits 1 on any problem.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const dirs = readdirSync(join(root, "packages"))
  .map((name) => join(root, "packages", name))
  .filter((dir) => existsSync(join(dir, "package.json")))
  .filter((dir) => !JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).private);

let problems = 0;
for (const dir of dirs) {
  const name = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name;
  if (!existsSync(join(dir, "dist"))) {
    console.error(`${name}: no dist/ (run pnpm build first)`);
    problems++;
    continue;
  }
  for (const [tool, args] of [
    ["publint", ["--strict"]],
    ["attw", ["--pack", ".", "--format", "table-flipped"]],
  ]) {
    const r = spawnSync(join(root, "node_modules", ".bin", tool), args, { cwd: dir, encoding: "utf8" });
    const text = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim();
    if (r.status !== 0) {
      problems++;
      console.error(`${name}: ${tool} failed\n${text}`);
    } else {
      console.log(`${name}: ${tool} ok`);
    }
  }
}
console.log(problems === 0 ? `checked ${dirs.length} packages: no problems` : `${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
