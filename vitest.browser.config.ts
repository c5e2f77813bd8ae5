import { defineConfig } from "vitest/config";

/**
 * Browser tests (`*.browser.test.ts`): they drive Debian's Chromium (`/usr/bin/chromium`, or
 * $CHROMIUM_PATH) through playwright-core. Run with `pnpm test:browser`; `.ci/run` installs Chromium.
 */
export default defineConfig({
  ssr: { resolve: { conditions: ["@gpt/source"] } },
  test: {
    include: ["packages/*/src/**/*.browser.test.ts", "apps/*/src/**/*.browser.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    testTimeout: 120_000,
  },
});
