/**
 * The `orderSizing` option: orders sized for the venue's reservation (price buffer, taker fee,
 * leverage), checked against `@gpt/paper-engine`, which holds exactly that reserve at submit.
 */
import {
  createStaticInstrumentProvider,
  type Instrument,
  ManualClock,
  type MarketDataEvent,
} from "@gpt/core";
import { createPaperEngine } from "@gpt/paper-engine";
import { D } from "@gpt/quantize";
import { describe, expect, it } from "vitest";
import { isKernelError } from "./errors.js";
import { createMemoryEventLog } from "./event-log.js";
import type { TraderEvent } from "./events.js";
import { resolveOrderSizing } from "./order-sizing.js";
import { BTC, barsFromCloses, PERP, ScriptedStrategy, T0 } from "./testing/fixtures.js";
import { createTrader, type TraderOptions } from "./trader.js";

/** A long at the first bar's close, against the paper engine holding `buffer` and the fee. */
function run(
  instrument: Instrument,
  options: Partial<TraderOptions>,
  venue: { buffer: string; leverage?: string },
  sizeFraction = 1,
) {
  const clock = new ManualClock(T0);
  const engine = createPaperEngine({
    accountType: instrument.kind === "spot" ? "cash" : "margin",
    instruments: [instrument],
    initialBalances: { USD: "10000" },
    clock,
    marketOrderBuffer: venue.buffer,
    ...(venue.leverage === undefined ? {} : { leverage: { [instrument.id]: venue.leverage } }),
  });
  const log = createMemoryEventLog({ capacity: "unbounded" });
  const strategy = new ScriptedStrategy([instrument.id], (_bar, i) => (i === 0 ? "long" : undefined), {
    sizeFraction,
  });
  const trader = createTrader({
    clock,
    execution: engine,
    instruments: createStaticInstrumentProvider([instrument]),
    strategy,
    account: "10000",
    venueFeed: (event: MarketDataEvent) => engine.onMarketData(event),
    eventLog: log,
    ...options,
  }).start();
  // Closes 100.5 at the decision; the next bar opens at 101 (within a 2 % buffer).
  for (const bar of barsFromCloses(instrument.id, [100.5, 101, 102])) {
    if (bar.tsEvent > clock.now()) clock.set(bar.tsEvent);
    trader.onBar(bar);
  }
  const of = <T extends TraderEvent["type"]>(type: T) =>
    log.events().filter((e): e is Extract<TraderEvent, { type: T }> => e.type === type);
  return { trader, engine, of };
}

describe("orderSizing", () => {
  it("spot: without it a fraction-1 buy is rejected by the venue's hold; with the venue's numbers it fits", () => {
    const bare = run(BTC, {}, { buffer: "0.02" });
    expect(bare.of("OrderRejected").map((e) => e.reason)).toHaveLength(1);
    expect(bare.trader.cache.position(BTC.id)).toBeUndefined();

    const sized = run(BTC, { orderSizing: { priceBuffer: 0.02 } }, { buffer: "0.02" });
    expect(sized.of("OrderRejected")).toEqual([]);
    // floor(10000 / ((1.02)(1 + 0.006)) / 100.5, 0.001): the taker fee is the instrument's.
    const expected = D(10000).div(D("1.02").mul("1.006")).div("100.5").toDecimalPlaces(3, 1);
    expect(expected.toFixed()).toBe("96.969");
    expect(sized.of("Decision")[0]?.quantity?.toFixed()).toBe("96.969");
    expect(sized.trader.cache.position(BTC.id)?.quantity.toFixed()).toBe("96.969");
    // The ledger equals the venue's account after the fill.
    const usd = sized.engine.accountState().balances.find((b) => b.currency === "USD");
    expect(sized.trader.cache.cash().eq(usd?.total ?? D(-1))).toBe(true);
  });

  it("spot: an explicit takerFeeRate replaces the instrument's", () => {
    const sized = run(
      BTC,
      { orderSizing: { priceBuffer: "0.02", takerFeeRate: "0.01" } },
      { buffer: "0.02" },
    );
    const expected = D(10000).div(D("1.02").mul("1.01")).div("100.5").toDecimalPlaces(3, 1);
    expect(sized.of("Decision")[0]?.quantity?.toFixed()).toBe(expected.toFixed());
  });

  it("perpetual: the fraction is the margin committed at the leverage, leaving room for the fee", () => {
    // 5×: notional = 0.8 × 10000 × 5 / (1.02 × (1 + 0.0005 × 5)), contract 0.01 BTC, step 1.
    const sized = run(
      PERP,
      { orderSizing: { priceBuffer: 0.02, leverage: 5 } },
      { buffer: "0.02", leverage: "5" },
      0.8,
    );
    const scale = 5 / (1.02 * (1 + 0.0005 * 5));
    const contracts = Math.floor((0.8 * scale * 10000) / (100.5 * 0.01));
    expect(contracts).toBe(38_923);
    expect(sized.of("Decision")[0]?.quantity?.toFixed()).toBe(String(contracts));
    expect(sized.of("OrderRejected")).toEqual([]);
    expect(sized.trader.cache.position(PERP.id)?.quantity.toFixed()).toBe(String(contracts));
    // A per-instrument leverage function gives the same.
    const byFunction = run(
      PERP,
      { orderSizing: { priceBuffer: 0.02, leverage: (i) => (i.id === PERP.id ? "5" : "1") } },
      { buffer: "0.02", leverage: "5" },
      0.8,
    );
    expect(byFunction.of("Decision")[0]?.quantity?.toFixed()).toBe(String(contracts));
  });

  it("perpetual: a whole-equity order at the leverage without the rule is refused by the venue", () => {
    // Without orderSizing the kernel sizes 1 × equity of notional; the bare fraction cannot
    // express leverage, and an explicit 5 × fraction leaves no room for the buffer and fee.
    const over = run(PERP, {}, { buffer: "0.02", leverage: "5" }, 5);
    expect(over.of("OrderRejected")).toHaveLength(1);
    const fits = run(
      PERP,
      { orderSizing: { priceBuffer: 0.02, leverage: 5 } },
      { buffer: "0.02", leverage: "5" },
    );
    expect(fits.of("OrderRejected")).toEqual([]);
    expect(fits.trader.cache.position(PERP.id)?.quantity.gt(0)).toBe(true);
  });
});

describe("orderSizing validation", () => {
  const build = (options: Partial<TraderOptions>) => () => run(BTC, options, { buffer: "0" });
  const fails = (options: Partial<TraderOptions>, field: string, message: RegExp) => {
    let caught: unknown;
    try {
      build(options)();
    } catch (error) {
      caught = error;
    }
    expect(isKernelError(caught)).toBe(true);
    const error = caught as { code: string; context: Record<string, unknown>; message: string };
    expect(error.code).toBe("invalid-options");
    expect(error.context.field).toBe(field);
    expect(error.message).toMatch(message);
  };

  it("names the field and the value of a bad number", () => {
    fails(
      { orderSizing: { priceBuffer: -0.01 } },
      "orderSizing.priceBuffer",
      /must be a decimal >= 0 \(got -0\.01\)/,
    );
    fails({ orderSizing: { takerFeeRate: 1 } }, "orderSizing.takerFeeRate", /in \[0, 1\) \(got 1\)/);
    fails({ orderSizing: { leverage: 0 } }, "orderSizing.leverage", /> 0 \(got 0\)/);
    fails({ orderSizing: { priceBuffer: Number.NaN } }, "orderSizing.priceBuffer", /got NaN/);
  });

  it("checks a leverage function per derivative, naming the instrument", () => {
    expect(() => resolveOrderSizing({ leverage: () => -2 }, 0, [PERP])).toThrow(
      /orderSizing\.leverage: must be a decimal > 0 for BTC-PERP\.TEST \(got -2\)/,
    );
    // Spot instruments never ask for leverage.
    expect(
      resolveOrderSizing({ leverage: () => -2 }, 0, [BTC])
        ?.get(BTC.id)
        ?.spotBuyDivisor?.toFixed(),
    ).toBe("1.006");
  });

  it("refuses unknown keys, a non-object, and spotBuyHeadroom alongside", () => {
    fails({ orderSizing: { buffer: 0.02 } as never }, "orderSizing.buffer", /unknown key/);
    fails({ orderSizing: 0.02 as never }, "orderSizing", /must be an object/);
    fails({ orderSizing: {}, spotBuyHeadroom: 0.01 }, "spotBuyHeadroom", /not both/);
  });

  it("a secret-shaped string is described, never echoed", () => {
    const secret = "sk-live-0123456789abcdefghij";
    let message = "";
    try {
      build({ orderSizing: { priceBuffer: secret } })();
    } catch (error) {
      message = String(error) + JSON.stringify((error as { context: unknown }).context);
    }
    expect(message).toMatch(/a 28-character string/);
    expect(message).not.toContain(secret);
  });

  it("spotBuyHeadroom still works: the spot divisor is 1 + headroom, derivatives unscaled", () => {
    const policy = resolveOrderSizing(undefined, 0.0261, [BTC, PERP]);
    expect(policy?.get(BTC.id)?.spotBuyDivisor?.toFixed()).toBe("1.0261");
    expect(policy?.get(PERP.id)).toBeUndefined();
    expect(resolveOrderSizing(undefined, 0, [BTC])).toBeUndefined();
  });
});
