/**
 * Internal: validation of the sizing inputs into exact, checked values (`ParsedContext`,
 * `ParsedMethod`), and the strict key check of the public entry points. Every problem is a
 * `SizingError` naming the field (or the unknown key) at fault.
 */
import type { Instrument, OrderSide } from "@gpt/core";
import { type Decimal, sizeToNotional } from "@gpt/quantize";
import { CONFIDENCE_RANGE, LINEAR_CONFIDENCE, type ParsedCurve, parseCurve } from "./confidence.js";
import { invalidInput, SizingError } from "./errors.js";
import type { SizingCaps, SizingContext, SizingMethod } from "./inputs.js";
import {
  DEFAULT_KELLY_MULTIPLIER,
  DEFAULT_MAX_KELLY_FRACTION,
  isWinRateEstimate,
  KELLY_MULTIPLIER_RANGE,
  POSITIVE,
  WIN_RATE_RANGE,
} from "./kelly.js";
import { decimalInput, finiteNumber, fromNumber, numberInRange, ONE, type Range } from "./numbers.js";

const FRACTION_RANGE: Range = { min: 0, minExclusive: true, max: 1 };
const NON_NEGATIVE: Range = { min: 0 };

/** `T` with `undefined` allowed in every property (internal callers build objects with absent values). */
type Loose<T> = { [K in keyof T]: T[K] | undefined };

/** A context whose optional values may be `undefined` (internal). */
export type LooseContext = Loose<Omit<SizingContext, "caps">> & {
  readonly caps?: Loose<SizingCaps> | undefined;
};

/** A method whose optional values may be `undefined` (internal). */
export type LooseMethod = SizingMethod extends infer M
  ? M extends SizingMethod
    ? Loose<Omit<M, "kind">> & { readonly kind: M["kind"] }
    : never
  : never;

/** The instrument fields sizing uses, validated (a hand-built instrument may be wrong). */
interface ParsedInstrument {
  readonly sizeIncrement: Decimal;
  readonly minSize: Decimal;
  readonly maxSize: Decimal;
  readonly minNotional: Decimal;
  readonly maxNotional: Decimal | undefined;
  readonly takerFee: Decimal;
  /** Base units per unit of size (1 for spot). */
  readonly contractSize: Decimal;
  /** Spot: 1 (no leverage). */
  readonly maxLeverage: Decimal;
  /** Spot: 1 (the whole notional is paid). */
  readonly initialMarginFraction: Decimal;
  readonly isDerivative: boolean;
}

/** The validated context: exact amounts, the parsed instrument, caps and modifiers. */
export interface ParsedContext {
  readonly equity: Decimal;
  readonly price: Decimal;
  /** `price × contractSize`: quote currency per unit of size. */
  readonly unitPrice: Decimal;
  readonly instrument: ParsedInstrument;
  readonly maxLeverage: Decimal | undefined;
  readonly maxNotional: Decimal | undefined;
  readonly availableMargin: Decimal | undefined;
  readonly confidence: number | undefined;
  readonly curve: ParsedCurve;
  readonly regimeMultiplier: Decimal | undefined;
}

/** The validated method with its parameters (defaults applied). */
export type ParsedMethod =
  | {
      readonly kind: "kelly";
      readonly estimate:
        | { readonly kind: "win-rate"; readonly winRate: number; readonly payoffRatio: number }
        | { readonly kind: "moments"; readonly expectedReturn: number; readonly variance: number };
      readonly kellyMultiplier: Decimal;
      readonly maxKellyFraction: Decimal;
    }
  | { readonly kind: "fixed-fraction"; readonly fraction: Decimal }
  | { readonly kind: "fixed-notional"; readonly notional: Decimal }
  | {
      readonly kind: "atr";
      readonly atr: number;
      readonly atrMultiple: number;
      readonly riskFraction: Decimal;
    }
  | { readonly kind: "realized-volatility"; readonly realizedVol: number; readonly targetVol: number }
  | {
      readonly kind: "fixed-risk";
      readonly stop: Decimal;
      readonly entry: Decimal;
      readonly riskFraction: Decimal;
      readonly feeRate: Decimal;
    };

function parseInstrument(instrument: Instrument | undefined): ParsedInstrument {
  if (typeof instrument !== "object" || instrument === null) {
    invalidInput("instrument", instrument, "must be an instrument object");
  }
  const sizeIncrement = decimalInput("instrument.sizeIncrement", instrument.sizeIncrement, "positive");
  const minSize = decimalInput("instrument.minSize", instrument.minSize, "non-negative");
  const maxSize = decimalInput("instrument.maxSize", instrument.maxSize, "positive");
  const minNotional = decimalInput("instrument.minNotional", instrument.minNotional, "non-negative");
  const maxNotional =
    instrument.maxNotional === undefined
      ? undefined
      : decimalInput("instrument.maxNotional", instrument.maxNotional, "positive");
  const takerFee = decimalInput("instrument.takerFee", instrument.takerFee, "non-negative");
  if (takerFee.gte(1))
    invalidInput("instrument.takerFee", instrument.takerFee, "must be a fraction in [0, 1)");
  switch (instrument.kind) {
    case "spot":
      return {
        sizeIncrement,
        minSize,
        maxSize,
        minNotional,
        maxNotional,
        takerFee,
        contractSize: ONE,
        maxLeverage: ONE,
        initialMarginFraction: ONE,
        isDerivative: false,
      };
    case "perpetual":
    case "future": {
      const initialMarginFraction = decimalInput(
        "instrument.initialMarginFraction",
        instrument.initialMarginFraction,
        "positive",
      );
      if (initialMarginFraction.gt(1)) {
        invalidInput(
          "instrument.initialMarginFraction",
          instrument.initialMarginFraction,
          "must be in (0, 1]",
        );
      }
      return {
        sizeIncrement,
        minSize,
        maxSize,
        minNotional,
        maxNotional,
        takerFee,
        contractSize: decimalInput("instrument.contractSize", instrument.contractSize, "positive"),
        maxLeverage: decimalInput("instrument.maxLeverage", instrument.maxLeverage, "positive"),
        initialMarginFraction,
        isDerivative: true,
      };
    }
    default: {
      const never: never = instrument;
      return invalidInput(
        "instrument.kind",
        (never as { kind?: unknown }).kind,
        "must be spot, perpetual or future",
      );
    }
  }
}

/** Validates the context fields. @throws SizingError `invalid-input` naming the field. */
export function parseContext(input: LooseContext): ParsedContext {
  if (typeof input !== "object" || input === null) invalidInput("input", input, "must be an object");
  const equity = decimalInput("equity", input.equity, "non-negative");
  const price = decimalInput("price", input.price, "positive");
  const instrument = parseInstrument(input.instrument);
  const caps = input.caps ?? {};
  const maxLeverage =
    caps.maxLeverage === undefined
      ? undefined
      : decimalInput("caps.maxLeverage", caps.maxLeverage, "positive");
  const maxNotional =
    caps.maxNotional === undefined
      ? undefined
      : decimalInput("caps.maxNotional", caps.maxNotional, "positive");
  const availableMargin =
    caps.availableMargin === undefined
      ? undefined
      : decimalInput("caps.availableMargin", caps.availableMargin, "any");
  const confidence =
    input.confidence === undefined
      ? undefined
      : numberInRange("confidence", input.confidence, CONFIDENCE_RANGE);
  const curve = parseCurve(input.confidenceCurve ?? LINEAR_CONFIDENCE, "confidenceCurve");
  const regimeMultiplier =
    input.regimeMultiplier === undefined
      ? undefined
      : fromNumber(numberInRange("regimeMultiplier", input.regimeMultiplier, NON_NEGATIVE));
  return {
    equity,
    price,
    unitPrice: instrument.contractSize.eq(ONE) ? price : sizeToNotional(price, instrument.contractSize),
    instrument,
    maxLeverage,
    maxNotional,
    availableMargin,
    confidence,
    curve,
    regimeMultiplier,
  };
}

/**
 * Validates a method; `prefix` goes before its field names in errors (`"method."` or `""`).
 * @throws SizingError `invalid-input` naming the field.
 */
export function parseMethod(method: LooseMethod, prefix: string, ctx: ParsedContext): ParsedMethod {
  if (typeof method !== "object" || method === null)
    invalidInput(prefix || "method", method, "must be an object");
  const f = (name: string): string => `${prefix}${name}`;
  switch (method.kind) {
    case "kelly": {
      const estimate = method.estimate;
      if (typeof estimate !== "object" || estimate === null) {
        invalidInput(
          f("estimate"),
          estimate,
          "must be { winRate, payoffRatio } or { expectedReturn, variance }",
        );
      }
      const kellyMultiplier = fromNumber(
        numberInRange(
          f("kellyMultiplier"),
          method.kellyMultiplier ?? DEFAULT_KELLY_MULTIPLIER,
          KELLY_MULTIPLIER_RANGE,
        ),
      );
      const maxKellyFraction = fromNumber(
        numberInRange(f("maxKellyFraction"), method.maxKellyFraction ?? DEFAULT_MAX_KELLY_FRACTION, POSITIVE),
      );
      if (isWinRateEstimate(estimate)) {
        return {
          kind: "kelly",
          estimate: {
            kind: "win-rate",
            winRate: numberInRange(f("estimate.winRate"), estimate.winRate, WIN_RATE_RANGE),
            payoffRatio: numberInRange(f("estimate.payoffRatio"), estimate.payoffRatio, POSITIVE),
          },
          kellyMultiplier,
          maxKellyFraction,
        };
      }
      return {
        kind: "kelly",
        estimate: {
          kind: "moments",
          expectedReturn: finiteNumber(f("estimate.expectedReturn"), estimate.expectedReturn),
          variance: numberInRange(f("estimate.variance"), estimate.variance, NON_NEGATIVE),
        },
        kellyMultiplier,
        maxKellyFraction,
      };
    }
    case "fixed-fraction":
      return {
        kind: "fixed-fraction",
        fraction: fromNumber(numberInRange(f("fraction"), method.fraction, POSITIVE)),
      };
    case "fixed-notional":
      return { kind: "fixed-notional", notional: decimalInput(f("notional"), method.notional, "positive") };
    case "atr":
      return {
        kind: "atr",
        atr: numberInRange(f("atr"), method.atr, NON_NEGATIVE),
        atrMultiple: numberInRange(f("atrMultiple"), method.atrMultiple ?? 1, POSITIVE),
        riskFraction: fromNumber(numberInRange(f("riskFraction"), method.riskFraction, FRACTION_RANGE)),
      };
    case "realized-volatility":
      return {
        kind: "realized-volatility",
        realizedVol: numberInRange(f("realizedVol"), method.realizedVol, NON_NEGATIVE),
        targetVol: numberInRange(f("targetVol"), method.targetVol, POSITIVE),
      };
    case "fixed-risk": {
      const stop = decimalInput(f("stop"), method.stop, "positive");
      const entry =
        method.entry === undefined ? ctx.price : decimalInput(f("entry"), method.entry, "positive");
      const feeRate =
        method.feeRate === undefined
          ? ctx.instrument.takerFee
          : decimalInput(f("feeRate"), method.feeRate, "non-negative");
      if (feeRate.gte(1)) invalidInput(f("feeRate"), method.feeRate, "must be a fraction in [0, 1)");
      if (method.side !== undefined) checkStopSide(f, method.side, stop, entry, method.stop);
      return {
        kind: "fixed-risk",
        stop,
        entry,
        riskFraction: fromNumber(numberInRange(f("riskFraction"), method.riskFraction, FRACTION_RANGE)),
        feeRate,
      };
    }
    default: {
      const never: never = method;
      return invalidInput(
        f("kind"),
        (never as { kind?: unknown }).kind,
        "must be kelly, fixed-fraction, fixed-notional, atr, realized-volatility or fixed-risk",
      );
    }
  }
}

function checkStopSide(
  f: (name: string) => string,
  side: OrderSide,
  stop: Decimal,
  entry: Decimal,
  raw: unknown,
): void {
  switch (side) {
    case "buy":
      if (stop.gt(entry))
        invalidInput(f("stop"), raw, `must be below the entry ${entry.toString()} for a buy`);
      return;
    case "sell":
      if (stop.lt(entry))
        invalidInput(f("stop"), raw, `must be above the entry ${entry.toString()} for a sell`);
      return;
    default: {
      const never: never = side;
      invalidInput(f("side"), never, 'must be "buy" or "sell"');
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Strict keys: an unknown key is a mistake (a typo, or a right key at the wrong level), never
// something to ignore.
// ---------------------------------------------------------------------------------------------

type MethodKind = SizingMethod["kind"];

const CONTEXT_KEYS: readonly string[] = [
  "equity",
  "price",
  "instrument",
  "caps",
  "confidence",
  "confidenceCurve",
  "regimeMultiplier",
];
const CAPS_KEYS: readonly string[] = ["maxLeverage", "maxNotional", "availableMargin"];
const CURVE_KEYS: readonly string[] = ["kind", "minConfidence", "exponent"];
const WIN_RATE_KEYS: readonly string[] = ["winRate", "payoffRatio"];
const MOMENTS_KEYS: readonly string[] = ["expectedReturn", "variance"];
const METHOD_KEYS: Readonly<Record<MethodKind, readonly string[]>> = {
  kelly: ["estimate", "kellyMultiplier", "maxKellyFraction"],
  "fixed-fraction": ["fraction"],
  "fixed-notional": ["notional"],
  atr: ["atr", "atrMultiple", "riskFraction"],
  "realized-volatility": ["realizedVol", "targetVol"],
  "fixed-risk": ["stop", "riskFraction", "entry", "side", "feeRate"],
};
const ALL_METHOD_KEYS = new Set(Object.values(METHOD_KEYS).flat());

/** The keys each `sizeBy*` function accepts: the context's plus its method's parameters. */
export const SIZE_BY_KEYS: Readonly<Record<MethodKind, readonly string[]>> = Object.fromEntries(
  Object.entries(METHOD_KEYS).map(([kind, keys]) => [kind, [...CONTEXT_KEYS, ...keys]]),
) as unknown as Record<MethodKind, readonly string[]>;

/** A key for a message: quoted, escaped, and cut to 40 characters (it is the caller's text). */
function quoteKey(key: string): string {
  return JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function where(key: string): string {
  if (CAPS_KEYS.includes(key)) return " (it belongs in caps)";
  if (CONTEXT_KEYS.includes(key)) return " (it belongs at the top level)";
  if (ALL_METHOD_KEYS.has(key)) return " (a method parameter)";
  return "";
}

function unknownKeys(object: unknown, allowed: readonly string[], path: string): void {
  if (!isRecord(object)) return;
  for (const key of Object.keys(object)) {
    if (allowed.includes(key)) continue;
    const at = path === "" ? "input" : path;
    throw new SizingError(
      "invalid-input",
      path === "" ? key : `${path}.${key}`,
      object[key],
      `${at}: unknown key ${quoteKey(key)}${where(key)}; allowed: ${allowed.join(", ")}`,
    );
  }
}

function nestedKeys(input: Readonly<Record<string, unknown>>, estimate: unknown, estimatePath: string): void {
  unknownKeys(input.caps, CAPS_KEYS, "caps");
  unknownKeys(input.confidenceCurve, CURVE_KEYS, "confidenceCurve");
  if (isRecord(estimate)) {
    unknownKeys(estimate, "winRate" in estimate ? WIN_RATE_KEYS : MOMENTS_KEYS, estimatePath);
  }
}

/**
 * Rejects unknown keys, naming the first one (and where it belongs when it is a known key at the
 * wrong level). `shape` is `"sizePosition"` (context + `method`) or a `sizeBy*` key list.
 *
 * @throws SizingError `invalid-input` whose `field` is the unknown key's path.
 */
export function checkKeys(input: unknown, shape: "sizePosition" | readonly string[]): void {
  if (!isRecord(input)) invalidInput("input", input, "must be an object");
  if (shape !== "sizePosition") {
    unknownKeys(input, shape, "");
    nestedKeys(input, input.estimate, "estimate");
    return;
  }
  unknownKeys(input, [...CONTEXT_KEYS, "method"], "");
  const method = input.method;
  if (isRecord(method) && typeof method.kind === "string" && Object.hasOwn(METHOD_KEYS, method.kind)) {
    unknownKeys(method, ["kind", ...METHOD_KEYS[method.kind as MethodKind]], "method");
  }
  nestedKeys(input, isRecord(method) ? method.estimate : undefined, "method.estimate");
}
