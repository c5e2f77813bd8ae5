// README examples: the one implementation of how a README's fenced code blocks are read, shared by
// the README test (packages/testkit/src/readme-examples.test.ts, through @gpt/testkit) and by plain
// Node scripts (the release rehearsal). ESM without TypeScript; types in readme-examples.d.mts.
//
// The convention (also in the root README, "Contributing"):
// - Every fenced block has an info string that says what it is: `ts` (a program: type-checked and
//   run), `sh` (install lines when every command is `npm install`, `pnpm add` or `yarn add`; other
//   shell commands otherwise), `json`/`yaml`/... (data shown for reference), `text` (anything else).
// - A program's expected output is written one of two ways, never both:
//   1. `// <text>` comment lines placed directly after a `console.log(...)` statement are what that
//      statement prints, one comment line per printed line (`//` alone is an empty line);
//   2. a ```text block right after the program, introduced by a line ending in "prints:" (or the
//      line "Output:"), is everything the program prints.
//   Whatever a program prints must be written down: the expected output is compared exactly.
import { builtinModules } from "node:module";

const PROGRAM_LANGS = new Set(["ts", "typescript", "js", "javascript", "mjs"]);
const SHELL_LANGS = new Set(["sh", "bash", "shell", "console"]);
const DATA_LANGS = new Set(["json", "jsonc", "jsonl", "yaml", "yml", "csv", "html", "toml"]);
const TEXT_LANGS = new Set(["text", "txt", "plain"]);
const BUILTINS = new Set(builtinModules);

/** A README that does not follow the convention (the message names the line). */
export class ReadmeExampleError extends Error {
  name = "ReadmeExampleError";
  /**
   * @param {string} message
   * @param {number} line 1-based line in the markdown
   */
  constructor(message, line) {
    super(`line ${line}: ${message}`);
    this.line = line;
  }
}

/**
 * Every fenced code block of a markdown text, classified, with the expected output of programs.
 * @param {string} markdown
 * @returns {import("./readme-examples.d.mts").ReadmeBlock[]}
 */
export function extractReadmeExamples(markdown) {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  /** @type {{ lang: string, info: string, code: string, line: number, before: string[] }[]} */
  const fenced = [];
  let prose = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})\s*([^`]*)$/.exec(lines[i] ?? "");
    if (open === null) {
      prose.push(lines[i] ?? "");
      continue;
    }
    const [, indent = "", fence = "", info = ""] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const text = lines[j] ?? "";
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(text);
      if (close?.[1] !== undefined && close[1][0] === fence[0] && close[1].length >= fence.length) break;
      body.push(text.startsWith(indent) ? text.slice(indent.length) : text.trimStart());
    }
    if (j >= lines.length) throw new ReadmeExampleError("code block is never closed", i + 1);
    const lang = (info.trim().split(/\s+/)[0] ?? "").toLowerCase();
    fenced.push({
      lang,
      info: info.trim(),
      code: body.length > 0 ? `${body.join("\n")}\n` : "",
      line: i + 1,
      before: prose,
    });
    prose = [];
    i = j;
  }

  /** @type {import("./readme-examples.d.mts").ReadmeBlock[]} */
  const blocks = [];
  for (const [index, block] of fenced.entries()) {
    const previous = blocks[index - 1];
    let kind = classify(block.lang, block.code);
    if (kind === "text" && previous?.kind === "program" && introducesOutput(block.before)) kind = "output";
    blocks.push({
      lang: block.lang,
      kind,
      code: block.code,
      expectedOutput: kind === "program" ? commentedOutput(block.code) : null,
      line: block.line,
    });
    if (kind === "output" && previous !== undefined) {
      if (previous.expectedOutput !== "") {
        throw new ReadmeExampleError(
          `the program at line ${previous.line} has both output comments and an output block`,
          block.line,
        );
      }
      previous.expectedOutput = block.code;
    }
  }
  return blocks;
}

/**
 * @param {string} lang
 * @param {string} code
 * @returns {import("./readme-examples.d.mts").ReadmeBlockKind}
 */
function classify(lang, code) {
  if (PROGRAM_LANGS.has(lang)) return "program";
  if (SHELL_LANGS.has(lang)) return isInstallBlock(code) ? "install" : "shell";
  if (DATA_LANGS.has(lang)) return "data";
  if (TEXT_LANGS.has(lang)) return "text";
  return "unlabelled";
}

/** True when the prose between the previous block and this one is a line that announces output. */
function introducesOutput(before) {
  const last =
    before
      .filter((line) => line.trim() !== "")
      .at(-1)
      ?.trim() ?? "";
  return /prints:$/i.test(last) || /^output:$/i.test(last);
}

/**
 * The `// <text>` lines directly after each `console.log(...)` statement, in order, as the exact
 * text the program prints (each line ending in a newline).
 * @param {string} code
 */
function commentedOutput(code) {
  const lines = code.split("\n");
  const out = [];
  for (const endLine of consoleLogEndLines(code)) {
    for (let i = endLine + 1; i < lines.length; i++) {
      const comment = /^\s*\/\/(.*)$/.exec(lines[i] ?? "");
      if (comment === null) break;
      const text = comment[1] ?? "";
      out.push(text.startsWith(" ") ? text.slice(1) : text);
    }
  }
  return out.map((line) => `${line}\n`).join("");
}

/**
 * 0-based line numbers where a `console.log(` call (outside strings and comments) closes its
 * parenthesis. Template literals with `${...}` are followed through their expressions.
 * @param {string} code
 * @returns {number[]}
 */
function consoleLogEndLines(code) {
  const ends = [];
  /** @type {{ depth: number }[]} */
  const calls = [];
  // A stack of what we are inside: "code" (with the brace depth that ends a template expression),
  // or a template literal.
  /** @type {("tpl" | number)[]} */
  const modes = [];
  let depth = 0;
  let line = 0;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i];
    if (ch === "\n") {
      line++;
      continue;
    }
    if (modes.at(-1) === "tpl") {
      if (ch === "\\") i++;
      else if (ch === "`") modes.pop();
      else if (ch === "$" && code[i + 1] === "{") {
        i++;
        modes.push(depth);
        depth++;
      }
      continue;
    }
    if (ch === "/" && code[i + 1] === "/") {
      while (i + 1 < code.length && code[i + 1] !== "\n") i++;
    } else if (ch === "/" && code[i + 1] === "*") {
      const end = code.indexOf("*/", i + 2);
      const stop = end === -1 ? code.length : end + 1;
      for (let k = i; k < stop; k++) if (code[k] === "\n") line++;
      i = stop;
    } else if (ch === '"' || ch === "'") {
      for (i++; i < code.length && code[i] !== ch && code[i] !== "\n"; i++) if (code[i] === "\\") i++;
    } else if (ch === "`") {
      modes.push("tpl");
    } else if (ch === "{" || ch === "[") {
      depth++;
    } else if (ch === "}" || ch === "]") {
      depth--;
      // the end of a template literal's `${...}`: back inside the literal
      if (ch === "}" && modes.at(-1) === depth) modes.pop();
    } else if (ch === "(") {
      if (code.startsWith("console.log", i - "console.log".length) && !/[\w$.]/.test(code[i - 12] ?? "")) {
        calls.push({ depth });
      }
      depth++;
    } else if (ch === ")") {
      depth--;
      if (calls.length > 0 && calls.at(-1)?.depth === depth) {
        calls.pop();
        ends.push(line);
      }
    }
  }
  return ends;
}

/**
 * The package installs of an install block: one entry per command line.
 * @param {string} code
 * @returns {import("./readme-examples.d.mts").InstallCommand[]}
 */
export function parseInstallCommands(code) {
  const commands = [];
  for (const raw of code.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const command = parseInstallCommand(line);
    if (command !== undefined) commands.push(command);
  }
  return commands;
}

/**
 * @param {string} code
 */
function isInstallBlock(code) {
  const lines = code
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  return lines.length > 0 && lines.every((line) => parseInstallCommand(line) !== undefined);
}

/**
 * `npm install a b`, `npm i a`, `pnpm add a`, `yarn add a` (flags allowed except global installs);
 * undefined for anything else (other commands, `&&` chains, `-g`).
 * @param {string} line
 * @returns {import("./readme-examples.d.mts").InstallCommand | undefined}
 */
function parseInstallCommand(line) {
  if (/[;&|`$<>]/.test(line)) return undefined;
  const words = line.split(/\s+/);
  const [manager, verb, ...rest] = words;
  const verbs = { npm: ["install", "i", "add"], pnpm: ["add"], yarn: ["add"] };
  if (manager !== "npm" && manager !== "pnpm" && manager !== "yarn") return undefined;
  if (verb === undefined || !verbs[manager].includes(verb)) return undefined;
  if (rest.some((word) => word === "-g" || word === "--global")) return undefined;
  const packages = rest.filter((word) => !word.startsWith("-")).map(packageNameOf);
  if (packages.length === 0) return undefined;
  return { manager, packages, command: line };
}

/**
 * The package name of an install spec or import specifier: `@gpt/core@^1` → `@gpt/core`,
 * `zod/mini` → `zod`.
 * @param {string} spec
 */
export function packageNameOf(spec) {
  const parts = spec.split("/");
  if (spec.startsWith("@")) {
    const name = parts[1] ?? "";
    const at = name.indexOf("@");
    return `${parts[0]}/${at === -1 ? name : name.slice(0, at)}`;
  }
  const first = parts[0] ?? "";
  const at = first.indexOf("@");
  return at <= 0 ? first : first.slice(0, at);
}

/**
 * The packages a program imports (static and dynamic imports, re-exports, `require`), without
 * relative paths and Node built-ins, sorted.
 * @param {string} code
 * @returns {string[]}
 */
export function importedPackages(code) {
  const found = new Set();
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\b(?:import|require)\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) {
      const specifier = match[1] ?? "";
      if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:")) continue;
      if (BUILTINS.has(specifier.split("/")[0] ?? "")) continue;
      found.add(packageNameOf(specifier));
    }
  }
  return [...found].sort();
}
