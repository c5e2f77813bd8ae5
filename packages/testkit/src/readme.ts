/**
 * README examples: the extractor lives in `scripts/readme-examples.mjs` (plain ESM, so release
 * scripts can import it without TypeScript); this module re-exports it for tests.
 */

export type { InstallCommand, ReadmeBlock, ReadmeBlockKind } from "../../../scripts/readme-examples.mjs";
export {
  extractReadmeExamples,
  importedPackages,
  packageNameOf,
  parseInstallCommands,
  ReadmeExampleError,
} from "../../../scripts/readme-examples.mjs";
