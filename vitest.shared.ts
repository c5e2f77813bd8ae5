import { defineConfig } from "vitest/config";

/**
 * Shared Vitest settings for every workspace package.
 *
 * Workspace packages resolve to their TypeScript source through the "@gpt/source" export
 * condition, so tests need no build first. Node tests go through Vite's SSR resolver, which
 * reads `ssr.resolve.conditions` (plain `resolve.conditions` is ignored there).
 * Tests that need the real data in ../shared are named `*.real.test.ts` and run only under
 * `pnpm test:real`.
 */
export default defineConfig({
  ssr: { resolve: { conditions: ["@gpt/source"] } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**", "**/*.real.test.ts", "**/*.browser.test.ts"],
    passWithNoTests: false,
    // Property tests run thousands of cases; on a busy 2-core machine (CI, or several runs at once)
    // Vitest's 5 s default fails tests that are only slow, not stuck.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
