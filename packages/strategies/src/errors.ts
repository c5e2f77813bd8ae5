import { describeValue } from "@gpt/core";

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
  /**
   * The offending input, when known. On the issues of a `StrategyError` it is the rejected input
   * verbatim but non-enumerable: not shown by `inspect` or `JSON.stringify`.
   */
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
 * The key of the brand every `StrategyError` carries (a non-enumerable own property, `true`). It is a
 * `Symbol.for` key, so every copy of `@gpt/strategies` loaded in one process (its ESM and CommonJS builds
 * side by side, or two installed versions) uses the same one. See `isStrategyError`.
 */
const ERROR_BRAND = Symbol.for("@gpt/strategies/error");

/**
 * The one error class of `@gpt/strategies`. Branch on `code`; `strategy`, `param` and `value` name
 * what was wrong, `issues` lists every validation problem. Messages carry names and parameters;
 * a value is quoted only when short and number-shaped, and the raw `value` is never printed.
 */
export class StrategyError extends Error {
  override readonly name = "StrategyError";

  /**
   * The tag of this class in the cross-copy `instanceof` check. Each subclass sets its own, so
   * `error instanceof X` matches an `X` (or a subclass of it) from any copy of the package, and
   * no other error.
   */
  static readonly errorClass: string = "StrategyError";

  /**
   * `instanceof` that also recognises errors from another copy of `@gpt/strategies`: an error that
   * carries this package's brand and whose class, or an ancestor of it, has the same
   * `errorClass`. Classes you derive yourself keep the plain prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of instanceof (or a subclass).
    return isInstanceAcrossCopies(this, value);
  }

  /** What went wrong, as a stable code. */
  readonly code: StrategyErrorCode;
  /** The strategy concerned (registry name), if any. */
  readonly strategy: string | undefined;
  /** The parameter or field at fault (dotted path), if any. */
  readonly param: string | undefined;
  /**
   * The offending value, if any: the rejected input verbatim; not shown by `inspect` or
   * `JSON.stringify` (a non-enumerable property, so `console.error(error)` never prints it).
   */
  declare readonly value: unknown;
  /** Every validation problem (empty when not a validation error); each issue's `value` is hidden the same way. */
  readonly issues: readonly StrategyIssue[];
  /**
   * Structured details, safe to print: numbers, booleans and short number-shaped text as given,
   * names (`strategy`, `field`, `name`) as given, anything else as its description.
   */
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: StrategyErrorCode, message: string, options: StrategyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Object.defineProperty(this, ERROR_BRAND, { value: true });
    this.code = code;
    this.strategy = options.strategy;
    this.param = options.param;
    hideValue(this, options.value);
    this.issues = (options.issues ?? []).map(hiddenIssue);
    this.context = safeContext(options.context ?? {});
  }
}

/** Defines `value` on `target` as read-only and non-enumerable (left out of `inspect` and JSON). */
function hideValue(target: object, value: unknown): void {
  Object.defineProperty(target, "value", { value, enumerable: false, writable: false, configurable: true });
}

/** A copy of `issue` whose `value` (when it has one) is non-enumerable; the input is not changed. */
function hiddenIssue(issue: StrategyIssue): StrategyIssue {
  const copy: StrategyIssue = { path: issue.path, message: issue.message };
  if (Object.hasOwn(issue, "value")) hideValue(copy, issue.value);
  return copy;
}

/** Number-shaped text short enough to show: it cannot carry a credential. */
const QUOTABLE = /^[0-9eE.+-]{1,24}$/;
/** Context entries that hold names chosen in code. */
const LABEL_KEYS: ReadonlySet<string> = new Set(["strategy", "field", "name", "param"]);

/** A copy of `context` safe to print (see `StrategyError.context`). */
function safeContext(context: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(context)) {
    const shown =
      LABEL_KEYS.has(key) ||
      typeof entry === "number" ||
      typeof entry === "boolean" ||
      entry === undefined ||
      entry === null ||
      (typeof entry === "string" && QUOTABLE.test(entry));
    out[key] = shown ? entry : describeValue(entry);
  }
  return out;
}

/**
 * True when `value` is a `StrategyError` (or a subclass) thrown by any copy of `@gpt/strategies`.
 * It checks the package's brand rather than the prototype, so it holds where `instanceof` against
 * one copy's class would not: loading the ESM and the CommonJS build in one process gives two
 * copies.
 *
 * @example
 * try { run(); } catch (error) { if (isStrategyError(error)) report(error.code); else throw error; }
 */
export function isStrategyError(value: unknown): value is StrategyError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { [ERROR_BRAND]?: unknown })[ERROR_BRAND] === true
  );
}

/** `instanceof` across copies for the classes of this file (see `StrategyError[Symbol.hasInstance]`). */
function isInstanceAcrossCopies(cls: typeof StrategyError, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(cls, value)) return true;
  if (!isStrategyError(value) || !Object.hasOwn(cls, "errorClass")) return false;
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const ctor: unknown = Object.hasOwn(proto, "constructor") ? proto.constructor : undefined;
    if (typeof ctor === "function" && Object.hasOwn(ctor, "errorClass")) {
      if ((ctor as typeof StrategyError).errorClass === cls.errorClass) return true;
    }
  }
  return false;
}
