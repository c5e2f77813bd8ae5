import { z } from "zod";
import { RegimeError } from "./errors.js";

const period = (fallback: number) => z.number().int().min(1).max(1_000_000).default(fallback);
const nonNegative = (fallback: number) => z.number().min(0).max(1e9).default(fallback);

const trendSchema = z
  .object({
    /** ADX at or above which a trend may start. */
    adxEnter: nonNegative(25),
    /** ADX below which a running trend ends. */
    adxExit: nonNegative(18),
    /** Kaufman efficiency ratio at or above which a trend may start. */
    efficiencyEnter: z.number().min(0).max(1).default(0.3),
    /** Efficiency ratio below which a running trend ends. */
    efficiencyExit: z.number().min(0).max(1).default(0.15),
    /** |fast EMA - slow EMA| / ATR at or above which a trend may start (its sign is the direction). */
    separationEnter: nonNegative(1),
    /** Separation (in the trend's direction) below which a running trend ends. */
    separationExit: nonNegative(0.4),
  })
  .strict();

const highVolSchema = z
  .object({
    /** Short/long volatility ratio at or above which high volatility starts. */
    volRatioEnter: nonNegative(1.7),
    /** Ratio below which high volatility (or crisis, for its volatility part) ends. */
    volRatioExit: nonNegative(1.3),
    /** Annualised short volatility below which no bar is high-volatility (0 = no floor). */
    minAnnualizedVol: nonNegative(0),
  })
  .strict();

const crisisSchema = z
  .object({
    /** Drawdown z-score (drop from the rolling high in long-run sigmas) at or below minus this starts a crisis. */
    drawdownZEnter: nonNegative(2.5),
    /** A crisis ends when the drawdown z-score rises above minus this... */
    drawdownZExit: nonNegative(1.2),
    /** ...or the volatility ratio falls below `crisis.volRatioExit`. */
    volRatioEnter: nonNegative(1.8),
    /** Volatility ratio below which a crisis ends. */
    volRatioExit: nonNegative(1.3),
  })
  .strict();

const hysteresisSchema = z
  .object({
    /** Bars a regime is kept at least before another may replace it. */
    minDwellBars: z.number().int().min(1).max(1_000_000).default(6),
    /** Consecutive bars a new raw regime must persist before the switch. */
    confirmBars: z.number().int().min(1).max(1_000_000).default(3),
    /** When true, a crisis replaces any regime at once (no dwell, no confirmation). */
    crisisImmediate: z.boolean().default(true),
  })
  .strict();

/**
 * The zod schema of `RegimeConfig`. Only `barsPerYear` is required; every other field has a
 * documented default. Unknown keys are rejected, enter thresholds must be at or beyond their exit
 * thresholds, and `emaFastPeriod < emaSlowPeriod`.
 */
export const regimeConfigSchema = z
  .object({
    /** Bars per year (annualisation): 525_600 for 1m bars and 8_760 for 1h bars of a 24/7 market. */
    barsPerYear: z.number().positive().max(1e9),
    /** ADX/DMI period (its smoothed true range is also the ATR used to scale the EMA separation). */
    adxPeriod: period(14),
    /** Kaufman efficiency-ratio lookback in price changes. */
    efficiencyPeriod: period(20),
    /** Fast EMA period for the trend direction. */
    emaFastPeriod: period(20),
    /** Slow EMA period for the trend direction. */
    emaSlowPeriod: period(50),
    /** Window (in log returns) of the short realised volatility (zero-mean RMS). */
    shortVolWindow: period(24),
    /** Half-life in bars of the long-run volatility (EWMA of squared log returns). */
    longVolHalfLife: period(720),
    /** Window in bars of the rolling high the drawdown is measured from. */
    drawdownWindow: period(24),
    trend: trendSchema.prefault({}),
    highVol: highVolSchema.prefault({}),
    crisis: crisisSchema.prefault({}),
    hysteresis: hysteresisSchema.prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
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
  });

/** A fully defaulted, validated classifier configuration (the output of `parseRegimeConfig`). */
export type RegimeConfig = z.output<typeof regimeConfigSchema>;

/** What `parseRegimeConfig` accepts: `barsPerYear` plus any subset of the other fields. */
export type RegimeConfigInput = z.input<typeof regimeConfigSchema>;

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
  const parsed = regimeConfigSchema.safeParse(input, { reportInput: true });
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
      {
        cause: issue,
      },
    );
  });
  return { kind: "invalid", errors };
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
      `barIntervalSeconds must be a finite number > 0, got ${String(barIntervalSeconds)}`,
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
