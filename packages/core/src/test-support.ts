// Shared fixtures for this package's tests (not exported from the package index).
import { D } from "@gpt/quantize";
import type { OrderFilled, OrderInitialized } from "./events.js";
import {
  clientOrderId,
  createEventIdGenerator,
  instrumentId,
  strategyId,
  tradeId,
  venueOrderId,
} from "./ids.js";
import { createPerpetualInstrument, createSpotInstrument } from "./instruments.js";
import type { OrderSide, OrderSpec } from "./orders.js";

/** BTC-USD spot on Coinbase (real increments from the product capture). */
export const btcUsd = createSpotInstrument({
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

/** Nano BTC perp-style CFM future (contract size 0.01 BTC, price tick 5). */
export const bip = createPerpetualInstrument({
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
  expiry: Date.UTC(2030, 11, 20, 16),
});

export const BTC_USD = btcUsd.id;
export const STRAT = strategyId("strat-1");
export const COID = clientOrderId("O-1");

/** A fresh event id sequence per test file. */
const ids = createEventIdGenerator("t");

/** A limit buy 1 BTC @ 50000 GTC spec. */
export function limitSpec(overrides: Partial<Record<string, unknown>> = {}): OrderSpec {
  return {
    type: "limit",
    clientOrderId: COID,
    instrumentId: BTC_USD,
    side: "buy",
    quantity: D("1"),
    price: D("50000"),
    timeInForce: "GTC",
    postOnly: false,
    reduceOnly: false,
    ...overrides,
  } as OrderSpec;
}

export function initialized(spec: OrderSpec = limitSpec(), ts = 1000): OrderInitialized {
  return {
    type: "OrderInitialized",
    eventId: ids.next(),
    tsEvent: ts,
    tsInit: ts,
    clientOrderId: spec.clientOrderId,
    instrumentId: spec.instrumentId,
    order: spec,
    strategyId: STRAT,
  };
}

let tradeCounter = 0;

export function filled(
  qty: string,
  price: string,
  side: OrderSide = "buy",
  extra: Partial<OrderFilled> = {},
): OrderFilled {
  tradeCounter += 1;
  return {
    type: "OrderFilled",
    eventId: ids.next(),
    tsEvent: 2000 + tradeCounter,
    tsInit: 2000 + tradeCounter,
    clientOrderId: COID,
    instrumentId: BTC_USD,
    venueOrderId: venueOrderId("V-1"),
    tradeId: tradeId(`T-${tradeCounter}`),
    side,
    lastQty: D(qty),
    lastPrice: D(price),
    commission: D("0.5"),
    commissionCurrency: "USD",
    liquiditySide: "taker",
    ...extra,
  };
}

/** Common fields of an order event for `COID` on BTC-USD. */
export function base(ts = 1500) {
  return { eventId: ids.next(), tsEvent: ts, tsInit: ts, clientOrderId: COID, instrumentId: BTC_USD };
}

export const OTHER_INSTRUMENT = instrumentId("ETH-USD", "COINBASE");
