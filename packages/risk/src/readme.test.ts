import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findRepoRoot } from "@gpt/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { RISK_ENV_VARIABLES } from "./env.js";
import { PRE_TRADE_CHECK_ORDER } from "./pre-trade.js";
import { RISK_REASON_CODES } from "./types.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(join(packageDir, "README.md"), "utf8");
const checkDir = join(packageDir, ".readme-check");

afterAll(() => {
  rmSync(checkDir, { recursive: true, force: true });
});

describe("README", () => {
  it("documents every environment variable with its config path", () => {
    for (const spec of RISK_ENV_VARIABLES) {
      expect(readme).toContain(`| \`${spec.variable}\` | \`${spec.path.join(".")}\` |`);
    }
  });

  it("lists every pre-trade check and reason code", () => {
    for (const check of PRE_TRADE_CHECK_ORDER) expect(readme).toContain(`\`${check}\``);
    for (const reason of RISK_REASON_CODES) expect(readme).toContain(`\`${reason}\``);
  });

  it("has an example that type-checks and prints what its comments say", { timeout: 120_000 }, () => {
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    mkdirSync(checkDir, { recursive: true });
    const file = join(checkDir, "example.ts");
    writeFileSync(file, block ?? "");
    writeFileSync(
      join(checkDir, "tsconfig.json"),
      '{ "extends": "../tsconfig.json", "include": ["example.ts"] }\n',
    );
    const bin = join(findRepoRoot(), "node_modules", ".bin");
    execFileSync(join(bin, "tsc"), ["-p", join(checkDir, "tsconfig.json")], {
      cwd: packageDir,
      stdio: "pipe",
    });
    const output = execFileSync(join(bin, "tsx"), ["--conditions=@gpt/source", file], {
      cwd: packageDir,
      encoding: "utf8",
    });
    const lines = output.split("\n").filter((line) => line !== "");
    expect(lines).toEqual([
      'RISK_MAX_DAILY_LOSS_PCT=5: must be a fraction in (0, 1): 0.05 means 5% (a "%" suffix is accepted too, e.g. "5%"); got 5',
      "RISK_MAX_LEVERAGE=abc: not a decimal number",
      "{ kind: 'approved' }",
      "price-band {",
      "  actual: '0.1',",
      "  limit: '0.05',",
      "  price: '66000',",
      "  markPrice: '60000',",
      "  direction: 'above'",
      "}",
      "event: DailyLossLimitBreached",
      "event: TradingStateChanged",
      "reducing",
      "reduce-only",
      "{ kind: 'approved' }",
      "event: KillSwitchActivated",
      "event: TradingStateChanged",
      "halted",
    ]);
  });
});
