import {
  expectErrorHidesSecrets,
  expectNotPrinted,
  expectShown,
  expectTypedOutcome,
  fuzz,
  hostile,
  mutated,
  oddValue,
  SECRET_SHAPES,
  secretArb,
} from "@gpt/testkit/fuzz";
import fc from "fast-check";
import { describe, expect } from "vitest";
import { D } from "./decimal.js";
import {
  checkOrderAgainstRules,
  createProductRules,
  decimalsOf,
  formatPlain,
  formatToIncrement,
  isOnIncrement,
  notionalToSize,
  parseDecimal,
  parseIncrement,
  productRulesFromCoinbase,
  QuantizeError,
  roundAndFormat,
  roundPrice,
  roundSize,
  roundToIncrement,
  sizeToNotional,
} from "./index.js";

/**
 * Property for every public function of @gpt/quantize: whatever it is given, it returns or throws a
 * `QuantizeError`, and no message repeats a secret it was fed.
 */
const isTyped = (error: unknown): boolean => error instanceof QuantizeError;

/** Valid amounts (so deeper code runs) mixed with anything at all. */
const amount = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom("0.01", "1", "68923.67", "0.00000001", "5", "0.25", "-3", "0"),
    fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
    fc.constantFrom("0.01", "123.456", "-7").map((s) => new D(s)),
    hostile(),
  );

const mode = (): fc.Arbitrary<unknown> =>
  fc.oneof(fc.constantFrom("down", "up", "toward-zero", "half-even", "half-up", "buy", "sell"), hostile());

const GOOD_RULES = {
  baseIncrement: "0.00000001",
  quoteIncrement: "0.01",
  priceIncrement: "0.01",
  baseMinSize: "0.00000001",
  baseMaxSize: "3400",
  quoteMinSize: "1",
  quoteMaxSize: "150000000",
};
const COINBASE_PRODUCT = {
  product_id: "BTC-USD",
  base_increment: "0.00000001",
  quote_increment: "0.01",
  price_increment: "0.01",
  base_min_size: "0.00000001",
  base_max_size: "3400",
  quote_min_size: "1",
  quote_max_size: "150000000",
};
const RULES = createProductRules(GOOD_RULES);

/**
 * Field names are labels chosen in code, never user data: bad ones (wrong type, odd text) must be
 * typed errors, but they are not fed secret markers.
 */
const fieldName = (): fc.Arbitrary<unknown> =>
  fc.oneof(fc.constantFrom("price", "limit.price", "a[0]"), fc.string({ maxLength: 80 }), oddValue());

type AnyFn = (...args: unknown[]) => unknown;
const call =
  (fn: unknown, ...args: unknown[]) =>
  () =>
    (fn as AnyFn)(...args);

describe("quantize fuzz: typed errors only, no secret in a message", () => {
  fuzz(
    "parseDecimal(value, options)",
    [
      amount(),
      fc.oneof(
        fc.constant(undefined),
        fc.record(
          { field: fieldName(), allowNegative: fc.oneof(fc.boolean(), hostile()), allowZero: fc.boolean() },
          { requiredKeys: [] },
        ),
        hostile(),
      ),
    ],
    (value, options) => {
      expectTypedOutcome(call(parseDecimal, value, options), isTyped);
    },
    { weight: 3 },
  );

  fuzz("parseIncrement and decimalsOf", [amount(), fieldName()], (increment, field) => {
    expectTypedOutcome(call(parseIncrement, increment), isTyped);
    expectTypedOutcome(call(parseIncrement, increment, field), isTyped);
    expectTypedOutcome(call(decimalsOf, increment), isTyped);
  });

  fuzz(
    "roundToIncrement, roundPrice, roundSize, roundAndFormat",
    [amount(), amount(), mode()],
    (value, increment, m) => {
      expectTypedOutcome(call(roundToIncrement, value, increment, m), isTyped);
      expectTypedOutcome(call(roundPrice, value, increment, m), isTyped);
      expectTypedOutcome(call(roundSize, value, increment), isTyped);
      expectTypedOutcome(call(roundAndFormat, value, increment, m), isTyped);
    },
    { weight: 2 },
  );

  fuzz(
    "formatToIncrement, formatPlain, isOnIncrement",
    [amount(), amount(), fc.oneof(fc.integer({ min: -5, max: 120 }), hostile())],
    (value, increment, decimals) => {
      expectTypedOutcome(call(formatToIncrement, value, increment), isTyped);
      expectTypedOutcome(call(formatPlain, value), isTyped);
      expectTypedOutcome(call(formatPlain, value, decimals), isTyped);
      expectTypedOutcome(call(isOnIncrement, value, increment), isTyped);
    },
    { weight: 2 },
  );

  fuzz("notionalToSize and sizeToNotional", [amount(), amount(), amount()], (quote, price, increment) => {
    expectTypedOutcome(call(notionalToSize, quote, price, increment), isTyped);
    expectTypedOutcome(call(sizeToNotional, quote, price), isTyped);
  });

  fuzz(
    "createProductRules and productRulesFromCoinbase",
    [fc.oneof(mutated(GOOD_RULES), hostile()), fc.oneof(mutated(COINBASE_PRODUCT), hostile())],
    (rules, product) => {
      expectTypedOutcome(call(createProductRules, rules), isTyped);
      expectTypedOutcome(call(productRulesFromCoinbase, product), isTyped);
    },
    { weight: 2 },
  );

  fuzz(
    "checkOrderAgainstRules(order, rules)",
    [
      fc.oneof(mutated({ size: "0.001", price: "68923.67" }), mutated({ quoteSize: "100" }), hostile()),
      fc.oneof(
        { weight: 4, arbitrary: fc.constant(RULES) },
        mutated(RULES as unknown as Record<string, unknown>),
        hostile(),
      ),
    ],
    (order, rules) => {
      expectTypedOutcome(call(checkOrderAgainstRules, order, rules), isTyped, (result) => {
        const r = result as { kind: string; message?: string };
        return r.kind === "violation" && r.message !== undefined ? [r.message] : [];
      });
    },
    { weight: 2 },
  );

  fuzz(
    "QuantizeError: a secret input is never printed, a short number is",
    [fc.oneof(secretArb(), fc.constantFrom(...SECRET_SHAPES.map((shape) => shape.input))), fc.integer()],
    (secret, n) => {
      let thrown: unknown;
      try {
        parseDecimal(secret, { field: "price" });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(QuantizeError);
      expect((thrown as QuantizeError).value).toBe(secret);
      expectErrorHidesSecrets(thrown);
      for (const shape of SECRET_SHAPES)
        expectNotPrinted(new QuantizeError("invalid-decimal", "x", shape.input, "m"), shape.core);
      const bad = String(-Math.abs(n));
      let rejected: unknown;
      try {
        parseDecimal(bad, { field: "size", allowNegative: false, allowZero: false });
      } catch (error) {
        rejected = error;
      }
      expectShown(rejected, bad);
    },
  );
});
