import type { Bar, ParseSchema } from "@gpt/core";
import * as z from "@gpt/core/validation";
import { Sma } from "@gpt/regime";
import { defineStrategy } from "../definition.js";
import { NO_INTENTS } from "../intents.js";
import { SingleInstrumentStrategy } from "../internal/base.js";
import { intParam, positiveParam } from "../params.js";
import type { StrategyContext, StrategyIntent, StrategyOptions } from "../types.js";

/** Largest window any built-in accepts. */
export const MAX_WINDOW = 1_000_000;

/** Validated parameters of `sma-cross`. */
export interface SmaCrossParams {
  /** Fast SMA window in bars (< slow). */
  readonly fast: number;
  /** Slow SMA window in bars. */
  readonly slow: number;
  /** sizeFraction hint of long targets: fraction of equity (> 0). */
  readonly fraction: number;
}

const smaCrossZod = /* @__PURE__ */ z.memo(() =>
  z
    .strictObject({
      fast: intParam(10, 1, MAX_WINDOW),
      slow: intParam(30, 2, MAX_WINDOW),
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

// Compile-time proof that the schema's output is a SmaCrossParams.
const _smaCrossOutput: (value: z.output<ReturnType<typeof smaCrossZod>>) => SmaCrossParams = (value) => value;
void _smaCrossOutput;

/** Parameters of `sma-cross`: strict, numeric and boolean strings coerced, defaults filled in. */
export const smaCrossSchema: ParseSchema<SmaCrossParams> = /* @__PURE__ */ z.publicSchema(smaCrossZod);

const LONG = "sma-cross: fast SMA above slow SMA";
const FLAT = "sma-cross: fast SMA not above slow SMA";

/**
 * The reference strategy (the backtester's tests depend on these exact semantics). At each bar's
 * close: long when SMA(`fast`) of closes > SMA(`slow`), flat otherwise. Long only. No intent before
 * both averages are ready; on the first bar where they are, it emits its target (long or flat), and
 * afterwards only when the target flips. Confidence is always 1; long targets carry
 * `sizeFraction = fraction`.
 */
export class SmaCrossStrategy extends SingleInstrumentStrategy<SmaCrossParams> {
  /** = slow. */
  readonly warmUpBars: number;
  private readonly fastSma: Sma;
  private readonly slowSma: Sma;

  constructor(params: SmaCrossParams, options: StrategyOptions) {
    super("sma-cross", params, options);
    this.warmUpBars = params.slow;
    this.fastSma = new Sma({ period: params.fast });
    this.slowSma = new Sma({ period: params.slow });
  }

  protected handleBar(_ctx: StrategyContext, bar: Bar): readonly StrategyIntent[] {
    const fast = this.fastSma.update(bar.close);
    const slow = this.slowSma.update(bar.close);
    if (fast === undefined || slow === undefined) return NO_INTENTS;
    return fast > slow
      ? this.target.propose("long", 1, LONG, bar.tsEvent, this.params.fraction)
      : this.target.propose("flat", 1, FLAT, bar.tsEvent);
  }

  protected resetState(): void {
    this.fastSma.reset();
    this.slowSma.reset();
  }
}

/** Registry entry of `sma-cross`. */
export const smaCrossDefinition = defineStrategy({
  name: "sma-cross",
  description:
    "Reference strategy: long when the fast simple moving average of closes is above the slow one, flat otherwise; decided at each bar's close; long only.",
  params: [
    {
      name: "fast",
      type: "integer",
      default: 10,
      min: 1,
      max: MAX_WINDOW,
      description: "Fast SMA window in bars (< slow).",
    },
    {
      name: "slow",
      type: "integer",
      default: 30,
      min: 2,
      max: MAX_WINDOW,
      description: "Slow SMA window in bars.",
    },
    {
      name: "fraction",
      type: "number",
      default: 1,
      min: 0,
      max: 10,
      description: "sizeFraction hint of long targets: fraction of equity (> 0).",
    },
  ],
  schema: smaCrossSchema,
  usesFunding: false,
  create: (params, options) => new SmaCrossStrategy(params, options),
});
