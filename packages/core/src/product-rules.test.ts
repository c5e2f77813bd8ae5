import { checkOrderAgainstRules, D, type Decimal } from "@gpt/quantize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clientOrderId } from "./ids.js";
import { type LimitOrderSpec, validateOrderForInstrument } from "./index.js";
import {
  createFutureInstrument,
  createPerpetualInstrument,
  createSpotInstrument,
  type Instrument,
  type SpotInstrumentInput,
} from "./instruments.js";
import { productRulesFor } from "./product-rules.js";

const btcUsd: SpotInstrumentInput = {
  symbol: "BTC-USD",
  venue: "COINBASE",
  baseCurrency: "BTC",
  quoteCurrency: "USD",
  priceIncrement: "0.1",
  sizeIncrement: "0.001",
  minSize: "0.001",
  maxSize: "100",
  minNotional: "10",
  maxNotional: "1000000",
  makerFee: "0.004",
  takerFee: "0.006",
};

const { maxNotional: _unused, ...withoutMaxNotional } = btcUsd;

const derivative = {
  initialMarginFraction: "0.1",
  maintenanceMarginFraction: "0.05",
  maxLeverage: "10",
} as const;

function limit(instrument: Instrument, quantity: Decimal, price: Decimal): LimitOrderSpec {
  return {
    type: "limit",
    clientOrderId: clientOrderId("o-1"),
    instrumentId: instrument.id,
    side: "buy",
    quantity,
    price,
    timeInForce: "GTC",
    reduceOnly: false,
    postOnly: false,
  };
}

describe("productRulesFor", () => {
  it("maps a spot instrument field by field", () => {
    const rules = productRulesFor(createSpotInstrument(btcUsd));
    expect(Object.fromEntries(Object.entries(rules).map(([k, v]) => [k, (v as Decimal).toFixed()]))).toEqual({
      baseIncrement: "0.001",
      quoteIncrement: "0.1",
      priceIncrement: "0.1",
      baseMinSize: "0.001",
      baseMaxSize: "100",
      quoteMinSize: "10",
      quoteMaxSize: "1000000",
    });
    expect(Object.isFrozen(rules)).toBe(true);
  });

  it("uses the quote increment when the instrument has one, and leaves out a zero minimum notional", () => {
    const rules = productRulesFor(
      createSpotInstrument({ ...withoutMaxNotional, quoteIncrement: "0.01", minNotional: "0" }),
    );
    expect(rules.quoteIncrement.toFixed()).toBe("0.01");
    expect(rules.priceIncrement.toFixed()).toBe("0.1");
    expect(rules.quoteMinSize).toBeUndefined();
    expect(rules.quoteMaxSize).toBeUndefined();
  });

  it("catches the trial's off-tick price and off-step size", () => {
    const rules = productRulesFor(createSpotInstrument(btcUsd));
    const price = checkOrderAgainstRules({ size: "0.01", price: "60000.05" }, rules);
    expect(price).toMatchObject({ kind: "violation", rule: "priceIncrement", field: "price" });
    const size = checkOrderAgainstRules({ size: "0.0105", price: "60000" }, rules);
    expect(size).toMatchObject({ kind: "violation", rule: "baseIncrement", field: "size" });
    expect(checkOrderAgainstRules({ size: "0.01", price: "60000.1" }, rules)).toEqual({ kind: "ok" });
  });

  it("divides the notional limits of a contract-size instrument by the contract size, on the notional grid", () => {
    const future = createFutureInstrument({
      ...btcUsd,
      ...derivative,
      symbol: "BIT-24APR26-CDE",
      priceIncrement: "5",
      sizeIncrement: "1",
      minSize: "1",
      maxSize: "5000",
      minNotional: "10",
      maxNotional: "100",
      contractSize: "3",
      expiry: 1_777_046_400_000,
    });
    const rules = productRulesFor(future);
    // 10 / 3 = 3.33… rounded up onto whole units (no decimals in step or tick); 100 / 3 rounded down.
    expect(rules.quoteMinSize?.toFixed()).toBe("4");
    expect(rules.quoteMaxSize?.toFixed()).toBe("33");
  });

  it("turns a maximum notional that no order can stay under into rules that deny every order", () => {
    const perp = createPerpetualInstrument({
      ...btcUsd,
      ...derivative,
      symbol: "BTC-PERP",
      priceIncrement: "1",
      sizeIncrement: "1",
      minSize: "1",
      minNotional: "0",
      maxNotional: "1",
      contractSize: "2",
      fundingIntervalMs: 3_600_000,
    });
    const rules = productRulesFor(perp);
    expect(rules.quoteMaxSize?.toFixed()).toBe("0.5");
    expect(checkOrderAgainstRules({ size: "1", price: "1" }, rules)).toMatchObject({ rule: "quoteMaxSize" });
    expect(validateOrderForInstrument(limit(perp, D(1), D(1)), perp)).not.toEqual([]);
  });
});

// ------------------------------------------------------------------ property: same verdicts

const increment = fc
  .tuple(fc.constantFrom(1, 2, 5, 25), fc.integer({ min: -1, max: 5 }))
  .map(([k, e]) => D(k).times(D(10).pow(-e)));

const instrumentAndOrders = fc
  .record({
    kind: fc.constantFrom("spot", "perpetual", "future"),
    priceIncrement: increment,
    sizeIncrement: increment,
    // Often one step: the notional of a one-step order at successive ticks visits every grid point.
    minSteps: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 50 })),
    minOffset: fc.constantFrom(0, 0, 0.5, 0.25),
    maxSteps: fc.integer({ min: 0, max: 10_000 }),
    minNotional: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined }),
    notionalScale: fc.integer({ min: 0, max: 4 }),
    maxNotionalFactor: fc.option(fc.integer({ min: 1, max: 10_000_000 }), { nil: undefined }),
    contractSize: fc.constantFrom("1", "0.01", "0.1", "3", "0.003", "7", "12.5"),
  })
  .chain((shape) => {
    const minSize = shape.sizeIncrement.times(shape.minSteps + shape.minOffset);
    const maxSize = minSize.plus(shape.sizeIncrement.times(shape.maxSteps));
    const minNotional =
      shape.minNotional === undefined ? D(0) : D(shape.minNotional).times(D(10).pow(-shape.notionalScale));
    const maxNotional =
      shape.maxNotionalFactor === undefined
        ? undefined
        : D(shape.minNotional ?? 1)
            .times(D(10).pow(-shape.notionalScale))
            .times(shape.maxNotionalFactor);
    const base: SpotInstrumentInput = {
      ...withoutMaxNotional,
      priceIncrement: shape.priceIncrement,
      sizeIncrement: shape.sizeIncrement,
      minSize,
      maxSize,
      minNotional,
      ...(maxNotional === undefined ? {} : { maxNotional }),
    };
    let instrument: Instrument;
    if (shape.kind === "spot") instrument = createSpotInstrument(base);
    else if (shape.kind === "perpetual") {
      instrument = createPerpetualInstrument({
        ...base,
        ...derivative,
        symbol: "BTC-PERP",
        contractSize: shape.contractSize,
        fundingIntervalMs: 3_600_000,
      });
    } else {
      instrument = createFutureInstrument({
        ...base,
        ...derivative,
        symbol: "BIT-FUT",
        contractSize: shape.contractSize,
        expiry: 1_777_046_400_000,
      });
    }
    const multiplier = instrument.kind === "spot" ? D(1) : instrument.contractSize;
    const order = fc
      .record({
        priceTicks: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 2_000_000 })),
        priceOff: fc.constantFrom(0, 0, 0, 0, 0, 0, 0.5, 0.1),
        // Either a size anywhere, or a size near the minimum / maximum notional at that price.
        sizeMode: fc.constantFrom("any", "min-notional", "max-notional", "min-size", "max-size"),
        sizeAt: fc.double({ min: 0, max: 1.2, noNaN: true }),
        delta: fc.integer({ min: -2, max: 2 }),
        priceMode: fc.constantFrom("any", "any", "min-notional", "max-notional"),
        priceDelta: fc.integer({ min: -2, max: 2 }),
        sizeOff: fc.constantFrom(0, 0, 0, 0, 0, 0, 0.5, 0.3),
      })
      .map((o) => {
        let price = shape.priceIncrement.times(o.priceTicks);
        const stepNotional = price.times(multiplier).times(shape.sizeIncrement);
        let steps: Decimal;
        if (o.sizeMode === "min-notional") steps = minNotional.div(stepNotional).floor().plus(o.delta);
        else if (o.sizeMode === "max-notional" && maxNotional !== undefined)
          steps = maxNotional.div(stepNotional).floor().plus(o.delta);
        else if (o.sizeMode === "min-size") steps = minSize.div(shape.sizeIncrement).floor().plus(o.delta);
        else if (o.sizeMode === "max-size") steps = maxSize.div(shape.sizeIncrement).floor().plus(o.delta);
        else {
          const low = minSize.div(shape.sizeIncrement).ceil();
          const high = maxSize.div(shape.sizeIncrement).floor();
          steps = low.plus(high.minus(low).times(o.sizeAt).floor());
        }
        if (steps.lt(1)) steps = D(1);
        const quantity = shape.sizeIncrement.times(steps.plus(o.sizeOff));
        // Or the price next to a notional limit at that size: with small sizes this reaches every
        // grid point around the limit, where a rounding mistake would show.
        const tickNotional = quantity.times(multiplier).times(shape.priceIncrement);
        const bound = o.priceMode === "min-notional" ? minNotional : maxNotional;
        if (o.priceMode !== "any" && bound !== undefined) {
          const ticks = bound.div(tickNotional).floor().plus(o.priceDelta);
          price = shape.priceIncrement.times(ticks.lt(1) ? D(1) : ticks);
        }
        return { price: price.plus(shape.priceIncrement.times(o.priceOff)), quantity };
      });
    return fc.tuple(fc.constant(instrument), fc.array(order, { minLength: 1, maxLength: 20 }));
  });

describe("productRulesFor (property)", () => {
  it("rules from a valid instrument accept exactly the limit orders validateOrderForInstrument accepts", () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(instrumentAndOrders, ([instrument, orders]) => {
        const rules = productRulesFor(instrument);
        for (const { quantity, price } of orders) {
          const byRules = checkOrderAgainstRules({ size: quantity, price }, rules).kind === "ok";
          const byInstrument = validateOrderForInstrument(limit(instrument, quantity, price), instrument);
          expect({ quantity: quantity.toFixed(), price: price.toFixed(), ok: byRules }).toEqual({
            quantity: quantity.toFixed(),
            price: price.toFixed(),
            ok: byInstrument.length === 0,
          });
          if (byRules) accepted += 1;
          else rejected += 1;
        }
      }),
      { numRuns: 500 },
    );
    // The generator reaches both verdicts often, so the property is not vacuous.
    expect(accepted).toBeGreaterThan(200);
    expect(rejected).toBeGreaterThan(200);
  });
});
