import { CoinbaseClientError, type CoinbaseClientErrorCode } from "../errors.js";
import { describeValue } from "./describe.js";
import { safeParse, type ZodMiniType } from "./zod.js";

/**
 * Validates a caller's params before anything is sent; throws CoinbaseClientError code
 * "invalid-request" naming operation, field path, and a described (never raw, possibly secret) value.
 */
export function parseParams<T>(schema: () => ZodMiniType<T>, input: unknown, operation: string): T {
  return parseWith(schema, input, operation, "invalid-request");
}

/**
 * Validates a response body; throws CoinbaseClientError code "invalid-response" naming the JSON path
 * of the bad field. Unknown fields are kept (looseObject).
 */
export function parseResponse<T>(schema: () => ZodMiniType<T>, body: unknown, operation: string): T {
  return parseWith(schema, body, operation, "invalid-response");
}

function parseWith<T>(
  schema: () => ZodMiniType<T>,
  input: unknown,
  operation: string,
  code: CoinbaseClientErrorCode,
): T {
  const result = safeParse(schema(), input);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const first = issues[0];
  const path = first === undefined ? [] : first.path;
  const field = path.map(String).join(".");
  const what = code === "invalid-request" ? "params" : "response";
  const more =
    issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? "s" : ""})` : "";
  const message =
    `${operation}: invalid ${what} at ${field === "" ? "(root)" : field}: ${first?.message ?? "invalid"}` +
    ` (got ${describeValue(valueAt(input, path))})${more}`;
  throw new CoinbaseClientError(code, message, {
    operation,
    field,
    retryable: false,
  });
}

/** The value at a zod issue path (undefined when the path leads nowhere). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
