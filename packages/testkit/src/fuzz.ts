/**
 * The fuzz-suite conventions, shared by every `*.fuzz.test.ts` file (import from `@gpt/testkit/fuzz`:
 * it imports Vitest, so it stays out of the main entry that benchmarks load).
 *
 * - `fuzz(name, arbitraries, predicate)` declares one property test. It runs `fuzzRuns()` cases:
 *   `$FUZZ_RUNS` when set (the long form, `pnpm fuzz`), else a small default so the same files
 *   stay cheap inside `pnpm test`. Each test records how many cases it ran in the task's meta
 *   (`fuzzCases`), which the fuzz config's reporter adds up and prints.
 * - In the long form every case must finish within `$FUZZ_MAX_CASE_MS` (default 2000 ms) of CPU
 *   time: a bound that catches a hang or a super-linear blow-up, not a speed target. CPU time, not
 *   wall time, because on a busy shared machine a case may wait seconds for a core, which says
 *   nothing about the input. The short form has no timing assertion at all.
 * - `SECRET_MARKERS` are values shaped like credentials; fuzz inputs embed them so a property can
 *   check that no message ever repeats one (`expectNoSecret`).
 * - `hostile()` is the default input generator: anything fast-check can build, plus the values
 *   that broke our libraries before (`null`, BigInts, symbols, objects posing as Decimals, objects
 *   whose `toString` throws, number-like strings, secret markers).
 */
import { inspect } from "node:util";
import fc from "fast-check";
import { expect, it } from "vitest";

declare module "vitest" {
  interface TaskMeta {
    /** How many generated cases a fuzz test ran. */
    fuzzCases?: number;
    /** The slowest single case, in milliseconds. */
    fuzzSlowestMs?: number;
  }
}

/** Cases per property inside `pnpm test` (the short form). */
export const DEFAULT_FUZZ_RUNS = 60;

/** Per-case bound of the long form, in milliseconds, unless `$FUZZ_MAX_CASE_MS` says otherwise. */
export const DEFAULT_MAX_CASE_MS = 2000;

function positiveIntegerFromEnv(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text.trim() === "") return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
}

/**
 * `$FUZZ_SEED` (an integer) fixes fast-check's seed so a run is repeatable (CI sets it); unset,
 * every run draws new cases. Spread it into `fc.assert`'s options.
 */
export function fuzzSeed(): { seed?: number } {
  const raw = process.env.FUZZ_SEED;
  if (raw === undefined || raw === "") return {};
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed))
    throw new Error(`FUZZ_SEED must be an integer (got ${raw.length} characters)`);
  return { seed };
}

/** How many cases each property runs: `$FUZZ_RUNS`, else `DEFAULT_FUZZ_RUNS`. */
export function fuzzRuns(): number {
  return positiveIntegerFromEnv("FUZZ_RUNS") ?? DEFAULT_FUZZ_RUNS;
}

/** Whether this is the long form (`$FUZZ_RUNS` set), where per-case time is bounded. */
export function isLongFuzz(): boolean {
  return positiveIntegerFromEnv("FUZZ_RUNS") !== undefined;
}

/**
 * The per-case bound in milliseconds of CPU time: `$FUZZ_MAX_CASE_MS` or `DEFAULT_MAX_CASE_MS` in
 * the long form, `undefined` (no bound) in the short form.
 */
export function maxCaseMs(): number | undefined {
  return isLongFuzz() ? (positiveIntegerFromEnv("FUZZ_MAX_CASE_MS") ?? DEFAULT_MAX_CASE_MS) : undefined;
}

/**
 * Milliseconds of CPU time (user and system, every thread of this process) used since `start`, a
 * `process.cpuUsage()` reading. Vitest runs each test file in its own process, so this is the
 * case's own work, however busy the machine is.
 */
export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/**
 * Values shaped like credentials. None is a real secret; they are markers a property looks for in
 * messages. Each is distinctive enough that no legitimate message contains it by chance.
 */
export const SECRET_MARKERS: readonly string[] = [
  "sk-live-FUZZ7secret",
  "COINBASE_API_SECRET=FuzzSecret42",
  "organizations/fuzz-org/apiKeys/FUZZKEY9",
  "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIFuzzSecretKey\n-----END EC PRIVATE KEY-----",
  "eyJhbGciOiJFUzI1NiJ9.FuzzJwtPayload.sig",
  "hunter2FuzzPass",
];

/** A marker, alone or inside other text (so a shortened excerpt would still leak part of it). */
export function secretArb(): fc.Arbitrary<string> {
  const marker = fc.constantFrom(...SECRET_MARKERS);
  return fc.oneof(
    marker,
    fc.tuple(fc.string({ maxLength: 8 }), marker, fc.string({ maxLength: 8 })).map(([a, m, b]) => a + m + b),
    marker.map((m) => `  ${m}\n`),
  );
}

/** The distinctive middle part of each marker: no message may contain even that much of one. */
const MARKER_CORES: readonly string[] = [
  "FUZZ7secret",
  "FuzzSecret42",
  "FUZZKEY9",
  "FuzzSecretKey",
  "FuzzJwtPayload",
  "hunter2Fuzz",
];

/** Fails when `text` contains any part of a secret marker. */
export function expectNoSecret(text: string, where = "message"): void {
  for (const core of MARKER_CORES) {
    if (text.includes(core)) expect.fail(`${where} leaks a secret marker: ${JSON.stringify(text)}`);
  }
}

/**
 * Fails when any way of printing `error` shows part of a secret marker: its `message`,
 * `util.inspect(error, { depth: 10 })` (what `console.error` prints: stack, enumerable fields,
 * `cause`), `JSON.stringify(error)` and `String(error)`.
 */
export function expectErrorHidesSecrets(error: unknown): void {
  for (const [where, text] of printedForms(error)) expectNoSecret(text, where);
}

/**
 * Every way an error gets printed, as `[where, text]` pairs: its `message`,
 * `util.inspect(error, { depth: 10 })` (what `console.error` prints: stack, enumerable fields and
 * `cause`), `JSON.stringify(error)` and `String(error)`.
 */
export function printedForms(error: unknown): readonly (readonly [string, string])[] {
  return [
    ["message", error instanceof Error ? error.message : ""],
    ["inspect()", inspect(error, { depth: 10 })],
    ["JSON.stringify()", JSON.stringify(error) ?? ""],
    ["String()", String(error)],
  ];
}

/**
 * Secrets in the shapes our developers' guide names (an API key, a PEM private key, a JWT), each
 * with the part that no printed form of an error may contain (`expectNotPrinted`).
 */
export const SECRET_SHAPES: readonly { readonly input: string; readonly core: string }[] = [
  { input: "sk-live-abcdef0123456789", core: "abcdef0123456789" },
  {
    input: "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIShapeKey\n-----END EC PRIVATE KEY-----",
    core: "PRIVATE KEY",
  },
  { input: "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJzaGFwZSJ9.c2lnbmF0dXJl", core: "eyJzdWIiOiJzaGFwZSJ9" },
];

/** Fails when any printed form of `error` (see `printedForms`) contains `text`. */
export function expectNotPrinted(error: unknown, text: string): void {
  for (const [where, printed] of printedForms(error)) {
    if (printed.includes(text)) expect.fail(`${where} shows ${JSON.stringify(text)}: ${printed}`);
  }
}

/** Fails unless both the message and `inspect()` of `error` show `text` (a short number, say). */
export function expectShown(error: unknown, text: string): void {
  expect(error instanceof Error ? error.message : "").toContain(text);
  expect(inspect(error, { depth: 10 })).toContain(text);
}

/** Strings that look like numbers, near-numbers and classic parser traps. */
export function numberLikeString(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.double().map(String),
    fc.integer().map(String),
    fc.bigInt().map(String),
    fc.constantFrom(
      "",
      " ",
      "0",
      "-0",
      "+5",
      "0x10",
      "1e999",
      "1e-999",
      "1_000",
      "1,5",
      "١٢٣",
      "NaN",
      "Infinity",
      "-Infinity",
      "1.2.3",
      ".",
      "e5",
      "00:00",
      "24:00",
      "5%",
      "%",
      "true",
      "__proto__",
      "constructor",
      "9".repeat(500),
      `0.${"0".repeat(300)}1`,
    ),
    fc.stringMatching(/^[+-]?\d{0,30}(\.\d{0,30})?([eE][+-]?\d{1,8})?%?$/),
  );
}

function throwingToString(): object {
  return {
    toString(): string {
      throw new Error("toString exploded");
    },
    valueOf(): never {
      throw new Error("valueOf exploded");
    },
  };
}

/** Objects that pose as decimal.js values without being any. */
function fakeDecimals(): fc.Arbitrary<unknown> {
  return fc.constantFrom<unknown>(
    { toStringTag: "[object Decimal]" },
    { toStringTag: "[object Decimal]", d: [1], e: 0, s: 1 },
    { toFixed: () => "1", isFinite: () => true, gt: () => true },
    { isFinite: 5, gt: "x" },
    Object.assign(throwingToString(), { toFixed: () => "1" }),
  );
}

/** Odd values every parser must survive. */
export function oddValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom<unknown>(
      null,
      undefined,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      -0,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      2 ** 53,
      10n,
      -1n,
      true,
      false,
      [],
      {},
      Symbol("fuzz"),
      () => 1,
      new Date(Number.NaN),
      Object.create(null),
    ),
    fc.constant(null).map(() => throwingToString()),
    fakeDecimals(),
  );
}

/**
 * Long strings (10 k to 200 k characters) of digits, separators or letters: with the per-case time
 * bound they catch parsing that is not linear in the input (a regex that backtracks, a split in a
 * loop) and limits that are checked too late.
 */
export function hugeString(): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom("9", "1.", "a", ",", ":", " ", "BTC-USD:1,", "1e", "-"),
      fc.integer({ min: 10_000, max: 200_000 }),
    )
    .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n));
}

/** Any value at all: fast-check's `anything`, odd values, number-like strings and secrets. */
export function hostile(): fc.Arbitrary<unknown> {
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.anything({
        withBigInt: true,
        withNullPrototype: true,
        withBoxedValues: true,
        withMap: true,
        withSet: true,
        withDate: true,
        withTypedArray: true,
        withSparseArray: true,
      }),
    },
    { weight: 2, arbitrary: oddValue() },
    { weight: 2, arbitrary: numberLikeString() },
    { weight: 2, arbitrary: secretArb() },
    { weight: 1, arbitrary: hugeString() },
  );
}

/**
 * An object built from `base` with some fields replaced by hostile values, some removed and some
 * unknown keys added (so validators meet every field going wrong, one or several at a time).
 */
export function mutated<T extends Record<string, unknown>>(base: T): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(base);
  return fc
    .record({
      replace: fc.dictionary(fc.constantFrom(...keys), hostile(), { maxKeys: 3 }),
      remove: fc.subarray(keys, { maxLength: Math.min(2, keys.length) }),
      // Unknown keys are named in messages by design (a config must say which key it rejects), so
      // keys are odd strings, never secret markers; the values are anything.
      extra: fc.dictionary(fc.string({ maxLength: 12 }), hostile(), { maxKeys: 2 }),
      useExtra: fc.boolean(),
    })
    .map(({ replace, remove, extra, useExtra }) => {
      const out: Record<string, unknown> = { ...base };
      for (const key of remove) delete out[key];
      for (const [key, value] of Object.entries(replace)) out[key] = value;
      if (useExtra) {
        for (const [key, value] of Object.entries(extra)) {
          Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
        }
      }
      return out;
    });
}

/**
 * Runs `call` and checks the outcome: it either returns (then `onReturn` may inspect the value), or
 * throws an error that `isTyped` accepts. Every message (the error's, its causes', and any
 * `messages` the return value yields) must be free of secret markers, and so must the thrown
 * error's `inspect`, `JSON.stringify` and `String` output (`expectErrorHidesSecrets`).
 */
export function expectTypedOutcome<R>(
  call: () => R,
  isTyped: (error: unknown) => boolean,
  onReturn?: (value: R) => readonly string[] | undefined,
): void {
  let value: R;
  try {
    value = call();
  } catch (error) {
    if (!isTyped(error)) {
      expect.fail(`threw an untyped error: ${inspect(error, { depth: 1 })}`);
    }
    let current: unknown = error;
    for (let depth = 0; current instanceof Error && depth < 8; depth++) {
      expectNoSecret(current.message);
      current = current.cause;
    }
    expectErrorHidesSecrets(error);
    return;
  }
  for (const message of onReturn?.(value) ?? []) expectNoSecret(message);
}

/** Options of `fuzz`. */
export interface FuzzOptions {
  /** Multiplies the case count for this property (cheap properties can afford more). Default 1. */
  readonly weight?: number;
  /** Test timeout in ms (default scales with the case count; the machine is shared and busy). */
  readonly timeoutMs?: number;
}

/**
 * Declares one fuzz property as a Vitest test: `predicate` runs on `fuzzRuns() × weight` generated
 * cases and must not throw (use `expect` inside it). Counts cases into the test's meta and, in the
 * long form, fails any case that uses more than `maxCaseMs()` of CPU time.
 */
export function fuzz<Ts extends [unknown, ...unknown[]]>(
  name: string,
  arbitraries: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> },
  predicate: (...args: Ts) => void,
  options: FuzzOptions = {},
): void {
  const runs = Math.max(1, Math.round(fuzzRuns() * (options.weight ?? 1)));
  const bound = maxCaseMs();
  const timeout = options.timeoutMs ?? 60_000 + runs * 20;
  it(
    name,
    (context) => {
      let cases = 0;
      let slowest = 0;
      const check = (...args: Ts): void => {
        cases += 1;
        const started = process.cpuUsage();
        predicate(...args);
        const took = cpuMsSince(started);
        if (took > slowest) slowest = took;
        if (bound !== undefined && took > bound) {
          expect.fail(`one case took ${took.toFixed(0)} ms of CPU time (bound ${bound} ms)`);
        }
      };
      const property = fc.property(
        ...([...arbitraries, check] as unknown as Parameters<typeof fc.property<Ts>>),
      );
      try {
        fc.assert(property, { numRuns: runs, ...fuzzSeed() });
      } finally {
        context.task.meta.fuzzCases = cases;
        context.task.meta.fuzzSlowestMs = Math.round(slowest);
      }
    },
    timeout,
  );
}
