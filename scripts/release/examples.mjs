// README programs, turned into the files each consumer project runs (ESM JavaScript, CommonJS
// JavaScript, TypeScript as ESM or as CommonJS), and their printed output compared to what the
// README says it prints. Reading the README is scripts/readme-examples.mjs's job.
import { createRequire } from "node:module";
import { join } from "node:path";
import { transform } from "esbuild";

/**
 * The TypeScript compiler API of the repository (only its parser is used here).
 * @param {string} root
 * @returns {typeof import("typescript")}
 */
function typescript(root) {
  return createRequire(join(root, "package.json"))("typescript");
}

/**
 * Splits a TypeScript program into its import declarations and the rest, in source order.
 * @param {string} root the repository (for its TypeScript)
 * @param {string} code
 */
export function splitImports(root, code) {
  const ts = typescript(root);
  const file = ts.createSourceFile("example.ts", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const imports = [];
  const body = [];
  for (const statement of file.statements) {
    const text = code.slice(statement.getFullStart(), statement.getEnd());
    (ts.isImportDeclaration(statement) ? imports : body).push(text);
  }
  const trailing = code.slice(file.statements.at(-1)?.getEnd() ?? 0);
  return { imports: imports.join("").trim(), body: `${body.join("")}${trailing}`.replace(/^\n+/, "") };
}

/**
 * The program as a CommonJS-compatible TypeScript module: a module cannot await at the top level,
 * so everything after the imports runs inside `async function main()`; a rejection ends the
 * process with an error, as an uncaught top-level error would.
 * @param {string} root
 * @param {string} code
 */
export function wrapForCommonJs(root, code) {
  const { imports, body } = splitImports(root, code);
  const indented = body
    .split("\n")
    .map((line) => (line === "" ? line : `  ${line}`))
    .join("\n");
  return `${imports}\n\nasync function main(): Promise<void> {\n${indented}\n}\n\nvoid main();\n`;
}

/**
 * A README TypeScript program as plain JavaScript: `esm` keeps `import` (for a `.mjs` file),
 * `cjs` uses `require` (for a `.cjs` file; the program is wrapped first, see `wrapForCommonJs`).
 * @param {string} root
 * @param {string} code
 * @param {"esm" | "cjs"} format
 */
export async function toJavaScript(root, code, format) {
  const source = format === "cjs" ? wrapForCommonJs(root, code) : code;
  const result = await transform(source, {
    loader: "ts",
    format,
    target: "node20",
    sourcefile: "example.ts",
  });
  return result.code;
}

/**
 * Compares what a program printed to what its README says it prints (exactly, line endings
 * aside). Returns null when they are equal, otherwise a short report around the first difference.
 * @param {string} actual
 * @param {string} expected
 */
export function compareOutput(actual, expected) {
  const a = actual.replace(/\r\n?/g, "\n");
  const e = expected.replace(/\r\n?/g, "\n");
  if (a === e) return null;
  const aLines = a.split("\n");
  const eLines = e.split("\n");
  let i = 0;
  while (i < aLines.length && i < eLines.length && aLines[i] === eLines[i]) i++;
  const show = (lines) =>
    lines
      .slice(Math.max(0, i - 1), i + 3)
      .map((line) => `    | ${line}`)
      .join("\n") || "    | (nothing)";
  return [
    `output differs at printed line ${i + 1} (${aLines.length - 1} printed, ${eLines.length - 1} expected)`,
    "  expected:",
    show(eLines),
    "  printed:",
    show(aLines),
  ].join("\n");
}
