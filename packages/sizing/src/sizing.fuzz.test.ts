import { createPerpetualInstrument, createSpotInstrument } from "@gpt/core";
import {
  expectErrorHidesSecrets,
  expectShown,
  expectTypedOutcome,
  fuzz,
  hostile,
  mutated,
  secretArb,
} from "@gpt/testkit/fuzz";
import fc from "fast-check";
import { describe, expect } from "vitest";
import {
  confidenceMultiplier,
  fractionalKelly,
  kellyFromMoments,
  kellyFromWinRate,
  parseSizingConfig,
  SizingError,
  type SizingResult,
  sizeByAtr,
  sizeByFixedFraction,
  sizeByFixedNotional,
  sizeByFixedRisk,
  sizeByKelly,
  sizeByRealizedVolatility,
  sizePosition,
  sizeWithConfig,
} from "./index.js";

/**
 * Property for every public function of @gpt/sizing that takes outside input (sizing inputs,
 * methods, caps, curves, Kelly estimates, configurations and observations): it returns a result or
 * throws a `SizingError`, and no message (error or skip) repeats a secret it was fed.
 */
const isTyped = (error: unknown): boolean => error instanceof SizingError;
const skipMessage = (result: unknown): string[] => {
  const r = result as SizingResult;
  return r.kind === "skip" ? [r.message] : [];
};

type AnyFn = (...args: unknown[]) => unknown;
const call =
  (fn: unknown, ...args: unknown[]) =>
  () =>
    (fn as AnyFn)(...args);

const spot = createSpotInstrument({
  symbol: "BTC-USD",
  venue: "COINBASE",
  baseCurrency: "BTC",
  quoteCurrency: "USD",
  priceIncrement: "0.01",
  sizeIncrement: "0.00000001",
  minSize: "0.00000001",
  maxSize: "3400",
  minNotional: "1",
  makerFee: "0.004",
  takerFee: "0.006",
});
const perp = createPerpetualInstrument({
  symbol: "BIP-20DEC30-CDE",
  venue: "COINBASE",
  baseCurrency: "BTC",
  quoteCurrency: "USD",
  priceIncrement: "5",
  sizeIncrement: "1",
  minSize: "1",
  maxSize: "10000",
  makerFee: "0",
  takerFee: "0.0003",
  contractSize: "0.01",
  initialMarginFraction: "0.1",
  maintenanceMarginFraction: "0.05",
  maxLeverage: "10",
  fundingIntervalMs: 3_600_000,
});

const CONTEXT = {
  equity: "10000",
  price: "50000",
  instrument: spot,
  caps: { maxLeverage: 2, maxNotional: "5000", availableMargin: "8000" },
  confidence: 0.8,
  confidenceCurve: { kind: "power", exponent: 2, minConfidence: 0.1 },
  regimeMultiplier: 0.5,
};

const METHODS: Record<string, unknown>[] = [
  { kind: "kelly", estimate: { winRate: 0.55, payoffRatio: 1.5 }, kellyMultiplier: 0.5 },
  { kind: "kelly", estimate: { expectedReturn: 0.01, variance: 0.04 } },
  { kind: "fixed-fraction", fraction: 0.1 },
  { kind: "fixed-notional", notional: "1000" },
  { kind: "atr", atr: 1200, atrMultiple: 2, riskFraction: 0.01 },
  { kind: "realized-volatility", realizedVol: 0.6, targetVol: 0.3 },
  { kind: "fixed-risk", stop: "48000", riskFraction: 0.01, side: "buy", feeRate: "0.001" },
];

const context = (): fc.Arbitrary<Record<string, unknown>> =>
  fc.oneof(
    mutated(CONTEXT),
    mutated({ ...CONTEXT, instrument: perp }),
    fc.tuple(mutated(CONTEXT), mutated(CONTEXT.caps)).map(([c, caps]) => ({ ...c, caps })),
    fc.constant(CONTEXT).map((c) => ({ ...c, instrument: { ...spot, sizeIncrement: "x" } })),
  );
const method = (): fc.Arbitrary<unknown> => fc.oneof(...METHODS.map((m) => mutated(m)), hostile());

const CONFIG = {
  method: { kind: "kelly", estimate: "win-rate", kellyMultiplier: 0.5 },
  caps: { maxLeverage: 3, maxNotional: "20000" },
  confidenceCurve: { kind: "smoothstep", minConfidence: 0.2 },
};

describe("sizing fuzz: results or SizingError only, no secret in a message", () => {
  fuzz(
    "sizePosition(input)",
    [
      fc.oneof(
        { weight: 5, arbitrary: fc.tuple(context(), method()).map(([c, m]) => ({ ...c, method: m })) },
        hostile(),
      ),
    ],
    (input) => {
      expectTypedOutcome(call(sizePosition, input), isTyped, skipMessage);
    },
    { weight: 4 },
  );

  fuzz(
    "sizeBy* with flattened parameters",
    [context(), fc.oneof(...METHODS.map((m) => mutated(m)))],
    (c, m) => {
      const input = { ...c, ...m };
      delete (input as { kind?: unknown }).kind;
      for (const fn of [
        sizeByKelly,
        sizeByFixedFraction,
        sizeByFixedNotional,
        sizeByAtr,
        sizeByRealizedVolatility,
        sizeByFixedRisk,
      ]) {
        expectTypedOutcome(call(fn, input), isTyped, skipMessage);
      }
    },
    { weight: 2 },
  );

  fuzz(
    "Kelly helpers and confidenceMultiplier",
    [
      hostile(),
      fc.oneof(
        mutated({ winRate: 0.5, payoffRatio: 2 }),
        mutated({ expectedReturn: 0.1, variance: 0.2 }),
        hostile(),
      ),
      hostile(),
    ],
    (a, estimate, options) => {
      expectTypedOutcome(call(kellyFromWinRate, estimate), isTyped);
      expectTypedOutcome(call(kellyFromMoments, estimate), isTyped);
      expectTypedOutcome(call(fractionalKelly, estimate, options), isTyped);
      expectTypedOutcome(call(confidenceMultiplier, a), isTyped);
      expectTypedOutcome(call(confidenceMultiplier, 0.5, options), isTyped);
    },
  );

  fuzz(
    "parseSizingConfig and sizeWithConfig",
    [
      fc.oneof(
        mutated(CONFIG),
        fc.constant(CONFIG).chain((c) => mutated(c.method).map((m) => ({ ...c, method: m }))),
        hostile(),
      ),
      fc.oneof(
        mutated({
          equity: "10000",
          price: "50000",
          instrument: spot,
          winRate: 0.55,
          payoffRatio: 1.5,
          confidence: 0.7,
        }),
        hostile(),
      ),
    ],
    (config, obs) => {
      expectTypedOutcome(call(parseSizingConfig, config), isTyped);
      let parsed: unknown;
      try {
        parsed = parseSizingConfig(config);
      } catch {
        return;
      }
      expectTypedOutcome(call(sizeWithConfig, parsed, obs), isTyped, skipMessage);
    },
    { weight: 2 },
  );

  fuzz(
    "SizingError: a secret input is never printed, a short number is",
    [secretArb(), fc.integer({ min: 1, max: 1_000_000 })],
    (secret, n) => {
      const errors: unknown[] = [];
      for (const run of [
        () => sizePosition({ ...CONTEXT, equity: secret, method: METHODS[2] } as never),
        () => sizePosition({ ...CONTEXT, method: { ...METHODS[2], fraction: secret } } as never),
        () => parseSizingConfig({ method: { kind: "fixed-fraction", fraction: secret } }),
        () => parseSizingConfig({ caps: { maxLeverage: [secret] } }),
      ]) {
        try {
          run();
        } catch (error) {
          errors.push(error);
        }
      }
      expect(errors).toHaveLength(4);
      for (const error of errors) {
        expect(error).toBeInstanceOf(SizingError);
        expectErrorHidesSecrets(error);
      }
      expect((errors[0] as SizingError).value).toBe(secret);
      try {
        sizePosition({ ...CONTEXT, equity: String(-n), method: METHODS[2] } as never);
        expect.fail("a negative equity was accepted");
      } catch (error) {
        expectShown(error, `"${-n}"`);
      }
    },
  );

  fuzz(
    "a field whose read throws is a SizingError naming it, the thrown error as cause",
    [fc.constantFrom("equity", "caps", "caps.maxNotional", "method", "method.fraction", "instrument")],
    (path) => {
      const cause = new Error("getter exploded");
      const input: Record<string, unknown> = {
        ...CONTEXT,
        caps: { ...CONTEXT.caps },
        method: { ...METHODS[2] },
      };
      const [head, leaf] = path.split(".") as [string, string | undefined];
      const holder = leaf === undefined ? input : (input[head] as Record<string, unknown>);
      Object.defineProperty(holder, leaf ?? head, {
        get: () => {
          throw cause;
        },
        enumerable: true,
      });
      let thrown: unknown;
      try {
        sizePosition(input as never);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(SizingError);
      expect((thrown as SizingError).field).toBe(path);
      expect((thrown as SizingError).cause).toBe(cause);
      const proxy = new Proxy(
        {},
        {
          get: () => {
            throw cause;
          },
        },
      );
      expectTypedOutcome(() => sizeWithConfig(parseSizingConfig({}), proxy as never), isTyped);
      expectTypedOutcome(() => parseSizingConfig(proxy), isTyped);
    },
    { weight: 0.2 },
  );
});
