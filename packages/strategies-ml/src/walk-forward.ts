import type { Bar } from "@gpt/core";
import * as z from "@gpt/core/validation";
import { defaultStrategyRegistry, issuesOf, StrategyError, type StrategyFactory } from "@gpt/strategies";
import { buildSelectorDataset, type CandidateSpec, labelAt, type SelectorDataset } from "./dataset.js";
import { createFeatureSchema, type FeatureParamsInput, type FeatureSchema } from "./features.js";
import { type SelectorModel, type SelectorModelOptionsInput, trainSelectorModel } from "./model.js";

/** Schema of the walk-forward settings, built on first use. */
const walkForwardZod = /* @__PURE__ */ z.memo(() =>
  z
    .object({
      horizon: z._default(z.int().check(z.minimum(1), z.maximum(100_000)), 24),
      trainBars: z.int().check(z.minimum(1), z.maximum(10_000_000)),
      testBars: z.int().check(z.minimum(1), z.maximum(10_000_000)),
      purgeBars: z.optional(z.int().check(z.minimum(1), z.maximum(100_000))),
      embargoBars: z._default(z.int().check(z.minimum(0), z.maximum(100_000)), 0),
      window: z._default(z.enum(["rolling", "expanding"]), "rolling"),
      maxTrainSamples: z._default(z.int().check(z.minimum(2), z.maximum(1_000_000)), 500),
      turnoverCost: z._default(z.number().check(z.minimum(0), z.maximum(1)), 0.0005),
      seed: z._default(z.int().check(z.minimum(-2_147_483_648), z.maximum(2_147_483_647)), 42),
      trainFinalModel: z._default(z.boolean(), true),
      keepFoldModels: z._default(z.boolean(), false),
    })
    .check(
      z.superRefine((p, ctx) => {
        if (p.purgeBars !== undefined && p.purgeBars < p.horizon) {
          ctx.addIssue({
            code: "custom",
            path: ["purgeBars"],
            input: p.purgeBars,
            message: `purgeBars (${p.purgeBars}) must be >= horizon (${p.horizon}): a label needs horizon bars after its own`,
          });
        }
      }),
    ),
);

/** Input of `walkForwardTrain`. */
export interface WalkForwardInput {
  /** Bars of one instrument, strictly increasing in time. */
  readonly bars: readonly Bar[];
  /** Candidate strategies (at least two, bar-driven). Put `flat` first to let the model stand aside on ties. */
  readonly candidates: readonly CandidateSpec[];
  /** Feature parameters (default: 1h regime preset, returns over 1/6/24 bars, z-score 20, RSI 14, ATR 14). */
  readonly features?: FeatureParamsInput;
  /** Label horizon H in bars (default 24): a label compares the candidates over the next H bars. */
  readonly horizon?: number;
  /** Bars of each training window (rolling), or the minimum history of the first fold (expanding). */
  readonly trainBars: number;
  /** Bars of each test fold. */
  readonly testBars: number;
  /** Samples dropped at the end of each training window because their labels would reach past the data cut (default = horizon; must be >= horizon). */
  readonly purgeBars?: number;
  /** Gap between the data cut and the test fold (default 0). */
  readonly embargoBars?: number;
  /** `rolling` (default): a fixed window of the most recent `trainBars`; `expanding`: all history. */
  readonly window?: "rolling" | "expanding";
  /** Cap on training samples per fold: evenly spaced, anchored at the most recent (default 500; ml-cart's split search is quadratic in samples). */
  readonly maxTrainSamples?: number;
  /** Cost per unit of direction change charged in the labels (default 0.0005 = 5 bp). */
  readonly turnoverCost?: number;
  /** Classifier options (default random forest). */
  readonly model?: SelectorModelOptionsInput;
  /** Seed of the classifier (default 42). */
  readonly seed?: number;
  /** Also train the deployable model on the most recent window of all bars (default true). */
  readonly trainFinalModel?: boolean;
  /** Keep each fold's model in its `WalkForwardFold.model` (default false: forests are large). */
  readonly keepFoldModels?: boolean;
  /** Registry the candidates come from (default: the built-ins). */
  readonly registry?: StrategyFactory;
}

/** One out-of-sample decision. */
export interface SelectorDecision {
  /** Bar index. */
  readonly index: number;
  /** The bar's close time. */
  readonly tsEvent: number;
  /** Fold that made it. */
  readonly fold: number;
  /** Chosen candidate (argmax of the probabilities, the first on a tie). */
  readonly candidate: number;
  /** Its probability (the confidence). */
  readonly probability: number;
  /** Every candidate's probability. */
  readonly probabilities: readonly number[];
  /**
   * The best candidate in hindsight (needs bars up to `index + horizon`), undefined near the end.
   * Evaluation only: it is computed after the fact and never feeds a decision.
   */
  readonly label: number | undefined;
}

/** One walk-forward fold. */
export interface WalkForwardFold {
  /** Fold number from 0. */
  readonly index: number;
  /** First bar of the training samples (before subsampling). */
  readonly trainStart: number;
  /** End (exclusive) of the training samples: `cut − purgeBars`. */
  readonly trainEnd: number;
  /** Data cut: training used bars `< cut` only (= testStart − embargoBars). */
  readonly cut: number;
  /** First test bar. */
  readonly testStart: number;
  /** End (exclusive) of the test bars. */
  readonly testEnd: number;
  /** Samples trained on (after subsampling). */
  readonly samples: number;
  /** Training samples per candidate label. */
  readonly classCounts: readonly number[];
  /** Share of test decisions equal to their hindsight label (NaN if none has a label). */
  readonly accuracy: number;
  /** Same for always predicting the fold's most frequent training label. */
  readonly baselineAccuracy: number;
  /** The fold's model, when `keepFoldModels` was set. */
  readonly model?: SelectorModel;
}

/** Outcome of `walkForwardTrain`. */
export interface WalkForwardResult {
  /** The feature schema used. */
  readonly featureSchema: FeatureSchema;
  /** The candidates. */
  readonly candidates: readonly CandidateSpec[];
  /** The folds, in time order. */
  readonly folds: readonly WalkForwardFold[];
  /** Every out-of-sample decision, in time order. */
  readonly decisions: readonly SelectorDecision[];
  /** Out-of-sample accuracy over decisions with a label. */
  readonly accuracy: number;
  /** Accuracy of the per-fold majority-label baseline. */
  readonly baselineAccuracy: number;
  /** Sum of log returns of following the chosen candidate's direction from each decision bar to the next. */
  readonly selectedLogReturn: number;
  /** The same for each candidate followed all the time over the same bars. */
  readonly candidateLogReturns: readonly number[];
  /** The model trained on the most recent window of all bars (for deployment), if asked. */
  readonly finalModel: SelectorModel | undefined;
}

/** Evenly spaced sample indices in `[start, end)`, at most `max`, anchored at `end − 1`, ascending. */
function sampleIndices(start: number, end: number, max: number): number[] {
  const count = end - start;
  if (count <= max) return Array.from({ length: Math.max(0, count) }, (_, i) => start + i);
  const stride = count / max;
  const out: number[] = [];
  for (let i = max - 1; i >= 0; i--) out.push(end - 1 - Math.floor(i * stride));
  return out;
}

function trainOn(
  ds: SelectorDataset,
  schema: FeatureSchema,
  start: number,
  end: number,
  cut: number,
  opts: {
    horizon: number;
    turnoverCost: number;
    maxTrainSamples: number;
    seed: number;
    model: SelectorModelOptionsInput | undefined;
  },
): { model: SelectorModel; classCounts: number[]; samples: number } | undefined {
  const scratch = new Float64Array(ds.candidates.length);
  const rows: number[][] = [];
  const labels: number[] = [];
  const times: number[] = [];
  const w = ds.featureCount;
  for (const t of sampleIndices(start, end, opts.maxTrainSamples)) {
    const label = labelAt(ds, t, opts.horizon, opts.turnoverCost, cut, scratch);
    if (label < 0) continue;
    rows.push(Array.from(ds.features.subarray(t * w, (t + 1) * w)));
    labels.push(label);
    times.push((ds.bars[t] as Bar).tsEvent);
  }
  if (rows.length === 0) return undefined;
  const model = trainSelectorModel({
    featureSchema: schema,
    candidates: ds.candidates,
    rows,
    labels,
    horizon: opts.horizon,
    turnoverCost: opts.turnoverCost,
    firstTsEvent: times[0] as number,
    lastTsEvent: times[times.length - 1] as number,
    model: opts.model,
    seed: opts.seed,
  });
  return { model, classCounts: [...model.training.classCounts], samples: rows.length };
}

/**
 * Walk-forward training of the strategy selector, with purging and an embargo, on past data only.
 *
 * 1. One causal pass computes the features and every candidate's standing directions
 *    (`buildSelectorDataset`).
 * 2. Label of bar t: the candidate with the best log return over bars t+1..t+H (minus turnover
 *    cost), so it needs bars up to t+H.
 * 3. Fold k tests bars `[testStart, testEnd)`. Its model is trained only on bars before the data cut
 *    `cut = testStart − embargoBars`: samples `t < cut − purgeBars` (so `t + H < cut`, no label
 *    reaches the cut), within the last `trainBars` (rolling) or all history (expanding).
 * 4. Each test bar's decision is the argmax of that fold's model on the bar's features.
 *
 * So a decision at bar t depends only on bars `0..t`: changing later bars never changes it (a
 * property test proves it). Deterministic for the same input and seed.
 *
 * @throws StrategyError (`invalid-params`, `invalid-input` when the bars cannot hold one fold,
 * `training-failed`)
 */
export function walkForwardTrain(input: WalkForwardInput): WalkForwardResult {
  const parsed = z.safeParse(walkForwardZod(), {
    horizon: input.horizon,
    trainBars: input.trainBars,
    testBars: input.testBars,
    purgeBars: input.purgeBars,
    embargoBars: input.embargoBars,
    window: input.window,
    maxTrainSamples: input.maxTrainSamples,
    turnoverCost: input.turnoverCost,
    seed: input.seed,
    trainFinalModel: input.trainFinalModel,
    keepFoldModels: input.keepFoldModels,
  });
  if (!parsed.success) {
    const issues = issuesOf(parsed.error);
    throw new StrategyError(
      "invalid-params",
      `invalid walk-forward options: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
      {
        strategy: "ml-selector",
        issues,
        ...(issues[0] ? { param: issues[0].path, value: issues[0].value } : {}),
      },
    );
  }
  const o = parsed.data;
  const purge = o.purgeBars ?? o.horizon;
  const schema = createFeatureSchema(input.features);
  const ds = buildSelectorDataset(
    input.bars,
    schema,
    input.candidates,
    input.registry ?? defaultStrategyRegistry,
  );
  const n = input.bars.length;
  const firstReady = ds.ready.indexOf(1);
  const firstTest = firstReady + o.trainBars + purge + o.embargoBars;
  if (firstReady < 0 || firstTest >= n) {
    throw new StrategyError(
      "invalid-input",
      `not enough bars for one fold: ${n} bars, features ready at ${firstReady < 0 ? "never" : firstReady}, first test bar would be ${firstReady < 0 ? "-" : firstTest}`,
      {
        param: "bars",
        value: n,
        context: { firstReady, trainBars: o.trainBars, purgeBars: purge, embargoBars: o.embargoBars },
      },
    );
  }
  const trainOpts = {
    horizon: o.horizon,
    turnoverCost: o.turnoverCost,
    maxTrainSamples: o.maxTrainSamples,
    seed: o.seed,
    model: input.model,
  };
  const k = ds.candidates.length;
  const scratch = new Float64Array(k);
  const folds: WalkForwardFold[] = [];
  const decisions: SelectorDecision[] = [];
  const probs = new Float64Array(k);
  let labelled = 0;
  let correct = 0;
  let baselineCorrect = 0;
  let selectedLogReturn = 0;
  const candidateLogReturns = new Array<number>(k).fill(0);
  for (let fold = 0, testStart = firstTest; testStart < n; fold++, testStart += o.testBars) {
    const testEnd = Math.min(n, testStart + o.testBars);
    const cut = testStart - o.embargoBars;
    const trainEnd = cut - purge;
    const trainStart = o.window === "rolling" ? Math.max(firstReady, trainEnd - o.trainBars) : firstReady;
    const trained = trainOn(ds, schema, trainStart, trainEnd, cut, trainOpts);
    if (trained === undefined) {
      throw new StrategyError("invalid-input", `fold ${fold} has no labelled training sample`, {
        param: "bars",
        context: { fold, trainStart, trainEnd },
      });
    }
    let majority = 0;
    for (let c = 1; c < k; c++)
      if ((trained.classCounts[c] as number) > (trained.classCounts[majority] as number)) majority = c;
    let foldLabelled = 0;
    let foldCorrect = 0;
    let foldBaseline = 0;
    for (let t = testStart; t < testEnd; t++) {
      trained.model.predictProbabilities(
        ds.features.subarray(t * ds.featureCount, (t + 1) * ds.featureCount),
        probs,
      );
      let best = 0;
      for (let c = 1; c < k; c++) if ((probs[c] as number) > (probs[best] as number)) best = c;
      const label = labelAt(ds, t, o.horizon, o.turnoverCost, n, scratch);
      decisions.push({
        index: t,
        tsEvent: (ds.bars[t] as Bar).tsEvent,
        fold,
        candidate: best,
        probability: probs[best] as number,
        probabilities: Array.from(probs),
        label: label < 0 ? undefined : label,
      });
      if (label >= 0) {
        foldLabelled++;
        if (label === best) foldCorrect++;
        if (label === majority) foldBaseline++;
      }
      if (t + 1 < n) {
        const r = Math.log((ds.bars[t + 1] as Bar).close / (ds.bars[t] as Bar).close);
        selectedLogReturn += ((ds.directions[best] as Int8Array)[t] as number) * r;
        for (let c = 0; c < k; c++) {
          candidateLogReturns[c] =
            (candidateLogReturns[c] as number) + ((ds.directions[c] as Int8Array)[t] as number) * r;
        }
      }
    }
    labelled += foldLabelled;
    correct += foldCorrect;
    baselineCorrect += foldBaseline;
    folds.push({
      index: fold,
      trainStart,
      trainEnd,
      cut,
      testStart,
      testEnd,
      samples: trained.samples,
      classCounts: trained.classCounts,
      accuracy: foldLabelled > 0 ? foldCorrect / foldLabelled : Number.NaN,
      baselineAccuracy: foldLabelled > 0 ? foldBaseline / foldLabelled : Number.NaN,
      ...(o.keepFoldModels ? { model: trained.model } : {}),
    });
  }
  let finalModel: SelectorModel | undefined;
  if (o.trainFinalModel) {
    const trainEnd = n - purge;
    const trainStart = o.window === "rolling" ? Math.max(firstReady, trainEnd - o.trainBars) : firstReady;
    finalModel = trainOn(ds, schema, trainStart, trainEnd, n, trainOpts)?.model;
  }
  return {
    featureSchema: schema,
    candidates: ds.candidates,
    folds,
    decisions,
    accuracy: labelled > 0 ? correct / labelled : Number.NaN,
    baselineAccuracy: labelled > 0 ? baselineCorrect / labelled : Number.NaN,
    selectedLogReturn,
    candidateLogReturns,
    finalModel,
  };
}
