import { D } from "@gpt/quantize";
import { describe, expect, it } from "vitest";
import { InstrumentError } from "./errors.js";
import {
  contractMultiplier,
  createFutureInstrument,
  createPerpetualInstrument,
  createSpotInstrument,
  type FutureInstrumentInput,
  isDerivative,
  type PerpetualInstrumentInput,
  type SpotInstrumentInput,
} from "./instruments.js";

const spotInput: SpotInstrumentInput = {
  symbol: "BTC-USD",
  venue: "COINBASE",
  baseCurrency: "BTC",
  quoteCurrency: "USD",
  priceIncrement: "0.01",
  sizeIncrement: "0.00000001",
  minSize: "0.00000001",
  maxSize: "3400",
  minNotional: "1",
  makerFee: "0.004",
  takerFee: "0.006",
};

const perpInput: PerpetualInstrumentInput = {
  ...spotInput,
  symbol: "BTC-PERP-INTX",
  quoteCurrency: "USDC",
  contractSize: "1",
  initialMarginFraction: "0.1",
  maintenanceMarginFraction: "0.05",
  maxLeverage: "10",
  fundingIntervalMs: 3_600_000,
};

const futureInput: FutureInstrumentInput = {
  ...spotInput,
  symbol: "BIT-24APR26-CDE",
  priceIncrement: "5",
  sizeIncrement: "1",
  minSize: "1",
  maxSize: "5000",
  contractSize: "0.01",
  initialMarginFraction: "0.25",
  maintenanceMarginFraction: "0.2",
  maxLeverage: "4",
  expiry: 1_777_046_400_000,
};

function errorOf(fn: () => unknown): InstrumentError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InstrumentError) return error;
    throw error;
  }
  throw new Error("expected an InstrumentError");
}

describe("createSpotInstrument", () => {
  it("builds a spot instrument with exact decimals", () => {
    const i = createSpotInstrument({ ...spotInput, quoteIncrement: "0.01", maxNotional: "150000000" });
    expect(i.kind).toBe("spot");
    expect(i.id).toBe("BTC-USD.COINBASE");
    expect(i.settlementCurrency).toBe("USD");
    expect(i.sizeIncrement.toString()).toBe("0.00000001");
    expect(i.quoteIncrement?.toString()).toBe("0.01");
    expect(i.maxNotional?.toString()).toBe("150000000");
    expect(isDerivative(i)).toBe(false);
    expect(contractMultiplier(i).toString()).toBe("1");
  });

  it("defaults minNotional to zero and accepts a maker rebate", () => {
    const { minNotional: _ignored, ...rest } = spotInput;
    const i = createSpotInstrument({ ...rest, makerFee: "-0.0001" });
    expect(i.minNotional.isZero()).toBe(true);
    expect(i.makerFee.toString()).toBe("-0.0001");
    expect(i.maxNotional).toBeUndefined();
  });

  it.each([
    ["priceIncrement", { priceIncrement: "0" }],
    ["sizeIncrement", { sizeIncrement: "-0.1" }],
    ["quoteIncrement", { quoteIncrement: "0" }],
    ["minSize", { minSize: "0" }],
    ["maxSize", { maxSize: "0.000000001" }],
    ["minNotional", { minNotional: "-1" }],
    ["maxNotional", { maxNotional: "0.5" }],
    ["makerFee", { makerFee: "1" }],
    ["makerFee", { makerFee: "-1" }],
    ["takerFee", { takerFee: "-0.001" }],
    ["takerFee", { takerFee: "1.5" }],
    ["takerFee", { takerFee: "abc" }],
    ["baseCurrency", { baseCurrency: "btc" }],
    ["quoteCurrency", { quoteCurrency: "" }],
    ["settlementCurrency", { settlementCurrency: "US D" }],
    ["id", { symbol: "BTC USD" }],
    ["id", { venue: "coinbase" }],
  ] as const)("rejects a bad %s", (field, patch) => {
    const err = errorOf(() => createSpotInstrument({ ...spotInput, ...patch }));
    expect(err.field).toBe(field);
    expect(err.code).toBe("invalid-instrument");
    expect(err.message).toContain(field);
  });
});

describe("createPerpetualInstrument", () => {
  it("builds a perpetual, optionally with a perp-style expiry", () => {
    const p = createPerpetualInstrument(perpInput);
    expect(p.kind).toBe("perpetual");
    expect(p.fundingIntervalMs).toBe(3_600_000);
    expect(p.expiry).toBeUndefined();
    expect(isDerivative(p)).toBe(true);
    expect(createPerpetualInstrument({ ...perpInput, expiry: 1_924_012_800_000 }).expiry).toBe(
      1_924_012_800_000,
    );
  });

  it.each([
    ["contractSize", { contractSize: "0" }],
    ["initialMarginFraction", { initialMarginFraction: "0" }],
    ["initialMarginFraction", { initialMarginFraction: "1.01" }],
    ["maintenanceMarginFraction", { maintenanceMarginFraction: "0.2" }],
    ["maintenanceMarginFraction", { maintenanceMarginFraction: "0" }],
    ["maxLeverage", { maxLeverage: "0.5" }],
    ["fundingIntervalMs", { fundingIntervalMs: 0 }],
    ["fundingIntervalMs", { fundingIntervalMs: 1.5 }],
    ["expiry", { expiry: -1 }],
  ] as const)("rejects a bad %s", (field, patch) => {
    expect(errorOf(() => createPerpetualInstrument({ ...perpInput, ...patch })).field).toBe(field);
  });
});

describe("createFutureInstrument", () => {
  it("builds a dated future with a contract multiplier", () => {
    const f = createFutureInstrument(futureInput);
    expect(f.kind).toBe("future");
    expect(f.expiry).toBe(1_777_046_400_000);
    expect(contractMultiplier(f).eq(D("0.01"))).toBe(true);
  });

  it("rejects a bad expiry and margin", () => {
    expect(errorOf(() => createFutureInstrument({ ...futureInput, expiry: Number.NaN })).field).toBe(
      "expiry",
    );
    expect(
      errorOf(() => createFutureInstrument({ ...futureInput, maintenanceMarginFraction: "0.3" })).field,
    ).toBe("maintenanceMarginFraction");
  });
});
