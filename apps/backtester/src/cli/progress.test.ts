import { describe, expect, it } from "vitest";
import { createProgress } from "./progress.js";

describe("createProgress without a TTY", () => {
  it("prints one plain line per 10 %", () => {
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    let t = 0;
    const p = createProgress("run", 100, stream, () => t);
    for (let i = 1; i <= 100; i++) {
      t += 10;
      p.update(i);
    }
    p.stop();
    expect(lines).toHaveLength(10);
    expect(lines[0]).toMatch(/^run: 10% \(10\/100\)/);
    expect(lines[9]).toMatch(/^run: 100% \(100\/100\), 1\.0 s elapsed, ETA 0\.0 s/);
  });
});
