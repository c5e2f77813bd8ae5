import { defineConfig } from "vitest/config";

/** Root config: runs the unit tests of every package and app as Vitest projects. */
export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts", "apps/*/vitest.config.ts", "scripts/vitest.config.ts"],
  },
});
