// Publishing to the rehearsal registry with pnpm (which rewrites `workspace:` ranges and applies
// `publishConfig`), then reading back what the registry serves: the tarball's file list and its
// package.json, checked for leftovers of the workspace.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ReleaseCheckError, runChecked } from "./process.mjs";

/** The dependency fields of a manifest that a consumer's package manager reads. */
const DEPENDENCY_FIELDS = ["dependencies", "peerDependencies", "optionalDependencies", "devDependencies"];

/** The dependency fields npm installs for a consumer: each range must be a caret range. */
const INSTALLED_FIELDS = ["dependencies", "peerDependencies", "optionalDependencies"];

/** A caret range on a full version (`^10.4.0`, `^0.2.1`, `^1.0.0-rc.1`): never an exact pin. */
const CARET_RANGE = /^\^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/** The export condition that points at TypeScript sources in the workspace (never published). */
const SOURCE_CONDITION = "@gpt/source";

/**
 * The npmrc lines that let pnpm/npm publish to the local registry. Verdaccio allows anonymous
 * publishing of `@gpt/*`, but npm refuses to publish without some token, so a placeholder is given.
 * @param {string} registryUrl
 */
export function publishNpmrc(registryUrl) {
  const host = registryUrl.replace(/^https?:/, "");
  return `registry=${registryUrl}\n${host}:_authToken=rehearsal-placeholder\n`;
}

/**
 * `pnpm publish` of one package folder of the scratch copy.
 * @param {string} dir
 * @param {string} registryUrl
 * @param {{ tag?: string }} [options]
 */
export async function publishPackage(dir, registryUrl, options = {}) {
  const args = ["publish", "--registry", registryUrl, "--no-git-checks"];
  if (options.tag !== undefined) args.push("--tag", options.tag);
  return runChecked(`pnpm publish (${dir})`, "pnpm", args, { cwd: dir, timeoutMs: 180_000 });
}

/**
 * The registry URL of a package's metadata (`@scope/name` → `@scope%2fname`).
 * @param {string} registryUrl
 * @param {string} name
 */
export function packumentUrl(registryUrl, name) {
  return `${registryUrl}${name.replace("/", "%2f")}`;
}

/**
 * Downloads one published version's tarball from the registry and lists it.
 * @param {string} registryUrl
 * @param {string} name
 * @param {string} version
 * @param {string} dir where to put the tarball
 * @returns {Promise<{ registryManifest: Record<string, any>, manifest: Record<string, any>, files: Set<string>, tarball: string, distTags: Record<string, string> }>}
 */
export async function fetchPublished(registryUrl, name, version, dir) {
  const response = await fetch(packumentUrl(registryUrl, name), { signal: AbortSignal.timeout(60_000) });
  if (!response.ok) {
    throw new ReleaseCheckError(`${name}: the registry answered ${response.status}`, {
      step: `fetch ${name}`,
    });
  }
  const packument = await response.json();
  const registryManifest = packument.versions?.[version];
  if (registryManifest === undefined) {
    throw new ReleaseCheckError(`${name}@${version} is not in the registry`, { step: `fetch ${name}` });
  }
  const tarballResponse = await fetch(registryManifest.dist.tarball, { signal: AbortSignal.timeout(60_000) });
  if (!tarballResponse.ok) {
    throw new ReleaseCheckError(`${name}@${version}: tarball download failed (${tarballResponse.status})`, {
      step: `fetch ${name}`,
    });
  }
  const tarball = join(dir, `${name.replace("@", "").replace("/", "-")}-${version}.tgz`);
  writeFileSync(tarball, Buffer.from(await tarballResponse.arrayBuffer()));
  const listing = await runChecked(`list ${name}`, "tar", ["-tzf", tarball], { cwd: dir });
  const files = new Set(listing.stdout.split("\n").filter((line) => line !== ""));
  const packed = await runChecked(`read ${name}`, "tar", ["-xOzf", tarball, "package/package.json"], {
    cwd: dir,
  });
  return {
    registryManifest,
    manifest: JSON.parse(packed.stdout),
    files,
    tarball,
    distTags: packument["dist-tags"] ?? {},
  };
}

/**
 * Every path in an exports map with its conditions, e.g. `[".", "import", "types"]` → file.
 * @param {unknown} value
 * @param {string[]} [path]
 * @returns {{ path: string[], target: string | null }[]}
 */
export function exportEntries(value, path = []) {
  if (typeof value === "string") return [{ path, target: value }];
  if (value === null) return [{ path, target: null }];
  if (Array.isArray(value)) return value.flatMap((inner) => exportEntries(inner, path));
  if (typeof value === "object") {
    return Object.entries(value).flatMap(([key, inner]) => exportEntries(inner, [...path, key]));
  }
  return [];
}

/**
 * What is wrong with a published manifest, given the files of its tarball (`package/…` paths):
 * a `workspace:` range left in any dependency field, a dependency a consumer installs that is not a
 * caret range (an exact pin makes npm nest a second copy beside the user's own), the workspace
 * source condition in `exports`, an `exports` / `main` / `module` / `types` target that is not in
 * the tarball.
 * @param {Record<string, any>} manifest
 * @param {Set<string>} files
 * @returns {string[]}
 */
export function manifestProblems(manifest, files) {
  const problems = [];
  for (const field of DEPENDENCY_FIELDS) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (String(range).startsWith("workspace:")) problems.push(`${field}["${dep}"] is still "${range}"`);
      else if (INSTALLED_FIELDS.includes(field) && !CARET_RANGE.test(String(range))) {
        problems.push(`${field}["${dep}"] is "${range}", not a caret range`);
      }
    }
  }
  if (manifest.exports === undefined) problems.push("no exports map");
  for (const { path, target } of exportEntries(manifest.exports)) {
    const where = `exports${path.map((key) => `["${key}"]`).join("")}`;
    if (path.includes(SOURCE_CONDITION)) problems.push(`${where} is the workspace source condition`);
    if (target !== null && !target.includes("*") && !files.has(target.replace(/^\.\//, "package/"))) {
      problems.push(`${where} names ${target}, which is not in the tarball`);
    }
  }
  for (const field of ["main", "module", "types", "typings"]) {
    const target = manifest[field];
    if (typeof target === "string" && !files.has(`package/${target.replace(/^\.\//, "")}`)) {
      problems.push(`${field} names ${target}, which is not in the tarball`);
    }
  }
  return problems;
}
