/**
 * Test-only instruments and arbitraries (not exported from the package index). The spot and
 * nano-perp rules are those of Coinbase's BTC-USD and BIP-20DEC30-CDE products (see
 * shared/fixtures); fees are round illustrative numbers.
 */
import {
  createPerpetualInstrument,
  createSpotInstrument,
  type PerpetualInstrument,
  type SpotInstrument,
} from "@gpt/core";

/** BTC-USD spot: step 0.00000001, min notional 1 USD, taker 0.6 %. */
export const BTC_USD: SpotInstrument = createSpotInstrument({
  symbol: "BTC-USD",
  venue: "COINBASE",
  baseCurrency: "BTC",
  quoteCurrency: "USD",
  priceIncrement: "0.01",
  sizeIncrement: "0.00000001",
  quoteIncrement: "0.01",
  minSize: "0.00000001",
  maxSize: "3400",
  minNotional: "1",
  maxNotional: "150000000",
  makerFee: "0.004",
  takerFee: "0.006",
});

/** A fee-free copy of BTC-USD, for formulas checked without fees. */
export const BTC_USD_NO_FEES: SpotInstrument = createSpotInstrument({
  symbol: "BTC-USD",
  venue: "COINBASE",
  baseCurrency: "BTC",
  quoteCurrency: "USD",
  priceIncrement: "0.01",
  sizeIncrement: "0.00000001",
  minSize: "0.00000001",
  maxSize: "3400",
  minNotional: "1",
  makerFee: "0",
  takerFee: "0",
});

/** Nano BTC perp: contracts of 0.01 BTC, step 1 contract, max 5000, 10 % initial margin (10×). */
export const BIP_PERP: PerpetualInstrument = createPerpetualInstrument({
  symbol: "BIP-20DEC30-CDE",
  venue: "COINBASE",
  baseCurrency: "BTC",
  quoteCurrency: "USD",
  priceIncrement: "5",
  sizeIncrement: "1",
  minSize: "1",
  maxSize: "5000",
  makerFee: "0.0002",
  takerFee: "0.0005",
  contractSize: "0.01",
  initialMarginFraction: "0.1",
  maintenanceMarginFraction: "0.05",
  maxLeverage: "10",
  fundingIntervalMs: 3_600_000,
});
