// Fresh consumer projects for the rehearsal: each installs the published packages with npm from
// the local registry and runs the READMEs' programs as a user would, in one module flavour:
// ESM JavaScript, CommonJS JavaScript, TypeScript with moduleResolution node16 (compiled by tsc,
// run by node) and TypeScript with moduleResolution bundler (type-checked by tsc, run by tsx).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { extractReadmeExamples } from "../readme-examples.mjs";
import { compareOutput, toJavaScript, wrapForCommonJs } from "./examples.mjs";
import { run, runChecked } from "./process.mjs";

/**
 * The environment for package-manager commands in a consumer project: the local registry wins over
 * any `npm_config_registry` of the caller, and npm stays quiet.
 * @param {string} registryUrl
 */
export function consumerEnv(registryUrl) {
  return {
    ...process.env,
    npm_config_registry: registryUrl,
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    npm_config_loglevel: "error",
  };
}

/**
 * Writes a project folder: package.json, an .npmrc naming the registry, and the given files.
 * @param {string} dir
 * @param {string} registryUrl
 * @param {Record<string, unknown>} packageJson
 * @param {Record<string, string>} [files] relative path → content
 */
export function writeProject(dir, registryUrl, packageJson, files = {}) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(packageJson, null, 2)}\n`);
  writeFileSync(join(dir, ".npmrc"), `registry=${registryUrl}\n`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/**
 * `npm install` in a project (its package.json, plus `specs` if given).
 * @param {string} dir
 * @param {string} registryUrl
 * @param {string[]} [specs]
 */
export function npmInstall(dir, registryUrl, specs = []) {
  return runChecked(`npm install in ${basename(dir)}`, "npm", ["install", ...specs], {
    cwd: dir,
    env: consumerEnv(registryUrl),
    timeoutMs: 600_000,
  });
}

/**
 * The programs of the given packages' READMEs, with their expected output.
 * @param {{ name: string, dir: string }[]} packages
 * @returns {{ id: string, pkg: string, line: number, code: string, expectedOutput: string }[]}
 */
export function readmePrograms(packages) {
  const out = [];
  for (const pkg of packages) {
    const readme = join(pkg.dir, "README.md");
    if (!existsSync(readme)) continue;
    for (const block of extractReadmeExamples(readFileSync(readme, "utf8"))) {
      if (block.kind !== "program") continue;
      const short = pkg.name.replace(/^@gpt\//, "");
      out.push({
        id: `${short}-l${block.line}`,
        pkg: pkg.name,
        line: block.line,
        code: block.code,
        expectedOutput: block.expectedOutput ?? "",
      });
    }
  }
  return out;
}

/**
 * One result line of a consumer check.
 * @typedef {{ name: string, ok: boolean, detail: string }} CheckResult
 */

/**
 * Runs one program and compares its stdout to the expected output.
 * @param {string} label e.g. "esm risk-l28"
 * @param {string} command
 * @param {string[]} args
 * @param {string} cwd
 * @param {string} expected
 * @returns {Promise<CheckResult>}
 */
async function runProgram(label, command, args, cwd, expected) {
  const result = await run(command, args, { cwd, timeoutMs: 180_000 });
  if (result.code !== 0) {
    return {
      name: label,
      ok: false,
      detail: `exited with ${result.code}\n${(result.stderr || result.stdout).trim()}`,
    };
  }
  const difference = compareOutput(result.stdout, expected);
  return difference === null
    ? { name: label, ok: true, detail: "printed what the README says" }
    : { name: label, ok: false, detail: difference };
}

/** Which files the installed packages resolve to, checked from inside the project. */
const RESOLUTION_CHECK_ESM = `const names = JSON.parse(process.argv[2]);
const wrong = names.map((n) => [n, import.meta.resolve(n)]).filter(([, url]) => !url.endsWith("/dist/index.js"));
for (const [n, url] of wrong) console.error(\`\${n} resolves to \${url}, not dist/index.js\`);
process.exitCode = wrong.length === 0 ? 0 : 1;
`;

/** In CommonJS: require() must load dist/index.cjs and expose the same names as the ESM build. */
const RESOLUTION_CHECK_CJS = `const names = JSON.parse(process.argv[2]);
(async () => {
  let bad = 0;
  for (const name of names) {
    const file = require.resolve(name);
    if (!file.endsWith("/dist/index.cjs")) { bad++; console.error(\`\${name} requires \${file}, not dist/index.cjs\`); }
    const cjs = Object.keys(require(name)).sort();
    const esm = Object.keys(await import(name)).filter((k) => k !== "default" && k !== "module.exports").sort();
    if (JSON.stringify(cjs) !== JSON.stringify(esm)) {
      bad++;
      const onlyCjs = cjs.filter((k) => !esm.includes(k));
      const onlyEsm = esm.filter((k) => !cjs.includes(k));
      console.error(\`\${name}: CommonJS and ESM exports differ (only CJS: \${onlyCjs.join(", ")}; only ESM: \${onlyEsm.join(", ")})\`);
    }
  }
  process.exitCode = bad === 0 ? 0 : 1;
})();
`;

/**
 * The @gpt/* packages among a project's dependencies: the ones whose resolution is checked
 * (third-party packages and type packages such as `@types/node` have their own layouts).
 * @param {Record<string, string>} dependencies
 */
function ourPackages(dependencies) {
  return Object.keys(dependencies).filter((name) => name.startsWith("@gpt/"));
}

/**
 * A check of how the installed packages resolve (ESM or CommonJS), as one result.
 * @param {string} label
 * @param {string} dir
 * @param {string} file
 * @param {string[]} names
 * @returns {Promise<CheckResult>}
 */
async function resolutionCheck(label, dir, file, names) {
  const result = await run(process.execPath, [file, JSON.stringify(names)], { cwd: dir, timeoutMs: 120_000 });
  return result.code === 0
    ? {
        name: label,
        ok: true,
        detail: `${names.length} packages resolve to their ${file.endsWith(".cjs") ? "CommonJS" : "ESM"} build`,
      }
    : { name: label, ok: false, detail: `${result.stderr}${result.stdout}`.trim() };
}

/**
 * (a) ESM JavaScript: `"type": "module"`, programs as .mjs run by node.
 * @param {{ root: string, dir: string, registryUrl: string, dependencies: Record<string, string>, programs: ReturnType<typeof readmePrograms> }} setup
 * @returns {Promise<CheckResult[]>}
 */
export async function esmProject({ root, dir, registryUrl, dependencies, programs }) {
  const files = { "resolution.mjs": RESOLUTION_CHECK_ESM };
  for (const program of programs) files[`${program.id}.mjs`] = await toJavaScript(root, program.code, "esm");
  writeProject(
    dir,
    registryUrl,
    { name: "rehearsal-esm", private: true, type: "module", dependencies },
    files,
  );
  await npmInstall(dir, registryUrl);
  const results = [
    await resolutionCheck("esm: resolution", dir, "resolution.mjs", ourPackages(dependencies)),
  ];
  for (const program of programs) {
    const file = `${program.id}.mjs`;
    results.push(
      await runProgram(`esm: ${program.id}`, process.execPath, [file], dir, program.expectedOutput),
    );
  }
  return results;
}

/**
 * (b) CommonJS JavaScript: no `"type"`, programs as .cjs (`require`) run by node.
 * @param {{ root: string, dir: string, registryUrl: string, dependencies: Record<string, string>, programs: ReturnType<typeof readmePrograms> }} setup
 * @returns {Promise<CheckResult[]>}
 */
export async function cjsProject({ root, dir, registryUrl, dependencies, programs }) {
  const files = { "resolution.cjs": RESOLUTION_CHECK_CJS };
  for (const program of programs) files[`${program.id}.cjs`] = await toJavaScript(root, program.code, "cjs");
  writeProject(dir, registryUrl, { name: "rehearsal-cjs", private: true, dependencies }, files);
  await npmInstall(dir, registryUrl);
  const results = [
    await resolutionCheck("cjs: resolution", dir, "resolution.cjs", ourPackages(dependencies)),
  ];
  for (const program of programs) {
    const file = `${program.id}.cjs`;
    results.push(
      await runProgram(`cjs: ${program.id}`, process.execPath, [file], dir, program.expectedOutput),
    );
  }
  return results;
}

/** Compiler options every TypeScript consumer project shares: strict, and the libraries' .d.ts checked too. */
const STRICT_OPTIONS = { target: "ES2022", strict: true, skipLibCheck: false, noEmitOnError: true };

/**
 * The TypeScript sources of the programs: `<id>.ts` (ESM) and `<id>-cjs.cts` (CommonJS).
 * @param {string} root
 * @param {ReturnType<typeof readmePrograms>} programs
 * @param {boolean} withCommonJs
 */
export function typeScriptSources(root, programs, withCommonJs) {
  const files = {};
  for (const program of programs) {
    files[`src/${program.id}.ts`] = program.code;
    if (withCommonJs) files[`src/${program.id}-cjs.cts`] = wrapForCommonJs(root, program.code);
  }
  return files;
}

/**
 * The tsconfig of a node16 consumer project.
 * @param {boolean} emit
 */
export function node16Config(emit) {
  return {
    compilerOptions: {
      ...STRICT_OPTIONS,
      module: "Node16",
      moduleResolution: "Node16",
      ...(emit ? { outDir: "out", rootDir: "src" } : { noEmit: true }),
    },
    include: ["src"],
  };
}

/** The tsconfig of a bundler consumer project (type-check only). */
export function bundlerConfig() {
  return {
    compilerOptions: { ...STRICT_OPTIONS, module: "ESNext", moduleResolution: "Bundler", noEmit: true },
    include: ["src"],
  };
}

/**
 * Runs tsc on a project; a result with the diagnostics when it fails.
 * @param {string} label
 * @param {string} tsc path of tsc
 * @param {string} dir
 * @param {string} config tsconfig file name
 * @returns {Promise<CheckResult>}
 */
export async function typeCheck(label, tsc, dir, config) {
  const result = await run(process.execPath, [tsc, "-p", config, "--pretty", "false"], {
    cwd: dir,
    timeoutMs: 300_000,
  });
  return result.code === 0
    ? { name: label, ok: true, detail: "no type errors" }
    : { name: label, ok: false, detail: `${result.stdout}${result.stderr}`.trim() };
}

/**
 * (c) TypeScript, moduleResolution node16 (`"type": "module"`; .ts as ESM and .cts as CommonJS),
 * compiled with the repository's tsc, then run by node.
 * @param {{ root: string, dir: string, registryUrl: string, dependencies: Record<string, string>, programs: ReturnType<typeof readmePrograms> }} setup
 * @returns {Promise<CheckResult[]>}
 */
export async function node16Project({ root, dir, registryUrl, dependencies, programs }) {
  writeProject(
    dir,
    registryUrl,
    { name: "rehearsal-ts-node16", private: true, type: "module", dependencies },
    {
      ...typeScriptSources(root, programs, true),
      "tsconfig.json": `${JSON.stringify(node16Config(true), null, 2)}\n`,
    },
  );
  await npmInstall(dir, registryUrl);
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const compiled = await typeCheck("ts node16: tsc (strict, .ts and .cts)", tsc, dir, "tsconfig.json");
  if (!compiled.ok) return [compiled];
  const results = [compiled];
  for (const program of programs) {
    for (const file of [`out/${program.id}.js`, `out/${program.id}-cjs.cjs`]) {
      const label = `ts node16: ${basename(file)}`;
      results.push(await runProgram(label, process.execPath, [file], dir, program.expectedOutput));
    }
  }
  return results;
}

/**
 * (d) TypeScript, moduleResolution bundler: type-checked with the repository's tsc, run by tsx.
 * @param {{ root: string, dir: string, registryUrl: string, dependencies: Record<string, string>, programs: ReturnType<typeof readmePrograms> }} setup
 * @returns {Promise<CheckResult[]>}
 */
export async function bundlerProject({ root, dir, registryUrl, dependencies, programs }) {
  writeProject(
    dir,
    registryUrl,
    { name: "rehearsal-ts-bundler", private: true, type: "module", dependencies },
    {
      ...typeScriptSources(root, programs, false),
      "tsconfig.json": `${JSON.stringify(bundlerConfig(), null, 2)}\n`,
    },
  );
  await npmInstall(dir, registryUrl);
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const checked = await typeCheck("ts bundler: tsc --noEmit (strict)", tsc, dir, "tsconfig.json");
  const results = [checked];
  const tsx = join(root, "node_modules", "tsx", "dist", "cli.mjs");
  for (const program of programs) {
    const file = `src/${program.id}.ts`;
    results.push(
      await runProgram(
        `ts bundler: tsx ${program.id}.ts`,
        process.execPath,
        [tsx, file],
        dir,
        program.expectedOutput,
      ),
    );
  }
  return results;
}
