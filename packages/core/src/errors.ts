/**
 * Stable reason codes carried by every `CoreError`.
 *
 * - `invalid-id`: an identifier that is empty, too long, or has forbidden characters.
 * - `invalid-value`: a number, timestamp or decimal that is out of range or malformed.
 * - `invalid-instrument`: an instrument definition that breaks an invariant (named in `field`).
 * - `unknown-instrument`: an instrument provider was asked for an id it does not hold.
 * - `invalid-command`: a command that fails validation (the issues are listed).
 * - `illegal-transition`: an order event that the order's current status does not allow.
 * - `overfill`: a fill that would take the cumulative filled quantity above the order quantity.
 * - `duplicate-fill`: a fill whose trade id the order has already booked.
 * - `event-mismatch`: an event for another order/instrument/side than the state it is applied to.
 * - `invalid-fill`: a fill with a non-positive quantity or price, or a foreign commission currency.
 * - `clock-backwards`: a manual clock asked to move back in time.
 */
export type CoreErrorCode =
  | "invalid-id"
  | "invalid-value"
  | "invalid-instrument"
  | "unknown-instrument"
  | "invalid-command"
  | "illegal-transition"
  | "overfill"
  | "duplicate-fill"
  | "event-mismatch"
  | "invalid-fill"
  | "clock-backwards";

/** The literal `name` of `CoreError` and of each of its subclasses. */
export type CoreErrorName =
  | "CoreError"
  | "InvalidIdError"
  | "InstrumentError"
  | "CommandValidationError"
  | "OrderStateError"
  | "PositionError";

/** Options accepted by every `CoreError` constructor. */
export interface CoreErrorOptions {
  /**
   * Structured details (field names, offending values, states). Never secrets: entries other than
   * field names, ids and statuses are stored verbatim only when they cannot carry a credential
   * (numbers, booleans, short number-shaped text), else as their description.
   */
  readonly context?: Readonly<Record<string, unknown>>;
  /** The underlying error, if any (kept as the standard `Error.cause`). */
  readonly cause?: unknown;
}

/**
 * The key of the brand every `CoreError` carries (a non-enumerable own property, `true`). It is a
 * `Symbol.for` key, so every copy of `@gpt/core` loaded in one process (its ESM and CommonJS builds
 * side by side, or two installed versions) uses the same one. See `isCoreError`.
 */
const ERROR_BRAND = Symbol.for("@gpt/core/error");

/**
 * The base class of every error `@gpt/core` throws. Branch on `code` (stable) or on the subclass
 * (`instanceof OrderStateError`); `context` holds the structured details that the message
 * also spells out. Values in messages are identifiers, amounts and states, never secrets.
 */
export class CoreError extends Error {
  override readonly name: CoreErrorName = "CoreError";

  /**
   * The tag of this class in the cross-copy `instanceof` check. Each subclass sets its own, so
   * `error instanceof X` matches an `X` (or a subclass of it) from any copy of the package, and
   * no other error.
   */
  static readonly errorClass: string = "CoreError";

  /**
   * `instanceof` that also recognises errors from another copy of `@gpt/core`: an error that
   * carries this package's brand and whose class, or an ancestor of it, has the same
   * `errorClass`. Classes you derive yourself keep the plain prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of instanceof (or a subclass).
    return isInstanceAcrossCopies(this, value);
  }

  /** What went wrong, as a stable code. */
  readonly code: CoreErrorCode;
  /**
   * Structured details, e.g. `{ field: "minSize", value: "-1" }`. Safe to print: field names, ids
   * and statuses as given; every other entry (`value`, `ms`, …) as itself when it is a number, a
   * boolean or short number-shaped text, else as its description (`"a 24-character string"`), so
   * `inspect(error)` never repeats a secret.
   */
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: CoreErrorCode, message: string, options: CoreErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Object.defineProperty(this, ERROR_BRAND, { value: true });
    this.code = code;
    this.context = safeContext(options.context ?? {});
  }
}

/**
 * True when `value` is a `CoreError` (or a subclass) thrown by any copy of `@gpt/core`.
 * It checks the package's brand rather than the prototype, so it holds where `instanceof` against
 * one copy's class would not: loading the ESM and the CommonJS build in one process gives two
 * copies.
 *
 * @example
 * try { run(); } catch (error) { if (isCoreError(error)) report(error.code); else throw error; }
 */
export function isCoreError(value: unknown): value is CoreError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { [ERROR_BRAND]?: unknown })[ERROR_BRAND] === true
  );
}

/** `instanceof` across copies for the classes of this file (see `CoreError[Symbol.hasInstance]`). */
function isInstanceAcrossCopies(cls: typeof CoreError, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(cls, value)) return true;
  if (!isCoreError(value) || !Object.hasOwn(cls, "errorClass")) return false;
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const ctor: unknown = Object.hasOwn(proto, "constructor") ? proto.constructor : undefined;
    if (typeof ctor === "function" && Object.hasOwn(ctor, "errorClass")) {
      if ((ctor as typeof CoreError).errorClass === cls.errorClass) return true;
    }
  }
  return false;
}

/** An identifier (`InstrumentId`, `ClientOrderId`, `Venue`, …) failed validation. */
export class InvalidIdError extends CoreError {
  override readonly name = "InvalidIdError" as const;
  /** See `CoreError.errorClass`. */
  static override readonly errorClass: string = "InvalidIdError";
  /** The kind of id or field that was being built, e.g. `"clientOrderId"`. */
  readonly field: string;
  /** The rejected input verbatim; not shown by `inspect` or `JSON.stringify` (non-enumerable). */
  declare readonly value: unknown;

  constructor(field: string, value: unknown, why: string, options: { cause?: unknown } = {}) {
    super("invalid-id", `${field}: ${why} (got ${describeValue(value)})`, {
      context: { field, value },
      cause: options.cause,
    });
    this.field = field;
    defineHidden(this, "value", value);
  }
}

/** An instrument definition (or a value checked against one) broke an invariant. */
export class InstrumentError extends CoreError {
  override readonly name = "InstrumentError" as const;
  /** See `CoreError.errorClass`. */
  static override readonly errorClass: string = "InstrumentError";
  /** The instrument field at fault, e.g. `"maintenanceMarginFraction"`. */
  readonly field: string;
  /** The rejected value verbatim; not shown by `inspect` or `JSON.stringify` (non-enumerable). */
  declare readonly value: unknown;

  constructor(
    field: string,
    value: unknown,
    why: string,
    options: { cause?: unknown; code?: "invalid-instrument" | "unknown-instrument" } = {},
  ) {
    super(options.code ?? "invalid-instrument", `${field}: ${why} (got ${describeValue(value)})`, {
      context: { field, value },
      cause: options.cause,
    });
    this.field = field;
    defineHidden(this, "value", value);
  }
}

/** One problem found by a command validator: the field at fault and a readable reason. */
export interface ValidationIssue {
  /** Dotted path of the field at fault, e.g. `"order.expireTime"`. */
  readonly field: string;
  /** Short stable code, e.g. `"gtd-without-expire-time"`. */
  readonly code: string;
  /** Human-readable explanation. */
  readonly message: string;
}

/** A command (`SubmitOrder`, `SubmitBracket`, …) failed validation; `issues` lists every problem. */
export class CommandValidationError extends CoreError {
  override readonly name = "CommandValidationError" as const;
  /** See `CoreError.errorClass`. */
  static override readonly errorClass: string = "CommandValidationError";
  /** Every problem found (at least one). */
  readonly issues: readonly ValidationIssue[];

  constructor(commandType: string, issues: readonly ValidationIssue[], options: { cause?: unknown } = {}) {
    const summary = issues.map((i) => `${i.field}: ${i.message}`).join("; ");
    super("invalid-command", `${commandType} is invalid: ${summary}`, {
      context: { commandType, issues },
      cause: options.cause,
    });
    this.issues = issues;
  }
}

/** An order event could not be applied: illegal transition, over-fill, duplicate fill or mismatch. */
export class OrderStateError extends CoreError {
  override readonly name = "OrderStateError" as const;
  /** See `CoreError.errorClass`. */
  static override readonly errorClass: string = "OrderStateError";
  /** The order the event was applied to. */
  readonly clientOrderId: string;
  /** The order's status before the event. */
  readonly fromStatus: string;
  /** The offending event's `type`. */
  readonly eventType: string;

  constructor(
    code: "illegal-transition" | "overfill" | "duplicate-fill" | "event-mismatch" | "invalid-fill",
    clientOrderId: string,
    fromStatus: string,
    eventType: string,
    why: string,
    options: { cause?: unknown; context?: Readonly<Record<string, unknown>> } = {},
  ) {
    super(code, `order ${clientOrderId}: ${eventType} in status ${fromStatus}: ${why}`, {
      context: { clientOrderId, fromStatus, eventType, ...options.context },
      cause: options.cause,
    });
    this.clientOrderId = clientOrderId;
    this.fromStatus = fromStatus;
    this.eventType = eventType;
  }
}

/** A fill or funding payment could not be booked on a position (mismatched instrument, bad values). */
export class PositionError extends CoreError {
  override readonly name = "PositionError" as const;
  /** See `CoreError.errorClass`. */
  static override readonly errorClass: string = "PositionError";

  constructor(
    code: "event-mismatch" | "invalid-fill" | "invalid-value",
    message: string,
    options: CoreErrorOptions = {},
  ) {
    super(code, message, options);
  }
}

/**
 * Defines `key` on `target` as a read-only, non-enumerable property: reachable by name, but left
 * out of `inspect`, `console.error`, `JSON.stringify` and object spread.
 */
function defineHidden(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: false, writable: false, configurable: true });
}

/**
 * Context entries that hold labels this package chose or already validated (field names, ids,
 * statuses, validation issues); they are kept as given. Every other entry may hold raw input.
 */
const LABEL_KEYS: ReadonlySet<string> = new Set([
  "field",
  "commandType",
  "issues",
  "clientOrderId",
  "fromStatus",
  "eventType",
  "instrumentId",
  "fillInstrumentId",
  "currency",
  "commissionCurrency",
]);

/**
 * A copy of `context` that is safe to print: label entries (`LABEL_KEYS`) as given, every other
 * entry as `safeDetail` renders it. The caller's object is not changed.
 */
function safeContext(context: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(context)) {
    out[key] = LABEL_KEYS.has(key) ? entry : safeDetail(entry);
  }
  return out;
}

/**
 * A rejected value as an error may keep it in enumerable fields: numbers, booleans, `null`,
 * `undefined` and short number-shaped strings as they are (they help the user and cannot carry a
 * credential); anything else (BigInts included, which `JSON.stringify` rejects) as `describeValue`
 * renders it.
 */
function safeDetail(value: unknown): unknown {
  switch (typeof value) {
    case "number":
    case "boolean":
    case "undefined":
      return value;
    case "string":
      return QUOTABLE.test(value) ? value : describeValue(value);
    default:
      return value === null ? null : describeValue(value);
  }
}

/** Number-shaped text short enough to quote: it cannot carry a credential. */
const QUOTABLE = /^[0-9eE.+-]{1,24}$/;
/** The text of a decimal.js value (digits only, so it cannot carry a credential either). */
const DECIMAL_TEXT = /^-?\d{1,64}(?:\.\d{1,64})?(?:e[+-]?\d{1,16})?$/;

/**
 * Renders a rejected value for an error message without ever repeating text that could be a
 * secret: a string is quoted only when it is short and number-shaped (digits, sign, point,
 * exponent); any other string is described by its length. Decimals show their value; other objects
 * only their kind. Never throws, whatever it is given (a hostile `toString` included).
 *
 * @example
 * describeValue("12.5.1") // "\"12.5.1\""
 * describeValue("sk-live-abc") // "a 11-character string"
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case "string":
      if (value === "") return "an empty string";
      return QUOTABLE.test(value) ? JSON.stringify(value) : `a ${value.length}-character string`;
    case "number":
    case "boolean":
    case "undefined":
      return String(value);
    case "bigint":
      return `${value}n`;
    case "symbol":
      return "a symbol";
    case "function":
      return "a function";
    default:
      if (value === null) return "null";
      try {
        if (Array.isArray(value)) return "an array";
        if (typeof (value as { toFixed?: unknown }).toFixed === "function") {
          const text = String(value);
          if (DECIMAL_TEXT.test(text) || text === "NaN" || text === "Infinity" || text === "-Infinity") {
            return `Decimal(${text})`;
          }
        }
      } catch {
        // A revoked Proxy, a hostile getter or a `toString` that throws: described by its kind.
      }
      return "an object";
  }
}
