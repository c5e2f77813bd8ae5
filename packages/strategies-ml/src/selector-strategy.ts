import type { Bar, Clock, InstrumentId, ParseSchema } from "@gpt/core";
import * as z from "@gpt/core/validation";
import {
  defineStrategy,
  latestTarget,
  MAX_WINDOW,
  NO_INTENTS,
  SingleInstrumentStrategy,
  type Strategy,
  type StrategyContext,
  type StrategyFactory,
  type StrategyIntent,
  type StrategyOptions,
  type TargetPositionIntent,
} from "@gpt/strategies";
import { createCandidates } from "./dataset.js";
import { SelectorFeatures } from "./features.js";
import { loadSelectorModel, SelectorModel } from "./model.js";
import { intParam, numberParam } from "./params.js";

/** Parameters of `ml-selector` as the registry takes them (`model` may be the serialized JSON). */
export interface MlSelectorRawParams {
  /** A `SelectorModel`, its serialized object or its JSON text (loaded by `create`). */
  readonly model: unknown;
  /** Below this predicted probability the strategy stands aside (flat), in [0, 1] (default 0). */
  readonly minConfidence: number;
  /** Bars a newly chosen candidate is kept at least (default 1). */
  readonly minHoldBars: number;
}

const mlSelectorZod = /* @__PURE__ */ z.memo(() =>
  z.strictObject({
    model: z.custom<unknown>(
      (v) => (typeof v === "object" && v !== null) || typeof v === "string",
      "required: a SelectorModel, its serialized object or its JSON text",
    ),
    minConfidence: numberParam(0, 0, 1),
    minHoldBars: intParam(1, 1, MAX_WINDOW),
  }),
);

// Compile-time proof that the schema's output is an MlSelectorRawParams.
const _mlSelectorOutput: (value: z.output<ReturnType<typeof mlSelectorZod>>) => MlSelectorRawParams = (
  value,
) => value;
void _mlSelectorOutput;

/** Parameters of `ml-selector` as the registry takes them: strict, numeric strings coerced, defaults filled in. */
export const mlSelectorSchema: ParseSchema<MlSelectorRawParams> = /* @__PURE__ */ z.publicSchema(
  mlSelectorZod,
);

/** Parameters of the `ml-selector` strategy, with the model loaded. */
export interface MlSelectorParams {
  /** The trained selector. */
  readonly model: SelectorModel;
  /** Below this predicted probability the strategy stands aside (flat). */
  readonly minConfidence: number;
  /** A newly chosen candidate is kept at least this many bars before another may replace it. */
  readonly minHoldBars: number;
}

const NO_INTENTS_ORDERS = Object.freeze([]) as readonly never[];
const R_LOW = "ml-selector: prediction below minConfidence, standing aside";
const R_WARMING = "ml-selector: the chosen candidate is still warming up";

/**
 * ML-driven strategy selection. Every candidate of the model runs on every bar (their indicators
 * stay warm, their standing targets current); at each bar the model predicts, from the selector's
 * features, which candidate will do best over its horizon, and the strategy emits that candidate's
 * standing target under its own id, with confidence = the predicted probability of the choice
 * (captured when the choice or the chosen target changes; flat targets carry 1).
 *
 * - Candidates see the selector's own regime classifier (configured by the model's feature schema)
 *   as `ctx.regime`, exactly as during training; positions, orders and the clock come from the
 *   kernel's context.
 * - `minConfidence`: below it, flat. `minHoldBars`: hysteresis against flapping between candidates.
 *   With the defaults (0 and 1) the choice at each bar equals the walk-forward decision for the same
 *   model and bars.
 * - No intent before the features are ready; `warmUpBars` also covers the candidates' warm-ups.
 */
export class MlSelectorStrategy extends SingleInstrumentStrategy<MlSelectorParams> {
  /**
   * History to load before trading: the larger of the feature warm-up and the candidates' warm-ups.
   * Decisions start once the features are ready; a candidate still warming up counts as flat.
   */
  readonly warmUpBars: number;
  /** The candidate strategies, in class order. */
  readonly candidates: readonly Strategy[];
  private readonly features: SelectorFeatures;
  private readonly probs: Float64Array;
  private readonly targets: (TargetPositionIntent | undefined)[];
  private readonly reasons: readonly string[];
  private readonly childContext: StrategyContext;
  private outer: StrategyContext | undefined = undefined;
  private chosen = -1;
  private held = 0;
  private followed: TargetPositionIntent | undefined = undefined;
  private followedChoice = -1;
  private heldConfidence = 1;

  constructor(params: MlSelectorParams, options: StrategyOptions, factory: StrategyFactory) {
    super("ml-selector", params, options);
    const model = params.model;
    this.features = new SelectorFeatures(model.featureSchema);
    this.candidates = Object.freeze(createCandidates(factory, model.candidates, this.instrumentId, this.id));
    this.warmUpBars = Math.max(this.features.warmUpBars, ...this.candidates.map((c) => c.warmUpBars));
    this.probs = new Float64Array(model.candidates.length);
    this.targets = model.candidates.map(() => undefined);
    this.reasons = model.candidates.map((c, i) => `ml-selector: chose candidate ${i} (${c.name})`);
    const clock: Clock = { now: () => this.outer?.clock.now() ?? 0 };
    const own = this.instrumentId;
    this.childContext = {
      clock,
      regime: (id: InstrumentId) => (id === own ? this.features.regime : undefined),
      position: (id: InstrumentId) => this.outer?.position(id),
      openOrders: (id: InstrumentId) => this.outer?.openOrders(id) ?? NO_INTENTS_ORDERS,
    };
  }

  /** Index of the chosen candidate at the last bar (−1 before the first decision). */
  get choice(): number {
    return this.chosen;
  }

  /** The probabilities predicted at the last bar (one reused array, one entry per candidate). */
  get probabilities(): Readonly<Float64Array> {
    return this.probs;
  }

  protected handleBar(ctx: StrategyContext, bar: Bar): readonly StrategyIntent[] {
    this.outer = ctx;
    const row = this.features.update(bar);
    const children = this.candidates;
    for (let c = 0; c < children.length; c++) {
      this.targets[c] = latestTarget(
        (children[c] as Strategy).onBar(this.childContext, bar),
        this.targets[c],
      );
    }
    if (row === undefined) return NO_INTENTS;
    const probs = this.params.model.predictProbabilities(row, this.probs);
    let best = 0;
    for (let c = 1; c < probs.length; c++) if ((probs[c] as number) > (probs[best] as number)) best = c;
    let choice = best;
    if (this.chosen >= 0 && best !== this.chosen && this.held < this.params.minHoldBars) choice = this.chosen;
    if (choice !== this.chosen) {
      this.chosen = choice;
      this.held = 0;
    }
    this.held++;
    const p = probs[choice] as number;
    if (p < this.params.minConfidence) {
      this.followed = undefined;
      this.followedChoice = -1;
      return this.target.propose("flat", 1, R_LOW, bar.tsEvent);
    }
    const child = this.targets[choice];
    if (child === undefined) {
      this.followed = undefined;
      this.followedChoice = -1;
      return this.target.propose("flat", 1, R_WARMING, bar.tsEvent);
    }
    if (child !== this.followed || choice !== this.followedChoice) {
      this.followed = child;
      this.followedChoice = choice;
      this.heldConfidence = p;
    }
    const confidence = child.direction === "flat" ? 1 : this.heldConfidence;
    return this.target.adopt(child, confidence, this.reasons[choice] as string, bar.tsEvent);
  }

  protected resetState(): void {
    this.features.reset();
    for (const c of this.candidates) c.reset?.();
    this.targets.fill(undefined);
    this.probs.fill(0);
    this.outer = undefined;
    this.chosen = -1;
    this.held = 0;
    this.followed = undefined;
    this.followedChoice = -1;
    this.heldConfidence = 1;
  }
}

/** Registry entry of `ml-selector`. */
export const mlSelectorDefinition = defineStrategy({
  name: "ml-selector",
  description:
    "ML-driven strategy selection: a trained model (random forest or logistic regression from mljs) picks, per bar, which candidate strategy to follow from regime and indicator features; confidence is the predicted probability. Train it with walkForwardTrain.",
  params: [
    {
      name: "model",
      type: "model",
      description:
        "Required: a SelectorModel, or its serialized JSON (object or text) as saved by toJSON(); validated by loadSelectorModel.",
    },
    {
      name: "minConfidence",
      type: "number",
      default: 0,
      min: 0,
      max: 1,
      description: "Stand aside (flat) when the chosen candidate's probability is below this.",
    },
    {
      name: "minHoldBars",
      type: "integer",
      default: 1,
      min: 1,
      max: MAX_WINDOW,
      description: "Keep a newly chosen candidate at least this many bars.",
    },
  ],
  schema: mlSelectorSchema,
  usesFunding: false,
  create: (params, options, factory) =>
    new MlSelectorStrategy(
      {
        model: params.model instanceof SelectorModel ? params.model : loadSelectorModel(params.model),
        minConfidence: params.minConfidence,
        minHoldBars: params.minHoldBars,
      },
      options,
      factory,
    ),
});
