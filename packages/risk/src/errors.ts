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
  /** The bad value, as given. Never a secret: risk inputs are amounts, ids and reasons. */
  readonly value?: unknown;
  /** The underlying error (kept as the standard `Error.cause`). */
  readonly cause?: unknown;
}

/**
 * The base class of every error `@gpt/risk` throws. Thrown only for inputs that are wrong;
 * an order that breaks a limit is a `denied` decision, never an exception.
 */
export class RiskError extends Error {
  override readonly name: "RiskError" | "RiskConfigError" = "RiskError";
  /** What went wrong, as a stable code. */
  readonly code: RiskErrorCode;
  /** The field at fault, e.g. `"order.quantity"` (empty when not about one field). */
  readonly field: string;
  /** The offending value, as given. */
  readonly value: unknown;

  constructor(code: RiskErrorCode, message: string, options: RiskErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field ?? "";
    this.value = options.value;
  }
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
  /** The rejected value as text (environment values verbatim), when there is one. */
  readonly value?: string;
  /** Why the value was rejected, in words. */
  readonly reason: string;
}

/** A risk configuration was rejected; `issues` lists every problem, by field and variable name. */
export class RiskConfigError extends RiskError {
  override readonly name = "RiskConfigError" as const;
  /** Every problem found (at least one). */
  readonly issues: readonly RiskConfigIssue[];

  constructor(issues: readonly RiskConfigIssue[], options: { cause?: unknown } = {}) {
    const summary = issues.map((i) => `${i.variable ?? (i.path || "config")}: ${i.reason}`).join("; ");
    super("invalid-config", `invalid risk configuration: ${summary}`, options);
    this.issues = issues;
  }
}
