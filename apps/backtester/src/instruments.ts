import { createPerpetualInstrument, createSpotInstrument, HOUR_MS, type Instrument } from "@gpt/core";
import { BacktestError } from "./errors.js";
import { excerpt } from "./excerpt.js";

/** The most leverage a backtest perpetual allows (10 % initial margin). */
export const PERP_MAX_LEVERAGE = 10;

/**
 * The instrument a backtest symbol stands for. `BASE-QUOTE` (`BTC-USD`) is a spot
 * pair with Coinbase's spot increments (price 0.01, size 1e-8, min notional 1); `BASE-PERP`
 * (`BTC-PERP`) is a USD-settled perpetual of one base unit per contract with 10 % initial and 5 %
 * maintenance margin (max leverage 10) and the funding interval of its funding file (default one
 * hour, as Coinbase's perps). Fees come from the fee preset, not from here. A run's account is
 * in USD, so the CLI accepts only `BASE-USD` and `BASE-PERP` symbols (other quotes exit with 2).
 */
export function instrumentForSymbol(
  symbol: string,
  options: { fundingIntervalMs?: number } = {},
): Instrument {
  const parts = symbol.split("-");
  if (parts.length !== 2 || parts[0] === "" || parts[1] === "") {
    throw new BacktestError("bad-argument", `symbol ${excerpt(symbol)}: expected BASE-QUOTE or BASE-PERP`);
  }
  const [base, quote] = parts as [string, string];
  const common = {
    symbol,
    venue: "BACKTEST",
    baseCurrency: base,
    priceIncrement: "0.01",
    minNotional: "1",
    makerFee: "0",
    takerFee: "0",
  };
  if (quote === "PERP") {
    return createPerpetualInstrument({
      ...common,
      quoteCurrency: "USD",
      settlementCurrency: "USD",
      sizeIncrement: "0.0001",
      minSize: "0.0001",
      maxSize: "1000000",
      contractSize: "1",
      initialMarginFraction: "0.1",
      maintenanceMarginFraction: "0.05",
      maxLeverage: String(PERP_MAX_LEVERAGE),
      fundingIntervalMs: options.fundingIntervalMs ?? HOUR_MS,
    });
  }
  return createSpotInstrument({
    ...common,
    quoteCurrency: quote,
    sizeIncrement: "0.00000001",
    minSize: "0.00000001",
    maxSize: "1000000",
  });
}
