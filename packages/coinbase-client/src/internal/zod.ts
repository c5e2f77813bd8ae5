/**
 * The one door to zod in this package. zod is a devDependency bundled into our dist, so users never
 * install it; every schema module imports its builders from here, never from `zod` directly. Schemas
 * are built lazily through `memo` so a bundler drops the ones an application never calls:
 *
 * ```ts
 * const orderSchema = /* @__PURE__ *\/ memo(() => z.looseObject({ order_id: z.string() }));
 * ```
 */
import { en } from "zod/locales";
import type * as zm from "zod/mini";
import { safeParse as zodSafeParse } from "zod/mini";

/** zod/mini types named by our schema modules (`z.output<ReturnType<typeof schema>>` and the like). */
export type {
  infer,
  input,
  output,
  ZodMiniNullable,
  ZodMiniObject,
  ZodMiniOptional,
  ZodMiniType,
} from "zod/mini";
/** zod/mini's schema builders and checks (see zod's documentation for each). */
export {
  _default,
  array,
  boolean,
  check,
  custom,
  discriminatedUnion,
  enum,
  exactOptional,
  extend,
  gt,
  gte,
  int,
  literal,
  looseObject,
  lt,
  lte,
  maximum,
  maxLength,
  minimum,
  minLength,
  nullable,
  nullish,
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
  tuple,
  union,
  unknown,
} from "zod/mini";

/** The result of `safeParse`: the data, or a zod error with every issue. */
export type SafeParseResult<T> = zm.core.util.SafeParseResult<T>;

let english: zm.core.$ZodErrorMap | undefined;

/**
 * Parses with English messages. zod/mini ships without a locale, and installing one globally would
 * change the messages of the application's own zod, so the locale is passed per call. Issues do not
 * carry their input (a rejected value could be a secret).
 */
export function safeParse<T>(schema: zm.ZodMiniType<T>, input: unknown): SafeParseResult<T> {
  english ??= en().localeError;
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
