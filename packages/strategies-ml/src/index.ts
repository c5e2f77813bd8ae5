/**
 * `@gpt/strategies-ml`: the ML strategy selector for `@gpt/strategies`. A classifier (random forest
 * or logistic regression, from the ml-* libraries) learns from walk-forward training which
 * candidate strategy will do best over the next bars; the `ml-selector` strategy then follows the
 * predicted candidate's standing target.
 *
 * Register it next to the built-ins:
 * `createStrategyRegistry([...BUILT_IN_STRATEGIES, mlSelectorDefinition])`.
 */

export type { CandidateSpec, SelectorDataset } from "./dataset.js";
export { buildSelectorDataset, forwardScores, labelAt } from "./dataset.js";
export type { FeatureParams, FeatureParamsInput, FeatureSchema } from "./features.js";
export {
  createFeatureSchema,
  FEATURE_REGIMES,
  FEATURE_SCHEMA_ID,
  FEATURE_SCHEMA_VERSION,
  featureNames,
  SelectorFeatures,
} from "./features.js";
export type {
  LoadSelectorOptions,
  LogisticRegressionOptions,
  RandomForestOptions,
  SelectorModelOptions,
  SelectorModelOptionsInput,
  SerializedClassifier,
  SerializedSelectorModel,
  TrainingInfo,
  TrainSelectorInput,
} from "./model.js";
export {
  loadSelectorModel,
  SELECTOR_MODEL_FORMAT,
  SELECTOR_MODEL_VERSION,
  SelectorModel,
  trainSelectorModel,
} from "./model.js";
export type { MlSelectorParams, MlSelectorRawParams } from "./selector-strategy.js";
export { MlSelectorStrategy, mlSelectorDefinition, mlSelectorSchema } from "./selector-strategy.js";
export type {
  SelectorDecision,
  WalkForwardFold,
  WalkForwardInput,
  WalkForwardResult,
} from "./walk-forward.js";
export { walkForwardTrain } from "./walk-forward.js";
