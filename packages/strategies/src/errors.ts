/**
 * The reason codes a `StrategyError` carries.
 *
 * - `unknown-strategy`: the registry has no strategy of that name (`strategy` names it).
 * - `invalid-params`: strategy parameters failed validation (`param` is the dotted path of the first
 *   bad parameter, `issues` lists all of them).
 * - `invalid-intent`: an intent broke the contract (confidence outside [0, 1], a non-finite price, ...).
 * - `invalid-input`: data handed to a helper is unusable (bars out of time order, too few bars for
 *   the requested walk-forward, a malformed `key=value` argument).
 * - `invalid-model`: a serialized selector model is malformed (bad JSON shape, wrong format name,
 *   a library payload that does not load).
 * - `unsupported-model-version`: a serialized selector model has a format version this code cannot read.
 * - `feature-schema-mismatch`: a model's feature schema differs from the one expected (names,
 *   version or parameters).
 * - `training-failed`: the ML library refused the training data.
 */
export type StrategyErrorCode =
  | "unknown-strategy"
  | "invalid-params"
  | "invalid-intent"
  | "invalid-input"
  | "invalid-model"
  | "unsupported-model-version"
  | "feature-schema-mismatch"
  | "training-failed";

/** One validation problem: where (dotted path) and what. */
export interface StrategyIssue {
  /** Dotted path of the offending field (`"slow"`, `"trendParams.fast"`), `"(root)"` for the whole object. */
  readonly path: string;
  /** Human-readable description. */
  readonly message: string;
  /** The offending input, when known. */
  readonly value?: unknown;
}

/** Options accepted by the `StrategyError` constructor. */
export interface StrategyErrorOptions {
  /** The strategy the error is about (registry name), if any. */
  readonly strategy?: string;
  /** The parameter or field at fault (dotted path), if any. */
  readonly param?: string;
  /** The offending value, if any. */
  readonly value?: unknown;
  /** Every problem found (parameter validation lists all of them). */
  readonly issues?: readonly StrategyIssue[];
  /** Structured details (indices, versions, names). Never secrets. */
  readonly context?: Readonly<Record<string, unknown>>;
  /** The underlying error, kept as the standard `Error.cause`. */
  readonly cause?: unknown;
}

/**
 * The one error class of `@gpt/strategies`. Branch on `code`; `strategy`, `param` and `value` name
 * what was wrong, `issues` lists every validation problem. Messages carry names, parameters and
 * values, never secrets.
 */
export class StrategyError extends Error {
  override readonly name = "StrategyError";
  /** What went wrong, as a stable code. */
  readonly code: StrategyErrorCode;
  /** The strategy concerned (registry name), if any. */
  readonly strategy: string | undefined;
  /** The parameter or field at fault (dotted path), if any. */
  readonly param: string | undefined;
  /** The offending value, if any. */
  readonly value: unknown;
  /** Every validation problem (empty when not a validation error). */
  readonly issues: readonly StrategyIssue[];
  /** Structured details. */
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: StrategyErrorCode, message: string, options: StrategyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.strategy = options.strategy;
    this.param = options.param;
    this.value = options.value;
    this.issues = options.issues ?? [];
    this.context = options.context ?? {};
  }
}
