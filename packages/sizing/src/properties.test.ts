/**
 * Property tests of the sizing pipeline: whatever the method, modifiers and caps, a sized result
 * never breaks a cap or an instrument limit, sits on the size step, and is monotone in confidence.
 */
import { createPerpetualInstrument, createSpotInstrument, type Instrument } from "@gpt/core";
import { D, type Decimal, isOnIncrement } from "@gpt/quantize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ConfidenceCurve } from "./confidence.js";
import type { SizePositionInput, SizingCaps, SizingMethod } from "./inputs.js";
import type { SizingResult } from "./result.js";
import { sizePosition } from "./size.js";

/** A positive decimal string `mantissa × 10^-scale`. */
function decimalArb(maxMantissa: number, maxScale: number, min = 1): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min, max: maxMantissa }), fc.integer({ min: 0, max: maxScale }))
    .map(([m, s]) => D(m).div(D(10).pow(s)).toFixed());
}

/** A number in [min, max] on a grid of a million points (fc.double favours extremes, which are tested elsewhere). */
function real(min: number, max: number): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: 1_000_000 }).map((i) => min + ((max - min) * i) / 1_000_000);
}

const STEPS = ["0.00000001", "0.0001", "0.001", "0.01", "0.1", "1", "0.25", "5"] as const;

const instrumentArb: fc.Arbitrary<Instrument> = fc
  .record({
    derivative: fc.boolean(),
    step: fc.constantFrom(...STEPS),
    minSteps: fc.integer({ min: 1, max: 50 }),
    maxSteps: fc.integer({ min: 100, max: 10_000_000 }),
    minNotional: fc.constantFrom("0", "1", "10", "0.5"),
    maxNotional: fc.option(fc.constantFrom("1000", "50000", "1000000"), { nil: undefined }),
    takerFee: fc.constantFrom("0", "0.0005", "0.006", "0.012"),
    contractSize: fc.constantFrom("1", "0.01", "0.1", "10"),
    imf: fc.constantFrom("1", "0.5", "0.2", "0.1", "0.05", "0.0333"),
    maxLeverage: fc.constantFrom("1", "3", "10", "20", "50"),
  })
  .map((r) => {
    const step = D(r.step);
    const base = {
      symbol: "TEST-USD",
      venue: "COINBASE",
      baseCurrency: "TEST",
      quoteCurrency: "USD",
      priceIncrement: "0.01",
      sizeIncrement: r.step,
      minSize: step.times(r.minSteps).toFixed(),
      maxSize: step.times(r.maxSteps).toFixed(),
      minNotional: r.minNotional,
      makerFee: "0",
      takerFee: r.takerFee,
      ...(r.maxNotional === undefined ? {} : { maxNotional: r.maxNotional }),
    };
    if (!r.derivative) return createSpotInstrument(base);
    return createPerpetualInstrument({
      ...base,
      contractSize: r.contractSize,
      initialMarginFraction: r.imf,
      maintenanceMarginFraction: "0.01",
      maxLeverage: r.maxLeverage,
      fundingIntervalMs: 3_600_000,
    });
  });

const priceArb = decimalArb(10_000_000, 4);
const equityArb = fc.oneof(
  { arbitrary: decimalArb(1_000_000_000, 2), weight: 30 },
  { arbitrary: fc.constant("0"), weight: 1 },
);
const fraction01 = real(0.0001, 1);

const methodArb: fc.Arbitrary<SizingMethod> = fc.oneof(
  fc.record({
    kind: fc.constant("kelly" as const),
    estimate: fc.oneof(
      fc.record({
        winRate: real(0, 1),
        payoffRatio: real(0.05, 10),
      }),
      fc.record({
        expectedReturn: real(-0.01, 0.01),
        variance: fc.oneof(
          { arbitrary: real(1e-6, 0.01), weight: 20 },
          { arbitrary: fc.constant(0), weight: 1 },
        ),
      }),
    ),
    kellyMultiplier: fraction01,
    maxKellyFraction: real(0.01, 5),
  }),
  fc.record({ kind: fc.constant("fixed-fraction" as const), fraction: real(0.001, 20) }),
  fc.record({ kind: fc.constant("fixed-notional" as const), notional: decimalArb(100_000_000, 2) }),
  fc.record({
    kind: fc.constant("atr" as const),
    atr: fc.oneof({ arbitrary: real(0.0001, 5000), weight: 20 }, { arbitrary: fc.constant(0), weight: 1 }),
    atrMultiple: real(0.5, 4),
    riskFraction: real(0.0001, 0.1),
  }),
  fc.record({
    kind: fc.constant("realized-volatility" as const),
    realizedVol: fc.oneof(
      { arbitrary: real(0.001, 3), weight: 20 },
      { arbitrary: fc.constant(0), weight: 1 },
    ),
    targetVol: real(0.01, 1),
  }),
);

const CURVES: readonly ConfidenceCurve[] = [
  { kind: "linear" },
  { kind: "linear", minConfidence: 0.2 },
  { kind: "power", exponent: 2 },
  { kind: "power", exponent: 0.6, minConfidence: 0.1 },
  { kind: "smoothstep" },
  { kind: "smoothstep", minConfidence: 0.4 },
];

const capsArb: fc.Arbitrary<SizingCaps> = fc
  .record({
    maxLeverage: fc.option(real(0.1, 25), { nil: undefined }),
    maxNotional: fc.option(decimalArb(10_000_000, 2), { nil: undefined }),
    availableMargin: fc.option(
      fc.oneof(
        { arbitrary: decimalArb(10_000_000, 2), weight: 20 },
        { arbitrary: fc.constantFrom("0", "-10"), weight: 1 },
      ),
      { nil: undefined },
    ),
  })
  .map((c) => ({
    ...(c.maxLeverage === undefined ? {} : { maxLeverage: c.maxLeverage }),
    ...(c.maxNotional === undefined ? {} : { maxNotional: c.maxNotional }),
    ...(c.availableMargin === undefined ? {} : { availableMargin: c.availableMargin }),
  }));

const inputArb: fc.Arbitrary<SizePositionInput> = fc
  .record({
    instrument: instrumentArb,
    price: priceArb,
    equity: equityArb,
    method: methodArb,
    caps: capsArb,
    confidence: fc.option(real(0, 1), { nil: undefined }),
    curve: fc.constantFrom(...CURVES),
    regime: fc.option(real(0, 3), { nil: undefined }),
  })
  .map((r) => ({
    instrument: r.instrument,
    price: r.price,
    equity: r.equity,
    method: r.method,
    caps: r.caps,
    confidenceCurve: r.curve,
    ...(r.confidence === undefined ? {} : { confidence: r.confidence }),
    ...(r.regime === undefined ? {} : { regimeMultiplier: r.regime }),
  }));

function contractSizeOf(instrument: Instrument): Decimal {
  return instrument.kind === "spot" ? D(1) : instrument.contractSize;
}

/** Every limit a sized result must respect, checked with exact arithmetic. */
function checkLimits(input: SizePositionInput, result: SizingResult): void {
  if (result.kind !== "sized") return;
  const { instrument } = input;
  const equity = D(input.equity);
  const price = D(input.price);
  const unitPrice = price.times(contractSizeOf(instrument));
  const { quantity, notional, margin } = result;
  const caps = input.caps ?? {};

  expect(quantity.gt(0)).toBe(true);
  expect(isOnIncrement(quantity, instrument.sizeIncrement)).toBe(true);
  expect(quantity.gte(instrument.minSize)).toBe(true);
  expect(quantity.lte(instrument.maxSize)).toBe(true);
  expect(notional.eq(quantity.times(unitPrice))).toBe(true);
  expect(notional.gte(instrument.minNotional)).toBe(true);
  if (instrument.maxNotional !== undefined) expect(notional.lte(instrument.maxNotional)).toBe(true);
  if (caps.maxNotional !== undefined) expect(notional.lte(D(caps.maxNotional))).toBe(true);
  if (caps.maxLeverage !== undefined) expect(notional.lte(equity.times(D(caps.maxLeverage)))).toBe(true);
  const instrumentLeverage = instrument.kind === "spot" ? D(1) : instrument.maxLeverage;
  expect(notional.lte(equity.times(instrumentLeverage))).toBe(true);
  if (caps.availableMargin !== undefined) {
    const available = D(caps.availableMargin);
    if (instrument.kind === "spot") {
      expect(notional.lte(available)).toBe(true);
    } else {
      expect(notional.times(instrument.initialMarginFraction).lte(available)).toBe(true);
      if (caps.maxLeverage !== undefined)
        expect(notional.lte(available.times(D(caps.maxLeverage)))).toBe(true);
    }
    expect(margin.lte(available)).toBe(true);
  }
}

/** Quantity of a result, with a skip counting as zero. */
function quantityOf(result: SizingResult): Decimal {
  return result.kind === "sized" ? result.quantity : D(0);
}

describe("sizing properties", () => {
  it("a sized result never exceeds any cap or instrument limit, and sits on the size step", () => {
    let sizedCount = 0;
    fc.assert(
      fc.property(inputArb, (input) => {
        const result = sizePosition(input);
        if (result.kind === "sized") sizedCount++;
        checkLimits(input, result);
      }),
      { numRuns: 3000 },
    );
    // The generators must reach the interesting case often enough for the property to mean something.
    expect(sizedCount).toBeGreaterThan(500);
  }, 60_000);

  it("extreme multipliers (subnormal to 3) neither throw nor break a limit", () => {
    fc.assert(
      fc.property(
        inputArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        (input, confidence, regimeMultiplier) => {
          const extreme = { ...input, confidence, regimeMultiplier };
          checkLimits(extreme, sizePosition(extreme));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("the quantity is the capped notional rounded down by less than one step", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const result = sizePosition(input);
        const q = result.steps.find((s) => s.stage === "quantize");
        if (q === undefined || q.stage !== "quantize") return;
        expect(q.after.lte(q.before)).toBe(true);
        expect(q.before.minus(q.after).lt(q.increment)).toBe(true);
        expect(isOnIncrement(q.after, q.increment)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("below-minimum is reported exactly when the rounded size breaks a minimum", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const result = sizePosition(input);
        const q = result.steps.find((s) => s.stage === "quantize");
        if (q === undefined || q.stage !== "quantize") {
          expect(result.kind === "skip" && result.reason !== "below-minimum").toBe(true);
          return;
        }
        const unitPrice = D(input.price).times(contractSizeOf(input.instrument));
        const breaks =
          q.after.isZero() ||
          q.after.lt(input.instrument.minSize) ||
          q.after.times(unitPrice).lt(input.instrument.minNotional);
        expect(result.kind === "skip" && result.reason === "below-minimum").toBe(breaks);
        expect(result.kind === "sized").toBe(!breaks);
      }),
      { numRuns: 2000 },
    );
  });

  it("a target below the minimum size always skips", () => {
    fc.assert(
      fc.property(
        instrumentArb,
        priceArb,
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (instrument, price, share) => {
          // A notional worth `share` of one minimum order (and at least one cent).
          const unitPrice = D(price).times(contractSizeOf(instrument));
          const notional = instrument.minSize.times(unitPrice).times(share).toDecimalPlaces(8, D.ROUND_DOWN);
          if (notional.lte(0)) return;
          const result = sizePosition({
            equity: "1000000000000",
            price,
            instrument,
            method: { kind: "fixed-notional", notional: notional.toFixed() },
          });
          expect(result).toMatchObject({ kind: "skip", reason: "below-minimum" });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("more confidence never gives a smaller size", () => {
    fc.assert(
      fc.property(
        inputArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (input, a, b) => {
          const low = sizePosition({ ...input, confidence: Math.min(a, b) });
          const high = sizePosition({ ...input, confidence: Math.max(a, b) });
          expect(quantityOf(low).lte(quantityOf(high))).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("a larger cap never gives a smaller size, and a cap never raises it", () => {
    fc.assert(
      fc.property(inputArb, decimalArb(10_000_000, 2), decimalArb(10_000_000, 2), (input, x, y) => {
        const [lo, hi] = D(x).lte(D(y)) ? [x, y] : [y, x];
        const tight = sizePosition({ ...input, caps: { ...input.caps, maxNotional: lo } });
        const loose = sizePosition({ ...input, caps: { ...input.caps, maxNotional: hi } });
        expect(quantityOf(tight).lte(quantityOf(loose))).toBe(true);
        const { maxNotional: _drop, ...rest } = input.caps ?? {};
        const uncapped = sizePosition({ ...input, caps: rest });
        expect(quantityOf(loose).lte(quantityOf(uncapped))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("fixed risk: the loss at the stop, entry and exit fees included, stays within equity × riskFraction", () => {
    fc.assert(
      fc.property(
        instrumentArb,
        priceArb,
        decimalArb(1_000_000_000, 2),
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        fc.double({ min: 0.0001, max: 0.1, noNaN: true }),
        fc.constantFrom("buy" as const, "sell" as const),
        (instrument, price, equity, stopDistanceShare, riskFraction, side) => {
          const entry = D(price);
          const distance = entry.times(stopDistanceShare).toDecimalPlaces(4, D.ROUND_UP);
          const stop = side === "buy" ? entry.minus(distance) : entry.plus(distance);
          if (stop.lte(0) || distance.isZero()) return;
          const result = sizePosition({
            equity,
            price,
            instrument,
            method: { kind: "fixed-risk", stop: stop.toFixed(), riskFraction, side },
          });
          if (result.kind !== "sized") return;
          const base = result.quantity.times(contractSizeOf(instrument));
          const fees = instrument.takerFee.times(entry.plus(stop));
          const loss = base.times(distance.plus(fees));
          expect(loss.lte(D(equity).times(riskFraction))).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
