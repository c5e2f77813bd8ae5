import { D } from "@gpt/quantize";
import {
  expectErrorHidesSecrets,
  expectShown,
  expectTypedOutcome,
  fuzz,
  hostile,
  mutated,
  oddValue,
  secretArb,
} from "@gpt/testkit/fuzz";
import fc from "fast-check";
import { describe, expect } from "vitest";
import {
  accountId,
  assertValidCommand,
  CoreError,
  clientOrderId,
  createBalance,
  createBar,
  createClientOrderIdGenerator,
  createEventIdGenerator,
  createFutureInstrument,
  createPerpetualInstrument,
  createSeededRng,
  createSpotInstrument,
  createStaticInstrumentProvider,
  eventId,
  InstrumentError,
  InvalidIdError,
  instrumentId,
  limitOrder,
  ManualClock,
  marketOrder,
  parseInstrumentId,
  positionId,
  stopLimitOrder,
  stopOrder,
  strategyId,
  symbolOf,
  tradeId,
  unixMillis,
  type ValidationIssue,
  validateCommand,
  validateOrderForInstrument,
  validateOrderSpec,
  venue,
  venueOf,
  venueOrderId,
} from "./index.js";

/**
 * Property for the entry points of @gpt/core that take outside input (ids, instruments, order
 * specs and builders, commands, bars, balances, timestamps): they return or throw a `CoreError`;
 * the `validate*` functions never throw at all; no message repeats a secret it was fed.
 */
const isTyped = (error: unknown): boolean => error instanceof CoreError;
const never = (): boolean => false;
const messagesOf = (issues: unknown): string[] => {
  expect(Array.isArray(issues)).toBe(true);
  // Plain bad data gets a precise issue; the catch-all `malformed` is only for inputs that throw
  // when read, which these generators do not build.
  expect((issues as ValidationIssue[]).map((i) => i.code)).not.toContain("malformed");
  return (issues as ValidationIssue[]).flatMap((i) => [i.message, i.field, i.code]);
};

/** Issue texts, allowing the catch-all `malformed` issue. */
const messagesOfAny = (issues: unknown): string[] => {
  expect(Array.isArray(issues)).toBe(true);
  return (issues as ValidationIssue[]).flatMap((i) => [i.message, i.field, i.code]);
};

type AnyFn = (...args: unknown[]) => unknown;
const call =
  (fn: unknown, ...args: unknown[]) =>
  () =>
    (fn as AnyFn)(...args);

const SPOT = {
  symbol: "BTC-USD",
  venue: "COINBASE",
  baseCurrency: "BTC",
  quoteCurrency: "USD",
  priceIncrement: "0.01",
  sizeIncrement: "0.00000001",
  minSize: "0.00000001",
  maxSize: "3400",
  minNotional: "1",
  maxNotional: "150000000",
  makerFee: "0.004",
  takerFee: "0.006",
};
const PERP = {
  ...SPOT,
  symbol: "BIP-20DEC30-CDE",
  contractSize: "0.01",
  initialMarginFraction: "0.1",
  maintenanceMarginFraction: "0.05",
  maxLeverage: "10",
  fundingIntervalMs: 3_600_000,
};
const FUTURE = { ...PERP, symbol: "BIT-26DEC25-CDE", expiry: 1_800_000_000_000 };
const spot = createSpotInstrument(SPOT);
const perp = createPerpetualInstrument(PERP);

const LIMIT_INPUT = {
  clientOrderId: "c-1",
  instrumentId: "BTC-USD.COINBASE",
  side: "buy",
  quantity: "0.01",
  price: "50000.00",
  timeInForce: "GTC",
  postOnly: false,
  reduceOnly: false,
  leverage: "2",
};
const STOP_INPUT = { ...LIMIT_INPUT, triggerPrice: "49000.00", type: "stop-limit" };
const limitSpec = limitOrder({
  clientOrderId: clientOrderId("c-1"),
  instrumentId: parseInstrumentId("BTC-USD.COINBASE").id,
  side: "buy",
  quantity: "0.01",
  price: "50000.00",
});
const SPEC = limitSpec as unknown as Record<string, unknown>;
const SPEC_DECIMALS = { ...SPEC, quantity: D("0.5"), triggerPrice: D("1"), leverage: D(3) };

/** Order specs: valid ones, each field gone wrong, and anything at all. */
const spec = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    mutated(SPEC),
    mutated(SPEC_DECIMALS),
    mutated({ ...SPEC, type: "market", timeInForce: "IOC" }),
    mutated({ ...SPEC, type: "stop", triggerPrice: D("49000") }),
    hostile(),
  );

const COMMANDS: Record<string, unknown>[] = [
  { type: "SubmitOrder", strategyId: "s-1", order: limitSpec, tsInit: 1 },
  {
    type: "SubmitBracket",
    strategyId: "s-1",
    entry: limitSpec,
    takeProfit: { clientOrderId: "tp-1", price: D("51000") },
    stopLoss: { clientOrderId: "sl-1", triggerPrice: D("49000"), price: D("48900") },
    legExpireTime: 10,
    tsInit: 1,
  },
  {
    type: "CancelOrder",
    strategyId: "s-1",
    instrumentId: "BTC-USD.COINBASE",
    clientOrderId: "c-1",
    tsInit: 1,
  },
  {
    type: "ModifyOrder",
    strategyId: "s-1",
    instrumentId: "BTC-USD.COINBASE",
    clientOrderId: "c-1",
    venueOrderId: "v-1",
    quantity: D("1"),
    price: D("2"),
    tsInit: 1,
  },
  { type: "CancelAllOrders", strategyId: "s-1", instrumentId: "BTC-USD.COINBASE", side: "sell", tsInit: 1 },
];

const command = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    ...COMMANDS.map((c) => mutated(c)),
    fc.record({
      type: fc.constantFrom("SubmitOrder", "SubmitBracket"),
      strategyId: fc.constant("s"),
      tsInit: fc.nat(),
      order: spec(),
      entry: spec(),
      takeProfit: hostile(),
      stopLoss: hostile(),
    }),
    hostile(),
  );

const idText = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom("BTC-USD.COINBASE", "c-1", "COINBASE", "a.b", ".X", "X."),
    fc.string({ maxLength: 140 }),
    secretArb(),
    hostile(),
  );

/** An object every read of which throws (a proxy): only the catch-all can handle it. */
function exploding(message: string): object {
  const boom = (): never => {
    throw new Error(message);
  };
  return new Proxy(
    {},
    { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom },
  );
}

describe("core fuzz: typed errors only, validators never throw, no secret in a message", () => {
  fuzz(
    "validators survive inputs whose every read throws",
    [secretArb(), fc.constantFrom("spec", "command", "instrument", "entry")],
    (secret, where) => {
      const bomb = exploding(secret);
      const spec = where === "spec" ? bomb : { ...SPEC };
      const command =
        where === "command" ? bomb : { ...COMMANDS[1], entry: where === "entry" ? bomb : limitSpec };
      const instrument = where === "instrument" ? bomb : spot;
      for (const issues of [
        validateOrderSpec(spec as never),
        validateOrderForInstrument(spec as never, instrument as never),
        validateCommand(command as never),
      ]) {
        for (const text of messagesOfAny(issues)) expect(text).not.toContain(secret.trim());
      }
      expectTypedOutcome(call(assertValidCommand, command), isTyped);
    },
    { weight: 0.2 },
  );

  fuzz(
    "id constructors and generators",
    [idText(), idText(), hostile()],
    (a, b, start) => {
      for (const fn of [
        venue,
        clientOrderId,
        venueOrderId,
        tradeId,
        positionId,
        strategyId,
        accountId,
        eventId,
        parseInstrumentId,
        symbolOf,
        venueOf,
      ]) {
        expectTypedOutcome(call(fn, a), isTyped);
      }
      expectTypedOutcome(call(instrumentId, a, b), isTyped);
      expectTypedOutcome(call(createEventIdGenerator, a, start), isTyped);
      expectTypedOutcome(call(createClientOrderIdGenerator, a, start), isTyped);
    },
    { weight: 2 },
  );

  fuzz(
    "instrument constructors",
    [fc.oneof(mutated(SPOT), mutated(PERP), mutated(FUTURE), hostile())],
    (input) => {
      for (const fn of [createSpotInstrument, createPerpetualInstrument, createFutureInstrument]) {
        expectTypedOutcome(call(fn, input), isTyped);
      }
      expectTypedOutcome(call(createStaticInstrumentProvider, [input]), isTyped);
      expectTypedOutcome(call(createStaticInstrumentProvider, input), isTyped);
    },
    { weight: 2 },
  );

  fuzz(
    "order builders",
    [fc.oneof(mutated(LIMIT_INPUT), mutated(STOP_INPUT), hostile())],
    (input) => {
      for (const fn of [marketOrder, limitOrder, stopOrder, stopLimitOrder]) {
        expectTypedOutcome(call(fn, input), isTyped);
      }
    },
    { weight: 2 },
  );

  fuzz(
    "validateOrderSpec and validateOrderForInstrument never throw",
    [
      spec(),
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom<unknown>(spot, perp) },
        mutated(perp as unknown as Record<string, unknown>),
        hostile(),
      ),
      /* field paths are labels chosen in code, never user data */ fc.oneof(
        fc.string({ maxLength: 80 }),
        oddValue(),
      ),
    ],
    (s, instrument, path) => {
      expectTypedOutcome(call(validateOrderSpec, s), never, messagesOf);
      expectTypedOutcome(call(validateOrderSpec, s, path), never, messagesOf);
      expectTypedOutcome(call(validateOrderForInstrument, s, instrument), never, messagesOf);
    },
    { weight: 3 },
  );

  fuzz(
    "validateCommand never throws; assertValidCommand throws only CommandValidationError",
    [command()],
    (c) => {
      expectTypedOutcome(call(validateCommand, c), never, messagesOf);
      expectTypedOutcome(call(assertValidCommand, c), isTyped);
    },
    { weight: 3 },
  );

  fuzz(
    "createBar, createBalance, unixMillis, clocks and seeded RNG",
    [
      fc.oneof(
        mutated({
          instrumentId: "BTC-USD.COINBASE",
          intervalMs: 60_000,
          tsOpen: 0,
          open: 1,
          high: 2,
          low: 0.5,
          close: 1.5,
          volume: 3,
        }),
        hostile(),
      ),
      hostile(),
      hostile(),
    ],
    (bar, a, b) => {
      expectTypedOutcome(call(createBar, bar), isTyped);
      expectTypedOutcome(call(createBalance, a, b), isTyped);
      expectTypedOutcome(call(createBalance, "USD", a, b), isTyped);
      expectTypedOutcome(call(unixMillis, a, "ts"), isTyped);
      expectTypedOutcome(call(createSeededRng, a), isTyped);
      expectTypedOutcome(() => new ManualClock(a as number), isTyped);
      const clock = new ManualClock(5);
      expectTypedOutcome(call(clock.set.bind(clock), a), isTyped);
      expectTypedOutcome(call(clock.advance.bind(clock), b), isTyped);
    },
    { weight: 2 },
  );

  fuzz(
    "error classes: a secret input is never printed, a short number is",
    [secretArb(), fc.double({ noNaN: true, noDefaultInfinity: true })],
    (secret, n) => {
      const short = String(n).length <= 24 ? String(n) : "7.5";
      for (const value of [secret, { secret }, [secret]]) {
        expectErrorHidesSecrets(new InvalidIdError("venue", value, "bad"));
        expectErrorHidesSecrets(new InstrumentError("minSize", value, "bad"));
        expectErrorHidesSecrets(new CoreError("invalid-value", "m", { context: { value, ms: value } }));
      }
      expectShown(new InstrumentError("minSize", short, "bad"), short);
    },
  );
});
