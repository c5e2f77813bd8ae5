import { D } from "@gpt/quantize";
import { describe, expect, it } from "vitest";
import { CommandValidationError } from "./errors.js";
import { clientOrderId } from "./ids.js";
import {
  assertValidCommand,
  bracketLegs,
  type LimitOrderSpec,
  limitOrder,
  marketOrder,
  type OrderSpec,
  oppositeSide,
  type SubmitBracket,
  sideSign,
  stopLimitOrder,
  stopOrder,
  type TradingCommand,
  validateCommand,
  validateOrderForInstrument,
  validateOrderSpec,
} from "./index.js";
import type { Instrument } from "./instruments.js";
import { BTC_USD, bip, btcUsd, COID, limitSpec, OTHER_INSTRUMENT, STRAT } from "./test-support.js";

const codes = (spec: OrderSpec) => validateOrderSpec(spec).map((i) => i.code);
const base = { clientOrderId: COID, instrumentId: BTC_USD, side: "buy" as const, quantity: "0.5" };

describe("order builders", () => {
  it("build validated specs with defaults", () => {
    const m = marketOrder(base);
    expect(m).toMatchObject({ type: "market", timeInForce: "IOC", reduceOnly: false });
    expect(m.quantity.toString()).toBe("0.5");
    const l = limitOrder({ ...base, price: "50000.5", postOnly: true });
    expect(l).toMatchObject({ type: "limit", timeInForce: "GTC", postOnly: true });
    expect(l.price.toString()).toBe("50000.5");
    expect(limitOrder({ ...base, price: 1, expireTime: 5000 }).timeInForce).toBe("GTD");
    expect(stopOrder({ ...base, triggerPrice: "49000" })).toMatchObject({ type: "stop", timeInForce: "GTC" });
    const sl = stopLimitOrder({
      ...base,
      price: "48900",
      triggerPrice: "49000",
      leverage: "3",
      marginType: "isolated",
    });
    expect(sl.leverage?.toString()).toBe("3");
    expect(sl.marginType).toBe("isolated");
  });

  it("throw CommandValidationError listing the problems", () => {
    try {
      limitOrder({ ...base, quantity: "0", price: "-1", postOnly: true, timeInForce: "IOC" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CommandValidationError);
      const err = error as CommandValidationError;
      expect(err.code).toBe("invalid-command");
      expect(err.issues.map((i) => i.code)).toEqual(["not-positive", "not-positive", "post-only-immediate"]);
      expect(err.message).toContain("order.quantity");
    }
    expect(() => marketOrder({ ...base, quantity: "abc" })).toThrow(/order.quantity/);
    expect(() => stopOrder({ ...base, triggerPrice: "1", timeInForce: "GTD" })).toThrow(/gtd|GTD/);
  });
});

describe("validateOrderSpec", () => {
  it("accepts a good limit spec", () => {
    expect(validateOrderSpec(limitSpec())).toEqual([]);
  });

  it("GTD needs an expireTime, others must not have one", () => {
    expect(codes(limitSpec({ timeInForce: "GTD" }))).toEqual(["gtd-without-expire-time"]);
    expect(codes(limitSpec({ expireTime: 5 }))).toEqual(["expire-time-without-gtd"]);
    expect(codes(limitSpec({ timeInForce: "GTD", expireTime: -5 }))).toEqual(["invalid-timestamp"]);
    expect(codes(limitSpec({ timeInForce: "GTD", expireTime: 5 }))).toEqual([]);
  });

  it("market orders are IOC/FOK and never post-only", () => {
    const market = {
      ...limitSpec(),
      type: "market",
      timeInForce: "GTC",
      postOnly: true,
    } as unknown as OrderSpec;
    expect(codes(market)).toEqual(["post-only-not-limit", "market-not-immediate"]);
    expect(codes({ ...limitSpec(), type: "market", timeInForce: "FOK" } as unknown as OrderSpec)).toEqual([]);
  });

  it("stops need a trigger and rest (GTC/GTD)", () => {
    const stop = { ...limitSpec(), type: "stop", postOnly: false } as unknown as OrderSpec;
    expect(codes(stop)).toEqual(["not-a-decimal"]);
    expect(codes({ ...stop, triggerPrice: D(100), timeInForce: "IOC" } as OrderSpec)).toEqual([
      "stop-not-resting",
    ]);
    const stopLimit = { ...limitSpec(), type: "stop-limit", triggerPrice: D(0) } as unknown as OrderSpec;
    expect(codes(stopLimit)).toEqual(["not-positive"]);
  });

  it("checks side, type, time in force, leverage, margin type and booleans", () => {
    expect(codes(limitSpec({ side: "long" }))).toEqual(["invalid-side"]);
    expect(codes(limitSpec({ type: "iceberg" }))).toEqual(["invalid-type"]);
    expect(codes(limitSpec({ timeInForce: "DAY" }))).toEqual(["invalid-time-in-force"]);
    expect(codes(limitSpec({ leverage: D("0.5") }))).toEqual(["leverage-below-one"]);
    expect(codes(limitSpec({ leverage: D("-2") }))).toEqual(["not-positive"]);
    expect(codes(limitSpec({ marginType: "portfolio" }))).toEqual(["invalid-margin-type"]);
    expect(codes(limitSpec({ reduceOnly: "yes" }))).toEqual(["not-a-boolean"]);
    expect(codes(limitSpec({ postOnly: undefined }))).toEqual(["not-a-boolean"]);
    expect(codes(limitSpec({ quantity: D(Number.NaN) }))).toEqual(["not-a-decimal"]);
    expect(codes(limitSpec({ postOnly: true, timeInForce: "FOK" }))).toEqual(["post-only-immediate"]);
  });

  it("prefixes field paths", () => {
    expect(validateOrderSpec(limitSpec({ price: D(0) }), "entry")[0]?.field).toBe("entry.price");
  });
});

describe("validateOrderForInstrument", () => {
  const check = (spec: OrderSpec, inst: Instrument = btcUsd) =>
    validateOrderForInstrument(spec, inst).map((i) => i.code);

  it("accepts an order that fits", () => {
    expect(check(limitSpec({ quantity: D("0.12345678"), price: D("50000.01") }))).toEqual([]);
  });

  it("checks increments, sizes and notional", () => {
    expect(check(limitSpec({ quantity: D("1.000000015") }))).toEqual(["not-on-size-increment"]);
    expect(check(limitSpec({ quantity: D("0.000000001") }))).toEqual([
      "below-min-size",
      "not-on-size-increment",
      "below-min-notional",
    ]);
    expect(check(limitSpec({ quantity: D("3401") }))).toEqual(["above-max-size", "above-max-notional"]);
    expect(check(limitSpec({ price: D("50000.001") }))).toEqual(["not-on-price-increment"]);
    expect(check(limitSpec({ quantity: D("0.00001"), price: D("1") }))).toEqual(["below-min-notional"]);
    const stop = { ...limitSpec(), type: "stop", triggerPrice: D("100.005") } as unknown as OrderSpec;
    expect(check(stop)).toEqual(["not-on-price-increment"]);
  });

  it("keeps leverage, margin type and reduce-only for derivatives", () => {
    expect(check(limitSpec({ leverage: D(2), marginType: "cross", reduceOnly: true }))).toEqual([
      "derivative-only",
      "derivative-only",
      "derivative-only",
    ]);
    const perp = (o: Record<string, unknown>) =>
      limitSpec({ instrumentId: bip.id, quantity: D(3), price: D(60000), ...o });
    expect(check(perp({ leverage: D(5), marginType: "isolated", reduceOnly: true }), bip)).toEqual([]);
    expect(check(perp({ leverage: D(11) }), bip)).toEqual(["leverage-above-max"]);
    expect(check(perp({ quantity: D("1.5") }), bip)).toEqual(["not-on-size-increment"]);
    expect(check(perp({ price: D(60001) }), bip)).toEqual(["not-on-price-increment"]);
  });

  it("refuses another instrument", () => {
    expect(check(limitSpec({ instrumentId: OTHER_INSTRUMENT }))).toEqual(["instrument-mismatch"]);
  });
});

const entry: LimitOrderSpec = limitSpec({ price: D(50000) }) as LimitOrderSpec;
const bracket: SubmitBracket = {
  type: "SubmitBracket",
  strategyId: STRAT,
  entry,
  takeProfit: { clientOrderId: clientOrderId("O-1-tp"), price: D(52000) },
  stopLoss: { clientOrderId: clientOrderId("O-1-sl"), triggerPrice: D(49000) },
  tsInit: 1000,
};

describe("validateCommand", () => {
  const issues = (c: TradingCommand) => validateCommand(c).map((i) => i.code);

  it("accepts valid commands of every type", () => {
    const good: TradingCommand[] = [
      { type: "SubmitOrder", strategyId: STRAT, order: limitSpec(), tsInit: 1 },
      bracket,
      { type: "CancelOrder", strategyId: STRAT, instrumentId: BTC_USD, clientOrderId: COID, tsInit: 1 },
      {
        type: "ModifyOrder",
        strategyId: STRAT,
        instrumentId: BTC_USD,
        clientOrderId: COID,
        price: D(1),
        tsInit: 1,
      },
      { type: "CancelAllOrders", strategyId: STRAT, tsInit: 1 },
      { type: "CancelAllOrders", strategyId: STRAT, instrumentId: BTC_USD, side: "sell", tsInit: 1 },
    ];
    for (const c of good) expect(validateCommand(c)).toEqual([]);
    expect(() => assertValidCommand(bracket)).not.toThrow();
  });

  it("checks tsInit and GTD expiry after tsInit", () => {
    expect(issues({ type: "SubmitOrder", strategyId: STRAT, order: limitSpec(), tsInit: -1 })).toEqual([
      "invalid-timestamp",
    ]);
    expect(
      issues({
        type: "SubmitOrder",
        strategyId: STRAT,
        order: limitSpec({ timeInForce: "GTD", expireTime: 10 }),
        tsInit: 10,
      }),
    ).toEqual(["expire-time-in-past"]);
    expect(
      issues({
        type: "SubmitOrder",
        strategyId: STRAT,
        order: limitSpec({ timeInForce: "GTD" }),
        tsInit: 10,
      }),
    ).toEqual(["gtd-without-expire-time"]);
  });

  it("modify needs something positive to change; cancel-all needs a known side", () => {
    const modify = {
      type: "ModifyOrder",
      strategyId: STRAT,
      instrumentId: BTC_USD,
      clientOrderId: COID,
      tsInit: 1,
    } as const;
    expect(issues(modify)).toEqual(["nothing-to-modify"]);
    expect(issues({ ...modify, quantity: D(0), triggerPrice: D(-1) })).toEqual([
      "not-positive",
      "not-positive",
    ]);
    expect(issues({ type: "CancelAllOrders", strategyId: STRAT, side: "both" as never, tsInit: 1 })).toEqual([
      "invalid-side",
    ]);
  });

  it("bracket: orders prices around the entry, distinct ids, valid legs", () => {
    expect(issues({ ...bracket, takeProfit: { ...bracket.takeProfit, price: D(48000) } })).toEqual([
      "bracket-price-order",
      "bracket-price-order",
    ]);
    expect(issues({ ...bracket, stopLoss: { ...bracket.stopLoss, triggerPrice: D(50500) } })).toEqual([
      "bracket-price-order",
    ]);
    const sellEntry = { ...entry, side: "sell" as const };
    expect(issues({ ...bracket, entry: sellEntry })).toEqual(["bracket-price-order", "bracket-price-order"]);
    expect(
      issues({
        ...bracket,
        entry: sellEntry,
        takeProfit: { ...bracket.takeProfit, price: D(48000) },
        stopLoss: { ...bracket.stopLoss, triggerPrice: D(51000) },
      }),
    ).toEqual([]);
    expect(issues({ ...bracket, takeProfit: { ...bracket.takeProfit, clientOrderId: COID } })).toEqual([
      "duplicate-client-order-id",
    ]);
    expect(issues({ ...bracket, stopLoss: { ...bracket.stopLoss, price: D(0) } })).toEqual(["not-positive"]);
    expect(issues({ ...bracket, legExpireTime: 500 })).toEqual(["expire-time-in-past"]);
    expect(issues({ ...bracket, entry: { ...entry, type: "stop" } as never })).toEqual([
      "bracket-entry-type",
    ]);
    const marketEntry = { ...entry, type: "market", timeInForce: "IOC" } as unknown as LimitOrderSpec;
    expect(issues({ ...bracket, entry: marketEntry })).toEqual([]);
  });

  it("assertValidCommand throws with every issue", () => {
    const bad = { ...bracket, takeProfit: { clientOrderId: COID, price: D(-1) } };
    try {
      assertValidCommand(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CommandValidationError);
      expect((error as CommandValidationError).issues.map((i) => i.field)).toEqual([
        "takeProfit.price",
        "takeProfit.clientOrderId",
      ]);
      expect((error as CommandValidationError).message).toContain("SubmitBracket is invalid");
    }
  });
});

describe("bracketLegs", () => {
  it("derives opposite-side reduce-only legs", () => {
    const { takeProfit, stopLoss } = bracketLegs(bracket);
    expect(takeProfit).toMatchObject({
      type: "limit",
      side: "sell",
      reduceOnly: true,
      timeInForce: "GTC",
      postOnly: false,
      clientOrderId: "O-1-tp",
    });
    expect(takeProfit.price.toString()).toBe("52000");
    expect(takeProfit.quantity.toString()).toBe("1");
    expect(stopLoss).toMatchObject({ type: "stop", side: "sell", reduceOnly: true, clientOrderId: "O-1-sl" });
    expect(validateOrderSpec(takeProfit)).toEqual([]);
    expect(validateOrderSpec(stopLoss)).toEqual([]);
  });

  it("makes a stop-limit GTD stop-loss when asked, and carries leverage", () => {
    const legs = bracketLegs({
      ...bracket,
      entry: { ...entry, leverage: D(3), marginType: "cross" },
      stopLoss: { ...bracket.stopLoss, price: D(48900) },
      legExpireTime: 99_999,
    });
    expect(legs.stopLoss.type).toBe("stop-limit");
    expect(legs.stopLoss.timeInForce).toBe("GTD");
    expect(legs.stopLoss.expireTime).toBe(99_999);
    expect(legs.takeProfit.leverage?.toString()).toBe("3");
    expect(legs.takeProfit.marginType).toBe("cross");
  });
});

describe("side helpers", () => {
  it("flip and sign", () => {
    expect(oppositeSide("buy")).toBe("sell");
    expect(oppositeSide("sell")).toBe("buy");
    expect(sideSign("buy")).toBe(1);
    expect(sideSign("sell")).toBe(-1);
  });
});
