import { InvalidIdError } from "./errors.js";

/**
 * A nominal ("branded") type: `Brand<string, "ClientOrderId">` is a string at runtime that the
 * compiler keeps apart from other strings. Build values only through the validating constructors.
 *
 * The brand is a string-keyed phantom property (never present at runtime), not a `unique symbol`:
 * two installed copies of `@gpt/core` (npm nests one when versions differ) then declare the same
 * brand, so an `InstrumentId` or an `Instrument` from one copy is assignable to the other's.
 */
export type Brand<T, B extends string> = T & { readonly __gptBrand: B };

/** A venue code, upper-case letters, digits and `_` (e.g. `"COINBASE"`, `"SIM"`). */
export type Venue = Brand<string, "Venue">;
/** An instrument id, `SYMBOL.VENUE` (e.g. `"BTC-USD.COINBASE"`, `"BIP-20DEC30-CDE.COINBASE"`). */
export type InstrumentId = Brand<string, "InstrumentId">;
/** Our id for an order, generated before the first send and re-sent on retries (idempotency key). */
export type ClientOrderId = Brand<string, "ClientOrderId">;
/** The venue's id for an order (known once the venue acknowledges it). */
export type VenueOrderId = Brand<string, "VenueOrderId">;
/** The venue's id for one execution (fill); unique per venue and instrument. */
export type TradeId = Brand<string, "TradeId">;
/** The id of a (netting) position. */
export type PositionId = Brand<string, "PositionId">;
/** The id of the strategy that owns an order. */
export type StrategyId = Brand<string, "StrategyId">;
/** The id of a trading account (portfolio) at a venue. */
export type AccountId = Brand<string, "AccountId">;
/** The id of one domain event; unique within an event log. */
export type EventId = Brand<string, "EventId">;

/** Longest identifier accepted (Coinbase warns above 128 characters for `client_order_id`). */
export const MAX_ID_LENGTH = 128;

const VENUE_PATTERN = /^[A-Z0-9_]{1,32}$/;
/** Printable ASCII without spaces. */
const ID_PATTERN = /^[\x21-\x7e]+$/;

/**
 * Why a value is not a valid identifier (1–128 printable ASCII characters, no whitespace), or
 * `undefined` when it is one. Internal: the validators report it as an issue, the constructors throw.
 */
export function idProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return "must be a string";
  if (value.length === 0) return "must not be empty";
  if (value.length > MAX_ID_LENGTH) return `must be at most ${MAX_ID_LENGTH} characters`;
  if (!ID_PATTERN.test(value)) return "must be printable ASCII without whitespace";
  return undefined;
}

/** Why a value is not a valid `InstrumentId` (`SYMBOL.VENUE`), or `undefined`. Internal. */
export function instrumentIdProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return "must be a string";
  if (VALID_INSTRUMENT_IDS.has(value)) return undefined;
  const dot = value.lastIndexOf(".");
  if (dot <= 0 || dot === value.length - 1) return "must look like SYMBOL.VENUE";
  if (value.length > MAX_ID_LENGTH) return `must be at most ${MAX_ID_LENGTH} characters`;
  if (idProblem(value.slice(0, dot)) !== undefined || !VENUE_PATTERN.test(value.slice(dot + 1))) {
    return "must look like SYMBOL.VENUE";
  }
  if (VALID_INSTRUMENT_IDS.size < 4096) VALID_INSTRUMENT_IDS.add(value);
  return undefined;
}

/** Instrument ids already found valid: a process trades a handful, and every order names one. */
const VALID_INSTRUMENT_IDS = new Set<string>();

function checkId(field: string, value: unknown): string {
  const why = idProblem(value);
  if (why !== undefined) throw new InvalidIdError(field, value, why);
  return value as string;
}

/**
 * Validates a venue code: 1–32 characters of `A-Z`, `0-9`, `_`.
 * @throws InvalidIdError otherwise.
 */
export function venue(value: string): Venue {
  if (typeof value !== "string" || !VENUE_PATTERN.test(value)) {
    throw new InvalidIdError("venue", value, "must be 1-32 characters of A-Z, 0-9 or _");
  }
  return value as Venue;
}

/**
 * Builds `SYMBOL.VENUE` from a venue symbol (printable ASCII, no whitespace; dots are allowed in
 * the symbol because the venue is split off at the last dot) and a venue code.
 *
 * @example instrumentId("BTC-USD", "COINBASE") // "BTC-USD.COINBASE"
 * @throws InvalidIdError naming `symbol` or `venue`.
 */
export function instrumentId(symbol: string, venueCode: string): InstrumentId {
  checkId("symbol", symbol);
  venue(venueCode);
  const id = `${symbol}.${venueCode}`;
  if (id.length > MAX_ID_LENGTH) {
    throw new InvalidIdError("instrumentId", id, `must be at most ${MAX_ID_LENGTH} characters`);
  }
  return id as InstrumentId;
}

/**
 * Parses and validates an `InstrumentId` string, splitting at the last dot.
 *
 * @example parseInstrumentId("BTC-USD.COINBASE") // { id, symbol: "BTC-USD", venue: "COINBASE" }
 * @throws InvalidIdError if there is no dot, or the symbol or venue part is invalid.
 */
export function parseInstrumentId(value: string): { id: InstrumentId; symbol: string; venue: Venue } {
  if (typeof value !== "string") throw new InvalidIdError("instrumentId", value, "must be a string");
  const dot = value.lastIndexOf(".");
  if (dot <= 0 || dot === value.length - 1) {
    throw new InvalidIdError("instrumentId", value, "must look like SYMBOL.VENUE");
  }
  const symbol = value.slice(0, dot);
  const venueCode = value.slice(dot + 1);
  try {
    return { id: instrumentId(symbol, venueCode), symbol, venue: venueCode as Venue };
  } catch (cause) {
    throw new InvalidIdError("instrumentId", value, "must look like SYMBOL.VENUE", { cause });
  }
}

/** The symbol part of an instrument id (`"BTC-USD"` for `"BTC-USD.COINBASE"`). */
export function symbolOf(id: InstrumentId): string {
  if (typeof id !== "string") throw new InvalidIdError("instrumentId", id, "must be a string");
  return id.slice(0, id.lastIndexOf("."));
}

/** The venue part of an instrument id (`"COINBASE"` for `"BTC-USD.COINBASE"`). */
export function venueOf(id: InstrumentId): Venue {
  if (typeof id !== "string") throw new InvalidIdError("instrumentId", id, "must be a string");
  return id.slice(id.lastIndexOf(".") + 1) as Venue;
}

/**
 * Validates a client order id: 1–128 printable ASCII characters, no whitespace.
 * @throws InvalidIdError otherwise.
 */
export function clientOrderId(value: string): ClientOrderId {
  return checkId("clientOrderId", value) as ClientOrderId;
}

/** Validates a venue order id (1–128 printable ASCII characters). @throws InvalidIdError */
export function venueOrderId(value: string): VenueOrderId {
  return checkId("venueOrderId", value) as VenueOrderId;
}

/** Validates a trade (execution) id (1–128 printable ASCII characters). @throws InvalidIdError */
export function tradeId(value: string): TradeId {
  return checkId("tradeId", value) as TradeId;
}

/** Validates a position id (1–128 printable ASCII characters). @throws InvalidIdError */
export function positionId(value: string): PositionId {
  return checkId("positionId", value) as PositionId;
}

/** Validates a strategy id (1–128 printable ASCII characters). @throws InvalidIdError */
export function strategyId(value: string): StrategyId {
  return checkId("strategyId", value) as StrategyId;
}

/** Validates an account id (1–128 printable ASCII characters). @throws InvalidIdError */
export function accountId(value: string): AccountId {
  return checkId("accountId", value) as AccountId;
}

/** Validates an event id (1–128 printable ASCII characters). @throws InvalidIdError */
export function eventId(value: string): EventId {
  return checkId("eventId", value) as EventId;
}

/**
 * A deterministic sequence of ids: `prefix-1`, `prefix-2`, … Two generators with the same prefix
 * produce the same sequence, so a backtest's event log and order ids are reproducible.
 */
export interface IdSequence<T extends string> {
  /** Returns the next id and advances the counter. */
  next(): T;
  /** How many ids were handed out so far. */
  readonly count: number;
}

function sequence<T extends string>(field: string, prefix: string, start: number, make: (s: string) => T) {
  checkId(field, prefix);
  if (!Number.isSafeInteger(start) || start < 0) {
    throw new InvalidIdError(field, start, "start must be a non-negative safe integer");
  }
  let counter = start;
  const seq: IdSequence<T> = {
    next(): T {
      counter += 1;
      return make(`${prefix}-${counter}`);
    },
    get count() {
      return counter - start;
    },
  };
  return seq;
}

/**
 * Deterministic event ids (`evt-1`, `evt-2`, …). Give each producer its own prefix (e.g. `"sim"`,
 * `"cb"`) so ids from different sources never collide. `start` continues a sequence after a
 * restart (the next id is `prefix-(start+1)`).
 */
export function createEventIdGenerator(prefix = "evt", start = 0): IdSequence<EventId> {
  return sequence("eventId", prefix, start, (s) => s as EventId);
}

/**
 * Deterministic client order ids (`prefix-1`, …). In live trading, use a prefix that is unique
 * per run (e.g. derived from the start time and a seeded RNG) because the venue deduplicates
 * on this id across runs.
 */
export function createClientOrderIdGenerator(prefix: string, start = 0): IdSequence<ClientOrderId> {
  return sequence("clientOrderId", prefix, start, (s) => s as ClientOrderId);
}
