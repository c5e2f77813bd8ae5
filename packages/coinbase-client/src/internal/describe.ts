/** Number-shaped text short enough to quote: it cannot carry a credential. */
const QUOTABLE = /^[0-9eE.+-]{1,24}$/;

/**
 * Renders a value for an error message without ever repeating text that could be a secret: a
 * string is quoted only when it is short and number-shaped, any other string is described by its
 * length; objects and arrays only by their kind. Never throws.
 *
 * @example
 * describeValue("12.5.1") // "\"12.5.1\""
 * describeValue("organizations/abc/apiKeys/def") // "a 29-character string"
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
      return "a bigint";
    case "symbol":
      return "a symbol";
    case "function":
      return "a function";
    default:
      if (value === null) return "null";
      try {
        if (Array.isArray(value)) return `an array of ${value.length}`;
      } catch {
        // A revoked Proxy: described by its kind below.
      }
      return "an object";
  }
}
