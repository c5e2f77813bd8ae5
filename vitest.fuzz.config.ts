import { defineConfig } from "vitest/config";
import type { Reporter, TestCase, TestModule } from "vitest/node";

/**
 * Prints the fuzz totals at the end of a run: how many generated cases ran (summed from each
 * test's `fuzzCases` meta, written by `fuzz()` in `@gpt/testkit/fuzz`), across how many properties,
 * how many properties failed, and the slowest single case.
 */
class FuzzCountReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let cases = 0;
    let properties = 0;
    let failed = 0;
    let slowest = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const meta = (test as TestCase).meta() as { fuzzCases?: number; fuzzSlowestMs?: number };
        if (meta.fuzzCases === undefined) continue;
        properties += 1;
        cases += meta.fuzzCases;
        slowest = Math.max(slowest, meta.fuzzSlowestMs ?? 0);
        if (test.result().state === "failed") failed += 1;
      }
    }
    process.stdout.write(
      `\nfuzz: ${cases} cases in ${properties} properties, ${failed} failed; slowest case ${slowest} ms\n`,
    );
  }
}

/**
 * The fuzz suite (`pnpm fuzz`): every `*.fuzz.test.ts` in the packages and apps, with the case count
 * from `$FUZZ_RUNS` (set by the root script). The same files also run in `pnpm test`, with the small
 * default count.
 */
export default defineConfig({
  ssr: { resolve: { conditions: ["@gpt/source"] } },
  test: {
    include: ["packages/*/src/**/*.fuzz.test.ts", "apps/*/src/**/*.fuzz.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    reporters: ["default", new FuzzCountReporter()],
    testTimeout: 600_000,
  },
});
