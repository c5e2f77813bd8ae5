/**
 * Request names in either spelling. Coinbase's API gateway reads a field by its proto name
 * (`product_id`) or its lowerCamelCase JSON name (`productId`), in the query and in JSON bodies;
 * Coinbase's own TypeScript sample SDK (`@coinbase-sample/advanced-trade-sdk-ts` 0.3.0) sends
 * only the lowerCamelCase names (`productId`, `clientOrderId`, `orderConfiguration.limitLimitGtc`).
 * The routes read snake_case, so requests are renamed once, before a route sees them.
 */

/** `productId` → `product_id`, `limitLimitGtc` → `limit_limit_gtc`; snake_case names are kept. */
export function snakeName(name: string): string {
  return /[A-Z]/.test(name) ? name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`) : name;
}

/** A copy of `query` with every parameter name in snake_case (values and order kept). */
export function snakeQuery(query: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const [name, value] of query) out.append(snakeName(name), value);
  return out;
}

function snakeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeValue);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [name, inner] of Object.entries(value)) {
    const key = snakeName(name);
    // The snake_case spelling wins when a body carries both.
    if (key !== name && Object.hasOwn(value, key)) continue;
    out[key] = snakeValue(inner);
  }
  return out;
}

/** A copy of a JSON body with every object key, at every depth, in snake_case; values kept. */
export function snakeKeys(body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return snakeValue(body) as Record<string, unknown>;
}
