import { describe, expect, it } from "vitest";
import {
  extractReadmeExamples,
  importedPackages,
  packageNameOf,
  parseInstallCommands,
  ReadmeExampleError,
} from "./readme.js";

const fence = "```";

describe("extractReadmeExamples", () => {
  it("classifies every fenced block by its info string and keeps its line", () => {
    const markdown = [
      "# pkg", // 1
      `${fence}sh`, // 2
      "npm install @gpt/a @gpt/b",
      "pnpm add @gpt/a @gpt/b",
      fence,
      `${fence}sh`, // 6
      "pnpm backtest -- run",
      fence,
      `${fence}json`, // 9
      "{}",
      fence,
      fence, // 12
      "a → b",
      fence,
      `${fence}text`, // 15
      "diagram",
      fence,
    ].join("\n");
    const blocks = extractReadmeExamples(markdown);
    expect(blocks.map((b) => [b.line, b.lang, b.kind])).toEqual([
      [2, "sh", "install"],
      [6, "sh", "shell"],
      [9, "json", "data"],
      [12, "", "unlabelled"],
      [15, "text", "text"],
    ]);
    expect(blocks[0]?.code).toBe("npm install @gpt/a @gpt/b\npnpm add @gpt/a @gpt/b\n");
    expect(blocks.every((b) => b.expectedOutput === null)).toBe(true);
  });

  it("reads the comment lines right after each console.log statement as its output", () => {
    const code = [
      'import { x } from "@gpt/a";',
      "// 1. an explanatory comment, not output",
      "const a = 1;",
      "// also not output: it follows no console.log",
      "console.log(a); // a same-line comment is not output",
      "// 1",
      "console.log(",
      '  "two", // a comment inside the call',
      '  "lines)",',
      ");",
      "// two lines)",
      "//",
      "//   indented",
      "",
      "// a comment after a blank line is not output",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: template literals inside the example code
      "for (const s of [`${a + 1}`, `b${`c${')'}`}`]) console.log(s, `)`);",
      "// 2 )",
      "// bc) )",
      "if (a > 5) console.log('never'); /* a ( block",
      "comment */",
    ].join("\n");
    const [block] = extractReadmeExamples(`${fence}ts\n${code}\n${fence}\n`);
    expect(block?.kind).toBe("program");
    expect(block?.expectedOutput).toBe("1\ntwo lines)\n\n  indented\n2 )\nbc) )\n");
  });

  it("expects no output from a program without output comments or output block", () => {
    const [block] = extractReadmeExamples(`${fence}ts\nconst a = 1;\n${fence}\n`);
    expect(block?.expectedOutput).toBe("");
  });

  it("takes a text block introduced by a line ending in 'prints:' as the whole output", () => {
    const markdown = [
      `${fence}ts`,
      'console.log("a");',
      fence,
      "",
      "It prints:",
      "",
      `${fence}text`,
      "a",
      fence,
      "",
      "Some text.",
      "",
      `${fence}text`,
      "not output: the prose before it announces nothing",
      fence,
    ].join("\n");
    const blocks = extractReadmeExamples(markdown);
    expect(blocks.map((b) => b.kind)).toEqual(["program", "output", "text"]);
    expect(blocks[0]?.expectedOutput).toBe("a\n");
  });

  it("refuses output given both ways, and an unclosed fence, naming the line", () => {
    const both = `${fence}ts\nconsole.log(1);\n// 1\n${fence}\n\nIt prints:\n\n${fence}text\n1\n${fence}\n`;
    expect(() => extractReadmeExamples(both)).toThrow(ReadmeExampleError);
    expect(() => extractReadmeExamples(both)).toThrow(/line 8: the program at line 1/);
    expect(() => extractReadmeExamples(`text\n${fence}ts\nconst a = 1;\n`)).toThrow(/line 2: .*never closed/);
  });

  it("strips the indentation of a fence inside a list item", () => {
    const [block] = extractReadmeExamples(`- item\n  ${fence}ts\n  console.log(1);\n  // 1\n  ${fence}\n`);
    expect(block?.code).toBe("console.log(1);\n// 1\n");
    expect(block?.expectedOutput).toBe("1\n");
  });
});

describe("install commands", () => {
  it("parses npm, pnpm and yarn lines and drops versions and flags", () => {
    expect(
      parseInstallCommands("# comment\nnpm install @gpt/a@^1 zod\npnpm add -D @gpt/a\nyarn add @gpt/a\n"),
    ).toEqual([
      { manager: "npm", packages: ["@gpt/a", "zod"], command: "npm install @gpt/a@^1 zod" },
      { manager: "pnpm", packages: ["@gpt/a"], command: "pnpm add -D @gpt/a" },
      { manager: "yarn", packages: ["@gpt/a"], command: "yarn add @gpt/a" },
    ]);
  });

  it("does not take global installs, chains or other commands for install lines", () => {
    const [a, b, c] = extractReadmeExamples(
      `${fence}sh\nnpm i -g pnpm@10\n${fence}\n${fence}sh\npnpm add a && pnpm test\n${fence}\n${fence}sh\npnpm install\n${fence}\n`,
    );
    expect([a?.kind, b?.kind, c?.kind]).toEqual(["shell", "shell", "shell"]);
  });

  it("names packages from specs and specifiers", () => {
    expect(packageNameOf("@gpt/core@^0.1.0")).toBe("@gpt/core");
    expect(packageNameOf("@gpt/strategies/ml")).toBe("@gpt/strategies");
    expect(packageNameOf("zod/mini")).toBe("zod");
    expect(packageNameOf("decimal.js@10")).toBe("decimal.js");
  });
});

describe("importedPackages", () => {
  it("lists the bare packages a program imports, without built-ins and relative paths", () => {
    const code = [
      'import { a, type B } from "@gpt/core";',
      "import {",
      "  c,",
      '} from "@gpt/kernel";',
      'import type { D } from "@gpt/quantize";',
      'import { z } from "zod/mini";',
      'import { readFileSync } from "node:fs";',
      'import { join } from "path";',
      'import { local } from "./local.js";',
      'export { e } from "@gpt/risk";',
      'const m = await import("@gpt/regime");',
      'const n = require("decimal.js");',
    ].join("\n");
    expect(importedPackages(code)).toEqual([
      "@gpt/core",
      "@gpt/kernel",
      "@gpt/quantize",
      "@gpt/regime",
      "@gpt/risk",
      "decimal.js",
      "zod",
    ]);
  });
});
