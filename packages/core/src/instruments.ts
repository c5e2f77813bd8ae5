import { D, type Decimal, parseDecimal, QuantizeError } from "@gpt/quantize";
import { InstrumentError } from "./errors.js";
import { type InstrumentId, instrumentId, type Venue, venue as validateVenue } from "./ids.js";
import { type UnixMillis, unixMillis } from "./time.js";

/** The kinds of instrument the model knows. All are linear (PnL in the quote/settlement currency). */
export type InstrumentKind = "spot" | "perpetual" | "future";

/**
 * Fields every instrument has. Sizes are in the instrument's *size unit*: base currency units for
 * spot, contracts for derivatives (one contract = `contractSize` units of the base asset).
 * Prices are quote currency per base unit. Fees are fractions of notional (`0.006` = 0.6 %);
 * a negative maker fee is a rebate.
 */
export interface InstrumentBase {
  /** `SYMBOL.VENUE`. */
  readonly id: InstrumentId;
  /** The venue's symbol, e.g. `"BTC-USD"`, `"BIP-20DEC30-CDE"`. */
  readonly symbol: string;
  /** The venue code, e.g. `"COINBASE"`. */
  readonly venue: Venue;
  /** The asset being bought or sold (e.g. `"BTC"`). */
  readonly baseCurrency: string;
  /** The currency prices are quoted in (e.g. `"USD"`). */
  readonly quoteCurrency: string;
  /** The currency PnL, fees and margin settle in (quote for spot and linear derivatives). */
  readonly settlementCurrency: string;
  /** Tick size: every order price must be a multiple. Positive. */
  readonly priceIncrement: Decimal;
  /** Size step: every order quantity must be a multiple. Positive. */
  readonly sizeIncrement: Decimal;
  /** Step for quote-denominated amounts (Coinbase `quote_increment`), if the venue has one. */
  readonly quoteIncrement?: Decimal;
  /** Smallest order quantity. Positive. */
  readonly minSize: Decimal;
  /** Largest order quantity. At least `minSize`. */
  readonly maxSize: Decimal;
  /** Smallest order notional (quantity × price × contract size) in the quote currency. Zero if none. */
  readonly minNotional: Decimal;
  /** Largest order notional, if the venue has one. At least `minNotional`. */
  readonly maxNotional?: Decimal;
  /** Maker fee fraction, in (-1, 1). Negative is a rebate. */
  readonly makerFee: Decimal;
  /** Taker fee fraction, in [0, 1). */
  readonly takerFee: Decimal;
}

/** A spot pair (no margin, no contract multiplier: one unit of size is one unit of base currency). */
export interface SpotInstrument extends InstrumentBase {
  /** Discriminant. */
  readonly kind: "spot";
}

/** Fields shared by perpetuals and dated futures. */
export interface DerivativeFields {
  /** Base units per contract (Coinbase CFM nano BTC: `0.01`; INTX perps: `1`). Positive. */
  readonly contractSize: Decimal;
  /** Initial margin as a fraction of notional, in (0, 1]. */
  readonly initialMarginFraction: Decimal;
  /** Maintenance margin as a fraction of notional, in (0, initialMarginFraction]. */
  readonly maintenanceMarginFraction: Decimal;
  /** Highest leverage the venue allows, at least 1. */
  readonly maxLeverage: Decimal;
}

/**
 * A perpetual swap/future: funding is exchanged every `fundingIntervalMs`. Coinbase's perp-style
 * CFM futures (`BIP-20DEC30-CDE`) carry a far-dated expiry too, kept in `expiry`.
 */
export interface PerpetualInstrument extends InstrumentBase, DerivativeFields {
  /** Discriminant. */
  readonly kind: "perpetual";
  /** Time between funding payments (Coinbase: one hour). Positive integer. */
  readonly fundingIntervalMs: number;
  /** Contract expiry of perp-style dated contracts; absent for true perpetuals. */
  readonly expiry?: UnixMillis;
}

/** A dated future: expires (and settles) at `expiry`, no funding. */
export interface FutureInstrument extends InstrumentBase, DerivativeFields {
  /** Discriminant. */
  readonly kind: "future";
  /** Expiry time. */
  readonly expiry: UnixMillis;
}

/** Any instrument; switch on `kind`. */
export type Instrument = SpotInstrument | PerpetualInstrument | FutureInstrument;

/** A perpetual or a dated future. */
export type DerivativeInstrument = PerpetualInstrument | FutureInstrument;

/** A decimal given as a string (preferred: exchange strings), a number, or a Decimal. */
export type DecimalLike = string | number | Decimal;

/** Input of `createSpotInstrument`: decimals may be strings, numbers or Decimals. */
export interface SpotInstrumentInput {
  /** The venue's symbol. */
  readonly symbol: string;
  /** The venue code. */
  readonly venue: string;
  /** Base currency code. */
  readonly baseCurrency: string;
  /** Quote currency code. */
  readonly quoteCurrency: string;
  /** Settlement currency (default: `quoteCurrency`). */
  readonly settlementCurrency?: string;
  /** Tick size (> 0). */
  readonly priceIncrement: DecimalLike;
  /** Size step (> 0). */
  readonly sizeIncrement: DecimalLike;
  /** Quote amount step (> 0), optional. */
  readonly quoteIncrement?: DecimalLike;
  /** Minimum order quantity (> 0). */
  readonly minSize: DecimalLike;
  /** Maximum order quantity (>= minSize). */
  readonly maxSize: DecimalLike;
  /** Minimum order notional (>= 0, default 0). */
  readonly minNotional?: DecimalLike;
  /** Maximum order notional (>= minNotional), optional. */
  readonly maxNotional?: DecimalLike;
  /** Maker fee fraction in (-1, 1). */
  readonly makerFee: DecimalLike;
  /** Taker fee fraction in [0, 1). */
  readonly takerFee: DecimalLike;
}

/** Input fields of the derivative constructors in addition to the spot ones. */
export interface DerivativeInput {
  /** Base units per contract (> 0). */
  readonly contractSize: DecimalLike;
  /** Initial margin fraction in (0, 1]. */
  readonly initialMarginFraction: DecimalLike;
  /** Maintenance margin fraction in (0, initialMarginFraction]. */
  readonly maintenanceMarginFraction: DecimalLike;
  /** Maximum leverage (>= 1). */
  readonly maxLeverage: DecimalLike;
}

/** Input of `createPerpetualInstrument`. */
export interface PerpetualInstrumentInput extends SpotInstrumentInput, DerivativeInput {
  /** Funding interval in ms (positive integer). */
  readonly fundingIntervalMs: number;
  /** Expiry of a perp-style dated contract, optional. */
  readonly expiry?: UnixMillis;
}

/** Input of `createFutureInstrument`. */
export interface FutureInstrumentInput extends SpotInstrumentInput, DerivativeInput {
  /** Expiry time. */
  readonly expiry: UnixMillis;
}

const CURRENCY_PATTERN = /^[A-Z0-9]{1,16}$/;

function dec(field: string, value: DecimalLike, rule: "positive" | "non-negative" | "any"): Decimal {
  try {
    return parseDecimal(value, {
      field,
      allowNegative: rule === "any",
      allowZero: rule !== "positive",
    });
  } catch (cause) {
    if (cause instanceof QuantizeError) {
      const why =
        rule === "positive"
          ? "must be a positive decimal"
          : rule === "non-negative"
            ? "must be a decimal >= 0"
            : "must be a decimal";
      throw new InstrumentError(field, value, why, { cause });
    }
    throw cause;
  }
}

function currency(field: string, value: string): string {
  if (typeof value !== "string" || !CURRENCY_PATTERN.test(value)) {
    throw new InstrumentError(field, value, "must be 1-16 characters of A-Z or 0-9");
  }
  return value;
}

/** The fields every instrument input may have. */
const SPOT_FIELDS = [
  "symbol",
  "venue",
  "baseCurrency",
  "quoteCurrency",
  "settlementCurrency",
  "priceIncrement",
  "sizeIncrement",
  "quoteIncrement",
  "minSize",
  "maxSize",
  "minNotional",
  "maxNotional",
  "makerFee",
  "takerFee",
] as const;

/** The extra fields of a derivative input (perpetual or future). */
const DERIVATIVE_FIELDS = [
  "contractSize",
  "initialMarginFraction",
  "maintenanceMarginFraction",
  "maxLeverage",
  "fundingIntervalMs",
  "expiry",
] as const;

/**
 * Checks that `input` is an object and reads each of `fields` once into a plain copy, so a getter
 * or Proxy trap that throws becomes an `InstrumentError` naming the field (the thrown error kept as
 * `cause`), and later checks never read the caller's object again.
 */
function readInput<T>(input: T, fields: readonly string[]): T {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new InstrumentError("input", input, "must be an object of instrument fields");
  }
  const copy: Record<string, unknown> = {};
  for (const field of fields) {
    try {
      copy[field] = (input as Record<string, unknown>)[field];
    } catch (cause) {
      throw new InstrumentError(field, input, "could not be read (reading it threw)", { cause });
    }
  }
  return copy as T;
}

function buildBase(input: SpotInstrumentInput): InstrumentBase {
  let id: InstrumentId;
  let venueCode: Venue;
  try {
    venueCode = validateVenue(input.venue);
    id = instrumentId(input.symbol, input.venue);
  } catch (cause) {
    const { symbol, venue } = input as { symbol: unknown; venue: unknown };
    const value =
      typeof symbol === "string" && typeof venue === "string" ? `${symbol}.${venue}` : { symbol, venue };
    throw new InstrumentError("id", value, "invalid symbol or venue", { cause });
  }
  const baseCurrency = currency("baseCurrency", input.baseCurrency);
  const quoteCurrency = currency("quoteCurrency", input.quoteCurrency);
  const settlementCurrency = currency("settlementCurrency", input.settlementCurrency ?? input.quoteCurrency);
  const priceIncrement = dec("priceIncrement", input.priceIncrement, "positive");
  const sizeIncrement = dec("sizeIncrement", input.sizeIncrement, "positive");
  const minSize = dec("minSize", input.minSize, "positive");
  const maxSize = dec("maxSize", input.maxSize, "positive");
  if (maxSize.lt(minSize)) {
    throw new InstrumentError("maxSize", input.maxSize, `must be >= minSize ${minSize.toString()}`);
  }
  const minNotional = dec("minNotional", input.minNotional ?? "0", "non-negative");
  const makerFee = dec("makerFee", input.makerFee, "any");
  if (makerFee.lte(-1) || makerFee.gte(1)) {
    throw new InstrumentError("makerFee", input.makerFee, "must be a fraction in (-1, 1)");
  }
  const takerFee = dec("takerFee", input.takerFee, "non-negative");
  if (takerFee.gte(1)) throw new InstrumentError("takerFee", input.takerFee, "must be a fraction in [0, 1)");
  const base: {
    -readonly [K in keyof InstrumentBase]: InstrumentBase[K];
  } = {
    id,
    symbol: input.symbol,
    venue: venueCode,
    baseCurrency,
    quoteCurrency,
    settlementCurrency,
    priceIncrement,
    sizeIncrement,
    minSize,
    maxSize,
    minNotional,
    makerFee,
    takerFee,
  };
  if (input.quoteIncrement !== undefined) {
    base.quoteIncrement = dec("quoteIncrement", input.quoteIncrement, "positive");
  }
  if (input.maxNotional !== undefined) {
    const maxNotional = dec("maxNotional", input.maxNotional, "positive");
    if (maxNotional.lt(minNotional)) {
      throw new InstrumentError(
        "maxNotional",
        input.maxNotional,
        `must be >= minNotional ${minNotional.toString()}`,
      );
    }
    base.maxNotional = maxNotional;
  }
  return base;
}

function buildDerivative(input: DerivativeInput): DerivativeFields {
  const contractSize = dec("contractSize", input.contractSize, "positive");
  const initialMarginFraction = dec("initialMarginFraction", input.initialMarginFraction, "positive");
  if (initialMarginFraction.gt(1)) {
    throw new InstrumentError(
      "initialMarginFraction",
      input.initialMarginFraction,
      "must be a fraction in (0, 1]",
    );
  }
  const maintenanceMarginFraction = dec(
    "maintenanceMarginFraction",
    input.maintenanceMarginFraction,
    "positive",
  );
  if (maintenanceMarginFraction.gt(initialMarginFraction)) {
    throw new InstrumentError(
      "maintenanceMarginFraction",
      input.maintenanceMarginFraction,
      `must be <= initialMarginFraction ${initialMarginFraction.toString()}`,
    );
  }
  const maxLeverage = dec("maxLeverage", input.maxLeverage, "positive");
  if (maxLeverage.lt(1)) throw new InstrumentError("maxLeverage", input.maxLeverage, "must be >= 1");
  return { contractSize, initialMarginFraction, maintenanceMarginFraction, maxLeverage };
}

function expiryOf(value: UnixMillis): UnixMillis {
  try {
    return unixMillis(value, "expiry");
  } catch (cause) {
    throw new InstrumentError("expiry", value, "must be a non-negative integer of milliseconds", { cause });
  }
}

/**
 * Builds and validates a spot instrument. Checks: valid symbol/venue/currencies; increments,
 * minSize and maxSize positive; minSize <= maxSize; minNotional >= 0 and <= maxNotional;
 * makerFee in (-1, 1), takerFee in [0, 1).
 *
 * @throws InstrumentError naming the first field at fault.
 */
export function createSpotInstrument(input: SpotInstrumentInput): SpotInstrument {
  return { kind: "spot", ...buildBase(readInput(input, SPOT_FIELDS)) };
}

/**
 * Builds and validates a perpetual. Checks the spot rules plus: contractSize > 0,
 * 0 < maintenanceMarginFraction <= initialMarginFraction <= 1, maxLeverage >= 1,
 * fundingIntervalMs a positive integer, expiry (if given) a valid timestamp.
 *
 * @throws InstrumentError naming the first field at fault.
 */
export function createPerpetualInstrument(raw: PerpetualInstrumentInput): PerpetualInstrument {
  const input = readInput(raw, [...SPOT_FIELDS, ...DERIVATIVE_FIELDS]);
  const base = buildBase(input);
  const derivative = buildDerivative(input);
  if (!Number.isSafeInteger(input.fundingIntervalMs) || input.fundingIntervalMs <= 0) {
    throw new InstrumentError("fundingIntervalMs", input.fundingIntervalMs, "must be a positive integer");
  }
  const perp: PerpetualInstrument = {
    kind: "perpetual",
    ...base,
    ...derivative,
    fundingIntervalMs: input.fundingIntervalMs,
  };
  return input.expiry === undefined ? perp : { ...perp, expiry: expiryOf(input.expiry) };
}

/**
 * Builds and validates a dated future. Checks the spot rules plus: contractSize > 0,
 * 0 < maintenanceMarginFraction <= initialMarginFraction <= 1, maxLeverage >= 1, expiry a
 * valid timestamp.
 *
 * @throws InstrumentError naming the first field at fault.
 */
export function createFutureInstrument(raw: FutureInstrumentInput): FutureInstrument {
  const input = readInput(raw, [...SPOT_FIELDS, ...DERIVATIVE_FIELDS]);
  const base = buildBase(input);
  const derivative = buildDerivative(input);
  return { kind: "future", ...base, ...derivative, expiry: expiryOf(input.expiry) };
}

/** True for perpetuals and dated futures (the kinds with margin, leverage and reduce-only). */
export function isDerivative(instrument: Instrument): instrument is DerivativeInstrument {
  return instrument.kind !== "spot";
}

const ONE = D(1);

/** Base units per unit of size: `contractSize` for derivatives, 1 for spot. */
export function contractMultiplier(instrument: Instrument): Decimal {
  return instrument.kind === "spot" ? ONE : instrument.contractSize;
}
