/**
 * The one door to zod in this package. zod is a devDependency bundled into our dist, so users never
 * install it; every schema module imports its builders from here, never from `zod` directly. Schemas
 * are built lazily through `memo` so a bundler drops the ones an application never calls:
 *
 * ```ts
 * const orderSchema = /* @__PURE__ *\/ memo(() => z.looseObject({ order_id: z.string() }));
 * ```
 */
import type * as zm from "zod/mini";
import { safeParse as zodSafeParse } from "zod/mini";

/** The zod/mini schema type our helpers take (`parseParams`, `parseResponse`). */
export type { ZodMiniType } from "zod/mini";
/** zod/mini's schema builders and checks (see zod's documentation for each). */
export {
  array,
  boolean,
  enum,
  exactOptional,
  gte,
  int,
  looseObject,
  lte,
  maxLength,
  minLength,
  nullable,
  number,
  object,
  optional,
  pipe,
  record,
  refine,
  regex,
  strictObject,
  string,
  transform,
  union,
  unknown,
} from "zod/mini";

/** The result of `safeParse`: the data, or a zod error with every issue. */
export type SafeParseResult<T> = zm.core.util.SafeParseResult<T>;

/**
 * English messages for the issues our schemas raise, in a few lines (zod's own English locale is
 * 2.6 KB minified, more than half of what a one-endpoint import otherwise carries). Schema-level
 * messages (`regex(re, "expected …")`) still win. No message repeats the rejected value.
 */
const english = (issue: zm.core.$ZodRawIssue): string => {
  const i = issue as { code: string; expected?: string; values?: unknown[]; keys?: string[] } & Record<
    string,
    unknown
  >;
  switch (i.code) {
    case "invalid_type":
      return `expected ${i.expected}`;
    case "invalid_value":
      return `expected ${(i.values ?? []).map((v) => JSON.stringify(v)).join(" | ")}`;
    case "too_small":
    case "too_big": {
      const small = i.code === "too_small";
      const bound = String(small ? i.minimum : i.maximum);
      const sized = i.origin === "string" || i.origin === "array" ? " in length" : "";
      return `too ${small ? "small" : "big"}: expected${sized} ${i.exact ? "exactly" : small ? ">=" : "<="} ${bound}`;
    }
    case "unrecognized_keys":
      return `unknown key${(i.keys ?? []).length > 1 ? "s" : ""} ${(i.keys ?? []).map((k) => JSON.stringify(k)).join(", ")}`;
    case "invalid_union":
      return "matches none of the allowed shapes";
    case "invalid_format":
      return `invalid ${i.format === "regex" ? "format" : String(i.format)}`;
    default:
      return "invalid value";
  }
};

/**
 * Parses with English messages. zod/mini ships without a locale, and installing one globally would
 * change the messages of the application's own zod, so the messages are passed per call. Issues do
 * not carry their input (a rejected value could be a secret).
 */
export function safeParse<T>(schema: zm.ZodMiniType<T>, input: unknown): SafeParseResult<T> {
  return zodSafeParse(schema, input, { error: english }) as SafeParseResult<T>;
}

/**
 * A memoised builder: the schema is built on first use, so importing the package builds nothing.
 * Call it as `/* @__PURE__ *\/ memo(() => z.looseObject(...))` so a bundler can drop it when unused.
 */
export function memo<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
}
