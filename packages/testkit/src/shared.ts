import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Thrown when the real data a `test:real` test needs is not there. */
export class SharedDataMissingError extends Error {
  override readonly name = "SharedDataMissingError";
  constructor(
    readonly path: string,
    readonly hint: string,
  ) {
    super(`real data not found at ${path}: ${hint}`);
  }
}

/** Walks up from this file to the directory that holds pnpm-workspace.yaml. */
export function findRepoRoot(start: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no pnpm-workspace.yaml above ${start}`);
    dir = parent;
  }
}

/** The shared data folder: `$GPT_SHARED_DIR` if set, else `<repo>/../shared`. It may not exist. */
export function sharedDir(): string {
  const fromEnv = process.env.GPT_SHARED_DIR;
  if (fromEnv !== undefined && fromEnv !== "") return resolve(fromEnv);
  return resolve(findRepoRoot(), "..", "shared");
}

/** A path inside the shared folder that must exist; throws `SharedDataMissingError` otherwise. */
export function requireShared(...parts: string[]): string {
  const path = join(sharedDir(), ...parts);
  if (!existsSync(path)) {
    throw new SharedDataMissingError(
      path,
      "pnpm test:real needs the shared data folder beside the repository (../shared) or GPT_SHARED_DIR pointing at it",
    );
  }
  return path;
}
