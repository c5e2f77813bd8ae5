#!/usr/bin/env node
// The release rehearsal (`pnpm release:check`): everything a release does, against a throwaway
// registry, without touching the real checkout or npm.
//   1. the working tree's files (git ls-files) are copied to a scratch folder, with each published package's dist/ from
//      the checkout (CI builds just before; a missing dist/ fails) or, with `--build`, built there;
//   2. the scratch copy gets `changeset version`: the versions that would be released, and a
//      CHANGELOG.md for every published package;
//   3. verdaccio starts on a free loopback port (@gpt/* local, everything else from npmjs);
//   4. every published package is `pnpm publish`ed from the scratch copy, and what the registry
//      serves is checked: no `workspace:` range, no "@gpt/source" condition, no export target
//      missing from the tarball;
//   5. @gpt/risk, @gpt/quantize, @gpt/kernel and @gpt/coinbase-client (with what their README programs import) are
//      installed with npm into fresh ESM, CommonJS, TypeScript node16 and TypeScript bundler
//      projects, which run the README programs and compare what they print; a project with
//      typescript@5.4 finds the oldest TypeScript that type-checks them; each README's npm install
//      line is run as written and must be enough for its programs;
//   6. two copies of @gpt/core in one install (a second, prerelease version) must type-check
//      together;
//   7. the install size of `npm install @gpt/risk` (budget 1.5 MB: 1,500,000 bytes), the last check.
// Prints a summary; exits 1 on any failure. `--keep` keeps the temporary folder (its path is
// printed), `--build` builds the packages in the scratch copy instead of copying dist/.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importedPackages } from "./readme-examples.mjs";
import {
  bundlerProject,
  cjsProject,
  esmProject,
  node16Project,
  readmePrograms,
} from "./release/consumers.mjs";
import { formatBytes, measureInstallSize, RISK_INSTALL_BUDGET } from "./release/install-size.mjs";
import { mapLimit, ReleaseCheckError, stopRunningCommands } from "./release/process.mjs";
import { fetchPublished, manifestProblems, publishNpmrc, publishPackage } from "./release/publish.mjs";
import { checkReadmeInstall } from "./release/readme-install.mjs";
import { startRegistry } from "./release/registry.mjs";
import {
  buildScratch,
  copyBuiltDist,
  copyTrackedFiles,
  incompleteDist,
  installScratch,
  packagesWithStaleDist,
  publicPackages,
  versionPackages,
} from "./release/scratch.mjs";
import { checkTwoCoreCopies } from "./release/two-versions.mjs";
import { DOCUMENTED_MIN_TYPESCRIPT, findMinimumTypeScript } from "./release/typescript-min.mjs";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const USAGE = "usage: pnpm release:check [--build] [--keep]";
const args = new Set(process.argv.slice(2));
if (args.has("--help")) {
  console.log(USAGE);
  process.exit(0);
}
const unknown = [...args].filter((arg) => arg !== "--build" && arg !== "--keep");
if (unknown.length > 0) {
  console.error(`unknown option ${unknown.join(" ")}\n${USAGE}`);
  process.exit(2);
}
const keep = args.has("--keep");
const build = args.has("--build");
/** The packages whose consumers are rehearsed (their README programs run in every project). */
const TARGETS = ["@gpt/risk", "@gpt/quantize", "@gpt/kernel", "@gpt/coinbase-client"];
/** The Node types a consumer project gets when a README program uses Node's API (our Node line). */
const NODE_TYPES = "^20.19.0";
const started = performance.now();

/** @type {{ section: string, name: string, ok: boolean, detail: string }[]} */
const checks = [];
/**
 * @param {string} section
 * @param {{ name: string, ok: boolean, detail: string }} result
 */
function record(section, result) {
  checks.push({ section, ...result });
  const firstLine = result.detail.split("\n")[0] ?? "";
  console.log(`  ${result.ok ? "ok  " : "FAIL"} ${result.name}${firstLine === "" ? "" : ` — ${firstLine}`}`);
}
/**
 * Runs a section; an exception becomes one failed check and the section's result is undefined.
 * @template T
 * @param {string} section
 * @param {() => Promise<T>} body
 * @returns {Promise<T | undefined>}
 */
async function section(section, body) {
  console.log(`\n== ${section}`);
  const t0 = performance.now();
  try {
    return await body();
  } catch (error) {
    record(section, { name: `${section}: error`, ok: false, detail: describe(error) });
    return undefined;
  } finally {
    console.log(`   (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
}

const work = mkdtempSync(join(tmpdir(), "gpt-release-check-"));
/** @type {Awaited<ReturnType<typeof startRegistry>> | undefined} */
let registry;
let cleaned = false;
async function cleanUp() {
  if (cleaned) return;
  cleaned = true;
  stopRunningCommands();
  await registry?.stop();
  if (keep) console.log(`\nkept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping the registry and removing ${work}`);
    cleanUp().finally(() => process.exit(130));
  });
}

try {
  await main();
} finally {
  await cleanUp();
}
printSummary();

async function main() {
  const scratch = join(work, "scratch");
  mkdirSync(scratch);
  const built = await section("scratch copy", async () => {
    const files = await copyTrackedFiles(root, scratch);
    console.log(`   ${files} files (git ls-files: tracked and untracked, not ignored) copied to ${scratch}`);
    const packages = publicPackages(scratch);
    if (!build) {
      const missing = copyBuiltDist(root, scratch);
      if (missing.length > 0) {
        record("build", {
          name: "dist/ of every published package",
          ok: false,
          detail: `no dist/ for ${missing.join(", ")}: run \`pnpm build\` first, or pass --build (builds in the scratch copy)`,
        });
        return false;
      }
      const inCheckout = packages.map((pkg) => ({
        name: pkg.name,
        dir: join(root, pkg.dir.slice(scratch.length + 1)),
      }));
      const stale = packagesWithStaleDist(inCheckout);
      if (stale.length > 0) {
        console.log(`   note: dist/ is older than the sources of ${stale.join(", ")}; --build builds afresh`);
      }
    }
    await installScratch(scratch);
    if (build) await buildScratch(scratch);
    const incomplete = incompleteDist(packages);
    const hint = build ? "" : "\n(a build still writing dist/? run `pnpm build` first, or pass --build)";
    record("build", {
      name: build ? "built in the scratch copy" : "dist/ copied from the checkout",
      ok: incomplete.length === 0,
      detail:
        incomplete.length === 0
          ? `${packages.length} published packages, every file their manifests name is there`
          : `${incomplete.map((p) => `${p.name} lacks ${p.missing.join(", ")}`).join("\n")}${hint}`,
    });
    return incomplete.length === 0;
  });
  if (!built) return;

  const versions = await section("changeset version (scratch copy)", async () => {
    const { rows, problems, changesets } = await versionPackages(root, scratch);
    console.log(`   ${changesets} changesets applied`);
    for (const row of rows) {
      console.log(`   ${row.name.padEnd(20)} ${row.from} → ${row.to}${row.bumped ? "" : " (unchanged)"}`);
    }
    record("changeset version", {
      name: "versions and changelogs",
      ok: problems.length === 0,
      detail:
        problems.length === 0
          ? `${rows.filter((r) => r.bumped).length} packages bumped, each with CHANGELOG.md`
          : problems.join("\n"),
    });
    return new Map(rows.map((row) => [row.name, row.to]));
  });
  if (versions === undefined) return;

  registry = await section("registry", async () => {
    const started = await startRegistry(root, join(work, "registry"));
    record("registry", { name: "verdaccio", ok: true, detail: `listening on ${started.url}` });
    return started;
  });
  if (registry === undefined) return;
  const url = registry.url;

  const published = await section("publish", async () => {
    writeFileSync(join(scratch, ".npmrc"), publishNpmrc(url));
    const tarballs = join(work, "tarballs");
    mkdirSync(tarballs);
    // Two publishes at a time (each is mostly npm start-up); results are printed in name order.
    const outcomes = await mapLimit(publicPackages(scratch), 2, async (pkg) => {
      const name = `${pkg.name}@${pkg.version}`;
      try {
        await publishPackage(pkg.dir, url);
        const { manifest, registryManifest, files } = await fetchPublished(
          url,
          pkg.name,
          pkg.version,
          tarballs,
        );
        const problems = [
          ...new Set([...manifestProblems(manifest, files), ...manifestProblems(registryManifest, files)]),
        ];
        const deps = Object.entries(manifest.dependencies ?? {})
          .filter(([dep]) => dep.startsWith("@gpt/"))
          .map(([dep, range]) => `${dep}@${range}`);
        const summary = `${files.size} files${deps.length > 0 ? `; ${deps.join(", ")}` : ""}`;
        return {
          name,
          ok: problems.length === 0,
          detail: problems.length === 0 ? summary : problems.join("\n"),
        };
      } catch (error) {
        return { name, ok: false, detail: describe(error) };
      }
    });
    for (const outcome of outcomes) record("publish", outcome);
    const allOk = outcomes.every((outcome) => outcome.ok);
    return allOk;
  });
  if (!published) return;

  // The consumer projects: the targets plus every published package their README programs import.
  const packages = publicPackages(scratch);
  const programs = readmePrograms(packages.filter((pkg) => TARGETS.includes(pkg.name)));
  const names = new Set(TARGETS);
  for (const program of programs) for (const name of importedPackages(program.code)) names.add(name);
  // Third-party packages a README program imports (the `ws` of a loopback stand-in server) come in
  // the range the workspace tests them with, and with their `@types/*` package when the workspace
  // has one: a TypeScript user installs both.
  const rootManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const workspaceRanges = { ...rootManifest.dependencies, ...rootManifest.devDependencies };
  const dependencies = Object.fromEntries(
    [...names].sort().map((name) => [name, versions.get(name) ?? workspaceRanges[name] ?? "latest"]),
  );
  for (const name of names) {
    const types = `@types/${name}`;
    if (!name.startsWith("@") && workspaceRanges[types] !== undefined)
      dependencies[types] = workspaceRanges[types];
  }
  // Programs that use Node's API (a README's loopback stand-in server, `process.env`) are
  // type-checked the way a Node TypeScript project is: with Node's types installed.
  if (programs.some((program) => /\bfrom\s+["']node:|\bprocess\.|\bBuffer\./.test(program.code))) {
    dependencies["@types/node"] = NODE_TYPES;
  }
  const setup = (name) => ({ root, dir: join(work, name), registryUrl: url, dependencies, programs });
  console.log(
    `\n   consumers install ${Object.entries(dependencies)
      .map(([n, v]) => `${n}@${v}`)
      .join(" ")}`,
  );
  console.log(`   README programs: ${programs.map((p) => p.id).join(", ")}`);

  /** @type {{ section: string, label: string, run: () => Promise<{ results: { name: string, ok: boolean, detail: string }[], notes?: string[] }> }[]} */
  const jobs = [
    {
      section: `minimum TypeScript (documented: ${DOCUMENTED_MIN_TYPESCRIPT})`,
      label: "ts min",
      run: () => minimumTypeScript(setup("ts-min")),
    },
    {
      section: "consumer projects",
      label: "esm",
      run: async () => ({ results: await esmProject(setup("esm")) }),
    },
    {
      section: "consumer projects",
      label: "cjs",
      run: async () => ({ results: await cjsProject(setup("cjs")) }),
    },
    {
      section: "consumer projects",
      label: "ts node16",
      run: async () => ({ results: await node16Project(setup("ts-node16")) }),
    },
    {
      section: "consumer projects",
      label: "ts bundler",
      run: async () => ({ results: await bundlerProject(setup("ts-bundler")) }),
    },
    ...packages
      .filter((pkg) => TARGETS.includes(pkg.name))
      .map((pkg) => ({
        section: "README install lines",
        label: `readme install: ${pkg.name}`,
        run: async () => ({
          results: await checkReadmeInstall({
            root,
            dir: join(work, `readme-${pkg.name.slice(5)}`),
            registryUrl: url,
            pkg,
          }),
        }),
      })),
    {
      section: "two copies of @gpt/core",
      label: "two cores",
      run: async () => ({
        results: await checkTwoCoreCopies({
          root,
          scratch,
          dir: join(work, "two-cores"),
          registryUrl: url,
          coreVersion: versions.get("@gpt/core") ?? "",
          riskVersion: versions.get("@gpt/risk") ?? "",
        }),
      }),
    },
    { section: "install size of @gpt/risk (budget last)", label: "install size", run: () => installSize() },
  ];
  // The jobs wait mostly on npm and tsc; three at a time keeps a 2-core machine busy, not swamped.
  const outcomes = await mapLimit(jobs, 3, async (job) => {
    const t0 = performance.now();
    try {
      return { job, ...(await job.run()), ms: performance.now() - t0 };
    } catch (error) {
      return {
        job,
        results: [{ name: `${job.label}: error`, ok: false, detail: describe(error) }],
        ms: performance.now() - t0,
      };
    }
  });
  let current = "";
  for (const outcome of outcomes) {
    if (outcome.job.section !== current) {
      current = outcome.job.section;
      console.log(`\n== ${current}`);
    }
    for (const note of outcome.notes ?? []) console.log(`   ${note}`);
    for (const result of outcome.results) record(current, result);
    console.log(`   (${outcome.job.label}: ${(outcome.ms / 1000).toFixed(1)} s)`);
  }

  /** (e): the documented minimum TypeScript, or the lowest that passes. */
  async function minimumTypeScript(project) {
    const found = await findMinimumTypeScript(project);
    const notes = [];
    for (const attempt of found.tried) {
      notes.push(`typescript ~${attempt.minor}: ${attempt.ok ? "passes" : "fails"}`);
      if (!attempt.ok) notes.push(indent(attempt.detail, "  "));
    }
    const result = {
      name: `README programs type-check with TypeScript ${DOCUMENTED_MIN_TYPESCRIPT}`,
      ok: found.documentedPasses,
      detail: found.documentedPasses
        ? "node16 and bundler, strict, .d.ts checked"
        : found.lowest === null
          ? "no TypeScript minor passes"
          : `the lowest passing TypeScript is ${found.lowest}: document that, or fix the types`,
    };
    return { results: [result], notes };
  }

  /** (g): bytes of node_modules after `npm install @gpt/risk`, held to the budget. */
  async function installSize() {
    const { bytes, packages: sizes } = await measureInstallSize({
      dir: join(work, "size"),
      registryUrl: url,
      name: "@gpt/risk",
    });
    const notes = sizes.map(({ name, bytes: b }) => `${name.padEnd(24)} ${formatBytes(b).padStart(10)}`);
    const result = {
      name: "npm install @gpt/risk",
      ok: bytes <= RISK_INSTALL_BUDGET,
      detail: `node_modules is ${bytes} bytes (${formatBytes(bytes)}); budget ${RISK_INSTALL_BUDGET} bytes (1.5 MB)`,
    };
    return { results: [result], notes };
  }
}

/**
 * @param {unknown} error
 */
function describe(error) {
  if (error instanceof ReleaseCheckError) return `${error.message}${error.output ? `\n${error.output}` : ""}`;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/**
 * @param {string} text
 * @param {string} prefix
 */
function indent(text, prefix) {
  return text
    .split("\n")
    .map((line) => `${prefix}${line}`)
    .join("\n");
}

function printSummary() {
  const failed = checks.filter((check) => !check.ok);
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  if (failed.length > 0) {
    console.log("\n== failures");
    for (const check of failed)
      console.log(`- [${check.section}] ${check.name}\n${indent(check.detail, "    ")}`);
  }
  console.log(
    `\nrelease check: ${checks.length - failed.length} passed, ${failed.length} failed (${seconds} s)`,
  );
  process.exitCode = failed.length === 0 && checks.length > 0 ? 0 : 1;
}
