import { describe, expect, it } from "vitest";
import { CoreError } from "./errors.js";
import { createBar, type MarketDataEvent } from "./market-data.js";
import { BTC_USD } from "./test-support.js";
import { assertNever } from "./util.js";

const input = {
  instrumentId: BTC_USD,
  intervalMs: 60_000,
  tsOpen: 1_700_000_000_000,
  open: 100,
  high: 110,
  low: 95,
  close: 105,
  volume: 12.5,
};

describe("createBar", () => {
  it("derives tsEvent = tsOpen + intervalMs and defaults tsInit to it", () => {
    const bar = createBar(input);
    expect(bar.type).toBe("Bar");
    expect(bar.tsEvent).toBe(1_700_000_060_000);
    expect(bar.tsInit).toBe(bar.tsEvent);
    expect(createBar({ ...input, tsInit: 1_700_000_060_005 }).tsInit).toBe(1_700_000_060_005);
  });

  it.each([
    ["intervalMs", { intervalMs: 0 }],
    ["tsOpen", { tsOpen: -1 }],
    ["open", { open: Number.NaN }],
    ["close", { close: 0 }],
    ["high", { high: 104 }],
    ["low", { low: 101 }],
    ["volume", { volume: -1 }],
    ["tsInit", { tsInit: 1.5 }],
  ] as const)("rejects a bad %s", (field, patch) => {
    try {
      createBar({ ...input, ...patch });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CoreError);
      expect((error as CoreError).code).toBe("invalid-value");
      expect((error as CoreError).context.field).toBe(field);
    }
  });
});

describe("MarketDataEvent", () => {
  it("is a discriminated union handled exhaustively", () => {
    const describeEvent = (e: MarketDataEvent): string => {
      switch (e.type) {
        case "Bar":
          return `bar ${e.close}`;
        case "Trade":
          return `trade ${e.price}`;
        case "Quote":
          return `quote ${e.bidPrice}/${e.askPrice}`;
        case "BookDelta":
          return `delta ${e.deltas.length}`;
        case "BookSnapshot":
          return `book ${e.bids.length}x${e.asks.length}`;
        case "MarkPrice":
          return `mark ${e.price}`;
        case "FundingRate":
          return `funding ${e.rate}`;
        default:
          return assertNever(e);
      }
    };
    expect(describeEvent(createBar(input))).toBe("bar 105");
    expect(
      describeEvent({
        type: "BookDelta",
        instrumentId: BTC_USD,
        deltas: [{ side: "bid", price: 1, size: 0, action: "delete" }],
        tsEvent: 1,
        tsInit: 1,
      }),
    ).toBe("delta 1");
  });
});
