/**
 * The reason codes a `RiskError` can carry.
 *
 * - `invalid-input`: an input to a check, to `applyRiskInput` or to the engine is malformed
 *   (NaN or non-finite amounts, a negative quantity, an order for another instrument than the one
 *   given, an empty kill-switch reason, a bad timestamp).
 * - `invalid-config`: a risk configuration was rejected (see `RiskConfigError.issues`).
 * - `invalid-state`: a persisted `RiskState` failed validation or has an unknown version.
 * - `invalid-transition`: a command the current state does not allow (resetting a kill switch
 *   that is not active).
 */
export type RiskErrorCode = "invalid-input" | "invalid-config" | "invalid-state" | "invalid-transition";

/** Options accepted by the `RiskError` constructor. */
export interface RiskErrorOptions {
  /** The field (dotted path) that held the bad value, if one did. */
  readonly field?: string;
  /** The bad value, as given (kept on the error as a non-enumerable `value`, never printed). */
  readonly value?: unknown;
  /** The underlying error (kept as the standard `Error.cause`). */
  readonly cause?: unknown;
}

/**
 * The key of the brand every `RiskError` carries (a non-enumerable own property, `true`). It is a
 * `Symbol.for` key, so every copy of `@gpt/risk` loaded in one process (its ESM and CommonJS builds
 * side by side, or two installed versions) uses the same one. See `isRiskError`.
 */
const ERROR_BRAND = Symbol.for("@gpt/risk/error");

/**
 * The base class of every error `@gpt/risk` throws. Thrown only for inputs that are wrong;
 * an order that breaks a limit is a `denied` decision, never an exception.
 */
export class RiskError extends Error {
  override readonly name: "RiskError" | "RiskConfigError" = "RiskError";

  /**
   * The tag of this class in the cross-copy `instanceof` check. Each subclass sets its own, so
   * `error instanceof X` matches an `X` (or a subclass of it) from any copy of the package, and
   * no other error.
   */
  static readonly errorClass: string = "RiskError";

  /**
   * `instanceof` that also recognises errors from another copy of `@gpt/risk`: an error that
   * carries this package's brand and whose class, or an ancestor of it, has the same
   * `errorClass`. Classes you derive yourself keep the plain prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of instanceof (or a subclass).
    return isInstanceAcrossCopies(this, value);
  }

  /** What went wrong, as a stable code. */
  readonly code: RiskErrorCode;
  /** The field at fault, e.g. `"order.quantity"` (empty when not about one field). */
  readonly field: string;
  /**
   * The offending value, as given: the rejected input verbatim; not shown by `inspect` or
   * `JSON.stringify` (a non-enumerable property, so `console.error(error)` never prints it).
   */
  declare readonly value: unknown;

  constructor(code: RiskErrorCode, message: string, options: RiskErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Object.defineProperty(this, ERROR_BRAND, { value: true });
    this.code = code;
    this.field = options.field ?? "";
    Object.defineProperty(this, "value", {
      value: options.value,
      enumerable: false,
      writable: false,
      configurable: true,
    });
  }
}

/**
 * True when `value` is a `RiskError` (or a subclass) thrown by any copy of `@gpt/risk`.
 * It checks the package's brand rather than the prototype, so it holds where `instanceof` against
 * one copy's class would not: loading the ESM and the CommonJS build in one process gives two
 * copies.
 *
 * @example
 * try { run(); } catch (error) { if (isRiskError(error)) report(error.code); else throw error; }
 */
export function isRiskError(value: unknown): value is RiskError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { [ERROR_BRAND]?: unknown })[ERROR_BRAND] === true
  );
}

/** `instanceof` across copies for the classes of this file (see `RiskError[Symbol.hasInstance]`). */
function isInstanceAcrossCopies(cls: typeof RiskError, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(cls, value)) return true;
  if (!isRiskError(value) || !Object.hasOwn(cls, "errorClass")) return false;
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const ctor: unknown = Object.hasOwn(proto, "constructor") ? proto.constructor : undefined;
    if (typeof ctor === "function" && Object.hasOwn(ctor, "errorClass")) {
      if ((ctor as typeof RiskError).errorClass === cls.errorClass) return true;
    }
  }
  return false;
}

/**
 * One problem with a risk configuration. `path` is the config field (`"maxLeverage"`,
 * `"breakers.drawdown.maxPct"`); `variable` is the environment variable it came from, when the
 * configuration was read from the environment.
 */
export interface RiskConfigIssue {
  /** Dotted path of the config field (empty for a problem with the whole object). */
  readonly path: string;
  /** The environment variable, e.g. `"RISK_MAX_LEVERAGE"`, when parsed from the environment. */
  readonly variable?: string;
  /**
   * The rejected value as text, when there is one. Safe to log (from `safeParseRiskConfig`,
   * `parseRiskConfig` and `riskConfigFromEnv` alike): the text itself only when short and
   * number-shaped, else `"(N characters, not shown)"`.
   */
  readonly value?: string;
  /** Why the value was rejected, in words. */
  readonly reason: string;
}

/** A risk configuration was rejected; `issues` lists every problem, by field and variable name. */
export class RiskConfigError extends RiskError {
  override readonly name = "RiskConfigError" as const;
  /** See `RiskError.errorClass`. */
  static override readonly errorClass: string = "RiskConfigError";
  /** Every problem found (at least one). */
  readonly issues: readonly RiskConfigIssue[];

  constructor(issues: readonly RiskConfigIssue[], options: { cause?: unknown } = {}) {
    const summary = issues.map((i) => `${i.variable ?? (i.path || "config")}: ${i.reason}`).join("; ");
    super("invalid-config", `invalid risk configuration: ${summary}`, options);
    this.issues = issues;
  }
}
