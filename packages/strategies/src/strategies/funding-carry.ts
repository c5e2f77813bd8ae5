import type { ParseSchema } from "@gpt/core";
import { type Bar, DAY_MS, type FundingRate } from "@gpt/core";
import * as z from "@gpt/core/validation";
import { Sma } from "@gpt/regime";
import { defineStrategy } from "../definition.js";
import { StrategyError } from "../errors.js";
import { NO_INTENTS } from "../intents.js";
import { SingleInstrumentStrategy } from "../internal/base.js";
import { boolParam, intParam, numberParam, positiveParam } from "../params.js";
import type { Direction, StrategyContext, StrategyIntent, StrategyOptions } from "../types.js";
import { MAX_WINDOW } from "./sma-cross.js";

/** Milliseconds in a 365-day year (funding rates are annualised with it). */
export const YEAR_MS = 365 * DAY_MS;

/** Validated parameters of `funding-carry`. */
export interface FundingCarryParams {
  /** Enter when |mean annualised funding| reaches this (0.3 = 30 % a year; > 0). */
  readonly entryAnnualized: number;
  /** Hold while the mean stays beyond this on the same side (< entryAnnualized). */
  readonly exitAnnualized: number;
  /** Funding observations averaged. */
  readonly window: number;
  /** Go long when funding is extremely negative. */
  readonly allowLong: boolean;
  /** Go short when funding is extremely positive. */
  readonly allowShort: boolean;
  /** Trend filter SMA window in bars (shorts only below it, longs only above); 0 disables. */
  readonly trendPeriod: number;
  /** sizeFraction hint of long/short targets (> 0). */
  readonly fraction: number;
}

const fundingCarryZod = /* @__PURE__ */ z.memo(() =>
  z
    .strictObject({
      entryAnnualized: positiveParam(0.3, 1000),
      exitAnnualized: numberParam(0.1, 0, 1000),
      window: intParam(3, 1, 10_000),
      allowLong: boolParam(true),
      allowShort: boolParam(true),
      trendPeriod: intParam(0, 0, MAX_WINDOW),
      fraction: positiveParam(1, 10),
    })
    .check(
      z.superRefine((p, ctx) => {
        if (p.exitAnnualized >= p.entryAnnualized) {
          ctx.addIssue({
            code: "custom",
            path: ["exitAnnualized"],
            input: p.exitAnnualized,
            message: `exitAnnualized (${p.exitAnnualized}) must be below entryAnnualized (${p.entryAnnualized})`,
          });
        }
        if (!p.allowLong && !p.allowShort) {
          ctx.addIssue({
            code: "custom",
            path: ["allowShort"],
            input: p.allowShort,
            message: "at least one of allowLong and allowShort must be true",
          });
        }
      }),
    ),
);

// Compile-time proof that the schema's output is a FundingCarryParams.
const _fundingCarryOutput: (value: z.output<ReturnType<typeof fundingCarryZod>>) => FundingCarryParams = (
  value,
) => value;
void _fundingCarryOutput;

/** Parameters of `funding-carry`: strict, numeric and boolean strings coerced, defaults filled in. */
export const fundingCarrySchema: ParseSchema<FundingCarryParams> = /* @__PURE__ */ z.publicSchema(
  fundingCarryZod,
);

const R_READY = "funding-carry: funding not extreme (initial state)";
const R_SHORT = "funding-carry: funding extremely positive, leaning short";
const R_LONG = "funding-carry: funding extremely negative, leaning long";
const R_EXIT = "funding-carry: funding back to normal";
const R_BLOCKED = "funding-carry: trend filter against the carry trade";

/**
 * Funding-rate carry for perpetuals: lean against extreme funding. When longs pay a lot (funding
 * far above zero) the crowd is long, so go short and collect funding; when shorts pay, go long.
 *
 * - Each funding observation is annualised: `rate × YEAR_MS / intervalMs` (so 1h and 8h venues
 *   compare), and the decision uses the mean of the last `window` observations.
 * - Short when mean ≥ `entryAnnualized` (with `allowShort`), long when mean ≤ −`entryAnnualized`
 *   (with `allowLong`). A short is held while mean ≥ `exitAnnualized`, a long while
 *   mean ≤ −`exitAnnualized`; otherwise flat (or the opposite side if that is extreme).
 * - Optional trend filter (`trendPeriod > 0`): a short is only allowed while the last close is
 *   below SMA(`trendPeriod`) of closes, a long while it is above; a held position whose filter
 *   turns against it exits at that bar's close. Until the SMA is ready nothing is allowed.
 * - Decisions happen on funding observations (and filter exits on bars). The first full window
 *   emits the initial target. Confidence: `min(1, 0.5 × |mean| / entryAnnualized)`; exits carry 1.
 */
export class FundingCarryStrategy extends SingleInstrumentStrategy<FundingCarryParams> {
  /** = trendPeriod (0 without the trend filter): funding events drive the rest. */
  readonly warmUpBars: number;
  private readonly rates: Float64Array;
  private readonly trend: Sma | undefined;
  private rateCount = 0;
  private rateSum = 0;
  private lastClose = Number.NaN;
  private lastTrend: number | undefined = undefined;

  constructor(params: FundingCarryParams, options: StrategyOptions) {
    super("funding-carry", params, options);
    this.warmUpBars = params.trendPeriod;
    this.rates = new Float64Array(params.window);
    this.trend = params.trendPeriod > 0 ? new Sma({ period: params.trendPeriod }) : undefined;
  }

  protected handleBar(_ctx: StrategyContext, bar: Bar): readonly StrategyIntent[] {
    this.lastClose = bar.close;
    if (this.trend === undefined) return NO_INTENTS;
    this.lastTrend = this.trend.update(bar.close);
    const current = this.target.direction;
    if (current !== "flat" && !this.allowed(current)) {
      return this.target.propose("flat", 1, R_BLOCKED, bar.tsEvent);
    }
    return NO_INTENTS;
  }

  /** Handles a funding observation of the instrument. @throws StrategyError on a bad rate or interval. */
  onFunding(_ctx: StrategyContext, funding: FundingRate): readonly StrategyIntent[] {
    if (funding.instrumentId !== this.instrumentId) return NO_INTENTS;
    const { rate, intervalMs } = funding;
    if (!Number.isFinite(rate) || !(intervalMs > 0) || !Number.isFinite(intervalMs)) {
      throw new StrategyError(
        "invalid-input",
        `funding-carry: bad funding observation (rate ${rate}, interval ${intervalMs})`,
        {
          strategy: this.name,
          param: Number.isFinite(rate) ? "intervalMs" : "rate",
          value: Number.isFinite(rate) ? intervalMs : rate,
        },
      );
    }
    const annualized = (rate * YEAR_MS) / intervalMs;
    const w = this.params.window;
    const slot = this.rateCount % w;
    if (this.rateCount >= w) this.rateSum -= this.rates[slot] as number;
    this.rates[slot] = annualized;
    this.rateSum += annualized;
    this.rateCount++;
    if (this.rateCount < w) return NO_INTENTS;
    // Re-sum the small window every time it wraps, so float drift cannot build up.
    if (slot === w - 1) {
      let s = 0;
      for (let i = 0; i < w; i++) s += this.rates[i] as number;
      this.rateSum = s;
    }
    const mean = this.rateSum / w;
    const { entryAnnualized: entry, exitAnnualized: exit } = this.params;
    const current = this.target.direction;
    let wanted: Direction = "flat";
    if (current === "short" && mean >= exit) wanted = "short";
    else if (current === "long" && mean <= -exit) wanted = "long";
    if (mean >= entry && this.params.allowShort) wanted = "short";
    else if (mean <= -entry && this.params.allowLong) wanted = "long";
    if (wanted !== "flat" && !this.allowed(wanted)) {
      return this.target.propose("flat", 1, R_BLOCKED, funding.tsEvent);
    }
    if (wanted === "flat") {
      const reason = this.target.current === undefined ? R_READY : R_EXIT;
      return this.target.propose("flat", 1, reason, funding.tsEvent);
    }
    if (wanted === current) return NO_INTENTS;
    const confidence = Math.min(1, (0.5 * Math.abs(mean)) / entry);
    return this.target.propose(
      wanted,
      confidence,
      wanted === "short" ? R_SHORT : R_LONG,
      funding.tsEvent,
      this.params.fraction,
    );
  }

  /** Whether the trend filter lets a position in `direction` be held. */
  private allowed(direction: "long" | "short"): boolean {
    if (this.trend === undefined) return true;
    const sma = this.lastTrend;
    if (sma === undefined || Number.isNaN(this.lastClose)) return false;
    return direction === "short" ? this.lastClose < sma : this.lastClose > sma;
  }

  protected resetState(): void {
    this.rates.fill(0);
    this.rateCount = 0;
    this.rateSum = 0;
    this.lastClose = Number.NaN;
    this.lastTrend = undefined;
    this.trend?.reset();
  }
}

/** Registry entry of `funding-carry`. */
export const fundingCarryDefinition = defineStrategy({
  name: "funding-carry",
  description:
    "Perpetuals only: lean against extreme funding. Short when the (annualised, averaged) funding rate is extremely positive, long when extremely negative, flat when it is normal; optional trend filter. Needs funding-rate events.",
  params: [
    {
      name: "entryAnnualized",
      type: "number",
      default: 0.3,
      min: 0,
      max: 1000,
      description: "Enter when |mean annualised funding| reaches this (0.3 = 30 % a year; > 0).",
    },
    {
      name: "exitAnnualized",
      type: "number",
      default: 0.1,
      min: 0,
      max: 1000,
      description: "Hold while the mean stays beyond this on the same side (< entryAnnualized).",
    },
    {
      name: "window",
      type: "integer",
      default: 3,
      min: 1,
      max: 10_000,
      description: "Funding observations averaged.",
    },
    {
      name: "allowLong",
      type: "boolean",
      default: true,
      description: "Go long when funding is extremely negative.",
    },
    {
      name: "allowShort",
      type: "boolean",
      default: true,
      description: "Go short when funding is extremely positive.",
    },
    {
      name: "trendPeriod",
      type: "integer",
      default: 0,
      min: 0,
      max: MAX_WINDOW,
      description: "Trend filter SMA window in bars (shorts only below it, longs only above); 0 disables.",
    },
    {
      name: "fraction",
      type: "number",
      default: 1,
      min: 0,
      max: 10,
      description: "sizeFraction hint of long/short targets (> 0).",
    },
  ],
  schema: fundingCarrySchema,
  usesFunding: true,
  create: (params, options) => new FundingCarryStrategy(params, options),
});
