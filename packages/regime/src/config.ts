import { describeValue, type ParseSchema } from "@gpt/core";
import * as z from "@gpt/core/validation";
import { RegimeError } from "./errors.js";

/**
 * A fully defaulted, validated classifier configuration (the output of `parseRegimeConfig`).
 * Field meanings and defaults are those of `RegimeConfigInput`.
 */
export interface RegimeConfig {
  /** Bars per year (annualisation): 525_600 for 1m bars and 8_760 for 1h bars of a 24/7 market. */
  readonly barsPerYear: number;
  /** ADX/DMI period (its smoothed true range is also the ATR used to scale the EMA separation). */
  readonly adxPeriod: number;
  /** Kaufman efficiency-ratio lookback in price changes. */
  readonly efficiencyPeriod: number;
  /** Fast EMA period for the trend direction. */
  readonly emaFastPeriod: number;
  /** Slow EMA period for the trend direction. */
  readonly emaSlowPeriod: number;
  /** Window (in log returns) of the short realised volatility (zero-mean RMS). */
  readonly shortVolWindow: number;
  /** Half-life in bars of the long-run volatility (EWMA of squared log returns). */
  readonly longVolHalfLife: number;
  /** Window in bars of the rolling high the drawdown is measured from. */
  readonly drawdownWindow: number;
  /** Trend thresholds. */
  readonly trend: {
    /** ADX at or above which a trend may start. */
    readonly adxEnter: number;
    /** ADX below which a running trend ends. */
    readonly adxExit: number;
    /** Kaufman efficiency ratio at or above which a trend may start. */
    readonly efficiencyEnter: number;
    /** Efficiency ratio below which a running trend ends. */
    readonly efficiencyExit: number;
    /** |fast EMA - slow EMA| / ATR at or above which a trend may start (its sign is the direction). */
    readonly separationEnter: number;
    /** Separation (in the trend's direction) below which a running trend ends. */
    readonly separationExit: number;
  };
  /** High-volatility thresholds. */
  readonly highVol: {
    /** Short/long volatility ratio at or above which high volatility starts. */
    readonly volRatioEnter: number;
    /** Ratio below which high volatility (or crisis, for its volatility part) ends. */
    readonly volRatioExit: number;
    /** Annualised short volatility below which no bar is high-volatility (0 = no floor). */
    readonly minAnnualizedVol: number;
  };
  /** Crisis thresholds. */
  readonly crisis: {
    /** Drawdown z-score (drop from the rolling high in long-run sigmas) at or below minus this starts a crisis. */
    readonly drawdownZEnter: number;
    /** A crisis ends when the drawdown z-score rises above minus this... */
    readonly drawdownZExit: number;
    /** ...or the volatility ratio falls below `crisis.volRatioExit`. */
    readonly volRatioEnter: number;
    /** Volatility ratio below which a crisis ends. */
    readonly volRatioExit: number;
  };
  /** Regime switching. */
  readonly hysteresis: {
    /** Bars a regime is kept at least before another may replace it. */
    readonly minDwellBars: number;
    /** Consecutive bars a new raw regime must persist before the switch. */
    readonly confirmBars: number;
    /** When true, a crisis replaces any regime at once (no dwell, no confirmation). */
    readonly crisisImmediate: boolean;
  };
}

/**
 * What `parseRegimeConfig` accepts: `barsPerYear` plus any subset of the other fields. Defaults:
 * periods ADX 14, efficiency 20, EMA 20/50, short volatility 24, long-run half-life 720, drawdown
 * window 24; trend ADX 25/18, efficiency 0.3/0.15, separation 1/0.4; high volatility ratio
 * 1.7/1.3, no volatility floor; crisis drawdown z 2.5/1.2, volatility ratio 1.8/1.3; dwell 6 bars,
 * confirmation 3 bars, immediate crisis.
 */
export interface RegimeConfigInput {
  /** Bars per year (annualisation), > 0. */
  readonly barsPerYear: number;
  /** ADX/DMI period, an integer >= 1. */
  readonly adxPeriod?: number | undefined;
  /** Efficiency-ratio lookback, an integer >= 1. */
  readonly efficiencyPeriod?: number | undefined;
  /** Fast EMA period, an integer >= 1 below `emaSlowPeriod`. */
  readonly emaFastPeriod?: number | undefined;
  /** Slow EMA period, an integer >= 1. */
  readonly emaSlowPeriod?: number | undefined;
  /** Short realised-volatility window, an integer >= 1. */
  readonly shortVolWindow?: number | undefined;
  /** Long-run volatility half-life in bars, an integer >= 1. */
  readonly longVolHalfLife?: number | undefined;
  /** Rolling-high window of the drawdown, an integer >= 1. */
  readonly drawdownWindow?: number | undefined;
  /** Trend thresholds (any subset; enter >= exit). */
  readonly trend?: Partial<RegimeConfig["trend"]> | undefined;
  /** High-volatility thresholds (any subset; enter >= exit). */
  readonly highVol?: Partial<RegimeConfig["highVol"]> | undefined;
  /** Crisis thresholds (any subset; enter >= exit). */
  readonly crisis?: Partial<RegimeConfig["crisis"]> | undefined;
  /** Regime switching (any subset). */
  readonly hysteresis?: Partial<RegimeConfig["hysteresis"]> | undefined;
}

const period = (fallback: number) =>
  z._default(z.number().check(z.int(), z.minimum(1), z.maximum(1_000_000)), fallback);
const nonNegative = (fallback: number) =>
  z._default(z.number().check(z.minimum(0), z.maximum(1e9)), fallback);
const unit = (fallback: number) => z._default(z.number().check(z.minimum(0), z.maximum(1)), fallback);

/** The zod/mini schema of `RegimeConfig`, built on first use. */
const regimeConfigZod = /* @__PURE__ */ z.memo(() =>
  z
    .strictObject({
      barsPerYear: z.number().check(z.positive(), z.maximum(1e9)),
      adxPeriod: period(14),
      efficiencyPeriod: period(20),
      emaFastPeriod: period(20),
      emaSlowPeriod: period(50),
      shortVolWindow: period(24),
      longVolHalfLife: period(720),
      drawdownWindow: period(24),
      trend: z.prefault(
        z.strictObject({
          adxEnter: nonNegative(25),
          adxExit: nonNegative(18),
          efficiencyEnter: unit(0.3),
          efficiencyExit: unit(0.15),
          separationEnter: nonNegative(1),
          separationExit: nonNegative(0.4),
        }),
        {},
      ),
      highVol: z.prefault(
        z.strictObject({
          volRatioEnter: nonNegative(1.7),
          volRatioExit: nonNegative(1.3),
          minAnnualizedVol: nonNegative(0),
        }),
        {},
      ),
      crisis: z.prefault(
        z.strictObject({
          drawdownZEnter: nonNegative(2.5),
          drawdownZExit: nonNegative(1.2),
          volRatioEnter: nonNegative(1.8),
          volRatioExit: nonNegative(1.3),
        }),
        {},
      ),
      hysteresis: z.prefault(
        z.strictObject({
          minDwellBars: period(6),
          confirmBars: period(3),
          crisisImmediate: z._default(z.boolean(), true),
        }),
        {},
      ),
    })
    .check(
      z.superRefine((c, ctx) => {
        const pairs: [string, number, number][] = [
          ["trend.adxEnter", c.trend.adxEnter, c.trend.adxExit],
          ["trend.efficiencyEnter", c.trend.efficiencyEnter, c.trend.efficiencyExit],
          ["trend.separationEnter", c.trend.separationEnter, c.trend.separationExit],
          ["highVol.volRatioEnter", c.highVol.volRatioEnter, c.highVol.volRatioExit],
          ["crisis.drawdownZEnter", c.crisis.drawdownZEnter, c.crisis.drawdownZExit],
          ["crisis.volRatioEnter", c.crisis.volRatioEnter, c.crisis.volRatioExit],
        ];
        for (const [path, enter, exit] of pairs) {
          if (enter < exit) {
            ctx.addIssue({
              code: "custom",
              path: path.split("."),
              input: enter,
              message: `${path} (${enter}) must be >= its exit threshold (${exit})`,
            });
          }
        }
        if (c.emaFastPeriod >= c.emaSlowPeriod) {
          ctx.addIssue({
            code: "custom",
            path: ["emaFastPeriod"],
            input: c.emaFastPeriod,
            message: `emaFastPeriod (${c.emaFastPeriod}) must be below emaSlowPeriod (${c.emaSlowPeriod})`,
          });
        }
      }),
    ),
);

// Compile-time proof that the schema's output is a RegimeConfig and that it accepts every
// RegimeConfigInput.
type RegimeZod = ReturnType<typeof regimeConfigZod>;
const _outputIsConfig: (value: z.output<RegimeZod>) => RegimeConfig = (value) => value;
const _inputIsAccepted: (value: RegimeConfigInput) => z.input<RegimeZod> = (value) => value;
void _outputIsConfig;
void _inputIsAccepted;

/**
 * The schema of `RegimeConfig`. Only `barsPerYear` is required; every other field has a documented
 * default (see `RegimeConfigInput`). Unknown keys are rejected, enter thresholds must be at or
 * beyond their exit thresholds, and `emaFastPeriod < emaSlowPeriod`.
 */
export const regimeConfigSchema: ParseSchema<RegimeConfig> = /* @__PURE__ */ z.publicSchema(regimeConfigZod);

/** Outcome of `safeParseRegimeConfig`: errors as data. */
export type RegimeConfigResult =
  | { readonly kind: "valid"; readonly config: RegimeConfig }
  | { readonly kind: "invalid"; readonly errors: readonly RegimeError[] };

/**
 * Validates a configuration and returns either the defaulted config or one `RegimeError` per
 * problem (code `invalid-config`, `field` = dotted path such as `trend.adxEnter`, `value` = the
 * offending input).
 */
export function safeParseRegimeConfig(input: unknown): RegimeConfigResult {
  const parsed = z.safeParse(regimeConfigZod(), input);
  if (parsed.success) return { kind: "valid", config: parsed.data };
  const errors = parsed.error.issues.map((issue) => {
    // An unknown key is reported at the key itself (`trend.adxEntry`), with the key as the value.
    const unknownKey = issue.code === "unrecognized_keys" ? issue.keys[0] : undefined;
    const path = unknownKey === undefined ? issue.path.map(String) : [...issue.path.map(String), unknownKey];
    const field = path.length > 0 ? path.join(".") : "(root)";
    const value = unknownKey === undefined ? issue.input : unknownKey;
    return new RegimeError(
      "invalid-config",
      field,
      value,
      `invalid regime config: ${field}: ${issue.message}`,
      // The validator's issue without its `input` (the raw value, which may be anything the
      // caller passed): `inspect(error)` prints the cause.
      { cause: withoutInput(issue) },
    );
  });
  return { kind: "invalid", errors };
}

/** A copy of a validator issue without its `input` entry. */
function withoutInput(issue: object): object {
  const { input: _input, ...rest } = issue as { input?: unknown };
  return rest;
}

/**
 * Validates a configuration and returns it with defaults filled in; throws the first `RegimeError`
 * (code `invalid-config`) naming the field and value otherwise.
 */
export function parseRegimeConfig(input: unknown): RegimeConfig {
  const result = safeParseRegimeConfig(input);
  switch (result.kind) {
    case "valid":
      return result.config;
    case "invalid":
      throw result.errors[0] ?? new RegimeError("invalid-config", "(root)", input, "invalid regime config");
    default: {
      const unreachable: never = result;
      return unreachable;
    }
  }
}

/** Bars per year of a market that trades around the clock (365 days) at the given bar interval. */
export function barsPerYear24x7(barIntervalSeconds: number): number {
  if (!(barIntervalSeconds > 0) || barIntervalSeconds === Number.POSITIVE_INFINITY) {
    throw new RegimeError(
      "invalid-parameter",
      "barIntervalSeconds",
      barIntervalSeconds,
      `barIntervalSeconds must be a finite number > 0, got ${describeValue(barIntervalSeconds)}`,
    );
  }
  return (365 * 86_400) / barIntervalSeconds;
}

/** Bar intervals with a tuned preset. */
export type RegimePresetInterval = "1m" | "1h" | "1d";

/**
 * A starting configuration for a bar interval, checked on real data (see the package README):
 *
 * - `1h`: the schema defaults (windows of 14-50 bars, a 30-day long-run volatility half-life),
 *   `barsPerYear` 8760;
 * - `1d`: the same windows, `barsPerYear` 365;
 * - `1m`: windows of 1-4 hours (ADX 30, efficiency 60, EMA 60/240, short volatility 120,
 *   drawdown 240), a 2-day long-run half-life, stricter crisis and high-volatility thresholds
 *   (intraday seasonality makes short bursts common), lower trend thresholds, and dwell 30 /
 *   confirmation 10 bars.
 *
 * Spread it and override fields: `{ ...regimePreset("1m"), hysteresis: { minDwellBars: 60 } }`.
 */
export function regimePreset(interval: RegimePresetInterval): RegimeConfigInput {
  switch (interval) {
    case "1h":
      return { barsPerYear: 8_760 };
    case "1d":
      return { barsPerYear: 365 };
    case "1m":
      return {
        barsPerYear: 525_600,
        adxPeriod: 30,
        efficiencyPeriod: 60,
        emaFastPeriod: 60,
        emaSlowPeriod: 240,
        shortVolWindow: 120,
        longVolHalfLife: 2_880,
        drawdownWindow: 240,
        trend: {
          adxEnter: 20,
          adxExit: 15,
          efficiencyEnter: 0.2,
          efficiencyExit: 0.1,
          separationEnter: 1,
          separationExit: 0.4,
        },
        highVol: { volRatioEnter: 2.2, volRatioExit: 1.6 },
        crisis: { drawdownZEnter: 4, drawdownZExit: 2, volRatioEnter: 2.5, volRatioExit: 1.5 },
        hysteresis: { minDwellBars: 30, confirmBars: 10 },
      };
    default: {
      const unreachable: never = interval;
      throw new RegimeError("invalid-parameter", "interval", unreachable, "unknown preset interval");
    }
  }
}
