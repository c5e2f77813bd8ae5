#!/usr/bin/env node
// Type-checks a fresh consumer project against the published packages, the way a user gets them:
// every published package is packed with `pnpm pack` and installed with `npm install` into a temp
// folder (third-party dependencies come from the npm registry), with no zod installed and Node's
// types as a Node project has them. A TypeScript file then imports the public API of each package, and the workspace's `tsc` checks it strictly
// with `skipLibCheck: false`, so every `.d.ts` the imports reach is checked too. Fails when zod got
// installed or when any published type names a module the consumer does not have.
// Run after `pnpm build`. Exits 1 on any problem.
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
/** Node's types for the consumer project, at the Node line the packages support (engines >=20.19). */
const NODE_TYPES = "@types/node@^20.19.0";

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

const packages = readdirSync(join(root, "packages"))
  .map((name) => join(root, "packages", name))
  .filter((dir) => existsSync(join(dir, "package.json")))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }))
  .filter((p) => !p.manifest.private);

const work = mkdtempSync(join(tmpdir(), "gpt-consumer-types-"));
let failed = false;
try {
  for (const { dir } of packages) run("pnpm", ["pack", "--pack-destination", work], dir);
  const tarballs = readdirSync(work)
    .filter((f) => f.endsWith(".tgz"))
    .map((f) => join(work, f));
  const project = join(work, "project");
  mkdirSync(project);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "consumer-probe", private: true, type: "module" }),
  );
  // A Node project has Node's types (our Node line): @gpt/coinbase-sim is a server and its types name
  // `node:*` modules. zod, or any other module a consumer lacks, still fails.
  run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", NODE_TYPES, ...tarballs], project);
  if (existsSync(join(project, "node_modules", "zod"))) {
    console.error("zod was installed: some published package still depends on it");
    failed = true;
  }
  // One namespace import per package: every export's declaration is reachable and gets checked.
  const lines = packages.map(({ manifest }, i) => `import * as p${i} from "${manifest.name}";`);
  lines.push(`export const all = [${packages.map((_, i) => `p${i}`).join(", ")}];`);
  // A few uses of the types that used to come from zod.
  lines.push(
    'import { parseRiskConfig, type RiskConfigInput } from "@gpt/risk";',
    'import { parseRegimeConfig, type RegimeConfig } from "@gpt/regime";',
    'import { BUILT_IN_STRATEGIES, createStrategyRegistry, type SmaCrossParams, smaCrossSchema } from "@gpt/strategies";',
    'import type { ParseSchema } from "@gpt/core";',
    'const input: RiskConfigInput = { maxLeverage: "3", breakers: { drawdown: { maxPct: "10%" } } };',
    "export const risk = parseRiskConfig(input).maxLeverage.toFixed();",
    "export const regime: RegimeConfig = parseRegimeConfig({ barsPerYear: 8760 });",
    "export const registry = createStrategyRegistry([...BUILT_IN_STRATEGIES]);",
    "const schema: ParseSchema<SmaCrossParams> = smaCrossSchema;",
    "const parsed = schema.safeParse({ fast: '5' });",
    "export const fast: number | undefined = parsed.success ? parsed.data.fast : undefined;",
  );
  writeFileSync(join(project, "index.ts"), `${lines.join("\n")}\n`);
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        exactOptionalPropertyTypes: true,
        skipLibCheck: false,
        noEmit: true,
        types: ["node"],
      },
      files: ["index.ts"],
    }),
  );
  const tsc = spawnSync(
    process.execPath,
    [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", project],
    {
      encoding: "utf8",
    },
  );
  if (tsc.status !== 0) {
    console.error(`consumer type-check failed:\n${tsc.stdout}${tsc.stderr}`);
    failed = true;
  } else {
    console.log(
      `consumer type-check passed: ${packages.map((p) => p.manifest.name).join(", ")} (no zod installed, skipLibCheck off)`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (failed) process.exit(1);
