import { describe, expect, it } from "vitest";
import { InstrumentError } from "./errors.js";
import { createStaticInstrumentProvider, noopLogger, requireInstrument } from "./ports.js";
import { bip, btcUsd, OTHER_INSTRUMENT } from "./test-support.js";

describe("static instrument provider", () => {
  it("gets, lists and loads", async () => {
    const provider = createStaticInstrumentProvider([btcUsd, bip]);
    expect(provider.get(btcUsd.id)).toBe(btcUsd);
    expect(provider.get(OTHER_INSTRUMENT)).toBeUndefined();
    expect(provider.list().map((i) => i.id)).toEqual([btcUsd.id, bip.id]);
    await expect(provider.load?.()).resolves.toBeUndefined();
    expect(requireInstrument(provider, bip.id)).toBe(bip);
  });

  it("requireInstrument throws unknown-instrument", () => {
    const provider = createStaticInstrumentProvider([btcUsd]);
    try {
      requireInstrument(provider, OTHER_INSTRUMENT);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InstrumentError);
      expect((error as InstrumentError).code).toBe("unknown-instrument");
      expect((error as InstrumentError).message).toContain("ETH-USD.COINBASE");
    }
  });

  it("refuses duplicate ids", () => {
    expect(() => createStaticInstrumentProvider([btcUsd, btcUsd])).toThrow(/duplicate/);
  });
});

describe("noopLogger", () => {
  it("accepts every level and returns nothing", () => {
    expect(noopLogger.debug("x")).toBeUndefined();
    expect(noopLogger.info("x", { a: 1 })).toBeUndefined();
    expect(noopLogger.warn("x")).toBeUndefined();
    expect(noopLogger.error("x")).toBeUndefined();
  });
});
