import {
  expectErrorHidesSecrets,
  expectNoSecret,
  expectShown,
  expectTypedOutcome,
  fuzz,
  hostile,
  mutated,
  numberLikeString,
  SECRET_MARKERS,
  secretArb,
} from "@gpt/testkit/fuzz";
import fc from "fast-check";
import { describe, expect } from "vitest";
import type { RiskConfigResult } from "./config.js";
import { parseRiskConfig, safeParseRiskConfig } from "./config.js";
import { RISK_ENV_VARIABLES, riskConfigFromEnv, riskConfigFromEnvOrThrow } from "./env.js";
import { RiskConfigError, type RiskConfigIssue, RiskError } from "./errors.js";

/**
 * Property for the entry points of @gpt/risk that parse outside input (the object configuration
 * and the `RISK_*` environment variables): the safe forms never throw and return issues as data,
 * the throwing forms throw only `RiskConfigError`, and no reason or message repeats a secret. For
 * the environment, the issues' and warnings' `value` fields are checked too (they are meant to be
 * logged).
 */
const isTyped = (error: unknown): boolean => error instanceof RiskConfigError;
const never = (): boolean => false;

type AnyFn = (...args: unknown[]) => unknown;
const call =
  (fn: unknown, ...args: unknown[]) =>
  () =>
    (fn as AnyFn)(...args);

function resultTexts(result: unknown, withValues: boolean): string[] {
  const r = result as RiskConfigResult;
  expect(typeof r.ok).toBe("boolean");
  const all: RiskConfigIssue[] = [...(r.ok ? [] : r.issues), ...r.warnings];
  return all.flatMap((i) => [i.reason, i.path, i.variable ?? "", ...(withValues ? [i.value ?? ""] : [])]);
}

const VARIABLES = RISK_ENV_VARIABLES.map((v) => v.variable);

/** A text for an environment variable: plausible values, near misses, secrets, garbage. */
const envText = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 4, arbitrary: numberLikeString() },
    { weight: 2, arbitrary: secretArb() },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "true",
        "off",
        "halted",
        "Reducing",
        "13:30",
        "BTC-USD:2,ETH-USD:3",
        '{"BTC-USD": "2"}',
        '{"__proto__": {"x": 1}}',
        "[1]",
        "{nope",
        "A:1,A:2",
      ),
    },
    { weight: 2, arbitrary: fc.string({ maxLength: 60 }) },
    { weight: 1, arbitrary: hostile() },
  );

/** An environment: some known variables, unknown `RISK_*` names (secrets among them), others. */
const env = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(
          fc.dictionary(fc.constantFrom(...VARIABLES), envText(), { maxKeys: 6 }),
          fc.dictionary(
            fc.oneof(
              fc.string({ maxLength: 20 }).map((s) => `RISK_${s}`),
              fc.constantFrom("RISK_API_SECRET", "RISK_MAX_POSITION_USD", "PATH", "COINBASE_API_SECRET"),
            ),
            fc.oneof(secretArb(), fc.string({ maxLength: 20 })),
            { maxKeys: 3 },
          ),
        )
        .map(([known, other]) => ({ ...other, ...known })),
    },
    { weight: 1, arbitrary: hostile() },
  );

const BASE = {
  maxDailyLossPct: "0.03",
  dailyResetUtc: "13:30",
  reduceOnlyMode: false,
  maxLeverage: 3,
  maxLeveragePerSymbol: { "BTC-USD": "2" },
  maxOpenOrders: 20,
  breakers: { drawdown: { enabled: true, maxPct: "0.2", cooldownMs: 60_000, onTrip: "halted" } },
};

const config = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    mutated(BASE),
    fc.record({
      breakers: mutated(BASE.breakers),
      maxLeveragePerSymbol: fc.dictionary(fc.string(), hostile()),
    }),
    fc.constant(undefined),
    hostile(),
  );

const options = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constant(undefined),
    fc.record({ base: config(), unknownVariables: fc.constantFrom("warn", "error") }, { requiredKeys: [] }),
    mutated({ base: BASE, unknownVariables: "error" }),
    hostile(),
  );

describe("risk fuzz: issues as data, typed errors only, no secret in a reason or message", () => {
  fuzz(
    "riskConfigFromEnv never throws; riskConfigFromEnvOrThrow throws only RiskConfigError",
    [env(), options()],
    (e, o) => {
      expectTypedOutcome(call(riskConfigFromEnv, e, o), never, (result) => resultTexts(result, true));
      expectTypedOutcome(call(riskConfigFromEnvOrThrow, e, o), isTyped);
    },
    { weight: 4 },
  );

  fuzz(
    "safeParseRiskConfig never throws; parseRiskConfig throws only RiskConfigError",
    [config()],
    (c) => {
      expectTypedOutcome(call(safeParseRiskConfig, c), never, (result) => resultTexts(result, true));
      expectTypedOutcome(call(parseRiskConfig, c), isTyped);
    },
    { weight: 3 },
  );

  fuzz(
    "an unknown RISK_ variable is reported by name, never by value",
    [fc.constantFrom(...SECRET_MARKERS)],
    (secret) => {
      const result = riskConfigFromEnv({ RISK_TYPO: secret, RISK_MAX_LEVERAGE: secret });
      for (const text of resultTexts(result, true)) expectNoSecret(text);
    },
    { weight: 0.2 },
  );

  fuzz(
    "safeParseRiskConfig: a secret value or a read that throws is an issue that never shows it",
    [secretArb(), fc.constantFrom("maxLeverage", "dailyResetUtc", "breakers", "proxy", "getter")],
    (secret, where) => {
      const boom = (): never => {
        throw new Error(secret);
      };
      const input =
        where === "proxy"
          ? new Proxy({}, { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom })
          : where === "getter"
            ? Object.defineProperty({}, "maxLeverage", { get: boom, enumerable: true })
            : where === "breakers"
              ? { breakers: { drawdown: { maxPct: secret } } }
              : { [where]: secret };
      const result = safeParseRiskConfig(input as never);
      expect(result.ok).toBe(false);
      for (const text of resultTexts(result, true)) expectNoSecret(text);
      expectTypedOutcome(call(parseRiskConfig, input), isTyped);
    },
    { weight: 0.5 },
  );

  fuzz(
    "RiskError and RiskConfigError: a secret input is never printed, a short number is",
    [secretArb(), fc.integer()],
    (secret, n) => {
      const error = new RiskError("invalid-input", "order.quantity: must be a decimal", {
        field: "order.quantity",
        value: secret,
      });
      expect(error.value).toBe(secret);
      expectErrorHidesSecrets(error);
      const result = safeParseRiskConfig({ maxLeverage: secret, maxOpenOrders: -Math.abs(n) - 1 } as never);
      if (result.ok) expect.fail("a secret leverage was accepted");
      expectErrorHidesSecrets(new RiskConfigError(result.issues));
      expectShown(
        new RiskConfigError([{ path: "maxOpenOrders", value: String(n), reason: `got ${n}` }]),
        String(n),
      );
    },
  );
});
