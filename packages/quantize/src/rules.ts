import { Decimal as DecimalJs } from "decimal.js";
import { D, type Decimal, type DecimalInput, describeValue, toDecimal } from "./decimal.js";
import { QuantizeError } from "./errors.js";
import { isOnParsed, parseIncrement } from "./rounding.js";

/**
 * The trading rules of one product, as exact decimals: the increments every amount must be a
 * multiple of, and the size limits. Field names are the camelCase forms of Coinbase's product
 * fields (`base_increment` → `baseIncrement`). A limit Coinbase leaves out (or sends as `""`)
 * is absent here and not checked.
 */
export interface ProductRules {
  /** Size step: an order's base size must be a multiple of it (`base_increment`). */
  readonly baseIncrement: Decimal;
  /** Step of quote-denominated sizes (`quote_increment`). */
  readonly quoteIncrement: Decimal;
  /** Price tick: a limit price must be a multiple of it (`price_increment`, else `quote_increment`). */
  readonly priceIncrement: Decimal;
  /** Smallest base size allowed, inclusive (`base_min_size`). Need not be on the base increment. */
  readonly baseMinSize?: Decimal;
  /** Largest base size allowed, inclusive (`base_max_size`). */
  readonly baseMaxSize?: Decimal;
  /** Smallest notional (quote size, or base size × price) allowed, inclusive (`quote_min_size`). */
  readonly quoteMinSize?: Decimal;
  /** Largest notional allowed, inclusive (`quote_max_size`). */
  readonly quoteMaxSize?: Decimal;
}

/** The name of one rule of `ProductRules` (its field name), as reported by a violation. */
export type ProductRuleName = keyof ProductRules;

/** Input of `createProductRules`: the fields of `ProductRules` as strings, numbers or Decimals. */
export interface ProductRulesInput {
  /** See `ProductRules.baseIncrement`. */
  readonly baseIncrement: DecimalInput;
  /** See `ProductRules.quoteIncrement`. */
  readonly quoteIncrement: DecimalInput;
  /** See `ProductRules.priceIncrement`; defaults to `quoteIncrement` when left out. */
  readonly priceIncrement?: DecimalInput;
  /** See `ProductRules.baseMinSize`. */
  readonly baseMinSize?: DecimalInput;
  /** See `ProductRules.baseMaxSize`. */
  readonly baseMaxSize?: DecimalInput;
  /** See `ProductRules.quoteMinSize`. */
  readonly quoteMinSize?: DecimalInput;
  /** See `ProductRules.quoteMaxSize`. */
  readonly quoteMaxSize?: DecimalInput;
}

/**
 * The part of a Coinbase Advanced Trade `Product` (`GET /products`, `GET /products/{id}`) that
 * `productRulesFromCoinbase` reads. Coinbase sends every amount as a decimal string; any other
 * fields of the product are allowed and ignored.
 */
export interface CoinbaseProductRulesJson {
  /** Size step, e.g. `"0.00000001"`. Required. */
  readonly base_increment?: string | null;
  /** Quote step, e.g. `"0.01"`. Required. */
  readonly quote_increment?: string | null;
  /** Price tick, e.g. `"0.01"` or `"5"`; falls back to `quote_increment` when missing or `""`. */
  readonly price_increment?: string | null;
  /** Minimum base size, e.g. `"0.00000001"` or `"26.7187147229469674"`. */
  readonly base_min_size?: string | null;
  /** Maximum base size, e.g. `"3400"`. */
  readonly base_max_size?: string | null;
  /** Minimum notional in quote currency, e.g. `"1"` (`"0"` on CFM futures). */
  readonly quote_min_size?: string | null;
  /** Maximum notional in quote currency, e.g. `"150000000"`. */
  readonly quote_max_size?: string | null;
  /** Every other product field (ignored). */
  readonly [field: string]: unknown;
}

type FieldNames = Readonly<Record<ProductRuleName, string>>;

const CAMEL_NAMES: FieldNames = {
  baseIncrement: "baseIncrement",
  quoteIncrement: "quoteIncrement",
  priceIncrement: "priceIncrement",
  baseMinSize: "baseMinSize",
  baseMaxSize: "baseMaxSize",
  quoteMinSize: "quoteMinSize",
  quoteMaxSize: "quoteMaxSize",
};

const COINBASE_NAMES: FieldNames = {
  baseIncrement: "base_increment",
  quoteIncrement: "quote_increment",
  priceIncrement: "price_increment",
  baseMinSize: "base_min_size",
  baseMaxSize: "base_max_size",
  quoteMinSize: "quote_min_size",
  quoteMaxSize: "quote_max_size",
};

type RawRules = { readonly [K in ProductRuleName]?: unknown };

/** A positive zero, so a `"-0"` limit or a zero result is never negative zero. */
const ZERO = new D(0);

function rulesError(field: string, value: unknown, why: string, cause?: unknown): QuantizeError {
  return new QuantizeError(
    "invalid-rules",
    field,
    value,
    `product rules: ${field} ${why}`,
    cause === undefined ? undefined : { cause },
  );
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === "";
}

function asDecimalInput(field: string, value: unknown): DecimalInput {
  if (typeof value === "string" || typeof value === "number" || DecimalJs.isDecimal(value)) {
    return value as DecimalInput;
  }
  throw rulesError(field, value, `must be a decimal string (got ${describeValue(value)})`);
}

function requiredIncrement(field: string, value: unknown): Decimal {
  if (isAbsent(value)) throw rulesError(field, value, "is required");
  try {
    return parseIncrement(asDecimalInput(field, value), field);
  } catch (cause) {
    if (cause instanceof QuantizeError && cause.code === "invalid-rules") throw cause;
    throw rulesError(field, value, "must be a decimal greater than zero", cause);
  }
}

function optionalLimit(field: string, value: unknown): Decimal | undefined {
  if (isAbsent(value)) return undefined;
  try {
    const limit = toDecimal(asDecimalInput(field, value), field, false);
    return limit.isZero() ? ZERO : limit;
  } catch (cause) {
    if (cause instanceof QuantizeError && cause.code === "invalid-rules") throw cause;
    throw rulesError(field, value, "must be a decimal >= 0", cause);
  }
}

function buildRules(raw: RawRules, names: FieldNames): ProductRules {
  const baseIncrement = requiredIncrement(names.baseIncrement, raw.baseIncrement);
  const quoteIncrement = requiredIncrement(names.quoteIncrement, raw.quoteIncrement);
  const priceIncrement = isAbsent(raw.priceIncrement)
    ? quoteIncrement
    : requiredIncrement(names.priceIncrement, raw.priceIncrement);
  const baseMinSize = optionalLimit(names.baseMinSize, raw.baseMinSize);
  const baseMaxSize = optionalLimit(names.baseMaxSize, raw.baseMaxSize);
  const quoteMinSize = optionalLimit(names.quoteMinSize, raw.quoteMinSize);
  const quoteMaxSize = optionalLimit(names.quoteMaxSize, raw.quoteMaxSize);
  if (baseMaxSize?.isZero())
    throw rulesError(names.baseMaxSize, raw.baseMaxSize, "must be greater than zero");
  if (quoteMaxSize?.isZero())
    throw rulesError(names.quoteMaxSize, raw.quoteMaxSize, "must be greater than zero");
  if (baseMinSize && baseMaxSize && baseMinSize.gt(baseMaxSize)) {
    throw rulesError(
      names.baseMinSize,
      raw.baseMinSize,
      `is above ${names.baseMaxSize} ${baseMaxSize.toFixed()}`,
    );
  }
  if (quoteMinSize && quoteMaxSize && quoteMinSize.gt(quoteMaxSize)) {
    throw rulesError(
      names.quoteMinSize,
      raw.quoteMinSize,
      `is above ${names.quoteMaxSize} ${quoteMaxSize.toFixed()}`,
    );
  }
  return Object.freeze({
    baseIncrement,
    quoteIncrement,
    priceIncrement,
    ...(baseMinSize === undefined ? {} : { baseMinSize }),
    ...(baseMaxSize === undefined ? {} : { baseMaxSize }),
    ...(quoteMinSize === undefined ? {} : { quoteMinSize }),
    ...(quoteMaxSize === undefined ? {} : { quoteMaxSize }),
  });
}

/**
 * Validates camelCase rule fields into a frozen `ProductRules`. Increments must be > 0, minimums
 * >= 0, maximums > 0, and a minimum may not exceed its maximum; a bad field is a `QuantizeError`
 * with code `invalid-rules`, `field` set to the camelCase name and the underlying error as `cause`.
 * `priceIncrement` defaults to `quoteIncrement`.
 *
 * @example
 * createProductRules({ baseIncrement: "0.00000001", quoteIncrement: "0.01", baseMinSize: "0.00000001" })
 */
export function createProductRules(input: ProductRulesInput): ProductRules {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw rulesError("input", input, `must be an object of rule fields (got ${describeValue(input)})`);
  }
  return buildRules(input, CAMEL_NAMES);
}

/**
 * Reads the trading rules out of a Coinbase Advanced Trade product object (snake_case decimal
 * strings, as `GET /products/{id}` returns it). Empty-string, `null` or missing limits are left
 * out; a missing or empty `price_increment` falls back to `quote_increment`. A bad field is a
 * `QuantizeError` with code `invalid-rules` whose `field` is the Coinbase field name
 * (`"base_increment"`), with the underlying parse error as `cause`.
 *
 * @example
 * const rules = productRulesFromCoinbase({ product_id: "BTC-USD", base_increment: "0.00000001",
 *   quote_increment: "0.01", price_increment: "0.01", base_min_size: "0.00000001", base_max_size: "3400",
 *   quote_min_size: "1", quote_max_size: "150000000" });
 */
export function productRulesFromCoinbase(product: CoinbaseProductRulesJson): ProductRules {
  if (typeof product !== "object" || product === null || Array.isArray(product)) {
    throw rulesError("product", product, `must be a Coinbase product object (got ${describeValue(product)})`);
  }
  return buildRules(
    {
      baseIncrement: product.base_increment,
      quoteIncrement: product.quote_increment,
      priceIncrement: product.price_increment,
      baseMinSize: product.base_min_size,
      baseMaxSize: product.base_max_size,
      quoteMinSize: product.quote_min_size,
      quoteMaxSize: product.quote_max_size,
    },
    COINBASE_NAMES,
  );
}

/**
 * The amounts of an order to check: either a base `size` or a quote `quoteSize` (Coinbase takes
 * one or the other), plus the limit `price` when there is one. With a base size and a price the
 * notional (size × price) is checked against the quote limits; without a price it cannot be.
 */
export type OrderAmounts =
  | {
      /** Base size. */
      readonly size: DecimalInput;
      /** Limit price, if any. */
      readonly price?: DecimalInput;
      /** Not allowed together with `size`. */
      readonly quoteSize?: never;
    }
  | {
      /** Quote size (notional in quote currency). */
      readonly quoteSize: DecimalInput;
      /** Limit price, if any (checked against the price tick only). */
      readonly price?: DecimalInput;
      /** Not allowed together with `quoteSize`. */
      readonly size?: never;
    };

/** Which order amount a violation is about: `notional` is base size × price. */
export type OrderAmountField = "size" | "price" | "quoteSize" | "notional";

/** An order amount that breaks one product rule. */
export interface RuleViolation {
  /** Discriminant. */
  readonly kind: "violation";
  /** The rule broken, named like the `ProductRules` field that holds its limit. */
  readonly rule: ProductRuleName;
  /** The order amount that breaks it. */
  readonly field: OrderAmountField;
  /** That amount. */
  readonly value: Decimal;
  /** The rule's limit (the increment, minimum or maximum). */
  readonly limit: Decimal;
  /** One human-readable sentence, e.g. `"size 0.5 is above baseMaxSize 0.4"`. */
  readonly message: string;
}

/** The outcome of `checkOrderAgainstRules`. */
export type RuleCheckResult = { readonly kind: "ok" } | RuleViolation;

const OK: RuleCheckResult = Object.freeze({ kind: "ok" });

function violation(
  rule: ProductRuleName,
  field: OrderAmountField,
  value: Decimal,
  limit: Decimal,
  what: string,
): RuleViolation {
  return Object.freeze({
    kind: "violation",
    rule,
    field,
    value,
    limit,
    message: `${field} ${value.toFixed()} ${what} ${rule} ${limit.toFixed()}`,
  });
}

/** A size of zero is never a valid order; report it against the minimum (or the step). */
function zeroViolation(
  rule: ProductRuleName,
  field: OrderAmountField,
  value: Decimal,
  min: Decimal | undefined,
  step: Decimal,
): RuleViolation {
  const limit = min !== undefined && !min.isZero() ? min : step;
  return Object.freeze({
    kind: "violation",
    rule,
    field,
    value,
    limit,
    message: `${field} must be greater than zero (${rule} ${limit.toFixed()})`,
  });
}

function checkNotional(field: OrderAmountField, notional: Decimal, rules: ProductRules): RuleCheckResult {
  if (rules.quoteMinSize !== undefined && notional.lt(rules.quoteMinSize)) {
    return violation("quoteMinSize", field, notional, rules.quoteMinSize, "is below");
  }
  if (rules.quoteMaxSize !== undefined && notional.gt(rules.quoteMaxSize)) {
    return violation("quoteMaxSize", field, notional, rules.quoteMaxSize, "is above");
  }
  return OK;
}

/**
 * Checks an order's amounts against a product's rules and returns the first rule broken, in this
 * order: price on `priceIncrement`; then for a base size: on `baseIncrement`, `baseMinSize`,
 * `baseMaxSize`, and (with a price) notional against `quoteMinSize` / `quoteMaxSize`; for a quote
 * size: on `quoteIncrement`, `quoteMinSize`, `quoteMaxSize`. Minimums and maximums are inclusive.
 * A zero size is always a violation of the minimum.
 *
 * Rule breaks are returned, not thrown. Inputs that are not amounts at all are thrown as
 * `QuantizeError`: unparseable values, negative amounts, a zero price, both or neither of
 * `size` / `quoteSize` (`invalid-order`).
 *
 * @example
 * const r = checkOrderAgainstRules({ size: "0.001", price: "68923.67" }, rules);
 * if (r.kind === "violation") throw new Error(r.message);
 */
export function checkOrderAgainstRules(order: OrderAmounts, rules: ProductRules): RuleCheckResult {
  if (typeof order !== "object" || order === null || Array.isArray(order)) {
    throw new QuantizeError(
      "invalid-order",
      "order",
      order,
      `order: must be an object with size or quoteSize (got ${describeValue(order)})`,
    );
  }
  checkRulesObject(rules);
  const hasSize = order.size !== undefined;
  const hasQuote = order.quoteSize !== undefined;
  if (hasSize === hasQuote) {
    throw new QuantizeError(
      "invalid-order",
      hasSize ? "quoteSize" : "size",
      order,
      hasSize ? "order has both size and quoteSize; give one" : "order has neither size nor quoteSize",
    );
  }
  let price: Decimal | undefined;
  if (order.price !== undefined) {
    price = toDecimal(order.price, "price", false);
    if (price.isZero()) {
      throw new QuantizeError("zero-not-allowed", "price", order.price, "price: must not be zero");
    }
    if (!isOnParsed(price, rules.priceIncrement)) {
      return violation("priceIncrement", "price", price, rules.priceIncrement, "is not a multiple of");
    }
  }
  if (order.size !== undefined) {
    const size = toDecimal(order.size, "size", false);
    if (size.isZero())
      return zeroViolation("baseMinSize", "size", size, rules.baseMinSize, rules.baseIncrement);
    if (!isOnParsed(size, rules.baseIncrement)) {
      return violation("baseIncrement", "size", size, rules.baseIncrement, "is not a multiple of");
    }
    if (rules.baseMinSize !== undefined && size.lt(rules.baseMinSize)) {
      return violation("baseMinSize", "size", size, rules.baseMinSize, "is below");
    }
    if (rules.baseMaxSize !== undefined && size.gt(rules.baseMaxSize)) {
      return violation("baseMaxSize", "size", size, rules.baseMaxSize, "is above");
    }
    if (price === undefined || (rules.quoteMinSize === undefined && rules.quoteMaxSize === undefined))
      return OK;
    return checkNotional("notional", exactTimes(size, price), rules);
  }
  const quoteSize = toDecimal(order.quoteSize, "quoteSize", false);
  if (quoteSize.isZero()) {
    return zeroViolation("quoteMinSize", "quoteSize", quoteSize, rules.quoteMinSize, rules.quoteIncrement);
  }
  if (!isOnParsed(quoteSize, rules.quoteIncrement)) {
    return violation("quoteIncrement", "quoteSize", quoteSize, rules.quoteIncrement, "is not a multiple of");
  }
  return checkNotional("quoteSize", quoteSize, rules);
}

const RULE_NAMES: readonly ProductRuleName[] = [
  "baseIncrement",
  "quoteIncrement",
  "priceIncrement",
  "baseMinSize",
  "baseMaxSize",
  "quoteMinSize",
  "quoteMaxSize",
];

/**
 * `ProductRules` are normally built by `createProductRules`, but an untyped caller can hand over
 * anything: check that every rule is a validated `D` value before using it (cheap: valid `D`
 * instances pass through without copying).
 */
function checkRulesObject(rules: unknown): asserts rules is ProductRules {
  if (typeof rules !== "object" || rules === null || Array.isArray(rules)) {
    throw rulesError(
      "rules",
      rules,
      `must be ProductRules from createProductRules (got ${describeValue(rules)})`,
    );
  }
  const raw = rules as RawRules;
  for (const name of RULE_NAMES) {
    const value = raw[name];
    const required = name === "baseIncrement" || name === "quoteIncrement" || name === "priceIncrement";
    if (value === undefined && !required) continue;
    if (!(value instanceof D)) {
      throw rulesError(
        name,
        value,
        `must be a Decimal from createProductRules (got ${describeValue(value)})`,
      );
    }
    try {
      if (required) parseIncrement(value, name);
      else toDecimal(value, name, false);
    } catch (cause) {
      throw rulesError(name, value, "is not a valid rule value", cause);
    }
  }
}

/**
 * A private constructor used only for multiplication and integer division, which always
 * terminate: with the maximum precision nothing is rounded. Its results are converted back to `D`
 * before they leave this module, so no caller ever does arithmetic at this precision. Cloned from
 * `D`, so every other setting is `D`'s.
 */
const EXACT = D.clone({ precision: 1e9, rounding: DecimalJs.ROUND_DOWN });

function exactTimes(a: Decimal, b: Decimal): Decimal {
  return new D(new EXACT(a).times(b));
}

/**
 * Turns a quote amount into a base size at `price`: `quoteAmount / price`, rounded down to the
 * base increment, so that `size × price <= quoteAmount` always holds. Exact (no intermediate
 * rounding). A zero quote amount gives size 0.
 *
 * @throws QuantizeError for a negative amount, a zero or negative price, or a bad increment.
 * @example
 * notionalToSize("100", "68923.67", "0.00000001").toString() // "0.00145088"
 */
export function notionalToSize(
  quoteAmount: DecimalInput,
  price: DecimalInput,
  baseIncrement: DecimalInput,
): Decimal {
  const quote = toDecimal(quoteAmount, "quoteAmount", false);
  const p = toDecimal(price, "price", false);
  if (p.isZero()) throw new QuantizeError("zero-not-allowed", "price", price, "price: must not be zero");
  const inc = parseIncrement(baseIncrement, "baseIncrement");
  const steps = new EXACT(quote).divToInt(new EXACT(p).times(inc));
  return steps.isZero() ? ZERO : new D(steps.times(inc));
}

/**
 * The notional of a base size at `price`: `size × price`, exact (not rounded to any increment;
 * round it with `roundToIncrement` if it is to be sent).
 *
 * @example
 * sizeToNotional("0.00145088", "68923.67").toString() // "99.9999..." exact: "99.9998661310" trimmed
 */
export function sizeToNotional(size: DecimalInput, price: DecimalInput): Decimal {
  return exactTimes(toDecimal(size, "size", false), toDecimal(price, "price", false));
}
