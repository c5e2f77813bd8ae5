import { defineConfig } from "vitest/config";

/**
 * Real-data tests (`*.real.test.ts`): they read ../shared (or $GPT_SHARED_DIR) and fail loudly
 * when it is missing. Run with `pnpm test:real`.
 */
export default defineConfig({
  ssr: { resolve: { conditions: ["@gpt/source"] } },
  test: {
    include: ["packages/*/src/**/*.real.test.ts", "apps/*/src/**/*.real.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
