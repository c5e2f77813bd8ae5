import {
  type BookSnapshot,
  limitOrder,
  marketOrder,
  type OrderFilled,
  stopOrder,
  type Trade,
  tradeId,
} from "@gpt/core";
import { describe, expect, it } from "vitest";
import { PaperEngine } from "./engine.js";
import { coid, Recorder, SPOT, T0 } from "./testing/fixtures.js";
import type { PaperEngineConfig } from "./types.js";

const S = SPOT.id;

function engineWithBook(extra: Partial<PaperEngineConfig> = {}) {
  const engine = new PaperEngine({
    accountType: "cash",
    instruments: [SPOT],
    initialBalances: { USD: "1000000", BTC: "100" },
    ...extra,
  });
  const rec = new Recorder(engine);
  const snap: BookSnapshot = {
    type: "BookSnapshot",
    instrumentId: S,
    bids: [
      { price: 99, size: 1 },
      { price: 98, size: 2 },
    ],
    asks: [
      { price: 100, size: 1 },
      { price: 101, size: 2 },
      { price: 102, size: 5 },
    ],
    tsEvent: T0,
    tsInit: T0,
  };
  engine.onBookSnapshot(snap);
  return { engine, rec };
}

let tradeN = 0;
function trade(price: number, size: number, aggressorSide: Trade["aggressorSide"], dt = 1000): Trade {
  tradeN++;
  return {
    type: "Trade",
    instrumentId: S,
    price,
    size,
    aggressorSide,
    tradeId: tradeId(`x-${tradeN}`),
    tsEvent: T0 + tradeN * dt,
    tsInit: T0 + tradeN * dt,
  };
}

const fills = (rec: Recorder, id?: string): OrderFilled[] =>
  rec.ofType("OrderFilled").filter((f) => id === undefined || f.clientOrderId === id);
const summary = (fs: OrderFilled[]) => fs.map((f) => `${f.lastQty}@${f.lastPrice}/${f.liquiditySide}`);

describe("book walk", () => {
  it("a market order walks the levels, pays the depth and leaves the book consumed", () => {
    const { engine, rec } = engineWithBook();
    const o = rec.submit(
      marketOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity: "2.5" }),
    );
    expect(summary(fills(rec, o))).toEqual(["1@100/taker", "1.5@101/taker"]);
    expect(engine.order(o)).toBeUndefined();
    const replayed = rec.replayAll().get(o)!;
    expect(replayed.avgPx?.toString()).toBe("100.6");
    // The next order sees what is left: 0.5 @ 101, then 102.
    const o2 = rec.submit(
      marketOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity: "1" }),
    );
    expect(summary(fills(rec, o2))).toEqual(["0.5@101/taker", "0.5@102/taker"]);
  });

  it("an IOC that exhausts the book fills partially and cancels the rest", () => {
    const { rec } = engineWithBook();
    const o = rec.submit(
      marketOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity: "10" }),
    );
    expect(summary(fills(rec, o))).toEqual(["1@100/taker", "2@101/taker", "5@102/taker"]);
    expect(rec.types(o).at(-1)).toBe("OrderCanceled");
    rec.replayAll();
  });

  it("FOK needs the whole quantity in the book", () => {
    const { rec } = engineWithBook();
    const big = rec.submit(
      marketOrder({
        clientOrderId: coid(),
        instrumentId: S,
        side: "buy",
        quantity: "10",
        timeInForce: "FOK",
      }),
    );
    expect(fills(rec, big)).toHaveLength(0);
    expect(rec.types(big).at(-1)).toBe("OrderCanceled");
    const limitFok = rec.submit(
      limitOrder({
        clientOrderId: coid(),
        instrumentId: S,
        side: "sell",
        quantity: "3",
        price: "98",
        timeInForce: "FOK",
      }),
    );
    expect(summary(fills(rec, limitFok))).toEqual(["1@99/taker", "2@98/taker"]);
    rec.replayAll();
  });

  it("a marketable limit takes up to its price and rests the rest", () => {
    const { engine, rec } = engineWithBook();
    const o = rec.submit(
      limitOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity: "2", price: "100.50" }),
    );
    expect(summary(fills(rec, o))).toEqual(["1@100/taker"]);
    expect(engine.order(o)?.leavesQty.toString()).toBe("1");
  });

  it("post-only is checked against the best price of the book", () => {
    const { rec } = engineWithBook();
    rec.submit(
      limitOrder({
        clientOrderId: coid(),
        instrumentId: S,
        side: "buy",
        quantity: "1",
        price: "100",
        postOnly: true,
      }),
    );
    rec.submit(
      limitOrder({
        clientOrderId: coid(),
        instrumentId: S,
        side: "buy",
        quantity: "1",
        price: "99.5",
        postOnly: true,
      }),
    );
    expect(rec.ofType("OrderRejected")).toHaveLength(1);
    expect(rec.ofType("OrderAccepted")).toHaveLength(1);
  });
});

describe("queue position", () => {
  it("volume ahead at our price trades before us; a print through our price fills us", () => {
    const { engine, rec } = engineWithBook();
    const o = rec.submit(
      limitOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity: "1", price: "99" }),
    );
    engine.onTrade(trade(99, 0.6, "sell")); // 1 ahead of us → 0.4 ahead
    expect(fills(rec, o)).toHaveLength(0);
    engine.onTrade(trade(99, 0.3, "buy")); // a buyer lifting an ask at 99 does not reach bids
    expect(fills(rec, o)).toHaveLength(0);
    engine.onTrade(trade(99, 1, "sell")); // 0.4 ahead, then 0.6 to us
    expect(summary(fills(rec, o))).toEqual(["0.6@99/maker"]);
    engine.onTrade(trade(98.5, 5, "sell")); // through our price
    expect(summary(fills(rec, o))).toEqual(["0.6@99/maker", "0.4@99/maker"]);
    rec.replayAll();
  });

  it("cancellations ahead of us (a smaller level) shorten the queue", () => {
    const { engine, rec } = engineWithBook();
    const o = rec.submit(
      limitOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity: "1", price: "98" }),
    );
    engine.onBookDelta({
      type: "BookDelta",
      instrumentId: S,
      deltas: [{ side: "bid", price: 98, size: 0.5, action: "set" }],
      tsEvent: T0 + 1,
      tsInit: T0 + 1,
    });
    engine.onTrade(trade(98, 1, "sell"));
    expect(summary(fills(rec, o))).toEqual(["0.5@98/maker"]);
  });

  it("without queue modelling a print at our price follows the touch/through rule", () => {
    for (const rule of ["through", "touch"] as const) {
      const { engine, rec } = engineWithBook({ queuePosition: false, limitFillRule: rule });
      const o = rec.submit(
        limitOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity: "1", price: "99" }),
      );
      engine.onTrade(trade(99, 2, "sell"));
      expect(fills(rec, o)).toHaveLength(rule === "touch" ? 1 : 0);
    }
  });

  it("a book that moves through a resting order fills it at its price", () => {
    const { engine, rec } = engineWithBook();
    const o = rec.submit(
      limitOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity: "1", price: "99.5" }),
    );
    engine.onBookDelta({
      type: "BookDelta",
      instrumentId: S,
      deltas: [{ side: "ask", price: 99.4, size: 3, action: "set" }],
      tsEvent: T0 + 1,
      tsInit: T0 + 1,
    });
    expect(summary(fills(rec, o))).toEqual(["1@99.5/maker"]);
  });
});

describe("trade mode (no book)", () => {
  function tradeEngine() {
    const engine = new PaperEngine({
      accountType: "cash",
      instruments: [SPOT],
      initialBalances: { USD: "1000000", BTC: "100" },
    });
    return { engine, rec: new Recorder(engine) };
  }

  it("a market order fills at the next trade after it is live", () => {
    const { engine, rec } = tradeEngine();
    engine.onTrade(trade(100, 1, "buy"));
    const o = rec.submit(marketOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity: "3" }));
    engine.onTrade(trade(100.5, 0.1, "buy"));
    expect(summary(fills(rec, o))).toEqual(["3@100.5/taker"]);
  });

  it("a stop triggers on the first print through its trigger and fills at that print", () => {
    const { engine, rec } = tradeEngine();
    engine.onTrade(trade(100, 1, "buy"));
    const o = rec.submit(
      stopOrder({ clientOrderId: coid(), instrumentId: S, side: "sell", quantity: "1", triggerPrice: "95" }),
    );
    engine.onTrade(trade(96, 1, "sell"));
    engine.onTrade(trade(93, 1, "sell")); // gap through 95
    expect(summary(fills(rec, o))).toEqual(["1@93/taker"]);
    rec.replayAll();
  });

  it("a resting limit fills up to the size of the print through it", () => {
    const { engine, rec } = tradeEngine();
    engine.onTrade(trade(100, 1, "buy"));
    const o = rec.submit(
      limitOrder({ clientOrderId: coid(), instrumentId: S, side: "buy", quantity: "2", price: "99" }),
    );
    engine.onTrade(trade(98.9, 0.5, "sell"));
    engine.onTrade(trade(98.8, 5, "sell"));
    expect(summary(fills(rec, o))).toEqual(["0.5@99/maker", "1.5@99/maker"]);
  });
});
