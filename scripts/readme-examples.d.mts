// Types of readme-examples.mjs (the implementation; see the convention at its top).

/**
 * What a fenced block is: `program` (ts/js: type-checked and run), `install` (sh lines that are
 * all `npm install` / `pnpm add` / `yarn add`), `shell` (other sh), `data` (json, yaml, …),
 * `output` (the ```text block after a program, introduced by "…prints:" or "Output:"), `text`
 * (any other ```text), `unlabelled` (no or an unknown info string: not allowed in our READMEs).
 */
export type ReadmeBlockKind = "program" | "install" | "shell" | "data" | "output" | "text" | "unlabelled";

/** One fenced code block of a README. */
export interface ReadmeBlock {
  /** The first word of the info string, lower-cased (`ts`, `sh`, `json`, `text`; `""` if none). */
  lang: string;
  /** How the harness treats the block. */
  kind: ReadmeBlockKind;
  /** The block's content, ending in a newline (`""` for an empty block). */
  code: string;
  /** For programs, exactly what they print on stdout (`""`: nothing); `null` for other blocks. */
  expectedOutput: string | null;
  /** 1-based line of the opening fence in the markdown; code line k is markdown line `line + k`. */
  line: number;
}

/** One install command line of an `install` block. */
export interface InstallCommand {
  /** The package manager. */
  manager: "npm" | "pnpm" | "yarn";
  /** The package names installed (version ranges removed), in the order written. */
  packages: string[];
  /** The whole command line. */
  command: string;
}

/** A README that does not follow the convention (an unclosed fence, output given twice). */
export class ReadmeExampleError extends Error {
  readonly name: "ReadmeExampleError";
  /** 1-based line in the markdown. */
  readonly line: number;
  constructor(message: string, line: number);
}

/** Every fenced code block of a markdown text, classified, with the expected output of programs. */
export function extractReadmeExamples(markdown: string): ReadmeBlock[];

/** The install commands of an `install` block, one per command line. */
export function parseInstallCommands(code: string): InstallCommand[];

/** The package name of an install spec or import specifier (`@gpt/core@^1` → `@gpt/core`). */
export function packageNameOf(spec: string): string;

/** The packages a program imports (no relative paths, no Node built-ins), sorted. */
export function importedPackages(code: string): string[];
