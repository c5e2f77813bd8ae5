import { defineConfig } from "tsup";

export default defineConfig({
  // Two entries: the REST client, and the WebSocket stream (`@gpt/coinbase-client/ws`, no node:* imports).
  entry: { index: "src/index.ts", "ws/index": "src/ws/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  // The sources are not in the tarball: maps give file names and lines, not a copy of the code.
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
  // zod is a devDependency: the part of zod/mini we call is bundled (users never install zod).
  noExternal: ["zod"],
  clean: true,
  target: "node20",
});
