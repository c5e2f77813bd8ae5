/**
 * Internal helpers for tests and benchmarks (not published).
 *
 * - `sharedDir()` finds the shared real-data folder: `$GPT_SHARED_DIR`, else `../shared` beside the
 *   repository root. `requireShared(...)` returns a path inside it and throws a loud error when it is
 *   missing, which is what every `*.real.test.ts` relies on.
 * - `readGzipText`, `readCsvRows`, `readJsonl` read the files in the formats of shared/data/README.md.
 * - `writeBenchResult` writes one JSON result per benchmark under `<package>/bench-results/`.
 */

export type { BenchResult, Measurement } from "./bench.js";
export { measure, writeBenchResult } from "./bench.js";
export type { BuiltCopies } from "./copies.js";
export { loadBuiltCopies } from "./copies.js";
export type { CsvTable } from "./files.js";
export { readCsvRows, readGzipText, readJsonl } from "./files.js";
export type { InstallCommand, ReadmeBlock, ReadmeBlockKind } from "./readme.js";
export {
  extractReadmeExamples,
  importedPackages,
  packageNameOf,
  parseInstallCommands,
  ReadmeExampleError,
} from "./readme.js";
export { findRepoRoot, requireShared, SharedDataMissingError, sharedDir } from "./shared.js";
