import type { Bar, ParseSchema } from "@gpt/core";
import * as z from "@gpt/core/validation";
import { BollingerBands } from "@gpt/regime";
import { defineStrategy } from "../definition.js";
import { NO_INTENTS } from "../intents.js";
import { SingleInstrumentStrategy } from "../internal/base.js";
import { boolParam, intParam, numberParam, positiveParam } from "../params.js";
import type { StrategyContext, StrategyIntent, StrategyOptions } from "../types.js";
import { MAX_WINDOW } from "./sma-cross.js";

/** Validated parameters of `mean-reversion`. */
export interface MeanReversionParams {
  /** Rolling window of the mean and standard deviation, in bars. */
  readonly period: number;
  /** Entry threshold in standard deviations (> 0). */
  readonly entryZ: number;
  /** Exit when |z| has come back within this (< entryZ). */
  readonly exitZ: number;
  /** Stop when z runs beyond this (> entryZ); 0 disables it. */
  readonly stopZ: number;
  /** Also fade moves above the mean. */
  readonly allowShort: boolean;
  /** sizeFraction hint of long/short targets (> 0). */
  readonly fraction: number;
}

const meanReversionZod = /* @__PURE__ */ z.memo(() =>
  z
    .strictObject({
      period: intParam(20, 2, MAX_WINDOW),
      entryZ: positiveParam(2, 100),
      exitZ: numberParam(0.5, 0, 100),
      stopZ: numberParam(0, 0, 1000),
      allowShort: boolParam(false),
      fraction: positiveParam(1, 10),
    })
    .check(
      z.superRefine((p, ctx) => {
        if (p.exitZ >= p.entryZ) {
          ctx.addIssue({
            code: "custom",
            path: ["exitZ"],
            input: p.exitZ,
            message: `exitZ (${p.exitZ}) must be below entryZ (${p.entryZ})`,
          });
        }
        if (p.stopZ !== 0 && p.stopZ <= p.entryZ) {
          ctx.addIssue({
            code: "custom",
            path: ["stopZ"],
            input: p.stopZ,
            message: `stopZ (${p.stopZ}) must be 0 (off) or above entryZ (${p.entryZ})`,
          });
        }
      }),
    ),
);

// Compile-time proof that the schema's output is a MeanReversionParams.
const _meanReversionOutput: (value: z.output<ReturnType<typeof meanReversionZod>>) => MeanReversionParams = (
  value,
) => value;
void _meanReversionOutput;

/** Parameters of `mean-reversion`: strict, numeric and boolean strings coerced, defaults filled in. */
export const meanReversionSchema: ParseSchema<MeanReversionParams> = /* @__PURE__ */ z.publicSchema(
  meanReversionZod,
);

const R_READY = "mean-reversion: z-score inside the bands (initial state)";
const R_LONG = "mean-reversion: z-score below -entryZ";
const R_SHORT = "mean-reversion: z-score above entryZ";
const R_EXIT = "mean-reversion: z-score reverted inside exitZ";
const R_STOP = "mean-reversion: z-score beyond stopZ";

/**
 * Bollinger / z-score mean reversion, decided at each bar's close. `z = (close − mean) / σ` over
 * the last `period` closes including the current one (population σ; 0 when σ is 0).
 *
 * - Long entry: `z < −entryZ`. Long exit: `z ≥ −exitZ` (the close came back to within `exitZ` of
 *   the mean, or beyond it), or `z < −stopZ` when `stopZ > 0`.
 * - Short entry (with `allowShort`): `z > entryZ`; exit: `z ≤ exitZ`, or `z > stopZ`.
 * - Entries carry `takeProfitPrice` = the mean and, with `stopZ > 0`, `stopPrice` = mean ∓ stopZ × σ,
 *   both fixed at entry; no entry happens beyond the stop level.
 * - On the first ready bar it emits its target (flat unless that bar is an entry).
 * - Entry confidence: `min(1, 0.5 × |z| / entryZ)` (0.5 at the threshold); exits carry 1.
 */
export class MeanReversionStrategy extends SingleInstrumentStrategy<MeanReversionParams> {
  /** = period. */
  readonly warmUpBars: number;
  private readonly bands: BollingerBands;

  constructor(params: MeanReversionParams, options: StrategyOptions) {
    super("mean-reversion", params, options);
    this.warmUpBars = params.period;
    this.bands = new BollingerBands({ period: params.period, multiplier: params.entryZ });
  }

  protected handleBar(_ctx: StrategyContext, bar: Bar): readonly StrategyIntent[] {
    const b = this.bands.update(bar.close);
    if (b === undefined) return NO_INTENTS;
    const { middle, stdDev } = b;
    const z = stdDev > 0 ? (bar.close - middle) / stdDev : 0;
    const { entryZ, exitZ, stopZ } = this.params;
    const current = this.target.direction;
    let exitReason: string | undefined;
    if (current === "long") {
      if (stopZ > 0 && z < -stopZ) exitReason = R_STOP;
      else if (z >= -exitZ) exitReason = R_EXIT;
    } else if (current === "short") {
      if (stopZ > 0 && z > stopZ) exitReason = R_STOP;
      else if (z <= exitZ) exitReason = R_EXIT;
    }
    if (current === "flat" || exitReason !== undefined) {
      const withinStop = stopZ === 0 || Math.abs(z) <= stopZ;
      if (z < -entryZ && withinStop && current !== "long") return this.enter("long", z, middle, stdDev, bar);
      if (this.params.allowShort && z > entryZ && withinStop && current !== "short") {
        return this.enter("short", z, middle, stdDev, bar);
      }
    }
    if (exitReason !== undefined || this.target.current === undefined) {
      return this.target.propose("flat", 1, exitReason ?? R_READY, bar.tsEvent);
    }
    return NO_INTENTS;
  }

  private enter(
    direction: "long" | "short",
    z: number,
    middle: number,
    stdDev: number,
    bar: Bar,
  ): readonly StrategyIntent[] {
    const stopZ = this.params.stopZ;
    const stop = stopZ > 0 ? (direction === "long" ? middle - stopZ * stdDev : middle + stopZ * stdDev) : 0;
    return this.target.propose(
      direction,
      Math.min(1, (0.5 * Math.abs(z)) / this.params.entryZ),
      direction === "long" ? R_LONG : R_SHORT,
      bar.tsEvent,
      this.params.fraction,
      stop > 0 ? stop : undefined,
      middle > 0 ? middle : undefined,
    );
  }

  protected resetState(): void {
    this.bands.reset();
  }
}

/** Registry entry of `mean-reversion`. */
export const meanReversionDefinition = defineStrategy({
  name: "mean-reversion",
  description:
    "Bollinger / z-score mean reversion: long when the close is more than entryZ standard deviations below its rolling mean, out when it comes back within exitZ; long only unless allowShort.",
  params: [
    {
      name: "period",
      type: "integer",
      default: 20,
      min: 2,
      max: MAX_WINDOW,
      description: "Rolling window of the mean and standard deviation, in bars.",
    },
    {
      name: "entryZ",
      type: "number",
      default: 2,
      min: 0,
      max: 100,
      description: "Entry threshold in standard deviations (> 0).",
    },
    {
      name: "exitZ",
      type: "number",
      default: 0.5,
      min: 0,
      max: 100,
      description: "Exit when |z| has come back within this (< entryZ).",
    },
    {
      name: "stopZ",
      type: "number",
      default: 0,
      min: 0,
      max: 1000,
      description: "Stop when z runs beyond this (> entryZ); 0 disables it.",
    },
    { name: "allowShort", type: "boolean", default: false, description: "Also fade moves above the mean." },
    {
      name: "fraction",
      type: "number",
      default: 1,
      min: 0,
      max: 10,
      description: "sizeFraction hint of long/short targets (> 0).",
    },
  ],
  schema: meanReversionSchema,
  usesFunding: false,
  create: (params, options) => new MeanReversionStrategy(params, options),
});
