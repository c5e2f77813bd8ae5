#!/usr/bin/env node
// Reads Vitest JSON reports and prints the totals as one plain line: "N passed, N failed".
// A missing or unreadable report counts as one failure; the last argument is the number of failed
// non-test steps (lint, type-check, build, package checks), each counted as one failure.
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const failedSteps = Number(args.pop() ?? 0);
let passed = 0;
let failed = 0;
for (const file of args) {
  try {
    const report = JSON.parse(readFileSync(file, "utf8"));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    // Suites that failed to load (syntax errors, missing data) have no tests but must count.
    for (const suite of report.testResults ?? []) {
      if (suite.status === "failed" && (suite.assertionResults ?? []).length === 0) failed += 1;
    }
  } catch {
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed + failedSteps} failed`);
