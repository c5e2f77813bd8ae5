import type { Bar, ParseSchema } from "@gpt/core";
import * as z from "@gpt/core/validation";
import { Atr, Ema, Sma } from "@gpt/regime";
import { defineStrategy } from "../definition.js";
import { NO_INTENTS } from "../intents.js";
import { SingleInstrumentStrategy } from "../internal/base.js";
import { boolParam, enumParam, intParam, numberParam, positiveParam } from "../params.js";
import type { StrategyContext, StrategyIntent, StrategyOptions } from "../types.js";
import { MAX_WINDOW } from "./sma-cross.js";

/** Validated parameters of `trend-following`. */
export interface TrendFollowingParams {
  /** Fast MA window in bars (< slow). */
  readonly fast: number;
  /** Slow MA window in bars. */
  readonly slow: number;
  /** Moving-average kind. */
  readonly maType: "ema" | "sma";
  /** ATR (Wilder) period in bars. */
  readonly atrPeriod: number;
  /** Stop distance in ATRs from the entry close; 0 disables the stop. */
  readonly atrMultiplier: number;
  /** Trail the stop behind the close (it only tightens). */
  readonly trailing: boolean;
  /** Go short on a downward crossover (otherwise flat). */
  readonly allowShort: boolean;
  /** sizeFraction hint of long/short targets (> 0). */
  readonly fraction: number;
}

const trendFollowingZod = /* @__PURE__ */ z.memo(() =>
  z
    .strictObject({
      fast: intParam(20, 1, MAX_WINDOW),
      slow: intParam(50, 2, MAX_WINDOW),
      maType: enumParam(["ema", "sma"] as const, "ema"),
      atrPeriod: intParam(14, 1, MAX_WINDOW),
      atrMultiplier: numberParam(3, 0, 100),
      trailing: boolParam(true),
      allowShort: boolParam(false),
      fraction: positiveParam(1, 10),
    })
    .check(
      z.superRefine((p, ctx) => {
        if (p.fast >= p.slow) {
          ctx.addIssue({
            code: "custom",
            path: ["fast"],
            input: p.fast,
            message: `fast (${p.fast}) must be below slow (${p.slow})`,
          });
        }
      }),
    ),
);

// Compile-time proof that the schema's output is a TrendFollowingParams.
const _trendFollowingOutput: (value: z.output<ReturnType<typeof trendFollowingZod>>) => TrendFollowingParams =
  (value) => value;
void _trendFollowingOutput;

/** Parameters of `trend-following`: strict, numeric and boolean strings coerced, defaults filled in. */
export const trendFollowingSchema: ParseSchema<TrendFollowingParams> = /* @__PURE__ */ z.publicSchema(
  trendFollowingZod,
);

const R_INITIAL_UP = "trend-following: fast MA above slow MA (initial state)";
const R_INITIAL_DOWN = "trend-following: fast MA below slow MA (initial state)";
const R_INITIAL_FLAT = "trend-following: no trend (initial state)";
const R_CROSS_UP = "trend-following: fast MA crossed above slow MA";
const R_CROSS_DOWN = "trend-following: fast MA crossed below slow MA";
const R_CROSS_FLAT = "trend-following: fast MA equals slow MA";
const R_STOP = "trend-following: ATR stop hit";
const R_TRAIL = "trend-following: trailing stop moved";

interface Average {
  update(x: number): number | undefined;
  reset(): void;
}

/**
 * Moving-average crossover with an ATR stop, decided at each bar's close.
 *
 * - The trend state is the sign of `MA(fast) − MA(slow)` (EMA or SMA of closes, `maType`).
 * - When the state flips up the target becomes long; when it flips down, short (if `allowShort`)
 *   or flat. On the first ready bar the target follows the current state.
 * - Entering sets `stop = close ∓ atrMultiplier × ATR(atrPeriod)` (long: minus). With `trailing`,
 *   the stop then follows the close (it only tightens: a long's stop only rises). A close at or
 *   through the stop exits to flat, and the strategy stays flat until the next crossover.
 *   `atrMultiplier = 0` disables the stop.
 * - Entry confidence is `0.5 + 0.5 × min(1, |fast − slow| / ATR)`, kept while the position is held;
 *   exits carry 1. Long and short targets carry `sizeFraction = fraction`.
 */
export class TrendFollowingStrategy extends SingleInstrumentStrategy<TrendFollowingParams> {
  /** = max(slow, atrPeriod + 1). */
  readonly warmUpBars: number;
  private readonly fastMa: Average;
  private readonly slowMa: Average;
  private readonly atr: Atr;
  private state = 0;
  private ready = false;
  private stop = Number.NaN;
  private confidence = 1;

  constructor(params: TrendFollowingParams, options: StrategyOptions) {
    super("trend-following", params, options);
    this.warmUpBars = Math.max(params.slow, params.atrPeriod + 1);
    const Ma = params.maType === "ema" ? Ema : Sma;
    this.fastMa = new Ma({ period: params.fast });
    this.slowMa = new Ma({ period: params.slow });
    this.atr = new Atr({ period: params.atrPeriod });
  }

  protected handleBar(_ctx: StrategyContext, bar: Bar): readonly StrategyIntent[] {
    const close = bar.close;
    const fast = this.fastMa.update(close);
    const slow = this.slowMa.update(close);
    const atr = this.atr.update(bar);
    if (fast === undefined || slow === undefined || atr === undefined) return NO_INTENTS;
    const state = fast > slow ? 1 : fast < slow ? -1 : 0;
    if (!this.ready || state !== this.state) {
      const initial = !this.ready;
      this.ready = true;
      this.state = state;
      const strength = atr > 0 ? Math.min(1, Math.abs(fast - slow) / atr) : 0;
      if (state === 1)
        return this.enter("long", close, atr, strength, initial ? R_INITIAL_UP : R_CROSS_UP, bar);
      if (state === -1 && this.params.allowShort) {
        return this.enter("short", close, atr, strength, initial ? R_INITIAL_DOWN : R_CROSS_DOWN, bar);
      }
      const reason = initial
        ? state === -1
          ? R_INITIAL_DOWN
          : R_INITIAL_FLAT
        : state === -1
          ? R_CROSS_DOWN
          : R_CROSS_FLAT;
      return this.target.propose("flat", 1, reason, bar.tsEvent);
    }
    const direction = this.target.direction;
    if (direction === "flat" || Number.isNaN(this.stop)) return NO_INTENTS;
    const k = this.params.atrMultiplier;
    if (direction === "long") {
      if (close <= this.stop) return this.exitOnStop(bar);
      if (this.params.trailing) {
        const candidate = close - k * atr;
        if (candidate > this.stop) return this.moveStop(candidate, bar);
      }
    } else {
      if (close >= this.stop) return this.exitOnStop(bar);
      if (this.params.trailing) {
        const candidate = close + k * atr;
        if (candidate < this.stop) return this.moveStop(candidate, bar);
      }
    }
    return NO_INTENTS;
  }

  private enter(
    direction: "long" | "short",
    close: number,
    atr: number,
    strength: number,
    reason: string,
    bar: Bar,
  ): readonly StrategyIntent[] {
    const k = this.params.atrMultiplier;
    const stop = k > 0 ? (direction === "long" ? close - k * atr : close + k * atr) : Number.NaN;
    this.stop = stop > 0 ? stop : Number.NaN;
    this.confidence = 0.5 + 0.5 * strength;
    return this.target.propose(
      direction,
      this.confidence,
      reason,
      bar.tsEvent,
      this.params.fraction,
      Number.isNaN(this.stop) ? undefined : this.stop,
    );
  }

  private exitOnStop(bar: Bar): readonly StrategyIntent[] {
    this.stop = Number.NaN;
    return this.target.propose("flat", 1, R_STOP, bar.tsEvent);
  }

  private moveStop(stop: number, bar: Bar): readonly StrategyIntent[] {
    this.stop = stop;
    return this.target.propose(
      this.target.direction,
      this.confidence,
      R_TRAIL,
      bar.tsEvent,
      this.params.fraction,
      stop,
    );
  }

  protected resetState(): void {
    this.fastMa.reset();
    this.slowMa.reset();
    this.atr.reset();
    this.state = 0;
    this.ready = false;
    this.stop = Number.NaN;
    this.confidence = 1;
  }
}

/** Registry entry of `trend-following`. */
export const trendFollowingDefinition = defineStrategy({
  name: "trend-following",
  description:
    "Moving-average crossover (EMA or SMA) with an ATR stop, optionally trailing; long only unless allowShort. Enters on a crossover, exits on the opposite crossover or when a close reaches the stop.",
  params: [
    {
      name: "fast",
      type: "integer",
      default: 20,
      min: 1,
      max: MAX_WINDOW,
      description: "Fast MA window in bars (< slow).",
    },
    {
      name: "slow",
      type: "integer",
      default: 50,
      min: 2,
      max: MAX_WINDOW,
      description: "Slow MA window in bars.",
    },
    {
      name: "maType",
      type: "enum",
      default: "ema",
      values: ["ema", "sma"],
      description: "Moving-average kind.",
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
      default: 3,
      min: 0,
      max: 100,
      description: "Stop distance in ATRs from the entry close; 0 disables the stop.",
    },
    {
      name: "trailing",
      type: "boolean",
      default: true,
      description: "Trail the stop behind the close (it only tightens).",
    },
    {
      name: "allowShort",
      type: "boolean",
      default: false,
      description: "Go short on a downward crossover (otherwise flat).",
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
  schema: trendFollowingSchema,
  usesFunding: false,
  create: (params, options) => new TrendFollowingStrategy(params, options),
});
