/**
 * The parser of the REST and order parts of a fault script given by a user (see faults.ts for the
 * whole script and faults-rest.ts for the types): unknown keys, wrong types and out-of-range
 * numbers are refused with `CoinbaseSimError` `invalid-config` naming the field path and the value
 * (strings only as `describeValue` shows them: never text that could be a secret).
 */
import { describeValue } from "@gpt/core";
import { CoinbaseSimError } from "./errors.js";
import type {
  OrderFault,
  OrderFaultMatch,
  OrderFaultReason,
  OrderFaults,
  RestFault,
  RestFaultMatch,
  RestFaults,
} from "./faults-rest.js";

/** The preview reason and default message of each reason a reject fault can carry. */
export const REASONS: Readonly<Record<OrderFaultReason, readonly [preview: string, message: string]>> = {
  UNKNOWN_FAILURE_REASON: ["UNKNOWN_PREVIEW_FAILURE_REASON", "Unknown failure"],
  UNSUPPORTED_ORDER_CONFIGURATION: ["PREVIEW_INVALID_ORDER_CONFIG", "Unsupported order configuration"],
  INVALID_SIDE: ["PREVIEW_INVALID_SIDE", "Invalid side"],
  INVALID_PRODUCT_ID: ["PREVIEW_INVALID_PRODUCT_ID", "ProductID is invalid"],
  INVALID_SIZE_PRECISION: ["PREVIEW_INVALID_SIZE_PRECISION", "Invalid size precision"],
  INVALID_PRICE_PRECISION: ["PREVIEW_INVALID_PRICE_PRECISION", "Invalid price precision"],
  INSUFFICIENT_FUND: ["PREVIEW_INSUFFICIENT_FUND", "Insufficient balance in source account"],
  INVALID_LEDGER_BALANCE: ["PREVIEW_INVALID_LEDGER_BALANCE", "Invalid ledger balance"],
  ORDER_ENTRY_DISABLED: ["UNKNOWN_PREVIEW_FAILURE_REASON", "Order entry is disabled"],
  INELIGIBLE_PAIR: ["UNKNOWN_PREVIEW_FAILURE_REASON", "Ineligible pair"],
  INVALID_LIMIT_PRICE_POST_ONLY: [
    "PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY",
    "Post-only order would cross the book",
  ],
  INVALID_LIMIT_PRICE: ["PREVIEW_INVALID_LIMIT_PRICE", "Invalid limit price"],
  INVALID_NO_LIQUIDITY: ["PREVIEW_INVALID_NO_LIQUIDITY", "No liquidity"],
  INVALID_REQUEST: ["UNKNOWN_PREVIEW_FAILURE_REASON", "Invalid request"],
  COMMANDER_REJECTED_NEW_ORDER: ["UNKNOWN_PREVIEW_FAILURE_REASON", "Order rejected"],
  INSUFFICIENT_FUNDS: ["PREVIEW_INSUFFICIENT_FUNDS_FOR_FUTURES", "Insufficient funds"],
  IN_LIQUIDATION: ["PREVIEW_IN_LIQUIDATION", "Account is in liquidation"],
  INVALID_MARGIN_TYPE: ["PREVIEW_INVALID_MARGIN_TYPE", "Invalid margin type"],
  INVALID_LEVERAGE: ["PREVIEW_INVALID_LEVERAGE", "Invalid leverage"],
  UNTRADABLE_PRODUCT: ["PREVIEW_UNTRADABLE_PRODUCT", "Product is not tradable"],
  INVALID_FCM_TRADING_SESSION: ["PREVIEW_INVALID_FCM_TRADING_SESSION", "Outside the trading session"],
  GEOFENCING_RESTRICTION: ["PREVIEW_GEOFENCING_RESTRICTION", "Geofencing restriction"],
};

const METHODS = ["GET", "POST", "PUT", "DELETE"] as const;
const STATUSES = [500, 502, 503, 504] as const;
const MAX_RULES = 10_000;
const MAX_MS = 2_147_483_647;
const MAX_TEXT = 200;

/** What the parser knows besides the script: the simulator's product ids, to catch typos. */
export interface FaultParseContext {
  /** Product ids a `product` filter may name; unchecked when absent. */
  readonly products?: Iterable<string>;
}

function invalid(field: string, rule: string, value: unknown): never {
  const shown = describeValue(value);
  throw new CoinbaseSimError("invalid-config", `${field}: ${rule}, got ${shown}`, { field, value: shown });
}

type Fields = Record<string, unknown>;

function objectAt(value: unknown, field: string): Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    invalid(field, "must be an object", value);
  return value as Fields;
}

function keysAllowed(value: Fields, field: string, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      const path = `${field}.${describeKey(key)}`;
      throw new CoinbaseSimError("invalid-config", `${path}: unknown key (expected ${allowed.join(", ")})`, {
        field: path,
      });
    }
  }
}

/** A key is named when it is a plain identifier of reasonable length, else described. */
function describeKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]{0,39}$/.test(key) ? key : describeValue(key);
}

function listAt(value: unknown, field: string): readonly unknown[] {
  if (!Array.isArray(value)) invalid(field, "must be an array of rules", value);
  if (value.length > MAX_RULES) invalid(field, `must hold at most ${MAX_RULES} rules`, value.length);
  return value;
}

function integerAt(value: unknown, field: string, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > max)
    invalid(field, `must be an integer from 0 to ${max}`, value);
  return value;
}

function oneOf<T extends string | number>(value: unknown, field: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) invalid(field, `must be one of ${allowed.join(", ")}`, value);
  return value as T;
}

function booleanAt(value: unknown, field: string): boolean {
  if (typeof value !== "boolean") invalid(field, "must be true or false", value);
  return value;
}

function textAt(value: unknown, field: string, pattern?: RegExp): string {
  if (typeof value !== "string" || value === "" || value.length > MAX_TEXT)
    invalid(field, `must be a non-empty string of at most ${MAX_TEXT} characters`, value);
  if (pattern !== undefined && !pattern.test(value)) invalid(field, `must match ${pattern.source}`, value);
  return value;
}

const MATCH_KEYS = ["kind", "path", "method", "count"];

function restMatch(value: Fields, field: string): RestFaultMatch {
  return {
    ...(value.path === undefined ? {} : { path: textAt(value.path, `${field}.path`, /^\/[\w\-/*.]*$/) }),
    ...(value.method === undefined ? {} : { method: oneOf(value.method, `${field}.method`, METHODS) }),
    ...(value.count === undefined ? {} : { count: integerAt(value.count, `${field}.count`, MAX_MS) }),
  };
}

function restRule(input: unknown, field: string): RestFault {
  const value = objectAt(input, field);
  const kind = oneOf(value.kind, `${field}.kind`, ["rate-limit", "server-error", "latency", "hang"] as const);
  const match = restMatch(value, field);
  switch (kind) {
    case "rate-limit":
      keysAllowed(value, field, [...MATCH_KEYS, "body", "resetSeconds"]);
      return {
        kind,
        ...match,
        ...(value.body === undefined
          ? {}
          : { body: oneOf(value.body, `${field}.body`, ["json", "legacy", "html"] as const) }),
        ...(value.resetSeconds === undefined
          ? {}
          : { resetSeconds: integerAt(value.resetSeconds, `${field}.resetSeconds`, 3600) }),
      };
    case "server-error":
      keysAllowed(value, field, [...MATCH_KEYS, "status", "body", "processed"]);
      return {
        kind,
        ...match,
        status: oneOf(value.status, `${field}.status`, STATUSES),
        ...(value.body === undefined
          ? {}
          : { body: oneOf(value.body, `${field}.body`, ["json", "html"] as const) }),
        ...(value.processed === undefined
          ? {}
          : { processed: booleanAt(value.processed, `${field}.processed`) }),
      };
    case "latency":
      keysAllowed(value, field, [...MATCH_KEYS, "ms"]);
      return { kind, ...match, ms: integerAt(value.ms, `${field}.ms`, MAX_MS) };
    case "hang":
      keysAllowed(value, field, [...MATCH_KEYS, "processed"]);
      return {
        kind,
        ...match,
        ...(value.processed === undefined
          ? {}
          : { processed: booleanAt(value.processed, `${field}.processed`) }),
      };
  }
}

function orderRule(input: unknown, field: string, products: ReadonlySet<string> | undefined): OrderFault {
  const value = objectAt(input, field);
  const kind = oneOf(value.kind, `${field}.kind`, ["partial-fill", "reject"] as const);
  let product: string | undefined;
  if (value.product !== undefined) {
    product = textAt(value.product, `${field}.product`);
    if (products !== undefined && !products.has(product))
      invalid(`${field}.product`, "must be a product the simulator lists", product);
  }
  const match: OrderFaultMatch = {
    ...(product === undefined ? {} : { product }),
    ...(value.count === undefined ? {} : { count: integerAt(value.count, `${field}.count`, MAX_MS) }),
  };
  if (kind === "partial-fill") {
    keysAllowed(value, field, ["kind", "product", "count", "fraction"]);
    const fraction = value.fraction;
    if (typeof fraction !== "number" || !(fraction > 0 && fraction < 1))
      invalid(`${field}.fraction`, "must be a number between 0 and 1 (both excluded)", fraction);
    return { kind, ...match, fraction };
  }
  keysAllowed(value, field, ["kind", "product", "count", "reason", "message"]);
  const reason = oneOf(value.reason, `${field}.reason`, Object.keys(REASONS) as OrderFaultReason[]);
  return {
    kind,
    ...match,
    reason,
    ...(value.message === undefined ? {} : { message: textAt(value.message, `${field}.message`) }),
  };
}

/**
 * Validates the `rest` part of a fault script (`field` names it in messages) and returns a fresh copy.
 * @throws CoinbaseSimError `invalid-config` naming the field path and the value.
 */
export function parseRestFaults(input: unknown, field = "faults.rest"): RestFaults {
  return listAt(input, field).map((rule, index) => restRule(rule, `${field}[${index}]`));
}

/**
 * Validates the `orders` part of a fault script and returns a fresh copy; with `context.products`,
 * a `product` filter must name one of them.
 * @throws CoinbaseSimError `invalid-config` naming the field path and the value.
 */
export function parseOrderFaults(
  input: unknown,
  field = "faults.orders",
  context: FaultParseContext = {},
): OrderFaults {
  const products = context.products === undefined ? undefined : new Set(context.products);
  return listAt(input, field).map((rule, index) => orderRule(rule, `${field}[${index}]`, products));
}
