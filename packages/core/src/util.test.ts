import { describe, expect, it } from "vitest";
import { assertNever } from "./util.js";

describe("assertNever", () => {
  it("throws a TypeError naming the unexpected tag", () => {
    expect(() => assertNever({ type: "Mystery" } as never, "event")).toThrow("unexpected event: Mystery");
    expect(() => assertNever("x" as never)).toThrow(TypeError);
  });
});
