import type { Bar, ParseSchema } from "@gpt/core";
import * as z from "@gpt/core/validation";
import { defineStrategy } from "../definition.js";
import { SingleInstrumentStrategy } from "../internal/base.js";
import { positiveParam } from "../params.js";
import type { StrategyContext, StrategyIntent, StrategyOptions } from "../types.js";

/** Validated parameters of `buy-and-hold`. */
export interface BuyAndHoldParams {
  /** sizeFraction hint of the long target: fraction of equity (> 0). */
  readonly fraction: number;
}

/** Validated parameters of `flat` (none). */
export type FlatParams = Readonly<Record<never, never>>;

const buyAndHoldZod = /* @__PURE__ */ z.memo(() => z.strictObject({ fraction: positiveParam(1, 10) }));
const flatZod = /* @__PURE__ */ z.memo(() => z.strictObject({}));

// Compile-time proof that the schemas' outputs are the parameter types.
const _buyAndHoldOutput: (value: z.output<ReturnType<typeof buyAndHoldZod>>) => BuyAndHoldParams = (value) =>
  value;
const _flatOutput: (value: z.output<ReturnType<typeof flatZod>>) => FlatParams = (value) => value;
void _buyAndHoldOutput;
void _flatOutput;

/** Parameters of `buy-and-hold`: strict, numeric strings coerced, defaults filled in. */
export const buyAndHoldSchema: ParseSchema<BuyAndHoldParams> = /* @__PURE__ */ z.publicSchema(buyAndHoldZod);

/** Parameters of `flat` (none; unknown keys are errors). */
export const flatSchema: ParseSchema<FlatParams> = /* @__PURE__ */ z.publicSchema(flatZod);

/**
 * Baseline: long from the first bar on, forever (confidence 1, `sizeFraction = fraction`). Emits
 * once. Useful as a benchmark and as an ML-selector candidate.
 */
export class BuyAndHoldStrategy extends SingleInstrumentStrategy<BuyAndHoldParams> {
  /** 1. */
  readonly warmUpBars = 1;

  constructor(params: BuyAndHoldParams, options: StrategyOptions) {
    super("buy-and-hold", params, options);
  }

  protected handleBar(_ctx: StrategyContext, bar: Bar): readonly StrategyIntent[] {
    return this.target.propose("long", 1, "buy-and-hold", bar.tsEvent, this.params.fraction);
  }

  protected resetState(): void {}
}

/**
 * Baseline: flat from the first bar on (emits once). As an ML-selector candidate it lets the model
 * choose to stay out of the market.
 */
export class FlatStrategy extends SingleInstrumentStrategy<FlatParams> {
  /** 1. */
  readonly warmUpBars = 1;

  constructor(params: FlatParams, options: StrategyOptions) {
    super("flat", params, options);
  }

  protected handleBar(_ctx: StrategyContext, bar: Bar): readonly StrategyIntent[] {
    return this.target.propose("flat", 1, "flat", bar.tsEvent);
  }

  protected resetState(): void {}
}

/** Registry entry of `buy-and-hold`. */
export const buyAndHoldDefinition = defineStrategy({
  name: "buy-and-hold",
  description: "Baseline: long from the first bar on, never exits.",
  params: [
    {
      name: "fraction",
      type: "number",
      default: 1,
      min: 0,
      max: 10,
      description: "sizeFraction hint (> 0).",
    },
  ],
  schema: buyAndHoldSchema,
  usesFunding: false,
  create: (params, options) => new BuyAndHoldStrategy(params, options),
});

/** Registry entry of `flat`. */
export const flatDefinition = defineStrategy({
  name: "flat",
  description: "Baseline: always flat (out of the market). An ML-selector candidate for 'stay out'.",
  params: [],
  schema: flatSchema,
  usesFunding: false,
  create: (params, options) => new FlatStrategy(params, options),
});
