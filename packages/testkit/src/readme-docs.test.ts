/**
 * What every README must say, checked against the code so it cannot drift: labelled code blocks,
 * install lines for npm, pnpm and yarn naming exactly what the examples import, the supported
 * runtimes, an API section naming every export of `src/index.ts`, a table of every error class and
 * code, every value of the exported string lists, and links that work from npm (absolute URLs to
 * the repository, the sibling packages and the changelog; nothing relative to a file that is not
 * in the tarball).
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { extractReadmeExamples, importedPackages, parseInstallCommands } from "./readme.js";
import {
  codeSpans,
  containsWord,
  errorCodeUnions,
  exportedNames,
  headingAnchors,
  listReadmes,
  markdownLinks,
  markdownSection,
  withoutCodeBlocks,
} from "./readme-checks.js";
import { findRepoRoot } from "./shared.js";

const root = findRepoRoot();
const readmes = listReadmes(root);
const published = readmes.filter((r) => r.published);
const REPOSITORY = "https://github.com/gpt-trader/gpt-trader-ts";
const TREE = `${REPOSITORY}/tree/main/`;
const BLOB = `${REPOSITORY}/blob/main/`;
const RUNTIMES = "Node ≥ 20.19, TypeScript ≥ 5.4 (strict), ESM or CommonJS";
const MANAGERS = ["npm", "pnpm", "yarn"] as const;

/** Package-specific rules: content the code defines that the README must list. */
const EXTRA_RULES: Record<string, (markdown: string, exports: Record<string, unknown>) => void> = {
  "@gpt/risk": (markdown, exports) => {
    const variables = exports.RISK_ENV_VARIABLES as readonly { variable: string; path: readonly string[] }[];
    for (const spec of variables) {
      expect(markdown, spec.variable).toContain(`| \`${spec.variable}\` | \`${spec.path.join(".")}\` |`);
    }
  },
};

/**
 * Entries besides `src/index.ts` whose exports the API section must name too (a documented second
 * entry; `@gpt/core/validation` is a shared door for sibling packages, not documented API).
 */
const EXTRA_ENTRIES: Record<string, readonly string[]> = {
  "@gpt/coinbase-client": ["src/ws/index.ts"],
};

it("every published package has a README", () => {
  const packagesDir = join(root, "packages");
  const missing = readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(packagesDir, entry.name, "package.json")))
    .filter((entry) => {
      const manifest = JSON.parse(readFileSync(join(packagesDir, entry.name, "package.json"), "utf8")) as {
        private?: boolean;
      };
      return manifest.private !== true && !existsSync(join(packagesDir, entry.name, "README.md"));
    })
    .map((entry) => `packages/${entry.name}`);
  expect(missing).toEqual([]);
});

describe.each(readmes.map((r) => [r.rel, r] as const))("%s", (_rel, readme) => {
  const blocks = extractReadmeExamples(readme.markdown);

  it("labels every code block (ts, sh, json, text, …)", () => {
    const unlabelled = blocks
      .filter((b) => b.kind === "unlabelled")
      .map((b) => `line ${b.line}: "${b.lang}"`);
    expect(unlabelled).toEqual([]);
  });

  it("has links that resolve: anchors to headings, repository files that exist", () => {
    const anchors = headingAnchors(readme.markdown);
    const problems: string[] = [];
    for (const link of markdownLinks(readme.markdown)) {
      const { target, line } = link;
      if (target.startsWith("#")) {
        if (!anchors.has(decodeURIComponent(target.slice(1))))
          problems.push(`line ${line}: no heading for ${target}`);
      } else if (target.startsWith(TREE) || target.startsWith(BLOB)) {
        const path = target.slice(TREE.length).split("#")[0] ?? "";
        // CHANGELOG.md files are written at release time by changesets.
        if (!path.endsWith("CHANGELOG.md") && !existsSync(join(root, path))) {
          problems.push(`line ${line}: ${path} is not in the repository`);
        }
      } else if (/^[a-z][a-z+.-]*:/i.test(target)) {
        // another site
      } else if (readme.published) {
        problems.push(`line ${line}: relative link ${target} (only dist/ is published: use ${BLOB}…)`);
      } else if (!existsSync(join(readme.dir, target.split("#")[0] ?? ""))) {
        problems.push(`line ${line}: ${target} does not exist`);
      }
    }
    expect(problems).toEqual([]);
  });

  const errorUnions = errorCodeUnions(join(readme.dir, "src"));
  if (errorUnions.size > 0) {
    it("has a table row for every error class and error code", () => {
      const rows = withoutCodeBlocks(readme.markdown)
        .split("\n")
        .filter((line) => line.trimStart().startsWith("|"))
        .join("\n");
      const rowSpans = codeSpans(rows);
      const missing: string[] = [];
      for (const [union, codes] of errorUnions) {
        for (const code of codes) {
          if (!rowSpans.some((span) => containsWord(span, code))) missing.push(`${union} "${code}"`);
        }
      }
      const indexPath = join(readme.dir, "src", "index.ts");
      const classes = existsSync(indexPath)
        ? exportedNames(readFileSync(indexPath, "utf8")).filter((name) => /^[A-Z]\w*Error$/.test(name))
        : [...errorUnions.keys()].map((union) => union.replace(/Code$/, ""));
      for (const name of classes) if (!rowSpans.some((span) => containsWord(span, name))) missing.push(name);
      expect(missing).toEqual([]);
    });
  }

  if (!readme.published) return;

  it(`has install lines for ${MANAGERS.join(", ")} naming the package and everything its examples import`, () => {
    const expected = new Set([readme.name]);
    for (const block of blocks) {
      if (block.kind === "program") for (const name of importedPackages(block.code)) expected.add(name);
    }
    const installs = blocks.filter((b) => b.kind === "install");
    expect(installs.length, "one install block").toBe(1);
    const commands = parseInstallCommands(installs[0]?.code ?? "");
    expect(commands.map((c) => c.manager)).toEqual([...MANAGERS]);
    for (const command of commands) {
      expect([...command.packages].sort(), command.command).toEqual([...expected].sort());
      expect(command.packages[0], `${command.command} starts with the package itself`).toBe(readme.name);
    }
  });

  it(`states "${RUNTIMES}"`, () => {
    expect(readme.markdown).toContain(RUNTIMES);
  });

  it("names every export of src/index.ts (and of EXTRA_ENTRIES) in its API section", () => {
    const section = markdownSection(readme.markdown, "API");
    expect(section, "a '## API' section").toBeDefined();
    const spans = codeSpans(section ?? "");
    for (const source of ["src/index.ts", ...(EXTRA_ENTRIES[readme.name] ?? [])]) {
      const names = exportedNames(readFileSync(join(readme.dir, source), "utf8"));
      expect(names.length, source).toBeGreaterThan(0);
      expect(
        names.filter((name) => !spans.some((span) => containsWord(span, name))),
        source,
      ).toEqual([]);
    }
  });

  // Imports the package's source (with its dependencies): slow on a busy machine.
  it("lists every value of the exported string lists", { timeout: 120_000 }, async () => {
    const exports = (await import(pathToFileURL(join(readme.dir, "src", "index.ts")).href)) as Record<
      string,
      unknown
    >;
    const spans = codeSpans(readme.markdown);
    const missing: string[] = [];
    for (const [name, value] of Object.entries(exports)) {
      if (!/^[A-Z][A-Z0-9_]+$/.test(name) || !Array.isArray(value)) continue;
      for (const item of value) {
        if (typeof item === "string" && !spans.some((span) => containsWord(span, item))) {
          missing.push(`${name}: ${item}`);
        }
      }
    }
    expect(missing).toEqual([]);
    EXTRA_RULES[readme.name]?.(readme.markdown, exports);
  });

  it("links the repository, every sibling package and the changelog with absolute URLs", () => {
    const targets = markdownLinks(readme.markdown).map((link) => link.target);
    expect(readme.markdown).toContain(REPOSITORY);
    const missing = published
      .filter((other) => other !== readme)
      .filter((other) => !targets.includes(`${TREE}${other.relDir}`))
      .map((other) => `${other.name} → ${TREE}${other.relDir}`);
    expect(missing).toEqual([]);
    expect(targets).toContain(`${BLOB}${readme.relDir}/CHANGELOG.md`);
    expect(readme.markdown).toContain("CHANGELOG.md, written at release");
  });

  it("points at repository files only through links (they are not in the tarball)", () => {
    const linkTexts = markdownLinks(readme.markdown).map((link) => link.text);
    const bare = codeSpans(readme.markdown)
      .filter((span) => /^(src|test|docs|scripts|bin)\/[\w./-]+\.(ts|mjs|js|md|json)$/.test(span))
      .filter((span) => !linkTexts.includes(`\`${span}\``));
    expect(bare).toEqual([]);
  });
});
