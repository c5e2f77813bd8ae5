import * as z from "@gpt/core/validation";
import { coerceNumberParam } from "@gpt/strategies";

/** An integer parameter in [min, max] with a default; accepts numeric strings (as the built-ins do). */
export function intParam(fallback: number, min: number, max: number) {
  return z._default(
    z.pipe(z.transform(coerceNumberParam), z.int().check(z.minimum(min), z.maximum(max))),
    fallback,
  );
}

/** A finite number parameter in [min, max] with a default; accepts numeric strings (as the built-ins do). */
export function numberParam(fallback: number, min: number, max: number) {
  return z._default(
    z.pipe(z.transform(coerceNumberParam), z.number().check(z.minimum(min), z.maximum(max))),
    fallback,
  );
}
