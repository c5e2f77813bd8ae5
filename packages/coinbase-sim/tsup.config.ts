import { defineConfig } from "tsup";

export default defineConfig({
  // The CLI (bin/gpt-coinbase-sim.mjs imports dist/cli.js when installed) is an entry of its own.
  entry: ["src/index.ts", "src/cli.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  // The sources are not in the tarball: maps give file names and lines, not a copy of the code.
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
  clean: true,
  target: "node20",
});
