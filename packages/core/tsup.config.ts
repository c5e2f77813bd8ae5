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
    // No tsup clean in any of the three builds: the build script empties dist/ first. tsup runs the
    // three concurrently, and a `clean` on one of them makes its declaration build delete every
    // .d.ts in dist/, whatever patterns it is given: the other builds' declarations, when they
    // finished first, were lost (a race that CI lost once).
    clean: false,
    target: "node20",
  },
  {
    // The internal entry that carries the one bundled copy of zod/mini the packages share (zod is
    // a devDependency: it is never installed for users). Third-party code: minified, no map. The
    // whitespace stays, because esbuild drops the /* @__PURE__ */ annotations along with it, and
    // those let an application's bundler drop the parts of zod/mini nobody calls.
    entry: ["src/validation.ts"],
    format: ["esm", "cjs"],
    dts: true,
    minifySyntax: true,
    minifyIdentifiers: true,
    noExternal: ["zod"],
    clean: false,
    target: "node20",
  },
  {
    // The ExecutionPort conformance suite (`@gpt/core/conformance`), for venues' tests. Its own
    // build, so the main entry stays one file. It imports core by the package's own name
    // (self-reference), kept external: it shares the main entry's code and types, no copy.
    entry: ["src/conformance.ts"],
    external: ["@gpt/core"],
    format: ["esm", "cjs"],
    dts: true,
    // Test tooling: no source maps (the install size of every user of core counts them).
    clean: false,
    target: "node20",
  },
]);
