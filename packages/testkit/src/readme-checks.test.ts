import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  codeSpans,
  containsWord,
  errorCodeUnions,
  exportedNames,
  headingAnchors,
  markdownLinks,
  markdownSection,
  withoutCodeBlocks,
} from "./readme-checks.js";

const fence = "```";
const temp = mkdtempSync(join(tmpdir(), "readme-checks-"));

afterAll(() => {
  rmSync(temp, { recursive: true, force: true });
});

describe("exportedNames", () => {
  it("reads named value and type exports, renames and exported declarations, not comments", () => {
    const source = [
      "/** `export { fake } from` in a comment */",
      'export type { A, B as C } from "./a.js";',
      "export {",
      "  d,",
      "  type E,",
      "  f as g, // export { h }",
      '} from "./b.js";',
      "export const i = 1;",
      "export function j() {}",
      "export class K {}",
      "export interface L {}",
      "export type M = string;",
    ].join("\n");
    expect(exportedNames(source)).toEqual(["A", "C", "E", "K", "L", "M", "d", "g", "i", "j"]);
  });
});

describe("errorCodeUnions", () => {
  it("finds every *ErrorCode union of string literals under a folder, tests excluded", () => {
    mkdirSync(join(temp, "src", "deep"), { recursive: true });
    writeFileSync(
      join(temp, "src", "errors.ts"),
      'export type XErrorCode =\n  | "a-b"\n  | "c";\nexport type Other = "z";\n',
    );
    writeFileSync(join(temp, "src", "deep", "more.ts"), 'export type YErrorCode = "d";\n');
    writeFileSync(join(temp, "src", "x.test.ts"), 'export type TErrorCode = "t";\n');
    expect(Object.fromEntries(errorCodeUnions(join(temp, "src")))).toEqual({
      XErrorCode: ["a-b", "c"],
      YErrorCode: ["d"],
    });
    expect(errorCodeUnions(join(temp, "missing")).size).toBe(0);
  });
});

describe("markdown reading", () => {
  const markdown = [
    "# Title",
    "",
    "Text with `span one` and ``span `two` ``.",
    "",
    `${fence}ts`,
    "const notASpan = `x`; // [not a link](nowhere)",
    fence,
    "",
    "## API overview",
    "",
    "| `exportA`, `exportB(x)` | [link](https://example.com) |",
    "",
    "### Errors",
    "",
    "See [the errors](#errors) and [the title](#title) and ![img](pic.png).",
    "",
    "## API",
    "",
    "## Next: part 2 (done)",
  ].join("\n");

  it("blanks fenced blocks but keeps line numbers", () => {
    const lines = withoutCodeBlocks(markdown).split("\n");
    expect(lines).toHaveLength(markdown.split("\n").length);
    expect(lines[5]).toBe("");
  });

  it("takes a level-2 section by the start of its title, up to the next level-2 heading", () => {
    const section = markdownSection(markdown, "API") ?? "";
    expect(section).toContain("exportA");
    expect(section).toContain("### Errors");
    expect(section).not.toContain("## Next");
    expect(markdownSection(markdown, "Missing")).toBeUndefined();
  });

  it("lists code spans outside code blocks", () => {
    expect(codeSpans(markdown)).toEqual(["span one", "span `two`", "exportA", "exportB(x)"]);
  });

  it("matches whole names and codes only", () => {
    expect(containsWord("exportB(x)", "exportB")).toBe(true);
    expect(containsWord("exportBC", "exportB")).toBe(false);
    expect(containsWord("invalid-input-x", "invalid-input")).toBe(false);
    expect(containsWord('"invalid-input" | "b"', "invalid-input")).toBe(true);
  });

  it("lists links and images outside code blocks, with their lines", () => {
    expect(markdownLinks(markdown)).toEqual([
      { text: "link", target: "https://example.com", line: 11 },
      { text: "the errors", target: "#errors", line: 15 },
      { text: "the title", target: "#title", line: 15 },
      { text: "img", target: "pic.png", line: 15 },
    ]);
  });

  it("gives GitHub's heading anchors", () => {
    expect([...headingAnchors(markdown)]).toEqual([
      "title",
      "api-overview",
      "errors",
      "api",
      "next-part-2-done",
    ]);
    expect(headingAnchors("## A\n## A\n## The cache: `x`").has("a-1")).toBe(true);
    expect(headingAnchors("## The cache: `x`").has("the-cache-x")).toBe(true);
  });
});
