import type { ParseSchema } from "@gpt/core";
import * as z from "@gpt/core/validation";
import type { Regime, RegimeClassifier, RegimeReading } from "./classifier.js";
import { REGIMES } from "./classifier.js";
import { parseRegimeConfig, type RegimeConfigInput } from "./config.js";
import { RegimeError } from "./errors.js";
import {
  type RegimeBar,
  type RegimeFeatureConfig,
  RegimeFeatureEngine,
  type RegimeFeatures,
} from "./features.js";

/** Number of hidden states: one per regime. */
const STATES = 5;
/** Features per observation: trend separation, log volatility ratio, drawdown z-score. */
const DIMS = 3;

/** The observation vector the HMM sees, derived from `RegimeFeatures` (clipped against outliers). */
export const HMM_FEATURES = ["trendSeparation", "logVolRatio", "drawdownZ"] as const;

/**
 * Where each regime is expected in feature space; used to initialise the state means and to
 * name the fitted states (the assignment of states to regimes that minimises the total
 * standardised distance to these prototypes).
 */
const PROTOTYPES: Readonly<Record<Regime, readonly [number, number, number]>> = {
  crisis: [-2, Math.log(2.5), -4],
  "high-volatility": [0, Math.log(2), -1.5],
  "trend-up": [2, 0, -0.3],
  "trend-down": [-2, 0, -2],
  range: [0, Math.log(0.7), -0.8],
};

function observe(f: RegimeFeatures, out: Float64Array, offset: number): void {
  const sep = f.trendSeparation;
  out[offset] = sep < -10 ? -10 : Math.min(sep, 10);
  out[offset + 1] = Math.log(Math.max(f.volRatio, 1e-6));
  const dz = f.drawdownZ;
  out[offset + 2] = Math.max(dz, -20);
}

/**
 * A fitted Gaussian hidden Markov model over regime features: five states with diagonal Gaussian
 * emissions over `HMM_FEATURES`, a transition matrix, and the regime each state stands for.
 * Plain data: it survives `JSON.stringify` / `JSON.parse`.
 */
export interface HmmRegimeModel {
  /** Format tag. */
  readonly kind: "gaussian-hmm";
  /** The feature settings the model was fitted with (the classifier recomputes the same features). */
  readonly featureConfig: RegimeFeatureConfig;
  /** Initial state probabilities (5). */
  readonly initial: readonly number[];
  /** Transition probabilities, row = from-state (5 x 5). */
  readonly transition: readonly (readonly number[])[];
  /** Emission means per state over `HMM_FEATURES` (5 x 3). */
  readonly means: readonly (readonly number[])[];
  /** Emission variances per state over `HMM_FEATURES` (5 x 3, each > 0). */
  readonly variances: readonly (readonly number[])[];
  /** The regime each state stands for (5). */
  readonly stateRegimes: readonly Regime[];
  /** Log-likelihood per observation after each EM iteration. */
  readonly logLikelihoodHistory: readonly number[];
  /** Observations the model was fitted on. */
  readonly observations: number;
}

const hmmRegimeModelZod = /* @__PURE__ */ z.memo(() => {
  const finite = z.number().check(z.refine(Number.isFinite, "must be finite"));
  const probability = z
    .number()
    .check(z.refine(Number.isFinite, "must be finite"), z.minimum(0), z.maximum(1));
  const positive = z.number().check(z.refine(Number.isFinite, "must be finite"), z.positive());
  const count = z.int().check(z.minimum(1));
  const rows = <T extends z.ZodMiniType>(cell: T, cols: number) =>
    z.array(z.array(cell).check(z.length(cols))).check(z.length(STATES));
  return z.strictObject({
    kind: z.literal("gaussian-hmm"),
    featureConfig: z.strictObject({
      barsPerYear: positive,
      adxPeriod: count,
      efficiencyPeriod: count,
      emaFastPeriod: count,
      emaSlowPeriod: count,
      shortVolWindow: count,
      longVolHalfLife: count,
      drawdownWindow: count,
    }),
    initial: z.array(probability).check(z.length(STATES)),
    transition: rows(probability, STATES),
    means: rows(finite, DIMS),
    variances: rows(positive, DIMS),
    stateRegimes: z
      .array(z.enum(["trend-up", "trend-down", "range", "high-volatility", "crisis"]))
      .check(z.length(STATES)),
    logLikelihoodHistory: z.array(finite),
    observations: z.int().check(z.minimum(0)),
  });
});

// Compile-time proof that the schema's output is an HmmRegimeModel.
const _outputIsModel: (value: z.output<ReturnType<typeof hmmRegimeModelZod>>) => HmmRegimeModel = (value) =>
  value;
void _outputIsModel;

/** The schema of a serialised `HmmRegimeModel` (for models loaded from JSON). */
export const hmmRegimeModelSchema: ParseSchema<HmmRegimeModel> = /* @__PURE__ */ z.publicSchema(
  hmmRegimeModelZod,
);

/** Options of `fitHmmRegimeModel`. */
export interface HmmFitOptions {
  /** Maximum EM (Baum-Welch) iterations (default 100). */
  readonly maxIterations?: number;
  /** Stop when the log-likelihood per observation improves by less than this (default 1e-7). */
  readonly tolerance?: number;
  /** Initial probability of staying in a state (default 0.98). */
  readonly selfTransition?: number;
  /** Lower bound of every emission variance, in feature units squared (default 1e-3). */
  readonly varianceFloor?: number;
}

function logEmission(
  x: Float64Array,
  xo: number,
  means: Float64Array,
  invVar: Float64Array,
  logNorm: Float64Array,
  k: number,
): number {
  let s = logNorm[k] as number;
  for (let d = 0; d < DIMS; d++) {
    const diff = (x[xo + d] as number) - (means[k * DIMS + d] as number);
    s -= 0.5 * diff * diff * (invVar[k * DIMS + d] as number);
  }
  return s;
}

function prepareEmissions(variances: Float64Array, invVar: Float64Array, logNorm: Float64Array): void {
  for (let k = 0; k < STATES; k++) {
    let ln = 0;
    for (let d = 0; d < DIMS; d++) {
      const v = variances[k * DIMS + d] as number;
      invVar[k * DIMS + d] = 1 / v;
      ln -= 0.5 * Math.log(2 * Math.PI * v);
    }
    logNorm[k] = ln;
  }
}

/** Every permutation of 0..n-1, in lexicographic order (n = 5: 120). */
function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  const out: number[][] = [];
  for (const rest of permutations(n - 1)) {
    for (let i = 0; i <= rest.length; i++) out.push([...rest.slice(0, i), n - 1, ...rest.slice(i)]);
  }
  return out.sort((a, b) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
    return 0;
  });
}

/**
 * Fits the learned classifier's model by Baum-Welch (EM with scaled forward-backward) on the
 * features of `bars`, computed with the feature windows of `config` (the same engine the
 * rule-based classifier uses). Deterministic: the state means start at the regime prototypes,
 * the variances at the data's per-feature variance, the transitions at `selfTransition` on the
 * diagonal. States are then named by the assignment to regimes closest to the prototypes.
 * Memory O(bars * states); time O(iterations * bars * states^2). Not for the hot path: fit
 * offline, then stream with `HmmRegimeClassifier`.
 */
export function fitHmmRegimeModel(
  bars: readonly RegimeBar[],
  config: RegimeConfigInput,
  options: HmmFitOptions = {},
): HmmRegimeModel {
  const c = parseRegimeConfig(config);
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-7;
  const selfTransition = options.selfTransition ?? 0.98;
  const varianceFloor = options.varianceFloor ?? 1e-3;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new RegimeError(
      "invalid-parameter",
      "maxIterations",
      maxIterations,
      "maxIterations must be an integer >= 1",
    );
  }
  if (!(selfTransition > 0 && selfTransition < 1)) {
    throw new RegimeError(
      "invalid-parameter",
      "selfTransition",
      selfTransition,
      "selfTransition must be in (0, 1)",
    );
  }
  if (!(varianceFloor > 0)) {
    throw new RegimeError("invalid-parameter", "varianceFloor", varianceFloor, "varianceFloor must be > 0");
  }
  const featureConfig: RegimeFeatureConfig = {
    barsPerYear: c.barsPerYear,
    adxPeriod: c.adxPeriod,
    efficiencyPeriod: c.efficiencyPeriod,
    emaFastPeriod: c.emaFastPeriod,
    emaSlowPeriod: c.emaSlowPeriod,
    shortVolWindow: c.shortVolWindow,
    longVolHalfLife: c.longVolHalfLife,
    drawdownWindow: c.drawdownWindow,
  };
  const engine = new RegimeFeatureEngine(featureConfig);
  const xsList: number[] = [];
  const tmp = new Float64Array(DIMS);
  for (const bar of bars) {
    if (engine.update(bar)) {
      observe(engine.features, tmp, 0);
      xsList.push(tmp[0] as number, tmp[1] as number, tmp[2] as number);
    }
  }
  const T = xsList.length / DIMS;
  if (T < 10 * STATES) {
    throw new RegimeError(
      "invalid-input",
      "bars",
      bars.length,
      `need at least ${10 * STATES} bars after warm-up (${engine.warmUpPeriod}) to fit, got ${T}`,
    );
  }
  const x = Float64Array.from(xsList);

  // Initial parameters.
  const globalMean = new Float64Array(DIMS);
  const globalVar = new Float64Array(DIMS);
  for (let t = 0; t < T; t++)
    for (let d = 0; d < DIMS; d++)
      globalMean[d] = (globalMean[d] as number) + (x[t * DIMS + d] as number) / T;
  for (let t = 0; t < T; t++) {
    for (let d = 0; d < DIMS; d++)
      globalVar[d] =
        (globalVar[d] as number) + ((x[t * DIMS + d] as number) - (globalMean[d] as number)) ** 2 / T;
  }
  const means = new Float64Array(STATES * DIMS);
  const variances = new Float64Array(STATES * DIMS);
  REGIMES.forEach((regime, k) => {
    for (let d = 0; d < DIMS; d++) {
      means[k * DIMS + d] = PROTOTYPES[regime][d] as number;
      variances[k * DIMS + d] = Math.max(globalVar[d] as number, varianceFloor);
    }
  });
  const initial = new Float64Array(STATES).fill(1 / STATES);
  const transition = new Float64Array(STATES * STATES);
  for (let i = 0; i < STATES; i++) {
    for (let j = 0; j < STATES; j++)
      transition[i * STATES + j] = i === j ? selfTransition : (1 - selfTransition) / (STATES - 1);
  }

  const alpha = new Float64Array(T * STATES);
  const beta = new Float64Array(T * STATES);
  const emission = new Float64Array(T * STATES);
  const scale = new Float64Array(T);
  const invVar = new Float64Array(STATES * DIMS);
  const logNorm = new Float64Array(STATES);
  const history: number[] = [];

  for (let iteration = 0; iteration < maxIterations; iteration++) {
    prepareEmissions(variances, invVar, logNorm);
    // Emissions, shifted per t by their maximum (the shift cancels in the posteriors and is added back to the log-likelihood).
    let logLikelihood = 0;
    for (let t = 0; t < T; t++) {
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < STATES; k++) {
        const le = logEmission(x, t * DIMS, means, invVar, logNorm, k);
        emission[t * STATES + k] = le;
        if (le > max) max = le;
      }
      for (let k = 0; k < STATES; k++)
        emission[t * STATES + k] = Math.exp((emission[t * STATES + k] as number) - max);
      logLikelihood += max;
    }
    // Forward.
    for (let t = 0; t < T; t++) {
      let sum = 0;
      for (let j = 0; j < STATES; j++) {
        let prior = 0;
        if (t === 0) prior = initial[j] as number;
        else
          for (let i = 0; i < STATES; i++)
            prior += (alpha[(t - 1) * STATES + i] as number) * (transition[i * STATES + j] as number);
        const a = prior * (emission[t * STATES + j] as number);
        alpha[t * STATES + j] = a;
        sum += a;
      }
      scale[t] = sum;
      for (let j = 0; j < STATES; j++) alpha[t * STATES + j] = (alpha[t * STATES + j] as number) / sum;
      logLikelihood += Math.log(sum);
    }
    history.push(logLikelihood);
    // Backward.
    for (let k = 0; k < STATES; k++) beta[(T - 1) * STATES + k] = 1;
    for (let t = T - 2; t >= 0; t--) {
      for (let i = 0; i < STATES; i++) {
        let s = 0;
        for (let j = 0; j < STATES; j++) {
          s +=
            (transition[i * STATES + j] as number) *
            (emission[(t + 1) * STATES + j] as number) *
            (beta[(t + 1) * STATES + j] as number);
        }
        beta[t * STATES + i] = s / (scale[t + 1] as number);
      }
    }
    // M-step.
    const gammaSum = new Float64Array(STATES);
    const gammaSumButLast = new Float64Array(STATES);
    const xiSum = new Float64Array(STATES * STATES);
    const meanAcc = new Float64Array(STATES * DIMS);
    for (let t = 0; t < T; t++) {
      let norm = 0;
      for (let k = 0; k < STATES; k++)
        norm += (alpha[t * STATES + k] as number) * (beta[t * STATES + k] as number);
      for (let k = 0; k < STATES; k++) {
        const g = ((alpha[t * STATES + k] as number) * (beta[t * STATES + k] as number)) / norm;
        gammaSum[k] = (gammaSum[k] as number) + g;
        if (t < T - 1) gammaSumButLast[k] = (gammaSumButLast[k] as number) + g;
        if (t === 0) initial[k] = g;
        for (let d = 0; d < DIMS; d++)
          meanAcc[k * DIMS + d] = (meanAcc[k * DIMS + d] as number) + g * (x[t * DIMS + d] as number);
      }
      if (t < T - 1) {
        const c1 = scale[t + 1] as number;
        for (let i = 0; i < STATES; i++) {
          const ai = alpha[t * STATES + i] as number;
          for (let j = 0; j < STATES; j++) {
            xiSum[i * STATES + j] =
              (xiSum[i * STATES + j] as number) +
              (ai *
                (transition[i * STATES + j] as number) *
                (emission[(t + 1) * STATES + j] as number) *
                (beta[(t + 1) * STATES + j] as number)) /
                c1;
          }
        }
      }
    }
    for (let k = 0; k < STATES; k++) {
      const g = gammaSum[k] as number;
      if (g < 1e-9) continue; // a state with no support keeps its parameters
      for (let d = 0; d < DIMS; d++) means[k * DIMS + d] = (meanAcc[k * DIMS + d] as number) / g;
    }
    const varAcc = new Float64Array(STATES * DIMS);
    for (let t = 0; t < T; t++) {
      let norm = 0;
      for (let k = 0; k < STATES; k++)
        norm += (alpha[t * STATES + k] as number) * (beta[t * STATES + k] as number);
      for (let k = 0; k < STATES; k++) {
        const g = ((alpha[t * STATES + k] as number) * (beta[t * STATES + k] as number)) / norm;
        for (let d = 0; d < DIMS; d++) {
          const diff = (x[t * DIMS + d] as number) - (means[k * DIMS + d] as number);
          varAcc[k * DIMS + d] = (varAcc[k * DIMS + d] as number) + g * diff * diff;
        }
      }
    }
    for (let k = 0; k < STATES; k++) {
      const g = gammaSum[k] as number;
      if (g < 1e-9) continue;
      for (let d = 0; d < DIMS; d++)
        variances[k * DIMS + d] = Math.max((varAcc[k * DIMS + d] as number) / g, varianceFloor);
      const gl = gammaSumButLast[k] as number;
      if (gl < 1e-9) continue;
      let rowSum = 0;
      for (let j = 0; j < STATES; j++) rowSum += xiSum[k * STATES + j] as number;
      for (let j = 0; j < STATES; j++)
        transition[k * STATES + j] = (xiSum[k * STATES + j] as number) / rowSum;
    }
    const n = history.length;
    if (n >= 2 && ((history[n - 1] as number) - (history[n - 2] as number)) / T < tolerance) break;
  }

  // Name the states: the assignment closest to the prototypes in standardised units.
  let best: number[] = [];
  let bestCost = Number.POSITIVE_INFINITY;
  for (const perm of permutations(STATES)) {
    // perm[k] = index into REGIMES for state k
    let cost = 0;
    for (let k = 0; k < STATES; k++) {
      const proto = PROTOTYPES[REGIMES[perm[k] as number] as Regime];
      for (let d = 0; d < DIMS; d++) {
        cost +=
          ((means[k * DIMS + d] as number) - (proto[d] as number)) ** 2 /
          Math.max(globalVar[d] as number, varianceFloor);
      }
    }
    if (cost < bestCost) {
      bestCost = cost;
      best = perm;
    }
  }
  const rows = (a: Float64Array, cols: number): number[][] =>
    Array.from({ length: STATES }, (_, k) => Array.from(a.subarray(k * cols, (k + 1) * cols)));
  return {
    kind: "gaussian-hmm",
    featureConfig,
    initial: Array.from(initial),
    transition: rows(transition, STATES),
    means: rows(means, DIMS),
    variances: rows(variances, DIMS),
    stateRegimes: best.map((r) => REGIMES[r] as Regime),
    logLikelihoodHistory: history,
    observations: T,
  };
}

/** Options of `HmmRegimeClassifier`. */
export interface HmmClassifierOptions {
  /** Posterior probability another regime needs before the reading switches to it (default 0.7). */
  readonly switchProbability?: number;
  /** Bars a regime is kept at least before a switch (default 1). */
  readonly minDwellBars?: number;
}

interface MutableReading {
  regime: Regime;
  confidence: number;
  since: number;
  sinceTsEvent: number | undefined;
  barsInRegime: number;
  rawRegime: Regime;
  features: RegimeFeatures;
}

/**
 * The learned classifier behind the same `RegimeClassifier` interface: the same O(1) features
 * as the rule-based classifier, then the HMM forward filter (O(states^2) = 25 multiply-adds per
 * bar) gives a posterior over states; each regime's probability is the sum over its state.
 *
 * - `rawRegime`: the regime with the highest posterior;
 * - `regime`: switches to another regime only when its posterior reaches `switchProbability`
 *   and the current one has lasted `minDwellBars` (hysteresis on top of the sticky transitions);
 * - `confidence`: the posterior probability of `regime`, in [0, 1].
 *
 * Deterministic for a given model and input. The model is validated with `hmmRegimeModelSchema`
 * (a bad one throws `RegimeError` with code `invalid-config`).
 */
export class HmmRegimeClassifier implements RegimeClassifier {
  /** The validated model. */
  readonly model: HmmRegimeModel;
  /** Bars needed before the first reading. */
  readonly warmUpPeriod: number;
  private readonly engine: RegimeFeatureEngine;
  private readonly switchProbability: number;
  private readonly minDwellBars: number;
  private readonly means: Float64Array;
  private readonly invVar: Float64Array;
  private readonly logNorm: Float64Array;
  private readonly transition: Float64Array;
  private readonly initial: Float64Array;
  private readonly stateRegime: Int32Array;
  private readonly posterior = new Float64Array(STATES);
  private readonly next = new Float64Array(STATES);
  private readonly regimeProbability = new Float64Array(REGIMES.length);
  private readonly x = new Float64Array(DIMS);
  private readonly reading: MutableReading;
  private ready = false;

  constructor(model: unknown, options: HmmClassifierOptions = {}) {
    const parsed = z.safeParse(hmmRegimeModelZod(), model);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue === undefined ? "(root)" : issue.path.map(String).join(".") || "(root)";
      throw new RegimeError(
        "invalid-config",
        field,
        issue?.input,
        `invalid HMM model: ${field}: ${issue?.message}`,
        // No `cause`: the validator's own error message lists the raw inputs; `field`, `value`
        // and the message carry what it knows.
      );
    }
    const m = parsed.data;
    const switchProbability = options.switchProbability ?? 0.7;
    const minDwellBars = options.minDwellBars ?? 1;
    if (!(switchProbability > 0.5 && switchProbability <= 1)) {
      throw new RegimeError(
        "invalid-parameter",
        "switchProbability",
        switchProbability,
        "switchProbability must be in (0.5, 1]",
      );
    }
    if (!Number.isInteger(minDwellBars) || minDwellBars < 1) {
      throw new RegimeError(
        "invalid-parameter",
        "minDwellBars",
        minDwellBars,
        "minDwellBars must be an integer >= 1",
      );
    }
    this.model = m;
    this.switchProbability = switchProbability;
    this.minDwellBars = minDwellBars;
    this.engine = new RegimeFeatureEngine(m.featureConfig);
    this.warmUpPeriod = this.engine.warmUpPeriod;
    this.means = Float64Array.from(m.means.flat());
    const variances = Float64Array.from(m.variances.flat());
    this.invVar = new Float64Array(STATES * DIMS);
    this.logNorm = new Float64Array(STATES);
    prepareEmissions(variances, this.invVar, this.logNorm);
    this.transition = Float64Array.from(m.transition.flat());
    this.initial = Float64Array.from(m.initial);
    this.stateRegime = Int32Array.from(m.stateRegimes.map((r) => REGIMES.indexOf(r)));
    this.reading = {
      regime: "range",
      confidence: 0,
      since: 0,
      sinceTsEvent: undefined,
      barsInRegime: 0,
      rawRegime: "range",
      features: this.engine.features,
    };
  }

  /** Feeds one bar; returns the reading (one reused object), or undefined during warm-up. */
  update(bar: RegimeBar): RegimeReading | undefined {
    const index = this.engine.updateCount;
    if (!this.engine.update(bar)) return undefined;
    const x = this.x;
    observe(this.engine.features, x, 0);
    const post = this.posterior;
    const next = this.next;
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < STATES; k++) {
      const le = logEmission(x, 0, this.means, this.invVar, this.logNorm, k);
      next[k] = le;
      if (le > max) max = le;
    }
    let sum = 0;
    for (let j = 0; j < STATES; j++) {
      let prior = 0;
      if (!this.ready) prior = this.initial[j] as number;
      else
        for (let i = 0; i < STATES; i++)
          prior += (post[i] as number) * (this.transition[i * STATES + j] as number);
      const a = prior * Math.exp((next[j] as number) - max);
      next[j] = a;
      sum += a;
    }
    const probs = this.regimeProbability;
    probs.fill(0);
    for (let k = 0; k < STATES; k++) {
      // An observation no state explains at all (sum 0) resets the filter to the stationary start.
      const p = sum > 0 ? (next[k] as number) / sum : (this.initial[k] as number);
      post[k] = p;
      const r = this.stateRegime[k] as number;
      probs[r] = (probs[r] as number) + p;
    }
    let argmax = 0;
    for (let r = 1; r < probs.length; r++) if ((probs[r] as number) > (probs[argmax] as number)) argmax = r;
    const raw = REGIMES[argmax] as Regime;
    const reading = this.reading;
    reading.rawRegime = raw;
    if (!this.ready) {
      this.ready = true;
      reading.regime = raw;
      reading.since = index;
      reading.sinceTsEvent = bar.tsEvent;
      reading.barsInRegime = 1;
    } else {
      reading.barsInRegime++;
      if (
        raw !== reading.regime &&
        (probs[argmax] as number) >= this.switchProbability &&
        reading.barsInRegime > this.minDwellBars
      ) {
        reading.regime = raw;
        reading.since = index;
        reading.sinceTsEvent = bar.tsEvent;
        reading.barsInRegime = 1;
      }
    }
    const c = probs[REGIMES.indexOf(reading.regime)] as number;
    reading.confidence = c < 0 ? 0 : Math.min(c, 1);
    return reading;
  }

  /** The posterior probability of each regime after the last bar (same order as `REGIMES`). */
  get regimeProbabilities(): readonly number[] {
    return Array.from(this.regimeProbability);
  }

  /** The latest reading, undefined during warm-up. */
  get value(): RegimeReading | undefined {
    return this.ready ? this.reading : undefined;
  }

  /** True once readings are produced. */
  get isReady(): boolean {
    return this.ready;
  }

  /** Valid bars seen. */
  get updateCount(): number {
    return this.engine.updateCount;
  }

  /** Forgets all history (the model stays). */
  reset(): void {
    this.engine.reset();
    this.ready = false;
    this.posterior.fill(0);
    const r = this.reading;
    r.regime = "range";
    r.rawRegime = "range";
    r.confidence = 0;
    r.since = 0;
    r.sinceTsEvent = undefined;
    r.barsInRegime = 0;
  }
}
