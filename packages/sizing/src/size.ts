import { D, type Decimal, notionalToSize, sizeToNotional } from "@gpt/quantize";
import { curveMultiplier } from "./confidence.js";
import type {
  AtrSizingInput,
  FixedFractionSizingInput,
  FixedNotionalSizingInput,
  FixedRiskSizingInput,
  KellySizingInput,
  RealizedVolatilitySizingInput,
  SizePositionInput,
} from "./inputs.js";
import { applyKellyFraction, momentsKelly, winRateKelly } from "./kelly.js";
import { divDown, fromNumber, minDecimal, mulExact, ONE, ZERO } from "./numbers.js";
import {
  checkKeys,
  type LooseContext,
  type LooseMethod,
  type ParsedContext,
  type ParsedMethod,
  parseContext,
  parseMethod,
  SIZE_BY_KEYS,
} from "./parse.js";
import type { CapName, SizingResult, SizingStep, SkipReason } from "./result.js";
import { readInput } from "./snapshot.js";

export type { LooseContext, LooseMethod } from "./parse.js";

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
 * computed, so a malformed input always throws, even when another input would have skipped. Keys
 * are strict: an unknown key (at the top level, in `caps`, `method`, `method.estimate` or
 * `confidenceCurve`) is an error naming it, so `availableMargin` at the top level instead of in
 * `caps` cannot silently do nothing.
 *
 * @throws SizingError `invalid-input` naming the field and value (NaN, negative equity, a
 *   confidence outside [0, 1], a stop on the wrong side, an unknown key, …).
 * @example
 * sizePosition({
 *   equity: "10000", price: "50000", instrument: btcUsd,
 *   method: { kind: "kelly", estimate: { winRate: 0.55, payoffRatio: 1.5 }, kellyMultiplier: 0.5 },
 *   confidence: 0.8, caps: { maxNotional: "5000" },
 * }) // sized: 0.02 BTC (10000 × 0.125 × 0.8 = 1000 USD)
 */
export function sizePosition(raw: SizePositionInput): SizingResult {
  const input = readInput(raw);
  checkKeys(input, "sizePosition");
  return sizeWith(input, input.method, "method.");
}

/**
 * Fractional Kelly sizing: notional = equity × min(fullKelly × kellyMultiplier, maxKellyFraction),
 * then the common pipeline (see `sizePosition`). A Kelly fraction ≤ 0 skips with `no-edge`.
 *
 * @throws SizingError `invalid-input` for malformed inputs (field names without a `method.` prefix).
 */
export function sizeByKelly(raw: KellySizingInput): SizingResult {
  const input = readInput(raw);
  checkKeys(input, SIZE_BY_KEYS.kelly);
  return sizeWith(input, { ...input, kind: "kelly" }, "");
}

/**
 * Fixed-fraction sizing: notional = equity × fraction, then the common pipeline.
 *
 * @throws SizingError `invalid-input` for malformed inputs.
 */
export function sizeByFixedFraction(raw: FixedFractionSizingInput): SizingResult {
  const input = readInput(raw);
  checkKeys(input, SIZE_BY_KEYS["fixed-fraction"]);
  return sizeWith(input, { ...input, kind: "fixed-fraction" }, "");
}

/**
 * Fixed-notional sizing: a set quote amount, then the common pipeline (so confidence scales it and
 * the caps bound it: this is also the plain "confidence-scaled base size").
 *
 * @throws SizingError `invalid-input` for malformed inputs.
 */
export function sizeByFixedNotional(raw: FixedNotionalSizingInput): SizingResult {
  const input = readInput(raw);
  checkKeys(input, SIZE_BY_KEYS["fixed-notional"]);
  return sizeWith(input, { ...input, kind: "fixed-notional" }, "");
}

/**
 * ATR volatility-target sizing: base quantity = equity × riskFraction / (atr × atrMultiple), so a
 * move of `atrMultiple` ATRs against the position costs `riskFraction` of equity; then the common
 * pipeline. A zero ATR skips with `zero-volatility`.
 *
 * @throws SizingError `invalid-input` for malformed inputs.
 */
export function sizeByAtr(raw: AtrSizingInput): SizingResult {
  const input = readInput(raw);
  checkKeys(input, SIZE_BY_KEYS.atr);
  return sizeWith(input, { ...input, kind: "atr" }, "");
}

/**
 * Realized-volatility target sizing: notional = equity × targetVol / realizedVol, so the position's
 * volatility is the target; then the common pipeline. A zero volatility skips with `zero-volatility`.
 *
 * @throws SizingError `invalid-input` for malformed inputs.
 */
export function sizeByRealizedVolatility(raw: RealizedVolatilitySizingInput): SizingResult {
  const input = readInput(raw);
  checkKeys(input, SIZE_BY_KEYS["realized-volatility"]);
  return sizeWith(input, { ...input, kind: "realized-volatility" }, "");
}

/**
 * Fixed-risk sizing: base quantity = equity × riskFraction / (|entry − stop| + feeRate × (entry + stop)),
 * so that hitting the stop, with the entry and exit fees, loses `riskFraction` of equity; then the
 * common pipeline. A stop at the entry skips with `stop-at-entry`.
 *
 * @throws SizingError `invalid-input` for malformed inputs or a stop on the wrong side for `side`.
 */
export function sizeByFixedRisk(raw: FixedRiskSizingInput): SizingResult {
  const input = readInput(raw);
  checkKeys(input, SIZE_BY_KEYS["fixed-risk"]);
  return sizeWith(input, { ...input, kind: "fixed-risk" }, "");
}
