/**
 * Helpers of the README tests (`readme-examples.test.ts`, `readme-docs.test.ts`): which READMEs
 * exist, what a package exports, which error codes it has, and how a README's sections, code spans
 * and links read.
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** One README of the repository and the package it documents. */
export interface ReadmeFile {
  /** Absolute path of the README. */
  readonly path: string;
  /** Its folder (the package or app folder, or the repository root). */
  readonly dir: string;
  /** The README's path relative to the repository root (`packages/risk/README.md`). */
  readonly rel: string;
  /** The folder relative to the repository root (`""` for the root). */
  readonly relDir: string;
  /** The package name (`@gpt/risk`; the root's is `gpt-trader`). */
  readonly name: string;
  /** True for a package that is published (under `packages/`, not private). */
  readonly published: boolean;
  /** The markdown text. */
  readonly markdown: string;
}

/** The root README and every README.md of `packages/*` and `apps/*`, root first. */
export function listReadmes(root: string): ReadmeFile[] {
  const dirs = [root];
  for (const group of ["packages", "apps"]) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (entry.isDirectory()) dirs.push(join(base, entry.name));
    }
  }
  const files: ReadmeFile[] = [];
  for (const dir of dirs) {
    const path = join(dir, "README.md");
    if (!existsSync(path)) continue;
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
      name: string;
      private?: boolean;
    };
    const relDir = relative(root, dir).split("\\").join("/");
    files.push({
      path,
      dir,
      rel: relDir === "" ? "README.md" : `${relDir}/README.md`,
      relDir,
      name: manifest.name,
      published: relDir.startsWith("packages/") && manifest.private !== true,
      markdown: readFileSync(path, "utf8"),
    });
  }
  return files;
}

/**
 * The names an `index.ts` exports (values and types), from its `export { … } from` and
 * `export type { … } from` lists and any exported declarations.
 */
export function exportedNames(source: string): string[] {
  const names = new Set<string>();
  const withoutComments = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  for (const match of withoutComments.matchAll(/\bexport\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of (match[1] ?? "").split(",")) {
      const words = part
        .trim()
        .replace(/^type\s+/, "")
        .split(/\s+as\s+/);
      const name = (words[1] ?? words[0] ?? "").trim();
      if (name !== "") names.add(name);
    }
  }
  const declaration =
    /\bexport\s+(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:const|let|function\*?|class|type|interface|enum)\s+([A-Za-z_$][\w$]*)/g;
  for (const match of withoutComments.matchAll(declaration)) if (match[1] !== undefined) names.add(match[1]);
  return [...names].sort();
}

/** Every `export type XErrorCode = "a" | "b" | …;` union in the `.ts` files under `srcDir`. */
export function errorCodeUnions(srcDir: string): Map<string, string[]> {
  const unions = new Map<string, string[]>();
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
        const source = readFileSync(path, "utf8");
        for (const match of source.matchAll(/export\s+type\s+(\w+ErrorCode)\s*=([^;]+);/g)) {
          const codes = [...(match[2] ?? "").matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? "");
          unions.set(match[1] ?? "", codes);
        }
      }
    }
  };
  if (existsSync(srcDir)) visit(srcDir);
  return unions;
}

/** The markdown with fenced code blocks blanked out (line numbers kept). */
export function withoutCodeBlocks(markdown: string): string {
  const lines = markdown.split("\n");
  let fence: string | undefined;
  return lines
    .map((line) => {
      const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (fence === undefined && marker !== undefined) {
        fence = marker;
        return "";
      }
      if (fence !== undefined) {
        if (
          marker !== undefined &&
          marker[0] === fence[0] &&
          marker.length >= fence.length &&
          line.trim() === marker
        ) {
          fence = undefined;
        }
        return "";
      }
      return line;
    })
    .join("\n");
}

/**
 * The text of the level-2 section whose heading starts with `title` (`"API"` matches `## API` and
 * `## API overview`), up to the next level-2 heading; undefined when there is none.
 */
export function markdownSection(markdown: string, title: string): string | undefined {
  const lines = withoutCodeBlocks(markdown).split("\n");
  const start = lines.findIndex((line) => line.startsWith(`## ${title}`));
  if (start === -1) return undefined;
  const end = lines.findIndex((line, i) => i > start && /^## /.test(line));
  return lines.slice(start + 1, end === -1 ? undefined : end).join("\n");
}

/** The contents of every inline code span (`…`) of a markdown text outside code blocks. */
export function codeSpans(markdown: string): string[] {
  return [...withoutCodeBlocks(markdown).matchAll(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g)].map((m) =>
    (m[2] ?? "").trim(),
  );
}

/** True when `word` appears in `text` delimited by characters that cannot continue a name or code. */
export function containsWord(text: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\w$-])${escaped}($|[^\\w$-])`).test(text);
}

/** A markdown link or image: its text and target. */
export interface MarkdownLink {
  /** The link text. */
  readonly text: string;
  /** The target as written (URL, path or `#anchor`). */
  readonly target: string;
  /** 1-based line. */
  readonly line: number;
}

/** Every inline link `[text](target)` and image outside code blocks. */
export function markdownLinks(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  for (const [i, line] of withoutCodeBlocks(markdown).split("\n").entries()) {
    for (const match of line.matchAll(
      /!?\[((?:[^\][]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g,
    )) {
      links.push({ text: match[1] ?? "", target: match[2] ?? "", line: i + 1 });
    }
  }
  return links;
}

/** GitHub's anchor slugs of every heading (`## The cache: sources of truth` → `the-cache-sources-of-truth`). */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutCodeBlocks(markdown).split("\n")) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = heading
      .toLowerCase()
      .replace(/<[^>]+>/g, "")
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}
