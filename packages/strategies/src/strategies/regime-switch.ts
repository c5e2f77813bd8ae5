import type { ParseSchema } from "@gpt/core";
import { type Bar, type FundingRate, strategyId } from "@gpt/core";
import * as z from "@gpt/core/validation";
import type { Regime } from "@gpt/regime";
import { defineStrategy, type StrategyFactory } from "../definition.js";
import { NO_INTENTS } from "../intents.js";
import { SingleInstrumentStrategy } from "../internal/base.js";
import { createChild } from "../internal/children.js";
import { latestTarget } from "../internal/target.js";
import { enumParam, positiveParam } from "../params.js";
import type {
  Strategy,
  StrategyContext,
  StrategyIntent,
  StrategyOptions,
  TargetPositionIntent,
} from "../types.js";

/** Validated parameters of `regime-switch`. */
export interface RegimeSwitchParams {
  /** Registry name of the child used in trend-up / trend-down regimes. */
  readonly trendStrategy: string;
  /** Parameters of the trend child (CLI: trendParams.fast=10). */
  readonly trendParams: Readonly<Record<string, unknown>>;
  /** Registry name of the child used in range regimes. */
  readonly rangeStrategy: string;
  /** Parameters of the range child (CLI: rangeParams.entryZ=2.5). */
  readonly rangeParams: Readonly<Record<string, unknown>>;
  /** What to do in high volatility: stand aside, or follow the trend / range child. */
  readonly highVolatility: "flat" | "trend" | "range";
  /** Confidence multiplier when following a child in high volatility (> 0). */
  readonly highVolatilityConfidence: number;
}

const regimeSwitchZod = /* @__PURE__ */ z.memo(() =>
  z.strictObject({
    trendStrategy: z._default(z.string().check(z.minLength(1)), "trend-following"),
    trendParams: z._default(z.record(z.string(), z.unknown()), {}),
    rangeStrategy: z._default(z.string().check(z.minLength(1)), "mean-reversion"),
    rangeParams: z._default(z.record(z.string(), z.unknown()), {}),
    highVolatility: enumParam(["flat", "trend", "range"] as const, "flat"),
    highVolatilityConfidence: positiveParam(0.5, 1),
  }),
);

// Compile-time proof that the schema's output is a RegimeSwitchParams.
const _regimeSwitchOutput: (value: z.output<ReturnType<typeof regimeSwitchZod>>) => RegimeSwitchParams = (
  value,
) => value;
void _regimeSwitchOutput;

/** Parameters of `regime-switch`: strict, numeric and boolean strings coerced, defaults filled in. */
export const regimeSwitchSchema: ParseSchema<RegimeSwitchParams> = /* @__PURE__ */ z.publicSchema(
  regimeSwitchZod,
);

const R_TREND = "regime-switch: trend regime, following the trend strategy";
const R_RANGE = "regime-switch: range regime, following the range strategy";
const R_HIGH_VOL = "regime-switch: high volatility, following at reduced confidence";
const R_HIGH_VOL_FLAT = "regime-switch: high volatility, standing aside";
const R_CRISIS = "regime-switch: crisis, standing aside";
const R_CHILD_WARMING = "regime-switch: the active strategy is still warming up";

/**
 * Meta-strategy: delegates by market regime (read from `ctx.regime`, i.e. the kernel's
 * `@gpt/regime` classifier).
 *
 * - `trend-up` / `trend-down` → the trend child (`trendStrategy`, default `trend-following`);
 * - `range` → the range child (`rangeStrategy`, default `mean-reversion`);
 * - `high-volatility` → flat (`highVolatility: "flat"`, default), or the trend / range child with its
 *   confidence multiplied by `highVolatilityConfidence`;
 * - `crisis` → flat; no regime yet → no intent.
 *
 * Both children see every bar (so their indicators stay warm and their standing targets current);
 * the meta-strategy emits the active child's standing target (size hint, stop, take-profit kept)
 * whenever the composed target changes. A child that has not emitted yet counts as flat. Intents
 * carry the meta-strategy's id; children's `CancelOrders` intents are not forwarded.
 */
export class RegimeSwitchStrategy extends SingleInstrumentStrategy<RegimeSwitchParams> {
  /** = the larger warm-up of the two children. */
  readonly warmUpBars: number;
  /** The trend child. */
  readonly trendChild: Strategy;
  /** The range child. */
  readonly rangeChild: Strategy;
  private trendTarget: TargetPositionIntent | undefined = undefined;
  private rangeTarget: TargetPositionIntent | undefined = undefined;

  constructor(params: RegimeSwitchParams, options: StrategyOptions, factory: StrategyFactory) {
    super("regime-switch", params, options);
    const childOptions = (role: string): StrategyOptions => ({
      instrumentId: this.instrumentId,
      strategyId: strategyId(`${this.id}/${role}`),
    });
    this.trendChild = createChild(
      factory,
      this.name,
      "trendStrategy",
      "trendParams",
      params.trendStrategy,
      params.trendParams,
      childOptions("trend"),
    );
    this.rangeChild = createChild(
      factory,
      this.name,
      "rangeStrategy",
      "rangeParams",
      params.rangeStrategy,
      params.rangeParams,
      childOptions("range"),
    );
    this.warmUpBars = Math.max(this.trendChild.warmUpBars, this.rangeChild.warmUpBars);
  }

  protected handleBar(ctx: StrategyContext, bar: Bar): readonly StrategyIntent[] {
    this.trendTarget = latestTarget(this.trendChild.onBar(ctx, bar), this.trendTarget);
    this.rangeTarget = latestTarget(this.rangeChild.onBar(ctx, bar), this.rangeTarget);
    return this.compose(ctx, bar.tsEvent);
  }

  /** Forwards funding observations to children that use them, then recomposes. */
  onFunding(ctx: StrategyContext, funding: FundingRate): readonly StrategyIntent[] {
    if (funding.instrumentId !== this.instrumentId) return NO_INTENTS;
    if (this.trendChild.onFunding !== undefined) {
      this.trendTarget = latestTarget(this.trendChild.onFunding(ctx, funding), this.trendTarget);
    }
    if (this.rangeChild.onFunding !== undefined) {
      this.rangeTarget = latestTarget(this.rangeChild.onFunding(ctx, funding), this.rangeTarget);
    }
    return this.compose(ctx, funding.tsEvent);
  }

  private compose(ctx: StrategyContext, tsEvent: number): readonly StrategyIntent[] {
    const reading = ctx.regime(this.instrumentId);
    if (reading === undefined) return NO_INTENTS;
    const regime: Regime = reading.regime;
    switch (regime) {
      case "trend-up":
      case "trend-down":
        return this.follow(this.trendTarget, 1, R_TREND, tsEvent);
      case "range":
        return this.follow(this.rangeTarget, 1, R_RANGE, tsEvent);
      case "high-volatility": {
        const mode = this.params.highVolatility;
        if (mode === "flat") return this.target.propose("flat", 1, R_HIGH_VOL_FLAT, tsEvent);
        const child = mode === "trend" ? this.trendTarget : this.rangeTarget;
        return this.follow(child, this.params.highVolatilityConfidence, R_HIGH_VOL, tsEvent);
      }
      case "crisis":
        return this.target.propose("flat", 1, R_CRISIS, tsEvent);
      default: {
        const unreachable: never = regime;
        return unreachable;
      }
    }
  }

  private follow(
    child: TargetPositionIntent | undefined,
    factor: number,
    reason: string,
    tsEvent: number,
  ): readonly StrategyIntent[] {
    if (child === undefined) return this.target.propose("flat", 1, R_CHILD_WARMING, tsEvent);
    const confidence = child.direction === "flat" ? 1 : child.confidence * factor;
    return this.target.adopt(child, confidence, reason, tsEvent);
  }

  protected resetState(): void {
    this.trendChild.reset?.();
    this.rangeChild.reset?.();
    this.trendTarget = undefined;
    this.rangeTarget = undefined;
  }
}

/** Registry entry of `regime-switch`. */
export const regimeSwitchDefinition = defineStrategy({
  name: "regime-switch",
  description:
    "Meta-strategy: follows a trend strategy in trend regimes and a range strategy in range regimes (from the kernel's regime classifier), stands aside in crisis and, by default, in high volatility.",
  params: [
    {
      name: "trendStrategy",
      type: "strategy",
      default: "trend-following",
      description: "Registry name of the child used in trend-up / trend-down regimes.",
    },
    {
      name: "trendParams",
      type: "object",
      default: {},
      description: "Parameters of the trend child (CLI: trendParams.fast=10).",
    },
    {
      name: "rangeStrategy",
      type: "strategy",
      default: "mean-reversion",
      description: "Registry name of the child used in range regimes.",
    },
    {
      name: "rangeParams",
      type: "object",
      default: {},
      description: "Parameters of the range child (CLI: rangeParams.entryZ=2.5).",
    },
    {
      name: "highVolatility",
      type: "enum",
      default: "flat",
      values: ["flat", "trend", "range"],
      description: "What to do in high volatility: stand aside, or follow the trend / range child.",
    },
    {
      name: "highVolatilityConfidence",
      type: "number",
      default: 0.5,
      min: 0,
      max: 1,
      description: "Confidence multiplier when following a child in high volatility (> 0).",
    },
  ],
  schema: regimeSwitchSchema,
  usesFunding: false,
  create: (params, options, factory) => new RegimeSwitchStrategy(params, options, factory),
});
