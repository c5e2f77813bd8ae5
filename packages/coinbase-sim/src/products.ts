import {
  createPerpetualInstrument,
  createSpotInstrument,
  type Instrument,
  type PerpetualInstrument,
  type SpotInstrument,
} from "@gpt/core";

/** Which market a simulated product belongs to. */
export type SimProductKind = "spot" | "cfm" | "intx";

/**
 * One product the simulator lists and trades. The increments are Coinbase's (BTC-USD and
 * BIP-20DEC30-CDE from recorded payloads; the others from the reference notes).
 */
export interface SimProductSpec {
  /** The Coinbase product id, e.g. `BTC-USD`, `BIP-20DEC30-CDE`. */
  readonly productId: string;
  /** Spot (CBE), US futures (FCM) or legacy INTX perpetuals. */
  readonly kind: SimProductKind;
  /** The base asset (the contract's underlying for futures). */
  readonly baseCurrency: string;
  /** The quote currency. */
  readonly quoteCurrency: string;
  /** Display names. */
  readonly baseName: string;
  /** The quote currency's display name. */
  readonly quoteName: string;
  /** Size step (contracts for CFM). */
  readonly baseIncrement: string;
  /** Quote step. */
  readonly quoteIncrement: string;
  /** Tick size. */
  readonly priceIncrement: string;
  /** Smallest and largest size. */
  readonly baseMinSize: string;
  /** Largest size. */
  readonly baseMaxSize: string;
  /** Smallest and largest notional. */
  readonly quoteMinSize: string;
  /** Largest notional. */
  readonly quoteMaxSize: string;
  /** The product whose bars this one follows when no series is given for it (futures follow spot). */
  readonly underlying: string;
  /** Futures: units of the base per contract. */
  readonly contractSize?: string;
  /** Futures: the contract code (`BIP`). */
  readonly contractCode?: string;
  /** Futures: the display name (`BTC PERP`). */
  readonly displayName: string;
  /** Futures: initial margin fraction (intraday long rate). */
  readonly marginRate?: string;
  /** Futures: largest leverage. */
  readonly maxLeverage?: string;
}

const EXPIRY_2030 = Date.UTC(2030, 11, 20, 16, 0, 0);

/** The products the simulator knows, by id. INTX products are listed only with `intx: true`. */
export const SIM_PRODUCTS: Readonly<Record<string, SimProductSpec>> = {
  "BTC-USD": {
    productId: "BTC-USD",
    kind: "spot",
    baseCurrency: "BTC",
    quoteCurrency: "USD",
    baseName: "Bitcoin",
    quoteName: "US Dollar",
    baseIncrement: "0.00000001",
    quoteIncrement: "0.01",
    priceIncrement: "0.01",
    baseMinSize: "0.00000001",
    baseMaxSize: "3400",
    quoteMinSize: "1",
    quoteMaxSize: "150000000",
    underlying: "BTC-USD",
    displayName: "BTC-USD",
  },
  "ETH-USD": {
    productId: "ETH-USD",
    kind: "spot",
    baseCurrency: "ETH",
    quoteCurrency: "USD",
    baseName: "Ethereum",
    quoteName: "US Dollar",
    baseIncrement: "0.00000001",
    quoteIncrement: "0.01",
    priceIncrement: "0.01",
    baseMinSize: "0.00000001",
    baseMaxSize: "50000",
    quoteMinSize: "1",
    quoteMaxSize: "150000000",
    underlying: "ETH-USD",
    displayName: "ETH-USD",
  },
  "BIP-20DEC30-CDE": {
    productId: "BIP-20DEC30-CDE",
    kind: "cfm",
    baseCurrency: "BTC",
    quoteCurrency: "USD",
    baseName: "",
    quoteName: "US Dollar",
    baseIncrement: "1",
    quoteIncrement: "0.01",
    priceIncrement: "5",
    baseMinSize: "1",
    baseMaxSize: "5000",
    quoteMinSize: "0",
    quoteMaxSize: "100000000",
    underlying: "BTC-USD",
    contractSize: "0.01",
    contractCode: "BIP",
    displayName: "BTC PERP",
    marginRate: "0.1",
    maxLeverage: "10",
  },
  "ETP-20DEC30-CDE": {
    productId: "ETP-20DEC30-CDE",
    kind: "cfm",
    baseCurrency: "ETH",
    quoteCurrency: "USD",
    baseName: "",
    quoteName: "US Dollar",
    baseIncrement: "1",
    quoteIncrement: "0.01",
    priceIncrement: "0.5",
    baseMinSize: "1",
    baseMaxSize: "5000",
    quoteMinSize: "0",
    quoteMaxSize: "100000000",
    underlying: "ETH-USD",
    contractSize: "0.1",
    contractCode: "ETP",
    displayName: "ETH PERP",
    marginRate: "0.1",
    maxLeverage: "10",
  },
  "BTC-PERP-INTX": {
    productId: "BTC-PERP-INTX",
    kind: "intx",
    baseCurrency: "BTC",
    quoteCurrency: "USDC",
    baseName: "",
    quoteName: "USDC",
    baseIncrement: "0.0001",
    quoteIncrement: "0.1",
    priceIncrement: "0.1",
    baseMinSize: "0.0001",
    baseMaxSize: "2200",
    quoteMinSize: "10",
    quoteMaxSize: "50000000",
    underlying: "BTC-USD",
    contractSize: "1",
    contractCode: "BTC",
    displayName: "BTC PERPETUAL",
    marginRate: "0.1",
    maxLeverage: "10",
  },
  "ETH-PERP-INTX": {
    productId: "ETH-PERP-INTX",
    kind: "intx",
    baseCurrency: "ETH",
    quoteCurrency: "USDC",
    baseName: "",
    quoteName: "USDC",
    baseIncrement: "0.0001",
    quoteIncrement: "0.01",
    priceIncrement: "0.01",
    baseMinSize: "0.0001",
    baseMaxSize: "50000",
    quoteMinSize: "10",
    quoteMaxSize: "50000000",
    underlying: "ETH-USD",
    contractSize: "1",
    contractCode: "ETH",
    displayName: "ETH PERPETUAL",
    marginRate: "0.1",
    maxLeverage: "10",
  },
};

/** The venue code of the simulator's instruments. */
export const SIM_VENUE = "COINBASE";

/** The funding interval of perp-style products: one hour. */
export const FUNDING_INTERVAL_MS = 3_600_000;

/** The paper-engine instrument of a product (fees are set by the engine's fee model). */
export function instrumentOf(spec: SimProductSpec): Instrument {
  const base = {
    symbol: spec.productId,
    venue: SIM_VENUE,
    baseCurrency: spec.baseCurrency,
    quoteCurrency: spec.quoteCurrency,
    priceIncrement: spec.priceIncrement,
    sizeIncrement: spec.baseIncrement,
    minSize: spec.baseMinSize,
    maxSize: spec.baseMaxSize,
    makerFee: spec.kind === "spot" ? "0.004" : "0.0004",
    takerFee: spec.kind === "spot" ? "0.006" : "0.0006",
  };
  if (spec.kind === "spot") {
    return createSpotInstrument({ ...base, quoteIncrement: spec.quoteIncrement }) satisfies SpotInstrument;
  }
  const margin = spec.marginRate ?? "0.1";
  return createPerpetualInstrument({
    ...base,
    settlementCurrency: spec.quoteCurrency,
    contractSize: spec.contractSize ?? "1",
    initialMarginFraction: margin,
    maintenanceMarginFraction: (Number(margin) / 2).toString(),
    maxLeverage: spec.maxLeverage ?? "10",
    fundingIntervalMs: FUNDING_INTERVAL_MS,
    ...(spec.kind === "cfm" ? { expiry: EXPIRY_2030 } : {}),
  }) satisfies PerpetualInstrument;
}

/** The contract expiry of CFM perp-style products (2030-12-20 16:00 UTC). */
export const CFM_EXPIRY_MS = EXPIRY_2030;
