import type { Instrument, OrderSide, ParseSchema } from "@gpt/core";
import { describeValue } from "@gpt/core";
import * as z from "@gpt/core/validation";
import { type Decimal, parseDecimal, QuantizeError } from "@gpt/quantize";
import { Decimal as DecimalJs } from "decimal.js";
import type { ConfidenceCurve } from "./confidence.js";
import { SizingError, type SizingIssue } from "./errors.js";
import { DEFAULT_KELLY_MULTIPLIER, DEFAULT_MAX_KELLY_FRACTION } from "./kelly.js";
import { type MoneyInput, type NumericInput, objectInput } from "./numbers.js";
import type { SizingResult } from "./result.js";
import { type LooseMethod, sizeWith } from "./size.js";
import { readInput } from "./snapshot.js";

/** The configured method of a `SizingConfig`: which formula, and its fixed parameters. */
export type SizingMethodConfig =
  | {
      /** Fractional Kelly. */
      readonly kind: "kelly";
      /** Which estimate the caller will pass: win rate + payoff ratio, or expected return + variance. */
      readonly estimate: "win-rate" | "moments";
      /** Fraction of full Kelly, in (0, 1] (default 0.25). */
      readonly kellyMultiplier: number;
      /** Cap on the Kelly fraction, > 0 (default 1). */
      readonly maxKellyFraction: number;
    }
  | {
      /** A fixed fraction of equity. */
      readonly kind: "fixed-fraction";
      /** The fraction, > 0. */
      readonly fraction: number;
    }
  | {
      /** A fixed notional. */
      readonly kind: "fixed-notional";
      /** The notional, > 0. */
      readonly notional: Decimal;
    }
  | {
      /** Volatility target from the ATR. */
      readonly kind: "atr";
      /** Equity fraction risked per ATR multiple, in (0, 1]. */
      readonly riskFraction: number;
      /** ATR multiple of the assumed stop, > 0 (default 1). */
      readonly atrMultiple: number;
    }
  | {
      /** Volatility target from realized volatility. */
      readonly kind: "realized-volatility";
      /** The volatility to target, > 0. */
      readonly targetVol: number;
    }
  | {
      /** Fixed risk to a stop. */
      readonly kind: "fixed-risk";
      /** Equity fraction risked, in (0, 1]. */
      readonly riskFraction: number;
      /** Fee rate per side, in [0, 1). */
      readonly feeRate?: number | undefined;
    };

/** A validated sizing configuration (the output of `parseSizingConfig`). */
export interface SizingConfig {
  /** The method and its fixed parameters. */
  readonly method: SizingMethodConfig;
  /** The confidence curve (default linear). */
  readonly confidenceCurve: ConfidenceCurve;
  /** Static caps (default none). */
  readonly caps: {
    /** Leverage cap, > 0. */
    readonly maxLeverage?: number | undefined;
    /** Notional cap, > 0. */
    readonly maxNotional?: Decimal | undefined;
  };
}

/** A money amount as written in a config: a decimal string, a finite number or a Decimal. */
export type SizingAmountInput = string | number | Decimal;

/** What `parseSizingConfig` accepts: a `SizingConfig` with its defaults optional and money as text. */
export interface SizingConfigInput {
  /** The method; defaulted fields (`kellyMultiplier`, `maxKellyFraction`, `atrMultiple`) may be left out. */
  readonly method:
    | (Omit<Extract<SizingMethodConfig, { kind: "kelly" }>, "kellyMultiplier" | "maxKellyFraction"> & {
        /** Fraction of full Kelly, in (0, 1] (default 0.25). */
        readonly kellyMultiplier?: number | undefined;
        /** Cap on the Kelly fraction, > 0 (default 1). */
        readonly maxKellyFraction?: number | undefined;
      })
    | Extract<SizingMethodConfig, { kind: "fixed-fraction" }>
    | {
        /** A fixed notional. */
        readonly kind: "fixed-notional";
        /** The notional, > 0. */
        readonly notional: SizingAmountInput;
      }
    | (Omit<Extract<SizingMethodConfig, { kind: "atr" }>, "atrMultiple"> & {
        /** ATR multiple of the assumed stop, > 0 (default 1). */
        readonly atrMultiple?: number | undefined;
      })
    | Extract<SizingMethodConfig, { kind: "realized-volatility" | "fixed-risk" }>;
  /** The confidence curve (default linear). */
  readonly confidenceCurve?: ConfidenceCurve | undefined;
  /** Static caps (default none). */
  readonly caps?:
    | {
        /** Leverage cap, > 0. */
        readonly maxLeverage?: number | undefined;
        /** Notional cap, > 0. */
        readonly maxNotional?: SizingAmountInput | undefined;
      }
    | undefined;
}

const sizingConfigZod = /* @__PURE__ */ z.memo(() => {
  /** A positive money amount: a decimal string, a finite number, or a Decimal; parsed to a Decimal. */
  const positiveAmount = z.pipe(
    z.union([
      z.string(),
      z.number(),
      z.custom<Decimal>((value) => DecimalJs.isDecimal(value), "expected a Decimal"),
    ]),
    z.transform((value, ctx): Decimal => {
      try {
        return parseDecimal(value, { allowNegative: false, allowZero: false });
      } catch (cause) {
        if (!(cause instanceof QuantizeError)) throw cause;
        ctx.issues.push({ code: "custom", message: "must be a decimal greater than zero", input: value });
        return z.NEVER;
      }
    }),
  );
  const unitFraction = z.number().check(z.gt(0), z.lte(1));
  const positive = () => z.number().check(z.gt(0));
  const dead = z.exactOptional(z.number().check(z.gte(0), z.lt(1)));
  const method = z.discriminatedUnion("kind", [
    z.strictObject({
      kind: z.literal("kelly"),
      estimate: z.enum(["win-rate", "moments"]),
      kellyMultiplier: z._default(unitFraction, DEFAULT_KELLY_MULTIPLIER),
      maxKellyFraction: z._default(positive(), DEFAULT_MAX_KELLY_FRACTION),
    }),
    z.strictObject({ kind: z.literal("fixed-fraction"), fraction: positive() }),
    z.strictObject({ kind: z.literal("fixed-notional"), notional: positiveAmount }),
    z.strictObject({
      kind: z.literal("atr"),
      riskFraction: unitFraction,
      atrMultiple: z._default(positive(), 1),
    }),
    z.strictObject({ kind: z.literal("realized-volatility"), targetVol: positive() }),
    z.strictObject({
      kind: z.literal("fixed-risk"),
      riskFraction: unitFraction,
      feeRate: z.optional(z.number().check(z.gte(0), z.lt(1))),
    }),
  ]);
  const curve = z.discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("linear"), minConfidence: dead }),
    z.strictObject({
      kind: z.literal("power"),
      exponent: z.number().check(z.gt(0), z.lte(16)),
      minConfidence: dead,
    }),
    z.strictObject({ kind: z.literal("smoothstep"), minConfidence: dead }),
  ]);
  const caps = z.strictObject({
    maxLeverage: z.optional(positive()),
    maxNotional: z.optional(positiveAmount),
  });
  return z.strictObject({
    method,
    confidenceCurve: z._default(curve, { kind: "linear" }),
    caps: z._default(caps, {}),
  });
});

// Compile-time proof that the schema's output is a SizingConfig and that it accepts every
// SizingConfigInput.
type SizingZod = ReturnType<typeof sizingConfigZod>;
const _outputIsConfig: (value: z.output<SizingZod>) => SizingConfig = (value) => value;
const _inputIsAccepted: (value: SizingConfigInput) => z.input<SizingZod> = (value) => value;
void _outputIsConfig;
void _inputIsAccepted;

/**
 * The schema of a sizing configuration: the method and its fixed parameters, the confidence
 * curve, and the static caps. Unknown keys are rejected (a typo is an error, not a silent default).
 *
 * Defaults: `kellyMultiplier` 0.25, `maxKellyFraction` 1, `atrMultiple` 1, `confidenceCurve`
 * linear, `caps` none. Money (`notional`, `maxNotional`) may be a decimal string, a number or a
 * Decimal and comes out as a Decimal. Prefer `parseSizingConfig`, which turns schema failures
 * into a `SizingError`.
 */
export const SizingConfigSchema: ParseSchema<SizingConfig> = /* @__PURE__ */ z.publicSchema(sizingConfigZod);

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
  let parsed: ReturnType<typeof z.safeParse<ReturnType<typeof sizingConfigZod>>>;
  try {
    parsed = z.safeParse(sizingConfigZod(), input);
  } catch (cause) {
    // A getter or Proxy trap threw while the validator read the input.
    const message = "invalid sizing config: it could not be read (reading it threw)";
    throw new SizingError("invalid-config", "", undefined, message, { cause });
  }
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
  // No `cause`: the validator's own error message lists the raw inputs (secrets included); the
  // issues above carry everything it knows.
  throw new SizingError("invalid-config", first.field, first.value, `invalid sizing config: ${summary}`, {
    issues,
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
export function sizeWithConfig(rawConfig: SizingConfig, rawObs: SizingObservations): SizingResult {
  const config = readInput(rawConfig, "config");
  const obs = readInput(rawObs, "observations");
  objectInput("config", config, "a SizingConfig from parseSizingConfig");
  objectInput("config.caps", config.caps, "an object");
  objectInput("config.method", config.method, "an object");
  objectInput("observations", obs, "an object of observations");
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
