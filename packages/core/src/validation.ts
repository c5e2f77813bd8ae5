/**
 * `@gpt/core/validation`: internal to the `@gpt/*` packages, not a public API.
 *
 * The part of `zod/mini` the packages use, bundled once into this entry of `@gpt/core` (zod is a
 * devDependency, so installing a package never installs zod's 7 MB), plus the helpers that keep
 * schema construction lazy. Every package builds its schemas through this entry, so an
 * application that bundles several of them carries one copy of the validator, and one that imports
 * only an indicator carries none. The published types of the packages never name zod: exported
 * schemas are typed as `ParseSchema` (see `./schema.ts`).
 */
import { en } from "zod/locales";
import type * as z from "zod/mini";
import { safeParse as zodSafeParse } from "zod/mini";
import type { ParseSchema } from "./schema.js";

/** zod/mini types the packages name in their internal code (`z.output<typeof schema>` and the like). */
export type { input, output, ZodMiniNullable, ZodMiniType } from "zod/mini";
/** zod/mini's schema builders and checks that the packages use (see zod's documentation for each). */
export {
  _default,
  array,
  boolean,
  custom,
  discriminatedUnion,
  enum,
  exactOptional,
  gt,
  gte,
  int,
  length,
  literal,
  looseObject,
  lt,
  lte,
  maximum,
  maxLength,
  minimum,
  minLength,
  NEVER,
  nullable,
  number,
  object,
  optional,
  pipe,
  positive,
  prefault,
  record,
  refine,
  regex,
  strictObject,
  string,
  superRefine,
  transform,
  union,
  unknown,
} from "zod/mini";
/** One issue of a failed zod parse, with its `code` (and `keys` for unknown keys). */
export type { $ZodIssue as ZodIssue } from "zod/v4/core";

/** The result of `safeParse`: the data, or a zod error with every issue. */
export type SafeParseResult<T> = z.core.util.SafeParseResult<T>;

let english: z.core.$ZodErrorMap | undefined;

/**
 * Parses with English messages (zod/mini ships without a locale; installing one globally would
 * change the messages of the application's own zod) and with each issue's `input` reported.
 */
export function safeParse<T extends z.ZodMiniType>(schema: T, input: unknown): SafeParseResult<z.output<T>> {
  english ??= en().localeError;
  return zodSafeParse(schema, input, { reportInput: true, error: english });
}

/**
 * A memoised builder: the schema is built on first use, so importing a package builds nothing.
 * Call it as `/* @__PURE__ *\/ memo(() => z.object(...))` so a bundler can drop it when unused.
 */
export function memo<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
}

/**
 * The public face of a lazily built schema: `safeParse` with English messages. Call it as
 * `/* @__PURE__ *\/ publicSchema(getter)` for the same reason as `memo`.
 */
export function publicSchema<Output>(schema: () => z.ZodMiniType<Output>): ParseSchema<Output> {
  return { safeParse: (input) => safeParse(schema(), input) };
}
