/**
 * The structural type of a validation schema as the `@gpt/*` packages publish it. A schema only
 * promises `safeParse`; which library implements it is not part of the public types, so a consumer
 * needs no validation library installed to type-check against ours. zod 4 schemas (classic and
 * `zod/mini`) satisfy it as they are.
 */

/** One problem found by `ParseSchema.safeParse`. */
export interface ParseIssue {
  /** Where the problem is: object keys and array indexes from the root of the input. */
  readonly path: readonly PropertyKey[];
  /** What is wrong, in English. */
  readonly message: string;
}

/** The result of `ParseSchema.safeParse`: the parsed value, or every problem found. */
export type ParseResult<Output> =
  | {
      /** Discriminant: the input is valid. */
      readonly success: true;
      /** The parsed value (defaults filled in, strings coerced where the schema says so). */
      readonly data: Output;
    }
  | {
      /** Discriminant: the input is invalid. */
      readonly success: false;
      /** Every problem found. */
      readonly error: { readonly issues: readonly ParseIssue[] };
    };

/** A validation schema: parses unknown input into `Output` without throwing for bad input. */
export interface ParseSchema<Output> {
  /** Validates `input`; never throws for invalid input. */
  safeParse(input: unknown): ParseResult<Output>;
}
