import type { Instrument, OrderSide } from "@gpt/core";
import { describeValue } from "@gpt/core";
import { type Decimal, parseDecimal, QuantizeError } from "@gpt/quantize";
import { Decimal as DecimalJs } from "decimal.js";
import { z } from "zod";
import { SizingError, type SizingIssue } from "./errors.js";
import { DEFAULT_KELLY_MULTIPLIER, DEFAULT_MAX_KELLY_FRACTION } from "./kelly.js";
import type { MoneyInput, NumericInput } from "./numbers.js";
import type { SizingResult } from "./result.js";
import { type LooseMethod, sizeWith } from "./size.js";

/** A positive money amount in a config: a decimal string, a finite number, or a Decimal; parsed to a Decimal. */
const positiveAmount = z
  .union([
    z.string(),
    z.number(),
    z.custom<Decimal>((value) => DecimalJs.isDecimal(value), "expected a Decimal"),
  ])
  .transform((value, ctx): Decimal => {
    try {
      return parseDecimal(value, { allowNegative: false, allowZero: false });
    } catch (cause) {
      if (!(cause instanceof QuantizeError)) throw cause;
      ctx.addIssue({ code: "custom", message: "must be a decimal greater than zero", input: value });
      return z.NEVER;
    }
  });

const unitFraction = z.number().gt(0).lte(1);
const dead = z.number().gte(0).lt(1).exactOptional();

/** The configured method: which formula, and its fixed parameters (observations come per call). */
const methodSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("kelly"),
    /** Which estimate the caller will pass: win rate + payoff ratio, or expected return + variance. */
    estimate: z.enum(["win-rate", "moments"]),
    kellyMultiplier: unitFraction.default(DEFAULT_KELLY_MULTIPLIER),
    maxKellyFraction: z.number().gt(0).default(DEFAULT_MAX_KELLY_FRACTION),
  }),
  z.strictObject({ kind: z.literal("fixed-fraction"), fraction: z.number().gt(0) }),
  z.strictObject({ kind: z.literal("fixed-notional"), notional: positiveAmount }),
  z.strictObject({
    kind: z.literal("atr"),
    riskFraction: unitFraction,
    atrMultiple: z.number().gt(0).default(1),
  }),
  z.strictObject({ kind: z.literal("realized-volatility"), targetVol: z.number().gt(0) }),
  z.strictObject({
    kind: z.literal("fixed-risk"),
    riskFraction: unitFraction,
    feeRate: z.number().gte(0).lt(1).optional(),
  }),
]);

const curveSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("linear"), minConfidence: dead }),
  z.strictObject({ kind: z.literal("power"), exponent: z.number().gt(0).lte(16), minConfidence: dead }),
  z.strictObject({ kind: z.literal("smoothstep"), minConfidence: dead }),
]);

const capsSchema = z.strictObject({
  maxLeverage: z.number().gt(0).optional(),
  maxNotional: positiveAmount.optional(),
});

/**
 * The zod schema of a sizing configuration: the method and its fixed parameters, the confidence
 * curve, and the static caps. Unknown keys are rejected (a typo is an error, not a silent default).
 *
 * Defaults: `kellyMultiplier` 0.25, `maxKellyFraction` 1, `atrMultiple` 1, `confidenceCurve`
 * linear, `caps` none. Money (`notional`, `maxNotional`) may be a decimal string, a number or a
 * Decimal and comes out as a Decimal. Prefer `parseSizingConfig`, which turns schema failures
 * into a `SizingError`.
 */
export const SizingConfigSchema = z.strictObject({
  method: methodSchema,
  confidenceCurve: curveSchema.default({ kind: "linear" }),
  caps: capsSchema.default({}),
});

/** A validated sizing configuration (the output of `SizingConfigSchema`). */
export type SizingConfig = z.output<typeof SizingConfigSchema>;

/** What `parseSizingConfig` accepts (the input of `SizingConfigSchema`). */
export type SizingConfigInput = z.input<typeof SizingConfigSchema>;

function issuePath(path: readonly PropertyKey[]): string {
  return path.map((key) => (typeof key === "symbol" ? key.toString() : String(key))).join(".");
}

/**
 * Validates a sizing configuration (for example parsed from JSON) and applies the defaults.
 *
 * @throws SizingError `invalid-config` listing every problem in `issues`; `field` and `value` are the
 *   first problem's, and the message names each field with the value it got, e.g.
 *   `invalid sizing config: method.kellyMultiplier: Too big: expected number to be <=1 (got 2)`.
 * @example
 * const config = parseSizingConfig({ method: { kind: "kelly", estimate: "win-rate", kellyMultiplier: 0.5 } });
 */
export function parseSizingConfig(input: unknown): SizingConfig {
  const parsed = SizingConfigSchema.safeParse(input, { reportInput: true });
  if (parsed.success) return parsed.data;
  const issues: SizingIssue[] = parsed.error.issues.map((issue) => ({
    field: issuePath(issue.path),
    value: issue.input,
    message: issue.message,
  }));
  const first = issues[0] ?? { field: "", value: input, message: "invalid" };
  const summary = issues
    .map((i) => `${i.field === "" ? "(root)" : i.field}: ${i.message} (got ${describeValue(i.value)})`)
    .join("; ");
  throw new SizingError("invalid-config", first.field, first.value, `invalid sizing config: ${summary}`, {
    issues,
    cause: parsed.error,
  });
}

/**
 * The per-call inputs of `sizeWithConfig`: the account and market context, plus the observations
 * the configured method needs (`winRate` + `payoffRatio` or `expectedReturn` + `variance` for
 * Kelly, `atr`, `realizedVol`, or `stop` for fixed risk). Observations the method does not use are
 * ignored.
 */
export interface SizingObservations {
  /** Account equity, ≥ 0. */
  readonly equity: MoneyInput;
  /** Expected fill price, > 0. */
  readonly price: MoneyInput;
  /** The instrument. */
  readonly instrument: Instrument;
  /** Free collateral for this order (see `SizingCaps.availableMargin`). */
  readonly availableMargin?: MoneyInput;
  /** Signal confidence in [0, 1]. */
  readonly confidence?: number;
  /** Regime multiplier, ≥ 0. */
  readonly regimeMultiplier?: number;
  /** Kelly (`estimate: "win-rate"`): win probability in [0, 1]. */
  readonly winRate?: number;
  /** Kelly (`estimate: "win-rate"`): average win / average loss, > 0. */
  readonly payoffRatio?: number;
  /** Kelly (`estimate: "moments"`): expected return per period. */
  readonly expectedReturn?: number;
  /** Kelly (`estimate: "moments"`): return variance per period, ≥ 0. */
  readonly variance?: number;
  /** ATR method: average true range in price units, ≥ 0. */
  readonly atr?: number;
  /** Realized-volatility method: observed volatility, ≥ 0. */
  readonly realizedVol?: number;
  /** Fixed-risk method: stop price, > 0. */
  readonly stop?: NumericInput;
  /** Fixed-risk method: entry price (default `price`). */
  readonly entry?: NumericInput;
  /** Fixed-risk method: the order side, to check the stop's side. */
  readonly side?: OrderSide;
}

function need<T>(value: T | undefined, field: string, kind: string): T {
  if (value === undefined) {
    throw new SizingError(
      "missing-input",
      field,
      value,
      `${field}: required by the configured method "${kind}" (got undefined)`,
    );
  }
  return value;
}

function methodFor(config: SizingConfig, obs: SizingObservations): LooseMethod {
  const m = config.method;
  switch (m.kind) {
    case "kelly": {
      const estimate =
        m.estimate === "win-rate"
          ? {
              winRate: need(obs.winRate, "winRate", m.kind),
              payoffRatio: need(obs.payoffRatio, "payoffRatio", m.kind),
            }
          : {
              expectedReturn: need(obs.expectedReturn, "expectedReturn", m.kind),
              variance: need(obs.variance, "variance", m.kind),
            };
      return {
        kind: "kelly",
        estimate,
        kellyMultiplier: m.kellyMultiplier,
        maxKellyFraction: m.maxKellyFraction,
      };
    }
    case "fixed-fraction":
      return { kind: "fixed-fraction", fraction: m.fraction };
    case "fixed-notional":
      return { kind: "fixed-notional", notional: m.notional };
    case "atr":
      return {
        kind: "atr",
        atr: need(obs.atr, "atr", m.kind),
        atrMultiple: m.atrMultiple,
        riskFraction: m.riskFraction,
      };
    case "realized-volatility":
      return {
        kind: "realized-volatility",
        realizedVol: need(obs.realizedVol, "realizedVol", m.kind),
        targetVol: m.targetVol,
      };
    case "fixed-risk":
      return {
        kind: "fixed-risk",
        stop: need(obs.stop, "stop", m.kind),
        riskFraction: m.riskFraction,
        entry: obs.entry,
        side: obs.side,
        feeRate: m.feeRate,
      };
    default: {
      const never: never = m;
      throw new SizingError("invalid-config", "method.kind", never, "method.kind: unknown method");
    }
  }
}

/**
 * Sizes a position with a configuration from `parseSizingConfig` and the observations of the
 * moment: the same pipeline as `sizePosition`, with the method, curve and static caps from the
 * config and `availableMargin` from the observations.
 *
 * @throws SizingError `missing-input` when the method needs an observation that is absent,
 *   `invalid-input` for malformed observations (method fields are named without a prefix).
 * @example
 * const config = parseSizingConfig({ method: { kind: "atr", riskFraction: 0.01, atrMultiple: 2 } });
 * sizeWithConfig(config, { equity: "10000", price: "50000", instrument: btcUsd, atr: 1000 });
 */
export function sizeWithConfig(config: SizingConfig, obs: SizingObservations): SizingResult {
  return sizeWith(
    {
      equity: obs.equity,
      price: obs.price,
      instrument: obs.instrument,
      caps: {
        maxLeverage: config.caps.maxLeverage,
        maxNotional: config.caps.maxNotional,
        availableMargin: obs.availableMargin,
      },
      confidence: obs.confidence,
      confidenceCurve: config.confidenceCurve,
      regimeMultiplier: obs.regimeMultiplier,
    },
    methodFor(config, obs),
    "",
  );
}
