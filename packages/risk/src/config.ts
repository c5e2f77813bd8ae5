import type { ParseSchema } from "@gpt/core";
import * as z from "@gpt/core/validation";
import { type Decimal, type DecimalInput, parseDecimal } from "@gpt/quantize";
import { Decimal as DecimalJs } from "decimal.js";
import { RiskConfigError, type RiskConfigIssue } from "./errors.js";

/** The circuit breakers, by config key. */
export type BreakerName = "consecutiveLosses" | "drawdown" | "volatility" | "venueErrors" | "rejects";

/** Every `BreakerName`, in the order they are evaluated and listed. */
export const BREAKER_NAMES: readonly BreakerName[] = [
  "consecutiveLosses",
  "drawdown",
  "volatility",
  "venueErrors",
  "rejects",
];

/** The trading state a tripped breaker imposes until its cooldown ends. */
export type BreakerTripState = "reducing" | "halted";

/** Settings every breaker has. */
export interface BreakerConfigBase {
  /** Whether the breaker watches at all. */
  readonly enabled: boolean;
  /** How long the breaker stays tripped, in ms; it recovers on its own afterwards. */
  readonly cooldownMs: number;
  /** The trading state while tripped: `reducing` (exits allowed) or `halted` (nothing). */
  readonly onTrip: BreakerTripState;
}

/** Trips after `maxCount` losing closed trades in a row (a winning trade resets the count). */
export interface ConsecutiveLossesBreakerConfig extends BreakerConfigBase {
  /** Losing trades in a row that trip the breaker (>= 1). */
  readonly maxCount: number;
}

/** Trips when equity falls `maxPct` below its peak. */
export interface DrawdownBreakerConfig extends BreakerConfigBase {
  /** Drawdown from peak equity that trips, as a fraction in (0, 1): `0.15` = 15 %. */
  readonly maxPct: Decimal;
}

/** Trips when the caller's volatility ratio (e.g. short-term realized vol / baseline vol) reaches `maxRatio`. */
export interface VolatilityBreakerConfig extends BreakerConfigBase {
  /** Ratio that trips (> 0), e.g. `3` = volatility at three times its baseline. */
  readonly maxRatio: number;
}

/** Trips when the share of failed venue requests in a sliding window reaches `maxRate`. */
export interface VenueErrorsBreakerConfig extends BreakerConfigBase {
  /** Error share that trips, a fraction in (0, 1]. */
  readonly maxRate: number;
  /** Fewest requests in the window before the rate is judged (>= 1). */
  readonly minRequests: number;
  /** Sliding window length in ms. */
  readonly windowMs: number;
}

/** Trips when the venue rejects `maxCount` orders within a sliding window. */
export interface RejectsBreakerConfig extends BreakerConfigBase {
  /** Rejects in the window that trip (>= 1). */
  readonly maxCount: number;
  /** Sliding window length in ms. */
  readonly windowMs: number;
}

/** Settings of all circuit breakers. */
export interface BreakersConfig {
  /** Consecutive losing trades. */
  readonly consecutiveLosses: ConsecutiveLossesBreakerConfig;
  /** Drawdown from peak equity. */
  readonly drawdown: DrawdownBreakerConfig;
  /** Volatility spike. */
  readonly volatility: VolatilityBreakerConfig;
  /** Venue error rate. */
  readonly venueErrors: VenueErrorsBreakerConfig;
  /** Too many order rejects. */
  readonly rejects: RejectsBreakerConfig;
}

/**
 * The validated risk configuration (output of `parseRiskConfig`). Every `…Pct` value is a
 * **fraction**: `0.05` means 5 %. Notional caps are in the quote currency; unset means no cap.
 * Per-symbol records are keyed by instrument id (`"BTC-USD.COINBASE"`) or by venue symbol
 * (`"BTC-USD"`); the instrument id wins when both are present.
 */
export interface RiskConfig {
  /** Daily loss (realized + unrealized, vs. the day's start equity) that switches to `reducing`; fraction in (0, 1). */
  readonly maxDailyLossPct: Decimal;
  /** UTC time of day at which the trading day (and the daily loss) resets, `"HH:MM"`. */
  readonly dailyResetUtc: string;
  /** Reduce-only mode: only position-shrinking orders are allowed, whatever the trading state. */
  readonly reduceOnlyMode: boolean;
  /** Account leverage cap: gross notional / equity (> 0). Also the default per-symbol cap. */
  readonly maxLeverage: Decimal;
  /** Per-symbol leverage caps: position notional / equity. */
  readonly maxLeveragePerSymbol: Readonly<Record<string, Decimal>>;
  /** Default per-symbol position notional cap. */
  readonly maxPositionNotional?: Decimal | undefined;
  /** Per-symbol position notional caps (override `maxPositionNotional`). */
  readonly maxPositionNotionalPerSymbol: Readonly<Record<string, Decimal>>;
  /** Cap on the gross notional of all positions together. */
  readonly maxTotalNotional?: Decimal | undefined;
  /** Cap on one order's notional (quantity × reference price × contract size). */
  readonly maxOrderNotional?: Decimal | undefined;
  /** Cap on the net long notional across all instruments. */
  readonly maxNetLongNotional?: Decimal | undefined;
  /** Cap on the net short notional across all instruments (a positive amount). */
  readonly maxNetShortNotional?: Decimal | undefined;
  /** Fat-finger band: how far a limit price may be from the mark, fraction in (0, 1). */
  readonly priceBandPct: Decimal;
  /** Most orders open at once (>= 1). */
  readonly maxOpenOrders: number;
  /** Most orders submitted in any sliding 60-second window (>= 1). */
  readonly maxOrdersPerMinute: number;
  /** Least distance from mark to liquidation price, fraction in [0, 1); 0 switches the check off. */
  readonly minLiquidationDistancePct: Decimal;
  /** Oldest acceptable mark price, in ms. */
  readonly staleMarketDataMs: number;
  /** How far a mark may be dated after `now` (clock skew), in ms, before it is denied (`mark-in-future`). */
  readonly markFutureToleranceMs: number;
  /** Circuit breakers. */
  readonly breakers: BreakersConfig;
}

const PERCENT_SUFFIX = /^([^%]*)%$/;

/**
 * Internal: parses a decimal config value. Strings may carry a `%` suffix when `percent` is set
 * (`"5%"` → 0.05). Returns the Decimal or the reason it was rejected.
 */
function parseConfigDecimal(
  value: unknown,
  percent: boolean,
): { ok: true; value: Decimal } | { ok: false; reason: string } {
  let input: DecimalInput;
  let scale = false;
  if (typeof value === "string") {
    const match = percent ? PERCENT_SUFFIX.exec(value) : null;
    input = match ? (match[1] ?? "") : value;
    scale = match !== null;
  } else if (typeof value === "number" || DecimalJs.isDecimal(value)) {
    input = value as DecimalInput;
  } else {
    return { ok: false, reason: `expected a decimal string, number or Decimal, got ${typeof value}` };
  }
  try {
    const parsed = parseDecimal(input);
    return { ok: true, value: scale ? parsed.div(100) : parsed };
  } catch {
    return { ok: false, reason: "not a decimal number" };
  }
}

/**
 * A decimal value in the object form of the configuration: a decimal string (fractions may carry
 * a `%` suffix: `"5%"` is 0.05), a finite number or a Decimal. Anything else is reported as an issue.
 */
export type RiskConfigDecimal = DecimalInput;

/** Breaker settings as written: every field optional. */
export interface BreakerConfigInputBase {
  /** Whether the breaker watches at all (default true). */
  readonly enabled?: boolean | undefined;
  /** How long the breaker stays tripped, in ms (an integer >= 1). */
  readonly cooldownMs?: number | undefined;
  /** The trading state while tripped. */
  readonly onTrip?: BreakerTripState | undefined;
}

/**
 * The object form a caller writes (what `parseRiskConfig` accepts): every field optional (see the
 * README table for the defaults), decimals as strings, numbers or Decimals. Unknown keys are errors.
 */
export interface RiskConfigInput {
  /** Daily loss that switches to `reducing`, a fraction in (0, 1) (default 0.05). */
  readonly maxDailyLossPct?: RiskConfigDecimal | undefined;
  /** UTC reset time of the trading day, `"HH:MM"` (default `"00:00"`). */
  readonly dailyResetUtc?: string | undefined;
  /** Reduce-only mode (default false). */
  readonly reduceOnlyMode?: boolean | undefined;
  /** Account leverage cap, > 0 (default 5). */
  readonly maxLeverage?: RiskConfigDecimal | undefined;
  /** Per-symbol leverage caps, each > 0. */
  readonly maxLeveragePerSymbol?: Readonly<Record<string, RiskConfigDecimal>> | undefined;
  /** Default per-symbol position notional cap, > 0. */
  readonly maxPositionNotional?: RiskConfigDecimal | undefined;
  /** Per-symbol position notional caps, each > 0. */
  readonly maxPositionNotionalPerSymbol?: Readonly<Record<string, RiskConfigDecimal>> | undefined;
  /** Cap on the gross notional of all positions, > 0. */
  readonly maxTotalNotional?: RiskConfigDecimal | undefined;
  /** Cap on one order's notional, > 0. */
  readonly maxOrderNotional?: RiskConfigDecimal | undefined;
  /** Cap on the net long notional, > 0. */
  readonly maxNetLongNotional?: RiskConfigDecimal | undefined;
  /** Cap on the net short notional, > 0. */
  readonly maxNetShortNotional?: RiskConfigDecimal | undefined;
  /** Fat-finger band, a fraction in (0, 1) (default 0.05). */
  readonly priceBandPct?: RiskConfigDecimal | undefined;
  /** Most orders open at once, an integer >= 1 (default 50). */
  readonly maxOpenOrders?: number | undefined;
  /** Most orders per sliding minute, an integer >= 1 (default 60). */
  readonly maxOrdersPerMinute?: number | undefined;
  /** Least distance from mark to liquidation, a fraction in [0, 1) (default 0.1). */
  readonly minLiquidationDistancePct?: RiskConfigDecimal | undefined;
  /** Oldest acceptable mark price in ms, an integer >= 1 (default 30000). */
  readonly staleMarketDataMs?: number | undefined;
  /** How far a mark may be dated after `now` in ms, an integer >= 0 (default 1000). */
  readonly markFutureToleranceMs?: number | undefined;
  /** Circuit breakers (any subset). */
  readonly breakers?:
    | {
        /** Consecutive losing trades. */
        readonly consecutiveLosses?:
          | (BreakerConfigInputBase & {
              /** Losing trades in a row that trip (default 5). */
              readonly maxCount?: number | undefined;
            })
          | undefined;
        /** Drawdown from peak equity. */
        readonly drawdown?:
          | (BreakerConfigInputBase & {
              /** Drawdown that trips, a fraction in (0, 1) (default 0.15). */
              readonly maxPct?: RiskConfigDecimal | undefined;
            })
          | undefined;
        /** Volatility spike. */
        readonly volatility?:
          | (BreakerConfigInputBase & {
              /** Volatility ratio that trips, > 0 (default 3). */
              readonly maxRatio?: number | undefined;
            })
          | undefined;
        /** Venue error rate. */
        readonly venueErrors?:
          | (BreakerConfigInputBase & {
              /** Error share that trips, in (0, 1] (default 0.5). */
              readonly maxRate?: number | undefined;
              /** Fewest requests before the rate is judged (default 10). */
              readonly minRequests?: number | undefined;
              /** Sliding window in ms (default 60000). */
              readonly windowMs?: number | undefined;
            })
          | undefined;
        /** Too many order rejects. */
        readonly rejects?:
          | (BreakerConfigInputBase & {
              /** Rejects in the window that trip (default 5). */
              readonly maxCount?: number | undefined;
              /** Sliding window in ms (default 60000). */
              readonly windowMs?: number | undefined;
            })
          | undefined;
      }
    | undefined;
}

/**
 * A schema for a fraction. `5%` strings are accepted and mean 0.05; values of 1 or more are
 * rejected with a hint, because "5" almost always means 5 %, which the fraction form writes 0.05.
 */
function fractionSchema(options: { allowZero: boolean; allowOne: boolean }) {
  return z.pipe(
    z.unknown(),
    z.transform((value, ctx): Decimal => {
      const parsed = parseConfigDecimal(value, true);
      if (!parsed.ok) {
        ctx.issues.push({ code: "custom", message: parsed.reason, input: value });
        return z.NEVER;
      }
      const v = parsed.value;
      const low = options.allowZero ? v.isNegative() && !v.isZero() : v.lte(0);
      const high = options.allowOne ? v.gt(1) : v.gte(1);
      if (low || high) {
        const range = `${options.allowZero ? "[0" : "(0"}, 1${options.allowOne ? "]" : ")"}`;
        ctx.issues.push({
          code: "custom",
          message: `must be a fraction in ${range}: 0.05 means 5% (a "%" suffix is accepted too, e.g. "5%"); got ${v.toFixed()}`,
          input: value,
        });
        return z.NEVER;
      }
      return v;
    }),
  );
}

/** A schema for a positive decimal amount (notional, leverage). */
function positiveDecimalSchema() {
  return z.pipe(
    z.unknown(),
    z.transform((value, ctx): Decimal => {
      const parsed = parseConfigDecimal(value, false);
      if (!parsed.ok) {
        ctx.issues.push({ code: "custom", message: parsed.reason, input: value });
        return z.NEVER;
      }
      if (parsed.value.lte(0)) {
        ctx.issues.push({
          code: "custom",
          message: `must be greater than 0, got ${parsed.value.toFixed()}`,
          input: value,
        });
        return z.NEVER;
      }
      return parsed.value;
    }),
  );
}

const MINUTE = 60_000;

/** Default values, as the README lists them. */
const DEFAULTS = {
  maxDailyLossPct: "0.05",
  dailyResetUtc: "00:00",
  maxLeverage: "5",
  priceBandPct: "0.05",
  maxOpenOrders: 50,
  maxOrdersPerMinute: 60,
  minLiquidationDistancePct: "0.1",
  staleMarketDataMs: 30_000,
  markFutureToleranceMs: 1_000,
} as const;

/** The zod/mini schema of the object form (strict: unknown keys are errors), built on first use. */
const riskConfigZod = /* @__PURE__ */ z.memo(() => {
  const positiveInt = () =>
    z
      .number({ error: "must be a number" })
      .check(
        z.int("must be a whole number"),
        z.minimum(1, "must be at least 1"),
        z.maximum(Number.MAX_SAFE_INTEGER, "is too large"),
      );
  const onTripSchema = z.enum(["reducing", "halted"], { error: 'must be "reducing" or "halted"' });
  const flag = z.boolean({ error: "must be true or false" });
  const perSymbolSchema = z.record(
    z.string().check(z.minLength(1, "symbol must not be empty")),
    positiveDecimalSchema(),
  );
  const fraction = (fallback: string) =>
    z.prefault(fractionSchema({ allowZero: false, allowOne: false }), fallback);
  const breaker = <T extends Record<string, z.ZodMiniType>>(
    shape: T,
    cooldownMs: number,
    onTrip: BreakerTripState,
  ) =>
    z.prefault(
      z.strictObject({
        enabled: z._default(flag, true),
        ...shape,
        cooldownMs: z._default(positiveInt(), cooldownMs),
        onTrip: z._default(onTripSchema, onTrip),
      }),
      // Every field has a default, so `{}` is valid input (the generic shape hides that from tsc).
      {} as never,
    );
  return z.strictObject({
    maxDailyLossPct: fraction(DEFAULTS.maxDailyLossPct),
    dailyResetUtc: z._default(
      z
        .string({ error: "must be a string" })
        .check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be "HH:MM" in 24-hour UTC, from 00:00 to 23:59')),
      DEFAULTS.dailyResetUtc,
    ),
    reduceOnlyMode: z._default(flag, false),
    maxLeverage: z.prefault(positiveDecimalSchema(), DEFAULTS.maxLeverage),
    maxLeveragePerSymbol: z.prefault(perSymbolSchema, {}),
    maxPositionNotional: z.optional(positiveDecimalSchema()),
    maxPositionNotionalPerSymbol: z.prefault(perSymbolSchema, {}),
    maxTotalNotional: z.optional(positiveDecimalSchema()),
    maxOrderNotional: z.optional(positiveDecimalSchema()),
    maxNetLongNotional: z.optional(positiveDecimalSchema()),
    maxNetShortNotional: z.optional(positiveDecimalSchema()),
    priceBandPct: fraction(DEFAULTS.priceBandPct),
    maxOpenOrders: z._default(positiveInt(), DEFAULTS.maxOpenOrders),
    maxOrdersPerMinute: z._default(positiveInt(), DEFAULTS.maxOrdersPerMinute),
    minLiquidationDistancePct: z.prefault(
      fractionSchema({ allowZero: true, allowOne: false }),
      DEFAULTS.minLiquidationDistancePct,
    ),
    staleMarketDataMs: z._default(positiveInt(), DEFAULTS.staleMarketDataMs),
    markFutureToleranceMs: z._default(
      z
        .number({ error: "must be a number" })
        .check(
          z.int("must be a whole number"),
          z.minimum(0, "must be at least 0"),
          z.maximum(Number.MAX_SAFE_INTEGER, "is too large"),
        ),
      DEFAULTS.markFutureToleranceMs,
    ),
    breakers: z.prefault(
      z.strictObject({
        consecutiveLosses: breaker({ maxCount: z._default(positiveInt(), 5) }, 30 * MINUTE, "reducing"),
        drawdown: breaker({ maxPct: fraction("0.15") }, 24 * 60 * MINUTE, "halted"),
        volatility: breaker(
          {
            maxRatio: z._default(
              z.number({ error: "must be a number" }).check(z.positive("must be greater than 0")),
              3,
            ),
          },
          15 * MINUTE,
          "reducing",
        ),
        venueErrors: breaker(
          {
            maxRate: z._default(
              z
                .number({ error: "must be a number" })
                .check(
                  z.gt(0, "must be a fraction in (0, 1]"),
                  z.lte(1, "must be a fraction in (0, 1]: 0.5 means half of the requests"),
                ),
              0.5,
            ),
            minRequests: z._default(positiveInt(), 10),
            windowMs: z._default(positiveInt(), MINUTE),
          },
          5 * MINUTE,
          "halted",
        ),
        rejects: breaker(
          { maxCount: z._default(positiveInt(), 5), windowMs: z._default(positiveInt(), MINUTE) },
          5 * MINUTE,
          "reducing",
        ),
      }),
      {},
    ),
  });
});

// Compile-time proof that the schema's output is a RiskConfig.
type SchemaOutput = z.output<ReturnType<typeof riskConfigZod>>;
const _schemaOutputIsRiskConfig: (value: SchemaOutput) => RiskConfig = (value) => value;
void _schemaOutputIsRiskConfig;

/**
 * The schema of the object form of the risk configuration (strict: unknown keys are errors, so
 * typos surface). Its input is a `RiskConfigInput`; its output is a `RiskConfig`. Prefer
 * `parseRiskConfig` / `safeParseRiskConfig`, which turn its issues into `RiskConfigIssue`s.
 */
export const riskConfigSchema: ParseSchema<RiskConfig> = /* @__PURE__ */ z.publicSchema(riskConfigZod);

/** Internal: validates the object form with the schema; issues in full (`issuesFromZod` reads them). */
export function safeParseRiskConfigObject(input: unknown): z.SafeParseResult<RiskConfig> {
  return z.safeParse(riskConfigZod(), input);
}

/** The result of `safeParseRiskConfig` and `riskConfigFromEnv`: the config, or every issue as data. */
export type RiskConfigResult =
  | {
      /** Discriminant. */
      readonly ok: true;
      /** The validated configuration. */
      readonly config: RiskConfig;
      /** Non-fatal findings (e.g. unknown `RISK_*` variables from `riskConfigFromEnv`). */
      readonly warnings: readonly RiskConfigIssue[];
    }
  | {
      /** Discriminant. */
      readonly ok: false;
      /** Every problem found. */
      readonly issues: readonly RiskConfigIssue[];
      /** Non-fatal findings. */
      readonly warnings: readonly RiskConfigIssue[];
    };

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describeValue(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof DecimalJs) return value.toFixed();
  if (value === null) return "null";
  return typeof value;
}

/** Internal: zod issues → `RiskConfigIssue`s (one per unknown key). */
export function issuesFromZod(
  error: { readonly issues: readonly z.ZodIssue[] },
  input: unknown,
): RiskConfigIssue[] {
  const out: RiskConfigIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const path = [...issue.path, key].map(String).join(".");
        const value = describeValue(valueAt(input, [...issue.path, key]));
        out.push({ path, ...(value === undefined ? {} : { value }), reason: "unknown field (a typo?)" });
      }
      continue;
    }
    const value = describeValue(valueAt(input, issue.path));
    out.push({
      path: issue.path.map(String).join("."),
      ...(value === undefined ? {} : { value }),
      reason: issue.message,
    });
  }
  return out;
}

/**
 * Validates the object form of the configuration and fills in the defaults. Never throws, whatever
 * it is given (a getter or Proxy that throws when read is one issue): `{ ok: false, issues }` lists
 * each problem with its path. Issues are safe to log: a value is shown only when it is short and
 * number-shaped, else as `"(N characters, not shown)"`.
 *
 * @example
 * const result = safeParseRiskConfig({ maxLeverage: "abc" });
 * // { ok: false, issues: [{ path: "maxLeverage", value: "(3 characters, not shown)", reason: "not a decimal number" }], warnings: [] }
 */
export function safeParseRiskConfig(input: RiskConfigInput = {}): RiskConfigResult {
  try {
    const parsed = safeParseRiskConfigObject(input);
    if (parsed.success) return { ok: true, config: parsed.data, warnings: [] };
    const issues = issuesFromZod(parsed.error, input).map((issue) =>
      issue.value === undefined ? issue : { ...issue, value: valueExcerpt(issue.value) },
    );
    return { ok: false, issues, warnings: [] };
  } catch {
    // Only an exotic input gets here (a proxy or getter that throws when read); its error is not
    // copied, as it may quote what it was reading.
    const reason = "the configuration could not be read (reading it threw)";
    return { ok: false, issues: [{ path: "", reason }], warnings: [] };
  }
}

/** Text that is short and number-shaped (amounts, percentages, times): it cannot carry a secret. */
const QUOTABLE = /^[0-9eE.+\-%: ]{1,32}$/;

/**
 * What an issue of `safeParseRiskConfig` may show of a rejected value: the text itself when it is
 * short and number-shaped, else only its length (the same rule as `riskConfigFromEnv`).
 */
function valueExcerpt(text: string): string {
  return QUOTABLE.test(text) ? text : `(${text.length} characters, not shown)`;
}

/**
 * Validates the object form of the configuration and fills in the defaults.
 *
 * @example
 * const config = parseRiskConfig({ maxDailyLossPct: "0.03", maxLeverage: 3, dailyResetUtc: "13:30" });
 * @throws RiskConfigError listing every issue by path.
 */
export function parseRiskConfig(input: RiskConfigInput = {}): RiskConfig {
  const result = safeParseRiskConfig(input);
  if (!result.ok) throw new RiskConfigError(result.issues);
  return result.config;
}

/** The configuration with every default (see the README table). */
export function defaultRiskConfig(): RiskConfig {
  return parseRiskConfig({});
}

/**
 * Looks up a per-symbol value: by instrument id first (`"BTC-USD.COINBASE"`), then by the venue
 * symbol (`"BTC-USD"`, the id without its last `.VENUE` part).
 */
export function perSymbolValue<T>(record: Readonly<Record<string, T>>, instrumentId: string): T | undefined {
  if (Object.hasOwn(record, instrumentId)) return record[instrumentId];
  const dot = instrumentId.lastIndexOf(".");
  const symbol = dot > 0 ? instrumentId.slice(0, dot) : instrumentId;
  return Object.hasOwn(record, symbol) ? record[symbol] : undefined;
}
