/// <reference path="./ml-logistic-regression.d.ts" />

import * as z from "@gpt/core/validation";
import { issuesOf, StrategyError } from "@gpt/strategies";
import LogisticRegression from "ml-logistic-regression";
import { Matrix } from "ml-matrix";
import { RandomForestClassifier } from "ml-random-forest";
import type { CandidateSpec } from "./dataset.js";
import {
  createFeatureSchema,
  FEATURE_SCHEMA_ID,
  FEATURE_SCHEMA_VERSION,
  type FeatureParamsInput,
  type FeatureSchema,
} from "./features.js";

/** `format` of a serialized selector model. */
export const SELECTOR_MODEL_FORMAT = "gpt-strategy-selector";

/** The serialized-model format version this code writes and reads. */
export const SELECTOR_MODEL_VERSION = 1;

/** Options of the random-forest classifier (ml-random-forest over ml-cart trees). */
export interface RandomForestOptions {
  /** Discriminant. */
  readonly kind: "random-forest";
  /** Trees in the forest, 1..500 (default 25). */
  readonly nEstimators: number;
  /** Maximum depth of each tree, 1..32 (default 6). */
  readonly maxDepth: number;
  /** A node with this many samples or fewer becomes a leaf (default 10). */
  readonly minNumSamples: number;
  /** Fraction of the features each tree sees, in (0, 1] (default 0.7). */
  readonly maxFeatures: number;
}

/** Options of the logistic-regression classifier (ml-logistic-regression, one-vs-all). */
export interface LogisticRegressionOptions {
  /** Discriminant. */
  readonly kind: "logistic-regression";
  /** Gradient-descent steps per one-vs-all classifier (default 300). */
  readonly numSteps: number;
  /** Step size per sample, in (0, 100] (the library's rate is this divided by the number of samples; default 0.5). */
  readonly learningRate: number;
}

/** Resolved classifier options: random forest (default) or logistic regression. */
export type SelectorModelOptions = RandomForestOptions | LogisticRegressionOptions;

/** Input of the classifier options (`{ kind: "random-forest" }` uses every default). */
export type SelectorModelOptionsInput =
  | ({ readonly kind: "random-forest" } & Partial<Omit<RandomForestOptions, "kind">>)
  | ({ readonly kind: "logistic-regression" } & Partial<Omit<LogisticRegressionOptions, "kind">>);

const randomForestOptionsZod = /* @__PURE__ */ z.memo(() =>
  z.strictObject({
    kind: z.literal("random-forest"),
    nEstimators: z._default(z.int().check(z.minimum(1), z.maximum(500)), 25),
    maxDepth: z._default(z.int().check(z.minimum(1), z.maximum(32)), 6),
    minNumSamples: z._default(z.int().check(z.minimum(1), z.maximum(100_000)), 10),
    maxFeatures: z._default(z.number().check(z.gt(0), z.maximum(1)), 0.7),
  }),
);

const logisticRegressionOptionsZod = /* @__PURE__ */ z.memo(() =>
  z.strictObject({
    kind: z.literal("logistic-regression"),
    numSteps: z._default(z.int().check(z.minimum(1), z.maximum(1_000_000)), 300),
    learningRate: z._default(z.number().check(z.gt(0), z.maximum(100)), 0.5),
  }),
);

const selectorModelOptionsZod = /* @__PURE__ */ z.memo(() =>
  z.discriminatedUnion("kind", [randomForestOptionsZod(), logisticRegressionOptionsZod()]),
);

// Compile-time proof that the schema's output and input match the declared types.
type OptionsZod = ReturnType<typeof selectorModelOptionsZod>;
const _optionsOutput: (value: z.output<OptionsZod>) => SelectorModelOptions = (value) => value;
const _optionsInput: (value: SelectorModelOptionsInput) => z.input<OptionsZod> = (value) => value;
void _optionsOutput;
void _optionsInput;

/** Where a model's training data came from. */
export interface TrainingInfo {
  /** Training samples used. */
  readonly samples: number;
  /** Samples per candidate label. */
  readonly classCounts: readonly number[];
  /** `tsEvent` of the first bar whose label was used. */
  readonly firstTsEvent: number;
  /** `tsEvent` of the last bar whose label was used. */
  readonly lastTsEvent: number;
  /** The seed given to the library. */
  readonly seed: number;
}

/** The serialized form of a selector model (plain JSON data). */
export interface SerializedSelectorModel {
  /** `SELECTOR_MODEL_FORMAT`. */
  readonly format: typeof SELECTOR_MODEL_FORMAT;
  /** `SELECTOR_MODEL_VERSION`. */
  readonly version: number;
  /** The feature schema the model was trained with. */
  readonly featureSchema: FeatureSchema;
  /** The candidate strategies; class `i` means candidate `i`. */
  readonly candidates: readonly CandidateSpec[];
  /** Label horizon in bars. */
  readonly horizon: number;
  /** Cost per unit of direction change used in the labels. */
  readonly turnoverCost: number;
  /** Training provenance. */
  readonly training: TrainingInfo;
  /** The classifier: its options and the library's own JSON. */
  readonly model: SerializedClassifier;
}

/** The classifier part of a serialized model. */
export type SerializedClassifier =
  | {
      readonly kind: "random-forest";
      readonly options: RandomForestOptions;
      /** `RandomForestClassifier#toJSON()` of ml-random-forest. */
      readonly json: unknown;
    }
  | {
      readonly kind: "logistic-regression";
      readonly options: LogisticRegressionOptions;
      /** Candidate index of each library class. */
      readonly classes: readonly number[];
      /** Standardisation applied before the library: (x − mean) / scale, then a bias column. */
      readonly mean: readonly number[];
      readonly scale: readonly number[];
      /** `LogisticRegression#toJSON()` of ml-logistic-regression. */
      readonly json: unknown;
    };

interface Predictor {
  probabilities(row: number[], out: Float64Array): void;
}

class ForestPredictor implements Predictor {
  private readonly batch: number[][] = [[]];
  constructor(readonly forest: RandomForestClassifier) {}
  probabilities(row: number[], out: Float64Array): void {
    this.batch[0] = row;
    const votes = this.forest.predictionValues(this.batch).getRow(0);
    // Count whole votes first, then divide once: summing 1/n n times can exceed 1.
    out.fill(0);
    for (const v of votes) {
      if (v >= 0 && v < out.length) out[v] = (out[v] as number) + 1;
    }
    for (let c = 0; c < out.length; c++) out[c] = (out[c] as number) / votes.length;
  }
}

class LogisticPredictor implements Predictor {
  constructor(
    readonly lr: LogisticRegression,
    readonly classes: readonly number[],
    readonly mean: readonly number[],
    readonly scale: readonly number[],
  ) {}
  probabilities(row: number[], out: Float64Array): void {
    const x = new Array<number>(row.length + 1);
    x[0] = 1;
    for (let j = 0; j < row.length; j++) {
      x[j + 1] = ((row[j] as number) - (this.mean[j] as number)) / (this.scale[j] as number);
    }
    const m = new Matrix([x]);
    out.fill(0);
    let sum = 0;
    const classifiers = this.lr.classifiers;
    for (let k = 0; k < classifiers.length; k++) {
      // The library labels the class itself 0 in its one-vs-all split: the score is P(not k).
      const p = 1 - ((classifiers[k] as { testScores(m: Matrix): number[] }).testScores(m)[0] as number);
      out[this.classes[k] as number] = p;
      sum += p;
    }
    if (sum > 0) {
      for (let c = 0; c < out.length; c++) out[c] = Math.min(1, (out[c] as number) / sum);
    } else {
      for (const c of this.classes) out[c] = 1 / this.classes.length;
    }
  }
}

/** Builds the library model from its JSON. The loaders keep (and partly overwrite) what they are given, so they get a copy. */
function createPredictor(model: SerializedClassifier): Predictor {
  switch (model.kind) {
    case "random-forest":
      return new ForestPredictor(
        RandomForestClassifier.load(plain(model.json) as Parameters<typeof RandomForestClassifier.load>[0]),
      );
    case "logistic-regression":
      return new LogisticPredictor(
        LogisticRegression.load(plain(model.json)),
        model.classes,
        model.mean,
        model.scale,
      );
    default: {
      const unreachable: never = model;
      return unreachable;
    }
  }
}

/**
 * A trained strategy selector: for a feature row it gives a probability per candidate strategy
 * (random forest: the fraction of trees voting for it; logistic regression: normalised one-vs-all
 * probabilities). Immutable; `toJSON()` gives the versioned serialized form.
 */
export class SelectorModel {
  /** The feature schema the model expects. */
  readonly featureSchema: FeatureSchema;
  /** The candidates, in class order. */
  readonly candidates: readonly CandidateSpec[];
  /** Label horizon in bars. */
  readonly horizon: number;
  /** Turnover cost used in the labels. */
  readonly turnoverCost: number;
  /** Training provenance. */
  readonly training: TrainingInfo;
  private readonly classifier: SerializedClassifier;
  private readonly predictor: Predictor;
  private readonly row: number[];

  /**
   * Wraps serialized model data **without validating it**; use `loadSelectorModel` for anything
   * read from outside, and `trainSelectorModel` to train one.
   */
  constructor(serialized: SerializedSelectorModel) {
    this.featureSchema = serialized.featureSchema;
    this.candidates = serialized.candidates;
    this.horizon = serialized.horizon;
    this.turnoverCost = serialized.turnoverCost;
    this.training = serialized.training;
    this.classifier = serialized.model;
    this.predictor = createPredictor(serialized.model);
    this.row = new Array<number>(serialized.featureSchema.names.length).fill(0);
  }

  /** The classifier kind. */
  get kind(): SerializedClassifier["kind"] {
    return this.classifier.kind;
  }

  /**
   * The probability of each candidate for one feature row (length = feature count). Writes into
   * `out` when given (length = candidate count) and returns it.
   * @throws StrategyError (`invalid-input`) for a row of the wrong length.
   */
  predictProbabilities(features: ArrayLike<number>, out?: Float64Array): Float64Array {
    const row = this.row;
    if (features.length !== row.length) {
      throw new StrategyError("invalid-input", `expected ${row.length} features, got ${features.length}`, {
        param: "features",
        value: features.length,
      });
    }
    for (let j = 0; j < row.length; j++) row[j] = features[j] as number;
    const result = out ?? new Float64Array(this.candidates.length);
    this.predictor.probabilities(row, result);
    return result;
  }

  /** The versioned serialized form (plain JSON data; `JSON.stringify` it to save). */
  toJSON(): SerializedSelectorModel {
    return {
      format: SELECTOR_MODEL_FORMAT,
      version: SELECTOR_MODEL_VERSION,
      featureSchema: this.featureSchema,
      candidates: this.candidates,
      horizon: this.horizon,
      turnoverCost: this.turnoverCost,
      training: this.training,
      model: this.classifier,
    };
  }
}

/** Deep-copies library output into plain JSON data (matrices become arrays). */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** Input of `trainSelectorModel`. */
export interface TrainSelectorInput {
  /** Feature schema of the rows. */
  readonly featureSchema: FeatureSchema;
  /** Candidates; labels are indices into this list. */
  readonly candidates: readonly CandidateSpec[];
  /** Feature rows (each of `featureSchema.names.length` numbers). */
  readonly rows: readonly (readonly number[])[];
  /** Label of each row: the index of the best candidate. */
  readonly labels: readonly number[];
  /** Label horizon in bars (recorded in the model). */
  readonly horizon: number;
  /** Turnover cost used in the labels (recorded). */
  readonly turnoverCost: number;
  /** Time of the first labelled bar (recorded). */
  readonly firstTsEvent: number;
  /** Time of the last labelled bar (recorded). */
  readonly lastTsEvent: number;
  /** Classifier options (default random forest). */
  readonly model?: SelectorModelOptionsInput | undefined;
  /** Seed for the random forest (32-bit integer; default 42). */
  readonly seed?: number | undefined;
}

/**
 * Trains a selector with an mljs classifier on labelled feature rows. Deterministic: the same rows,
 * labels, options and seed give the same model.
 * @throws StrategyError (`invalid-input` for inconsistent rows/labels, `invalid-params` for bad
 * options, `training-failed` when the library refuses the data)
 */
export function trainSelectorModel(input: TrainSelectorInput): SelectorModel {
  const { rows, labels, candidates, featureSchema } = input;
  const width = featureSchema.names.length;
  if (rows.length === 0 || rows.length !== labels.length) {
    throw new StrategyError(
      "invalid-input",
      `need as many labels as rows (>= 1); got ${rows.length} rows, ${labels.length} labels`,
      {
        param: "rows",
        value: rows.length,
      },
    );
  }
  const classCounts = new Array<number>(candidates.length).fill(0);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as readonly number[];
    const label = labels[i] as number;
    if (row.length !== width || !row.every(Number.isFinite)) {
      throw new StrategyError("invalid-input", `row ${i} must hold ${width} finite numbers`, {
        param: "rows",
        value: i,
      });
    }
    if (!Number.isInteger(label) || label < 0 || label >= candidates.length) {
      throw new StrategyError("invalid-input", `label ${i} must be a candidate index, got ${label}`, {
        param: "labels",
        value: label,
      });
    }
    classCounts[label] = (classCounts[label] as number) + 1;
  }
  const parsedOptions = z.safeParse(selectorModelOptionsZod(), input.model ?? { kind: "random-forest" });
  if (!parsedOptions.success) {
    const issues = issuesOf(parsedOptions.error, "model.");
    throw new StrategyError(
      "invalid-params",
      `invalid model options: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
      {
        strategy: "ml-selector",
        issues,
        ...(issues[0] ? { param: issues[0].path, value: issues[0].value } : {}),
      },
    );
  }
  const options = parsedOptions.data;
  const seed = input.seed ?? 42;
  if (!Number.isSafeInteger(seed)) {
    throw new StrategyError("invalid-input", `seed must be an integer, got ${seed}`, {
      param: "seed",
      value: seed,
    });
  }
  const training: TrainingInfo = {
    samples: rows.length,
    classCounts,
    firstTsEvent: input.firstTsEvent,
    lastTsEvent: input.lastTsEvent,
    seed,
  };
  const base = {
    format: SELECTOR_MODEL_FORMAT,
    version: SELECTOR_MODEL_VERSION,
    featureSchema,
    candidates,
    horizon: input.horizon,
    turnoverCost: input.turnoverCost,
    training,
  } as const;
  try {
    switch (options.kind) {
      case "random-forest": {
        const forest = new RandomForestClassifier({
          nEstimators: options.nEstimators,
          maxFeatures: options.maxFeatures,
          replacement: false,
          useSampleBagging: true,
          noOOB: true,
          seed: seed | 0,
          treeOptions: { maxDepth: options.maxDepth, minNumSamples: options.minNumSamples },
        });
        forest.train(
          rows.map((r) => [...r]),
          [...labels],
        );
        const json = plain(forest.toJSON());
        const serialized: SerializedSelectorModel = {
          ...base,
          model: { kind: "random-forest", options, json },
        };
        // Predict through the serialized form, so a fresh model and a loaded one are the same object graph.
        return new SelectorModel(serialized);
      }
      case "logistic-regression": {
        const classes = classCounts.flatMap((count, c) => (count > 0 ? [c] : []));
        const classIndex = new Map(classes.map((c, k) => [c, k]));
        const mean = new Array<number>(width).fill(0);
        const scale = new Array<number>(width).fill(0);
        for (const r of rows)
          for (let j = 0; j < width; j++) mean[j] = (mean[j] as number) + (r[j] as number) / rows.length;
        for (const r of rows) {
          for (let j = 0; j < width; j++)
            scale[j] = (scale[j] as number) + ((r[j] as number) - (mean[j] as number)) ** 2 / rows.length;
        }
        for (let j = 0; j < width; j++) {
          const sd = Math.sqrt(scale[j] as number);
          scale[j] = sd > 1e-12 ? sd : 1;
        }
        const x = new Matrix(
          rows.map((r) => [1, ...r.map((v, j) => (v - (mean[j] as number)) / (scale[j] as number))]),
        );
        const y = Matrix.columnVector(labels.map((l) => classIndex.get(l) as number));
        const lr = new LogisticRegression({
          numSteps: options.numSteps,
          learningRate: options.learningRate / rows.length,
        });
        lr.train(x, y);
        const json = plain(lr.toJSON());
        const serialized: SerializedSelectorModel = {
          ...base,
          model: { kind: "logistic-regression", options, classes, mean, scale, json },
        };
        return new SelectorModel(serialized);
      }
      default: {
        const unreachable: never = options;
        return unreachable;
      }
    }
  } catch (cause) {
    if (cause instanceof StrategyError) throw cause;
    throw new StrategyError("training-failed", `training the selector failed: ${String(cause)}`, { cause });
  }
}

/** Schema of a serialized selector model, built on first use. */
const serializedZod = /* @__PURE__ */ z.memo(() => {
  const index = z.int().check(z.minimum(0));
  return z.strictObject({
    format: z.string(),
    version: z.number(),
    featureSchema: z.strictObject({
      id: z.string(),
      version: z.int(),
      names: z.array(z.string()).check(z.minLength(1)),
      params: z.record(z.string(), z.unknown()),
    }),
    candidates: z
      .array(
        z.strictObject({ name: z.string().check(z.minLength(1)), params: z.record(z.string(), z.unknown()) }),
      )
      .check(z.minLength(2)),
    horizon: z.int().check(z.minimum(1)),
    turnoverCost: z.number().check(z.minimum(0)),
    training: z.strictObject({
      samples: z.int().check(z.minimum(1)),
      classCounts: z.array(index),
      firstTsEvent: z.number(),
      lastTsEvent: z.number(),
      seed: z.int(),
    }),
    model: z.discriminatedUnion("kind", [
      z.strictObject({
        kind: z.literal("random-forest"),
        options: randomForestOptionsZod(),
        json: z.looseObject({
          name: z.literal("RFClassifier"),
          baseModel: z.looseObject({
            estimators: z.array(z.unknown()).check(z.minLength(1)),
            indexes: z.array(z.array(index)),
          }),
        }),
      }),
      z.strictObject({
        kind: z.literal("logistic-regression"),
        options: logisticRegressionOptionsZod(),
        classes: z.array(index).check(z.minLength(1)),
        mean: z.array(z.number()),
        scale: z.array(z.number().check(z.gt(0))),
        json: z.looseObject({
          name: z.literal("LogisticRegression"),
          numberClasses: z.int().check(z.minimum(1)),
          classifiers: z
            .array(z.looseObject({ weights: z.array(z.array(z.number())) }))
            .check(z.minLength(1)),
        }),
      }),
    ]),
  });
});

/** Options of `loadSelectorModel`. */
export interface LoadSelectorOptions {
  /**
   * The feature schema the caller expects (or the parameters that produce it). When given, a model
   * whose schema differs in id, version, names or parameters is refused.
   */
  readonly expectedFeatureSchema?: FeatureSchema | FeatureParamsInput;
}

function invalidModel(
  message: string,
  extra: { param?: string; value?: unknown; cause?: unknown; issues?: ReturnType<typeof issuesOf> } = {},
): never {
  throw new StrategyError("invalid-model", `invalid selector model: ${message}`, {
    strategy: "ml-selector",
    ...extra,
  });
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/**
 * Loads a serialized selector model (the object `toJSON()` gave, or its JSON text) and checks it:
 *
 * - `format` must be `"gpt-strategy-selector"` and the shape must validate (`invalid-model`);
 * - `version` must be `SELECTOR_MODEL_VERSION` (`unsupported-model-version`);
 * - the feature schema must be this code's (`FEATURE_SCHEMA_ID`, `FEATURE_SCHEMA_VERSION`) and its
 *   names must be exactly those the declared parameters produce, and it must equal
 *   `options.expectedFeatureSchema` when given (`feature-schema-mismatch`);
 * - the library payload must load and predict (`invalid-model`).
 *
 * @throws StrategyError with the codes above.
 */
export function loadSelectorModel(input: unknown, options: LoadSelectorOptions = {}): SelectorModel {
  let raw = input;
  if (typeof raw === "string") {
    try {
      raw = JSON.parse(raw) as unknown;
    } catch (cause) {
      invalidModel("not valid JSON", { cause });
    }
  }
  if (typeof raw !== "object" || raw === null) invalidModel("expected an object", { value: raw });
  const head = raw as { format?: unknown; version?: unknown };
  if (head.format !== SELECTOR_MODEL_FORMAT) {
    invalidModel(`format must be "${SELECTOR_MODEL_FORMAT}"`, { param: "format", value: head.format });
  }
  if (head.version !== SELECTOR_MODEL_VERSION) {
    throw new StrategyError(
      "unsupported-model-version",
      `selector model version ${String(head.version)} is not supported (this code reads version ${SELECTOR_MODEL_VERSION})`,
      { strategy: "ml-selector", param: "version", value: head.version },
    );
  }
  const parsed = z.safeParse(serializedZod(), raw);
  if (!parsed.success) {
    const issues = issuesOf(parsed.error);
    invalidModel(issues.map((i) => `${i.path}: ${i.message}`).join("; "), {
      issues,
      ...(issues[0] ? { param: issues[0].path, value: issues[0].value } : {}),
    });
  }
  const data = parsed.data;
  const declared = data.featureSchema;
  const mismatch = (message: string, param: string, value: unknown): never => {
    throw new StrategyError("feature-schema-mismatch", `selector model feature schema mismatch: ${message}`, {
      strategy: "ml-selector",
      param,
      value,
    });
  };
  if (declared.id !== FEATURE_SCHEMA_ID)
    mismatch(`id "${declared.id}" is not "${FEATURE_SCHEMA_ID}"`, "featureSchema.id", declared.id);
  if (declared.version !== FEATURE_SCHEMA_VERSION) {
    mismatch(
      `version ${declared.version}, this code computes version ${FEATURE_SCHEMA_VERSION}`,
      "featureSchema.version",
      declared.version,
    );
  }
  let rebuilt: FeatureSchema;
  try {
    rebuilt = createFeatureSchema(declared.params as FeatureParamsInput);
  } catch (cause) {
    return mismatch(
      `its parameters are not valid here (${String(cause)})`,
      "featureSchema.params",
      declared.params,
    );
  }
  if (stableJson(rebuilt.names) !== stableJson(declared.names)) {
    mismatch(
      "its feature names differ from those its parameters produce",
      "featureSchema.names",
      declared.names,
    );
  }
  if (stableJson(rebuilt.params) !== stableJson(declared.params)) {
    mismatch("its parameters are incomplete or not canonical", "featureSchema.params", declared.params);
  }
  const expectedInput = options.expectedFeatureSchema;
  if (expectedInput !== undefined) {
    const expected =
      "names" in expectedInput && "id" in expectedInput
        ? (expectedInput as FeatureSchema)
        : createFeatureSchema(expectedInput as FeatureParamsInput);
    if (expected.id !== rebuilt.id || expected.version !== rebuilt.version) {
      mismatch(
        `expected ${expected.id} v${expected.version}, model has ${rebuilt.id} v${rebuilt.version}`,
        "featureSchema.version",
        rebuilt.version,
      );
    }
    if (stableJson(expected.names) !== stableJson(rebuilt.names)) {
      mismatch(
        `expected features [${expected.names.join(", ")}], model has [${rebuilt.names.join(", ")}]`,
        "featureSchema.names",
        rebuilt.names,
      );
    }
    if (stableJson(expected.params) !== stableJson(rebuilt.params)) {
      mismatch(
        "the feature parameters differ from the expected ones",
        "featureSchema.params",
        declared.params,
      );
    }
  }
  const width = rebuilt.names.length;
  const k = data.candidates.length;
  if (data.training.classCounts.length !== k)
    invalidModel("training.classCounts must have one entry per candidate", { param: "training.classCounts" });
  const serialized: SerializedSelectorModel = {
    format: SELECTOR_MODEL_FORMAT,
    version: SELECTOR_MODEL_VERSION,
    featureSchema: rebuilt,
    candidates: data.candidates,
    horizon: data.horizon,
    turnoverCost: data.turnoverCost,
    training: data.training,
    model: data.model,
  };
  const m = data.model;
  try {
    switch (m.kind) {
      case "random-forest": {
        if (m.json.baseModel.indexes.some((idx) => idx.some((j) => j >= width))) {
          invalidModel("a tree reads a feature column that does not exist", {
            param: "model.json.baseModel.indexes",
          });
        }
        break;
      }
      case "logistic-regression": {
        if (m.mean.length !== width || m.scale.length !== width)
          invalidModel("mean/scale must have one entry per feature", { param: "model.mean" });
        if (m.classes.some((c) => c >= k) || m.classes.length !== m.json.classifiers.length) {
          invalidModel("classes must map each classifier to a candidate", { param: "model.classes" });
        }
        if (m.json.classifiers.some((c) => c.weights.length !== 1 || c.weights[0]?.length !== width + 1)) {
          invalidModel(`each classifier needs ${width + 1} weights`, { param: "model.json.classifiers" });
        }
        break;
      }
      default: {
        const unreachable: never = m;
        return unreachable;
      }
    }
    const model = new SelectorModel(serialized);
    const probe = model.predictProbabilities(new Float64Array(width));
    if (!probe.every(Number.isFinite)) invalidModel("it predicts non-finite probabilities");
    return model;
  } catch (cause) {
    if (cause instanceof StrategyError) throw cause;
    return invalidModel(`the ${m.kind} payload does not load (${String(cause)})`, {
      param: "model.json",
      cause,
    });
  }
}
