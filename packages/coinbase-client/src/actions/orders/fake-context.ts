/**
 * A `ClientContext` for the order actions' unit tests: records every request and answers from a
 * script. Not exported from the package.
 */
import type { CallOptions, ClientContext, RequestSpec } from "../../internal/context.js";

/** Answers one request: a body, or a thrown error. */
export type FakeAnswer = (spec: RequestSpec) => unknown;

/** A fake context and what it saw. */
export interface FakeContext extends ClientContext {
  /** Every request, in order. */
  readonly requests: RequestSpec[];
  /** The options each request was given. */
  readonly options: (CallOptions | undefined)[];
}

/** A context that answers the n-th request with `answers[n]` (the last one repeats). */
export function fakeContext(
  answers: readonly FakeAnswer[],
  ids: readonly string[] = ["generated-id-1"],
): FakeContext {
  const requests: RequestSpec[] = [];
  const options: (CallOptions | undefined)[] = [];
  let nextId = 0;
  return {
    requests,
    options,
    async request(spec, callOptions) {
      requests.push(spec);
      options.push(callOptions);
      const answer = answers[Math.min(requests.length - 1, answers.length - 1)];
      if (answer === undefined) throw new Error("fakeContext: no answer scripted");
      return answer(spec);
    },
    newId() {
      const id = ids[Math.min(nextId, ids.length - 1)] ?? "generated-id";
      nextId++;
      return id;
    },
  };
}

/** An answer with a fixed body. */
export function reply(body: unknown): FakeAnswer {
  return () => structuredClone(body);
}

/** An answer that throws `error`. */
export function fail(error: unknown): FakeAnswer {
  return () => {
    throw error;
  };
}
