/**
 * Every README example is a program that must compile and print what the README says: each `ts`
 * block of the root README and of every package and app README is type-checked by the repository's
 * tsc (strict, one run for all blocks) and run with tsx under `--conditions=@gpt/source` (no build
 * needed); its stdout must equal the expected output (see scripts/readme-examples.mjs) exactly.
 * The processes run in a pool of two (a busy two-core machine), with generous timeouts.
 */

import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractReadmeExamples, type ReadmeBlock } from "./readme.js";
import { listReadmes, type ReadmeFile } from "./readme-checks.js";
import { findRepoRoot } from "./shared.js";

const WORKERS = 2;
const TSC_TIMEOUT_MS = 600_000;
const RUN_TIMEOUT_MS = 300_000;
const TEST_TIMEOUT_MS = 1_200_000;

const root = findRepoRoot();
const bin = join(root, "node_modules", ".bin");
// One folder per test process, at the root so that every @gpt package resolves from the root's
// node_modules (the root links them all); removed at the end.
const workDir = join(root, `.readme-check-${process.pid}`);

interface Example {
  readonly readme: ReadmeFile;
  readonly block: ReadmeBlock;
  readonly file: string;
}

interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly error?: string;
}

// README_ONLY=packages/risk limits a run to the READMEs whose path starts with it (while editing one).
const only = process.env.README_ONLY ?? "";
const examples: Example[] = listReadmes(root)
  .filter((readme) => readme.rel.startsWith(only))
  .flatMap((readme) =>
    extractReadmeExamples(readme.markdown)
      .filter((block) => block.kind === "program")
      .map((block) => ({
        readme,
        block,
        file: join(workDir, `${(readme.relDir || "root").replace(/\//g, "-")}-line-${block.line}.ts`),
      })),
  );

/** A minimal promise pool: at most `size` tasks at once, in submission order. */
function createPool(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= size) await new Promise<void>((resolveSlot) => waiting.push(resolveSlot));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/** Runs a command; never rejects (the result says what happened). */
function run(command: string, args: readonly string[], cwd: string, timeout: number): Promise<ProcessResult> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      { cwd, timeout, maxBuffer: 64 * 1024 * 1024, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        done({ code, stdout, stderr, ...(error === null ? {} : { error: error.message }) });
      },
    );
  });
}

/** tsc diagnostics (`file(line,col): error TSxxxx: …` and their continuation lines) by absolute file. */
function diagnosticsByFile(output: string): Map<string, string[]> {
  const byFile = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of output.split("\n")) {
    const match = /^(.+?)\((\d+),(\d+)\): (error|warning) (TS\d+: .*)$/.exec(line);
    if (match !== null) {
      const file = resolve(root, match[1] ?? "");
      current = byFile.get(file) ?? [];
      byFile.set(file, current);
      current.push(`(${match[2]},${match[3]}) ${match[5]}`);
    } else if (current !== undefined && /^\s+\S/.test(line)) {
      current.push(line);
    } else {
      current = undefined;
    }
  }
  return byFile;
}

const pool = createPool(WORKERS);
let typeCheck: Promise<ProcessResult>;
const runs = new Map<Example, Promise<ProcessResult>>();

beforeAll(() => {
  mkdirSync(workDir, { recursive: true });
  for (const example of examples) writeFileSync(example.file, example.block.code);
  writeFileSync(
    join(workDir, "tsconfig.json"),
    `${JSON.stringify({ extends: "../tsconfig.base.json", include: ["*.ts"] }, null, 2)}\n`,
  );
  typeCheck = pool(() =>
    run(join(bin, "tsc"), ["-p", join(workDir, "tsconfig.json"), "--pretty", "false"], root, TSC_TIMEOUT_MS),
  );
  for (const example of examples) {
    runs.set(
      example,
      pool(() =>
        run(join(bin, "tsx"), ["--conditions=@gpt/source", example.file], example.readme.dir, RUN_TIMEOUT_MS),
      ),
    );
  }
});

afterAll(async () => {
  await Promise.allSettled([typeCheck, ...runs.values()]);
  rmSync(workDir, { recursive: true, force: true });
});

describe("README examples", () => {
  it("exist", () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  for (const example of examples) {
    const where = `${example.readme.rel}:${example.block.line}`;

    it(`${where} type-checks (strict)`, { timeout: TEST_TIMEOUT_MS }, async () => {
      const result = await typeCheck;
      // Only the example's own diagnostics count: the packages are checked by their own tsc.
      const own = diagnosticsByFile(result.stdout).get(example.file) ?? [];
      expect(own, `tsc on ${where} (code line 1 = README line ${example.block.line + 1})`).toEqual([]);
      if (result.code !== 0 && diagnosticsByFile(result.stdout).size === 0) {
        throw new Error(`tsc did not run: ${result.error ?? ""}\n${result.stdout}\n${result.stderr}`);
      }
    });

    it(`${where} prints what the README says`, { timeout: TEST_TIMEOUT_MS }, async () => {
      const result = (await runs.get(example)) as ProcessResult;
      expect(
        result.code,
        `${where} exited with ${result.code}: ${result.error ?? ""}\n${result.stderr}`,
      ).toBe(0);
      expect(result.stdout).toBe(example.block.expectedOutput);
    });
  }
});
