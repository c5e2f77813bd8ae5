import type { Instrument, OrderSide } from "@gpt/core";
import { D, type Decimal, notionalToSize, sizeToNotional } from "@gpt/quantize";
import {
  CONFIDENCE_RANGE,
  curveMultiplier,
  LINEAR_CONFIDENCE,
  type ParsedCurve,
  parseCurve,
} from "./confidence.js";
import { invalidInput } from "./errors.js";
import type {
  AtrSizingInput,
  FixedFractionSizingInput,
  FixedNotionalSizingInput,
  FixedRiskSizingInput,
  KellySizingInput,
  RealizedVolatilitySizingInput,
  SizePositionInput,
  SizingCaps,
  SizingContext,
  SizingMethod,
} from "./inputs.js";
import {
  applyKellyFraction,
  DEFAULT_KELLY_MULTIPLIER,
  DEFAULT_MAX_KELLY_FRACTION,
  isWinRateEstimate,
  KELLY_MULTIPLIER_RANGE,
  momentsKelly,
  POSITIVE,
  WIN_RATE_RANGE,
  winRateKelly,
} from "./kelly.js";
import {
  decimalInput,
  divDown,
  finiteNumber,
  fromNumber,
  minDecimal,
  mulExact,
  numberInRange,
  ONE,
  type Range,
  ZERO,
} from "./numbers.js";
import type { CapName, SizingResult, SizingStep, SkipReason } from "./result.js";

const FRACTION_RANGE: Range = { min: 0, minExclusive: true, max: 1 };
const NON_NEGATIVE: Range = { min: 0 };

/** `T` with `undefined` allowed in every property (internal callers build objects with absent values). */
export type Loose<T> = { [K in keyof T]: T[K] | undefined };

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

interface ParsedContext {
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

type ParsedMethod =
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

function parseContext(input: LooseContext): ParsedContext {
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

function parseMethod(method: LooseMethod, prefix: string, ctx: ParsedContext): ParsedMethod {
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

/** A target notional, or a skip. */
type Target = { readonly kind: "target"; readonly notional: Decimal } | SizingResult;

function skip(reason: SkipReason, message: string, steps: SizingStep[]): SizingResult {
  return { kind: "skip", reason, message, steps };
}

function baseTarget(method: ParsedMethod, ctx: ParsedContext, steps: SizingStep[]): Target {
  switch (method.kind) {
    case "kelly": {
      const e = method.estimate;
      let full: Decimal;
      let described: string;
      if (e.kind === "win-rate") {
        full = winRateKelly(e.winRate, e.payoffRatio);
        described = `winRate ${e.winRate}, payoffRatio ${e.payoffRatio}`;
      } else {
        described = `expectedReturn ${e.expectedReturn}, variance ${e.variance}`;
        if (e.expectedReturn <= 0) {
          return skip(
            "no-edge",
            `no edge: expected return ${e.expectedReturn} is not positive (${described})`,
            steps,
          );
        }
        if (e.variance === 0) {
          return skip(
            "zero-volatility",
            `the variance is zero, so the Kelly fraction μ/σ² is undefined (${described})`,
            steps,
          );
        }
        full = momentsKelly(e.expectedReturn, e.variance);
      }
      const kelly = applyKellyFraction(full, method.kellyMultiplier, method.maxKellyFraction);
      switch (kelly.kind) {
        case "no-edge":
          return skip(
            "no-edge",
            `no edge: the Kelly fraction ${kelly.fullKelly.toString()} is not positive (${described})`,
            steps,
          );
        case "edge":
          steps.push({
            stage: "kelly",
            estimate: e.kind,
            fullKelly: kelly.fullKelly,
            kellyMultiplier: kelly.kellyMultiplier,
            fraction: kelly.fraction,
            clamped: kelly.clamped,
          });
          return { kind: "target", notional: ctx.equity.times(kelly.fraction) };
        default: {
          const never: never = kelly;
          return never;
        }
      }
    }
    case "fixed-fraction":
      return { kind: "target", notional: ctx.equity.times(method.fraction) };
    case "fixed-notional":
      return { kind: "target", notional: method.notional };
    case "atr": {
      if (method.atr === 0)
        return skip("zero-volatility", "the ATR is zero, so the size per unit of risk is unbounded", steps);
      const distance = fromNumber(method.atr).times(fromNumber(method.atrMultiple));
      const riskAmount = ctx.equity.times(method.riskFraction);
      const baseQuantity = riskAmount.div(distance);
      steps.push({
        stage: "risk",
        basis: "atr",
        riskAmount,
        distance,
        feePerUnit: ZERO,
        riskPerUnit: distance,
        baseQuantity,
      });
      return { kind: "target", notional: mulExact(baseQuantity, ctx.price) };
    }
    case "realized-volatility": {
      if (method.realizedVol === 0) {
        return skip(
          "zero-volatility",
          "the realized volatility is zero, so the volatility-target leverage is unbounded",
          steps,
        );
      }
      const leverage = fromNumber(method.targetVol).div(fromNumber(method.realizedVol));
      steps.push({
        stage: "volatility",
        realizedVol: method.realizedVol,
        targetVol: method.targetVol,
        leverage,
      });
      return { kind: "target", notional: ctx.equity.times(leverage) };
    }
    case "fixed-risk": {
      const distance = method.entry.minus(method.stop).abs();
      if (distance.isZero()) {
        return skip(
          "stop-at-entry",
          `the stop ${method.stop.toString()} is at the entry ${method.entry.toString()}`,
          steps,
        );
      }
      const feePerUnit = method.feeRate.isZero()
        ? ZERO
        : method.feeRate.times(method.entry.plus(method.stop));
      const riskPerUnit = distance.plus(feePerUnit);
      const riskAmount = ctx.equity.times(method.riskFraction);
      const baseQuantity = riskAmount.div(riskPerUnit);
      steps.push({
        stage: "risk",
        basis: "stop",
        riskAmount,
        distance,
        feePerUnit,
        riskPerUnit,
        baseQuantity,
      });
      return { kind: "target", notional: mulExact(baseQuantity, ctx.price) };
    }
    default: {
      const never: never = method;
      return never;
    }
  }
}

/** Applies one cap: records a step and returns the limit when it binds, else the notional unchanged. */
function applyCap(cap: CapName, limit: Decimal, notional: Decimal, steps: SizingStep[]): Decimal {
  if (notional.lte(limit)) return notional;
  steps.push({ stage: "cap", cap, limit, before: notional, after: limit });
  return limit;
}

/** An amount for a message: plain, except vanishing values (a tiny multiplier) in exponent form. */
function fmt(x: Decimal): string {
  return !x.isZero() && x.abs().lt(TINY) ? x.toExponential(6) : x.toString();
}
const TINY = new D("1e-12");

/** The whole pipeline over validated inputs. */
function run(ctx: ParsedContext, method: ParsedMethod): SizingResult {
  const steps: SizingStep[] = [];
  if (ctx.equity.isZero()) return skip("zero-equity", "equity is zero", steps);

  const target = baseTarget(method, ctx, steps);
  if (target.kind !== "target") return target;
  let notional = target.notional;
  steps.push({ stage: "target", method: method.kind, notional });

  if (ctx.confidence !== undefined) {
    const multiplier = curveMultiplier(ctx.confidence, ctx.curve);
    const after = multiplier.eq(ONE) ? notional : notional.times(multiplier);
    steps.push({
      stage: "confidence",
      confidence: ctx.confidence,
      curve: ctx.curve.kind,
      multiplier,
      before: notional,
      after,
    });
    if (multiplier.isZero()) {
      const dead = ctx.curve.minConfidence > 0 ? ` (dead zone: at or below ${ctx.curve.minConfidence})` : "";
      return skip(
        "zero-confidence",
        `confidence ${ctx.confidence} gives a size multiplier of 0${dead}`,
        steps,
      );
    }
    notional = after;
  }

  if (ctx.regimeMultiplier !== undefined) {
    const multiplier = ctx.regimeMultiplier;
    const after = notional.times(multiplier);
    steps.push({ stage: "regime", multiplier, before: notional, after });
    if (multiplier.isZero()) return skip("regime-blocked", "the regime multiplier is 0", steps);
    notional = after;
  }

  const inst = ctx.instrument;
  if (ctx.maxNotional !== undefined) notional = applyCap("maxNotional", ctx.maxNotional, notional, steps);
  if (ctx.maxLeverage !== undefined) {
    notional = applyCap("maxLeverage", mulExact(ctx.equity, ctx.maxLeverage), notional, steps);
  }
  notional = applyCap("instrumentMaxLeverage", mulExact(ctx.equity, inst.maxLeverage), notional, steps);
  if (ctx.availableMargin !== undefined) {
    const available = ctx.availableMargin;
    if (available.lte(0)) {
      return skip("no-margin", `no available margin (${fmt(available)})`, steps);
    }
    let limit = inst.initialMarginFraction.eq(ONE)
      ? available
      : divDown(available, inst.initialMarginFraction);
    if (inst.isDerivative && ctx.maxLeverage !== undefined) {
      limit = minDecimal(limit, mulExact(available, ctx.maxLeverage));
    }
    notional = applyCap("availableMargin", limit, notional, steps);
  }
  if (inst.maxNotional !== undefined)
    notional = applyCap("instrumentMaxNotional", inst.maxNotional, notional, steps);
  notional = applyCap("instrumentMaxSize", mulExact(inst.maxSize, ctx.unitPrice), notional, steps);

  // Quantity: rounded down onto the size step, exactly (so quantity × unit price ≤ the capped notional).
  const before = divDown(notional, ctx.unitPrice);
  // Below one step the quantity is 0 (checked first: a vanishing multiplier can leave a notional
  // far below the magnitudes @gpt/quantize accepts).
  const quantity = notional.lt(mulExact(inst.sizeIncrement, ctx.unitPrice))
    ? ZERO
    : notionalToSize(notional, ctx.unitPrice, inst.sizeIncrement);
  steps.push({ stage: "quantize", increment: inst.sizeIncrement, before, after: quantity });
  const finalNotional = quantity.isZero() ? ZERO : sizeToNotional(quantity, ctx.unitPrice);

  if (quantity.isZero() || quantity.lt(inst.minSize)) {
    return skip(
      "below-minimum",
      `quantity ${fmt(quantity)} (from notional ${fmt(notional)} at unit price ${fmt(ctx.unitPrice)}, ` +
        `step ${fmt(inst.sizeIncrement)}) is below the minimum size ${fmt(inst.minSize)}`,
      steps,
    );
  }
  if (finalNotional.lt(inst.minNotional)) {
    return skip(
      "below-minimum",
      `notional ${fmt(finalNotional)} of quantity ${fmt(quantity)} is below the minimum notional ${fmt(inst.minNotional)}`,
      steps,
    );
  }
  return { kind: "sized", quantity, notional: finalNotional, margin: marginOf(finalNotional, ctx), steps };
}

function marginOf(notional: Decimal, ctx: ParsedContext): Decimal {
  const inst = ctx.instrument;
  if (!inst.isDerivative) return notional;
  const byFraction = mulExact(notional, inst.initialMarginFraction);
  if (ctx.maxLeverage === undefined) return byFraction;
  const byLeverage = new D(notional).div(ctx.maxLeverage);
  return byLeverage.gt(byFraction) ? byLeverage : byFraction;
}

/**
 * Validates everything, then runs the pipeline (internal; `prefix` goes before method field names
 * in errors, e.g. `"method."`).
 */
export function sizeWith(input: LooseContext, method: LooseMethod, prefix: string): SizingResult {
  const ctx = parseContext(input);
  return run(ctx, parseMethod(method, prefix, ctx));
}

/**
 * Sizes a position: the method's base notional × the confidence multiplier × the regime multiplier,
 * then the caps (max notional, max leverage, the instrument's leverage, available margin, the
 * instrument's max notional and max size), then the quantity `notional / (price × contractSize)`
 * rounded down to the instrument's size step, then the minimum checks.
 *
 * Returns `sized` (quantity, notional, margin and the steps that shaped them) or `skip` (the reason,
 * a message with the numbers, and the steps so far). Every input is validated before anything is
 * computed, so a malformed input always throws, even when another input would have skipped.
 *
 * @throws SizingError `invalid-input` naming the field and value (NaN, negative equity, a
 *   confidence outside [0, 1], a stop on the wrong side, …).
 * @example
 * sizePosition({
 *   equity: "10000", price: "50000", instrument: btcUsd,
 *   method: { kind: "kelly", estimate: { winRate: 0.55, payoffRatio: 1.5 }, kellyMultiplier: 0.5 },
 *   confidence: 0.8, caps: { maxNotional: "5000" },
 * }) // sized: 0.02 BTC (10000 × 0.125 × 0.8 = 1000 USD)
 */
export function sizePosition(input: SizePositionInput): SizingResult {
  if (typeof input !== "object" || input === null) invalidInput("input", input, "must be an object");
  return sizeWith(input, input.method, "method.");
}

/**
 * Fractional Kelly sizing: notional = equity × min(fullKelly × kellyMultiplier, maxKellyFraction),
 * then the common pipeline (see `sizePosition`). A Kelly fraction ≤ 0 skips with `no-edge`.
 *
 * @throws SizingError `invalid-input` for malformed inputs (field names without a `method.` prefix).
 */
export function sizeByKelly(input: KellySizingInput): SizingResult {
  return sizeWith(input, { ...input, kind: "kelly" }, "");
}

/**
 * Fixed-fraction sizing: notional = equity × fraction, then the common pipeline.
 *
 * @throws SizingError `invalid-input` for malformed inputs.
 */
export function sizeByFixedFraction(input: FixedFractionSizingInput): SizingResult {
  return sizeWith(input, { ...input, kind: "fixed-fraction" }, "");
}

/**
 * Fixed-notional sizing: a set quote amount, then the common pipeline (so confidence scales it and
 * the caps bound it: this is also the plain "confidence-scaled base size").
 *
 * @throws SizingError `invalid-input` for malformed inputs.
 */
export function sizeByFixedNotional(input: FixedNotionalSizingInput): SizingResult {
  return sizeWith(input, { ...input, kind: "fixed-notional" }, "");
}

/**
 * ATR volatility-target sizing: base quantity = equity × riskFraction / (atr × atrMultiple), so a
 * move of `atrMultiple` ATRs against the position costs `riskFraction` of equity; then the common
 * pipeline. A zero ATR skips with `zero-volatility`.
 *
 * @throws SizingError `invalid-input` for malformed inputs.
 */
export function sizeByAtr(input: AtrSizingInput): SizingResult {
  return sizeWith(input, { ...input, kind: "atr" }, "");
}

/**
 * Realized-volatility target sizing: notional = equity × targetVol / realizedVol, so the position's
 * volatility is the target; then the common pipeline. A zero volatility skips with `zero-volatility`.
 *
 * @throws SizingError `invalid-input` for malformed inputs.
 */
export function sizeByRealizedVolatility(input: RealizedVolatilitySizingInput): SizingResult {
  return sizeWith(input, { ...input, kind: "realized-volatility" }, "");
}

/**
 * Fixed-risk sizing: base quantity = equity × riskFraction / (|entry − stop| + feeRate × (entry + stop)),
 * so that hitting the stop, with the entry and exit fees, loses `riskFraction` of equity; then the
 * common pipeline. A stop at the entry skips with `stop-at-entry`.
 *
 * @throws SizingError `invalid-input` for malformed inputs or a stop on the wrong side for `side`.
 */
export function sizeByFixedRisk(input: FixedRiskSizingInput): SizingResult {
  return sizeWith(input, { ...input, kind: "fixed-risk" }, "");
}
