import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findRepoRoot } from "@gpt/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { DECISION_KINDS } from "./events.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(join(packageDir, "README.md"), "utf8");
const checkDir = join(packageDir, ".readme-check");

afterAll(() => {
  rmSync(checkDir, { recursive: true, force: true });
});

describe("README", () => {
  it("names every decision kind", () => {
    for (const kind of DECISION_KINDS) expect(readme).toContain(`\`${kind}\``);
  });

  it("has an example that type-checks and prints what the README says", { timeout: 120_000 }, () => {
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    const printed = /It prints:\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    expect(printed).toBeDefined();
    mkdirSync(checkDir, { recursive: true });
    const file = join(checkDir, "example.ts");
    writeFileSync(file, block ?? "");
    writeFileSync(
      join(checkDir, "tsconfig.json"),
      '{ "extends": "../tsconfig.json", "include": ["example.ts"] }\n',
    );
    const bin = join(findRepoRoot(), "node_modules", ".bin");
    let diagnostics = "";
    try {
      execFileSync(join(bin, "tsc"), ["-p", join(checkDir, "tsconfig.json")], {
        cwd: packageDir,
        stdio: "pipe",
      });
    } catch (error) {
      diagnostics = String((error as { stdout?: Buffer }).stdout ?? error);
    }
    // Only the example's own diagnostics count (other packages are checked by their own tsc).
    expect(diagnostics.split("\n").filter((line) => line.includes("example.ts"))).toEqual([]);
    const output = execFileSync(join(bin, "tsx"), ["--conditions=@gpt/source", file], {
      cwd: packageDir,
      encoding: "utf8",
    });
    expect(output.split("\n").filter((l) => l !== "")).toEqual(
      (printed ?? "").split("\n").filter((l) => l !== ""),
    );
  });
});
