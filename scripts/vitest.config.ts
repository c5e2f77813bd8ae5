import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** Tests of the repository scripts (the release rehearsal's helpers), run with the packages' tests. */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    name: "scripts",
    include: ["release/**/*.test.mjs"],
    exclude: ["**/node_modules/**"],
  },
});
