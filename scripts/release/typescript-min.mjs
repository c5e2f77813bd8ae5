// (e) The oldest TypeScript the published types work with: a fresh project installs the packages
// and `typescript@~<minor>` from the registry, then type-checks the README programs (ESM and
// CommonJS, node16 and bundler resolution, libraries' .d.ts included). It starts at the documented
// minimum and, if that fails, walks up the minors to the first that passes.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  bundlerConfig,
  node16Config,
  npmInstall,
  typeCheck,
  typeScriptSources,
  writeProject,
} from "./consumers.mjs";

/** The documented minimum TypeScript. */
export const DOCUMENTED_MIN_TYPESCRIPT = "5.4";

/** The minors tried, oldest first, up to the repository's own. */
const TYPESCRIPT_MINORS = ["5.4", "5.5", "5.6", "5.7", "5.8", "5.9"];

/**
 * @param {{ root: string, dir: string, registryUrl: string, dependencies: Record<string, string>, programs: { id: string, code: string }[] }} setup
 * @returns {Promise<{ lowest: string | null, documentedPasses: boolean, tried: { minor: string, ok: boolean, detail: string }[] }>}
 */
export async function findMinimumTypeScript({ root, dir, registryUrl, dependencies, programs }) {
  const start = TYPESCRIPT_MINORS.indexOf(DOCUMENTED_MIN_TYPESCRIPT);
  writeProject(
    dir,
    registryUrl,
    {
      name: "rehearsal-ts-min",
      private: true,
      type: "module",
      dependencies,
      devDependencies: { typescript: `~${TYPESCRIPT_MINORS[start]}.0` },
    },
    {
      ...typeScriptSources(root, programs, true),
      "tsconfig.json": `${JSON.stringify(node16Config(false), null, 2)}\n`,
      "tsconfig.bundler.json": `${JSON.stringify(bundlerConfig(), null, 2)}\n`,
    },
  );
  await npmInstall(dir, registryUrl);
  const tried = [];
  for (const minor of TYPESCRIPT_MINORS.slice(start)) {
    if (tried.length > 0) await npmInstall(dir, registryUrl, ["--save-dev", `typescript@~${minor}.0`]);
    const tsc = join(dir, "node_modules", "typescript", "bin", "tsc");
    const node16 = await typeCheck(`ts ${minor} node16`, tsc, dir, "tsconfig.json");
    const bundler = await typeCheck(`ts ${minor} bundler`, tsc, dir, "tsconfig.bundler.json");
    const ok = node16.ok && bundler.ok;
    const detail = ok
      ? "node16 and bundler: no type errors"
      : [node16, bundler]
          .filter((r) => !r.ok)
          .map((r) => `${r.name}:\n${firstLines(r.detail, 12)}`)
          .join("\n");
    tried.push({ minor, ok, detail });
    if (ok) break;
  }
  writeFileSync(join(dir, "tried.json"), `${JSON.stringify(tried, null, 2)}\n`);
  const passing = tried.find((t) => t.ok);
  return { lowest: passing?.minor ?? null, documentedPasses: tried[0]?.ok === true, tried };
}

/**
 * The first `n` lines of a text.
 * @param {string} text
 * @param {number} n
 */
function firstLines(text, n) {
  const lines = text.split("\n");
  return lines.length <= n ? text : `${lines.slice(0, n).join("\n")}\n… (${lines.length - n} more lines)`;
}
