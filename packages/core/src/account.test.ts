import { describe, expect, it } from "vitest";
import { type AccountState, balanceOf, createBalance } from "./account.js";
import { CoreError } from "./errors.js";
import { accountId } from "./ids.js";

describe("createBalance", () => {
  it("computes free = total − locked", () => {
    const b = createBalance("USD", "1000.50", "200.25");
    expect(b.free.toString()).toBe("800.25");
    expect(createBalance("BTC", "1").locked.isZero()).toBe(true);
  });

  it.each([
    ["total", "-1", "0"],
    ["locked", "10", "-1"],
    ["locked", "10", "11"],
    ["total", "x", "0"],
  ])("rejects a bad %s", (field, total, locked) => {
    try {
      createBalance("USD", total, locked);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CoreError);
      expect((error as CoreError).context.field).toBe(field);
    }
  });
});

describe("balanceOf", () => {
  it("finds a balance by currency", () => {
    const state: AccountState = {
      accountId: accountId("acc-1"),
      accountType: "cash",
      balances: [createBalance("USD", "10"), createBalance("BTC", "0.5")],
      margins: [],
      tsEvent: 1,
    };
    expect(balanceOf(state, "BTC")?.total.toString()).toBe("0.5");
    expect(balanceOf(state, "ETH")).toBeUndefined();
  });
});
