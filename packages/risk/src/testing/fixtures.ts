/**
 * Test-only fixtures: instruments, configs and pre-trade inputs. Not exported from the package index.
 */
import {
  createPerpetualInstrument,
  createSpotInstrument,
  type Instrument,
  type InstrumentId,
  instrumentId,
} from "@gpt/core";
import type { RiskConfig, RiskConfigInput } from "../config.js";
import { parseRiskConfig } from "../config.js";
import type { OrderIntent, PortfolioPosition, PortfolioSnapshot, PreTradeInput } from "../types.js";

/** 2026-03-02T00:00:00Z, a Monday. */
export const T0 = Date.UTC(2026, 2, 2, 0, 0, 0);
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export const BTC_USD: InstrumentId = instrumentId("BTC-USD", "COINBASE");
export const BTC_PERP: InstrumentId = instrumentId("BTC-PERP-INTX", "COINBASE");
export const ETH_PERP: InstrumentId = instrumentId("ETH-PERP-INTX", "COINBASE");

/** Spot BTC-USD: step 0.00000001, min 0.00000001, min notional 1. */
export const spotBtc: Instrument = createSpotInstrument({
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
});

/** BTC perp: step 0.0001, min 0.0001, max leverage 20, MMR 2.5 %. */
export const perpBtc: Instrument = createPerpetualInstrument({
  symbol: "BTC-PERP-INTX",
  venue: "COINBASE",
  baseCurrency: "BTC",
  quoteCurrency: "USDC",
  priceIncrement: "0.1",
  sizeIncrement: "0.0001",
  minSize: "0.0001",
  maxSize: "1000",
  minNotional: "10",
  makerFee: "0",
  takerFee: "0.0003",
  contractSize: "1",
  initialMarginFraction: "0.05",
  maintenanceMarginFraction: "0.025",
  maxLeverage: "20",
  fundingIntervalMs: 3_600_000,
});

/** ETH perp: step 0.001, max leverage 10, MMR 5 %. */
export const perpEth: Instrument = createPerpetualInstrument({
  symbol: "ETH-PERP-INTX",
  venue: "COINBASE",
  baseCurrency: "ETH",
  quoteCurrency: "USDC",
  priceIncrement: "0.01",
  sizeIncrement: "0.001",
  minSize: "0.001",
  maxSize: "10000",
  minNotional: "0",
  makerFee: "0",
  takerFee: "0.0003",
  contractSize: "1",
  initialMarginFraction: "0.1",
  maintenanceMarginFraction: "0.05",
  maxLeverage: "10",
  fundingIntervalMs: 3_600_000,
});

/** Coinbase nano BTC future: 0.01 BTC per contract, whole contracts. */
export const nanoBtc: Instrument = createPerpetualInstrument({
  symbol: "BIP-20DEC30-CDE",
  venue: "COINBASE",
  baseCurrency: "BTC",
  quoteCurrency: "USD",
  priceIncrement: "5",
  sizeIncrement: "1",
  minSize: "1",
  maxSize: "5000",
  minNotional: "0",
  makerFee: "0",
  takerFee: "0.0003",
  contractSize: "0.01",
  initialMarginFraction: "0.1",
  maintenanceMarginFraction: "0.05",
  maxLeverage: "10",
  fundingIntervalMs: 3_600_000,
});

/** A config with every cap set, for tests. */
export function testConfig(overrides: RiskConfigInput = {}): RiskConfig {
  return parseRiskConfig({
    maxLeverage: "5",
    maxPositionNotional: "100000",
    maxTotalNotional: "200000",
    maxOrderNotional: "50000",
    maxNetLongNotional: "150000",
    maxNetShortNotional: "150000",
    ...overrides,
  });
}

/** A BTC-perp order at a 50,000 mark, fresh data, 100,000 equity, flat, unless overridden. */
export function input(
  order: Partial<OrderIntent> = {},
  options: {
    instrument?: Instrument;
    mark?: string | undefined;
    tsMark?: number | undefined;
    now?: number;
    equity?: string;
    positions?: PortfolioPosition[];
    openOrderCount?: number;
    maintenanceMargin?: string;
    tradingState?: PreTradeInput["tradingState"];
    orderRate?: PreTradeInput["orderRate"];
  } = {},
): PreTradeInput {
  const instrument = options.instrument ?? perpBtc;
  const now = options.now ?? T0;
  const mark = "mark" in options ? options.mark : "50000";
  const tsMark = "tsMark" in options ? options.tsMark : now;
  const portfolio: PortfolioSnapshot = {
    equity: options.equity ?? "100000",
    positions: options.positions ?? [],
    openOrderCount: options.openOrderCount ?? 0,
    ...(options.maintenanceMargin === undefined ? {} : { maintenanceMargin: options.maintenanceMargin }),
  };
  return {
    order: { instrumentId: instrument.id, side: "buy", quantity: "0.1", ...order },
    instrument,
    market: {
      ...(mark === undefined ? {} : { markPrice: mark }),
      ...(tsMark === undefined ? {} : { tsMark }),
    },
    portfolio,
    now,
    ...(options.tradingState === undefined ? {} : { tradingState: options.tradingState }),
    ...(options.orderRate === undefined ? {} : { orderRate: options.orderRate }),
  };
}

/** A position snapshot. */
export function position(
  id: InstrumentId,
  quantity: string,
  markPrice: string,
  extra: Partial<PortfolioPosition> = {},
): PortfolioPosition {
  return { instrumentId: id, quantity, markPrice, ...extra };
}
