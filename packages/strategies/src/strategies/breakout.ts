import type { Bar, ParseSchema } from "@gpt/core";
import * as z from "@gpt/core/validation";
import { Atr } from "@gpt/regime";
import { defineStrategy } from "../definition.js";
import { NO_INTENTS } from "../intents.js";
import { SingleInstrumentStrategy } from "../internal/base.js";
import { RollingExtremum } from "../internal/rolling.js";
import { boolParam, intParam, numberParam, positiveParam } from "../params.js";
import type { StrategyContext, StrategyIntent, StrategyOptions } from "../types.js";
import { MAX_WINDOW } from "./sma-cross.js";

/** Validated parameters of `breakout`. */
export interface BreakoutParams {
  /** Entry channel: highest high / lowest low of this many previous bars. */
  readonly entryPeriod: number;
  /** Exit channel: lowest low (long) / highest high (short) of this many previous bars. */
  readonly exitPeriod: number;
  /** ATR (Wilder) period in bars. */
  readonly atrPeriod: number;
  /** Stop distance in ATRs from the entry close (fixed); 0 disables it. */
  readonly atrMultiplier: number;
  /** Also trade downside breakouts. */
  readonly allowShort: boolean;
  /** sizeFraction hint of long/short targets (> 0). */
  readonly fraction: number;
}

const breakoutZod = /* @__PURE__ */ z.memo(() =>
  z.strictObject({
    entryPeriod: intParam(20, 1, MAX_WINDOW),
    exitPeriod: intParam(10, 1, MAX_WINDOW),
    atrPeriod: intParam(14, 1, MAX_WINDOW),
    atrMultiplier: numberParam(2, 0, 100),
    allowShort: boolParam(false),
    fraction: positiveParam(1, 10),
  }),
);

// Compile-time proof that the schema's output is a BreakoutParams.
const _breakoutOutput: (value: z.output<ReturnType<typeof breakoutZod>>) => BreakoutParams = (value) => value;
void _breakoutOutput;

/** Parameters of `breakout`: strict, numeric and boolean strings coerced, defaults filled in. */
export const breakoutSchema: ParseSchema<BreakoutParams> = /* @__PURE__ */ z.publicSchema(breakoutZod);

const R_READY = "breakout: inside the channel (initial state)";
const R_LONG = "breakout: close above the entry-channel high";
const R_SHORT = "breakout: close below the entry-channel low";
const R_EXIT_CHANNEL = "breakout: close through the exit channel";
const R_EXIT_STOP = "breakout: ATR stop hit";

/**
 * Donchian channel breakout, decided at each bar's close. The channels are built from the
 * **previous** bars only (the current bar is excluded, otherwise a close could never exceed a high
 * that includes it).
 *
 * - Long entry: close > highest high of the previous `entryPeriod` bars. Short entry (with
 *   `allowShort`): close < lowest low of the previous `entryPeriod` bars.
 * - Long exit: close < lowest low of the previous `exitPeriod` bars, or close <= the ATR stop
 *   (`entry close − atrMultiplier × ATR`, fixed at entry; 0 disables it). Short exit mirrored. A
 *   bar that exits one side may enter the other.
 * - On the first ready bar it emits its target (flat unless that bar breaks out).
 * - Entry confidence: `0.5 + 0.5 × min(1, breakout distance / ATR)`; exits carry 1.
 */
export class BreakoutStrategy extends SingleInstrumentStrategy<BreakoutParams> {
  /** = max(entryPeriod, exitPeriod, atrPeriod) + 1. */
  readonly warmUpBars: number;
  private readonly entryHigh: RollingExtremum;
  private readonly entryLow: RollingExtremum;
  private readonly exitHigh: RollingExtremum;
  private readonly exitLow: RollingExtremum;
  private readonly atr: Atr;
  private stop = Number.NaN;

  constructor(params: BreakoutParams, options: StrategyOptions) {
    super("breakout", params, options);
    this.warmUpBars = Math.max(params.entryPeriod, params.exitPeriod, params.atrPeriod) + 1;
    this.entryHigh = new RollingExtremum(params.entryPeriod, "max");
    this.entryLow = new RollingExtremum(params.entryPeriod, "min");
    this.exitHigh = new RollingExtremum(params.exitPeriod, "max");
    this.exitLow = new RollingExtremum(params.exitPeriod, "min");
    this.atr = new Atr({ period: params.atrPeriod });
  }

  protected handleBar(_ctx: StrategyContext, bar: Bar): readonly StrategyIntent[] {
    const atr = this.atr.update(bar);
    // Channels of the previous bars, read before the current bar enters them.
    const upper = this.entryHigh.value;
    const lower = this.entryLow.value;
    const exitUpper = this.exitHigh.value;
    const exitLower = this.exitLow.value;
    this.entryHigh.push(bar.high);
    this.entryLow.push(bar.low);
    this.exitHigh.push(bar.high);
    this.exitLow.push(bar.low);
    if (
      atr === undefined ||
      upper === undefined ||
      lower === undefined ||
      exitUpper === undefined ||
      exitLower === undefined
    ) {
      return NO_INTENTS;
    }
    const close = bar.close;
    const current = this.target.direction;
    let exitReason: string | undefined;
    if (current === "long") {
      if (close < exitLower) exitReason = R_EXIT_CHANNEL;
      else if (close <= this.stop) exitReason = R_EXIT_STOP;
    } else if (current === "short") {
      if (close > exitUpper) exitReason = R_EXIT_CHANNEL;
      else if (close >= this.stop) exitReason = R_EXIT_STOP;
    }
    const holding = current !== "flat" && exitReason === undefined;
    if (!holding) {
      const k = this.params.atrMultiplier;
      if (close > upper && current !== "long") {
        const stop = k > 0 ? close - k * atr : Number.NaN;
        return this.enter("long", stop, close - upper, atr, bar);
      }
      if (this.params.allowShort && close < lower && current !== "short") {
        const stop = k > 0 ? close + k * atr : Number.NaN;
        return this.enter("short", stop, lower - close, atr, bar);
      }
    }
    if (exitReason !== undefined || this.target.current === undefined) {
      this.stop = Number.NaN;
      return this.target.propose("flat", 1, exitReason ?? R_READY, bar.tsEvent);
    }
    return NO_INTENTS;
  }

  private enter(
    direction: "long" | "short",
    stop: number,
    distance: number,
    atr: number,
    bar: Bar,
  ): readonly StrategyIntent[] {
    this.stop = stop > 0 ? stop : Number.NaN;
    const confidence = 0.5 + 0.5 * (atr > 0 ? Math.min(1, distance / atr) : 1);
    return this.target.propose(
      direction,
      confidence,
      direction === "long" ? R_LONG : R_SHORT,
      bar.tsEvent,
      this.params.fraction,
      Number.isNaN(this.stop) ? undefined : this.stop,
    );
  }

  protected resetState(): void {
    this.entryHigh.clear();
    this.entryLow.clear();
    this.exitHigh.clear();
    this.exitLow.clear();
    this.atr.reset();
    this.stop = Number.NaN;
  }
}

/** Registry entry of `breakout`. */
export const breakoutDefinition = defineStrategy({
  name: "breakout",
  description:
    "Donchian channel breakout: enter when a close leaves the channel of the previous entryPeriod bars, exit when it crosses the channel of the previous exitPeriod bars or hits the ATR stop; long only unless allowShort.",
  params: [
    {
      name: "entryPeriod",
      type: "integer",
      default: 20,
      min: 1,
      max: MAX_WINDOW,
      description: "Entry channel: highest high / lowest low of this many previous bars.",
    },
    {
      name: "exitPeriod",
      type: "integer",
      default: 10,
      min: 1,
      max: MAX_WINDOW,
      description: "Exit channel: lowest low (long) / highest high (short) of this many previous bars.",
    },
    {
      name: "atrPeriod",
      type: "integer",
      default: 14,
      min: 1,
      max: MAX_WINDOW,
      description: "ATR (Wilder) period in bars.",
    },
    {
      name: "atrMultiplier",
      type: "number",
      default: 2,
      min: 0,
      max: 100,
      description: "Stop distance in ATRs from the entry close (fixed); 0 disables it.",
    },
    { name: "allowShort", type: "boolean", default: false, description: "Also trade downside breakouts." },
    {
      name: "fraction",
      type: "number",
      default: 1,
      min: 0,
      max: 10,
      description: "sizeFraction hint of long/short targets (> 0).",
    },
  ],
  schema: breakoutSchema,
  usesFunding: false,
  create: (params, options) => new BreakoutStrategy(params, options),
});
