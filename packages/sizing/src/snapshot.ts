import { SizingError } from "./errors.js";

/** How deep `readInput` copies nested plain objects; deeper values are kept as they are. */
const MAX_DEPTH = 8;

/**
 * Reads a caller's input once into plain copies of its plain objects and arrays, so a getter or a
 * Proxy trap that throws becomes a `SizingError` (`invalid-input`) naming the field at fault, with
 * the thrown error kept as `cause`, and the checks that follow never read the caller's object
 * again. Class instances (Decimals, Dates) and functions are kept as they are. The input is not
 * changed.
 */
export function readInput<T>(input: T, path = "input"): T {
  return copy(input, path, "", 0) as T;
}

function copy(value: unknown, label: string, path: string, depth: number): unknown {
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return value;
  const field = path === "" ? label : path;
  let plain: boolean;
  let keys: string[];
  try {
    const proto = Object.getPrototypeOf(value);
    plain = Array.isArray(value) || proto === Object.prototype || proto === null;
    keys = plain ? Object.keys(value) : [];
  } catch (cause) {
    throw unreadable(field, cause);
  }
  if (!plain) return value;
  const out: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
  for (const key of keys) {
    const at = path === "" ? key : `${path}.${key}`;
    let entry: unknown;
    try {
      entry = (value as Record<string, unknown>)[key];
    } catch (cause) {
      throw unreadable(at, cause);
    }
    // defineProperty, so a key such as "__proto__" stays an own data property as in the input.
    Object.defineProperty(out, key, {
      value: copy(entry, label, at, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function unreadable(field: string, cause: unknown): SizingError {
  return new SizingError(
    "invalid-input",
    field,
    undefined,
    `${field}: could not be read (reading it threw)`,
    {
      cause,
    },
  );
}
