import { describe, expect, it } from "vitest";
import { RunOrderIds, runCounterOf } from "./order-ids.js";

describe("RunOrderIds", () => {
  it("continues from its start and skips every id reconciliation reserved", () => {
    const ids = new RunOrderIds("run", 2);
    expect(ids.next()).toBe("run-3");
    ids.reserve(["run-7", "other-40", undefined, "run-x", "run-5"]);
    expect(ids.next()).toBe("run-8");
    expect(ids.count).toBe(6);
    ids.reserve(["run-2"]); // below the floor: nothing changes
    expect(ids.next()).toBe("run-9");
  });

  it("reads the counter of `<prefix>-<n>` ids only", () => {
    expect(runCounterOf("o-12", "o")).toBe(12);
    expect(runCounterOf("oo-12", "o")).toBeUndefined();
    expect(runCounterOf("o-1a", "o")).toBeUndefined();
    expect(runCounterOf("o-", "o")).toBeUndefined();
  });
});
