// The scratch copy of the repository that the rehearsal versions and publishes: the working tree's
// files as git sees them (tracked, and untracked but not ignored) in a temporary folder, with each published package's dist/
// either copied from the checkout (built just before, as in CI) or built there. The real checkout
// is only read.
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { ReleaseCheckError, run, runChecked } from "./process.mjs";
import { exportEntries } from "./publish.mjs";

/**
 * The published packages of a repository folder (packages/* without `private`), sorted by name.
 * @param {string} root
 * @returns {{ name: string, version: string, dir: string, manifest: Record<string, any> }[]}
 */
export function publicPackages(root) {
  const out = [];
  for (const entry of readdirSync(join(root, "packages"))) {
    const file = join(root, "packages", entry, "package.json");
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, "utf8"));
    if (manifest.private) continue;
    out.push({
      name: manifest.name,
      version: manifest.version,
      dir: join(root, "packages", entry),
      manifest,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The names of the given packages whose dist/ looks older than their sources (a file in src/,
 * package.json or tsup.config.ts changed after the oldest file in dist/ was written): a hint to
 * rebuild.
 * @param {{ name: string, dir: string }[]} packages
 */
export function packagesWithStaleDist(packages) {
  const newest = (dir) => {
    let latest = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
    return latest;
  };
  const oldest = (dir) => {
    let earliest = Number.POSITIVE_INFINITY;
    for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (entry.isFile()) earliest = Math.min(earliest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
    return earliest;
  };
  return packages
    .filter((pkg) => existsSync(join(pkg.dir, "dist")) && existsSync(join(pkg.dir, "src")))
    .filter((pkg) => {
      const inputs = [join(pkg.dir, "package.json"), join(pkg.dir, "tsup.config.ts")]
        .filter((file) => existsSync(file))
        .map((file) => statSync(file).mtimeMs);
      return Math.max(newest(join(pkg.dir, "src")), ...inputs) > oldest(join(pkg.dir, "dist"));
    })
    .map((pkg) => pkg.name);
}

/**
 * Copies the working tree as git sees it into `scratch`: the tracked files and the untracked ones
 * that are not ignored (`git ls-files --cached --others --exclude-standard`), so that a change in
 * progress is rehearsed whole; in a clean clone (CI) that is exactly the commit. Returns the
 * number of files copied.
 * @param {string} root the real checkout
 * @param {string} scratch an empty folder
 */
export async function copyTrackedFiles(root, scratch) {
  const listed = await runChecked(
    "list tracked files",
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    { cwd: root },
  );
  let copied = 0;
  for (const file of listed.stdout.split("\0").filter((name) => name !== "")) {
    const from = join(root, file);
    if (!existsSync(from)) continue; // deleted in the working tree, not yet committed
    mkdirSync(dirname(join(scratch, file)), { recursive: true });
    copyFileSync(from, join(scratch, file));
    copied++;
  }
  return copied;
}

/**
 * Copies the checkout's built dist/ of every published package of the scratch copy. Returns the
 * names of the packages that have no (or an empty) dist/ to copy.
 * @param {string} root
 * @param {string} scratch
 */
export function copyBuiltDist(root, scratch) {
  const missing = [];
  for (const pkg of publicPackages(scratch)) {
    const built = join(root, pkg.dir.slice(scratch.length + 1), "dist");
    if (!existsSync(built) || readdirSync(built).length === 0) missing.push(pkg.name);
    else cpSync(built, join(pkg.dir, "dist"), { recursive: true });
  }
  return missing;
}

/**
 * The files each package's manifest points at (its `publishConfig.exports`, or else `exports`,
 * and `main` / `module` / `types`) that are missing from its folder: a dist/ that was copied
 * while a build was still writing it, or a build that failed half-way.
 * @param {{ name: string, dir: string, manifest: Record<string, any> }[]} packages
 * @returns {{ name: string, missing: string[] }[]}
 */
export function incompleteDist(packages) {
  const out = [];
  for (const pkg of packages) {
    const targets = exportEntries(pkg.manifest.publishConfig?.exports ?? pkg.manifest.exports)
      .map((entry) => entry.target)
      .concat(["main", "module", "types"].map((field) => pkg.manifest[field]))
      .filter((target) => typeof target === "string" && !target.includes("*"));
    const missing = [...new Set(targets)].filter((target) => !existsSync(join(pkg.dir, target)));
    if (missing.length > 0) out.push({ name: pkg.name, missing });
  }
  return out;
}

/**
 * Links the scratch workspace with `pnpm install` (offline-first, no scripts), which `pnpm
 * publish` needs to resolve `workspace:` ranges and a build needs for its tools.
 * @param {string} scratch
 */
export function installScratch(scratch) {
  return runChecked(
    "pnpm install in the scratch copy",
    "pnpm",
    ["install", "--frozen-lockfile", "--prefer-offline", "--ignore-scripts", "--reporter=silent"],
    { cwd: scratch, env: { ...process.env, CI: "true" }, timeoutMs: 300_000 },
  );
}

/**
 * Builds every package of the scratch copy (`pnpm -r run build` under packages/), so that what is
 * published is built from the tracked sources alone.
 * @param {string} scratch
 */
export function buildScratch(scratch) {
  return runChecked(
    "build in the scratch copy",
    "pnpm",
    ["--recursive", "--filter", "./packages/*", "--reporter=append-only", "run", "build"],
    { cwd: scratch, env: { ...process.env, CI: "true" }, timeoutMs: 900_000 },
  );
}

/**
 * Runs `changeset version` in the scratch copy and reports what it did: each published package's
 * version before and after, and whether it now has a CHANGELOG.md with a section for the new
 * version. Problems (no bump, no changelog) are listed, not thrown.
 * @param {string} root the real checkout (for its changesets binary)
 * @param {string} scratch
 */
export async function versionPackages(root, scratch) {
  const before = new Map(publicPackages(scratch).map((pkg) => [pkg.name, pkg.version]));
  const pending = readdirSync(join(scratch, ".changeset")).filter(
    (f) => f.endsWith(".md") && f !== "README.md",
  );
  const result = await run(join(root, "node_modules", ".bin", "changeset"), ["version"], {
    cwd: scratch,
    timeoutMs: 120_000,
  });
  if (result.code !== 0) {
    throw new ReleaseCheckError("changeset version failed", {
      step: "changeset version",
      command: result.commandLine,
      output: `${result.stdout}${result.stderr}`.trim(),
    });
  }
  const problems = [];
  const rows = publicPackages(scratch).map((pkg) => {
    const from = before.get(pkg.name) ?? "(new)";
    const changelog = join(pkg.dir, "CHANGELOG.md");
    const hasChangelog = existsSync(changelog);
    const bumped = from !== pkg.version;
    const hasSection = hasChangelog && readFileSync(changelog, "utf8").includes(`## ${pkg.version}\n`);
    if (!hasChangelog) problems.push(`${pkg.name}: no CHANGELOG.md after changeset version`);
    // A package no changeset names keeps its version (and its earlier changelog): not released.
    else if (bumped && !hasSection)
      problems.push(`${pkg.name}: CHANGELOG.md has no "## ${pkg.version}" section`);
    return { name: pkg.name, from, to: pkg.version, bumped, changelog: hasChangelog };
  });
  return { rows, problems, changesets: pending.length };
}
