import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    // The sources are not in the tarball: maps give file names and lines, not a copy of the code.
    esbuildOptions(options) {
      options.sourcesContent = false;
    },
    clean: ["!validation.*"],
    target: "node20",
  },
  {
    // The internal entry that carries the one bundled copy of zod/mini the packages share (zod is
    // a devDependency: it is never installed for users). Third-party code: minified, no map.
    entry: ["src/validation.ts"],
    format: ["esm", "cjs"],
    dts: true,
    minify: true,
    noExternal: ["zod"],
    clean: false,
    target: "node20",
  },
]);
