/**
 * Exhaustiveness check for `switch` statements over discriminated unions: call it in `default`.
 * The compiler rejects the call if a case is missing; at runtime it throws a `TypeError`
 * (reaching it means a value arrived that the types said could not exist).
 *
 * @example
 * switch (event.type) { case "Bar": ...; default: return assertNever(event); }
 */
export function assertNever(value: never, what = "value"): never {
  const tag =
    typeof value === "object" && value !== null && "type" in value
      ? String((value as { type: unknown }).type)
      : String(value);
  throw new TypeError(`unexpected ${what}: ${tag}`);
}
