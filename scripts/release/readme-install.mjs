// The READMEs' install lines, run as written in a fresh folder (the local registry given through
// the environment and an .npmrc), then the README's programs run there with tsx. A program that
// imports a package the install line does not name fails here, even where npm's hoisting would
// happen to expose it.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { extractReadmeExamples, importedPackages, parseInstallCommands } from "../readme-examples.mjs";
import { consumerEnv, writeProject } from "./consumers.mjs";
import { compareOutput } from "./examples.mjs";
import { run } from "./process.mjs";

/**
 * @param {{ root: string, dir: string, registryUrl: string, pkg: { name: string, dir: string } }} setup
 * @returns {Promise<{ name: string, ok: boolean, detail: string }[]>}
 */
export async function checkReadmeInstall({ root, dir, registryUrl, pkg }) {
  const label = `readme install: ${pkg.name}`;
  const blocks = extractReadmeExamples(readFileSync(join(pkg.dir, "README.md"), "utf8"));
  const commands = chooseInstallLines(
    blocks.filter((b) => b.kind === "install").flatMap((b) => parseInstallCommands(b.code)),
  );
  if (commands.length === 0) return [{ name: label, ok: false, detail: "the README has no install line" }];
  const programs = blocks.filter((b) => b.kind === "program");
  const files = {};
  for (const program of programs) files[`example-l${program.line}.mts`] = program.code;
  writeProject(dir, registryUrl, { name: "rehearsal-readme-install", private: true, type: "module" }, files);

  const results = [];
  const installed = new Set();
  for (const command of commands) {
    const [manager = "", ...args] = command.command.split(/\s+/);
    const result = await run(manager, args, { cwd: dir, env: consumerEnv(registryUrl), timeoutMs: 600_000 });
    if (result.code !== 0) {
      results.push({
        name: `${label}: ${command.command}`,
        ok: false,
        detail: `${result.stdout}${result.stderr}`.trim(),
      });
      return results;
    }
    for (const name of command.packages) installed.add(name);
  }
  const missing = absentPackages(dir, [...installed]);
  results.push({
    name: `${label}: ${commands.map((c) => c.command).join(" && ")}`,
    ok: missing.length === 0,
    detail:
      missing.length === 0
        ? `installed ${[...installed].join(", ")}`
        : `not in node_modules: ${missing.join(", ")}`,
  });

  const tsx = join(root, "node_modules", "tsx", "dist", "cli.mjs");
  for (const program of programs) {
    const name = `${label}: example at README line ${program.line}`;
    const notInstalled = importedPackages(program.code).filter((imported) => !installed.has(imported));
    if (notInstalled.length > 0) {
      results.push({
        name,
        ok: false,
        detail: `imports ${notInstalled.join(", ")}, which the install line does not add`,
      });
      continue;
    }
    const result = await run(process.execPath, [tsx, `example-l${program.line}.mts`], {
      cwd: dir,
      timeoutMs: 180_000,
    });
    const difference = result.code === 0 ? compareOutput(result.stdout, program.expectedOutput ?? "") : null;
    results.push(
      result.code !== 0
        ? {
            name,
            ok: false,
            detail: `exited with ${result.code}\n${(result.stderr || result.stdout).trim()}`,
          }
        : { name, ok: difference === null, detail: difference ?? "runs after the install line alone" },
    );
  }
  return results;
}

/**
 * The lines to run when a README offers the same install for several package managers (`npm
 * install …`, `pnpm add …`, `yarn add …` are alternatives, not steps): the npm lines if there are
 * any, else the pnpm lines, else the yarn lines.
 * @template {{ manager: string }} T
 * @param {T[]} commands
 * @returns {T[]}
 */
export function chooseInstallLines(commands) {
  for (const manager of ["npm", "pnpm", "yarn"]) {
    const lines = commands.filter((command) => command.manager === manager);
    if (lines.length > 0) return lines;
  }
  return [];
}

/**
 * The packages of a list that are not in a project's node_modules.
 * @param {string} dir
 * @param {string[]} names
 */
function absentPackages(dir, names) {
  return names.filter((name) => !existsSync(join(dir, "node_modules", name, "package.json")));
}
