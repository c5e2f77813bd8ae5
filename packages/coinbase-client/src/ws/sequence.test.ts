import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SequenceChecker } from "./sequence.js";

describe("SequenceChecker", () => {
  it("accepts the first number it sees and then each next one", () => {
    const seq = new SequenceChecker();
    expect([5, 6, 7].map((n) => seq.check(n).kind)).toEqual(["ok", "ok", "ok"]);
    expect(seq.last).toBe(7);
  });

  it("reports a gap with the number expected, and moves past it", () => {
    const seq = new SequenceChecker();
    seq.check(0);
    expect(seq.check(3)).toEqual({ kind: "gap", expected: 1, got: 3 });
    expect(seq.check(4)).toEqual({ kind: "ok" });
  });

  it("tells a late (skipped) number from a duplicate", () => {
    const seq = new SequenceChecker();
    seq.check(0);
    seq.check(1);
    seq.check(4);
    expect(seq.check(2)).toEqual({ kind: "out-of-order", expected: 5, got: 2 });
    expect(seq.check(2)).toEqual({ kind: "duplicate", seq: 2 });
    expect(seq.check(1)).toEqual({ kind: "duplicate", seq: 1 });
    expect(seq.check(4)).toEqual({ kind: "duplicate", seq: 4 });
    expect(seq.check(5)).toEqual({ kind: "ok" });
  });

  it("starts over after reset (a new connection counts from its own start)", () => {
    const seq = new SequenceChecker();
    seq.check(10);
    seq.reset();
    expect(seq.last).toBeUndefined();
    expect(seq.check(0)).toEqual({ kind: "ok" });
  });

  it("remembers a bounded number of skipped numbers after a huge gap", () => {
    const seq = new SequenceChecker();
    seq.check(0);
    expect(seq.check(1_000_000).kind).toBe("gap");
    expect(seq.check(999_999).kind).toBe("out-of-order");
    expect(seq.check(1).kind).toBe("duplicate"); // too old to remember: reported as a replay
  });

  it("over any stream: ok exactly for each next number, and the last number never goes back", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 40 }), { minLength: 1, maxLength: 60 }), (numbers) => {
        const seq = new SequenceChecker();
        let last: number | undefined;
        for (const n of numbers) {
          const verdict = seq.check(n);
          const expected =
            last === undefined || n === last + 1
              ? "ok"
              : n > last + 1
                ? "gap"
                : ["duplicate", "out-of-order"];
          if (typeof expected === "string") expect(verdict.kind).toBe(expected);
          else expect(expected).toContain(verdict.kind);
          if (last === undefined || n > last) last = n;
          expect(seq.last).toBe(last);
        }
      }),
    );
  });
});
