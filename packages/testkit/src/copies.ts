import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The two builds of a package loaded side by side, as a consumer mixing `import` and `require` gets them. */
export interface BuiltCopies<M> {
  /** The ESM build, loaded with `import()`. */
  readonly esm: M;
  /** The CommonJS build, loaded with `require()`. */
  readonly cjs: M;
  /** Deletes the temporary folder the builds were written to. */
  dispose(): void;
}

/**
 * Builds a package's entry point twice, as an ES module and as CommonJS, the way its `dist` is
 * built (esbuild, the engine of tsup, platform node, target node20), into a temporary folder, and
 * loads both into this process: two copies of every class, as when one dependency `import`s the
 * package and another `require`s it (the dual-package hazard). Workspace dependencies are read
 * from source (the `@gpt/source` condition) and bundled in, so no `pnpm build` is needed first.
 *
 * @param entry the entry file, e.g. `new URL("./index.ts", import.meta.url)`.
 * @example
 * const copies = await loadBuiltCopies<typeof import("./index.js")>(new URL("./index.ts", import.meta.url));
 * copies.esm.isRiskError(new copies.cjs.RiskError("invalid-input", "x")); // true
 */
export async function loadBuiltCopies<M>(entry: URL): Promise<BuiltCopies<M>> {
  const { build } = await import("esbuild");
  const dir = mkdtempSync(join(tmpdir(), "gpt-copies-"));
  try {
    const files = { esm: join(dir, "index.mjs"), cjs: join(dir, "index.cjs") };
    for (const format of ["esm", "cjs"] as const) {
      await build({
        entryPoints: [fileURLToPath(entry)],
        outfile: files[format],
        format,
        bundle: true,
        platform: "node",
        target: "node20",
        conditions: ["@gpt/source"],
        logLevel: "silent",
      });
    }
    const esm = (await import(/* @vite-ignore */ pathToFileURL(files.esm).href)) as M;
    const cjs = createRequire(import.meta.url)(files.cjs) as M;
    return { esm, cjs, dispose: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
