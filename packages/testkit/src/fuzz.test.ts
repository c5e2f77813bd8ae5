// The fuzz suite's per-case bound measures CPU time, not wall time: on the shared 2-core machine a
// long `pnpm fuzz` once failed a four-row CSV case at 3,298 ms of wall time (load average 16), a
// wait for a core that said nothing about the input.
import { describe, expect, it } from "vitest";
import { cpuMsSince, DEFAULT_MAX_CASE_MS, maxCaseMs } from "./fuzz.js";

describe("cpuMsSince", () => {
  it("does not count time the thread spends blocked, as when it waits for a core", () => {
    const start = process.cpuUsage();
    // Blocks this thread for 300 ms without using the CPU.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
    expect(cpuMsSince(start)).toBeLessThan(150);
  });

  it("counts work", () => {
    const start = process.cpuUsage();
    let spent = 0;
    let x = 0;
    while (spent < 60) {
      for (let i = 0; i < 100_000; i++) x = (x + i * 7) % 1_000_003;
      spent = cpuMsSince(start);
    }
    expect(x).toBeGreaterThanOrEqual(0);
    expect(cpuMsSince(start)).toBeGreaterThanOrEqual(60);
  });
});

describe("maxCaseMs", () => {
  it("bounds cases only in the long form", () => {
    const saved = { runs: process.env.FUZZ_RUNS, max: process.env.FUZZ_MAX_CASE_MS };
    try {
      delete process.env.FUZZ_RUNS;
      expect(maxCaseMs()).toBeUndefined();
      process.env.FUZZ_RUNS = "10";
      delete process.env.FUZZ_MAX_CASE_MS;
      expect(maxCaseMs()).toBe(DEFAULT_MAX_CASE_MS);
      process.env.FUZZ_MAX_CASE_MS = "500";
      expect(maxCaseMs()).toBe(500);
    } finally {
      for (const [name, value] of [
        ["FUZZ_RUNS", saved.runs],
        ["FUZZ_MAX_CASE_MS", saved.max],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
