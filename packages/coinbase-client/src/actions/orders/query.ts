import type { QueryValue } from "../../internal/context.js";

/**
 * Validated list params as a query: every field of these params is a string, a number or a string
 * array already, and `undefined` fields are dropped by the transport.
 */
export function toQuery(params: object): Readonly<Record<string, QueryValue>> {
  return params as Readonly<Record<string, QueryValue>>;
}
